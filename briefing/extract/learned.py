"""The extractor: rule candidates in, learned decisions out (issue 12).

The hand rules (``extractor.RuleExtractor``) find trigger sentences, names and a first guess
of type, place and actor; ``features.py`` turns that and the item's words into features; the
trained weights (``model.json``, written by ``python -m briefing.learn.train``) decide:

1. which event types the item reports (one score per type);
2. which of the theater candidates are where the force lands (ranked, main one first);
3. which of the actor candidates initiated an event.

The events shown in the brief are then rebuilt from those decisions: one event per type and
theater (one happening reported in one sentence is one event, not one per place named), its
sentence, actors and fatalities taken from the rule event that agrees with the decision, or
the title when no rule event does. Inference is a dictionary look-up per feature: no
scikit-learn, no network.
"""

from __future__ import annotations

import json
import os
from itertools import repeat
from math import exp

from ..tagging import Event, Tagging
from .extractor import RuleExtractor
from .features import TYPES, candidates, item_features, sentence_features
from .taxonomy import Taxonomy
from .text import clean, sentences

ARTICLE_CHARS = 1200  # a summary longer than this is a whole article (feed summaries: ~100-400)
MODEL_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.json")
_EMPTY = Tagging()
_CACHE: dict = {}


def load_model(path: str = MODEL_PATH) -> dict | None:
    if path in _CACHE:
        return _CACHE[path]
    try:
        with open(path, encoding="utf-8") as fh:
            m = json.load(fh)
    except FileNotFoundError:
        m = None
    _CACHE[path] = m
    return m


def pick(scores: dict[str, float], th: dict, key: str) -> list[str]:
    """The candidates kept for one decision ("theater" or "actor"), best first: those scoring
    at least the threshold, else the best one if it reaches the lower ``<key>_top`` bar (the
    same rule in training's threshold search)."""
    scored = sorted(((p, c) for c, p in scores.items()), key=lambda p: (-p[0], p[1]))
    keep = [c for p, c in scored if p >= th[key]]
    if not keep and scored and scored[0][0] >= th[key + "_top"]:
        keep = [scored[0][1]]
    return keep


def prob(model, feats) -> float:
    if model is None:
        return 0.0
    w = model["w"]
    z = model["bias"] + sum(map(w.get, set(feats), repeat(0.0)))
    return 1.0 / (1.0 + exp(-z)) if z > -30 else 0.0


class Extractor:
    """``Extractor(taxonomy).tag(title, summary, date)`` → :class:`Tagging`.

    ``rules_only=True`` gives the hand rules' own output (the baseline the model must beat,
    and the candidate generator when training)."""

    def __init__(self, taxonomy: Taxonomy | None = None, rules_only: bool = False, model: dict | None = None):
        self.rules = RuleExtractor(taxonomy)
        self.tax = self.rules.tax
        self.model = None if rules_only else (model or load_model())
        if self.model is not None:
            m = self.model
            self._tw = m["types"]["w"]  # feature → [incident, threat, deployment]
            self._tb = m["types"]["bias"]
            self._tt = [m["thresholds"]["type"][t] for t in TYPES]

    def type_scores(self, feats) -> dict[str, float]:
        hits = list(filter(None, map(self._tw.get, set(feats))))
        zs = [b + sum(col) for b, col in zip(self._tb, zip(*hits))] if hits else self._tb
        return {t: (1.0 / (1.0 + exp(-v)) if v > -30 else 0.0) for t, v in zip(TYPES, zs)}

    def tag(self, title: str, summary: str = "", date=None) -> Tagging:
        if self.model is None:
            return self.rules.tag(title, summary, date)
        summary = clean(summary)
        if len(summary) > ARTICLE_CHARS:
            return self._article(clean(title), summary, date)
        return self._item(title, summary, date)

    def _article(self, title: str, body: str, date) -> Tagging:
        """A whole article in one feed item: the model was trained on headline + summary, so
        each passage (the headline with the lede, then every later sentence alone) is tagged
        like an item, then the same happening (type and theater) is kept once."""
        parts = [s for _o, s in sentences(body)]
        cut = next(
            (k for k, s in enumerate(parts) if k and s.lower().lstrip("\"'(").startswith(_TAIL)), len(parts)
        )
        parts = [_decap(s) for s in parts[:cut]]
        passages = [(title, parts[0] if parts else "")] + [("", s) for s in parts[1:]]
        events: list[Event] = []
        seen: dict[tuple, int] = {}
        for t, s in passages:
            got = self._item(t or s, s if t else "", date)
            for e in got.events:
                k = (e.type, e.theater)
                if k in seen:
                    old = events[seen[k]]
                    acts = old.actors + tuple(a for a in e.actors if a not in old.actors)
                    events[seen[k]] = old._replace(
                        actors=acts, fatalities=_maxn(old.fatalities, e.fatalities)
                    )
                    continue
                seen[k] = len(events)
                events.append(e)
        if not events:
            return _EMPTY
        return Tagging(
            tuple(dict.fromkeys(e.type for e in events)),
            tuple(dict.fromkeys(e.theater for e in events if e.theater)),
            tuple(dict.fromkeys(a for e in events for a in e.actors)),
            tuple(events),
        )

    def _item(self, title: str, summary: str, date) -> Tagging:
        item, rule, sents = item_features(self.rules, title, summary, date)
        ps = self.type_scores(item)
        types = [t for t, th in zip(TYPES, self._tt) if ps[t] >= th]
        if not types:
            return _EMPTY
        m = self.model
        assert m is not None  # tag() routes here only when a model is loaded
        th = m["thresholds"]
        picked = [
            pick({c: prob(m[key], fs) for c, fs in cands.items()}, th, key)
            for key, cands in zip(("theater", "actor"), candidates(self.rules, rule, sents))
        ]
        # the type of each sentence that holds rule events, read alone (one statement is a
        # threat or an attack report, not both because the item holds both)
        texts = {e.text for e in rule.events if e.type in types}
        by_sentence = (
            {s: self.type_scores(sentence_features(sents, rule, s)) for s in texts}
            if len(texts) > 1 or len({e.type for e in rule.events if e.type in types}) > 1
            else {}
        )
        return _assemble(types, ps, picked[0], picked[1], rule, clean(title), by_sentence)


