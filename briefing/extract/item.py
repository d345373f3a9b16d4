"""Item level: the names seen in the item (for theater fall-backs), the assembly of the item's
events (merging, fall-backs, captions) and small helpers (event construction, dates)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from ..tagging import Event, Tagging
from .lexicon import DATE_RX, LABOUR_ACTION, MONTH_ONLY, MONTHS, PLACE_PREPS, SEA_OF, SHIP
from .names import M
from .text import Tok, tokens
from .warm import rxc


def _at_home(e: Event) -> bool:
    """A deployment with no place named happens at the actor's home only when it is a call-up,
    an alert or an exercise; forces sent, arriving, seen moving or setting up a base are going
    somewhere else (where is unknown)."""
    from .events import find

    first = find(e.cues[0]) if e.cues else []
    return (
        bool(first)
        and first[0][1] in ("mobilise", "exercise")
        and not first[0][5].lower().startswith("prepar")
    )


def assemble(tax, found, ctx) -> Tagging:
    """Item level: captions, deployment-as-part-of-attack, theater fall-backs, merging of the
    same event reported twice; ``found`` = [(sentence index, Event, kind)]."""
    # captions (photo credits) illustrate; they may support but not introduce an event type
    text_types = {e.type for _, e, k in found if k != "caption"}
    found = [(si, e, k) for si, e, k in found if k != "caption" or e.type in text_types]
    # a deployment that is part of an attack in the same sentence is the attack alone
    incident_actors = {(si, a) for si, e, _ in found if e.type == "incident" for a in e.actors}
    found = [
        (si, e, k)
        for si, e, k in found
        if not (
            e.type == "deployment"
            and e.cues
            and e.cues[0].split()[0].startswith(("enter", "arriv", "sent", "send", "deploy", "mov"))
            and any((si, a) in incident_actors for a in e.actors)
        )
    ]
    # fill missing theaters from the item: same-type events first, then any theater named
    # in the item, then the war named in it
    events: list[Event] = []
    guessed: set[int] = set()  # events whose theater is the other side's home (a guess)
    for _si, e, k in found:
        th = e.theater
        if th is None and e.type == "incident" and e.actors and SHIP.search(e.text):
            # attacks in a shipping story by an armed group with a home coast (not a state,
            # whose navy may be anywhere): the sea off it
            parent, kind, home = tax.actors.get(e.actors[0], (None, None, None))
            if kind == "group":
                th = SEA_OF.get(home)
        if th is None:  # same-type events (those already filled in first, in order; not guesses)
            th = next(
                (
                    x.theater
                    for k, x in enumerate(events)
                    if x.theater and x.type == e.type and k not in guessed
                ),
                None,
            ) or next((x.theater for _, x, _ in found if x.theater and x.type == e.type), None)
        if th is None and e.type in ("incident", "deployment"):
            th = ctx.item_place(exclude=set(e.actors))
        if th is None and e.type == "incident" and e.actors:
            th = _other_side(tax, e, [x for _, x, _ in found])
            if th:
                guessed.add(len(events))
        if th is None:
            th = next((x.theater for _, x, _ in found if x.theater), None)
        if th is None and (not e.actors or e.type == "threat"):
            th = ctx.war_place(set(e.actors))
        if th is None and e.type == "incident" and not e.actors:
            # last resort: the country the story is about, named only by a demonym of its people
            # ("Bolivian ex-president says his car was shot at")
            th = ctx.people_place()
        if th is None and e.type == "incident" and e.actors:
            # last resort for a named actor's act with no place anywhere: the other state the item
            # names (not as a speaker) — "Russian troops strike back … to prevent Ukraine from …"
            th = ctx.other_state(set(e.actors))
        if th is None and e.type == "deployment" and e.actors and _at_home(e):
            th = tax.actors.get(e.actors[0], (None, None, None))[2]
        if th != e.theater:
            e = Event(e.type, th, e.actors, e.targets, e.fatalities, e.text, e.cues)
        events.append(e)
    # merge: same type + same sentence → one event; the same statement reported twice
    # (title and summary) is one threat
    merged: list[Event] = []
    for e in events:
        twin = None
        for i, x in enumerate(merged):
            if x.type != e.type:
                continue
            if (
                x.text == e.text
                and (x.theater == e.theater or not e.theater or not x.theater or e.type == "threat")
                and (e.type == "threat" or not x.actors or not e.actors or set(x.actors) & set(e.actors))
            ):
                twin = i
                break
            if e.type == "threat" and set(x.actors) & set(e.actors):
                # the same speaker, but aimed somewhere else too ("strikes in Syria and Iraq"):
                # a second threat theater, not a twin
                # (the same sentence names x's theater too)
                if (
                    x.theater
                    and e.theater
                    and x.theater != e.theater
                    and any(
                        y is not e and y.type == "threat" and y.text == e.text and y.theater == x.theater
                        for y in events
                    )
                ):
                    continue
                twin = i
                break
        if twin is None:
            merged.append(e)
        else:
            x = merged[twin]
            if x.type == "threat":
                homes = {tax.actors.get(a, (None, None, None))[2] for a in x.actors}
                th = e.theater if (x.theater in homes or not x.theater) and e.theater else x.theater
                merged[twin] = Event(
                    x.type, th, x.actors, _uniq(x.targets + e.targets), None, x.text, _uniq(x.cues + e.cues)
                )
                continue
            merged[twin] = Event(
                x.type,
                x.theater or e.theater,
                _uniq(x.actors + e.actors),
                _uniq(x.targets + e.targets),
                _maxn(x.fatalities, e.fatalities),
                x.text,
                _uniq(x.cues + e.cues),
            )
    for i, x in enumerate(merged):
        if x.type == "threat" and x.actors:
            home = tax.actors.get(x.actors[0], (None, None, None))[2]
            if x.theater in (home, None):
                inc = next(
                    (
                        y.theater
                        for y in merged
                        if y.type == "incident"
                        and y.theater
                        and y.theater != home
                        and set(y.actors) & set(x.actors)
                    ),
                    None,
                )
                # the speaker was hit at home: the threat is aimed at who hit it
                # ("… oil facilities that Iran had warned would prompt a retaliation")
                foe = next(
                    (
                        a
                        for y in merged
                        if y.type == "incident" and y.theater == home and home
                        for a in y.actors
                        if a not in x.actors
                    ),
                    None,
                )
                if not inc and foe:
                    inc = tax.actors.get(foe, (None, None, None))[2]
                if inc:
                    merged[i] = Event(x.type, inc, x.actors, x.targets, None, x.text, x.cues)
    types = _uniq(tuple(e.type for e in merged))
    theaters = _uniq(tuple(e.theater for e in merged if e.theater))
    actors = _uniq(tuple(a for e in merged for a in e.actors))
    return Tagging(types=types, theaters=theaters, actors=actors, events=tuple(merged))


class ItemContext:
    """Names seen in the item, for theater fall-backs."""

    def __init__(self, title: str = "", summary: str = ""):
        self.text = f"{title}\n{summary}"
        self._labour: bool | None = None
        self.places: list[tuple[int, M, float]] = []
        self.wars: list[M] = []
        self.peoples: list[str] = []  # states named by a demonym ("Bolivian")
        self.states: list[str] = []  # countries named (not as speakers)
        self.sent = -1
        self.last: tuple[str, int, list[M]] | None = None
        self.lazy: list[tuple[int, str, bool]] = []
        self.eager: list[tuple[int, str, list[Tok]]] = []
        self.mentions: Callable[[str, list[Tok]], list[M]] | None = None  # set by the extractor
        self.year: int | None = None  # the item's year, when dated
        self.first_act = -1  # offset of the current sentence's first incident trigger
        self.gated: tuple | None = None  # the current sentence's first trigger that passed events.dead

    def labour(self) -> bool:
        """The item speaks of labour action (a union, a walkout, a 24-hour strike)."""
        if self._labour is None:
            self._labour = LABOUR_ACTION.search(self.text.lower()) is not None
        return self._labour

    def add_lazy(self, si, s, violent: bool = False):
        """A sentence without a live trigger: tokenised only if a fall-back needs its places
        (``violent``: it has a trigger, dead in its context)."""
        self.lazy.append((si, s, violent))

    def add_tokens(self, si, s, toks):
        """A sentence with triggers: its names are read when a fall-back needs them (the
        extractor may have read them already, ``mentions`` is memoised)."""
        self.eager.append((si, s, toks))

    def _flush(self):
        mentions = self.mentions
        assert mentions is not None  # RuleExtractor.tag sets it before any fall-back reads names
        eager, self.eager = self.eager, []
        for si, s, toks in eager:
            self.add_sentence(si, s, toks, mentions(s, toks), True)
        lazy, self.lazy = self.lazy, []
        for si, s, violent in lazy:
            toks = tokens(s)
            self.add_sentence(si, s, toks, mentions(s, toks), violent)
        self.places.sort(
            key=lambda p: p[0]
        )  # (type, trigger end offset, agents) of the last event in this sentence

    def remember(self, typ, end, agents):
        self.last = (typ, end, agents)

    def inherit(self, s, toks, ti, typ):
        """ "Israel orders a siege … and mobilizes reservists": a verb coordinated with the
        previous act (same clause, joined by "and") shares its subject."""
        if not self.last or ti >= len(toks):
            return []
        _, end, agents = self.last
        gap = s[end : toks[ti].start]
        if (
            agents
            and re.search(r"\band\b|,", gap)
            and not re.search(
                r"[;:.!?]|\b(?:as|after|while|but|when|because|amid|amidst|following|since|before|during|response|retaliation)\b",
                gap,
                re.I,
            )
            and len(gap.split()) <= 8
        ):
            return agents
        return []

    def add_sentence(self, si, s, toks, ments, violent: bool = False):
        for m in ments:
            if (
                m.e.demonym
                and not m.e.actor
                and not m.modifier
                and m.j < len(toks)
                and toks[m.j].key in PEOPLE
            ):
                self.peoples.append(m.e.demonym)
            # (only from sentences about violence: "NATO leaders pin down the U.S. on aid" is not)
            if (
                violent
                and m.e.place
                and m.e.akind == "state"
                and m.e.actor
                and not m.modifier
                and not m.compound
                and not m.poss
                and m.prep != "from"
                and not (m.j < len(toks) and toks[m.j].key in SAYS)
            ):
                self.states.append(m.e.place)
            if m.compound and m.e.place:
                self.wars.append(m)
            elif (
                m.e.place and not m.modifier and m.prep != "from" and (not m.e.actor or m.prep in PLACE_PREPS)
            ):
                # "near the border with Israel" names the neighbour, not where it is: half a vote
                w = (
                    0.5
                    if m.i > 1
                    and toks[m.i - 1].key == "with"
                    and toks[m.i - 2].key in ("border", "frontier", "boundary")
                    else 1
                )
                self.places.append((si, m, w))

    def item_place(self, exclude: set) -> str | None:
        """The item's dominant place: the theater named most often (first named on a tie)."""
        self._flush()
        count: dict[str, float] = {}
        for _, m, w in self.places:
            place = m.e.place
            assert place is not None  # add_sentence keeps place mentions only
            if place not in exclude:
                count[place] = count.get(place, 0) + w
        return max(count, key=count.__getitem__) if count else None

    def other_state(self, actors: set) -> str | None:
        self._flush()
        return next((th for th in self.states if th not in actors), None)

    def people_place(self) -> str | None:
        self._flush()
        return self.peoples[0] if len(set(self.peoples)) == 1 else None

    def war_place(self, actors: set) -> str | None:
        self._flush()
        for m in self.wars:
            if m.e.place not in actors:
                return m.e.place
        return None


