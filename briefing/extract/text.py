"""Text plumbing shared by the extractor: cleaning, sentence splitting, tokenising.

Kept dependency-free and cheap: it runs only on items that passed the trigger pre-filter.
"""

from __future__ import annotations

import html
import re

from .warm import rxc

_TAG = rxc(r"<[^>]+>")
# typographic quotes, dashes and the no-break space to ASCII (replace per character present:
# far cheaper than str.translate with a mapping, which calls back per character)
_TYPO = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u00a0", " "),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u2011", "-"),
    ("\u02bc", "'"),
)
_WS = rxc(r"\s+")


def clean(s: str | None) -> str:
    """HTML entities/tags out, typographic quotes and dashes to ASCII, whitespace collapsed."""
    if not s:
        return ""
    if s.isascii() and s.isprintable() and "&" not in s and "<" not in s and "  " not in s:
        return s.strip()  # nothing to translate or collapse (most feed titles)
    if "&" in s:
        s = html.unescape(s)
    if "<" in s:
        s = _TAG.sub(" ", s)
    if not s.isascii():
        for ch, to in _TYPO:
            if ch in s:
                s = s.replace(ch, to)
    return _WS.sub(" ", s).strip()


_ABBREV = {
    "u.s",
    "u.k",
    "u.n",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "st",
    "no",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "rep",
    "sen",
    "gov",
    "prof",
    "vs",
    "etc",
    "inc",
    "co",
    "corp",
    "jr",
    "sr",
    "adm",
    "a.m",
    "p.m",
    "d.c",
    "e.g",
    "i.e",
    "u.s.a",
    "approx",
}
_SENT_END = rxc(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def sentences(s: str) -> list[tuple[int, str]]:
    """Split into sentences; returns (offset, sentence). Abbreviations (U.S., Gen., Oct.) don't split."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENT_END.finditer(s):
        end = m.start()
        # the word before the period
        j = end
        while j > start and not s[j - 1].isspace():
            j -= 1
        word = s[j:end].lower().strip("\"'(")
        if word in _ABBREV or (len(word) == 1 and word.isalpha()):
            continue
        out.append((start, s[start : m.start() + 1]))
        start = m.end()
    if start < len(s):
        out.append((start, s[start:]))
    if any(len(x) > MAX_SENTENCE for _, x in out):
        out = [piece for o, x in out for piece in _pieces(o, x)]
    return out


# A "sentence" longer than this (run-on text with no full stop, a hostile feed's 5,000-character
# summary) is cut into clauses: the rules look around each trigger within its sentence, so
# their cost grows with the square of its length; clauses keep it linear in the text.
MAX_SENTENCE = 400


def _pieces(off: int, x: str) -> list[tuple[int, str]]:
    out = []
    while len(x) > MAX_SENTENCE:
        cut = max(x.rfind(sep, MAX_SENTENCE // 2, MAX_SENTENCE) for sep in ("; ", ", ", " - "))
        if cut < 0:
            cut = x.rfind(" ", MAX_SENTENCE // 2, MAX_SENTENCE)
        if cut < 0:
            cut = MAX_SENTENCE
        out.append((off, x[: cut + 1].rstrip()))
        rest = x[cut + 1 :]
        skip = len(rest) - len(rest.lstrip())
        off += cut + 1 + skip
        x = rest.lstrip()
    if x:
        out.append((off, x))
    return out


TOKEN = rxc(r"[^\W_](?:[\w'.]*[^\W_])?")


class Tok:
    __slots__ = ("text", "key", "start", "end", "poss", "hyph_next", "upper")

    def __init__(self, text: str, start: int, end: int):
        self.start, self.end = start, end
        poss = text.endswith("'s") and len(text) > 2
        if poss:
            text = text[:-2]
        elif text.endswith("s'") and len(text) > 3:
            text, poss = text[:-1], True
        self.text = text
        self.poss = poss
        self.key = text.lower().replace(".", "")
        self.upper = text[:1].isupper() or text[:1].isdigit()
        self.hyph_next = False


def tokens(s: str) -> list[Tok]:
    """Word tokens of a sentence (the same result as ``Tok(...)`` per match, built inline: this
    runs on every sentence with a trigger)."""
    out: list[Tok] = []
    new = Tok.__new__
    prev: Tok | None = None
    prev_end = -2
    for m in TOKEN.finditer(s):
        a, b = m.span()
        text = m.group()
        t = new(Tok)
        if len(text) > 2 and text[-2:] == "'s":
            text = text[:-2]
            t.poss = True
        else:
            t.poss = False
        t.text = text
        t.start = a
        t.end = b
        k = text.lower()
        t.key = k.replace(".", "") if "." in k else k
        c = text[0]
        t.upper = c.isupper() or c.isdigit()
        t.hyph_next = False
        if a == prev_end + 1 and s[prev_end] == "-":
            assert prev is not None  # prev_end starts at -2: it is a real end once prev is set
            prev.hyph_next = True
        prev, prev_end = t, b
        out.append(t)
    return out


def key_of(name: str) -> str:
    """Lookup key of a lexicon name: the same tokenisation as running text, lower-cased."""
    return " ".join(Tok(m.group(), 0, 0).key for m in TOKEN.finditer(clean(name)))


def trie_pattern(words, prefixes: bool = False) -> str:
    """A regex alternation of literal ``words`` shaped as a trie (one branch per first letter,
    and so on down). Python's ``re`` tries alternatives in turn, so this fails fast at the many
    positions that match nothing. ``prefixes``: a word may be followed by anything (the pattern
    matches any text starting with a word), so longer words under a shorter one are dropped."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node) -> str:
        end = "" in node
        if end and prefixes:
            return ""
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and len(alts[0]) == 1 else "(?:" + "|".join(alts) + ")"
        return body + "?" if end else body

    return emit(tree)
