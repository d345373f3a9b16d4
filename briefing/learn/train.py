"""Train the extractor's decisions from the labelled corpus (issue 12) — one command:

    python -m briefing.learn.train ../shared/data            # writes briefing/extract/model.json
    python -m briefing.learn.train ../shared/data --curve    # also the learning curve on test

Three decisions, each a logistic regression over the strings of ``extract/features.py``:
  1. item types: one binary model per type (incident, threat, deployment);
  2. theater: every theater candidate of an item scored "is it one of the item's theaters";
  3. actor: every actor candidate scored "is it an initiator of one of the item's events".
Choices (regularisation, thresholds) are made by 5-fold cross-validation on the train split
only; the test split (a held-out outlet plus a held-out fortnight, ``corpus.split_of``) is
scored once, at the end, and never feeds back into a choice. Deterministic: fixed folds, a
deterministic solver, sorted features. Training needs scikit-learn; tagging does not (the
weights are written out as a plain dictionary).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from pathlib import Path
from typing import Any

from ..extract.features import TYPES, Features, featurize
from ..extract.learned import pick, prob
from .corpus import CORPUS, load_items, load_labels
from .metrics import score

MODEL = Path(__file__).resolve().parents[1] / "extract" / "model.json"
CS = (1.0, 3.0)
CAND_CS = (1.0,)


def _fit(rows: list[list[str]], y: list[int], C: float, balanced: bool = False, weights=None):
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return None
    vocab: dict[str, int] = {}
    indptr, indices = [0], []
    for r in rows:
        for f in sorted(set(r)):
            indices.append(vocab.setdefault(f, len(vocab)))
        indptr.append(len(indices))
    X = csr_matrix(
        (np.ones(len(indices)), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
        shape=(len(rows), len(vocab)),
    )
    clf = LogisticRegression(
        C=C, solver="liblinear", max_iter=2000, random_state=0, class_weight="balanced" if balanced else None
    )
    clf.fit(X, np.asarray(y), sample_weight=None if weights is None else np.asarray(weights, dtype=float))
    names = sorted(vocab, key=vocab.__getitem__)
    w = {n: round(float(c), 4) for n, c in zip(names, clf.coef_[0]) if abs(c) >= 1e-3}
    return {"bias": round(float(clf.intercept_[0]), 4), "w": dict(sorted(w.items()))}


PRUNE = 0.01  # weights smaller than this change no decision (checked: 11 of 16,968 pool items
# differ at 0.02) and would triple the file and its load time


def export(model: dict) -> dict:
    """The shipped form: the three type models as one table (one look-up per feature at tag
    time, no table to build at load), weights under PRUNE dropped."""
    types = model["types"]
    feats = sorted({f for t in TYPES for f, w in types[t]["w"].items() if abs(w) >= PRUNE})
    out = {k: v for k, v in model.items() if k != "types"}
    out["types"] = {
        "bias": [types[t]["bias"] for t in TYPES],
        "w": {f: [types[t]["w"].get(f, 0.0) for t in TYPES] for f in feats},
    }
    for key in ("theater", "actor"):
        out[key] = {
            "bias": model[key]["bias"],
            "w": {f: w for f, w in model[key]["w"].items() if abs(w) >= PRUNE},
        }
    return out


def _fold(i: str) -> int:
    return zlib.crc32(i.encode()) % 5


# Examples written for the project teach phrasings the pools lack, but they are cleaner and more
# threat- and deployment-heavy than real feeds: counted at this weight they help cross-validated
# scores on real items most (macro-F1 0.628 at 0.25, 0.624 at 0.5, 0.625 at 1.0).
WRITTEN_WEIGHT = 0.25


def _weight(i: str) -> float:
    return WRITTEN_WEIGHT if i.startswith("written:") else 1.0


def fit_all(feats: dict[str, Features], gold: dict[str, dict], ids: list[str], C: float, Cc: float) -> dict:
    model: dict = {"types": {}}
    for t in TYPES:
        model["types"][t] = _fit(
            [feats[i].item for i in ids],
            [int(t in gold[i]["types"]) for i in ids],
            C,
            balanced=True,
            weights=[_weight(i) for i in ids],
        )
    for key, field in (("theater", "theaters"), ("actor", "actors")):
        rows, y, wts = [], [], []
        for i in ids:
            if not gold[i]["types"]:
                continue
            cands = feats[i].theaters if key == "theater" else feats[i].actors
            for c, fs in cands.items():
                rows.append(fs)
                wts.append(_weight(i))
                y.append(int(c in gold[i][field]))
        model[key] = _fit(rows, y, Cc, weights=wts)
    return model


def _cv_probs(feats, gold, ids, C, Cc, extra=()):
    """Out-of-fold decisions' raw scores for threshold tuning (``extra``: written examples,
    in every training fold, never scored)."""
    rows = {}
    for k in range(5):
        tr = [i for i in ids if _fold(i) != k] + list(extra)
        te = [i for i in ids if _fold(i) == k]
        m = fit_all(feats, gold, tr, C, Cc)
        for i in te:
            f = feats[i]
            rows[i] = (
                {t: prob(m["types"][t], f.item) for t in TYPES},
                {c: prob(m["theater"], fs) for c, fs in f.theaters.items()},
                {c: prob(m["actor"], fs) for c, fs in f.actors.items()},
            )
    return rows


def _apply(probs, th):
    ps, pth, pac = probs
    types = [t for t in TYPES if ps[t] >= th["type"][t]]
    if not types:
        return [], [], []
    return types, pick(pth, th, "theater"), pick(pac, th, "actor")


def tune(cv, gold) -> tuple[dict, dict]:
    """Thresholds that maximise the cross-validated scores, one decision at a time."""
    th: dict[str, Any] = {
        "type": {t: 0.5 for t in TYPES},
        "theater": 0.5,
        "theater_top": 0.2,
        "actor": 0.5,
        "actor_top": 0.3,
    }
    grid = [x / 40 for x in range(1, 39)]
    ids = list(cv)
    for t in TYPES:
        best = max(
            grid,
            key=lambda g: (
                score([(gold[i], _apply(cv[i], {**th, "type": {**th["type"], t: g}})) for i in ids])["f1"][t],
                -abs(g - 0.5),
            ),
        )
        th["type"][t] = best
    for key, metric in (("theater", "theater_f1"), ("actor", "actor_f1")):
        for sub in (key, key + "_top"):
            best = max(
                grid + [1.01],
                key=lambda g: (
                    score([(gold[i], _apply(cv[i], {**th, sub: g})) for i in ids])[metric],
                    -abs(g - 0.5),
                ),
            )
            th[sub] = best
    return th, score([(gold[i], _apply(cv[i], th)) for i in ids])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m briefing.learn.train", description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, nargs="?", default=Path("../shared/data"))
    ap.add_argument("--labels", type=Path, default=CORPUS / "labels.jsonl")
    ap.add_argument("--out", type=Path, default=MODEL)
    ap.add_argument("--curve", action="store_true", help="also train on 500/1000/2000/all and score test")
    ap.add_argument("--test", action="store_true", help="score the test split (once per change)")
    ap.add_argument(
        "--no-written",
        dest="written",
        action="store_false",
        help="leave out the examples written for the project (corpus/written/)",
    )
    ap.add_argument("--quick", action="store_true", help="fixed C, no search (for trying features)")
    ap.add_argument(
        "--written-only",
        action="store_true",
        help="train on corpus/written/ alone (no data folder needed; the tests use it)",
    )
    a = ap.parse_args(argv)
    if not a.written_only and not (a.data / "pool-2023q4").is_dir():
        print(f"train: skipped ({a.data} has no pool-2023q4)")
        return 0
    t0 = time.time()
    from ..extract import Extractor

    x = Extractor(rules_only=True)
    items = {} if a.written_only else load_items(a.data)
    gold = {} if a.written_only else load_labels(a.labels)
    sample = {json.loads(line)["id"]: json.loads(line) for line in (CORPUS / "sample.jsonl").open()}
    ids = sorted(i for i in gold if i in items and i in sample)
    feats = {i: featurize(x.rules, items[i].title, items[i].summary, items[i].date) for i in ids}
    train = [i for i in ids if sample[i]["split"] == "train"]
    test = [i for i in ids if sample[i]["split"] == "test"]
    # examples written for the project (our own text, kept in the repository): training only
    written = []
    for f in sorted((CORPUS / "written").glob("*.jsonl")) if a.written else []:
        for line in f.open(encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                wid = "written:" + r["id"]
                gold[wid] = r
                feats[wid] = featurize(x.rules, r["title"], r.get("summary", ""))
                written.append(wid)
    print(
        f"corpus: {len(ids)} labelled items, train {len(train)}, test {len(test)}, written {len(written)} "
        f"(features {time.time() - t0:.1f} s)"
    )
    if a.written_only:
        train, written = written, []
    best: tuple[float, float, float, dict, dict] | None = None
    grid = [(1.0, 1.0)] if a.quick else [(C, Cc) for C in CS for Cc in CAND_CS]
    for C, Cc in grid:
        cv = _cv_probs(feats, gold, train, C, Cc, written)
        th, s = tune(cv, gold)
        key = s["macro_f1"] + s["theater_f1"] + s["actor_f1"]
        report(f"cv C={C} Cc={Cc}", s)
        if best is None or key > best[0]:
            best = (key, C, Cc, th, s)
    assert best is not None  # the grid is never empty
    _, C, Cc, th, s = best
    report(
        "cv rules only",
        score(
            [
                (
                    gold[i],
                    (list(feats[i].rule.types), list(feats[i].rule.theaters), list(feats[i].rule.actors)),
                )
                for i in train
            ]
        ),
    )
    model = fit_all(feats, gold, train + written, C, Cc)
    model["thresholds"] = th
    model = export(model)
    model["trained_on"] = {
        "items": len(train),
        "written": len(written),
        "C": C,
        "C_candidates": Cc,
        "cv": {k: round(v, 4) for k, v in s.items() if isinstance(v, float)},
    }
    a.out.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"model: {a.out} ({a.out.stat().st_size / 1e6:.1f} MB), C={C} Cc={Cc}, trained in {time.time() - t0:.0f} s"
    )
    if not a.test:
        return 0

    # the test split, through the tagger itself (the same path as `briefing tag`)
    def test_score(m: dict | None) -> dict:
        tagger = Extractor(rules_only=m is None, model=m)
        pairs = []
        for i in test:
            t = tagger.tag(items[i].title, items[i].summary, items[i].date)
            pairs.append((gold[i], (list(t.types), list(t.theaters), list(t.actors))))
        return score(pairs)

    report("test (rules only)", test_score(None))
    report("test (learned)", test_score(model))
    if a.curve:
        import random

        order = sorted(train)
        random.Random(0).shuffle(order)
        for n in (500, 1000, 2000, len(order)):
            m = fit_all(feats, gold, order[:n] + written, C, Cc)
            m["thresholds"] = th
            report(f"curve n={n}", test_score(export(m)))
    return 0


def report(name: str, s: dict) -> None:
    print(
        f"  {name:<22} macro-F1 {s['macro_f1']:.3f} (incident {s['f1']['incident']:.3f}, threat "
        f"{s['f1']['threat']:.3f}, deployment {s['f1']['deployment']:.3f})  theater-F1 "
        f"{s['theater_f1']:.3f}  actor-F1 {s['actor_f1']:.3f}  n={s['n']}"
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