def _other_side(tax, e: Event, others: list[Event]) -> str | None:
    """An incident in an item that names no place: it lands on the other side — the home of the
    actor of the item's other acts or threats ("Israel retaliates after Hamas attack": Israel's
    act lands in Gaza, Hamas's in Israel; "Iran stresses its right to respond to Israel's strikes"). Not its targets' home: "Ukrainian shelling of Russian forces" names
    whose forces were hit, not where they stood."""
    mine = set(e.actors)
    homes = {tax.actors.get(a, (None, None, None))[2] for a in mine}
    for name in [a for x in others if x.type in ("incident", "threat") for a in x.actors]:
        if name in mine:
            continue
        home = tax.actors.get(name, (None, None, None))[2]
        if home and home not in homes:
            return home
    return None


SAYS = frozenset(
    "says said say claims claimed warns warned accuses accused announces announced reports reported denies denied".split()
)
# people of a country (not its forces or equipment: "Russian tank" says nothing of where it was)
PEOPLE = frozenset(
    """president ex-president former prime opposition journalist journalists activist activists
    ex man woman boy girl child children family families citizen citizens national nationals civilians
    villagers farmers students worker workers doctor doctors teacher aid politician lawmaker mayor
    businessman tourist tourists residents""".split()
)


def state_of(m: M) -> str:
    return m.e.parent or m.e.demonym or m.e.name


