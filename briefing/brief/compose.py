"""Tagged items → a Brief: stories (clustered events), severity, takeaways, sections per
theater, trends against earlier days, source health and coverage gaps."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..model import (
    Brief,
    Coverage,
    Entry,
    Event,
    Item,
    SourceHealth,
    SourceStatus,
    StoredItem,
    TheaterSection,
    Trend,
)
from .cluster import Context, cluster, cumulative_toll, link_probability

if TYPE_CHECKING:
    from .history import DaySummary

TYPES = ("incident", "threat", "deployment")
UNPLACED = "Theater unclear"  # events whose theater the extractor could not determine
# Assets whose movement or loss matters beyond the day.
STRATEGIC = (
    "carrier",
    "bomber",
    "b-52",
    "b-1b",
    "b-2",
    "air defen",
    "patriot",
    "thaad",
    "s-300",
    "s-400",
    "iron dome",
    "submarine",
    "warship",
    "destroyer",
    "frigate",
    "ballistic",
    "nuclear",
    "hypersonic",
    "f-35",
    "aircraft carrier",
    "strike group",
)
TYPE_WEIGHT = {"incident": 2.0, "threat": 1.0, "deployment": 1.5}
MAX_TAKEAWAYS, MIN_TAKEAWAYS, TAKEAWAY_FLOOR = 8, 3, 3.5


# Tiers a reader can act on; the score's parts are in `severity` and on the brief (SEVERITY_NOTE).
SEVERITY_TIERS = ((7.0, "high"), (4.5, "medium"), (0.0, "low"))
SEVERITY_NOTE = (
    "Severity: high from 7, medium from 4.5, on a 1–11.5 scale adding the type "
    "(incident 2, deployment 1.5, threat 1), deaths (log scale, up to 5), a strategic "
    "asset (1.5), each further independent outlet (0.5, up to 2) and a theater or actor "
    "new this week (1)."
)


def tier(score: float) -> str:
    return next(name for floor, name in SEVERITY_TIERS if score >= floor)


def severity(type_: str, fatalities: int | None, outlets: int, text: str, new: tuple[str, ...] = ()) -> float:
    """Transparent score: type weight + fatalities (log scale, capped) + strategic asset
    + corroboration (independent outlets) + novelty (a theater or actor not seen for 7 days)."""
    score = TYPE_WEIGHT.get(type_, 1.0)
    if fatalities:
        score += min(5.0, math.log10(fatalities + 1) * 2.5)
    low = text.lower()
    if any(word in low for word in STRATEGIC):
        score += 1.5
    score += min(2.0, 0.5 * (outlets - 1))
    score += 1.0 if new else 0.0
    return round(score, 2)


def window(as_of: datetime, hours: int) -> tuple[datetime, datetime]:
    return as_of - timedelta(hours=hours), as_of


def _fatalities(events: list[Event]) -> int | None:
    # Conservative, as ACLED: the lowest figure any source states.
    figures = [e.fatalities for e in events if e.fatalities is not None]
    return min(figures) if figures else None


# Sentences that lean on the one before them: as an entry's line they read as fragments
# ("Israeli fighter jets then struck…", "It said…", "The military said on Wednesday…").
_LEANING = re.compile(
    r"^(?:(?:then|it|its|they|their|them|he|she|his|her|this|these|those|that|there|but|and|or|so|"
    r"also|however|meanwhile|earlier|later|afterwards|instead|still|yet|which|where|while)\b"
    r"|the (?:\w+ ){0,2}(?:said|says|added|reported|confirmed|stated)\b"
    r"|(?:\w+ ){1,3}(?:then|also|later)\b)",
    re.IGNORECASE,
)


def headline(sentence: str, title: str, title_says_it: bool) -> str:
    """An entry's line must stand alone: the sentence when it does, else the report's title
    (when the title itself reports this act), else the title with the sentence quoted."""
    sentence, title = sentence.strip(), title.strip()
    if not sentence:
        return title
    if sentence == title or not title or (sentence[0].isupper() and not _LEANING.match(sentence)):
        return sentence
    return title if title_says_it else f"{title} — “{sentence}”"


def _acts(events: tuple[Event, ...]) -> list[tuple[Event, tuple[str, ...]]]:
    """One report, one entry per act: the events of one item, reduced to one per type, each
    with the other theaters the report places it in (cross-references, not more entries).
    A clause is never two types: the extractor lists its main reading first."""
    first_type: dict[str, str] = {}
    kept = [ev for ev in events if first_type.setdefault(ev.text, ev.type) == ev.type]
    # a war's running toll is context, not the day's casualties
    kept = [
        ev._replace(fatalities=None, cues=(*ev.cues, "cumulative toll: context"))
        if ev.fatalities and cumulative_toll(ev.text)
        else ev
        for ev in kept
    ]
    acts: dict[str, list[Event]] = {}
    for ev in kept:
        acts.setdefault(ev.type, []).append(ev)
    out = []
    for evs in acts.values():
        lead = evs[0]
        # the lead is the item's first mention (the title when it names the act); the other
        # mentions add their actors, targets, cues and figures
        for ev in evs[1:]:
            lead = lead._replace(
                actors=_union(lead.actors, ev.actors),
                targets=_union(lead.targets, ev.targets),
                cues=_union(lead.cues, ev.cues),
                fatalities=lead.fatalities if lead.fatalities is not None else ev.fatalities,
                theater=lead.theater or ev.theater,
            )
        also = tuple(dict.fromkeys(ev.theater for ev in evs if ev.theater and ev.theater != lead.theater))
        out.append((lead, also))
    return out


def _pairs(
    items: list[StoredItem],
) -> tuple[list[tuple[Item, Event]], dict[tuple[int, str], tuple[str, ...]]]:
    """(item, event) pairs for clustering, oldest first, and each act's other theaters."""
    pairs, also = [], {}
    for s in sorted(items, key=lambda s: s.item.published):
        if s.tagging is None:
            continue
        in_title = {ev.type for ev in s.tagging.events if ev.text.strip() == s.item.title.strip()}
        for ev, others in _acts(s.tagging.events):
            ev = ev._replace(text=headline(ev.text, s.item.title, ev.type in in_title))
            pairs.append((s.item, ev))
            also[(id(s.item), ev.type)] = others
    return pairs, also


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


