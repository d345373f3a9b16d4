"""The scores of issue 12, the same definitions as bench/eval.py: per type item-level P/R/F1,
macro-F1 over the three types, and theater / actor set-F1 micro-averaged over items."""

from __future__ import annotations

TYPES = ("incident", "threat", "deployment")


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pairs) -> dict:
    """pairs: (gold record with types/theaters/actors, (types, theaters, actors) predicted)."""
    f1, pr = {}, {}
    for t in TYPES:
        tp = sum(1 for g, p in pairs if t in g["types"] and t in p[0])
        fp = sum(1 for g, p in pairs if t not in g["types"] and t in p[0])
        fn = sum(1 for g, p in pairs if t in g["types"] and t not in p[0])
        P, R, F = _prf(tp, fp, fn)
        f1[t] = F
        pr[t] = (P, R, tp + fn)
    out = {"f1": f1, "pr": pr, "macro_f1": sum(f1.values()) / 3, "n": len(pairs)}
    for k, idx in (("theater", 1), ("actor", 2)):
        tp = sum(len(set(g[k + "s"]) & set(p[idx])) for g, p in pairs)
        npred = sum(len(set(p[idx])) for g, p in pairs)
        ngold = sum(len(set(g[k + "s"])) for g, p in pairs)
        P, R, F = _prf(tp, npred - tp, ngold - tp)
        out[k + "_f1"] = F
        out[k + "_pr"] = (P, R)
    return out


def kappa(a: list[bool], b: list[bool]) -> float:
    """Cohen's kappa for two binary label lists."""
    n = len(a)
    if not n:
        return 0.0
    po = sum(1 for x, y in zip(a, b) if x == y) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0
