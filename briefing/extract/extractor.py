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
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from ..model import Event, Tagging
from . import events as ev
from .numbers import fatalities
from .taxonomy import Entry, Taxonomy, load_taxonomy
from .text import clean, sentences, tokens

EMPTY = Tagging()

BOUND_WORDS = {"as", "after", "while", "amid", "amidst", "following", "before", "since", "when",
               "because", "but", "despite", "although", "though", "whereas", "meanwhile", "ahead",
               "which", "who", "where", "unless", "if", "until", "during", "response", "retaliation"}
OBJ_PREPS = {"in", "on", "at", "into", "near", "across", "over", "off", "inside", "outside",
             "toward", "towards", "against", "to", "from", "of", "with", "for", "about", "between",
             "around", "along", "onto", "upon", "by", "through", "within", "beyond", "throughout",
             "targeting", "under", "than", "like", "among", "including", "via"}
PLACE_PREPS = {"in", "on", "at", "into", "near", "across", "over", "off", "inside", "outside",
               "toward", "towards", "against", "onto", "upon", "around", "along", "throughout",
               "targeting", "to", "within", "of"}
SKIP_BEFORE_NAME = {"the", "a", "an", "northern", "southern", "eastern", "western", "central",
                    "north", "south", "east", "west", "occupied", "besieged", "northeastern",
                    "northwestern", "southeastern", "southwestern", "nearby", "neighbouring",
                    "neighboring", "southernmost", "northernmost", "coastal", "israeli-occupied",
                    "russian-occupied", "annexed", "contested", "disputed", "embattled", "war-torn",
                    "city", "town", "village", "port", "region", "province", "outskirts", "heart",
                    "parts", "part", "areas", "area", "across"}
MODIFIER_WORDS = {"backed", "aligned", "linked", "allied", "supported", "sponsored", "affiliated",
                  "led", "funded", "armed", "inspired", "friendly", "leaning", "proxy", "proxies",
                  "trained", "based", "made", "built", "supplied", "owned", "flagged", "bound"}
SPONSOR_BEFORE = {"tied", "linked", "loyal", "allied", "close", "aligned", "backed", "supported",
                  "funded", "armed", "sponsored", "affiliated", "proxy", "proxies"}
STATE_FORCE = {"forces", "force", "troops", "troop", "army", "military", "jets", "jet", "warplanes",
               "warplane", "soldiers", "soldier", "police", "navy", "naval", "strike", "strikes",
               "airstrike", "airstrikes", "drone", "drones", "tanks", "tank", "artillery", "officials",
               "official", "government", "authorities", "leader", "leaders", "president", "minister",
               "commander", "commanders", "gunship", "gunships", "warship", "warships", "aircraft",
               "planes", "plane", "missile", "missiles", "rocket", "rockets", "air", "defence",
               "defense", "security", "special", "coast", "attack", "attacks", "raid", "raids",
               "operation", "operations", "bombardment", "shelling", "fire", "offensive",
               "counteroffensive", "commandos", "marines", "submarine", "destroyer", "frigate",
               "carrier", "bombers", "fighter", "fighters", "helicopter", "helicopters", "ministry",
               "spokesman", "spokeswoman", "envoy", "diplomat", "chief", "general", "prime",
               "foreign", "reservists", "reserves", "paratroopers", "units", "unit", "battalion",
               "brigade", "division", "regime", "cabinet", "war", "top", "senior", "defense",
               "ground", "sniper", "snipers", "settlers", "occupation", "invasion", "barrage",
               "assault", "bombing", "bombings", "shells", "munitions", "ships", "ship", "vessels",
               "boats", "military's", "army's", "air-defence", "warhead", "missile-defence", "nuclear"}
NONSTATE_ARMED = {"militia", "militias", "militants", "militant", "rebels", "rebel", "insurgents",
                  "gunmen", "jihadists", "extremists", "separatists", "group", "groups", "guerrillas",
                  "terrorists", "factions", "fighters"}
SPEAKER_NOUNS = {"leader", "commander", "militia", "militants", "rebels", "army", "military"}
NOUN_ONLY = {"bombardment", "bombardments", "bombing", "bombings", "shelling", "offensive", "invasion",
             "barrage", "barrages", "explosion", "explosions", "blast", "incursion", "siege", "massacre",
             "killing", "killings", "deaths", "death", "casualties", "assassination", "kidnapping",
             "kidnappings", "hijacking", "takeover", "war", "fighting", "violence", "crisis"}
LINK = {"has", "have", "had", "is", "are", "was", "were", "also", "again", "reportedly", "allegedly",
        "briefly", "now", "then", "it", "they", "says", "said", "claims", "claimed", "say", "and",
        "continue", "continues", "continued", "carries", "carried", "carry", "out", "conducts",
        "conducted", "conduct", "launches", "launched", "launch", "stages", "staged", "mounts",
        "mounted", "unleashes", "unleashed", "steps", "stepped", "up", "intensifies", "intensified",
        "resumes", "resumed", "makes", "made", "a", "an", "the", "new", "fresh", "more", "further",
        "deadly", "massive", "its", "their", "wave", "of", "series", "several", "major", "first",
        "second", "overnight", "separate", "large-scale", "heavy", "retaliatory", "been", "being",
        "to", "mistakenly", "accidentally", "deliberately", "apparently", "repeatedly", "still",
        "already", "orders", "ordered", "imposes", "imposed", "declares", "declared", "complete",
        "total", "full", "will", "would", "has", "begin", "begins", "began", "start", "starts",
        "started", "expands", "expanded", "expand", "escalates", "escalated", "broad", "wider",
        "ground", "air", "aerial", "precision", "targeted", "multiple", "two", "three", "dozens",
        "hundreds", "fierce", "heavy", "latest", "renewed", "own", "at", "least", "is", "be",
        "last", "this", "on", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "night", "early", "late", "today", "yesterday", "week", "weekend", "morning",
        "reports", "reported", "announces", "announced", "confirms", "confirmed", "admits", "admitted",
        "that", "one", "continuing", "waging", "wage", "wages", "conducting", "carrying", "their",
        "his", "her", "him", "them"}
