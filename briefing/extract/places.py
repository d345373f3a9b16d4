"""Where the force lands (LABELING.md \"Theater\"): for an incident the place hit, for a deployment
the destination, for a threat the threatened party's theater (else the speaker's home)."""
from __future__ import annotations

from .lexicon import NOUN_ONLY, PLACE_PREPS, SEA_OF, SHIP, STATE_FORCE, MOBILE_FORCE
from .names import M
from .syntax import _clause


class PlaceRules:
    """Mixin: where the force lands, per event type."""

    def _places_after(self, s, toks, ments, te, ce, preps=PLACE_PREPS, direct=True):
        out = []
        for m in ments:
            if m.i < te or m.i >= ce or m.modifier or m.compound or not m.e.place:
                continue
            if m.prep in preps or (direct and m.prep is None and m.i <= te + 3) or (m.prep is None and m.i > te and toks[m.i - 1].key in ("and", "or")):
                if m.prep == "of" and m.e.actor and not m.e.demonym and m.poss:
                    continue
                out.append(m)
        return out

    def _sea(self, m: M, s: str) -> str:
        th = m.e.place
        if m.prep == "off" and SHIP.search(s):
            return SEA_OF.get(th, th) if not m.e.sea else th
        return th

    def _incident_place(self, s, toks, ments, ti, te, cs, ce, agents, cue=""):
        n = len(toks)
        if cue == "interception":
            pre = [m for m in ments if cs <= m.i and m.j <= ti and m.e.place and m.prep in ("in", "over", "off", "near", "at") and m not in agents]
            if pre:
                return [self._sea(pre[-1], s)]
            ps = [m for m in self._places_after(s, toks, ments, te, ce if ce > te else n, preps={"over", "in", "off", "near", "above"}, direct=False)]
            if ps:
                return [self._sea(ps[0], s)]
            if SHIP.search(s):
                seas = [m for m in ments if m.e.sea]
                if seas:
                    return [seas[0].e.place]
            home = next((a.e.home or a.e.demonym for a in agents if (a.e.home or a.e.demonym)), None)
            if home:
                return [home]
        after = self._places_after(s, toks, ments, te, ce if ce > te else n)
        if after:
            out = [self._sea(after[0], s)]
            for a, b in zip(after, after[1:]):
                if s[toks[a.j - 1].end:toks[b.i].start].strip(" .").lower() in (",", "and", ", and") and b.e.place not in out:
                    out.append(self._sea(b, s))
                else:
                    break
            return out
        # places in front of the act ("Gaza bombardment", "Kharkiv, Kyiv ... attacked", "In Gaza, ...")
        lastw = toks[te - 1].key if te - 1 < n else ""
        pre = [m for m in ments if cs <= m.i and m.j <= ti and m.e.place and not m.modifier and not m.compound and m not in agents
               and (not m.e.actor or m.prep in PLACE_PREPS or (m.j == ti and lastw in NOUN_ONLY and not m.poss)) and m.prep != "from"]
        if pre:
            return [self._sea(pre[-1], s)]
        later = self._places_after(s, toks, ments, ce, n, direct=False) if ce < n else []
        if later:
            return [self._sea(later[0], s)]
        # a victim named in front of a passive act ("an Israeli was killed")
        for m in ments:
            if cs <= m.i and m.j <= ti and ti - m.j <= 3 and m.e.demonym and not m.e.actor and m not in agents and not m.modifier \
                    and not (m.j < n and toks[m.j].key in MOBILE_FORCE):
                return [m.e.demonym]
        # the target's theater: demonym/state/group after the act ("on Israeli positions")
        for m in ments:
            if m.i >= te and m.i < (ce if ce > te else n) and not m.modifier and not m.compound and m not in agents and m.prep != "from":
                if m.e.demonym and not m.e.actor and not (m.j < n and toks[m.j].key in STATE_FORCE and toks[m.j].key not in ("positions", "ships", "vessels", "boats")):
                    return [m.e.demonym]
                if m.e.actor and m.e.akind == "group" and m.e.home:
                    return [m.e.home]
        # anywhere else in the sentence, not the agent's own name
        firsts = set()
        for m in ments:
            c0, _ = _clause(s, toks, m.i, m.j)
            if m.prep is None and not any(x.i >= c0 and x.i < m.i for x in ments):
                firsts.add(id(m))
        rest = [m for m in ments if m.e.place and not m.modifier and not m.compound and m not in agents and m.prep != "from"
                and not (m.e.actor and m.prep is None and id(m) in firsts and not m.e.sea) and cs <= m.i < (ce if ce > te else n)
                and (m.prep in PLACE_PREPS or not m.e.actor or (m.prep is None and id(m) not in firsts and m.i < ti))]
        if rest:
            return [self._sea(rest[0], s)]
        # an attack on shipping with no place: the sea off the home of the armed group named
        # ("Houthis attack another ship" → Red Sea; a state's navy may be anywhere)
        if te < n and SHIP.search(s, toks[te].start):
            for m in list(agents) + [m for m in ments if m.e.actor and m not in agents]:
                h = m.e.home or m.e.demonym
                if h in SEA_OF and not m.e.sea and m.e.akind == "group":
                    return [SEA_OF[h]]
        return [None]

    def _threat_place(self, s, toks, ments, te, ce, agents, targets):
        n = len(toks)
        # conditional clauses ("if Gaza bombing goes on") don't name the target
        cut = next((k for k in range(te, n) if toks[k].key in ("if", "unless", "until", "amid", "after", "over", "as", "while", "when", "because", "since")), n)
        after = [m for m in self._places_after(s, toks, ments, te, cut) if m not in agents]
        if after:
            out = [self._sea(after[0], s)]
            for a, b in zip(after, after[1:]):
                if s[toks[a.j - 1].end:toks[b.i].start].strip(" .").lower() in (",", "and", ", and") and b.e.place not in out:
                    out.append(self._sea(b, s))
            return out
        for m in targets:
            if m.i < cut:
                if m.e.demonym and not m.e.actor:
                    return m.e.demonym
                if m.e.home and m.e.parent not in {a.e.parent for a in agents}:
                    return m.e.home
        home = next((a.e.home or a.e.demonym for a in agents if (a.e.home or a.e.demonym)), None)
        # the war the threat is about ("Israel-Gaza war will continue") — the side not the speaker's
        for m in ments:
            if m.compound and m.e.place and m.e.place != home and m.i >= te - 8:
                return m.e.place
        return home

    def _deploy_place(self, s, toks, ments, ti, te, cs, ce, agents, cue, ctx):
        n = len(toks)
        home = next((a.e.home or a.e.demonym for a in agents if (a.e.home or a.e.demonym)), None)
        if cue == "mobilise":
            ps = self._places_after(s, toks, ments, te, ce if ce > te else n, preps={"in", "to", "into", "near", "along", "on"}, direct=False)
            return ps[0].e.place if ps else home
        if cue == "exercise":
            ps = self._places_after(s, toks, ments, te, ce if ce > te else n, preps={"in", "near", "off", "around", "along", "over", "with"}, direct=False)
            return self._sea(ps[0], s) if ps else home
        ps = [m for m in self._places_after(s, toks, ments, te, ce if ce > te else n,
                                            preps={"to", "in", "into", "near", "off", "toward", "towards", "at", "across", "along", "around", "through", "within", "of"}) if m not in agents]
        if ps:
            return self._sea(ps[0], s)
        rest = [m for m in ments if m.e.place and not m.modifier and not m.compound and m not in agents and m.prep not in ("from",)
                and not (m.e.actor and m.prep is None and m.i < ti)]
        if rest:
            return self._sea(rest[0], s)
        return None
