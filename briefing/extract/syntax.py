"""Clauses of a tokenised sentence: where a clause starts and ends (punctuation, subordinators),
and whether a subject is tied to its verb."""

from __future__ import annotations

from bisect import bisect_right

from .lexicon import BOUND_WORDS, LINK, STATE_FORCE
from .warm import rxc


def tied_to_act(toks, j, ti) -> bool:
    """The subject is tied to the act: only auxiliaries, adverbs, perform-verbs ("carried out",
    "launched") and force nouns ("troops", "forces") between them."""
    unknown = 0
    for k in range(j, ti):
        w = toks[k].key
        # "Iran says strikes led to …": the speaker of a report about an act, not its agent
        # ("Israel says it struck …" keeps the subject through the pronoun)
        if w in _SAYS and k + 1 < len(toks) and toks[k + 1].key not in _BACK:
            return False
        if w in ENDURE:
            return False  # "Gazans flee fighting": those who flee or endure an act do not do it
        if w in LINK or w in STATE_FORCE or w.isdigit():
            continue
        unknown += 1
    return unknown == 0 or (unknown == 1 and ti - j <= 3)


ENDURE = frozenset(
    "flee flees fled fleeing escape escapes escaped survive survives survived mourn mourns brace braces endure endures fear fears".split()
)
_SAYS = frozenset(("says", "said", "say", "reports", "reported"))
_BACK = frozenset(
    (
        "it",
        "its",
        "they",
        "their",
        "we",
        "our",
        "he",
        "his",
        "she",
        "her",
        "that",
        "has",
        "had",
        "have",
        "was",
        "were",
        "is",
        "are",
        "will",
        "would",
    )
)
_BCACHE: dict[int, tuple] = {}
_HARD_GAP = rxc(r'[;:"?!()]| - ')


def _bounds(s, toks):
    key = id(toks)
    hit = _BCACHE.get(key)
    if hit is not None and hit[0] is toks:
        return hit[1]
    n = len(toks)
    b = [False] * (n + 1)
    b[0] = b[n] = True
    for k in range(n - 1):
        if toks[k].key in BOUND_WORDS and not _as_well_as(toks, k):
            b[k + 1] = True
    # punctuation between tokens (never inside one): the token after it starts a clause
    hard = [m.start() for m in _HARD_GAP.finditer(s)]
    if hard:
        starts = [t.start for t in toks]
        for p in hard:
            k = bisect_right(starts, p)
            if 0 < k < n:
                b[k] = True
    if len(_BCACHE) > 64:
        _BCACHE.clear()
    _BCACHE[key] = (toks, b)
    return b


def _as_well_as(toks, k) -> bool:
    """Token k is an "as" of "as well as" (coordination, not a subordinate clause)."""
    if toks[k].key != "as":
        return False
    return (k + 2 < len(toks) and toks[k + 1].key == "well" and toks[k + 2].key == "as") or (
        k >= 1 and toks[k - 1].key == "well"
    )


def clause_span(s, toks, ti, te):
    n = len(toks)
    b = _bounds(s, toks)
    cs = min(ti, n)
    while cs > 0 and not b[cs]:
        cs -= 1
    ce = te
    while ce < n and not b[ce]:
        ce += 1
    return cs, ce
