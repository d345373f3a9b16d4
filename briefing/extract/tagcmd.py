"""`briefing tag [FILE|-]`: JSON Lines in, JSON Lines out, one line per input line, same order.

In: {"id", "title", "summary"} (+ optional "date", "source"). Out: {"id", "types", "theaters",
"actors", "events": [{"type", "theater", "actors", "targets", "fatalities", "text", "cues"}]}.
A malformed line gives {"id": …, "error": "…"} instead of a crash. Imports are kept minimal
(json, sys, the extractor) so the command starts fast; large inputs (≥ 4,000 lines) are
tagged on two worker processes, order preserved.
"""
from __future__ import annotations

import json
import os
import sys

_BIG = 4000
_X = None


def _extractor():
    global _X
    if _X is None:
        from .extractor import Extractor
        _X = Extractor()
    return _X


def _one(line: str) -> str:
    line = line.strip()
    if not line:
        return json.dumps({"id": None, "error": "empty line"})
    try:
        rec = json.loads(line)
    except ValueError as exc:
        return json.dumps({"id": None, "error": f"invalid JSON: {exc}"})
    if not isinstance(rec, dict):
        return json.dumps({"id": None, "error": "expected a JSON object"})
    rid = rec.get("id")
    title, summary = rec.get("title"), rec.get("summary", rec.get("description"))
    if title is None and summary is None:
        return json.dumps({"id": rid, "error": "missing title and summary"})
    if not isinstance(title or "", str) or not isinstance(summary or "", str):
        return json.dumps({"id": rid, "error": "title and summary must be strings"})
    try:
        t = _extractor().tag(title or "", summary or "", rec.get("date"))
    except Exception as exc:  # never let one item stop the stream
        return json.dumps({"id": rid, "error": f"{type(exc).__name__}: {exc}"})
    if not t.events:
        return json.dumps({"id": rid, "types": [], "theaters": [], "actors": [], "events": []})
    return json.dumps({
        "id": rid, "types": list(t.types), "theaters": list(t.theaters), "actors": list(t.actors),
        "events": [{"type": e.type, "theater": e.theater, "actors": list(e.actors), "targets": list(e.targets),
                    "fatalities": e.fatalities, "text": e.text, "cues": list(e.cues)} for e in t.events]},
        ensure_ascii=False)


def _chunk(lines: list[str]) -> list[str]:
    return [_one(x) for x in lines]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    jobs = None
    if "--jobs" in argv:
        i = argv.index("--jobs")
        jobs = int(argv[i + 1])
        del argv[i:i + 2]
    if any(a in ("-h", "--help") for a in argv):
        print("usage: briefing tag [--jobs N] [FILE|-]   JSON Lines in ({id,title,summary[,date,source]}), JSON Lines out")
        return 0
    path = argv[0] if argv else "-"
    try:
        fh = sys.stdin if path == "-" else open(path, encoding="utf-8")
    except OSError as exc:
        print(f"briefing tag: {exc}", file=sys.stderr)
        return 2
    with fh:
        lines = fh.read().splitlines()
    out = sys.stdout
    if jobs is None:
        jobs = min(2, os.cpu_count() or 1) if len(lines) >= _BIG else 1
    if jobs > 1 and len(lines) >= 2 * jobs:
        import multiprocessing as mp
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        _extractor()  # load once in the parent, shared copy-on-write with the workers
        step = (len(lines) + jobs - 1) // jobs
        parts = [lines[i:i + step] for i in range(0, len(lines), step)]
        with ctx.Pool(jobs) as pool:
            for res in pool.map(_chunk, parts):
                out.write("\n".join(res))
                out.write("\n")
    else:
        out.write("\n".join(_one(x) for x in lines))
        if lines:
            out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
