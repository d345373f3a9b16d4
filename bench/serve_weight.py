"""Page weight and time to first byte of the preview for a ~300-entry brief.

Fills a fresh store with invented reports (no network: items go straight into the store as if
fetched), starts the real preview server on 127.0.0.1, and requests `/` and `/live` N times.
Prints bytes per page and the median/p90 time to first byte (status line + headers; the server
renders the whole page before sending, so it is also ~the time to the full page on loopback).

    .venv/bin/python bench/serve_weight.py [--items 900] [-n 15]
"""

from __future__ import annotations

import argparse
import http.client
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.config import parse_config  # noqa: E402
from briefing.model import Fetched, Item, ParsedFeed, Source  # noqa: E402
from briefing.store import Store  # noqa: E402
from briefing.web.app import make_server  # noqa: E402

# Invented wording only. Many shapes, objects and made-up village names so that the clusterer
# (same type + theater + similar words → one entry) keeps most reports apart.
# Reports only merge within one theater, so many theaters × many shapes → many entries.
THEATERS = [
    "Gaza",
    "the West Bank",
    "south Lebanon",
    "Syria",
    "Iraq",
    "Yemen",
    "Ukraine",
    "Sudan",
    "Somalia",
    "Libya",
    "Mali",
    "Niger",
    "Nigeria",
    "Burkina Faso",
    "Ethiopia",
    "Myanmar",
    "Afghanistan",
    "Pakistan",
    "Colombia",
    "Haiti",
    "Mozambique",
    "Chad",
    "Cameroon",
    "Kenya",
    "Armenia",
    "Azerbaijan",
    "Russia",
    "Iran",
    "Egypt",
    "Jordan",
    "Turkey",
    "Israel",
    "the Red Sea",
    "the Black Sea",
    "Saudi Arabia",
    "South Sudan",
]
SHAPES = [
    "An air strike on a {obj} near {village} {where} killed {n} people, officials said.",
    "Drone attack hits {obj} outside {village} {where}, wounding {n}.",
    "Rockets struck a {obj} at {village} {where} before dawn.",
    "Gunmen ambushed a {obj} convoy by {village} {where}; {n} soldiers died.",
    "Shelling of {village} {where} destroyed the {obj} and killed {n} civilians.",
    "Clashes erupted around {village} {where} after fighters stormed a {obj}.",
    "A car bomb exploded beside the {obj} of {village} {where}, killing {n}.",
    "Militia leaders threatened to attack the {obj} at {village} {where}.",
    "Tanks and reinforcements were deployed to {village} {where} to guard a {obj}.",
    "A missile was intercepted over {village} {where}; debris hit a {obj}.",
]
OBJECTS = [
    "school",
    "power station",
    "market",
    "checkpoint",
    "warehouse",
    "bridge",
    "clinic",
    "fuel depot",
    "radar site",
    "harbour",
    "apartment block",
    "training camp",
    "airfield",
    "water plant",
    "police station",
    "bakery",
    "grain silo",
    "telecom mast",
    "barracks",
]
SYLLABLES = [
    "kar",
    "tal",
    "mun",
    "bei",
    "sor",
    "ami",
    "zan",
    "qud",
    "rif",
    "hal",
    "dor",
    "ves",
    "lok",
    "pri",
    "nab",
    "ush",
    "wed",
    "gar",
    "fen",
    "yul",
]


def village(rnd: random.Random) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(3)).capitalize()


def invented_items(count: int, now: datetime, seed: int = 7) -> list[Item]:
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        where = "in " + THEATERS[i % len(THEATERS)]
        text = rnd.choice(SHAPES).format(
            obj=rnd.choice(OBJECTS), village=village(rnd), where=where, n=rnd.randint(2, 40)
        )
        out.append(
            Item(
                source=f"Bench Wire {i % 8}",
                uid=f"bench-{i}",
                title=text,
                summary="",
                link=f"https://wire{i % 8}.example/story/{i}",
                published=now - timedelta(minutes=rnd.randint(5, 23 * 60)),
            )
        )
    return out


def ttfb(port: int, path: str) -> tuple[float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t = time.perf_counter()
    conn.request("GET", path)
    r = conn.getresponse()
    first = time.perf_counter() - t
    size = len(r.read())
    conn.close()
    return first, size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=900, help="invented reports to store")
    ap.add_argument("-n", type=int, default=15, help="requests per page")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    now = datetime.now(UTC)
    config = parse_config(
        {
            "timezone": "UTC",
            "output_dir": str(tmp),
            "sources": [{"name": f"Bench Wire {k}", "url": f"https://wire{k}.example/rss"} for k in range(8)],
        },
        tmp,
    )
    store = Store(config.db_path)
    items = invented_items(args.items, now)
    for k in range(8):
        src = Source(f"Bench Wire {k}", f"https://wire{k}.example/rss")
        store.record(
            Fetched(src, ok=True, status=200),
            ParsedFeed(src, tuple(i for i in items if i.source == src.name)),
            now,
        )
    store.close()

    server = make_server(config, "127.0.0.1", 0)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    t = time.perf_counter()
    first, _ = ttfb(port, "/")  # tags every item once (the extractor's cost)
    print(f"first request (tags {args.items} items): {time.perf_counter() - t:.2f} s")

    from briefing.web.pages import live_brief  # entry count of what the page shows

    entries = len(live_brief(config).entries)
    print(f"brief: {entries} entries from {args.items} invented reports\n")
    print(f"{'page':<22}{'bytes':>10}{'TTFB median':>14}{'p90':>10}")
    for path in ("/", "/live", "/?theater=Gaza", "/sources"):
        runs = [ttfb(port, path) for _ in range(args.n)]
        times = sorted(r[0] for r in runs)
        print(
            f"{path:<22}{runs[-1][1]:>10,}{statistics.median(times) * 1000:>11.0f} ms"
            f"{times[int(len(times) * 0.9) - 1] * 1000:>7.0f} ms"
        )
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
