"""The same happening reported by several outlets → one entry listing every source.

Candidates must agree on type and theater, not contradict on actors, and lie within a time
window. Their texts are then compared by IDF-weighted word overlap (weighted Jaccard over
title + lead): words every report shares ("strike", "killed", "Gaza") count for little, words
that identify a happening ("Jabalia", "school", "patrol ship") for much. Shared names and
agreeing death tolls add evidence; disjoint names and contradicting tolls subtract.
Greedy single pass, oldest first: an event joins the most similar open cluster or starts one.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from .model import Event, Item, SourceRef

ROUNDUPS_FILE = Path(__file__).with_name("extract") / "roundups.tsv"

MAX_GAP = timedelta(hours=18)
THRESHOLD = 0.17
SAME_OUTLET_TITLE = 0.35
_STOP = frozenset("the of in on at to for and or by with from as is are was were has have had be been "
                  "it its this that after over into says said say amid than more about also their they "
                  "who which while when where what will would could not but new one two three four five "
                  "six seven eight nine ten least near other others some".split())
_WORD = re.compile(r"[a-z][a-z0-9'-]+|\d+")
# Capitalised words inside a sentence: names of ships, towns, units, people.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}(?:[- ][A-Z][a-z]+)*")
_COMMON = frozenset("The This That These Israeli Israel Gaza Ukraine Ukrainian Russian Russia US "
                    "Iran Iranian Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
                    "January February March April May June July August September October "
                    "November December Minister President Army Forces Ministry".split())


def roundup_patterns(path: Path = ROUNDUPS_FILE) -> list[tuple[str, str]]:
    """(pattern, example) rows of the roundup file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, example = line.split("\t")
            rows.append((pattern, example))
    return rows


_ROUNDUP = re.compile("|".join(f"(?:{p})" for p, _ in roundup_patterns()), re.IGNORECASE)


def is_roundup(item: Item) -> bool:
    """A live blog, key-events list or daily briefing: it corroborates, it is not an entry."""
    return bool(_ROUNDUP.search(f"{item.title} {item.summary[:300]}"))


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower())
                     if w not in _STOP and (len(w) > 2 or w.isdigit()))


def names(text: str) -> frozenset[str]:
    return frozenset(n for n in _NAME.findall(text) if n not in _COMMON)


@dataclass
class Cluster:
    event: Event                                  # the representative (first reported)
    items: list[Item] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    titles: list[frozenset[str]] = field(default_factory=list)

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


def _figures(c: Cluster, ev: Event) -> float:
    """Evidence from death tolls: close figures (updates differ a little) agree."""
    figures = [e.fatalities for e in c.events if e.fatalities]
    if not ev.fatalities or not figures:
        return 0.0
    return 0.1 if any(abs(f - ev.fatalities) <= max(2, 0.2 * f) for f in figures) else -0.15


def _text(item: Item) -> str:
    return f"{item.title}. {item.summary[:400]}"


def cluster(pairs: list[tuple[Item, Event]], background: list[Item] = ()) -> list[Cluster]:
    """Group (item, event) pairs, which must be sorted by publication time. Word and name
    rarity are counted over the pairs' items plus `background` (e.g. the last two weeks), so
    that a small batch does not make every word look rare."""
    texts = {id(it): _text(it) for it, _ in pairs}
    bags = {k: words(t) for k, t in texts.items()}
    corpus = {**bags, **{id(it): words(_text(it)) for it in background}}
    df = Counter(w for bag in corpus.values() for w in bag)
    n = len(corpus) + 1
    idf = {w: math.log(n / c) + 0.5 for w, c in df.items()}
    # A name helps only if it is rare in this batch: "Houthi" or "Red Sea" name a theater's
    # every report; "Coral Meridian" or "Jabalia" name one happening.
    name_sets = {k: names(t) for k, t in texts.items()}
    name_df = Counter(nm for ns in (*name_sets.values(), *(names(_text(it)) for it in background)) for nm in ns)
    rare = max(3, int(0.03 * n))
    name_sets = {k: frozenset(nm for nm in ns if name_df[nm] <= rare) for k, ns in name_sets.items()}

    def similarity(a: set[str], b: frozenset[str]) -> float:
        union = sum(idf.get(w, 1.0) for w in a | b)
        return sum(idf.get(w, 1.0) for w in a & b) / union if union else 0.0

    clusters: list[Cluster] = []
    # Open clusters per (type, theater): only those can take a new event, and only while their
    # latest report is recent — this keeps a month of history at linear-ish cost.
    open_: dict[tuple[str, str | None], list[Cluster]] = {}
    every: dict[tuple[str, str | None], list[Cluster]] = {}
    # Roundups come last and only join: they corroborate the happenings they mention.
    firsts = [p for p in pairs if not is_roundup(p[0])]
    roundups = [p for p in pairs if is_roundup(p[0])]
    for n, (item, ev) in enumerate([*firsts, *roundups]):
        joins_only = n >= len(firsts)
        bag, item_names, title = bags[id(item)], name_sets[id(item)], words(item.title)
        if joins_only:
            bucket = [c for c in every.get((ev.type, ev.theater), [])
                      if abs(item.published - c.items[-1].published) <= MAX_GAP]
        else:
            bucket = open_.setdefault((ev.type, ev.theater), [])
            bucket[:] = [c for c in bucket if item.published - c.items[-1].published <= MAX_GAP]
        best, best_score = None, THRESHOLD
        for c in bucket:
            if not _compatible(c, ev):
                continue
            if any(i.source == item.source and i.uid == item.uid for i in c.items):
                best = c                          # another sentence of the same item
                break
            if all(i.source == item.source for i in c.items):
                # One outlet's items share boilerplate (a photo caption, a live-page blurb)
                # across different stories: an update must also repeat its headline.
                if max(similarity(set(t), title) for t in c.titles) < SAME_OUTLET_TITLE:
                    continue
            score = similarity(c.words, bag) + _figures(c, ev)
            shared = len(c.names & item_names)
            if shared:
                score += min(0.16, 0.08 * shared)
            elif c.names and item_names:
                # Different rare names (two towns, two ships): a false merge would hide an
                # event, which costs an analyst more than a duplicate line.
                score -= 0.45
            if score >= best_score:
                best, best_score = c, score
        if best is None and joins_only:
            continue                              # a roundup of happenings nobody else reported
        if best is None:
            best = Cluster(ev)
            clusters.append(best)
            bucket.append(best)
            every.setdefault((ev.type, ev.theater), []).append(best)
        best.items.append(item)
        best.events.append(ev)
        best.words |= bag
        best.names |= item_names
        best.titles.append(title)
    return clusters
