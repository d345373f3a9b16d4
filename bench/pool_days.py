"""Real news days through the whole pipeline: the six feeds of DATA_DIR/pool-2023q4, served as
RSS on 127.0.0.1, one `briefing run` per day (so the store has history for trends), then the
merge statistics of the last day and a sample of merges to check by hand.

    python bench/pool_days.py ../shared/data --first 2023-10-01 --last 2023-10-08 [--out DIR]

Skips cleanly when the data folder is absent. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import loopback  # bench/loopback.py: the scripts' folder is on sys.path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def load_pool(folder: Path) -> dict[str, list[dict]]:
    feeds = {}
    for p in sorted(folder.glob("*.jsonl")):
        rows = [json.loads(line) for line in p.open(encoding="utf-8")]
        for r in rows:
            r["dt"] = datetime.fromisoformat(r["date_published"])
        feeds[p.stem] = rows
    return feeds


def rss(name: str, rows: list[dict]) -> bytes:
    items = "".join(
        f"<item><title>{escape(r['title'] or '')}</title><link>{escape(r['link'])}</link>"
        f"<guid>{escape(r['link'])}</guid><description>{escape(r.get('description') or '')}</description>"
        f"<pubDate>{format_datetime(r['dt'])}</pubDate></item>"
        for r in rows
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(name)}</title>'
        f"<link>https://example.org/</link><description>replay</description>{items}</channel></rss>"
    ).encode()


class Replay:
    """Serves each feed as it looked at time `now`: its items of the previous 36 hours."""

    def __init__(self, feeds: dict[str, list[dict]]):
        self.feeds, self.now = feeds, datetime.now(UTC)
        outer = self

        def body_for(path: str) -> bytes | None:
            name = path.strip("/").removesuffix(".xml")
            rows = outer.feeds.get(name)
            if rows is None:
                return None
            return rss(name, [r for r in rows if outer.now - timedelta(hours=36) <= r["dt"] <= outer.now])

        self.server = loopback.serve(body_for)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{name}.xml"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default="../shared/data")
    ap.add_argument("--first", default="2023-10-01")
    ap.add_argument("--last", default="2023-10-08")
    ap.add_argument("--hour", type=int, default=23, help="as-of hour (UTC) of each day's run")
    ap.add_argument("--out", default=None)
    ap.add_argument("--sample", type=int, default=30)
    args = ap.parse_args()
    folder = Path(args.data) / "pool-2023q4"
    if not folder.is_dir():
        print(f"skipped: {folder} not found")
        return 0
    from briefing.config import parse_config
    from briefing.pipeline import run

    replay = Replay(load_pool(folder))
    out = Path(args.out or tempfile.mkdtemp(prefix="briefing-pool-"))
    config = parse_config(
        {
            "sources": [{"name": n, "url": replay.url(n)} for n in replay.feeds],
            "timezone": "UTC",
            "output_dir": str(out),
        }
    )
    day = datetime.fromisoformat(args.first).replace(hour=args.hour, tzinfo=UTC)
    last = datetime.fromisoformat(args.last).replace(hour=args.hour, tzinfo=UTC)
    result, merged = None, []
    while day <= last:
        replay.now = day
        t0 = time.perf_counter()
        result = run(config, now=day, send=False)
        b = result.brief
        multi = sum(1 for e in b.entries if e.outlets >= 2)
        merged += [(b.date, e) for e in b.entries if len(e.sources) >= 2]
        print(
            f"{b.date}: {b.items_in_window} items in window, {len(b.entries)} entries "
            f"({multi} with >= 2 outlets), {len(b.takeaways)} takeaways, "
            f"{time.perf_counter() - t0:.1f} s"
        )
        day += timedelta(days=1)
    b = result.brief
    reports = sum(len(e.sources) for e in b.entries)
    print(
        f"\nlast day {b.date}: {reports} event reports -> {len(b.entries)} stories; "
        f"theaters {[(t.theater, t.today, t.direction) for t in b.trends[:8]]}"
    )
    random.Random(7).shuffle(merged)
    print(
        f"\n{len(merged)} merged stories over all days; a sample of {min(args.sample, len(merged))} "
        "(check each for false merges):"
    )
    for date, e in merged[: args.sample]:
        print(f"- {date} [{e.type}/{e.theater}] {e.text[:110]}")
        for s in e.sources:
            print(f"    {s.name}: {s.title[:110]}")
    print(f"\noutput: {result.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
