"""The same happening reported by several outlets → one entry listing every source.

Two reports' events may be linked when they agree on type and theater, do not contradict on
actors, and lie within a time window. Whether they are linked is decided by a pair scorer
learned from hand-labelled pairs (`merge_model.json`, trained by `python -m
briefing.learn.pairs train` on corpus/pairs.jsonl): IDF-weighted word overlap of title + lead
and of the titles (words every report shares, "strike", "Gaza", count for little; "Jabalia",
"bureau chief" for much), shared and disjoint rare names, agreeing or contradicting death tolls,
the time between them and whether one outlet wrote both; reports naming different rare names
and none in common are never linked. Oldest first, a report joins the happening it is most
strongly linked to if it is also fairly linked to that happening's other reports (no chains);
the entry's representative is the first report. Roundups only join.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from ..model import Event, Item, SourceRef

# Knowledge kept beside the extractor's: the day summaries' cache is keyed on that folder, so a
# new merge model or pattern recomputes them (pipeline.tagger_version)
ROUNDUPS_FILE = Path(__file__).resolve().parent.parent / "extract" / "roundups.tsv"
MODEL_FILE = ROUNDUPS_FILE.with_name("merge_model.json")

MAX_GAP = timedelta(hours=18)
# A report's rarest words, by which it finds the happenings it may belong to: 20 lose no
# candidate on the dev pairs (8 lost half the merges).
RARE_KEYS = 20
# Joining needs one strong link and, on average over the happening's reports, a fair one: this
# stops chains of near neighbours (a template phrasing on a big day). On the dev pairs a floor
# of 0.7 costs one merge of 181; with single link, 3,000 invented reports of a day became 27
# entries, with this 130.
MEAN_FLOOR = 0.7
RECENT = 7  # with the first, the reports of a happening a newcomer is compared with
_STOP = frozenset(
    "the of in on at to for and or by with from as is are was were has have had be been "
    "it its this that after over into says said say amid than more about also their they "
    "who which while when where what will would could not but new one two three four five "
    "six seven eight nine ten least near other others some".split()
)
_LOWER_WORD = re.compile(r"(?<![\w'-])[a-z][a-z]{2,}\b")
_WORD = re.compile(r"[a-z][a-z0-9'-]+|\d+")
# Capitalised words inside a sentence: names of ships, towns, units, people — one word each, so
# that "Wael Al-Dahdouh" and "Dahdouh" share a name.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}")
_COMMON = frozenset(
    "The This That These Israeli Israel Gaza Ukraine Ukrainian Russian Russia US "
    "Iran Iranian Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "January February March April May June July August September October "
    "November December Minister President Army Forces Ministry".split()
)


def roundup_patterns(path: Path = ROUNDUPS_FILE) -> list[tuple[str, str]]:
    """(pattern, example) rows of a pattern file (roundups.tsv, cumulative.tsv)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, example = line.split("\t")
            rows.append((pattern, example))
    return rows


_ROUNDUP = re.compile("|".join(f"(?:{p})" for p, _ in roundup_patterns()), re.IGNORECASE)
CUMULATIVE_FILE = ROUNDUPS_FILE.with_name("cumulative.tsv")
_CUMULATIVE = re.compile("|".join(f"(?:{p})" for p, _ in roundup_patterns(CUMULATIVE_FILE)), re.IGNORECASE)


def cumulative_toll(sentence: str) -> bool:
    """A toll over a war or a period ('the death toll rises to…', 'since October 7'): context."""
    return bool(_CUMULATIVE.search(sentence))


def is_roundup(item: Item) -> bool:
    """A live blog, key-events list or daily briefing: it corroborates, it is not an entry."""
    return bool(_ROUNDUP.search(f"{item.title} {item.summary[:300]}"))


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP and (len(w) > 2 or w.isdigit()))


def names(text: str) -> frozenset[str]:
    return frozenset(n for n in _NAME.findall(text) if n not in _COMMON)


def _title_case(title: str) -> bool:
    """'Several Family Members of Al Jazeera's Gaza Bureau Chief Are Killed': every word is
    capitalised, so capitals name nothing."""
    ws = [w for w in title.split() if w[:1].isalpha() and len(w) > 3]
    return len(ws) >= 3 and sum(w[0].isupper() for w in ws) / len(ws) > 0.7


def _name_text(item: Item) -> str:
    return item.summary[:400] if _title_case(item.title) else _text(item)