def _tail_words() -> tuple[str, ...]:
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "boilerplate.tsv")
    with open(path, encoding="utf-8") as fh:
        return tuple(line.strip() for line in fh if line.strip() and not line.startswith("#"))


_TAIL = _tail_words()


def _decap(s: str) -> str:
    """A cross-headline in capitals run into the next sentence ("IRAN VOWS REVENGE The
    supreme leader said …"): the capitals become a headline of their own, in title case,
    so that they do not read as one long name."""
    words = s.split(" ")
    k = 0
    while k < len(words) and len(words[k]) > 1 and words[k].isupper() and words[k].isalpha():
        k += 1
    if k >= 2:
        return " ".join(w.capitalize() for w in words[:k]) + ". " + " ".join(words[k:])
    return s


def _maxn(a, b):
    return b if a is None else a if b is None else max(a, b)


def _assemble(types, ps, theaters, actors, rule: Tagging, title: str, by_sentence: dict) -> Tagging:
    """Events consistent with the item-level decisions: one per (type, theater), from the
    sentences that read as that type on their own (``by_sentence``: type scores of each
    sentence alone; where a sentence has rule events of two types, the likelier one)."""
    events: list[Event] = []
    used_th: set = set()
    aset = set(actors)
    for t in sorted(types, key=lambda t: -ps[t]):
        mine = [e for e in rule.events if e.type == t]
        if by_sentence:
            own = [e for e in mine if max(by_sentence[e.text], key=by_sentence[e.text].get) == t]
            mine = own or sorted(mine, key=lambda e: -by_sentence[e.text][t])[:1]
        # rule events of this type whose place the model kept, one per theater
        seen = set()
        for e in mine:
            if e.theater in theaters and e.theater not in seen:
                seen.add(e.theater)
                acts = tuple(a for a in e.actors if a in aset) or ()
                events.append(
                    Event(
                        t, e.theater, acts, e.targets, e.fatalities, e.text, e.cues + (f"model {ps[t]:.2f}",)
                    )
                )
        if not seen:
            base = mine[0] if mine else None
            place = next((x for x in theaters if x not in used_th), theaters[0] if theaters else None)
            acts = tuple(a for a in (base.actors if base else ()) if a in aset)
            events.append(
                Event(
                    t,
                    place,
                    acts,
                    base.targets if base else (),
                    base.fatalities if base else None,
                    base.text if base else title,
                    (base.cues if base else ()) + (f"model {ps[t]:.2f}",),
                )
            )
            seen.add(place)
        used_th |= seen
    # every chosen actor belongs to some event: give the unplaced ones to the first event
    # whose rule counterpart had none, else to the main event
    placed = {a for e in events for a in e.actors}
    rest = tuple(a for a in actors if a not in placed)
    if rest:
        k = next((i for i, e in enumerate(events) if not e.actors), 0)
        events[k] = events[k]._replace(actors=events[k].actors + rest)
    out_t = tuple(dict.fromkeys(e.type for e in events))
    order = {c: i for i, c in enumerate(theaters)}
    ths = tuple(sorted({e.theater for e in events if e.theater}, key=lambda c: order.get(c, 99)))
    aorder = {c: i for i, c in enumerate(actors)}
    acs = tuple(sorted({a for e in events for a in e.actors}, key=lambda c: aorder.get(c, 99)))
    return Tagging(out_t, ths, acs, tuple(events))
