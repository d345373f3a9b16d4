"""Window selection and grouping: tagged items → a Brief (theater → incident/threat/deployment)."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .cluster import cluster
from .model import (Brief, Entry, Item, Event, SourceHealth, SourceStatus, StoredItem,
                    TheaterSection)

TYPES = ("incident", "threat", "deployment")
UNPLACED = "Unplaced"          # events whose theater the extractor could not determine


def window(as_of: datetime, hours: int) -> tuple[datetime, datetime]:
    return as_of - timedelta(hours=hours), as_of


def _fatalities(events: list[Event]) -> int | None:
    # Conservative: the highest figure any source gives would overstate; take the smallest stated.
    figures = [e.fatalities for e in events if e.fatalities is not None]
    return min(figures) if figures else None


def compose(*, title: str, as_of: datetime, tz: ZoneInfo, hours: int, items: list[StoredItem],
            sources: list[tuple[str, str]], health: dict[str, SourceHealth], now: datetime,
            classification: str | None = None) -> Brief:
    """Build the brief for the window ending at `as_of` from the items published in it."""
    start, end = window(as_of, hours)
    pairs: list[tuple[Item, Event]] = []
    for s in sorted(items, key=lambda s: s.item.published):
        if s.tagging is None:
            continue
        seen: set[tuple[str, str | None]] = set()
        for ev in s.tagging.events:
            # One entry per item, type and theater: a title and its summary usually say it twice.
            if (ev.type, ev.theater) in seen:
                continue
            seen.add((ev.type, ev.theater))
            pairs.append((s.item, ev))

    entries: list[Entry] = []
    for n, c in enumerate(cluster(pairs)):
        ev = c.event
        actors = tuple(dict.fromkeys(a for e in c.events for a in e.actors))
        targets = tuple(dict.fromkeys(t for e in c.events for t in e.targets))
        cues = tuple(dict.fromkeys(q for e in c.events for q in e.cues))
        entries.append(Entry(
            id=f"e{n + 1}", type=ev.type, theater=ev.theater or UNPLACED, actors=actors,
            targets=targets, fatalities=_fatalities(c.events), text=ev.text or c.items[0].title,
            cues=cues, published=c.items[0].published, sources=c.refs()))

    by_theater: dict[str, list[Entry]] = {}
    for e in entries:
        by_theater.setdefault(e.theater, []).append(e)
    # Busiest theater first; the unplaced bucket always last.
    order = sorted(by_theater, key=lambda t: (t == UNPLACED, -len(by_theater[t]), t))
    sections = []
    for t in order:
        es = sorted(by_theater[t], key=lambda e: (-len(e.sources), -(e.fatalities or 0), e.published))
        sections.append(TheaterSection(
            t, *(tuple(e for e in es if e.type == ty) for ty in TYPES)))

    per_source = Counter(s.item.source for s in items)
    statuses = []
    for name, url in sources:
        h = health.get(name)
        statuses.append(SourceStatus(
            name=name, url=url, ok=bool(h and h.ok), error=(h.error if h else "not fetched yet"),
            items=per_source.get(name, 0), last_ok=h.last_ok if h else None,
            failing_since=h.failing_since if h else None))

    return Brief(title=title, date=as_of.astimezone(tz).date().isoformat(), timezone=str(tz.key),
                 window_start=start, window_end=end, generated=now, sections=tuple(sections),
                 sources=tuple(statuses), items_in_window=len(items),
                 classification=classification)