def sponsor_cues(agents, ments) -> list[str]:
    out = []
    for m in agents:
        if isinstance(m, M) and m.e.actor and m.e.actor != m.e.parent:
            out.append(f"{m.e.actor} ({m.e.parent})")
    return out


def make_event(typ, place, agents, targets, fat, text, cues) -> Event:
    ags = _uniq(tuple(a if isinstance(a, str) else state_of(a) for a in agents))
    tgs = tuple(
        t for t in _uniq(tuple(x if isinstance(x, str) else state_of(x) for x in targets)) if t not in ags
    )
    return Event(
        type=typ, theater=place, actors=ags, targets=tgs, fatalities=fat, text=text, cues=_uniq(tuple(cues))
    )


def _uniq(xs):
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return tuple(out)


def _maxn(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def parse_date(d) -> datetime | None:
    if d is None or d == "":
        return None
    if isinstance(d, datetime):
        return d
    try:
        return datetime.fromisoformat(str(d).replace("Z", "+00:00"))
    except ValueError:
        return None


MONTH_YEAR = rxc(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December),? ((?:19|20)\d\d)\b"
)
_MONTHISH = rxc(r"\b(?:a(?:pr|ug)|dec|feb|in (?:19|20[01])|ja[n]|ju[ln]|ma[ry]|nov|oct|sep)")


