"""`briefing tag [FILE|-]`: JSON Lines in, JSON Lines out, one line per input line, same order.

In: {"id", "title", "summary"} (+ optional "date", "source"). Out: {"id", "types", "theaters",
"actors", "events": [{"type", "theater", "actors", "targets", "fatalities", "text", "cues"}]}.
A malformed line gives {"id": …, "error": "…"} instead of a crash. Imports are kept minimal
(json, sys, the extractor) so the command starts fast; large inputs (≥ 4,000 lines) are
tagged on two processes (this one and one forked child, lines interleaved so both get the same
mix of conflict news and the rest; order preserved).
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
        import gc

        from .extractor import Extractor
        _X = Extractor()
        # the taxonomy is a large, permanent heap: keep it out of every collection (and out of
        # copy-on-write page copies in forked workers); tagging makes no reference cycles, so
        # collections are rare
        gc.freeze()
        gc.set_threshold(50_000, 50, 50)
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
        return '{"id": ' + json.dumps(rid) + _EMPTY_TAIL
    return json.dumps({
        "id": rid, "types": list(t.types), "theaters": list(t.theaters), "actors": list(t.actors),
        "events": [{"type": e.type, "theater": e.theater, "actors": list(e.actors), "targets": list(e.targets),
                    "fatalities": e.fatalities, "text": e.text, "cues": list(e.cues)} for e in t.events]},
        ensure_ascii=False)


_EMPTY_TAIL = ', "types": [], "theaters": [], "actors": [], "events": []}'


def _chunk(lines: list[str]) -> list[str]:
    return [_one(x) for x in lines]


def _forked(lines: list[str], jobs: int) -> list[str]:
    """Tag ``lines`` on ``jobs`` processes: this one takes lines 0, jobs, 2·jobs…, forked child k
    takes lines k, k+jobs, …; each child sends its JSON lines back through a pipe. A child that
    fails is redone here."""
    _extractor()  # load once, shared copy-on-write with the children
    kids = []
    for k in range(1, jobs):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            code = 1
            try:
                os.close(r)
                data = "\n".join(_chunk(lines[k::jobs])).encode("utf-8")
                with os.fdopen(w, "wb") as fh:
                    fh.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        kids.append((k, pid, r))
    parts: list[list[str] | None] = [None] * jobs
    parts[0] = _chunk(lines[0::jobs])
    for k, pid, r in kids:
        with os.fdopen(r, "rb") as fh:
            data = fh.read().decode("utf-8")
        _, status = os.waitpid(pid, 0)
        want = len(lines[k::jobs])
        got = data.split("\n") if data else []
        parts[k] = got if status == 0 and len(got) == want else _chunk(lines[k::jobs])
    out: list[str] = [""] * len(lines)
    for k, part in enumerate(parts):
        out[k::jobs] = part
    return out


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
    if jobs > 1 and len(lines) >= 2 * jobs and hasattr(os, "fork"):
        res = _forked(lines, jobs)
    else:
        res = [_one(x) for x in lines]
    if res:
        out.write("\n".join(res))
        out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