@dataclass
class Cluster:
    event: Event  # the representative (first reported)
    items: list[Item] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    why: str = ""  # what its reports share, for the reader

    def refs(self) -> tuple[SourceRef, ...]:
        seen, out = set(), []
        for it in self.items:
            if (it.source, it.link or it.uid) in seen:
                continue
            seen.add((it.source, it.link or it.uid))
            out.append(SourceRef(it.source, it.title, it.link, it.published))
        return tuple(out)


def _compatible(a: Event, b: Event) -> bool:
    return not a.actors or not b.actors or bool(set(a.actors) & set(b.actors))


def _text(item: Item) -> str:
    return f"{item.title}. {item.summary[:400]}"


class Context:
    """What makes a word or a name common: counted over the batch plus a background (e.g. the
    day before), so that a small batch does not make every word look rare."""

    def __init__(self, items: list[Item], background: Sequence[Item] = ()):
        texts = {id(it): _text(it) for it in items}
        self.bags = {k: words(t) for k, t in texts.items()}
        self.titles = {id(it): words(it.title) for it in items}
        back = [words(_text(it)) for it in background]
        df = Counter(w for bag in (*self.bags.values(), *back) for w in bag)
        n = len(self.bags) + len(back) + 1
        self.idf = {w: math.log(n / c) + 0.5 for w, c in df.items()}
        # A name helps only if it is rare in this batch: "Houthi" or "Red Sea" name a theater's
        # every report; "Coral Meridian" or "Jabalia" name one happening.
        name_sets = {id(it): names(_name_text(it)) for it in items}
        name_df = Counter(
            nm for ns in (*name_sets.values(), *(names(_name_text(it)) for it in background)) for nm in ns
        )
        rare = max(3, int(0.03 * n))
        # …and only if it is a name at all: a capitalised word the batch also writes in lower
        # case ("Here's what…", "Two killed", "Reports:") is an ordinary word at a line's start.
        lower = {w for it in (*items, *background) for w in _LOWER_WORD.findall(_text(it))}
        self.names = {
            k: frozenset(nm for nm in ns if name_df[nm] <= rare and nm.lower() not in lower)
            for k, ns in name_sets.items()
        }
        self._weights: dict[frozenset[str], float] = {}

    def overlap(self, a: frozenset[str], b: frozenset[str]) -> float:
        # |a ∪ b| = |a| + |b| − |a ∩ b| in IDF weight: only the (small) intersection is summed
        shared = sum(self.idf.get(w, 1.0) for w in a & b)
        union = self._weight(a) + self._weight(b) - shared
        return shared / union if union else 0.0

    def _weight(self, bag: frozenset[str]) -> float:
        w = self._weights.get(bag)
        if w is None:
            w = self._weights[bag] = sum(self.idf.get(x, 1.0) for x in bag)
        return w

    def why(self, c: Cluster) -> str:
        """Why these reports are one entry, in the reader's terms: the rarest words and names
        they share, their tolls, and the hours between the first and the last."""
        reports = list({(it.source, it.link or it.uid): it for it in c.items}.values())
        if len(reports) < 2:
            return ""
        counts = Counter(w for it in reports for w in self.bags[id(it)])
        shared = sorted(
            (w for w, n in counts.items() if n >= 2 and not w.isdigit()),
            key=lambda w: (-self.idf.get(w, 1.0), w),  # ties alphabetically: the same text every run
        )[:4]
        name_counts = Counter(n for it in reports for n in self.names[id(it)])
        names_ = sorted(n for n, k in name_counts.items() if k >= 2)[:3]
        parts = []
        if shared:
            parts.append("shared words: " + ", ".join(shared))
        if names_:
            parts.append("names: " + ", ".join(names_))
        tolls = sorted({e.fatalities for e in c.events if e.fatalities})
        if len(tolls) > 1:
            parts.append(f"tolls {tolls[0]}–{tolls[-1]}")
        elif tolls:
            parts.append(f"toll {tolls[0]}")
        span = max(it.published for it in reports) - min(it.published for it in reports)
        parts.append(f"within {max(1, round(span.total_seconds() / 3600))} h")
        return "; ".join(parts)

    def features(self, a: Item, ea: Event, b: Item, eb: Event) -> dict[str, float]:
        """The pair scorer's inputs (names as in merge_model.json)."""
        na, nb = self.names[id(a)], self.names[id(b)]
        tolls = 0.0
        if ea.fatalities and eb.fatalities:
            f = max(ea.fatalities, eb.fatalities)
            tolls = 1.0 if abs(ea.fatalities - eb.fatalities) <= max(2, 0.2 * f) else -1.0
        return {
            "text": self.overlap(self.bags[id(a)], self.bags[id(b)]),
            "title": self.overlap(self.titles[id(a)], self.titles[id(b)]),
            "shared_names": float(min(3, len(na & nb))),
            "disjoint_names": float(bool(na) and bool(nb) and not na & nb),
            "tolls": tolls,
            "gap": min(1.0, abs((a.published - b.published).total_seconds()) / MAX_GAP.total_seconds()),
            "same_outlet": float(a.source == b.source),
        }