NOUNISH = {"attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "raid", "raids",
           "bombing", "bombings", "shelling", "assault", "offensive", "invasion", "incursion",
           "explosion", "blast", "ambush", "barrage", "operation", "siege", "takeover", "hijacking",
           "kidnapping", "massacre", "killing", "killings", "bombardment"}
AUX = {"was", "were", "been", "being", "is", "are", "be", "get", "gets", "got", "reported", "reportedly"}
AFTER_PASSIVE = {"by", "in", "on", "at", "near", "during", "after", "while", "as", "amid", "overnight",
                 "inside", "outside", "off", "over", "when", "since", "from", "with", "for", "across"}
SEA_OF = {"Yemen": "Red Sea", "Eritrea": "Red Sea", "Djibouti": "Red Sea", "Somalia": "Red Sea",
          "Crimea": "Black Sea", "Ukraine": "Black Sea", "Israel": "Eastern Mediterranean",
          "Lebanon": "Eastern Mediterranean", "Gaza": "Eastern Mediterranean",
          "Cyprus": "Eastern Mediterranean", "Syria": "Eastern Mediterranean",
          "Iran": "Persian Gulf", "Oman": "Persian Gulf", "United Arab Emirates": "Persian Gulf"}
SHIP = re.compile(r"\b(?:ships?|vessels?|tankers?|cargo|shipping|boats?|freighters?|merchant|container ship|bulk carrier|warships?|destroyers?|frigates?|maritime)\b", re.I)
TWO_SIDED = {"clash", "fighting"}
DATE_RX = re.compile(r"\b(?:on |since |from )?(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4}))?|\b(\d{1,2}) (jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?:,? (\d{4}))?|\bin (19\d\d|20[01]\d)\b", re.I)
MONTH_ONLY = re.compile(r"(?:\bin |'s |\blast )(January|February|March|April|June|July|August|September|October|November|December)\b(?! \d)")
MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
CAPTION = re.compile(r"(?:\((?:[^()]*(?:getty|photo|reuters|afp|ap|epa|images|via|handout|supplied|file)[^()]*)\)\s*$)|\bin a file photo\b|^(?:a |an )?(?:handout |screen ?grab|file )?(?:photo|picture|image|screen ?grab|locator map)\b", re.I)
SANCTION = re.compile(r"\b(?:sanction\w*|funding|financ\w*|network|tariffs?|economy|voters|ads?|critics|campaign|inflation|ratings?|website|accounts?|hackers?|cyber\w*|online|social media|disinformation|votes?|ballot|polls?)\b", re.I)
THREAT_CONTENT = re.compile(r"\b(?:attack\w*|strik\w*|struck|respon\w*|retaliat\w*|reveng\w*|vengeance|war|wars|military action|action against|preemptive|pre-emptive|(?:by|use of|using|military|armed) force|destroy\w*|destruction|crush\w*|eliminat\w*|wipe\w*|annihilat\w*|eradicat\w*|fight\w*|escalat\w*|expan\w* (?:of )?(?:the )?(?:war|conflict|fighting)|(?:war|conflict|fighting) (?:will |would |could )?(?:spread|expand)\w*|spread\w* to|pay (?:a |the |an )?(?:heavy |high |very heavy |steep )?price|consequences?|offensive|invasion|invad\w*|annex\w*|siege|blockade|(?:sea|strait|waterway|shipping|airspace|route)s? ?clos\w*|clos\w* (?:the )?(?:\w+ )?(?:sea|strait|waterway|shipping|airspace)|continue (?:the |its |their )?(?:war|fight|fighting|attacks|strikes|operations?|offensive|bombardment)|unrelenting|hit back|strike back|bomb\w*|targets?|shoot\w*|surrender|nuclear|missiles?|rockets?|retribution|punish\w*|obliterat\w*|flatten|erase|occupy|fronts?|full swing|regional war|all-out|harsh|powerful|crushing|decisive|take (?:the )?fight|act militarily|intervene|(?:air|military|bombing|ground) (?:campaign|operations?)|(?:expand|widen|step up|intensify|escalate)\w* (?:its |the |their )?(?:\w+ )?(?:campaign|operations?|offensive|strikes|attacks))\b", re.I)
RISK_WARN = re.compile(r"^\W*(?:of|about|that|against)? ?(?:the |a |an |growing |rising |increased |serious )?(?:risks?|dangers?|threats?|possibility|likelihood|prospect|spectre|consequences of|humanitarian|famine|disease|collapse|catastrophe)\b", re.I)
DEPLOY_SPEC = re.compile(r"\b(?:weigh\w*|consider\w*|mull\w*|propos\w*|could|might|may|would|should|if|whether|when|how|calls? for|called for|calling for|urg\w*|asks?|asked|request\w*|approv\w*|authori[sz]\w*|protest\w*|seek\w*|want\w*|debat\w*|vote\w*|won't|not|no|refus\w*|reject\w*|den(?:y|ies|ied)|withdraw\w*|pull\w* out|end\w*|halt\w*|recall\w*|plans? to|planning to|possible|potential|fears?|feared|risk\w*)\b[^;:]{0,50}$", re.I)
ASSET = re.compile(r"\b(?:troops|soldiers|forces|reservists|reserves|warships?|naval|navy|aircraft carriers?|carriers?|destroyers?|frigates?|submarines?|jets|fighter jets|fighters|bombers|warplanes|aircraft|helicopters?|missile systems?|missile defen[cs]es?|air defen[cs]es?|air-defen[cs]e|patriots?|thaad|battalions?|brigades?|divisions?|marines|military|army|paratroopers|special forces|national guard|gunships?|uss|hms|task force|strike group|amphibious|tanks|armou?r|convoys?|reinforcements|units?|ships|vessels|personnel|nuclear|missiles?|drones)\b", re.I)
SEND_ASSET = re.compile(r"\b(?:troops|soldiers|forces|reservists|warships?|navy|naval|aircraft carriers?|carriers?|destroyers?|frigates?|submarines?|jets|fighter jets|bombers|warplanes|marines|paratroopers|special forces|reinforcements|gunships?|uss|hms|task force|strike group|military advisers|battalions?|brigades?|units?|ships|personnel|military aircraft|air defen[cs]e (?:units|batteries|systems))\b", re.I)
AID = re.compile(r"\b(?:aid|package|weapons|arms|ammunition|munitions|shells|himars|humanitarian|supplies|money|funds|funding|delegation|envoy|diplomats|letter|messages?|signals?|invitations?|condolences|team of|experts|food|medicine|fuel|trucks|equipment|tanks to|missiles to|anti-tank|air-defen[cs]e equipment|components)\b", re.I)
EXERCISE_MIL = re.compile(r"\b(?:military|army|naval|navy|war|troops|forces|nuclear|missiles?|live-fire|joint|air force|defen[cs]e|combat|strike|bombers|jets|warships?|tanks|retaliatory)\b", re.I)
WARNAME = re.compile(r"\b(?:war|conflict|fighting|ceasefire|cease-fire|truce|border|front|talks|deal|crisis|hostilities|escalation|tensions|frontier|standoff)\b", re.I)