def stories(items: list[StoredItem], background: Sequence[StoredItem] = ()) -> list[Entry]:
    """Cluster the items' events into entries (one per happening, every source listed)."""
    entries = []
    pairs, also = _pairs(items)
    for n, c in enumerate(cluster(pairs, [s.item for s in background])):
        ev, refs = c.event, c.refs()
        theater = ev.theater or UNPLACED
        elsewhere = tuple(
            dict.fromkeys(t for it in c.items for t in also.get((id(it), ev.type), ()) if t != theater)
        )
        text = ev.text or c.items[0].title
        fatal = _fatalities(c.events)
        high = max((e.fatalities for e in c.events if e.fatalities is not None), default=None)
        entries.append(
            Entry(
                id=f"e{n + 1}",
                type=ev.type,
                theater=theater,
                actors=tuple(dict.fromkeys(a for e in c.events for a in e.actors)),
                targets=tuple(dict.fromkeys(t for e in c.events for t in e.targets)),
                fatalities=fatal,
                text=text,
                cues=tuple(dict.fromkeys(q for e in c.events for q in e.cues)),
                published=c.items[0].published,
                sources=refs,
                fatalities_high=high if high != fatal else None,
                severity=severity(ev.type, fatal, len({r.name for r in refs}), text),
                also=elsewhere,
                merged=c.why if len(refs) > 1 else "",
            )
        )
    return entries


def _direction(today: int, yesterday: int, avg7: float, has_baseline: bool) -> str:
    if not has_baseline:
        return "no baseline"
    if avg7 == 0 and yesterday == 0:
        return "new" if today else "steady"
    # Small counts swing a lot: ask for a clear margin before calling a change.
    if today >= max(avg7 * 1.5, avg7 + 2):
        return "escalating"
    if today <= min(avg7 * 0.5, avg7 - 2):
        return "calming"
    return "steady"


