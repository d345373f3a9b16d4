"""The same happening reported by several outlets → one entry listing every source.

Candidates must agree on type and theater, not contradict on actors, and lie within a time
window; their texts must then be similar (rapidfuzz token-set ratio over normalised words).
Greedy single pass, oldest first: an event joins the most similar open cluster or starts one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from rapidfuzz import fuzz

from .model import Event, Item, SourceRef

MAX_GAP = timedelta(hours=18)
MIN_SIMILARITY = 62.0
_STOP = frozenset("a an the of in on at to for and or by with from as is are was were has have "
                  "had be been it its this that after over into says said say amid".split())
_WORD = re.compile(r"[a-z0-9]+")
# Capitalised words inside a sentence: names of ships, towns, units, people. Two reports that
# share two of them (beyond the theater's name) are very likely about the same happening.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}(?:[- ][A-Z][a-z]+)*")
_COMMON = frozenset("The This That These Israeli Israel Gaza Ukraine Ukrainian Russian Russia US "
                    "Iran Iranian Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
                    "January February March April May June July August September October "
                    "November December Minister President Army Forces Ministry".split())


def names(text: str) -> frozenset[str]:
    return frozenset(n for n in _NAME.findall(text) if n not in _COMMON)


def _norm(text: str) -> str:
    return " ".join(w for w in _WORD.findall(text.lower()) if w not in _STOP)


@dataclass
class Cluster:
    event: Event                                  # the representative (first reported)
    items: list[Item] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def refs(self) -> tuple[SourceRef, ...]:
        seen, out = set(), []
        for it in self.items:
            if (it.source, it.link or it.uid) in seen:
                continue
            seen.add((it.source, it.link or it.uid))
            out.append(SourceRef(it.source, it.title, it.link, it.published))
        return tuple(out)


def _compatible(c: Cluster, ev: Event) -> bool:
    a, b = set(c.event.actors), set(ev.actors)
    return not a or not b or bool(a & b)


def _figures_agree(c: Cluster, ev: Event) -> float:
    """Bonus when both state a death toll and the tolls are close (updates differ a little)."""
    figures = [e.fatalities for e in c.events if e.fatalities]
    if not ev.fatalities or not figures:
        return 0.0
    return 12.0 if any(abs(f - ev.fatalities) <= max(2, 0.2 * f) for f in figures) else -10.0


def cluster(pairs: list[tuple[Item, Event]]) -> list[Cluster]:
    """Group (item, event) pairs, which must be sorted by publication time."""
    clusters: list[Cluster] = []
    # Open clusters per (type, theater): only those can take a new event, and only while their
    # latest report is recent — this keeps a month of history at linear-ish cost.
    open_: dict[tuple[str, str | None], list[Cluster]] = {}
    for item, ev in pairs:
        key = _norm(f"{item.title} {item.summary[:400]}")
        item_names = names(f"{item.title}. {item.summary[:400]}")
        bucket = open_.setdefault((ev.type, ev.theater), [])
        bucket[:] = [c for c in bucket if item.published - c.items[-1].published <= MAX_GAP]
        best, best_score = None, MIN_SIMILARITY
        for c in bucket:
            if not _compatible(c, ev):
                continue
            if any(i.source == item.source and i.uid == item.uid for i in c.items):
                best, best_score = c, 101.0      # another sentence of the same item
                break
            score = max(fuzz.token_set_ratio(key, k) for k in c.keys) + _figures_agree(c, ev)
            score += 15.0 if len(c.names & item_names) >= 2 else 0.0
            if score >= best_score:
                best, best_score = c, score
        if best is None:
            best = Cluster(ev, [], [], [])
            clusters.append(best)
            bucket.append(best)
        best.items.append(item)
        best.events.append(ev)
        best.keys.append(key)
        best.names |= item_names
    return clusters
