"""Frozen dataclasses passed from stage to stage (see DESIGN.md: one object per boundary)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .tagging import Event, Tagging  # noqa: F401  (named tuples: the light import of `briefing tag`)


@dataclass(frozen=True)
class Source:
    """One feed listed in feeds.yaml."""

    name: str
    url: str


@dataclass(frozen=True)
class Validators:
    """Conditional-GET validators remembered per source."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """The outcome of fetching one source. A failure is a value, never an exception."""

    source: Source
    ok: bool
    body: bytes = b""
    status: int | None = None
    content_type: str | None = None
    final_url: str | None = None
    validators: Validators = field(default_factory=Validators)
    not_modified: bool = False  # 304: ok, no body, nothing new
    error: str | None = None  # one human-readable line when not ok
    elapsed: float = 0.0  # seconds


@dataclass(frozen=True)
class Item:
    """One feed entry, cleaned: plain-text title and summary, absolute http(s) link or ''."""

    source: str  # Source.name
    uid: str  # stable id: guid, else link, else content hash
    title: str
    summary: str
    link: str
    published: datetime  # aware, UTC
    dated: bool = True  # False when the feed gave no usable date (first-seen time used)


@dataclass(frozen=True)
class ParsedFeed:
    """Items parsed from one Fetched; `error` set when the feed could not be used."""

    source: Source
    items: tuple[Item, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class StoredItem:
    """An item as read back from the store, with its tagging once extracted."""

    item: Item
    first_seen: datetime
    tagging: Tagging | None = None


@dataclass(frozen=True)
class SourceHealth:
    """Per-source state kept across runs."""

    name: str
    url: str
    ok: bool | None = None  # outcome of the latest attempt; None = never tried
    error: str | None = None  # latest error text
    last_ok: datetime | None = None
    last_attempt: datetime | None = None
    failing_since: datetime | None = None
    consecutive_failures: int = 0
    items_last: int = 0  # items parsed on the latest attempt
    validators: Validators = field(default_factory=Validators)


@dataclass(frozen=True)
class SourceRef:
    """One outlet's report behind a brief entry."""

    name: str
    title: str
    link: str
    published: datetime


@dataclass(frozen=True)
class Entry:
    """One line of the brief: an event with every source that reported it."""

    id: str  # stable anchor within the brief
    type: str
    theater: str
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    fatalities: int | None
    text: str
    cues: tuple[str, ...]
    published: datetime  # earliest report, UTC
    sources: tuple[SourceRef, ...]
    severity: float = 0.0  # transparent ranking score (see compose.severity)
    new: tuple[str, ...] = ()  # what is new vs the previous 7 days: "theater", "actor:X"
    fatalities_high: int | None = None  # the highest figure when sources differ (fatalities is the lowest)
    also: tuple[str, ...] = ()  # other theaters the same report places this act in
    merged: str = ""  # why several reports are this one entry (shared words, names, toll, time)

    @property
    def outlets(self) -> int:
        """Independent outlets behind the entry (one outlet's updates count once)."""
        return len({s.name for s in self.sources})


@dataclass(frozen=True)
class Trend:
    """Activity in one theater: today against yesterday and the 7-day average."""

    theater: str
    today: int
    yesterday: int
    avg7: float
    direction: str  # escalating | steady | calming | new
    series: tuple[int, ...] = ()  # events per day, oldest first, today last


@dataclass(frozen=True)
class TheaterSection:
    theater: str
    incidents: tuple[Entry, ...] = ()
    threats: tuple[Entry, ...] = ()
    deployments: tuple[Entry, ...] = ()
    see_also: tuple[Entry, ...] = ()  # entries placed in another theater that touch this one

    @property
    def count(self) -> int:
        return len(self.incidents) + len(self.threats) + len(self.deployments)


@dataclass(frozen=True)
class SourceStatus:
    name: str
    url: str
    ok: bool
    error: str | None
    items: int  # items from this source inside the window
    last_ok: datetime | None = None
    failing_since: datetime | None = None
    tried: bool = True  # False: listed but never fetched yet — not a failure

    @property
    def failed(self) -> bool:
        return self.tried and not self.ok


@dataclass(frozen=True)
class Coverage:
    """What the brief rests on, so that a degraded run reads as one and not as a quiet day."""

    total: int = 0  # sources configured
    failed: tuple[str, ...] = ()  # latest attempt failed
    unfetched: tuple[str, ...] = ()  # never attempted yet (a new source, a fresh store)
    missing_share: float | None = None  # share of the usual reports (7 days before the window)
    # that came from the failed sources; None without history

    @property
    def ok(self) -> int:
        return self.total - len(self.failed) - len(self.unfetched)

    @property
    def all_failed(self) -> bool:
        """Every source that was tried failed: the brief has nothing to stand on."""
        return bool(self.failed) and self.ok == 0

    @property
    def degraded(self) -> bool:
        return bool(self.failed)


@dataclass(frozen=True)
class Brief:
    title: str
    date: str  # YYYY-MM-DD in the configured timezone
    timezone: str
    window_start: datetime  # UTC
    window_end: datetime  # UTC
    generated: datetime  # UTC
    sections: tuple[TheaterSection, ...]
    sources: tuple[SourceStatus, ...]
    items_in_window: int = 0
    classification: str | None = None
    takeaways: tuple[Entry, ...] = ()  # the most severe entries, ranked
    edition: str = "full"  # which subscriber edition this is (its file/ledger key)
    edition_name: str = ""  # its name for readers: "Gaza, Israel edition" ("" = full brief)
    trends: tuple[Trend, ...] = ()  # per theater, busiest first
    days: tuple[str, ...] = ()  # dates of the trend series, oldest first
    coverage_gaps: tuple[str, ...] = ()  # theaters whose usual sources all failed
    coverage: Coverage = Coverage()

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for s in self.sections for e in (*s.incidents, *s.threats, *s.deployments))

    @property
    def active_sections(self) -> tuple[TheaterSection, ...]:
        """The theaters with events of their own (not those only cross-referenced)."""
        return tuple(s for s in self.sections if s.count)