def is_background_date(s: str, when: datetime) -> bool:
    """An explicit date more than a week before the item's date: background, not news."""
    if not _MONTHISH.search(s.lower()):
        return False
    for m in MONTH_ONLY.finditer(s):
        mon = MONTHS[m.group(1)[:3].lower()]
        # an earlier month this year; or one more than a month ahead, which is last year's
        if (mon < when.month and when.month - mon < 11) or mon > when.month + 1:
            return True
    # "In November 2020": a month of an earlier year, or more than a month back this year
    for m in MONTH_YEAR.finditer(s):
        mon, year = MONTHS[m.group(1)[:3].lower()], int(m.group(2))
        if (when.year * 12 + when.month) - (year * 12 + mon) >= 2:
            return True
    for m in DATE_RX.finditer(s):
        if m.group(7):
            return int(m.group(7)) < when.year
        if m.group(1):
            mon, day, yr = MONTHS[m.group(1)[:3].lower()], int(m.group(2)), m.group(3)
        else:
            mon, day, yr = MONTHS[m.group(5)[:3].lower()], int(m.group(4)), m.group(6)
        if day > 31:
            continue
        year = int(yr) if yr else when.year
        try:
            d = datetime(year, mon, day, tzinfo=when.tzinfo)
        except ValueError:
            continue
        if not yr and d > when + timedelta(days=2):
            d = d.replace(year=year - 1)
        if when - d > timedelta(days=7):
            return True
    return False
