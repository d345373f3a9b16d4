"""Possible first letters of a regex match (for dispatching trigger rules by word start).

prefixes(pattern, k) → the set of lower-case strings (k letters, or shorter when a match may be
shorter) that a match can start with, or None when that is unknown; lookarounds and anchors
are zero-width and skipped. A rule is then tried only at words starting with one of them."""

from __future__ import annotations

# re's own parser (Python 3.11+; the sre_* aliases warn on import). Private modules that
# typeshed does not describe: there is no stub to check these against.
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

ANY = None


def prefixes(pattern, k=3):
    """Set of possible lower-case prefixes (length k, or shorter when a match may be shorter) of
    strings matched by ``pattern``; None when unknown (anything)."""
    try:
        tree = P.parse(pattern)
    except Exception:
        return ANY
    res = _seq(list(tree), {""}, k)
    return res


def _chars(av):
    out = set()
    for op, a in av:
        if op is C.LITERAL:
            out.add(chr(a).lower())
        elif op is C.RANGE:
            lo, hi = a
            if hi - lo > 64:
                return ANY
            out.update(chr(c).lower() for c in range(lo, hi + 1))
        else:
            return ANY
    return out


def _seq(items, states, k):
    for op, av in items:
        if all(len(s) >= k for s in states):
            return states
        states = _item(op, av, states, k)
        if states is ANY or len(states) > 20000:
            return ANY
    return states


def _ext(states, chars, k):
    return {s + c if len(s) < k else s for s in states for c in chars}


def _item(op, av, states, k):
    if op is C.LITERAL:
        return _ext(states, {chr(av).lower()}, k)
    if op is C.IN:
        ch = _chars(av)
        return ANY if ch is ANY else _ext(states, ch, k)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return states
    if op is C.SUBPATTERN:
        return _seq(list(av[-1]), states, k)
    if op is C.BRANCH:
        out = set()
        for br in av[1]:
            r = _seq(list(br), states, k)
            if r is ANY:
                return ANY
            out |= r
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        lo, hi, sub = av
        out = set()
        cur = states
        for r in range(0, k + 1):
            if r >= lo:
                out |= cur
            if r >= hi if hi is not C.MAXREPEAT else False:
                break
            cur = _seq(list(sub), cur, k)
            if cur is ANY:
                return ANY
        out |= cur
        return out
    return ANY