def trends(
    today: list[Entry], history: list[DaySummary], as_of: datetime, tz: ZoneInfo
) -> tuple[tuple[Trend, ...], tuple[str, ...]]:
    """Stories per theater per day: the history's slots, oldest first, then today's window."""
    theaters = {e.theater for e in today} | {t for h in history for t in h.counts}
    today_counts = Counter(e.theater for e in today)
    days = tuple(h.end.astimezone(tz).date().isoformat() for h in history) + (
        as_of.astimezone(tz).date().isoformat(),
    )
    baseline = _has_baseline(history)
    out = []
    for theater in theaters:
        series = [h.counts.get(theater, 0) for h in history] + [today_counts.get(theater, 0)]
        prev7 = series[-8:-1] or [0]
        avg7 = sum(prev7) / len(prev7)
        yesterday = series[-2] if len(series) > 1 else 0
        out.append(
            Trend(
                theater,
                series[-1],
                yesterday,
                round(avg7, 1),
                _direction(series[-1], yesterday, avg7, baseline),
                tuple(series),
            )
        )
    out.sort(key=lambda t: (-t.today, -sum(t.series), t.theater))
    # A table of quiet theaters helps no one: today's or yesterday's activity only — but every
    # one of those (a cap once hid a key takeaway's theater from the table).
    return tuple(t for t in out if (t.today or t.yesterday) and t.theater != UNPLACED), days


def _has_baseline(history: list[DaySummary]) -> bool:
    """Trends and "new" need a baseline: activity on at least three of the previous seven days."""
    return sum(1 for h in history[-7:] if h.active) >= 3


def _novelty(entry: Entry, theaters: set[str], actors: set[str]) -> tuple[str, ...]:
    new = []
    if entry.theater != UNPLACED and entry.theater not in theaters:
        new.append("theater")
    new += [f"actor:{a}" for a in entry.actors if a not in actors]
    return tuple(new)


# Takeaways should be different happenings. Two entries the merger kept apart may still be one
# story: for the bullets a looser link is enough. On the dev pairs (corpus/pairs.jsonl) this
# links 70 % of same-story pairs and 23 % of different ones — a takeaway skipped that way stays
# in its theater's section, while a repeated one costs a bullet.
TAKEAWAY_SAME_STORY = 0.6


def _takeaways(entries: list[Entry], same_story: Callable[[Entry, Entry], bool]) -> tuple[Entry, ...]:
    """The most severe entries, at most one per happening: an item tagged both an incident and
    a deployment (or in two theaters), or two entries of one story, must not fill two bullets."""
    picked: list[Entry] = []
    used: set[str] = set()
    for e in sorted(entries, key=lambda e: (-e.severity, e.published)):
        links = {s.link or s.title for s in e.sources}
        if links & used or any(same_story(e, p) for p in picked):
            continue
        if len(picked) >= MAX_TAKEAWAYS or (len(picked) >= MIN_TAKEAWAYS and e.severity < TAKEAWAY_FLOOR):
            break
        picked.append(e)
        used |= links
    return tuple(picked)


def _story_test(items: list[StoredItem], background: list[StoredItem]) -> Callable[[Entry, Entry], bool]:
    """Same story for takeaways: the pair scorer on the entries' first reports, loosely."""
    by_link = {s.item.link: s.item for s in items if s.item.link}
    ctx = Context([s.item for s in items], [s.item for s in background])

    def same(a: Entry, b: Entry) -> bool:
        ia, ib = by_link.get(a.sources[0].link), by_link.get(b.sources[0].link)
        # one outlet's reports kept apart are mostly its template headlines for distinct
        # happenings ("Gunfire near Jenin", "Gunfire near Nablus"): 71 of the 118 same-outlet
        # dev pairs are different
        if ia is None or ib is None or a.type != b.type or ia.source == ib.source:
            return False
        ea, eb = (Event(e.type, e.theater, e.actors, (), e.fatalities, e.text) for e in (a, b))
        return link_probability(ctx.features(ia, ea, ib, eb)) >= TAKEAWAY_SAME_STORY

    return same


