"""Store scale: a month of history → time to compose a brief; then end-to-end `briefing run`.

    python bench/scale_store.py [--days 30] [--per-day 10000] [--event-share 0.2] [--fresh 10000]

1. Generates DAYS × PER_DAY items of invented text (EVENT_SHARE of them event-bearing) into a
   temp store through `Store.record` (one transaction per source-day, as the pipeline does).
2. In fresh child processes (own peak RSS via ru_maxrss): `build_brief` **cold** (the window
   and the 14-day history untagged: tagging included) and **warm** (already tagged), against a
   baseline measured in the same child: a bare `SELECT *` of the window's and history's rows.
3. End to end: FRESH new items on loopback feeds (50 feeds, tests/feedserver.py in this process),
   `python -m briefing.cli run` (fetch → … → PDF → outbox) as a child, (a) on an empty store and
   (b) on a copy of the month's (warm) store. Goal (issue 7): ≤ 30 s including the PDF.

Prints figures, asserts nothing. Bounded: every child has a timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

PLACES = [
    "Khan Younis",
    "Rafah",
    "Jenin",
    "Nablus",
    "Hodeidah",
    "Tyre",
    "Sidon",
    "Mosul",
    "Homs",
    "Aden",
    "Idlib",
    "Deir ez-Zor",
    "Marib",
    "Baalbek",
    "Tulkarm",
    "Sanaa",
]
ACTORS = ["Israeli", "Houthi", "Hezbollah", "Syrian army", "US", "Iranian", "Iraqi militia", "Turkish"]
EVENTS = [
    "{a} air strikes kill {n} in {p}",
    "{a} forces shell positions near {p}, killing {n}",
    "{a} drone attack hits a base near {p}",
    "{a} fighters fire rockets at {p}",
    "{a} warns of retaliation after attack near {p}",
    "{a} deploys troops to {p}",
    "Gunmen kill {n} soldiers at a checkpoint near {p}",
]
QUIET = [
    "Markets in {p} reopen after holiday",
    "{p} council approves new budget for schools",
    "Football club from {p} wins regional cup",
    "Weather: rain expected across {p} this week",
    "Officials in {p} discuss water supply and electricity tariffs",
    "Festival draws crowds to {p}",
    "University in {p} opens new library wing",
]


def text(rng: random.Random, event: bool) -> tuple[str, str]:
    t = rng.choice(EVENTS if event else QUIET).format(
        a=rng.choice(ACTORS), p=rng.choice(PLACES), n=rng.randint(2, 40)
    )
    s = (
        f"{t}, local sources said on day {rng.randint(1, 999)}. "
        + (
            "Witnesses described the aftermath and rescue teams were sent. "
            if event
            else "Residents said the change was welcome. "
        )
        + "Further details were not immediately available."
    )
    return t, s


def machine() -> str:
    model = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"nproc {os.cpu_count()}, CPU {model}, Python {sys.version.split()[0]}"


def config(folder: Path, sources: list[tuple[str, str]], db: Path | None = None):
    from briefing.config import parse_config

    data = {
        "title": "Scale Brief",
        "timezone": "UTC",
        "output_dir": str(folder / "out"),
        "sources": [{"name": n, "url": u} for n, u in sources],
        "subscribers": [{"email": "desk@example.org"}],
        "delivery": {"from": "briefs@example.org"},
        "fetch": {"deadline": 20, "read_timeout": 10, "connect_timeout": 5, "concurrency": 64},
    }
    if db:
        data["database"] = str(db)
    return data, parse_config(data, folder)


# -- phase: generate ------------------------------------------------------------------------------
def generate(db: Path, as_of: datetime, days: int, per_day: int, share: float, n_sources: int = 10) -> None:
    """Bulk rows with the exact columns Store.record writes (Store.record itself is measured
    separately below: its dedupe lookup is O(items per source), so a month through it is slow)."""
    from briefing.model import Item
    from briefing.store import Store, _iso, content_hash

    rng = random.Random(7)
    store = Store(db)
    with store._tx():
        for d in range(days):
            day_end = as_of - timedelta(days=d)
            rows = []
            for s in range(n_sources):
                for i in range(per_day // n_sources):
                    t, summ = text(rng, rng.random() < share)
                    pub = day_end - timedelta(seconds=rng.randint(1, 86_399))
                    it = Item(
                        f"Wire {s}", f"urn:w{s}:{d}:{i}", t, summ, f"https://wire{s}.example/{d}/{i}", pub
                    )
                    rows.append(
                        (
                            it.source,
                            it.uid,
                            it.link,
                            it.title,
                            it.summary,
                            _iso(pub),
                            1,
                            _iso(day_end),
                            content_hash(it),
                        )
                    )
            store.db.executemany(
                "INSERT INTO items (source, uid, link, title, summary, published, dated,"
                " first_seen, content_hash) VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
    store.close()


def record_rate(db: Path, as_of: datetime, n: int = 200) -> tuple[float, float, int]:
    """Store.record of n new items into a source that already holds a month, vs the same dedupe
    done as two index lookups (the proposed fix). Returns (record s, fixed-lookup s, rows in source)."""
    from briefing.model import Fetched, Item, ParsedFeed, Source
    from briefing.store import Store, content_hash

    rng = random.Random(3)
    store = Store(db)
    src = Source("Wire 0", "https://wire0.example/rss")
    have = store.db.execute("SELECT COUNT(*) FROM items WHERE source=?", (src.name,)).fetchone()[0]
    items = []
    for i in range(n):
        t, summ = text(rng, False)
        items.append(
            Item(src.name, f"urn:new:{i}", t + f" #{i}", summ, f"https://wire0.example/new/{i}", as_of)
        )
    t0 = time.monotonic()
    store.record(Fetched(source=src, ok=True, body=b"x"), ParsedFeed(src, tuple(items)), as_of)
    t_record = time.monotonic() - t0
    t0 = time.monotonic()
    for it in items:
        store.db.execute(
            "SELECT 1 FROM items WHERE source=? AND uid=? UNION ALL "
            "SELECT 1 FROM items WHERE source=? AND content_hash=? LIMIT 1",
            (it.source, it.uid + "x", it.source, content_hash(it) + "x"),
        ).fetchone()
    t_fixed = time.monotonic() - t0
    store.db.execute("DELETE FROM items WHERE uid LIKE 'urn:new:%'")
    store.close()
    return t_record, t_fixed, have


# -- phase: compose (child) ----------------------------------------------------------------------
def compose_child(db: Path, as_of: datetime, folder: Path) -> dict:
    from briefing.brief.compose import window
    from briefing.brief.history import DAYS as HISTORY_DAYS
    from briefing.pipeline import build_brief
    from briefing.store import Store, _iso

    _, cfg = config(folder, [(f"Wire {s}", f"https://wire{s}.example/rss") for s in range(10)], db)
    store = Store(db)
    start, end = window(as_of, 24)
    t = time.monotonic()
    rows = store.db.execute(
        "SELECT * FROM items WHERE published >= ? AND published < ?", (_iso(start), _iso(end))
    ).fetchall()
    t_sel = time.monotonic() - t
    t = time.monotonic()
    hist = store.db.execute(
        "SELECT * FROM items WHERE published >= ? AND published < ?",
        (_iso(start - timedelta(days=HISTORY_DAYS)), _iso(end)),
    ).fetchall()
    t_sel_hist = time.monotonic() - t
    t = time.monotonic()
    brief = build_brief(cfg, store, as_of, as_of)
    t_build = time.monotonic() - t
    store.close()
    return {
        "select_window": t_sel,
        "rows_window": len(rows),
        "select_history": t_sel_hist,
        "rows_history": len(hist),
        "build": t_build,
        "events": len(brief.entries),
        "in_window": brief.items_in_window,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(args: list[str], timeout: float) -> dict:
    r = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO
    )
    if r.returncode:
        return {"error": (r.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])


# -- phase: end to end ---------------------------------------------------------------------------
def e2e(folder: Path, fresh: int, db: Path | None, now: datetime) -> dict:
    import yaml
    from feedserver import FeedServer

    rng = random.Random(11)
    n_feeds = 50
    with FeedServer() as server:
        sources = []
        for f in range(n_feeds):
            its = []
            for i in range(fresh // n_feeds):
                t, s = text(rng, rng.random() < 0.2)
                pub = format_datetime(now - timedelta(seconds=rng.randint(60, 20 * 3600)))
                its.append(
                    f"<item><title>{escape(t)}</title><description>{escape(s)}</description>"
                    f"<link>https://fresh{f}.example/{i}</link><guid>urn:fresh:{f}:{i}</guid><pubDate>{pub}</pubDate></item>"
                )
            body = (
                f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F{f}</title>'
                f"<link>https://fresh{f}.example/</link><description>x</description>{''.join(its)}</channel></rss>"
            )
            sources.append((f"Fresh {f}", server.add(f"/f{f}.xml", body.encode())))
        data, _ = config(folder, sources, db)
        cfg = folder / "feeds.yaml"
        cfg.write_text(yaml.safe_dump(data))
        t = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefing.cli", "run", "-c", str(cfg)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, err = proc.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            proc.kill()
            return {"error": "timed out after 600 s"}
        wall = time.monotonic() - t
    steps = [ln.strip() for ln in err.splitlines() if ln.startswith("  ")]
    return {"wall": wall, "exit": proc.returncode, "steps": steps}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--per-day", type=int, default=10_000)
    ap.add_argument("--event-share", type=float, default=0.2)
    ap.add_argument("--fresh", type=int, default=10_000)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(
            json.dumps(compose_child(Path(a.child[0]), datetime.fromisoformat(a.child[1]), Path(a.child[2])))
        )
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="scale-store-"))
    try:
        print(f"machine: {machine()}")
        now = datetime.now(UTC).replace(microsecond=0)
        as_of = now - timedelta(minutes=5)
        db = tmp / "month.sqlite3"
        t = time.monotonic()
        generate(db, as_of, a.days, a.per_day, a.event_share)
        print(
            f"generate: {a.days} days × {a.per_day} items ({a.event_share:.0%} event-bearing), bulk insert: "
            f"{time.monotonic() - t:.1f} s, store {db.stat().st_size / 1e6:.0f} MB"
        )
        t_rec, t_fix, have = record_rate(db, as_of)
        print(
            f"Store.record of 200 new items into a source holding {have:,}: {t_rec:.2f} s "
            f"({200 / t_rec:.0f} items/s); the same dedupe as two index lookups: {t_fix:.3f} s "
            f"→ {t_rec / t_fix:.0f}× (the first OR query scanned every row of the source; Store.record now uses the lookups)"
        )
        for label in ("cold (tagging included)", "warm (already tagged)"):
            r = run_child(["--child", str(db), as_of.isoformat(), str(tmp)], timeout=1800)
            if "error" in r:
                print(f"compose {label}: failed: {r['error']}")
                continue
            print(
                f"compose {label}: build_brief {r['build']:.2f} s, {r['events']} events from {r['in_window']} items; "
                f"peak {r['maxrss_mb']:.0f} MB"
            )
            print(
                f"    baseline bare SELECT: window {r['rows_window']} rows {r['select_window']:.3f} s, "
                f"window+history {r['rows_history']} rows {r['select_history']:.3f} s → build_brief = "
                f"{r['build'] / r['select_window']:.0f}× the window SELECT, {r['build'] / r['select_history']:.0f}× "
                "the window+history SELECT"
            )
        for label, use_db in (("empty store", None), ("on the month's store (warm copy)", True)):
            folder = tmp / ("e2e-" + ("month" if use_db else "empty"))
            folder.mkdir()
            dbp = None
            if use_db:
                dbp = folder / "month.sqlite3"
                import sqlite3  # backup API: a plain file copy would miss the WAL's taggings

                with sqlite3.connect(db) as src, sqlite3.connect(dbp) as dst:
                    src.backup(dst)
            t = time.monotonic()
            r = e2e(folder, a.fresh, dbp, datetime.now(UTC))
            if "error" in r:
                print(f"e2e {label}: {r['error']}")
                continue
            print(
                f"e2e `briefing run` on {a.fresh} fresh items, {label}: {r['wall']:.1f} s wall (exit {r['exit']}; "
                "goal ≤ 30 s incl. PDF)"
            )
            for s in r["steps"]:
                print(f"    {s[:160]}")
        ru = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS of the largest child (compose children, briefing runs): {ru:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