class M:
    """A name mention in a sentence."""
    __slots__ = ("i", "j", "e", "prep", "modifier", "compound", "poss")

    def __init__(self, i: int, j: int, e: Entry):
        self.i, self.j, self.e = i, j, e
        self.prep = None
        self.modifier = False
        self.compound = False
        self.poss = False

    @property
    def state(self) -> str | None:
        """The state/group this mention can stand for as an actor (parent level)."""
        return self.e.parent or self.e.demonym if (self.e.parent or self.e.demonym) else None


class Extractor:
    """Rules-based, explainable event extractor. ``Extractor(taxonomy).tag(title, summary)``."""

    def __init__(self, taxonomy: Taxonomy | None = None):
        self.tax = taxonomy or load_taxonomy()
        self._city_entries: dict[str, Entry] = {}
        self._city_ids: set[int] = set()
        self._last_agents: list = []

    # -- names ---------------------------------------------------------------------------------
    def _lookup(self, key: str) -> Entry | None:
        e = self.tax.index.get(key)
        if e is not None:
            return e
        th = self.tax.cities.get(key)
        if th is None:
            return None
        ce = self._city_entries.get(th)
        if ce is None:
            ce = self._city_entries[th] = Entry(th)
            ce.place = th
            ce.acronym = False
            ce.lowerok = False
            self._city_ids.add(id(ce))
        return ce

    def mentions(self, s: str, toks) -> list[M]:
        tax = self.tax
        out: list[M] = []
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            maxl = tax.first.get(t.key)
            if maxl is None:
                i += 1
                continue
            found = None
            for L in range(min(maxl, n - i), 0, -1):
                if L > 1 and any(toks[k].poss or s[toks[k].end:toks[k + 1].start] not in (" ", "-") for k in range(i, i + L - 1)):
                    continue
                key = " ".join(tk.key for tk in toks[i:i + L]) if L > 1 else t.key
                e = self._lookup(key)
                if e is None:
                    continue
                if not e.lowerok and not t.upper:
                    continue
                if e.acronym and not t.text.replace(".", "").isupper():
                    continue
                if e.strict and s[t.start:toks[i + L - 1].end] != e.name:
                    continue
                found = (L, e)
                break
            if not found:
                i += 1
                continue
            L, e = found
            m = M(i, i + L, e)
            m.poss = toks[i + L - 1].poss
            # preposition (skipping determiners/adjectives) before the name
            k = i - 1
            while k >= 0 and toks[k].key in SKIP_BEFORE_NAME and k > i - 4:
                k -= 1
            if k >= 0 and toks[k].key in OBJ_PREPS:
                m.prep = toks[k].key
                if m.prep == "with" and k > 0 and toks[k - 1].key in ("border", "frontier", "boundary"):
                    m.prep = "along"
            # sponsors: "Iran-backed", "pro-Iran", "tied to Iran"
            j = i + L
            if j < n and toks[j].key in MODIFIER_WORDS and (toks[j - 1].hyph_next or (toks[j].key in ("backed", "aligned", "allied", "funded", "sponsored") and not (j + 1 < n and toks[j + 1].key in ("to", "with", "by")))):
                m.modifier = True
            if i > 0 and toks[i - 1].key == "pro" and toks[i - 1].hyph_next:
                m.modifier = True
            if i > 1 and toks[i - 1].key in ("to", "with", "by") and toks[i - 2].key in SPONSOR_BEFORE:
                m.modifier = True
            if id(e) in self._city_ids and m.prep not in PLACE_PREPS and m.prep not in ("from", "by", "with", "between"):
                # a generated-gazetteer city (possible personal name): only after a preposition
                i += L
                continue
            out.append(m)
            i += L
        for a, b in zip(out, out[1:]):
            if b.prep is None and a.prep is not None and s[toks[a.j - 1].end:toks[b.i].start].strip(" .").lower() in (",", "and", ", and", "or"):
                b.prep = a.prep
        # war names: "Israel-Hamas war", "Russia-Ukraine conflict", "Israel-Lebanon border"
        for a, b in zip(out, out[1:]):
            if b.i == a.j and toks[a.j - 1].hyph_next:
                k = b.j
                while k < n and toks[k].hyph_next and k < b.j + 2:
                    k += 1
                if k < n and WARNAME.match(toks[k].key):
                    a.compound = b.compound = True
                if b.j < n and toks[b.j].key in ("war", "conflict", "fighting", "border", "ceasefire", "truce", "front"):
                    a.compound = b.compound = True
        for m in out:
            if not m.compound and m.j < n and toks[m.j].key in ("war", "conflict") and (m.e.place or m.e.demonym):
                m.compound = True
        return out


    # -- the item ------------------------------------------------------------------------------
    def tag(self, title: str, summary: str = "", date: str | datetime | None = None) -> Tagging:
        if not ev.STEM.search(title or "") and not ev.STEM.search(summary or ""):
            return EMPTY
        title = clean(title)
        summary = clean(summary)
        # triggers over the whole title / summary (a rule never spans a sentence boundary),
        # then handed to their sentences
        ttrig = ev.find(title) if title else []
        strig = ev.find(summary) if summary else []
        if not ttrig and not strig:
            return EMPTY
        when = _parse_date(date)
        sents: list[tuple[str, str, list]] = []
        for kind0, text, trigs in (("title", title, ttrig), ("summary", summary, strig)):
            if not text:
                continue
            for off, st in sentences(text):
                end = off + len(st)
                mine = [(t[0], t[1], t[2] - off, t[3] - off, t[4], t[5]) for t in trigs if off <= t[2] < end]
                kind = kind0 if kind0 == "title" or not CAPTION.search(st) else "caption"
                sents.append((kind, st, mine))
        found: list[tuple[int, Event, str]] = []
        ctx = _Ctx()
        ctx.mentions = self.mentions
        for si, (kind, st, trig) in enumerate(sents):
            if not trig:
                ctx.add_lazy(si, st)
                continue
            toks = tokens(st)
            ments = self.mentions(st, toks)
            ctx.add_sentence(si, st, toks, ments)
            if when and _old(st, when):
                continue
            ctx.sent = si
            ctx.last = None
            trig.sort(key=lambda t: (t[2], ev.TYPE_ORDER[t[0]]))
            prev_end = {}
            for t in trig:
                # "took down a salvo", "killed … in shelling": one act, reported by its first trigger
                pe = prev_end.get(t[0])
                prev_end[t[0]] = t[3]
                if pe is not None and t[0] == "incident" and t[2] >= pe and len(st[pe:t[2]].split()) <= 3 and not re.search(r"[;:,.!?]", st[pe:t[2]]) and not (set(st[pe:t[2]].lower().split()) & BOUND_WORDS):
                    if found and found[-1][0] == si and found[-1][1].cues and ev.find(found[-1][1].cues[0])[:1] and ev.find(found[-1][1].cues[0])[0][1] == "interception":
                        continue
                e = self._event(t, st, toks, ments, kind, ctx)
                if e is None:
                    continue
                xs = e if isinstance(e, list) else [e]
                if xs[0].actors:
                    ctx.remember(t[0], t[3], self._last_agents)
                for x in xs:
                    found.append((si, x, kind))
        if not found:
            return EMPTY
        return self._assemble(found, ctx)

    # -- one trigger ---------------------------------------------------------------------------
    def _event(self, trig, s: str, toks, ments: list[M], kind: str, ctx) -> Event | None:
        typ, cue, a, b, weak, surface = trig
        n = len(toks)
        ti = next((k for k, t in enumerate(toks) if t.end > a), n)
        te = next((k for k, t in enumerate(toks) if t.start >= b), n)
        cs, ce = _clause(s, toks, ti, te)
        bs = cs - 1 if cs > 0 and toks[cs - 1].key in BOUND_WORDS else cs
        before = s[toks[bs].start if bs < n else a:a].lower() if bs < ti else ""
        low = s.lower()
        sent_before = low[:a]
        if ev.negated(before if before else sent_before[-40:]):
            return None
        after = low[b:toks[ce - 1].end] if ce > te else ""
        if ev.POST_NEG.search(after[:80]):
            return None
        if ev.background(before) and typ != "incident":
            return None
        clause_low = low[toks[cs].start if cs < n else 0:toks[ce - 1].end if ce > 0 else len(s)]
        cues = [surface.lower()]

        if typ == "incident":
            if cue == "strike" and re.search(r"\b(?:union|unions|workers?|port|dock|rail|teachers?|nurses?|doctors?|staff|pay|wage|walkout|picket|suspend\w*|end\w*|call\w* off|hunger|general|national|strike action)\W+(?:\w+ )?$", low[max(0, a - 30):a]):
                return None
            if cue == "clash":
                names = [m for m in ments if ti <= m.i < (ce if ce > te else n)]
                if names and all(m.e.akind == "leader" and not m.e.capital for m in names):
                    return None
            if ev.speculative(before) or ev.speculative(sent_before[-25:]) or ev.AFTER_SPEC.match(low[b:b + 30]):
                return None
            if ev.background(before) or ev.background(sent_before[-30:]):
                return None
            bg = ev.amid(before) or ev.amid(sent_before[-30:])
            if re.search(r"\bsince the (?:start|beginning|outbreak) of\b|\bsince the [\w-]+ (?:war|conflict) (?:began|erupted|started|broke out)\b", low):
                return None
            if weak:
                if ev.DISASTER.search(clause_low) or ev.SPORT.search(low):
                    return None
                if cue == "hit" and SANCTION.search(clause_low):
                    return None
                if cue == "killing" and re.search(r"\b(?:killed|dead|died) (?:in|on|since) (?:the )?(?:\w+[ -])?(?:war|conflict)\b", low):
                    return None
            agents, targets = self._agents(s, toks, ments, ti, te, cs, ce, typ, cue, surface)
            if not agents:
                agents = ctx.inherit(s, toks, ti, typ)
            if weak and cue == "killing" and not agents and re.search(r"\b(?:have|has) (?:now )?(?:been killed|died|been wounded|been injured)\b", low[max(0, a - 20):b + 5]):
                return None
            if weak:
                strong_ctx = ev.FORCE.search(low[:a] + " " + low[b:])
                if cue in ("attack", "fighting", "assault", "siege", "seizure", "hit", "killing"):
                    if not agents and not strong_ctx:
                        return None
                if cue == "seizure" and re.search(r"\b(?:cocaine|drugs?|narcotics|heroin|assets|funds|property|passports?|documents|goods|contraband|cigarettes|artifacts|gold|cash|weapons cache|phones?|power|opportunity|moment|initiative|imagination|headlines)\b", low[b:b + 40]):
                    return None
                if cue == "seizure" and not re.search(r"\b(?:town|city|village|territory|ship|vessel|tanker|plane|airport|base|building|parliament|capitol|hospital|control|positions?|area|region|district|port|island|settlement|kibbutz|outpost|checkpoint)\b", low[b:b + 60]):
                    return None
                if cue == "assault" and surface.lower() in ("advance", "advances", "advanced", "advancing", "operation") and not agents and not re.search(r"\b(?:troops|forces|army|military|tanks|soldiers|israel\w*|russia\w*|ukrain\w*)\b", low):
                    return None
                if cue == "assault" and surface.lower() == "operation" and re.search(r"\b(?:search|rescue|recovery|evacuation|sting|police|undercover|covert|security) operation", low):
                    return None
                if cue == "hit" and surface.lower().startswith("enter") and not re.search(r"\b(?:tanks|troops|forces|soldiers|army|military|fighters|militants|gunmen)\b", low):
                    return None
                if cue == "attack" and re.search(r"\b(?:verbal|personal|political|rhetorical)\b", low[max(0, a - 20):a]):
                    return None
            if bg and not agents:
                return None
            places = self._incident_place(s, toks, ments, ti, te, cs, ce, agents, cue)
            fat = fatalities(s)
            evs = [_mk(typ, p, agents, targets, fat, s, cues + _ccues(agents, ments)) for p in places]
            return evs if len(evs) > 1 else evs[0]

        if typ == "threat":
            if cue != "ultimatum":
                if RISK_WARN.match(low[b:b + 40]):
                    return None
                # advice, not threat: "warned Israel to fight more surgically"
                if cue == "warn":
                    nxt = [m for m in ments if m.i >= te and m.i <= te + 4]
                    if nxt and nxt[0].j < n and toks[nxt[0].j].key in ("to", "not"):
                        return None
                    if te < n and toks[te].key in ("to", "not") :
                        return None
                if cue == "threaten" and surface.lower() == "threatening":
                    return None
                content = low[b:b + 50]
                if len(after) < 15:
                    content = low[max(0, a - 70):a]
                mc = THREAT_CONTENT.search(content)
                if not mc:
                    return None
                if re.search(r"\b(?:support|aid|help|solidarity|commitment|backing|assistance|funding)\b", content[:mc.start()]):
                    return None
                if re.match(r"\W*(?:of )?(?:a |an )?(?:long|lengthy|protracted|difficult|hard|tough|prolonged)\b", low[b:b + 30]):
                    return None
            speaker = self._speaker(s, toks, ments, ti, cs, kind)
            if speaker is None:
                return None
            agents = speaker
            tcut = next((k for k in range(te, n) if toks[k].key in ("if", "unless", "until", "amid", "after", "over", "as", "while", "when", "because", "since")), n)
            targets = [m for m in ments if (m.i >= te or (cue == "ultimatum" and m.i > ti)) and m.i < tcut and not m.modifier and m.state and m.prep != "from" and m not in agents]
            places = self._threat_place(s, toks, ments, te, ce, agents, targets)
            if not isinstance(places, list):
                places = [places]
            evs = [_mk(typ, p, [_st(m) for m in agents], [_st(m) for m in targets], None, s, cues + _ccues(agents, ments)) for p in places]
            return evs if len(evs) > 1 else evs[0]

        # deployment
        if DEPLOY_SPEC.search(before[-60:]) or DEPLOY_SPEC.search(sent_before[-30:]):
            return None
        if ti > 0 and toks[ti - 1].key in ("the", "a", "an", "its", "their", "his", "her", "newly", "recently") and surface.lower().endswith("ed"):
            return None
        if cue == "send":
            obj = low[b:b + 60]
            if not SEND_ASSET.search(obj) or (AID.search(obj) and not re.search(r"\b(?:troops|warships?|carrier|soldiers|marines|forces)\b", obj)):
                return None
        elif cue == "deploy":
            if not ASSET.search(clause_low):
                return None
        elif cue == "arrive":
            w = surface.lower()
            subj = low[toks[cs].start if cs < n else 0:a]
            if w.startswith(("position", "station", "build", "bolster", "reinforc", "mass", "mov")):
                if not ASSET.search(clause_low) and not w.startswith(("bolster", "reinforc")):
                    return None
                if w.startswith("bolster") and not re.search(r"\b(?:presence|defen[cs]es?|forces|military|troops|navy|naval|posture)\b", low[b:b + 50]):
                    return None
            elif not SEND_ASSET.search(subj) and not re.search(r"\b(?:aircraft|planes|drones|jets|warplanes|bombers|uss|hms|navy|ships?)\b", subj):
                return None
        elif cue == "mobilise":
            if not re.search(r"\b(?:reservists|reserves|troops|soldiers|forces|men|army|military|conscripts|jets|fighters|aircraft|units|recruits|personnel|warplanes|air defen[cs]e|nuclear|navy)\b", clause_low) and "serve" not in surface.lower():
                return None
        elif cue == "exercise":
            if not EXERCISE_MIL.search(clause_low) and not re.search(r"\bmilitary\b", low):
                return None
            if surface.lower().startswith("drill") and re.search(r"\b(?:fire|oil|gas|well|earthquake|evacuation|school)\b", low):
                return None
        agents, targets = self._agents(s, toks, ments, ti, te, cs, ce, typ, cue, surface)
        if not agents:
            agents = ctx.inherit(s, toks, ti, typ)
        if cue == "coalition" and not agents:
            return None
        place = self._deploy_place(s, toks, ments, ti, te, cs, ce, agents, cue, ctx)
        return _mk(typ, place, agents, targets, None, s, cues + _ccues(agents, ments))

    # -- who -----------------------------------------------------------------------------------
    def _agents(self, s, toks, ments, ti, te, cs, ce, typ, cue, surface):
        n = len(toks)
        agents: list[M] = []
        w = surface.lower()
        last = w.split()[-1] if w else w
        passive = False
        if last.endswith("ed") or last in ("shot", "hit", "struck", "slain", "killed", "sunk", "overrun", "dead"):
            if ti > 0 and toks[ti - 1].key in AUX:
                passive = True
            elif te >= n or toks[te].key in AFTER_PASSIVE or s[toks[te - 1].end:toks[te].start].strip(" ") in (",", ";", ":", "-"):
                passive = True
            # "Israel hit Damascus" / "strikes killed 30": a name or number right after is an object
            if te < n and (toks[te].upper or toks[te].key[:1].isdigit()) and toks[te].key not in AFTER_PASSIVE:
                passive = False
        # a) "by X"
        for k in range(te, min(te + 7, n)):
            if toks[k].key == "by":
                cand = [m for m in ments if k < m.i <= k + 4 and not m.modifier]
                while cand and cand[0].poss and len(cand) > 1 and cand[1].i == cand[0].j:
                    cand = cand[1:]
                if cand and self._actorish(cand[0], toks, loose=True):
                    agents.append(cand[0])
                    for extra in cand[1:]:
                        if extra.i - agents[-1].j <= 1 and self._actorish(extra, toks, loose=True):
                            agents.append(extra)
                break
        # b) the name in front of the act: "Israeli strikes", "Israel's raid", "Houthi attacks"
        if not agents and cue != "hit":
            for m in ments:
                if cs <= m.i and m.j <= ti + 1 and ti - m.j <= 2 and m.j <= ti + (1 if m.i < ti else 0):
                    if m.modifier or m.compound:
                        continue
                    if m.prep in OBJ_PREPS - {"of"} and not (m.j == ti and last in NOUNISH):
                        continue
                    if m.e.place and m.e.akind == "state" and not m.poss and last in NOUN_ONLY:
                        continue
                    if m.e.demonym and not m.e.actor and last in ("death", "deaths", "toll", "casualties", "dead", "killed", "killing", "killings", "wounded", "injured"):
                        continue
                    if m.e.actor or m.e.demonym:
                        if m.e.demonym and not m.e.actor and ti - m.j > 1 and toks[m.j].key not in STATE_FORCE:
                            continue
                        if m.e.demonym and not m.e.actor and m.j < n and toks[m.j].key in NONSTATE_ARMED:
                            continue
                        agents = [m]
            if agents:
                agents = self._coord(s, toks, ments, agents, cs, loose=True)
        # c) the subject of an active verb
        if not agents and not passive:
            subj = [m for m in ments if cs <= m.i and m.j <= ti and not m.modifier and not m.compound
                    and (m.prep is None or m.prep in ("of",) and m.poss) and self._actorish(m, toks)]
            if subj and subj[-1].j == ti and subj[-1].e.place and subj[-1].e.akind == "state" and not subj[-1].poss and last in NOUN_ONLY and s[toks[ti - 1].end:toks[ti].start] == " ":
                subj = []
            if subj and cue == "hit" and last == "targets" and subj[-1].j == ti and (te >= n or toks[te].key in AFTER_PASSIVE or s[toks[te - 1].end:toks[te].start].strip()):
                subj = []
            if subj and _linked(toks, subj[-1].j, ti):
                agents = self._coord(s, toks, ments, [subj[-1]], cs)
        targets = [m for m in ments if te <= m.i < (ce if ce > te else n) and not m.modifier and m.state and m not in agents]
        self._last_agents = agents
        # two-sided acts: "clashes with X", "battled Hamas", "fighting with the PKK"
        if cue in TWO_SIDED or (cue == "fire" and "exchang" in w):
            for m in [t for t in targets if t.i <= te + 3]:
                if self._actorish(m, toks, loose=True) and not (m.e.place and not m.e.parent and not m.e.demonym):
                    if m.prep in ("with", "against", "between") or (m.prep is None and m.i <= te + 1) or (m.i > te and toks[m.i - 1].key == "and" and agents and m.i - agents[-1].j <= 2):
                        agents.append(m)
        return agents, targets

    def _coord(self, s, toks, ments, agents, cs, loose=False):
        """Coordinated names before the first agent: "Israel, Hezbollah …", "Chinese, Russian aircraft"."""
        for m in reversed([m for m in ments if cs <= m.i and m.j <= agents[0].i]):
            gap = s[toks[m.j - 1].end:toks[agents[0].i].start].strip(" .").lower()
            if gap in (",", "and", ", and", "&") and not m.modifier and not m.compound and self._actorish(m, toks, loose=True):
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
            return loose and (nxt in ("", "and") or m.j < len(toks) and toks[m.j - 1].end < len(toks) and nxt in STATE_FORCE)
        return False

    def _speaker(self, s, toks, ments, ti, cs, kind):
        n = len(toks)
        def ok(m):
            return m.e.actor or (m.e.demonym and m.j < n and toks[m.j].key in STATE_FORCE | {"officials", "official", "leader", "president", "minister", "envoy", "spokesman", "diplomat", "adviser", "advisor"})
        cand = [m for m in ments if m.j <= ti and m.i >= cs and not m.modifier and not m.compound and (m.prep is None or m.poss)]
        for m in cand:
            if ok(m):
                return [m]
        cand = [m for m in ments if m.j <= ti and not m.modifier and not m.compound and m.prep is None]
        for m in cand:
            if ok(m):
                return [m]
        # post-posed attribution in a title: "…: Netanyahu Adviser", "…, Hamas says"
        tail = [m for m in ments if m.i > ti and (m.e.actor) and not m.modifier and not m.compound and m.prep is None]
        if tail and kind == "title":
            k = tail[-1].i
            gap = s[:toks[k].start]
            if re.search(r"[:,]\s*(?:[\w.' ]{0,25})?$", gap):
                return [tail[-1]]
        # an unnamed but force-capable speaker ("Iran-backed leader warns")
        for k in range(max(cs, ti - 4), ti):
            if toks[k].key in SPEAKER_NOUNS:
                return []
        return None

    # -- where ---------------------------------------------------------------------------------
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
            if cs <= m.i and m.j <= ti and ti - m.j <= 3 and m.e.demonym and not m.e.actor and m not in agents and not m.modifier:
                return [m.e.demonym]
        # the target's theater: demonym/state/group after the act ("on Israeli positions")
        for m in ments:
            if m.i >= te and m.i < (ce if ce > te else n) and not m.modifier and not m.compound and m not in agents and m.prep != "from":
                if m.e.demonym and not m.e.actor and not (m.j < n and toks[m.j].key in STATE_FORCE and toks[m.j].key not in ("positions", "ships", "vessels", "boats", "soldiers", "troops", "forces", "military")):
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

    # -- item level ----------------------------------------------------------------------------
    def _assemble(self, found, ctx) -> Tagging:
        # captions (photo credits) illustrate; they may support but not introduce an event type
        text_types = {e.type for _, e, k in found if k != "caption"}
        found = [(si, e, k) for si, e, k in found if k != "caption" or e.type in text_types]
        # a deployment that is part of an attack in the same sentence is the attack alone
        inc = {(si, a) for si, e, _ in found if e.type == "incident" for a in e.actors}
        found = [(si, e, k) for si, e, k in found
                 if not (e.type == "deployment" and e.cues and e.cues[0].split()[0].startswith(("enter", "arriv", "sent", "send", "deploy", "mov"))
                         and any((si, a) in inc for a in e.actors))]
        # fill missing theaters from the item: same-type events first, then any theater named
        # in the item, then the war named in it
        events: list[Event] = []
        for si, e, k in found:
            th = e.theater
            if th is None:
                th = next((x.theater for _, x, _ in found if x.theater and x.type == e.type), None)
            if th is None:
                th = next((x.theater for _, x, _ in found if x.theater), None)
            if th is None and e.type == "incident":
                th = ctx.item_place(exclude=set(e.actors))
            if th is None and (not e.actors or e.type == "threat"):
                th = ctx.war_place(set(e.actors))
            if th is None and e.type == "deployment" and e.actors:
                th = self.tax.actors.get(e.actors[0], (None, None, None))[2]
            if th is None and e.type != "incident" and e.actors:
                th = None
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
                if x.text == e.text and (x.theater == e.theater or not e.theater or not x.theater or e.type == "threat") and (
                        e.type == "threat" or not x.actors or not e.actors or set(x.actors) & set(e.actors)):
                    twin = i
                    break
                if e.type == "threat" and set(x.actors) & set(e.actors):
                    twin = i
                    break
            if twin is None:
                merged.append(e)
            else:
                x = merged[twin]
                if x.type == "threat":
                    homes = {self.tax.actors.get(a, (None, None, None))[2] for a in x.actors}
                    th = e.theater if (x.theater in homes or not x.theater) and e.theater else x.theater
                    merged[twin] = Event(x.type, th, x.actors, _uniq(x.targets + e.targets), None, x.text, _uniq(x.cues + e.cues))
                    continue
                merged[twin] = Event(x.type, x.theater or e.theater, _uniq(x.actors + e.actors), _uniq(x.targets + e.targets),
                                     _maxn(x.fatalities, e.fatalities), x.text, _uniq(x.cues + e.cues))
        for i, x in enumerate(merged):
            if x.type == "threat" and x.actors:
                home = self.tax.actors.get(x.actors[0], (None, None, None))[2]
                if x.theater in (home, None):
                    inc = next((y.theater for y in merged if y.type == "incident" and y.theater and y.theater != home and set(y.actors) & set(x.actors)), None)
                    if inc:
                        merged[i] = Event(x.type, inc, x.actors, x.targets, None, x.text, x.cues)
        types = _uniq(tuple(e.type for e in merged))
        theaters = _uniq(tuple(e.theater for e in merged if e.theater))
        actors = _uniq(tuple(a for e in merged for a in e.actors))
        return Tagging(types=types, theaters=theaters, actors=actors, events=tuple(merged))


