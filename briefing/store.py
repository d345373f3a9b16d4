"""SQLite store: items (deduplicated), per-source health and validators, runs.

The only module that imports sqlite3. Each source's items and its health are written in one
transaction, so a run killed half-way leaves every source either fully recorded or untouched.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from .model import Event, Fetched, Item, ParsedFeed, SourceHealth, StoredItem, Tagging, Validators

log = logging.getLogger(__name__)

# Each entry migrates the schema from version i to i+1; never edit a shipped entry, append.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        uid TEXT NOT NULL,
        link TEXT NOT NULL,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        published TEXT NOT NULL,          -- ISO 8601, UTC, sortable
        dated INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        tagging TEXT,                      -- JSON of Tagging, NULL until extracted
        tagger TEXT,                       -- extractor version that produced `tagging`
        UNIQUE (source, uid)
    );
    CREATE INDEX items_published ON items (published);
    CREATE INDEX items_hash ON items (source, content_hash);
    CREATE TABLE sources (
        name TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        ok INTEGER,
        error TEXT,
        last_ok TEXT,
        last_attempt TEXT,
        failing_since TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        items_last INTEGER NOT NULL DEFAULT 0,
        etag TEXT,
        last_modified TEXT
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        as_of TEXT NOT NULL,
        status TEXT NOT NULL,              -- running | ok | failed
        sources_ok INTEGER, sources_failed INTEGER, items_new INTEGER, events INTEGER,
        detail TEXT
    );
    """,
    """
    CREATE TABLE deliveries (
        date TEXT NOT NULL,                -- the brief's date, YYYY-MM-DD
        subscriber TEXT NOT NULL,
        edition TEXT NOT NULL,
        status TEXT NOT NULL,              -- pending | sending | sent | failed
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        channel TEXT,                      -- smtp://host:port or the outbox path
        updated TEXT NOT NULL,
        PRIMARY KEY (date, subscriber, edition)
    );
    """,
    """
    CREATE TABLE day_summaries (           -- per-day counts for trends, computed once
        slot TEXT NOT NULL,                -- end of the 24-hour slot, ISO UTC
        key TEXT NOT NULL,                 -- extractor version: a new one recomputes
        items INTEGER NOT NULL,            -- items in the slot when computed: more → recompute
        data TEXT NOT NULL,                -- JSON: counts, actors, sources per theater
        PRIMARY KEY (slot, key)
    );
    """,
]


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).isoformat(timespec="seconds")


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def content_hash(item: Item) -> str:
    return hashlib.sha1(f"{item.title}\n{item.summary}".encode("utf-8", "replace")).hexdigest()


def tagging_to_json(t: Tagging) -> str:
    return json.dumps({**t._asdict(), "events": [e._asdict() for e in t.events]}, ensure_ascii=False)


def tagging_from_json(text: str) -> Tagging:
    d = json.loads(text)
    events = tuple(
        Event(**{**e, "actors": tuple(e["actors"]), "targets": tuple(e["targets"]), "cues": tuple(e["cues"])})
        for e in d["events"]
    )
    return Tagging(tuple(d["types"]), tuple(d["theaters"]), tuple(d["actors"]), events)


# What a store operation can raise when the disk is full, the file read-only or not ours: the
# CLI turns these into one line and exit 2 (sqlite3 stays inside this module).
STORE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)


