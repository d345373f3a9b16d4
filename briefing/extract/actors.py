"""Who did it: the initiator of an act (subject, passive agent, demonym or owner in front of the
act), both sides of a clash, the speaker of a threat. Sponsors, targets and victims are not actors."""

from __future__ import annotations

import re

from .lexicon import (
    AFTER_PASSIVE,
    AUX,
    NONSTATE_ARMED,
    NOUN_ONLY,
    NOUNISH,
    OBJ_PREPS,
    SPEAKER_NOUNS,
    STATE_FORCE,
    TWO_SIDED,
)
from .names import M
from .syntax import ENDURE, tied_to_act

TITLES = frozenset(
    """prime president leader supreme foreign defence defense minister spokesman spokeswoman
    spokesperson military army government officials official ambassador envoy chief commander""".split()
)
OWN_FORCE = frozenset(
    "troops soldiers forces navy destroyer warship warships jets aircraft warplanes army military".split()
)
VICTIM_VERBS = frozenset(("killed", "wounded", "injured", "dead", "slain", "hurt", "shot"))
TOLL_NOUNS = frozenset(("death", "deaths", "toll", "casualty", "casualties", "dead"))


class ActorRules:
    """Mixin: who acted — agents of an act, the speaker of a threat."""

    def _agents(self, s, toks, ments, ti, te, cs, ce, typ, cue, surface):
        n = len(toks)
        agents: list[M] = []
        w = surface.lower()
        last = w.split()[-1] if w else w
        head = w.split()[0] if w else w  # the act's noun in "strikes killed", "strikes on"
        passive = False
        if last.endswith("ed") or last in (
            "shot",
            "hit",
            "struck",
            "slain",
            "killed",
            "sunk",
            "overrun",
            "dead",
        ):
            if ti > 0 and toks[ti - 1].key in AUX:
                passive = True
            elif (
                te >= n
                or toks[te].key in AFTER_PASSIVE
                or s[toks[te - 1].end : toks[te].start].strip(" ") in (",", ";", ":", "-")
            ):
                passive = True
            # "Israel hit Damascus" / "strikes killed 30": a name or number right after is an object
            if (
                te < n
                and (toks[te].upper or toks[te].key[:1].isdigit())
                and toks[te].key not in AFTER_PASSIVE
            ):
                passive = False
        # a) "by X"
        for k in range(te, min(te + 7, n)):
            if toks[k].key == "by":
                # the phrase right after "by" ("by Israeli forces", "by fire from Israeli tanks"),
                # not a place phrase ("killed by a bomb in Moscow")
                cand = [
                    m
                    for m in ments
                    if k < m.i <= k + 4 and not m.modifier and m.prep in ("by", None, "from", "of")
                ]
                while cand and cand[0].poss and len(cand) > 1 and cand[1].i == cand[0].j:
                    cand = cand[1:]
                if cand and self._actorish(cand[0], toks, loose=True):
                    agents.append(cand[0])
                    for extra in cand[1:]:
                        if extra.i - agents[-1].j <= 1 and self._actorish(extra, toks, loose=True):
                            agents.append(extra)
                break
        # b0) "its (retaliatory) attack", "their Iran attack": the owner is the subject the pronoun
        #     points back to; a name between the pronoun and the act is what was attacked
        if not agents and typ != "threat":
            pron = next(
                (k for k in range(ti - 1, max(cs, ti - 4) - 1, -1) if toks[k].key in ("its", "their")), None
            )
            if (
                pron is not None
                and not re.search(r"[,;:.!?]", s[toks[pron].end : toks[ti].start])
                and (pron == 0 or toks[pron - 1].key not in ("amid", "amidst", "during", "despite"))
            ):
                subj = [
                    m
                    for m in ments
                    if m.j <= pron
                    and m.prep is None
                    and not m.modifier
                    and not m.compound
                    and self._actorish(m, toks)
                ]
                if subj:
                    agents = [subj[-1]]
        # b) the name in front of the act: "Israeli strikes", "Israel's raid", "Houthi attacks"
        if not agents and cue != "hit":
            for m in ments:
                if cs <= m.i and m.j <= ti + 1 and ti - m.j <= 2 and m.j <= ti + (1 if m.i < ti else 0):
                    if m.modifier or m.compound or any(toks[k].key in ENDURE for k in range(m.j, ti)):
                        continue
                    # victims: the subject of a passive "killed/wounded", the owner of "deaths"
                    if m.i < ti and (
                        (passive and last in VICTIM_VERBS)
                        or last in TOLL_NOUNS
                        or any(toks[k].key in VICTIM_VERBS for k in range(m.j, ti))
                    ):
                        continue
                    # "in an Israeli strike", "in Russian missile attacks": the demonym of the act
                    if m.prep in OBJ_PREPS - {"of"} and not (
                        (m.j == ti or (ti - m.j == 1 and toks[m.j].key in STATE_FORCE)) and head in NOUNISH
                    ):
                        continue
                    # "in Sudan attack": a country named after a preposition is where, not who
                    if m.prep in OBJ_PREPS - {"of"} and m.e.place and not m.poss and not m.e.demonym:
                        continue
                    if m.e.place and m.e.akind == "state" and not m.poss and head in NOUN_ONLY:
                        continue
                    if (
                        m.e.demonym
                        and not m.e.actor
                        and head
                        in (
                            "death",
                            "deaths",
                            "toll",
                            "casualty",
                            "casualties",
                            "dead",
                            "killed",
                            "killing",
                            "killings",
                            "wounded",
                            "injured",
                        )
                    ):
                        continue
                    if m.e.actor or m.e.demonym:
                        if (
                            m.e.demonym
                            and not m.e.actor
                            and ti - m.j > 1
                            and toks[m.j].key not in STATE_FORCE
                        ):
                            continue
                        if m.e.demonym and not m.e.actor and m.j < n and toks[m.j].key in NONSTATE_ARMED:
                            continue
                        agents = [m]
            if agents:
                agents = self._coord(s, toks, ments, agents, cs, loose=True)
        # c) the subject of an active verb
        if not agents and not passive:
            subj = [
                m
                for m in ments
                if cs <= m.i
                and m.j <= ti
                and not m.modifier
                and not m.compound
                and (m.prep is None or m.prep in ("of",) and m.poss)
                and self._actorish(m, toks)
            ]
            if (
                subj
                and subj[-1].j == ti
                and subj[-1].e.place
                and subj[-1].e.akind == "state"
                and not subj[-1].poss
                and last in NOUN_ONLY
                and s[toks[ti - 1].end : toks[ti].start] == " "
            ):
                subj = []
            if (
                subj
                and cue == "hit"
                and last == "targets"
                and subj[-1].j == ti
                and (te >= n or toks[te].key in AFTER_PASSIVE or s[toks[te - 1].end : toks[te].start].strip())
            ):
                subj = []
            if subj and tied_to_act(toks, subj[-1].j, ti):
                agents = self._coord(s, toks, ments, [subj[-1]], cs)
            # the instrument of the subject's verb: "Russia shatters the holiday with a missile barrage"
            elif (
                subj
                and subj[0].i == cs
                and ti - subj[0].j <= 10
                and cue in ("fire", "bombing", "shelling", "strike")
            ):
                # "with" governs the act: no name between it and the act ("cuts ties with Israel over strikes" is not)
                w_at = next(
                    (k for k in range(ti - 1, max(subj[0].j, ti - 4) - 1, -1) if toks[k].key == "with"), None
                )
                if w_at is not None and not any(w_at < m.i < ti for m in ments):
                    agents = [subj[0]]
        # "Troops killed three gunmen in Jenin, the military said", "A Navy destroyer took down
        # the missiles, the Pentagon said": unnamed forces reported by their own command are its
        if (
            not agents
            and typ == "incident"
            and not passive
            and any(toks[k].key in OWN_FORCE for k in range(cs, ti))
        ):
            for m in ments:
                if (
                    m.i >= te
                    and m.e.akind == "unit"
                    and m.j < n
                    and toks[m.j].key in ("said", "says")
                    and m.prep is None
                ):
                    agents = [m]
                    break
        # "Russia put its nuclear forces on high alert", "the Israeli army was placed on alert":
        # who is put on alert is the clause's subject
        if not agents and cue == "mobilise" and w.split()[-1] in ("alert", "readiness"):
            subj = [
                m
                for m in ments
                if cs <= m.i
                and m.j <= ti
                and m.prep is None
                and not m.modifier
                and not m.compound
                and self._actorish(m, toks, loose=True)
            ]
            if subj:
                agents = [subj[0]]
        targets = [
            m
            for m in ments
            if te <= m.i < (ce if ce > te else n) and not m.modifier and m.state and m not in agents
        ]
        self._last_agents = agents
        # two-sided acts: "clashes with X", "battled Hamas", "fighting with the PKK"
        if cue in TWO_SIDED or (cue == "fire" and ("exchang" in w or w.startswith("trad"))):
            for m in [t for t in targets if t.i <= te + 3]:
                if self._actorish(m, toks, loose=True) and not (
                    m.e.place and not m.e.parent and not m.e.demonym
                ):
                    if (
                        m.prep in ("with", "against", "between")
                        or (m.prep is None and m.i <= te + 1)
                        or (m.i > te and toks[m.i - 1].key == "and" and agents and m.i - agents[-1].j <= 2)
                    ):
                        agents.append(m)
            # a side named only as the victims of the clash ("soldiers were killed during
            # fighting with X"): in a two-sided act both sides are actors
            if agents and all(a.i >= te for a in agents):
                for m in ments:
                    if (
                        m.j <= ti
                        and m.prep is None
                        and not m.modifier
                        and not m.compound
                        and m not in agents
                        and (m.e.actor or (m.e.demonym and m.j < n and toks[m.j].key in STATE_FORCE))
                    ):
                        agents.insert(0, m)
                        break
        return agents, targets

    def _coord(self, s, toks, ments, agents, cs, loose=False):
        """Coordinated names before the first agent: "Israel, Hezbollah …", "Chinese, Russian aircraft"."""
        for m in reversed([m for m in ments if cs <= m.i and m.j <= agents[0].i]):
            gap = s[toks[m.j - 1].end : toks[agents[0].i].start].strip(" .").lower()
            # "Chinese, Russian aircraft": a demonym in a list shares the last one's force noun
            shared = (
                m.e.demonym
                and agents[0].e.demonym
                and agents[0].j < len(toks)
                and toks[agents[0].j].key in STATE_FORCE
            )
            # a name in a place phrase is not in the list ("… in Lebanon, Israeli strikes killed …")
            same_phrase = m.prep is None or m.prep == agents[0].prep
            if (
                gap in (",", "and", ", and", "&")
                and same_phrase
                and not m.modifier
                and not m.compound
                and (shared or self._actorish(m, toks, loose=True))
            ):
                agents.insert(0, m)
            else:
                break
        return agents

    def _actorish(self, m: M, toks, loose: bool = False) -> bool:
        e = m.e
        if e.actor:
            if e.capital or (e.place and e.akind == "state"):
                return True
            return True
        if e.demonym:
            nxt = toks[m.j].key if m.j < len(toks) else ""
            if nxt in NONSTATE_ARMED:
                return False
            if nxt in STATE_FORCE:
                return True
            return loose and (
                nxt in ("", "and") or m.j < len(toks) and toks[m.j - 1].end < len(toks) and nxt in STATE_FORCE
            )
        return False

    def _speaker(self, s, toks, ments, ti, cs, kind):
        n = len(toks)

        def ok(m):
            return m.e.actor or (
                m.e.demonym
                and m.j < n
                and toks[m.j].key
                in STATE_FORCE
                | {
                    "officials",
                    "official",
                    "leader",
                    "president",
                    "minister",
                    "envoy",
                    "spokesman",
                    "diplomat",
                    "adviser",
                    "advisor",
                }
            )

        cand = [
            m
            for m in ments
            if m.j <= ti and m.i >= cs and not m.modifier and not m.compound and (m.prep is None or m.poss)
        ]
        # the subject right in front of the verb ("… facilities that Iran had warned …")
        if (
            cand
            and ok(cand[-1])
            and cand[-1] is not cand[0]
            and ti - cand[-1].j <= 2
            and tied_to_act(toks, cand[-1].j, ti)
            and not re.search(r"[,;:]", s[toks[cand[-1].j - 1].end : toks[ti].start])
        ):
            return [cand[-1]]
        # a titled speaker ("Israel's prime minister said …") over a name in an earlier phrase
        # ("… discussed the Iranian attack and said Israel's prime minister …")
        titled = [
            m for m in cand if ok(m) and (m.poss or m.e.demonym) and m.j < n and toks[m.j].key in TITLES
        ]
        if titled:
            return [titled[-1]]
        for m in cand:
            if ok(m):
                return [m]
        cand = [m for m in ments if m.j <= ti and not m.modifier and not m.compound and m.prep is None]
        for m in cand:
            if ok(m):
                return [m]
        # post-posed attribution in a title: "…: Netanyahu Adviser", "…, Hamas says"
        tail = [
            m
            for m in ments
            if m.i > ti and (m.e.actor) and not m.modifier and not m.compound and m.prep is None
        ]
        if tail and kind == "title":
            k = tail[-1].i
            gap = s[: toks[k].start]
            if re.search(r"[:,]\s*(?:[\w.' ]{0,25})?$", gap):
                return [tail[-1]]
        # an unnamed but force-capable speaker ("Iran-backed leader warns")
        for k in range(max(cs, ti - 4), ti):
            if toks[k].key in SPEAKER_NOUNS:
                return []
        return None
