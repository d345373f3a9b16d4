"""Gather the annotators' label files into the corpus (issue 12).

    python -m briefing.learn.collect ANNOTATION_DIR

ANNOTATION_DIR holds one folder per annotator (`h0/`, `h1/`, …) with `labels*.jsonl`, and
`assign.json` saying which annotator owns each item (`owner`) and which items were labelled a
second time, blind, by the next annotator (`double`). Writes `corpus/labels-a.jsonl` (the
owner's labels), `corpus/labels-b.jsonl` (the second labels) and, when
`corpus/adjudication.jsonl` exists, `corpus/labels.jsonl` = labels-a with the adjudicated
records in place. Names are normalised to the taxonomy's canonical theater and actor names
("U.S." → United States, "IDF" → Israel) so annotators' spellings do not count as
disagreement.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..extract.taxonomy import load_taxonomy
from ..extract.text import clean
from .corpus import CORPUS, load_items  # noqa: F401  (load_items: for callers checking ids)

TYPES = ("incident", "threat", "deployment")
_ALIASES = {
    "us": "United States",
    "usa": "United States",
    "u.s.": "United States",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "idf": "Israel",
    "isis": "Islamic State",
    "isil": "Islamic State",
    "is": "Islamic State",
    "houthi": "Houthis",
    "ansar allah": "Houthis",
    "gaza strip": "Gaza",
    "drc": "Democratic Republic of the Congo",
    "dr congo": "Democratic Republic of the Congo",
    "congo": "Democratic Republic of the Congo",
    "russian federation": "Russia",
    "south china sea": "South China Sea",
    "caribbean sea": "Caribbean",
    "the caribbean": "Caribbean",
    "islamic state (isis)": "Islamic State",
    "north atlantic treaty organization": "NATO",
}


class Normaliser:
    def __init__(self) -> None:
        self.tax = load_taxonomy()

    def _entry(self, name: str):
        from ..extract.taxonomy import key_of

        return self.tax.index.get(key_of(name))

    def theater(self, name: str) -> str:
        n = clean(name).strip()
        if n in self.tax.theaters:
            return n
        if n.lower() in _ALIASES:
            return _ALIASES[n.lower()]
        e = self._entry(n)
        if e is not None and e.place:
            return e.place
        return n

    def actor(self, name: str) -> str:
        n = clean(name).strip()
        if n.lower() in _ALIASES:
            return _ALIASES[n.lower()]
        if n in self.tax.theaters and self.tax.theaters[n] == "country":
            return n
        e = self._entry(n)
        if e is not None:
            return e.parent or e.demonym or e.place or n
        return n

    def record(self, r: dict) -> dict:
        types = [t for t in TYPES if t in (r.get("types") or [])]
        ths = list(dict.fromkeys(self.theater(x) for x in (r.get("theaters") or []) if x)) if types else []
        acs = list(dict.fromkeys(self.actor(x) for x in (r.get("actors") or []) if x)) if types else []
        out = {"id": r["id"], "types": types, "theaters": ths, "actors": acs}
        if r.get("note"):
            out["note"] = str(r["note"])[:200]
        return out


def main(argv: list[str]) -> int:
    d = Path(argv[0])
    assign = json.loads((d / "assign.json").read_text())
    owner: dict[str, int] = {k: int(v) for k, v in assign["owner"].items()}
    double = set(assign["double"])
    norm = Normaliser()
    a: dict[str, dict] = {}
    b: dict[str, dict] = {}
    bad = 0
    # h<k>/: first round (annotator k); r<k>/: second round, single-labelled (owner 100 + k)
    for hdir in sorted([*d.glob("h[0-9]*"), *d.glob("r[0-9]*")]):
        h = int(hdir.name[1:]) + (100 if hdir.name[0] == "r" else 0)
        for f in sorted(hdir.glob("labels*.jsonl")):
            for line in f.open(encoding="utf-8"):
                line = line.strip()
                if not line:
                    continue
                try:
                    r = norm.record(json.loads(line))
                except (ValueError, KeyError, TypeError):
                    bad += 1
                    continue
                i = r["id"]
                if i not in owner:
                    bad += 1
                    continue
                if owner[i] == h:
                    a[i] = r
                elif i in double and (owner[i] + 1) % 8 == h:
                    b[i] = r
                else:
                    bad += 1
    CORPUS.mkdir(exist_ok=True)
    for name, recs in (("labels-a.jsonl", a), ("labels-b.jsonl", b)):
        with (CORPUS / name).open("w", encoding="utf-8") as fh:
            for i in sorted(recs):
                fh.write(json.dumps(recs[i], ensure_ascii=False) + "\n")
    # corrections, in order: the consistency review of first-round items against the notes'
    # later decisions (review.jsonl), then the adjudication of double-label disagreements
    final = dict(a)
    corrected = 0
    for name in ("review.jsonl", "adjudication.jsonl"):
        path = CORPUS / name
        if path.exists():
            for line in path.open(encoding="utf-8"):
                if line.strip():
                    r = norm.record(json.loads(line))
                    if r["id"] in final:
                        final[r["id"]] = r
                        corrected += 1
    with (CORPUS / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for i in sorted(final):
            r = {k: v for k, v in final[i].items() if k != "note"}
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(
        f"labels-a {len(a)} / {len(owner)} items, labels-b {len(b)} / {len(double)}, "
        f"final {len(final)} ({corrected} corrected), unusable lines {bad}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