def compose(
    *,
    title: str,
    as_of: datetime,
    tz: ZoneInfo,
    hours: int,
    items: list[StoredItem],
    sources: list[tuple[str, str]],
    health: dict[str, SourceHealth],
    now: datetime,
    classification: str | None = None,
    history: Sequence[DaySummary] = (),
    background: Sequence[StoredItem] = (),
    usual: dict[str, int] | None = None,
) -> Brief:
    """The brief for the window ending at `as_of`. `items` are those published in the window;
    `history` the per-day summaries of the days before it (trends, novelty, coverage);
    `background` earlier items that only calibrate which words are common (clustering);
    `usual` the reports per source in the days before the window (what a failure leaves out)."""
    start, end = window(as_of, hours)
    history = list(history)
    entries = stories(items, list(background))
    week = history[-7:]
    seen_theaters = {t for h in week for t in h.counts}
    seen_actors = {a for h in week for a in h.actors}
    if _has_baseline(history):  # without one, everything would look new
        entries = [
            replace(e, new=n, severity=severity(e.type, e.fatalities, e.outlets, e.text, n))
            if (n := _novelty(e, seen_theaters, seen_actors))
            else e
            for e in entries
        ]

    by_theater: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        by_theater[e.theater].append(e)
    # Busiest theater first; the unplaced bucket always last. Within a theater: by actor
    # (most active first), then most severe.
    touching: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        for t in e.also:
            touching[t].append(e)
    order = sorted(by_theater, key=lambda t: (t == UNPLACED, -len(by_theater[t]), t))
    # a theater only touched by acts placed elsewhere still gets its section: the cross-references
    order += sorted(t for t in touching if t not in by_theater)
    sections = []
    for t in order:
        es = by_theater.get(t, [])
        actor_rank = Counter(e.actors[0] if e.actors else "~" for e in es)
        es.sort(
            key=lambda e: (
                -actor_rank[e.actors[0] if e.actors else "~"],
                e.actors[0] if e.actors else "~",
                -e.severity,
                e.published,
            )
        )
        incidents, threats, deployments = (tuple(e for e in es if e.type == ty) for ty in TYPES)
        sections.append(
            TheaterSection(
                t,
                incidents,
                threats,
                deployments,
                see_also=tuple(sorted(touching.get(t, ()), key=lambda e: -e.severity)),
            )
        )

    takeaways = _takeaways(entries, _story_test(items, list(background)))

    per_source = Counter(s.item.source for s in items)
    statuses = []
    for name, url in sources:
        h = health.get(name)
        tried = h is not None and h.ok is not None
        ok, error = (bool(h.ok), h.error) if h is not None and tried else (False, None)
        statuses.append(
            SourceStatus(
                name=name,
                url=url,
                ok=ok,
                error=error,
                items=per_source.get(name, 0),
                last_ok=h.last_ok if h else None,
                failing_since=h.failing_since if h else None,
                tried=tried,
            )
        )
    failing = {s.name for s in statuses if s.failed}
    covered_by: dict[str, set[str]] = defaultdict(set)
    for day in week:
        for theater, names in day.sources.items():
            covered_by[theater].update(names)
    gaps = tuple(sorted(t for t, names in covered_by.items() if t != UNPLACED and names and names <= failing))

    coverage = _coverage(statuses, usual or {})
    trend, days = trends(entries, history, as_of, tz)
    return Brief(
        title=title,
        date=as_of.astimezone(tz).date().isoformat(),
        timezone=str(tz.key),
        window_start=start,
        window_end=end,
        generated=now,
        sections=tuple(sections),
        sources=tuple(statuses),
        items_in_window=len(items),
        classification=classification,
        takeaways=takeaways,
        trends=trend,
        days=days,
        coverage_gaps=gaps,
        coverage=coverage,
    )


def _coverage(statuses: list[SourceStatus], usual: dict[str, int]) -> Coverage:
    failed = tuple(s.name for s in statuses if s.failed)
    volume = sum(usual.get(s.name, 0) for s in statuses)
    share = sum(usual.get(n, 0) for n in failed) / volume if volume else None
    return Coverage(
        total=len(statuses),
        failed=failed,
        unfetched=tuple(s.name for s in statuses if not s.tried),
        missing_share=share,
    )
