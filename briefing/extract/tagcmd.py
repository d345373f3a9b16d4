"""`briefing tag [FILE|-]`: JSON Lines in, JSON Lines out, one line per input line, same order.

In: {"id", "title", "summary"} (+ optional "date", "source"). Out: {"id", "types", "theaters",
"actors", "events": [{"type", "theater", "actors", "targets", "fatalities", "text", "cues"}]}.
A malformed line gives {"id": …, "error": "…"} instead of a crash. Imports are kept minimal
(json, sys, the extractor) so the command starts fast; large inputs (≥ 4,000 lines or 1 MB) are
tagged on two processes (this one and one forked child taking chunks of lines from a shared
queue, so a process slowed down by other load takes fewer; order preserved).
"""

from __future__ import annotations

import json
import os
import sys

_BIG = 4000  # lines: below this, forking a second process costs more than it saves…
_BIG_BYTES = 1_000_000  # …unless the lines are long (whole articles, run-on summaries)
_X = None


def use(extractor) -> None:
    """Tag with this extractor (built with a config's taxonomy overrides) instead of the default."""
    global _X
    _X = extractor


def _extractor():
    global _X
    if _X is None:
        import gc

        from .learned import Extractor

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
        rec = _loads(line)
    except ValueError as exc:
        return json.dumps({"id": None, "error": f"invalid JSON: {exc}"})
    except RecursionError:
        return json.dumps({"id": None, "error": "invalid JSON: nested too deeply"})
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
        return '{"id": ' + (_quote(rid) if type(rid) is str else json.dumps(rid)) + _EMPTY_TAIL
    return json.dumps(
        {
            "id": rid,
            "types": list(t.types),
            "theaters": list(t.theaters),
            "actors": list(t.actors),
            "events": [
                {
                    "type": e.type,
                    "theater": e.theater,
                    "actors": list(e.actors),
                    "targets": list(e.targets),
                    "fatalities": e.fatalities,
                    "text": e.text,
                    "cues": list(e.cues),
                }
                for e in t.events
            ],
        },
        ensure_ascii=False,
    )


_EMPTY_TAIL = ', "types": [], "theaters": [], "actors": [], "events": []}'
# json.loads / json.dumps(str) without their Python wrappers (most lines are one small object
# with no event: the wrappers were a tenth of the command's time on them)
# typeshed does not declare scan_once (JSONDecoder.__init__ sets it: the C scanner)
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_quote = json.encoder.encode_basestring_ascii


def _loads(line: str):
    try:
        obj, end = _scan(line, 0)
        if end == len(line):
            return obj
    except StopIteration:
        pass
    return json.loads(line)  # not one whole JSON document: json's own error message


def _chunk(lines: list[str]) -> list[str]:
    return [_one(x) for x in lines]


def _forked(lines: list[str], jobs: int) -> list[str]:
    """Tag ``lines`` on ``jobs`` processes that share the work dynamically: the lines are cut
    into chunks, one byte per chunk waits in a pipe, and each process (this one and forked
    children) takes the next byte until the pipe is empty — a process slowed down by other load
    on the machine simply takes fewer chunks. A child sends back its chunks' JSON lines through
    a pipe of its own; a chunk a failed child took is redone here. Order is preserved."""
    _extractor()  # load once, shared copy-on-write with the children
    n_chunks = min(250, len(lines), max(jobs * 8, len(lines) // 400))
    size = -(-len(lines) // n_chunks)
    chunks = [lines[k * size : (k + 1) * size] for k in range(n_chunks)]
    tr, tw = os.pipe()
    os.write(tw, bytes(range(n_chunks)))  # < 64 KiB: never blocks
    os.close(tw)  # readers see EOF once every chunk is taken

    def work(emit) -> None:
        while True:
            b = os.read(tr, 1)  # one byte: atomic between the processes
            if not b:
                return
            emit(b[0], _chunk(chunks[b[0]]))

    kids = []
    for _ in range(1, jobs):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: "<chunk id>\t<line count>\n" then the lines, per chunk
            code = 1
            try:
                os.close(r)
                # buffered, written at the end: the parent reads only when its own share is done,
                # and a full pipe would stall this process mid-work
                buf: list[str] = []
                work(
                    lambda k, out: buf.append(  # noqa: B023 - called before the loop moves on
                        f"{k}\t{len(out)}\n" + "".join(x + "\n" for x in out)
                    )
                )
                with os.fdopen(w, "wb") as fh:
                    fh.write("".join(buf).encode("utf-8"))
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        kids.append((pid, r))
    done: dict[int, list[str]] = {}
    work(done.__setitem__)
    os.close(tr)
    for pid, r in kids:
        with os.fdopen(r, "rb") as src:
            data = src.read().decode("utf-8").split("\n")
        _, status = os.waitpid(pid, 0)
        i = 0
        while status == 0 and i < len(data) and data[i]:
            k, count = map(int, data[i].split("\t"))
            done[k] = data[i + 1 : i + 1 + count]
            i += 1 + count
    out: list[str] = []
    for k in range(n_chunks):
        part = done.get(k)
        out.extend(part if part is not None and len(part) == len(chunks[k]) else _chunk(chunks[k]))
    return out


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    jobs = None
    if "--jobs" in argv:
        i = argv.index("--jobs")
        jobs = int(argv[i + 1])
        del argv[i : i + 2]
    if any(a in ("-h", "--help") for a in argv):
        print(
            "usage: briefing tag [--jobs N] [FILE|-]   JSON Lines in ({id,title,summary[,date,source]}), JSON Lines out"
        )
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
        big = len(lines) >= _BIG or sum(map(len, lines)) >= _BIG_BYTES
        jobs = min(2, os.cpu_count() or 1) if big else 1
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
