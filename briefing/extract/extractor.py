"""Item → events: sentence by sentence, each trigger checked in context, then who and where.

Principles (LABELING.md):
- an incident/threat/deployment is a trigger in context: negated ("denied", "no"), speculative
  ("could", "analysts fear", "weighs sending") or background ("amid bombardment", an explicit
  date more than a week before the item) triggers are not events;
- actors are initiators: the subject, the agent of a passive ("by X"), the demonym or owner in
  front of the act ("Israeli strikes", "Israel's raid"); sponsors ("Iran-backed") and targets
  or victims are not actors; unnamed perpetrators give no actor;
- theater is where the force lands: the place the act is in/on/at, the target's theater, for a
  deployment the destination, for a threat the threatened party's theater, else the speaker's.

Pipeline (one job per module): ``events`` finds triggers (a stem pre-filter over the raw item,
then rules dispatched by word start) and drops those that cannot become events on sentence-level
evidence; ``text`` cleans, splits and tokenises; ``names`` finds mentions; ``actors`` decides who,
``places`` where; ``item`` does the item-level fall-backs and merging; this module runs the
per-trigger checks in context and ties them together. Most feed items stop at the pre-filter.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import datetime

from ..tagging import Event, Tagging
from . import events as ev
from .actors import ActorRules
from .item import ItemContext, assemble, is_background_date, make_event, parse_date, sponsor_cues, state_of
from .lexicon import (
    AID,
    ASSET,
    BOUND_WORDS,
    CAPTION,
    DEPLOY_SPEC,
    EXERCISE_MIL,
    MIL_ASSET,
    NONSTATE_ARMED,
    NOUN_ONLY,
    PLACE_PREPS,
    RISK_WARN,
    SANCTION,
    SEND_ASSET,
    SPEAKER_NOUNS,
    STATE_FORCE,
    THREAT_CONTENT,
)
from .names import M, NameFinder, name_tables
from .numbers import fatalities
from .places import PlaceRules
from .syntax import clause_span
from .taxonomy import Taxonomy, load_taxonomy
from .text import clean, sentences, tokens
from .warm import memo, rxc
from .warm import save as save_warm

# Nature as the subject of a strike verb ("lightning strikes", "an earthquake struck").
NATURE = rxc(
    r"\b(?:lightning|earthquakes?|quakes?|storms?|hurricanes?|typhoons?|cyclones?|tornado(?:es)?|"
    r"floods?|avalanches?|landslides?|wildfires?|bushfires?|tsunamis?|heatwaves?)\b"
)

EMPTY = Tagging()
TELL_VERBS = frozenset(
    "tell tells told call calls called urge urges urged warn warns warned give gives gave order orders ordered demand demands demanded".split()
)
DISPUTE = rxc(
    r"\b(?:debates?|debating|moderat\w+|campaign trail|primary|caucus|town hall|hearing|testif\w*|lawsuit|courtroom)\b"
)
CLASH_CIVIL = rxc(
    r"\W*(?:with|between) (?:[\w'.-]+ ){0,3}?(?:judges?|courts?|governor|senators?|congress\w*|lawmakers|legislators|parliament|un|united nations|eu|european union|leaders|officials|ministers?|president|prime minister|chancellor|regulators|critics|unions?|party|candidates?|media|journalists|reporters|moderators?|hosts?|board|bosses)\b"
)
INTERCEPTED_GOODS = rxc(
    r"\b(?:cocaine|drugs?|narcotics|heroin|cannabis|contraband|cigarettes|goods|products|wildlife|ivory|shipments?|parcels?|packages?|smuggl\w*|migrants|refugees?|asylum|calls|communications|emails|messages|cash|passes|pass|ball)\b"
)
FESTIVE = rxc(
    r"\b(?:carnivals?|festivals?|fiesta|parades?|re-?enact\w*|food fight|snowball fight|pillow fight|paintball|for fun|satir\w*|parody|video games?|board games?)\b"
)
DESCRIBED = rxc(
    r"\W*(?:[\w-]+ )?(?:enclave|strip|territory|city|town|village|area|region|neighbou?rhood|district|country|capital|province|buildings?|homes?|houses?|hospitals?|streets?|ruins)\b"
)
ATTRIBUTIVE = rxc(
    r"\b(?:the|a|an|this|that|its|their)\s+(?:heavily|badly|repeatedly|partly|partially|largely|much|often|already|once|long|relentlessly|constantly|[\w]+-)\s*$"
)
CIVIL_SHIPS = rxc(
    r"\b(?:fewer|more|cargo|merchant|commercial|container|shipping|cruise|fishing|tanker|tankers|ferry|ferries)\b[\w ]{0,15}\b(?:ships?|vessels?|boats?)\b|^\W*(?:ships?|vessels?)\b"
)
MILITARY_SEA = rxc(
    r"\b(?:warships?|navy|naval|military|destroyers?|frigates?|carriers?|submarines?|coast guard|marines)\b"
)
# "the shelling of past winters", "the strikes of previous years": the act is dated after it
# dated after the act to more than a week back: "gunned down early this year", "two months ago"
DATED_AFTER = rxc(
    r"^(?:(?!\b(?:which|that|who|one|ones|like|mirrors?|echo\w*|compared|recall\w*|remind\w*)\b).)*?\b(?:last (?:year|month|summer|winter|spring|autumn|fall)|(?:early|earlier|late|later) (?:this|last) year|(?:a|one|two|three|four|five|six|several|many|\d+) (?:months?|years?|decades?) (?:ago|earlier))\b"
)
# a trend, not an act: "attacks and civilian deaths rose as the talks dragged on"
TREND_AFTER = rxc(
    r"^\W*(?:[\w'-]+ ){0,4}?(?:have |has )?(?:rose|risen|increased|surged|soared|doubled|tripled|declined|climbed|grew|grown|spiked)\b(?! (?:into|in|across|through|toward|towards|onto|past|over|forward|out)\b)"
)
PAST_AFTER = rxc(
    r"\W*(?:of|in|during) (?:the )?(?:past|previous|last|earlier|former|bygone) (?:\w+ )?(?:years?|winters?|summers?|springs?|autumns?|months?|decades?|wars?|conflicts?)\b"
)
CREDIT_ONLY = rxc(
    r"\((?:[^()]*(?:getty|photo|reuters|afp|\bap\b|epa|images|via|handout|supplied|file)[^()]*)\)\s*$", re.I
)
CAMPAIGN_VERBS = frozenset(("bombs", "bomb", "pounds", "pound", "shells", "shell", "bombards", "bombard"))
AS_CLAUSE = rxc(r"(?:^|\W)(?:as|while)\s+(?:[\w'-]+\s+){1,3}$", re.I)
AIRCRAFT = rxc(r"\b(?:fighter jets?|jets?|aircraft|bombers?|planes?|airliners?|spy planes?|reconnaissance)\b")
PROJECTILE = rxc(r"\b(?:missiles?|rockets?|drones?|projectiles?|uavs?|shells?|barrage|salvo)\b")
MISSILE_TEST = rxc(
    r"\binto (?:the )?(?:\w+ )?(?:sea|waters|ocean)\b|\btest(?:s|ed|ing)?\b|\btest-fir\w*|\blaunching drill\b"
)
_CRIME_WORDS = rxc(
    "suspect|custody|motive|shooter|manhunt|jury|bride|groom|wedding|friend|shooting|criminal|year-old|knife|stabb|robber|burglar|murder|homicide|domestic"
)
CRIME = rxc(
    r"\b(?:suspects?|custody|motive|shooter|manhunt|jury|(?:school|mass|campus|workplace|mall|church|restaurant|pub|bar|nightclub|party|wedding|drive-by|street|fatal) shooting|bride|groom|wedding|girlfriend|boyfriend|criminals?|crime network|(?:\d+|\w+)-year-old (?:man|woman|boy|girl|male|female|suspect|teen)|knife|stabb\w+|robber\w*|burglar\w*|murder\w*|homicide|domestic)\b"
)
POLITICAL = rxc(
    r"\b(?:terror\w*|militant\w*|extremis\w*|jihad\w*|insurg\w*|separatis\w*|islamist\w*|nationalis\w*|sectarian|political\w*|hate crime|soldiers?|troops|army|military|settlers?|occupation|checkpoint|rebels?|war|wars|airstrikes?|bomb\w*|missiles?|rockets?|drones?|shell\w*|gunmen|assassin\w*|protest\w*)\b"
)
RESPONDERS = rxc(
    r"(?i)\b(?:[\w-]+ ){1,3}(?:police|authorities|prosecutors|investigators|officials|media|state media|news agency)\b"
)
# who clashes violently without a force word: crowds and police ("protesters clashed with police")
CLASH_SIDES = rxc(
    r"\b(?:police|policemen|riot|security|protesters|demonstrators|rioters|crowds?|mobs?|fans|supporters|residents|villagers|tribes(?:men)?|gangs?|clans?|youths|settlers|students)\b"
)
PLACE_AFTER_PREP = rxc(r"\b(?:in|near|at|outside|around|across)\s+(?:the\s+)?[A-Z]")
OVER_ISSUE = rxc(r"^[^,;:]*?\b(?:over|about)\b")
YEAR_BEFORE = rxc(r"\b((?:19|20)\d\d)(?:'s)?(?: [\w-]+){0,3} $")
SEIZED_GOODS = rxc(
    r"\b(?:cocaine|drugs?|narcotics|heroin|assets|funds|property|passports?|documents|goods|contraband|cigarettes|artifacts|gold|cash|weapons cache|phones?|power|opportunity|moment|initiative|imagination|headlines)\b"
)
SEIZED_PLACE = rxc(
    r"\b(?:town|city|village|territory|ship|vessel|tanker|plane|airport|base|building|parliament|capitol|hospital|control|positions?|area|region|district|port|island|settlement|kibbutz|outpost|checkpoint)\b"
)
# the gap between two coordinated acts: "bombardments and ground operations", "strikes, raids"
COORD = rxc(r"\s*(?:,|and|or|, and|as well as)\s+(?:[\w-]+\s+){0,2}$")
FORCE_SUBJ = frozenset(
    "jets warplanes planes aircraft bombers drones forces troops army military artillery tanks navy warships".split()
)
NOT_OBJECT = frozenset(
    """were was are is be and or that which who had have has exploded explode went found fell
    dropped drop kill killed killing hit hits made used supplied sent shipments to for from in on at of with by as
    after near into over""".split()
)


def _shipped() -> tuple:
    t = load_taxonomy()
    return t, name_tables(t)


MAX_TRIGGERS = 8


def _caption(st: str) -> bool:
    """A photo caption (CAPTION), with substring tests first: most sentences have no credit in
    brackets and do not start like a caption."""
    if "(" not in st:
        low = st[:40].lower()
        if "file photo" not in st.lower() and not low.startswith(
            ("a ", "an ", "handout", "screen", "file", "photo", "picture", "image", "locator")
        ):
            return False
    return CAPTION.search(st) is not None


class RuleExtractor(NameFinder, ActorRules, PlaceRules):
    """The hand rules: candidate events, names and places (``learned.Extractor`` decides).
    ``RuleExtractor(taxonomy).tag(title, summary)``.
    Names: names.py; who: actors.py; where: places.py; item level: item.py; triggers: events.py."""

    def __init__(self, taxonomy: Taxonomy | None = None):
        if taxonomy is None:
            # the shipped taxonomy and its name tables, kept across runs (warm.py)
            self.tax, tables = memo("taxonomy", _shipped)
        else:
            self.tax, tables = taxonomy, None
        self._last_agents: list = []
        self._ctx_drop = False
        self._span_cache: tuple = (None, [], [])
        self._mmemo: dict = {}
        self.sentence_tokens: dict[str, list] = {}
        self._low: tuple = (None, "")
        self._init_names(tables)
        save_warm()

    # -- the item ------------------------------------------------------------------------------
    def tag(self, title: str, summary: str = "", date: str | datetime | None = None) -> Tagging:
        self.sentence_tokens = {}
        self._mmemo = {}
        if not ev.STEM.search(f"{title or ''}\n{summary or ''}".lower()):
            return EMPTY
        title = clean(title)
        summary = clean(summary)
        # triggers over the whole title / summary (a rule never spans a sentence boundary),
        # then handed to their sentences
        ttrig = ev.find(title) if title else []
        strig = ev.find(summary) if summary else []
        if not ttrig and not strig:
            return EMPTY
        when = parse_date(date)
        sents: list[tuple[str, str, list]] = []
        for kind0, text, trigs in (("title", title, ttrig), ("summary", summary, strig)):
            if not text:
                continue
            parts = sentences(text)
            if kind0 == "summary" and len(parts) > 1 and CREDIT_ONLY.match(parts[-1][1]):
                # a photo credit split off as its own "sentence" ("… on Oct. 7, 2023. (Reuters/X)"):
                # it belongs to the caption before it
                (o1, _), (o2, s2) = parts[-2], parts[-1]
                parts = parts[:-2] + [(o1, text[o1 : o2 + len(s2)])]
            for off, st in parts:
                end = off + len(st)
                mine = [(t[0], t[1], t[2] - off, t[3] - off, t[4], t[5]) for t in trigs if off <= t[2] < end]
                # a photo caption (only matters for a sentence that has a trigger)
                kind = "caption" if mine and kind0 == "summary" and _caption(st) else kind0
                sents.append((kind, st, mine))
        found: list[tuple[int, Event, str]] = []
        ctx = ItemContext(title, summary)
        ctx.mentions = self.names_in
        ctx.year = when.year if when else None
        for si, (kind, st, trig) in enumerate(sents):
            violent = bool(trig)
            if trig:
                low = st.lower()
                self._low = (st, low)  # the same string object for _event (sport() memo)
                has_actor = self.may_name_actor(low, st)
                # the first trigger that passes the gate: _event need not repeat the gate's
                # sentence-level checks for it
                ctx.gated = next((t for t in trig if not ev.dead(t, low, has_actor)), None)
                if ctx.gated is None:
                    trig = []
            if not trig:
                ctx.add_lazy(si, st, violent)
                continue
            toks = self.sentence_tokens[st] = tokens(st)
            ctx.add_tokens(si, st, toks)
            ments = None  # read on demand by _event (self.names_in)
            if when and is_background_date(st, when):
                continue
            ctx.sent = si
            ctx.last = None
            trig.sort(key=lambda t: (t[2], ev.TYPE_ORDER[t[0]]))
            # no real sentence has more (pool-2023q4: at most 6 in 38,500 sentences); a text
            # stuffed with trigger words should not cost the rules' full checks per word
            del trig[MAX_TRIGGERS:]
            ctx.first_act = next((t[2] for t in trig if t[0] == "incident"), -1)
            prev_end: dict[str, int] = {}
            last_cue = None  # the rule of the trigger behind found[-1]
            dropped: dict[str, int] = {}
            ctx_dropped: dict[str, int] = {}
            for t in trig:
                # "took down a salvo", "killed … in shelling": one act, reported by its first trigger
                pe = prev_end.get(t[0])
                prev_end[t[0]] = t[3]
                if (
                    pe is not None
                    and t[0] == "incident"
                    and t[2] >= pe
                    and len(st[pe : t[2]].split()) <= 3
                    and not re.search(r"[;:,.!?]", st[pe : t[2]])
                    and not (set(st[pe : t[2]].lower().split()) & BOUND_WORDS)
                ):
                    # ("took down a salvo": what was intercepted, not a second act; "downed drone
                    # destroys homes" is one)
                    if (
                        found
                        and found[-1][0] == si
                        and last_cue == "interception"
                        and (t[5].lower() in NOUN_ONLY or t[5].lower() in ("salvo", "salvos"))
                    ):
                        continue
                    # "the risk of attacks targeting …": the first trigger was rejected (speculative,
                    # negated), the participle continuing it is the same act
                    if (
                        dropped.get(t[0]) == pe
                        and t[4]
                        and t[5].lower() in ("targeting", "targetting", "aimed at", "aiming at")
                    ):
                        continue
                cd = ctx_dropped.get(t[0])
                if cd is not None and COORD.match(st, cd, t[2]):
                    ctx_dropped[t[0]] = t[3]
                    continue
                e = self._event(t, st, toks, ments, kind, ctx)
                if e is None:
                    dropped[t[0]] = t[3]
                    if self._ctx_drop:
                        ctx_dropped[t[0]] = t[3]
                    continue
                xs = e if isinstance(e, list) else [e]
                if xs[0].actors:
                    ctx.remember(t[0], t[3], self._last_agents)
                for x in xs:
                    found.append((si, x, kind))
                last_cue = t[1]
        if not found:
            return EMPTY
        if any(e.type == "incident" for _, e, _ in found) and self._plain_crime(f"{title}\n{summary}", found):
            found = [f for f in found if f[1].type != "incident"]
            if not found:
                return EMPTY
        return assemble(self.tax, found, ctx)

    def _plain_crime(self, text: str, found) -> bool:
        """A crime with no political or military side (LABELING.md: not an incident): a stabbing
        or shooting with a suspect and the police, no named state or group, nothing military."""
        if any(e.actors for _, e, _ in found if e.type == "incident"):
            return False
        low = text.lower()
        if not _CRIME_WORDS.search(low) or not CRIME.search(low) or POLITICAL.search(low):
            return False
        # a named group, leader or force, or a people (not the responders' nationality: "Swiss
        # police said …"; a country named as the place is not a party)
        for _, st in sentences(RESPONDERS.sub(" ", clean(text))):
            toks = tokens(st)
            if any((m.e.actor and not m.e.place) or m.e.demonym for m in self.mentions(st, toks)):
                return False
        return True

    # -- one trigger ---------------------------------------------------------------------------
    def _spans(self, toks):
        """Token start and end offsets of a sentence (cached for its triggers)."""
        c = self._span_cache
        if c[0] is not toks:
            c = self._span_cache = (toks, [t.start for t in toks], [t.end for t in toks])
        return c[1], c[2]

    def names_in(self, s: str, toks) -> list[M]:
        """Name mentions of a tokenised sentence, memoised for the item (the learned layer
        reads them too, with ``sentence_tokens``: the tokens of the sentences the last
        ``tag`` call tokenised)."""
        k = id(toks)
        hit = self._mmemo.get(k)
        if hit is None or hit[0] is not toks:
            hit = self._mmemo[k] = (toks, self.mentions(s, toks))
        return hit[1]

    def _whole_territory(self, s: str, toks, te: int) -> bool:
        """What follows the act is a whole country or territory and little else ("bombs Gaza",
        "pound it"), not a target ("bombards Hamas targets")."""
        rest = [t for t in toks[te : te + 4] if not re.search(r"[,;:.]", s[toks[te].start : t.start])]
        if not rest or len(rest) > 3:
            return False
        if rest[0].key == "it":
            return True
        e = self.tax.index.get(rest[0].key)
        return e is not None and e.place is not None and e.place == e.name and len(rest) <= 2

    @staticmethod
    def _verb_use(toks, ments, ti: int, te: int) -> bool:
        """ "Israel bombs Beirut", "jets shell Kharkiv": "bomb(s)"/"shell" is a verb only right
        after a force-holder (a state or group named, or a force noun) and before its object."""
        if ti == 0:
            return False
        subj = toks[ti - 1].key in FORCE_SUBJ or any(m.j == ti and m.state for m in ments)
        nxt = toks[te].key if te < len(toks) else ""
        return subj and nxt not in NOT_OBJECT

    def _event(self, trig, s: str, toks, ments: list[M] | None, kind: str, ctx) -> Event | list[Event] | None:
        typ, cue, a, b, weak, surface = trig
        n = len(toks)
        starts, ends = self._spans(toks)
        ti = bisect_right(ends, a)  # first token ending after the trigger start
        te = bisect_left(starts, b)  # first token starting at/after the trigger end
        cs, ce = clause_span(s, toks, ti, te)
        bs = cs - 1 if cs > 0 and toks[cs - 1].key in BOUND_WORDS else cs
        before = s[toks[bs].start if bs < n else a : a].lower() if bs < ti else ""
        low = self._low[1] if self._low[0] is s else s.lower()
        sent_before = low[:a]
        # rejected by its context (negated, stopped, speculative, background): an act coordinated
        # with it ("after months of bombardments and ground operations") shares that context
        self._ctx_drop = True
        if ev.negated(before if before else sent_before[-40:]):
            return None
        if typ != "threat" and ev.stopped(before if before else sent_before[-40:], surface.lower()):
            return None
        after = low[b : toks[ce - 1].end] if ce > te else ""
        if ev.POST_NEG.search(after[:80]):
            return None
        if typ != "incident" and ev.background(before):
            return None
        clause_low = low[toks[cs].start if cs < n else 0 : toks[ce - 1].end if ce > 0 else len(s)]
        cues = [surface.lower()]

        if typ == "incident":
            rest = low[:a] + " " + low[b:]  # the sentence without the trigger
            if (
                cue in ("strike", "strike-bare")
                and ctx.labour()
                and not ev.FORCE.search(rest)
                and not ev.DAMAGE.search(rest)
            ):
                return None  # a walkout, in an item about labour action
            if cue in ("strike", "strike-bare") and re.search(
                r"\b(?:union|unions|workers?|port|dock|rail|teachers?|nurses?|doctors?|staff|pay|wage|walkout|picket|suspend\w*|end\w*|call\w* off|hunger|general|national|strike action)\W+(?:\w+ )?$",
                low[max(0, a - 30) : a],
            ):
                return None
            gated = trig is ctx.gated  # ev.dead's checks on the sentence before it all failed
            if (
                ev.speculative(before)
                or not gated
                and (
                    ev.speculative(sent_before, 25)
                    or ev.AFTER_SPEC.match(low[b : b + 30])
                    or ev.hypothetical(sent_before)
                )
            ):
                return None
            if (
                ev.background(before)
                or (not gated and ev.background(sent_before[-30:]))
                or PAST_AFTER.match(low, b)
                or (
                    ("ago" in after or "last" in after or "year" in after or "earlier" in after)
                    and DATED_AFTER.match(after, 0, 60)
                )
            ):
                return None
            if TREND_AFTER.match(after) and not re.search(r"\b(?:toll|tally|count|number)\b", low):
                return None
            # an act dated to an earlier year: "the 2020 Nova Scotia mass shooting"
            y = (
                YEAR_BEFORE.search(sent_before[-40:])
                if ctx.year and (" 19" in sent_before or " 20" in sent_before)
                else None
            )
            if y and int(y.group(1)) < ctx.year:
                return None
            self._ctx_drop = False
            # Nature or an accident as the subject ("lightning strikes", "an earthquake struck"):
            # not an act of force, whatever the verb's strength, unless a weapon is in the sentence.
            if NATURE.search(low[max(0, a - 40) : a]) and not ev.FORCE.search(rest):
                return None
            # a staged or mock fight ("the carnival's annual Battle of the Oranges", the "targets"
            # of satirical floats): no force anywhere else in the sentence
            if cue in ("clash", "fighting", "hit") and FESTIVE.search(low) and not ev.FORCE.search(rest):
                return None
            # a participle describing a place, not an act reported now: "the heavily bombed enclave"
            if (
                surface[-2:].lower() == "ed"
                and DESCRIBED.match(low, b)
                and ATTRIBUTIVE.search(low, max(0, a - 25), a)
            ):
                return None
            # "targets of satirical floats": the noun, with no force after it
            if (
                surface.lower() in ("target", "targets")
                and low.startswith(" of ", b)
                and not ev.FORCE.search(low, b, b + 60)
            ):
                return None
            # intercepting an aircraft near one's airspace is air policing, not force (an intercepted
            # missile, drone or rocket is an incident)
            if (
                cue == "interception"
                and surface.lower().startswith("intercept")
                and AIRCRAFT.search(low)
                and not PROJECTILE.search(low)
            ):
                return None
            # customs or police stopping goods or calls: "wildlife products were intercepted"
            if (
                cue == "interception"
                and surface.lower().startswith("intercept")
                and not PROJECTILE.search(low)
                and INTERCEPTED_GOODS.search(low)
            ):
                return None
            # a missile test: fired "into the sea", a "test" launch (a show of force, not an attack)
            if cue == "fire" and MISSILE_TEST.search(clause_low):
                return None
            # a blaze: "Fire at coal firm office kills 26", "killed in a fire at a rehab centre"
            if (
                cue == "fire"
                and surface[:5].lower() == "fire "
                and (a == 0 or re.search(r"\b(?:in|of|by|after|from)\W*$", low[max(0, a - 8) : a]))
            ):
                return None
            # an industrial or traffic accident: a boiler, a gas tank, a transformer exploding
            if cue == "explosion" and ev.accident(clause_low) and not ev.WEAPON.search(low):
                return None
            # "… as Israel bombs Gaza", "as Israeli forces pound Gaza": a campaign going on in the
            # background of a feature, like "amid the bombardment"
            bg = (
                ev.amid(before)
                or ev.amid(sent_before[-30:])
                or (
                    surface.lower() in CAMPAIGN_VERBS
                    and AS_CLAUSE.search(sent_before[-45:]) is not None
                    and self._whole_territory(s, toks, te)
                    and not any(t[0] == "incident" for t in ev.find(s[:a]))
                )
            )
            if "since the" in low and ev.SINCE_START.search(low):
                return None
            if weak:
                # the trigger itself is not disaster context ("forces storm a hospital")
                if (
                    ev.DISASTER.search(clause_low.replace(cues[0], " ", 1))
                    or ev.sport(low)
                    or (ev.accident(clause_low) and not ev.WEAPON.search(low))
                ):
                    return None
                if cue == "hit" and SANCTION.search(clause_low):
                    return None
                # a war's cumulative toll or ruin ("a yearlong war that killed thousands and left
                # widespread destruction"): context, like background
                if ("war" in low or "conflict" in low) and (
                    (cue == "killing" and ev.KILLED_IN_WAR.search(low))
                    or (cue == "hit" and ev.KILLED_IN_WAR.search(low, 0, a))
                ):
                    self._ctx_drop = True
                    return None
                if cue == "seizure" and (
                    SEIZED_GOODS.search(low, b, b + 40) or not SEIZED_PLACE.search(low, b, b + 60)
                ):
                    return None
                strong_ctx = ev.violent_context(low, a, b, cue)
                # shortcut (same result): a weak act with no force around it needs a named agent,
                # and none can be found where no actor name is near it and nothing is inherited
                if cue in ev.WEAK_INCIDENT and not strong_ctx and ctx.last is None:
                    lo = toks[cs].start if cs < n else 0
                    hi = toks[min(n, max(ce, te + 11)) - 1].end if n else len(s)
                    if not self.may_name_actor(low[lo:hi], s[lo:hi]):
                        return None
            ments = self.names_in(s, toks)
            if cue in ("clash", "fighting"):
                # people disagreeing, not forces fighting: "X clashed with Netanyahu over …",
                # "border controls clash with an ideal", "police chiefs battle to restore trust"
                nxt = toks[te].key if te < n else ""
                force = ev.FORCE.search(rest)
                armed = force or CLASH_SIDES.search(low)
                # a match, a debate or a hearing ("clashes before the game"), "clashed with the judge /
                # the UN / the governor": no forces
                if not force and (
                    ev.sport(low) or DISPUTE.search(low) or (cue == "clash" and CLASH_CIVIL.match(low, b))
                ):
                    return None
                if not force and nxt == "to" and surface.lower().startswith("battle"):
                    return None
                if not armed and (
                    nxt in ("over", "about") or (cue == "clash" and OVER_ISSUE.match(low, b, b + 80))
                ):
                    return None
                if (
                    cue == "clash"
                    and not armed
                    and not any(m.e.actor or m.e.demonym for m in ments)
                    and not PLACE_AFTER_PREP.search(s)
                ):
                    return None
            if cue == "clash":
                names = [
                    m
                    for m in ments
                    if cs <= m.i < (ce if ce > te else n)
                    and not (m.e.place and m.prep in PLACE_PREPS)
                    and not m.poss
                ]
                if (
                    names
                    and any(m.i >= ti for m in names)
                    and all(
                        m.e.akind == "leader"
                        and not m.e.capital
                        and m.e.name.split()[-1].lower() not in STATE_FORCE
                        for m in names
                    )
                ):
                    return None
            agents, targets = self._agents(s, toks, ments, ti, te, cs, ce, typ, cue, surface)
            if not agents:
                agents = ctx.inherit(s, toks, ti, typ)
            if (
                weak
                and cue == "killing"
                and not agents
                and re.search(
                    r"\b(?:have|has) (?:now )?(?:been killed|died|been wounded|been injured)\b",
                    low[max(0, a - 20) : b + 5],
                )
            ):
                return None
            if weak:
                if cue in ev.WEAK_INCIDENT:
                    if not agents and not strong_ctx:
                        return None
                if (
                    cue == "assault"
                    and surface.lower() in ("advance", "advances", "advanced", "advancing", "operation")
                    and not agents
                    and not re.search(
                        r"\b(?:troops|forces|army|military|tanks|soldiers|israel\w*|russia\w*|ukrain\w*)\b",
                        low,
                    )
                ):
                    return None
                if (
                    cue == "assault"
                    and surface.lower() == "operation"
                    and re.search(
                        r"\b(?:search|rescue|recovery|evacuation|sting|police|undercover|covert|security) operation",
                        low,
                    )
                ):
                    return None
                if (
                    cue == "hit"
                    and surface.lower().startswith("enter")
                    and not re.search(
                        r"\b(?:tanks|troops|forces|soldiers|army|military|fighters|militants|gunmen)\b", low
                    )
                ):
                    return None
                if cue == "attack" and re.search(
                    r"\b(?:verbal|personal|political|rhetorical|stinging|scathing|blistering|withering|vitriolic|searing|scornful|sarcastic)\b",
                    low[max(0, a - 20) : a],
                ):
                    return None
            if cue == "bomb-verb" and not self._verb_use(toks, ments, ti, te):
                return None
            if bg and (not agents or surface.lower() in CAMPAIGN_VERBS):
                return None
            places = self._incident_place(s, toks, ments, ti, te, cs, ce, agents, cue)
            # the toll of the clause the act is in; else the sentence's, which belongs to its first
            # act ("Israel killed a commander in Beirut as Iran launched missiles": not the missiles')
            clause = s[toks[cs].start if cs < n else 0 : toks[ce - 1].end if ce > 0 else len(s)]
            fat = fatalities(clause)
            if fat is None and a == ctx.first_act and len(clause) < len(s):
                fat = fatalities(s)
            evs = [
                make_event(typ, p, agents, targets, fat, s, cues + sponsor_cues(agents, ments))
                for p in places
            ]
            return evs if len(evs) > 1 else evs[0]

        self._ctx_drop = False
        if typ == "threat":
            ments = self.names_in(s, toks)
            if cue != "ultimatum":
                if RISK_WARN.match(low[b : b + 40]):
                    return None
                # advice, not threat: "warned Israel to fight more surgically"
                if cue == "warn":
                    nxt = [m for m in ments if m.i >= te and m.i <= te + 4]
                    if nxt and nxt[0].j < n and toks[nxt[0].j].key in ("to", "not"):
                        return None
                    if te < n and toks[te].key in ("to", "not"):
                        return None
                if cue == "threaten" and surface.lower() == "threatening":
                    return None
                # "Israel's annexation threatens Jordan": a thing that endangers, not a speaker
                if (
                    cue == "threaten"
                    and ti >= 2
                    and toks[ti - 2].poss
                    and not toks[ti - 1].upper
                    and toks[ti - 1].key not in STATE_FORCE
                    and toks[ti - 1].key not in NONSTATE_ARMED
                    and toks[ti - 1].key not in SPEAKER_NOUNS
                ):
                    return None
                content = low[b : b + 50]
                if len(after) < 15 and not THREAT_CONTENT.search(after):
                    # a bare verb ("…, Hezbollah warns"): the statement is in front of it
                    content = low[max(0, a - 70) : a]
                mc = THREAT_CONTENT.search(content)
                if not mc:
                    return None
                # a pledge of money or help ("pledged $5 billion toward rebuilding war-ravaged Gaza")
                if re.search(
                    r"\b(?:support|aid|help|solidarity|commitment|backing|assistance|funding|billions?|millions?|dollars|euros|pounds|rebuild\w*|reconstruct\w*|invest\w*|spend\w*|donat\w*)\b|[$\u20ac\u00a3]",
                    content[: mc.start()],
                ):
                    return None
                # "economic consequences", "political retaliation": not force
                if re.search(
                    r"\b(?:economic|financial|political|diplomatic|legal|electoral|trade|commercial|humanitarian|health)\W+$",
                    content[: mc.start()],
                ):
                    return None
                if re.match(
                    r"\W*(?:of )?(?:a |an )?(?:long|lengthy|protracted|difficult|hard|tough|prolonged)\b",
                    low[b : b + 30],
                ):
                    return None
            speaker = self._speaker(s, toks, ments, ti, cs, kind)
            expecter = None
            if surface[:7].lower() == "or face":
                # "X tells / calls on / urges Y to … or face an attack": X threatens, Y is threatened
                tv = next((k for k in range(ti) if toks[k].key in TELL_VERBS), None)
                if tv is None:
                    return None
                subj = [m for m in ments if m.j <= tv and (m.e.actor or m.e.demonym) and not m.modifier]
                told = [m for m in ments if tv < m.i < ti and m.state and not m.modifier]
                speaker = [subj[-1]] if subj else None
                expecter = told[0] if told else None
            if (
                speaker
                and surface.lower().startswith("expect")
                and all(
                    toks[k].key in ("should", "must", "will", "would", "can", "could", "to", "now")
                    for k in range(speaker[0].j, ti)
                )
            ):
                # "X said Iran should expect retaliation": Iran is the target, the speaker is X
                expecter = speaker[0]
                speaker = self._speaker(s, toks, ments, expecter.i, cs, kind)
            if speaker is None:
                return None
            agents = speaker
            tcut = next(
                (
                    k
                    for k in range(te, n)
                    if toks[k].key
                    in (
                        "if",
                        "unless",
                        "until",
                        "amid",
                        "after",
                        "over",
                        "as",
                        "while",
                        "when",
                        "because",
                        "since",
                    )
                ),
                n,
            )
            targets = [
                m
                for m in ments
                if (m.i >= te or (cue == "ultimatum" and m.i > ti))
                and m.i < tcut
                and not m.modifier
                and m.state
                and m.prep != "from"
                and m not in agents
            ]
            if expecter is not None and (expecter.e.home or expecter.e.demonym or expecter.e.place):
                places = expecter.e.home or expecter.e.demonym or expecter.e.place  # who should expect it
                targets = [expecter] + targets
            else:
                places = self._threat_place(s, toks, ments, te, ce, agents, targets)
            if not isinstance(places, list):
                places = [places]
            evs = [
                make_event(
                    typ,
                    p,
                    [state_of(m) for m in agents],
                    [state_of(m) for m in targets],
                    None,
                    s,
                    cues + sponsor_cues(agents, ments),
                )
                for p in places
            ]
            return evs if len(evs) > 1 else evs[0]

        # deployment
        if DEPLOY_SPEC.search(before[-60:]) or DEPLOY_SPEC.search(sent_before[-30:]):
            return None
        self._ctx_drop = False
        if (
            ti > 0
            and toks[ti - 1].key in ("the", "a", "an", "its", "their", "his", "her", "newly", "recently")
            and surface.lower().endswith("ed")
        ):
            return None
        if cue == "send":
            obj = ev.passive_object(low, a, b)
            if not SEND_ASSET.search(obj) or (AID.search(obj) and not ev.TROOP_WORDS.search(obj)):
                return None
        elif cue == "deploy":
            if not ASSET.search(clause_low):
                return None
        elif cue == "arrive":
            w = surface.lower()
            subj_text = low[toks[cs].start if cs < n else 0 : a]
            if w.startswith(
                ("position", "station", "build", "bolster", "reinforc", "mass", "mov", "assembl")
            ):
                if not ASSET.search(clause_low) and not w.startswith(("bolster", "reinforc")):
                    return None
                if w.startswith("bolster") and not ev.BOLSTER_OBJ.search(low, b, b + 50):
                    return None
            elif not SEND_ASSET.search(subj_text) and not ev.AIR_SUBJ.search(subj_text):
                return None
            elif w.startswith("head") and (
                PROJECTILE.search(low, max(0, a - 30), a) or not SEND_ASSET.search(subj_text)
            ):
                return None  # missiles "heading for Israel" (an attack coming), planes heading home
            elif CIVIL_SHIPS.search(subj_text) and not MILITARY_SEA.search(low):
                return None  # "fewer ships sailed through the Red Sea": trade, not forces
        elif cue == "mobilise":
            if not ev.MOBIL_ASSET.search(clause_low) and "serve" not in surface.lower():
                return None
        elif cue == "exercise":
            if not EXERCISE_MIL.search(clause_low) and not ev.MILITARY.search(low):
                return None
            if surface.lower().startswith("drill") and ev.DRILL_CIVIL.search(low):
                return None
        elif cue == "present":
            # "North Korean troops are already operating in Kursk": named forces where they are,
            # and nothing being done there in the same clause (that is the act)
            if any(t[0] == "incident" for t in ev.find(clause_low)):
                return None
        elif cue == "movement":
            # the asset is what moves or is seen: the subject ("tanks were spotted"), or the
            # noun's complement ("a convoy of armoured vehicles", "movement of troops")
            w = surface.lower()
            subj_text = low[toks[cs].start if cs < n else 0 : a]
            if not MIL_ASSET.search(subj_text) and not (
                w.startswith(("convoy", "column", "movement")) and MIL_ASSET.search(low[b : b + 45])
            ):
                return None
        elif cue == "establish":
            if not ASSET.search(clause_low) and not ev.MILITARY_WORD.search(surface.lower()):
                return None
        ments = self.names_in(s, toks)
        agents, targets = self._agents(s, toks, ments, ti, te, cs, ce, typ, cue, surface)
        if not agents:
            agents = ctx.inherit(s, toks, ti, typ)
        if cue == "coalition" and not agents:
            return None
        place = self._deploy_place(s, toks, ments, ti, te, cs, ce, agents, cue, ctx)
        return make_event(typ, place, agents, targets, None, s, cues + sponsor_cues(agents, ments))
