"""Activity per 24-hour slot for trends, novelty and coverage gaps.

A slot's summary (stories per theater, actors seen, outlets per theater) is computed once and
kept in the store, so a brief over a month of history reads a few small rows instead of
holding 300,000 items in memory. A summary is recomputed when the extractor changes or when
items arrived late in its slot.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model import StoredItem
from ..store import Store
from .compose import stories

SLOT = timedelta(hours=24)
DAYS = 14  # the chart's span (today included)


@dataclass(frozen=True)
class DaySummary:
    end: datetime  # the slot is (end - 24 h, end], UTC
    counts: dict[str, int]  # theater → stories
    actors: frozenset[str]
    sources: dict[str, frozenset[str]]  # theater → outlets that reported it

    @property
    def active(self) -> bool:
        return bool(self.counts)


def slot_ends(as_of: datetime, days: int = DAYS - 1) -> list[datetime]:
    """Ends of the `days` slots before the brief's window, oldest first. Anchored on the hour so
    that runs at 06:00 and previews at 06:20 share the same (cached) slots."""
    anchor = as_of.replace(minute=0, second=0, microsecond=0) - SLOT
    return [anchor - SLOT * k for k in range(days - 1, -1, -1)]


def summarize(items: list[StoredItem], end: datetime) -> DaySummary:
    entries = stories(items)
    sources: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        sources[e.theater].update(r.name for r in e.sources)
    return DaySummary(
        end,
        dict(Counter(e.theater for e in entries)),
        frozenset(a for e in entries for a in e.actors),
        {t: frozenset(n) for t, n in sources.items()},
    )


def from_items(items: list[StoredItem], as_of: datetime, days: int = DAYS - 1) -> list[DaySummary]:
    """Summaries straight from items (no store): for tests and one-off use."""
    return [
        summarize([s for s in items if end - SLOT < s.item.published <= end], end)
        for end in slot_ends(as_of, days)
    ]


def _to_json(d: DaySummary) -> dict:
    return {
        "counts": d.counts,
        "actors": sorted(d.actors),
        "sources": {t: sorted(n) for t, n in d.sources.items()},
    }


def _from_json(end: datetime, data: dict) -> DaySummary:
    return DaySummary(
        end, data["counts"], frozenset(data["actors"]), {t: frozenset(n) for t, n in data["sources"].items()}
    )


def from_store(
    store: Store, as_of: datetime, key: str, tag: Callable[[datetime, datetime], None], days: int = DAYS - 1
) -> list[DaySummary]:
    """Summaries of the slots before the window, from the cache where still valid; `tag`
    makes sure a slot's items are tagged before it is summarised."""
    out = []
    for end in slot_ends(as_of, days):
        start = end - SLOT
        n = store.count_between(start, end)
        cached = store.summary(end, key)
        if cached and cached[0] == n:
            out.append(_from_json(end, cached[1]))
            continue
        tag(start, end)
        summary = summarize(store.items_between(start, end), end)
        store.save_summary(end, key, n, _to_json(summary))
        out.append(summary)
    return out
