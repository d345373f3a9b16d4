"""Clauses of a tokenised sentence: where a clause starts and ends (punctuation, subordinators),
and whether a subject is tied to its verb."""
from __future__ import annotations

import re

from .lexicon import BOUND_WORDS, LINK, STATE_FORCE


def _linked(toks, j, ti) -> bool:
    """The subject is tied to the act: only auxiliaries, adverbs, perform-verbs ("carried out",
    "launched") and force nouns ("troops", "forces") between them."""
    unknown = 0
    for k in range(j, ti):
        w = toks[k].key
        if w in LINK or w in STATE_FORCE or w.isdigit():
            continue
        unknown += 1
    return unknown == 0 or (unknown == 1 and ti - j <= 3)


_BCACHE: dict[int, tuple] = {}
_HARD_GAP = re.compile(r'[;:"?!()]| - ')


def _bounds(s, toks):
    key = id(toks)
    hit = _BCACHE.get(key)
    if hit is not None and hit[0] is toks:
        return hit[1]
    n = len(toks)
    b = [True] * (n + 1)
    prev = toks[0] if toks else None
    for k in range(1, n):
        t = toks[k]
        gap = s[prev.end:t.start]
        b[k] = prev.key in BOUND_WORDS or (gap != " " and _HARD_GAP.search(gap) is not None)
        prev = t
    if len(_BCACHE) > 64:
        _BCACHE.clear()
    _BCACHE[key] = (toks, b)
    return b


def _clause(s, toks, ti, te):
    n = len(toks)
    b = _bounds(s, toks)
    cs = min(ti, n)
    while cs > 0 and not b[cs]:
        cs -= 1
    ce = te
    while ce < n and not b[ce]:
        ce += 1
    return cs, ce