class _Ctx:
    """Names seen in the item, for theater fall-backs."""

    def __init__(self):
        self.places: list[tuple[int, M]] = []
        self.wars: list[M] = []
        self.sent = -1
        self.last = None
        self.lazy: list[tuple[int, str]] = []
        self.mentions = None

    def add_lazy(self, si, s):
        self.lazy.append((si, s))

    def _flush(self):
        lazy, self.lazy = self.lazy, []
        for si, s in lazy:
            toks = tokens(s)
            self.add_sentence(si, s, toks, self.mentions(s, toks))
        self.places.sort(key=lambda p: p[0])   # (type, trigger end offset, agents) of the last event in this sentence

    def remember(self, typ, end, agents):
        self.last = (typ, end, agents)

    def inherit(self, s, toks, ti, typ):
        """"Israel orders a siege … and mobilizes reservists": a verb coordinated with the
        previous act (same clause, joined by "and") shares its subject."""
        if not self.last or ti >= len(toks):
            return []
        _, end, agents = self.last
        gap = s[end:toks[ti].start]
        if agents and re.search(r"\band\b|,", gap) and not re.search(r"[;:.!?]|\b(?:as|after|while|but|when|because|amid|amidst|following|since|before|during|response|retaliation)\b", gap, re.I) and len(gap.split()) <= 8:
            return agents
        return []

    def add_sentence(self, si, s, toks, ments):
        for m in ments:
            if m.compound and m.e.place:
                self.wars.append(m)
            elif m.e.place and not m.modifier and m.prep != "from" and (not m.e.actor or m.prep in PLACE_PREPS):
                self.places.append((si, m))

    def item_place(self, exclude: set) -> str | None:
        self._flush()
        for _, m in self.places:
            if m.e.place not in exclude:
                return m.e.place
        return None

    def war_place(self, actors: set) -> str | None:
        self._flush()
        for m in self.wars:
            if m.e.place not in actors:
                return m.e.place
        return None


