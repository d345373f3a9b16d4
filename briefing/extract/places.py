"""Where the force lands (LABELING.md \"Theater\"): for an incident the place hit, for a deployment
the destination, for a threat the threatened party's theater (else the speaker's home)."""

from __future__ import annotations

import re

from .lexicon import MOBILE_FORCE, NOUN_ONLY, PLACE_PREPS, SEA_OF, SHIP, STATE_FORCE
from .names import M
from .syntax import clause_span
from .taxonomy import Taxonomy
from .warm import rxc

# fire across a border, or an exchange of fire: each side's fire lands on the other side
BORDER_RX = rxc(
    r"\b(?:cross-border|across the (?:\w+ )?(?:border|frontier|boundary|blue line)|(?:exchang\w*|trad(?:e|es|ed|ing)) (?:of )?(?:heavy )?(?:fire|strikes|blows|rocket fire|gunfire)\b.{0,60}\b(?:border|frontier|blue line))\b",
    re.I,
)
ON_BORDER = rxc(r"\b(?:on|along|at|near) the (?:\w+ )?(?:border|frontier|blue line)\b", re.I)
BORDER_WITH = rxc(r"\b(?:border|frontier|boundary)\s+(?:with|between)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
# the states whose unnamed proxies ("an Iran-backed leader") threaten region-wide
MIDEAST = frozenset(
    (
        "Iran",
        "Iraq",
        "Syria",
        "Lebanon",
        "Yemen",
        "Israel",
        "Saudi Arabia",
        "Qatar",
        "United Arab Emirates",
        "Jordan",
        "Egypt",
    )
)
# what is hit, named with its owner in front ("a US base in Syria": the owner is not the place)
OWNED = frozenset(
    (
        "base",
        "bases",
        "embassy",
        "consulate",
        "outpost",
        "outposts",
        "positions",
        "position",
        "troops",
        "forces",
        "soldiers",
        "warship",
        "warships",
        "ship",
        "ships",
        "vessel",
        "vessels",
        "convoy",
        "patrol",
        "facility",
        "facilities",
        "garrison",
        "military",
        "personnel",
        "destroyer",
        "tanker",
        "tankers",
    )
)
HELD = MOBILE_FORCE | OWNED


def _held(toks, m) -> bool:
    """The name stands in front of forces or property ("US warship", "US embassy"): their owner."""
    return m.j < len(toks) and toks[m.j].key in HELD


# "Israeli airstrikes killed …": the demonym in front of the weapon is the attacker, not the victim
ATTACK_NOUNS = frozenset(
    (
        "strike",
        "strikes",
        "airstrike",
        "airstrikes",
        "air",
        "drone",
        "drones",
        "missile",
        "missiles",
        "rocket",
        "rockets",
        "shelling",
        "shells",
        "bombardment",
        "fire",
        "artillery",
        "raid",
        "raids",
        "attack",
        "attacks",
        "bombing",
        "bombings",
        "gunfire",
        "warplanes",
        "jets",
        "mortar",
        "mortars",
    )
)
# the other side of a border when only one side is named (a group's home → where its fire lands)
ACROSS = {"Lebanon": "Israel", "Gaza": "Israel"}


FACILITY = frozenset(
    "site sites base bases airbase airfield airport port training range camp camps barracks".split()
)
NAVAL = rxc(
    r"\b(?:ships|warships?|navy|naval|aircraft carriers?|carrier|destroyers?|frigates?|submarines?|strike group|amphibious|cruisers?|corvettes?)\b"
)
LAND_OR_AIR = rxc(
    r"\b(?:troops|soldiers|marines|jets|fighter|aircraft(?! carriers?)|bombers|air defen[cs]es?|batter(?:y|ies)|forces|personnel|advisers|tanks)\b"
)


class PlaceRules:
    """Mixin: where the force lands, per event type."""

    tax: Taxonomy  # set by the class it is mixed into
    _regions: frozenset[str] | None = None

    def _precise(self, ms):
        """Region words ("in the Middle East") only when nothing more precise is named: drop
        them from a list of place mentions that also names a country, split or sea."""
        if len(ms) < 2:
            return ms
        if self._regions is None:
            self._regions = frozenset(t for t, k in self.tax.theaters.items() if k == "region")
        keep = [m for m in ms if m.e.place not in self._regions]
        return keep if keep and len(keep) < len(ms) else ms

    def _border_sides(self, s, toks, ments, ti, cs, ce, agents):
        """Fire across a border / an exchange of fire: each side's fire lands on the other side
        ("Hezbollah fires across the border" → Israel; "Israel and Hezbollah trade fire" → both
        theaters; "clashes on the Israel-Lebanon border" → both)."""
        n = len(toks)
        lo = toks[cs].start if cs < n else 0
        hi = toks[ce - 1].end if 0 < ce <= n else len(s)
        if not BORDER_RX.search(s, lo, hi) and not (agents and ON_BORDER.search(s, lo, hi)):
            # "clashes on the Israel-Lebanon border": both sides
            pair = [
                m.e.place
                for m in ments
                if cs <= m.i < ce
                and m.compound
                and m.e.place
                and m.j < n
                and (
                    toks[m.j].key in ("border", "frontier")
                    or (m.j + 1 < n and toks[m.j + 1].key in ("border", "frontier"))
                )
            ]
            return pair if len(set(pair)) == 2 and not agents else None
        named = [
            m.e.place
            for m in ments
            if cs <= m.i < ce
            and m.e.place
            and not m.modifier
            and m not in agents
            and (m.compound or BORDER_WITH.search(s[max(0, toks[m.i].start - 40) : toks[m.i].start]))
        ]
        homes = []
        for a in agents:
            h = getattr(a, "e", None) and (a.e.home or a.e.demonym)
            if h and h not in homes:
                homes.append(h)
        out = []
        for h in homes:
            other = [p for p in homes + named if p != h] or ([ACROSS[h]] if h in ACROSS else [])
            if not other:
                other = [
                    m.e.home or m.e.demonym
                    for m in ments
                    if cs <= m.i < ce
                    and m not in agents
                    and m.e.actor
                    and (m.e.home or m.e.demonym)
                    and (m.e.home or m.e.demonym) != h
                ]
            for p in other[:1]:
                if p not in out:
                    out.append(p)
        if not homes and len(set(named)) >= 2:
            for p in named:
                if p not in out:
                    out.append(p)
        return out or None

    def _places_after(self, s, toks, ments, te, ce, preps=PLACE_PREPS, direct=True):
        out = []
        for m in ments:
            if m.i < te or m.i >= ce or m.modifier or m.compound or not m.e.place:
                continue
            if (
                m.prep in preps
                or (direct and m.prep is None and m.i <= te + 3)
                or (m.prep is None and m.i > te and toks[m.i - 1].key in ("and", "or"))
            ):
                if m.prep == "of" and m.e.actor and not m.e.demonym and m.poss:
                    continue
                out.append(m)
        return out

    def _sea(self, m: M, s: str) -> str | None:
        th = m.e.place
        if th is not None and m.prep == "off" and not m.e.sea and SHIP.search(s):
            return SEA_OF.get(th, th)
        return th

    def _interceptor(self, toks, ments, ti, cs):
        """The state named as the subject in front of an interception ("Ukraine downs …")."""
        subj = [
            m
            for m in ments
            if cs <= m.i
            and m.j <= ti
            and ti - m.j <= 3
            and m.prep is None
            and not m.modifier
            and m.e.actor
            and m.e.place
            and not m.poss
            and not _held(toks, m)
        ]
        return (subj[-1].e.home or subj[-1].e.place) if subj else None

    def _incident_place(self, s, toks, ments, ti, te, cs, ce, agents, cue=""):
        n = len(toks)
        if cue == "shooting" and 0 < te <= n and toks[te - 1].key == "down" and not SHIP.search(s):
            # "Ukraine shoots down drones launched by Russia": where the interceptor is
            subj = self._interceptor(toks, ments, ti, cs)
            if subj:
                return [subj]
        if cue == "interception":
            pre = [
                m
                for m in ments
                if cs <= m.i
                and m.j <= ti
                and m.e.place
                and m.prep in ("in", "over", "off", "near", "at")
                and m not in agents
            ]
            if pre:
                return [self._sea(pre[-1], s)]
            ps = [
                m
                for m in self._places_after(
                    s,
                    toks,
                    ments,
                    te,
                    ce if ce > te else n,
                    preps={"over", "in", "off", "near", "above"},
                    direct=False,
                )
            ]
            if ps:
                return [self._sea(ps[0], s)]
            if SHIP.search(s):
                seas = [m for m in ments if m.e.sea]
                if seas:
                    return [seas[0].e.place]
            # the interceptor named in front ("Ukraine downs drones launched by Russia"), else the agent
            # (not the home of a warship or jets: they intercept wherever they are)
            home = self._interceptor(toks, ments, ti, cs) or next(
                (a.e.home or a.e.demonym for a in agents if (a.e.home or a.e.demonym) and not _held(toks, a)),
                None,
            )
            if home:
                return [home]
            if SHIP.search(s):
                return [None]  # a ship's interception: where the ship is, not where the missile was aimed
        after = self._precise(self._places_after(s, toks, ments, te, ce if ce > te else n))
        # the owner of what is hit ("a US base in Syria", "Israeli positions near X") is not
        # where it is when a place is named after it
        if (
            len(after) > 1
            and after[0].prep in (None, "towards", "toward", "at", "on", "against")
            and after[0].j < n
            and toks[after[0].j].key in OWNED
            and any(m.prep in ("in", "at", "near", "on", "off", "inside", "outside") for m in after[1:])
        ):
            after = after[1:]
        # the border named ("across the border with Lebanon") is not where the fire lands
        sl = s.lower()
        if ("border" in sl or "frontier" in sl or "boundary" in sl or "blue line" in sl) and (
            not after
            or all(
                m.compound or BORDER_WITH.search(s[max(0, toks[m.i].start - 40) : toks[m.i].start])
                for m in after
            )
        ):
            bs = self._border_sides(s, toks, ments, ti, cs, ce if ce > te else n, agents)
            if bs:
                return bs
        if after:
            out = [self._sea(after[0], s)]
            for a, b in zip(after, after[1:]):
                if (
                    s[toks[a.j - 1].end : toks[b.i].start].strip(" .").lower() in (",", "and", ", and")
                    and b.e.place not in out
                ):
                    out.append(self._sea(b, s))
                else:
                    break
            return out
        # places in front of the act ("Gaza bombardment", "Kharkiv, Kyiv ... attacked", "In Gaza, ...")
        lastw = toks[te - 1].key if te - 1 < n else ""
        pre = [
            m
            for m in ments
            if cs <= m.i
            and m.j <= ti
            and m.e.place
            and not m.modifier
            and not m.compound
            and m not in agents
            and (not m.e.actor or m.prep in PLACE_PREPS or (m.j == ti and lastw in NOUN_ONLY and not m.poss))
            and m.prep != "from"
        ]
        if pre:
            return [self._sea(pre[-1], s)]
        later = self._places_after(s, toks, ments, ce, n, direct=False) if ce < n else []
        if later:
            return [self._sea(later[0], s)]
        # a victim named in front of a passive act ("an Israeli was killed")
        for m in ments:
            if (
                cs <= m.i
                and m.j <= ti
                and ti - m.j <= 3
                and m.e.demonym
                and not m.e.actor
                and m not in agents
                and not m.modifier
                and not (m.j < n and (toks[m.j].key in MOBILE_FORCE or toks[m.j].key in ATTACK_NOUNS))
            ):
                return [m.e.demonym]
        # the target's theater: demonym/state/group after the act ("on Israeli positions")
        for m in ments:
            if (
                m.i >= te
                and m.i < (ce if ce > te else n)
                and not m.modifier
                and not m.compound
                and m not in agents
                and m.prep != "from"
            ):
                if (
                    m.e.demonym
                    and not m.e.actor
                    and not (
                        m.j < n
                        and toks[m.j].key in STATE_FORCE
                        and toks[m.j].key not in ("positions", "ships", "vessels", "boats")
                    )
                ):
                    return [m.e.demonym]
                if m.e.actor and m.e.akind == "group" and m.e.home:
                    return [m.e.home]
        # anywhere else in the sentence, not the agent's own name
        firsts = set()
        for m in ments:
            c0, _ = clause_span(s, toks, m.i, m.j)
            if m.prep is None and not any(x.i >= c0 and x.i < m.i for x in ments):
                firsts.add(id(m))
        rest = [
            m
            for m in ments
            if m.e.place
            and not m.modifier
            and not m.compound
            and m not in agents
            and m.prep != "from"
            and not (m.e.actor and m.prep is None and id(m) in firsts and not m.e.sea)
            and cs <= m.i < (ce if ce > te else n)
            and (
                m.prep in PLACE_PREPS
                or not m.e.actor
                or (m.prep is None and id(m) not in firsts and m.i < ti)
            )
        ]
        if rest:
            return [self._sea(rest[0], s)]
        # an attack on shipping with no place: the sea off the home of the armed group named
        # ("Houthis attack another ship" → Red Sea; a state's navy may be anywhere)
        if te < n and SHIP.search(s, toks[te].start):
            for m in list(agents) + [m for m in ments if m.e.actor and m not in agents]:
                h = m.e.home or m.e.demonym
                if h in SEA_OF and not m.e.sea and m.e.akind == "group":
                    return [SEA_OF[h]]
        # only the launch point named, one whose fire goes one way ("rockets fired from Gaza"):
        # the force lands across the border
        for m in ments:
            if (
                m.prep == "from"
                and m.i >= te
                and m.i < (ce if ce > te else n)
                and m.e.place in ACROSS
                and not m.modifier
            ):
                return [ACROSS[m.e.place]]
        return [None]

    def _threat_place(self, s, toks, ments, te, ce, agents, targets):
        n = len(toks)
        # conditional clauses ("if Gaza bombing goes on") don't name the target
        cut = next(
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
        after = self._precise([m for m in self._places_after(s, toks, ments, te, cut) if m not in agents])
        if after:
            out = [self._sea(after[0], s)]
            for a, b in zip(after, after[1:]):
                if (
                    s[toks[a.j - 1].end : toks[b.i].start].strip(" .").lower() in (",", "and", ", and")
                    and b.e.place not in out
                ):
                    out.append(self._sea(b, s))
            return out
        home = next((a.e.home or a.e.demonym for a in agents if (a.e.home or a.e.demonym)), None)
        for m in targets:
            if m.i < cut:
                if m.e.demonym and not m.e.actor:
                    return m.e.demonym
                if m.e.home and m.e.parent not in {a.e.parent for a in agents}:
                    return m.e.home
        # "will retaliate if its forces in the Middle East are attacked": where the threatened
        # force is
        for c in (k for k in range(n) if toks[k].key in ("if", "unless")):
            for m in ments:
                if (
                    c < m.i <= c + 8
                    and m.e.place
                    and not m.modifier
                    and not m.compound
                    and m.prep in ("in", "at", "across", "on", "around")
                    and any(
                        toks[k].key in MOBILE_FORCE
                        or toks[k].key in ("bases", "base", "interests", "personnel")
                        for k in range(max(c, m.i - 4), m.i)
                    )
                ):
                    return self._sea(m, s)
        # "warns of a response if Ukraine uses …": the party the condition is about is the one
        # threatened
        if cut < n and toks[cut].key == "if":
            sub = next(
                (
                    m
                    for m in ments
                    if cut < m.i <= cut + 3 and not m.modifier and not m.poss and m.prep is None
                ),
                None,
            )
            if sub is not None and sub not in agents and (sub.e.actor or sub.e.demonym):
                th = sub.e.home or sub.e.demonym or sub.e.place
                if th and th != home and sub.e.parent not in {a.e.parent for a in agents}:
                    return th
        # the war the threat is about ("Israel-Gaza war will continue") — the side not the speaker's
        for m in ments:
            if m.compound and m.e.place and m.e.place != home and m.i >= te - 8:
                return m.e.place
        if home is None and not agents:
            # an unnamed proxy ("an Iran-backed leader warns…") of a Middle East state: the region
            if any(m.modifier and m.e.place in MIDEAST for m in ments):
                return "Middle East"
        return home

    @staticmethod
    def _owner(toks, m) -> bool:
        """A state named in front of its forces ("a US strike group", "Israeli troops"): whose
        they are, not where they go."""
        return m.prep is None and (
            _held(toks, m) or (m.j < len(toks) and toks[m.j].key in ("strike", "carrier", "navy", "naval"))
        )

    def _deploy_place(self, s, toks, ments, ti, te, cs, ce, agents, cue, ctx):
        n = len(toks)
        home = next((a.e.home or a.e.demonym for a in agents if (a.e.home or a.e.demonym)), None)
        if cue == "mobilise":
            ps = self._places_after(
                s,
                toks,
                ments,
                te,
                ce if ce > te else n,
                preps={"in", "to", "into", "near", "along", "on"},
                direct=False,
            )
            if toks[ti].key.startswith("prepar"):
                # "preparing for a Lebanon ground offensive": aimed where the operation would land
                # (not home; with no place named, the item's place)
                ps = ps or [m for m in ments if ti < m.i < te and m.e.place and not m.e.demonym]
                return ps[0].e.place if ps else None
            return ps[0].e.place if ps else home
        if cue == "exercise":
            ps = self._places_after(
                s,
                toks,
                ments,
                te,
                ce if ce > te else n,
                preps={"in", "near", "off", "around", "along", "over", "with"},
                direct=False,
            )
            return self._sea(ps[0], s) if ps else home
        ps = self._precise(
            [
                m
                for m in self._places_after(
                    s,
                    toks,
                    ments,
                    te,
                    ce if ce > te else n,
                    preps={
                        "to",
                        "in",
                        "into",
                        "near",
                        "off",
                        "toward",
                        "towards",
                        "at",
                        "across",
                        "along",
                        "around",
                        "through",
                        "within",
                        "of",
                    },
                )
                if m not in agents and not self._owner(toks, m)
            ]
        )
        if not ps:
            # "at a Russian military training site": a facility named by its country's demonym
            # (or by its forces: "a Russian military training site")
            fac = next(
                (
                    m
                    for m in ments
                    if m.i >= te
                    and m not in agents
                    and ((m.e.demonym and not m.e.actor) or m.e.akind == "unit")
                    and any(toks[k].key in FACILITY for k in range(m.j, min(n, m.j + 3)))
                ),
                None,
            )
            if fac is not None and (fac.e.demonym or fac.e.home):
                return fac.e.demonym or fac.e.home
            ps = [
                m
                for m in ments
                if m.e.place
                and not m.modifier
                and not m.compound
                and m not in agents
                and m.prep not in ("from",)
                and not (m.e.actor and m.prep is None and m.i < ti)
                and not self._owner(toks, m)
            ]
        if ps:
            m = ps[0]
            # warships sent "to Israel" are positioned off its coast: ships do not land
            if m.e.akind == "state" and not m.e.sea and m.e.place in SEA_OF:
                clause = s[toks[cs].start if cs < n else 0 : toks[ce - 1].end if ce > 0 else len(s)].lower()
                if NAVAL.search(clause) and not LAND_OR_AIR.search(clause):
                    return SEA_OF[m.e.place]
            return self._sea(m, s)
        return None
