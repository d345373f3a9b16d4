"""Run feedparser's own test corpus through our parse stage and count what happens.

Usage: python bench/feedparser_suite.py DATA_DIR [--limit SECONDS]
Reads DATA_DIR/feedparser-suite/**; each file's bytes are wrapped in a Fetched and given to
``parse_feed``. A worker process parses the files one by one; the parent kills and restarts it
when a file exceeds the per-file limit (a hang must not hold the bench). Prints: files, parsed
with items, clean per-feed errors, empty feeds, crashes (must be 0), hangs (must be 0), leaks
(an item link that is not http(s), or "<script" in a title or summary) and bad items (naive
date, over-long text).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
import traceback
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NOW = datetime(2026, 2, 18, 6, 0, tzinfo=UTC)


def check(path: Path, root: Path) -> tuple[str, str]:
    """Parse one file; return (outcome, detail). Runs in the worker."""
    from briefing.ingest.parse import MAX_SUMMARY, MAX_TITLE, parse_feed
    from briefing.model import Fetched, Source

    rel = path.relative_to(root).as_posix()
    url = f"http://feeds.example.test/{rel}"
    fetched = Fetched(source=Source(rel, url), ok=True, body=path.read_bytes(), status=200, final_url=url)
    try:
        feed = parse_feed(fetched, NOW)
    except Exception:  # noqa: BLE001 - exactly what we are counting
        return "crash", traceback.format_exc(limit=3).strip().splitlines()[-1]
    if feed.error:
        if "\n" in feed.error or not feed.error.strip():
            return "bad_error", repr(feed.error)
        return "error", feed.error
    for item in feed.items:
        if item.link and not item.link.startswith(("http://", "https://")):
            return "leak", f"link {item.link[:80]!r}"
        if "<script" in (item.title + item.summary).lower():
            return "leak", "<script in text"
        if item.published.tzinfo is None or len(item.title) > MAX_TITLE or len(item.summary) > MAX_SUMMARY:
            return "bad_item", item.uid[:80]
    return ("items" if feed.items else "empty"), str(len(feed.items))


def worker(conn, root: str) -> None:
    while True:
        path = conn.recv()
        if path is None:
            return
        start = time.perf_counter()
        outcome, detail = check(Path(path), Path(root))
        conn.send((outcome, detail, time.perf_counter() - start))


class Runner:
    """A restartable worker process fed one path at a time."""

    def __init__(self, root: Path) -> None:
        self.root, self.proc, self.conn = root, None, None

    def start(self) -> None:
        parent, child = mp.Pipe()
        self.proc = mp.Process(target=worker, args=(child, str(self.root)), daemon=True)
        self.proc.start()
        self.conn = parent

    def run(self, path: Path, limit: float) -> tuple[str, str, float]:
        if self.proc is None or not self.proc.is_alive():
            self.start()
        self.conn.send(str(path))
        if self.conn.poll(limit):
            try:
                return self.conn.recv()
            except EOFError:  # the worker died (segfault, OOM): a crash, not a hang
                self.proc = None
                return "crash", "worker process died", limit
        self.proc.kill()  # a hang: kill it, the next file gets a fresh worker
        self.proc.join()
        self.proc = None
        return "hang", f"no answer within {limit:g} s", limit

    def stop(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.conn.send(None)
            self.proc.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--limit", type=float, default=10.0, help="seconds per file (default 10)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every non-clean file")
    args = ap.parse_args(argv)
    root = args.data_dir / "feedparser-suite"
    if not root.is_dir():
        print(f"skipped: {root} not found")
        return 0
    files = sorted(p for p in root.rglob("*") if p.is_file())
    runner, counts, notes, slowest = Runner(root), Counter(), [], (0.0, "")
    start = time.perf_counter()
    for path in files:
        outcome, detail, seconds = runner.run(path, args.limit)
        counts[outcome] += 1
        slowest = max(slowest, (seconds, path.relative_to(root).as_posix()))
        if outcome not in ("items", "error", "empty"):
            notes.append(f"  {outcome}: {path.relative_to(root)}: {detail}")
        elif args.verbose and outcome == "error":
            notes.append(f"  error: {path.relative_to(root)}: {detail}")
    runner.stop()
    wall = time.perf_counter() - start
    leaks = counts["leak"] + counts["bad_item"]
    print(f"files: {len(files)}")
    print(f"parsed with items: {counts['items']}")
    print(f"valid but empty: {counts['empty']}")
    print(f"clean per-feed errors: {counts['error']}")
    print(f"crashes: {counts['crash'] + counts['bad_error']}")
    print(f"hangs: {counts['hang']}")
    print(f"leaks: {leaks}")
    print(f"wall: {wall:.1f} s, slowest file: {slowest[0]:.2f} s ({slowest[1]})")
    for line in notes if args.verbose else notes[:50]:
        print(line)
    return 1 if counts["crash"] + counts["bad_error"] + counts["hang"] + leaks else 0


if __name__ == "__main__":
    sys.exit(main())