def _linked(toks, j, ti) -> bool:
    """The subject is tied to the act: only auxiliaries, adverbs, perform-verbs ("carried out",
    "launched") and force nouns ("troops", "forces") between them."""
    unknown = 0
    for k in range(j, ti):
        w = toks[k].key
        if w in LINK or w in STATE_FORCE or w.isdigit():
            continue
        unknown += 1
    return unknown == 0 or (unknown == 1 and ti - j <= 3)


_BCACHE: dict[int, tuple] = {}


def _bounds(s, toks):
    key = id(toks)
    hit = _BCACHE.get(key)
    if hit is not None and hit[0] is toks:
        return hit[1]
    n = len(toks)
    b = [True] * (n + 1)
    for k in range(1, n):
        gap = s[toks[k - 1].end:toks[k].start]
        b[k] = (gap != " " and (any(c in gap for c in ";:\"?!()") or " - " in gap)) or toks[k - 1].key in BOUND_WORDS
    if len(_BCACHE) > 64:
        _BCACHE.clear()
    _BCACHE[key] = (toks, b)
    return b


def _clause(s, toks, ti, te):
    n = len(toks)
    b = _bounds(s, toks)
    cs = min(ti, n)
    while cs > 0 and not b[cs]:
        cs -= 1
    ce = te
    while ce < n and not b[ce]:
        ce += 1
    return cs, ce


