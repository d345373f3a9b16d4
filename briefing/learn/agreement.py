"""Inter-annotator agreement on the double-labelled items (issue 12).

    python -m briefing.learn.agreement            # reads corpus/labels-a.jsonl, labels-b.jsonl

`labels-a.jsonl` holds every item's first label, `labels-b.jsonl` a second, blind label of
about 10 % of them by another annotator; `labels.jsonl` is the adjudicated corpus (where the
two disagreed, the adjudicator's decision, recorded in `adjudication.jsonl`). Prints Cohen's κ
per type, and theater / actor agreement as set-F1 of one annotator against the other and as
the share of items where the two sets are identical.
"""

from __future__ import annotations

import sys

from .corpus import CORPUS, load_labels
from .metrics import TYPES, kappa, score


def report(a: dict[str, dict], b: dict[str, dict]) -> dict:
    ids = sorted(set(a) & set(b))
    out: dict[str, float] = {"n": len(ids)}
    for t in TYPES:
        out[f"kappa_{t}"] = kappa([t in a[i]["types"] for i in ids], [t in b[i]["types"] for i in ids])
    s = score([(a[i], (b[i]["types"], b[i]["theaters"], b[i]["actors"])) for i in ids])
    out["theater_f1"] = s["theater_f1"]
    out["actor_f1"] = s["actor_f1"]
    both = [i for i in ids if a[i]["types"] and b[i]["types"]]
    out["theater_same"] = sum(set(a[i]["theaters"]) == set(b[i]["theaters"]) for i in both) / max(
        1, len(both)
    )
    out["actor_same"] = sum(set(a[i]["actors"]) == set(b[i]["actors"]) for i in both) / max(1, len(both))
    out["both_event_items"] = len(both)
    return out


def main(argv: list[str]) -> int:
    a = load_labels(CORPUS / "labels-a.jsonl")
    b = load_labels(CORPUS / "labels-b.jsonl")
    r = report(a, b)
    print(f"double-labelled items: {r['n']} (both annotators saw an event: {r['both_event_items']})")
    for t in TYPES:
        print(f"  Cohen's kappa {t:<11} {r[f'kappa_{t}']:.3f}")
    print(f"  theater set-F1 {r['theater_f1']:.3f}, identical sets {r['theater_same']:.1%}")
    print(f"  actor   set-F1 {r['actor_f1']:.3f}, identical sets {r['actor_same']:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