def _load_model(path: Path = MODEL_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


MODEL = _load_model()


def link_probability(feats: dict[str, float], model: dict = MODEL) -> float:
    z = model["intercept"] + sum(model["weights"][k] * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-z))


def cluster(
    pairs: list[tuple[Item, Event]], background: Sequence[Item] = (), model: dict = MODEL
) -> list[Cluster]:
    """Group (item, event) pairs, which must be sorted by publication time."""
    ctx = Context([it for it, _ in pairs], list(background))
    firsts = [p for p in pairs if not is_roundup(p[0])]
    roundups = [p for p in pairs if is_roundup(p[0])]

    def linked(i: tuple[Item, Event], j: tuple[Item, Event]) -> float:
        (a, ea), (b, eb) = i, j
        if a is b:
            return 1.0  # another sentence of the same report
        if abs(a.published - b.published) > MAX_GAP or not _compatible(ea, eb):
            return 0.0
        feats = ctx.features(a, ea, b, eb)
        if feats["disjoint_names"]:
            # Two reports naming different rare places or people and none in common describe two
            # happenings, however alike their wording ("Gunfire near Jenin", "Gunfire near
            # Nablus"): a false merge hides an event. On the dev pairs this vetoes 1 of the 66
            # same-story links the scorer makes.
            return 0.0
        return link_probability(feats, model)

    # Within each (type, theater), oldest first: a report joins the earlier happening it is
    # most strongly linked to, if it is also fairly linked to that happening's other reports
    # (MEAN_FLOOR), or starts its own.
    # Candidates come from an index of each report's rarest words: a pair sharing none of them
    # cannot reach the threshold, and a big day is not compared pair by pair.
    clusters: list[Cluster] = []
    buckets: dict[tuple[str, str | None], list[Cluster]] = {}
    by_word: dict[tuple[str, str | None], dict[str, list[Cluster]]] = {}

    def keys(item: Item) -> list[str]:
        return sorted(ctx.bags[id(item)], key=lambda w: (-ctx.idf.get(w, 1.0), w))[:RARE_KEYS]

    for item, ev in firsts:
        bucket = (ev.type, ev.theater)
        index = by_word.setdefault(bucket, {})
        rare = keys(item)
        seen: set[int] = set()
        best, best_p = None, model["threshold"]
        for c in (c for w in rare for c in index.get(w, ())):
            if id(c) in seen or item.published - c.items[-1].published > MAX_GAP:
                continue
            seen.add(id(c))
            # its first report and its latest ones: a long story's early reports say little
            # about today's update, and a big day must not compare every pair
            members = list(zip(c.items, c.events))
            members = members[:1] + members[1:][-RECENT:]
            ps = [linked(m, (item, ev)) for m in members]
            p = max(ps)
            if p >= best_p and sum(ps) / len(ps) >= MEAN_FLOOR:
                best, best_p = c, p
        if best is None:
            best = Cluster(ev)
            clusters.append(best)
            buckets.setdefault(bucket, []).append(best)
        best.items.append(item)
        best.events.append(ev)
        for w in rare:
            group = index.setdefault(w, [])
            if not group or group[-1] is not best:
                group.append(best)
    # Roundups join the happening they are most linked to (by its best report), or nothing.
    for item, ev in roundups:
        best, best_p = None, model["threshold"]
        for c in buckets.get((ev.type, ev.theater), []):
            p = max(linked((m, e), (item, ev)) for m, e in zip(c.items, c.events))
            if p >= best_p:
                best, best_p = c, p
        if best is not None:
            best.items.append(item)
            best.events.append(ev)
    for c in clusters:
        c.why = ctx.why(c)
    return clusters