def _st(m: M) -> str:
    return m.e.parent or m.e.demonym or m.e.name


def _ccues(agents, ments) -> list[str]:
    out = []
    for m in agents:
        if isinstance(m, M) and m.e.actor and m.e.actor != m.e.parent:
            out.append(f"{m.e.actor} ({m.e.parent})")
    return out


def _mk(typ, place, agents, targets, fat, text, cues) -> Event:
    ags = _uniq(tuple(a if isinstance(a, str) else _st(a) for a in agents))
    tgs = tuple(t for t in _uniq(tuple(x if isinstance(x, str) else _st(x) for x in targets)) if t not in ags)
    return Event(type=typ, theater=place, actors=ags, targets=tgs, fatalities=fat, text=text,
                 cues=_uniq(tuple(cues)))


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


def _parse_date(d) -> datetime | None:
    if d is None or d == "":
        return None
    if isinstance(d, datetime):
        return d
    try:
        return datetime.fromisoformat(str(d).replace("Z", "+00:00"))
    except ValueError:
        return None


def _old(s: str, when: datetime) -> bool:
    """An explicit date more than a week before the item's date: background, not news."""
    for m in MONTH_ONLY.finditer(s):
        mon = MONTHS[m.group(1)[:3].lower()]
        if mon < when.month and when.month - mon < 11:
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