class Store:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        if str(path) != ":memory:":
            # the store holds subscriber addresses: private, like the briefs and the outbox.
            # SQLite gives its -wal and -shm files the database file's mode, so creating (or
            # tightening) the database file 0600 covers all three.
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            if self.path.stat().st_mode & 0o077:
                os.chmod(self.path, 0o600)
        # check_same_thread=False: a run stores each feed from fetch_all's worker thread while
        # the thread that opened the store waits, so calls never overlap (and the sqlite3
        # module is built serialized: sqlite3.threadsafety == 3).
        self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for i in range(version, len(MIGRATIONS)):
            # executescript commits first; the explicit BEGIN makes each migration atomic.
            self.db.executescript(f"BEGIN; {MIGRATIONS[i]}; PRAGMA user_version = {i + 1}; COMMIT;")
            log.info("%s: store migrated to version %d", self.path, i + 1)

    # -- sources ----------------------------------------------------------------------------
    def validators(self) -> dict[str, Validators]:
        """Keyed by URL: when a feed's URL changes in feeds.yaml, the old server's validators
        must not be sent to the new one (a wrong 304 would silently starve the source)."""
        rows = self.db.execute("SELECT url, etag, last_modified FROM sources").fetchall()
        return {r["url"]: Validators(r["etag"], r["last_modified"]) for r in rows}

    def health(self) -> dict[str, SourceHealth]:
        out = {}
        for r in self.db.execute("SELECT * FROM sources"):
            out[r["name"]] = SourceHealth(
                name=r["name"],
                url=r["url"],
                ok=None if r["ok"] is None else bool(r["ok"]),
                error=r["error"],
                last_ok=_dt(r["last_ok"]),
                last_attempt=_dt(r["last_attempt"]),
                failing_since=_dt(r["failing_since"]),
                consecutive_failures=r["consecutive_failures"],
                items_last=r["items_last"],
                validators=Validators(r["etag"], r["last_modified"]),
            )
        return out

    def record(self, fetched: Fetched, parsed: ParsedFeed | None, now: datetime) -> int:
        """Store one source's outcome: its new items and its health, atomically. Returns new items."""
        src = fetched.source
        error = fetched.error if not fetched.ok else (parsed.error if parsed else None)
        ok = error is None
        items = parsed.items if parsed else ()
        new = 0
        with self._tx():
            for it in items:
                h = content_hash(it)
                # Two indexed lookups: an OR across columns would scan the whole source.
                dup = self.db.execute(
                    "SELECT 1 FROM items WHERE source=? AND uid=? UNION ALL"
                    " SELECT 1 FROM items WHERE source=? AND content_hash=? LIMIT 1",
                    (it.source, it.uid, it.source, h),
                ).fetchone()
                if dup:
                    continue
                self.db.execute(
                    "INSERT INTO items (source, uid, link, title, summary, published, dated,"
                    " first_seen, content_hash) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        it.source,
                        it.uid,
                        it.link,
                        it.title,
                        it.summary,
                        _iso(it.published),
                        int(it.dated),
                        _iso(now),
                        h,
                    ),
                )
                new += 1
            prev = self.db.execute("SELECT * FROM sources WHERE name=?", (src.name,)).fetchone()
            failures = 0 if ok else (prev["consecutive_failures"] if prev else 0) + 1
            failing_since = (
                None if ok else (prev["failing_since"] if prev and prev["failing_since"] else _iso(now))
            )
            # Keep the old validators when a fetch failed (they are still the server's last word),
            # unless the URL changed: they belong to the old server.
            keep = prev is not None and prev["url"] == src.url
            etag = fetched.validators.etag if ok else (prev["etag"] if keep else None)
            lm = fetched.validators.last_modified if ok else (prev["last_modified"] if keep else None)
            if ok and fetched.not_modified and keep:
                etag, lm = etag or prev["etag"], lm or prev["last_modified"]
            self.db.execute(
                "INSERT INTO sources (name, url, ok, error, last_ok, last_attempt, failing_since,"
                " consecutive_failures, items_last, etag, last_modified) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(name) DO UPDATE SET url=excluded.url, ok=excluded.ok, error=excluded.error,"
                " last_ok=COALESCE(excluded.last_ok, sources.last_ok), last_attempt=excluded.last_attempt,"
                " failing_since=excluded.failing_since, consecutive_failures=excluded.consecutive_failures,"
                " items_last=excluded.items_last, etag=excluded.etag, last_modified=excluded.last_modified",
                (
                    src.name,
                    src.url,
                    int(ok),
                    error,
                    _iso(now) if ok else None,
                    _iso(now),
                    failing_since,
                    failures,
                    len(items),
                    etag,
                    lm,
                ),
            )
        return new

    # -- items ------------------------------------------------------------------------------
    def items_between(self, start: datetime, end: datetime) -> list[StoredItem]:
        """Items published in [start, end], oldest first. The end is inclusive: an undated item
        is stamped with the fetch time, which is the cut-off of the run that first sees it."""
        rows = self.db.execute(
            "SELECT * FROM items WHERE published >= ? AND published <= ? ORDER BY published, source, uid",
            (_iso(start), _iso(end)),
        ).fetchall()
        return [self._stored(r) for r in rows]

    def _stored(self, r: sqlite3.Row) -> StoredItem:
        item = Item(
            source=r["source"],
            uid=r["uid"],
            title=r["title"],
            summary=r["summary"],
            link=r["link"],
            published=datetime.fromisoformat(r["published"]),
            dated=bool(r["dated"]),
        )
        tagging = tagging_from_json(r["tagging"]) if r["tagging"] else None
        return StoredItem(item, datetime.fromisoformat(r["first_seen"]), tagging)

    def untagged(self, start: datetime, end: datetime, tagger: str) -> list[tuple[int, Item]]:
        rows = self.db.execute(
            "SELECT * FROM items WHERE published >= ? AND published <= ?"
            " AND (tagging IS NULL OR tagger IS NOT ?)",
            (_iso(start), _iso(end), tagger),
        ).fetchall()
        return [(r["id"], self._stored(r).item) for r in rows]

    def save_taggings(self, rows: list[tuple[int, Tagging]], tagger: str) -> None:
        with self._tx():
            self.db.executemany(
                "UPDATE items SET tagging=?, tagger=? WHERE id=?",
                [(tagging_to_json(t), tagger, i) for i, t in rows],
            )

    # -- runs -------------------------------------------------------------------------------
    def close_interrupted_runs(self, now: datetime) -> int:
        """Runs still 'running' when a new run holds the lock were killed: say so."""
        cur = self.db.execute(
            "UPDATE runs SET status='failed', finished=?, detail='interrupted' WHERE status='running'",
            (_iso(now),),
        )
        return cur.rowcount

    def start_run(self, as_of: datetime, now: datetime) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (started, as_of, status) VALUES (?,?, 'running')", (_iso(now), _iso(as_of))
        )
        rowid = cur.lastrowid
        assert rowid is not None  # a successful INSERT sets it
        return rowid

    def finish_run(
        self,
        run_id: int,
        now: datetime,
        status: str,
        *,
        sources_ok: int = 0,
        sources_failed: int = 0,
        items_new: int = 0,
        events: int = 0,
        detail: str | None = None,
    ) -> None:
        self.db.execute(
            "UPDATE runs SET finished=?, status=?, sources_ok=?, sources_failed=?, items_new=?,"
            " events=?, detail=? WHERE id=?",
            (_iso(now), status, sources_ok, sources_failed, items_new, events, detail, run_id),
        )

    def runs(self, limit: int = 10) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))]

    # -- delivery ledger -------------------------------------------------------------------
    def delivery_status(self, date: str, subscriber: str, edition: str) -> str | None:
        row = self.db.execute(
            "SELECT status FROM deliveries WHERE date=? AND subscriber=? AND edition=?",
            (date, subscriber, edition),
        ).fetchone()
        return row["status"] if row else None

    def mark_delivery(
        self,
        date: str,
        subscriber: str,
        edition: str,
        status: str,
        now: datetime,
        *,
        error: str | None = None,
        channel: str | None = None,
        attempt: bool = False,
    ) -> None:
        """Record a delivery's state; called before sending ('sending') and after ('sent'/'failed')."""
        self.db.execute(
            "INSERT INTO deliveries (date, subscriber, edition, status, attempts, error, channel, updated)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(date, subscriber, edition) DO UPDATE SET"
            " status=excluded.status, attempts=deliveries.attempts + excluded.attempts,"
            " error=excluded.error, channel=COALESCE(excluded.channel, deliveries.channel),"
            " updated=excluded.updated",
            (date, subscriber, edition, status, int(attempt), error, channel, _iso(now)),
        )

    def deliveries(self, date: str | None = None, limit: int = 50) -> list[dict]:
        if date:
            rows = self.db.execute("SELECT * FROM deliveries WHERE date=? ORDER BY subscriber", (date,))
        else:
            rows = self.db.execute("SELECT * FROM deliveries ORDER BY updated DESC LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    def last_ok_run(self, date_prefix_utc_range: tuple[datetime, datetime]) -> dict | None:
        """The latest successful run whose as_of falls in the given UTC range."""
        start, end = date_prefix_utc_range
        row = self.db.execute(
            "SELECT * FROM runs WHERE status='ok' AND as_of >= ? AND as_of < ? ORDER BY id DESC LIMIT 1",
            (_iso(start), _iso(end)),
        ).fetchone()
        return dict(row) if row else None

    # -- per-day summaries for trends -------------------------------------------------------
    def count_between(self, start: datetime, end: datetime) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM items WHERE published >= ? AND published <= ?", (_iso(start), _iso(end))
        ).fetchone()[0]

    def count_by_source(self, start: datetime, end: datetime) -> dict[str, int]:
        """Items published in [start, end] per source: the usual volume a failed source leaves out."""
        rows = self.db.execute(
            "SELECT source, COUNT(*) FROM items WHERE published >= ? AND published <= ? GROUP BY source",
            (_iso(start), _iso(end)),
        )
        return {r[0]: r[1] for r in rows}

    def summary(self, slot: datetime, key: str) -> tuple[int, dict] | None:
        row = self.db.execute(
            "SELECT items, data FROM day_summaries WHERE slot=? AND key=?", (_iso(slot), key)
        ).fetchone()
        return (row["items"], json.loads(row["data"])) if row else None

    def save_summary(self, slot: datetime, key: str, items: int, data: dict) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO day_summaries (slot, key, items, data) VALUES (?,?,?,?)",
            (_iso(slot), key, items, json.dumps(data)),
        )

    def _tx(self):
        return _Transaction(self.db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (sqlite3's own context manager
    does not begin transactions in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
