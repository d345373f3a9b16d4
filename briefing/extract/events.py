"""Sentence → event triggers, with the cues that justify them.

Each trigger is a (type, cue, pattern, strength) rule. Strong triggers name an act of force by
themselves ("airstrike", "shot down", "exchanged fire"); weak ones ("killed", "hit",
"targets", "destroyed") need support in the sentence: a named or force-capable agent or an
instrument of force, and no disaster context ("storm kills 13" is not an incident).
Threat triggers are statements (warned, vowed, threatened, ultimatum...) and need force content
and a force-capable speaker; deployment triggers (deploy, send, arrive, mobilise...) need a
military asset. The context checks (negation, speculation, background, advice, aid) are here
too; who/where is decided in extractor.py.
"""

from __future__ import annotations

import re

from .lexicon import AID, ASSET, DEPLOY_SPEC, EXERCISE_MIL, MIL_ASSET, RISK_WARN, SEND_ASSET, THREAT_CONTENT
from .warm import memo, rxc

# a trigger match: (type, cue, start, end, weak, surface)
Trigger = tuple[str, str, int, int, bool, str]

# ---------------------------------------------------------------------------------------------
# trigger rules: (type, cue, regex, weak)
# a plural force subject right before a base-form verb ("forces storm", "jets pound"): without
# it "Storm Ciaran" is weather and "a million pound battle" is money
_FORCE_PL = """forces troops soldiers jets warplanes planes aircraft drones artillery tanks militants gunmen
    rebels fighters police protesters demonstrators rioters mob crowd crowds settlers commandos marines
    israel russia ukraine""".split()
AFTER_FORCE = "(?:" + "|".join(f"(?<={w} )" for w in _FORCE_PL) + ")"

RULES: list[tuple[str, str, str, bool]] = [
    # ---- incident ------------------------------------------------------------------------------
    (
        "incident",
        "strike",
        r"\b(?:air|drone|missile|rocket|artillery|naval|military|retaliatory|precision|deadly|fresh|new|overnight|targeted)[ -]?strikes?\b|\bairstrikes?\b|\bstrikes? (?:on|in|against|at|near|hit|hits|kill|kills|killed|targeting|targeted)\b(?! (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:19|20)\d\d|protest|solidarity|sympathy|support)\b)",
        False,
    ),
    (
        "incident",
        "strike-bare",
        r"\b(?<!hunger )(?<!bird )(?<!bird-)(?<!general )(?<!labor )(?<!labour )(?<!workers )(?<!union )(?<!to )(?<!on )strikes?\b(?! (?:group|groups|force|package|fighters?|capabilit\w+)\b)(?! (?:a |an |the )?(?:deal|agreement|balance|tone|chord|pose|gold|oil|back at critics|out|down)\b)|\bstruck\b(?! (?:a |an |the )?(?:deal|agreement|balance|tone|chord|gold)\b)|\bstriking\b(?= (?:targets?|positions?|sites?))",
        True,
    ),
    (
        "incident",
        "attack",
        r"\b(?<!heart )(?<!panic )(?<!cyber )(?<!shark )(?<!dog )(?<!asthma )(?<!cyber-)attack(?:s|ed|ing)?\b(?! (?:ad|ads|dog)\b| and defen[cs]e)|\bcounter-?attacks?\b|\bcounteroffensive\b",
        True,
    ),
    (
        "incident",
        "bombing",
        r"(?<!review-)(?<!review )\bbomb(?:ed|ing|ings|ard|ards|arded|arding|ardment|ardments)\b|\b(?:car|suicide|roadside|bomb) (?:bomb(?:ing|er|s)?|blast)\b|\bdrop(?:s|ped)? bombs\b",
        False,
    ),
    (
        "incident",
        "shelling",
        r"\bshell(?:ed|ing)\b(?! (?:company|companies|out))|\bmortars?\b|\bartillery fire\b",
        False,
    ),
    ("incident", "bomb-verb", r"\b(?:bombs?|shell)\b(?= (?:the |a |an )?\w)", True),
    (
        "incident",
        "fire",
        r"\b(?:open(?:s|ed)?|exchang(?:e|es|ed|ing)|trad(?:e|es|ed|ing)|returned?) (?:of )?(?:heavy )?fire\b|\b(?<!caught )(?<!catches )(?<!catching )(?<!catch )(?<!\ba )(?<!\bthe )(?<!explosion and )(?<!blast and )(?<!explosions and )fir(?:e|es|ed|ing) (?:on|at|into|upon|toward|towards|(?:(?:\d[\d,]*|dozens of|hundreds of|scores of|a barrage of|a salvo of|a volley of|more|several|two|three|four|five|ten|a|an) )?(?:(?!after |before |and |or |from |in |on |at |as |with |the |to )\w+ )?(?:rockets?|missiles?|drones?|shells?|mortars?|projectiles?))\b|\b(?:rocket|missile|drone|mortar|artillery|gun|tank|sniper)[ -]?fire\b|\bgunfire\b|\bgunmen\b|\bgunman\b|\bexchanges of fire\b|\blaunch(?:es|ed|ing)? (?:\w+ )?(?:rockets?|missiles?|drones?|projectiles?|attacks?|strikes?)\b|\brockets? (?:hit|hits|fired|launched|slam|rain)\b|\bbarrages?\b(?! of (?:[\w-]+ )?(?:criticism|questions|complaints|lawsuits|legal|insults|abuse|calls|messages|emails|texts|tweets|posts|claims|accusations|allegations|requests|challenges|attacks on (?:his|her|their)))|\bsalvos?\b",
        False,
    ),
    (
        "incident",
        "shooting",
        r"\bshot (?:dead|and killed|down)\b|\bshoot(?:s|ing)? down\b|\bshooting\b(?! (?:itself|himself|herself|themselves|yourself|ourselves) in the| stars?\b)|(?<!another )(?<!a )(?<!good )(?<!best )\bshot at\b(?! (?:the title|glory|redemption|education|a |an ))|\bsnipers?\b",
        False,
    ),
    (
        "incident",
        "interception",
        r"\bintercept(?:s|ed|ing|ion|ions)?\b|\bdown(?:s|ed)\b(?= (?:a |an |the |two |three |four |five |six |seven |eight |nine |ten |several |dozens of |\d+ )?(?:\w+ )?(?:drones?|missiles?|rockets?|jets?|planes?|aircraft|helicopters?|uavs?))|\b(?:took|takes?|taking) down\b(?= (?:[\w-]+ ){0,4}?(?:drones?|missiles?|rockets?|jets?|planes?|aircraft|helicopters?|uavs?|projectiles?|targets?|balloons?))",
        False,
    ),
    ("incident", "raid", r"\braid(?:s|ed|ing)?\b(?! (?:on|of) (?:the )?(?:bank|savings|pension))", False),
    (
        "incident",
        "clash",
        r"\bclash(?:es|ed|ing)?\b|\bgun ?battles?\b|\bfirefights?\b|\bskirmish(?:es)?\b|\bstreet battles?\b|\bambush(?:es|ed)?\b",
        False,
    ),
    (
        "incident",
        "fighting",
        r"\bfighting\b(?! (?:(?:for|against) )?(?:corruption|climate|poverty|cancer|inflation|disease|crime|fraud|misinformation|disinformation|the virus|fires?|wildfires?|blazes?|illness|extinction|for (?:their|his|her|my|our) (?:lives?|rights?|future|job|seat))|(?: \w+)? (?:fund|chance|spirit|irish))|(?<!court )(?<!legal )(?<!custody )(?<!political )(?<!election )(?<!bidding )(?<!ratings )\bbattl(?:e|es|ed|ing)\b(?! (?:over|for|of) (?:the )?(?:votes?|ideas|narratives?|budget|trust|influence|hearts|minds|customers|market|talent|attention|relevance|leadership|presidency|nomination|ratings|control of (?:congress|the house|the senate)))|(?<!its )(?<!their )(?<!his )(?<!her )(?<!our )\bfight(?:s)? (?:in|with|against)\b|\bcombat\b",
        True,
    ),
    (
        "incident",
        "assault",
        r"\b(?<!sexual )(?<!sexually )(?<!sex )assault(?:s|ed)?\b(?! (?:rifles?|weapons?|charges?|case|cases|trial|allegations?|claims?|conviction|victims?|survivors?)\b)|\boffensives?\b|\binvasion\b|\binvad(?:e|es|ed|ing)\b|\bincursions?\b|\bground (?:operation|offensive|assault|invasion|incursion)s?\b|\bmilitary operations?\b|\boperation\b|(?<!in )\badvanc(?:e|es|ed|ing)\b(?=\s*(?:$|[,.;:!?)\"'-]|(?:on|onto|into|in|to|towards?|through|across|along|near|around|inside|deep|deeper|further|farther|closer|past|beyond|of|and|as|after|amid|against|from|at|within|by|toward|\w+wards?|\w+ly|\d|some|several|about|up|slowly)\b))",
        True,
    ),
    (
        "incident",
        "siege",
        r"\bencircl(?:e|es|ed|ing)\b|\bbesieg(?:e|es|ing)\b|\bsiege (?:of|on)\b|\bunder siege\b|\bcomplete siege\b|\bblockade\b",
        True,
    ),
    (
        "incident",
        "explosion",
        r"(?<!population )(?<!data )(?<!price )\bexplosions?\b(?! (?:of|in) (?:popularity|growth|demand|interest|cases|prices|colou?r|creativity|sales|numbers))|\bexplod(?:e|es|ed)\b(?! into (?:flames|fire|a fireball))|\bdetonat(?:e|es|ed|ion)\b|\bblasts? (?:kill|hit|rock|at|in|near|on)\w*\b|(?<=deadly )blasts?\b|(?<=huge )blasts?\b|(?<=twin )blasts?\b|(?<=massive |suicide )blasts?\b|(?<=powerful )blasts?\b|(?<=explosive )blasts?\b|(?<=bomb )blasts?\b|(?<=a )blast\b|(?<=an )blast\b|(?<=the )blasts?\b",
        False,
    ),
    (
        "incident",
        "killing",
        r"(?<!making a )(?<!make a )(?<!made a )(?<!makes a )\bkill(?:s|ed|ing|ings)?\b|\bslain\b|\bdead\b|\bdeaths?\b(?! (?:sentences?|penalty|row|threats?|certificates?|squads? (?:trial|case)))|\bwound(?:s|ed|ing)\b|\binjur(?:e|es|ed|ing|ies)\b|\bcasualt(?:y|ies)\b|\bexecut(?:e|es|ed)\b(?! (?:a |the |\w+ )?(?:search )?(?:warrants?|orders?|plans?|strateg\w+|trades?|contracts?|deals?|transactions?|programs?|programmes?|policy|policies|vision))",
        True,
    ),
    (
        "incident",
        "massacre",
        r"\bmassacr(?:e|es|ed|ing)\b(?! (?:memories|anniversary|survivors?|memorial))",
        True,
    ),
    ("incident", "assassination", r"\bassassinat(?:e|es|ed|ion|ions)\b", False),
    (
        "incident",
        "abduction",
        r"\bkidnap(?:s|ped|ping|pings)?\b|\babduct(?:s|ed|ion|ions)?\b|\bhostage-taking\b|\btook (?:\w+ )?hostages?\b|\bhijack(?:s|ed|ing)?\b|\btakeover of (?:the )?(?:\w+ )?(?:ship|vessel|cargo|tanker)\b",
        False,
    ),
    (
        "incident",
        "seizure",
        r"\bseiz(?:e|es|ed|ing|ure)\b|\bcaptur(?:e|es|ed|ing)\b|\bstorm(?:s|ed|ing)\b|"
        + AFTER_FORCE
        + r"storm\b|\btakes? control\b|\btook control\b|\boverr(?:un|an)\b",
        True,
    ),
    (
        "incident",
        "hit",
        r"(?:(?<=forces )|(?<=troops )|(?<=rebels )|(?<=jets )|(?<=army )|(?<=drones )|(?<=militants ))target\b|\bhit(?:s|ting)?\b(?! (?:out|back at|record|snags?|hurdles?|obstacles?|roadblocks?|turbulence|the (?:streets|road|shelves|headlines|brakes|jackpot|market)|a (?:record|wall|snag|milestone|hurdle|roadblock)|home)\b)|(?<!legitimate )(?<!potential )(?<!possible )(?<!future )\btarget(?:s|ed|ing)\b|\bpound(?:s|ed|ing)\b|\bhammer(?:s|ed|ing)\b(?! (?:out|home|away)\b)|"
        + AFTER_FORCE
        + r"pound\b|\bflatten(?:s|ed|ing)\b|\bdestr(?:oy|oys|oyed|oying|uction)\b|\bsank\b|\bsunk\b|\bsinks?\b|\brammed\b|\bramming\b|\bretaliat(?:es|ed|ing)\b|\benter(?:s|ed)?\b|\bpush(?:es|ed)? into\b|\bunder fire\b",
        True,
    ),
    # ---- threat ---------------------------------------------------------------------------------
    ("threat", "warn", r"\bwarn(?:s|ed|ing)?\b|\bcautions?\b", True),
    ("threat", "threaten", r"\bthreat(?:en|ens|ened|ening)\b|\bultimatums?\b", True),
    (
        "threat",
        "vow",
        r"\bvow(?:s|ed|ing)?\b|\bpledg(?:es|ed)\b|\bpromis(?:es|ed)\b|\bsw(?:ear|ears|ore|orn) (?:to|revenge)\b|\bhint(?:s|ed)? at\b",
        True,
    ),
    (
        "threat",
        "ultimatum",
        r"\bpay (?:a |the |an )?(?:heavy |high |very heavy |steep )?price\b|\bcalls? on [\w' ]{1,30} to (?:surrender|lay down (?:their|its) (?:arms|weapons))\b|\bready to (?:strike|attack|act militarily|take (?:the )?fight)\b|\b(?:attacks|strikes|operations) (?:won't|will not|would not) (?:stop|end|cease)\b|\b(?:war|fighting|attacks|strikes|operations) will (?:continue|go on|spread|expand)\b|\bwill (?:retaliate|hit back|strike back)\b|(?<=in )full swing\b|\bright to (?:strike|attack|respond|retaliate|hit|target|act)\b|\bexpect (?:a |an |our |its |their )?(?:[\w-]+ )?(?:retaliation|response|revenge|consequences)\b|\bor face (?:a |an |the )?(?:possible |potential |certain )?(?:[\w.-]+ ){0,2}?(?:attacks?|strikes?|military action|force|war|retaliation|bombing|offensive|invasion)\b",
        False,
    ),
    # ---- deployment -----------------------------------------------------------------------------
    ("deployment", "deploy", r"\b(?:re)?deploy(?:s|ed|ing|ment|ments)?\b", True),
    ("deployment", "send", r"\b(?:send(?:s|ing)?|sent|dispatch(?:es|ed|ing)?)\b(?! packing)", True),
    (
        "deployment",
        "arrive",
        r"\barriv(?:e|es|ed|al)\b|\benter(?:s|ed)?\b|\btransit(?:s|ed|ing)\b|\bsail(?:s|ed|ing)?\b|\bhead(?:s|ed|ing)? (?:to|toward|towards|for)\b|\bassembl(?:e|es|ed|ing)\b|\bdock(?:s|ed)\b|\b(?:pre-)?position(?:ed|ing)\b|\bstationed\b|\bmov(?:e|es|ed|ing) (?:\w+ ){0,2}(?:to|into|towards?|closer)\b|\bmass(?:es|ed|ing)? (?:on|near|along|at)\b|\bmass(?:es|ed|ing) (?:[\w-]+ ){1,3}(?:on|near|along|at|in|around|outside)\b|\bbuild-?ups?\b|\bbuild(?:s|ing)? up\b|\bbolster(?:s|ed|ing)?\b|\breinforc(?:e|es|ed|ing|ements?)\b",
        True,
    ),
    (
        "deployment",
        "mobilise",
        r"\bmobili[sz](?:e|es|ed|ing|ation)\b|\bcall(?:s|ed|ing)? up\b|\bcalled to serve\b|\bcall-?ups?\b|(?<=on )alert\b|(?<=on high )alert\b|(?<=on heightened )alert\b|(?<=on full )alert\b|\bscrambl(?:e|es|ed|ing)\b|\b(?:peak|high|full|combat|heightened|maximum|increased) (?:state of )?(?:readiness|combat readiness)\b|\bprepar(?:e|es|ed|ing) for (?:a |an |the |possible |any )?(?:[\w-]+ )?(?:ground |land |military )?(?:operation|offensive|invasion|incursion|assault)s?\b",
        True,
    ),
    (
        "deployment",
        "exercise",
        r"\bdrills?\b|\b(?:military|naval|joint|air|war|defen[cs]e|live-fire|nuclear) (?:exercises?|manoeuvres|maneuvers)\b|\bwar games?\b|\b(?:holds?|held|holding|conduct(?:s|ed|ing)?|stag(?:e|es|ed|ing)|launch(?:es|ed|ing)?|begins?|began|beginning|start(?:s|ed|ing)?|kick(?:s|ed)? off) (?:[\w-]+ ){0,3}?(?:exercises|manoeuvres|maneuvers)\b|\bpracti[sc](?:e|es|ed|ing)\b|\btrain(?:s|ed|ing)? (?:for|in preparation)\b",
        True,
    ),
    (
        "deployment",
        "present",
        r"\b(?:troops|soldiers|forces|warships|marines|paratroopers|battalions?|brigades?) (?:are|were) (?:now |already |reportedly |still |currently |also )?(?:operating |stationed |based |positioned |present )?(?:in|at|on|inside|near)\b(?! (?:the |a )?(?:way|move|alert|standby|trial|strike|track|record|course|board|duty|holiday|leave|rise|ground|danger|trouble|talks|custody|hiding|shock|limbo|doubt|need|debt|despair|mourning|hospital|prison|jail|court|place|charge)\b)",
        True,
    ),
    (
        "deployment",
        "movement",
        r"\b(?:(?:transport|mov)(?:s|es|ed|ing)?|being (?:transported|moved)|movements?|(?<=on the )move|convoys?|columns?|spotted|sighted|seen|filmed|massing|amass(?:es|ed|ing)?|gather(?:s|ed|ing)|patrol(?:s|led|ling|ing)?)\b",
        True,
    ),
    (
        "deployment",
        "establish",
        r"\b(?:set(?:s|ting)? up|establish(?:es|ed|ing)?|creat(?:e|es|ed|ing)|buil[dt](?:s|ing)?)\b(?: [\w-]+){0,4}? (?:bases?|observation (?:posts?|points?)|(?:military|army|security) (?:posts?|points?|checkpoints?)|outposts?|barracks|checkpoints?)\b",
        True,
    ),
    (
        "deployment",
        "presence",
        r"\b(?:(?:increas|boost|expand|strengthen|heighten|reinforc)\w*|(?:step|ramp|beef|build)(?:s|ed|ped|ping|ing)? up) (?:[\w-]+ ){0,3}?(?:military|naval|troop|army|armed|security) presence\b",
        False,
    ),
    (
        "deployment",
        "coalition",
        r"\bjoin(?:s|ed|ing)? (?:a |the )?(?:[\w.-]+ ){0,2}(?:coalition|task force|naval force|maritime (?:force|alliance|coalition|mission)|mission)\b",
        True,
    ),
]

TYPE_ORDER = {"incident": 0, "threat": 1, "deployment": 2}

# one regex per rule, run on lower-cased text (the rules are written in lower case); per type
# and 3-letter word start, the rules whose matches can begin with it, in rule order (the first
# that matches at a position wins, as in one alternation of the type's rules)
RULE_RX = [rxc(rx) for _, _, rx, _ in RULES]
_TRIGGERS: list = []  # one combined, case-insensitive regex per type: the slow exact path


def _triggers():
    if not _TRIGGERS:
        for _typ in TYPE_ORDER:
            alts = [f"(?P<g{i}>{rx})" for i, (typ, cue, rx, weak) in enumerate(RULES) if typ == _typ]
            _TRIGGERS.append(rxc("|".join(alts), re.I))
    return _TRIGGERS


# Where a trigger can start: the first letters (up to five, within its first word) of every
# match of a rule, read off the rule's regex (rxprefix.py). Scanning for these word starts in C
# and trying only the rules that can begin there is ~20x faster than running the alternations
# everywhere; per start, the rules of each type in rule order (the first that matches at a
# position wins, as in one alternation of the type's rules).
def _dispatch() -> dict[str, tuple[tuple[int, tuple[int, ...]], ...]]:
    from .rxprefix import prefixes

    pre = []
    for _typ, cue, rx, _ in RULES:
        got = prefixes(rx, 5)
        if got is None:
            raise ValueError(f"trigger rule {cue!r}: where its matches start cannot be told from the regex")
        pre.append({re.split(r"[^a-z0-9]", p)[0] or p for p in got})
    keys = set().union(*pre)
    # the scan stops at the shortest start on its path ("war" in "warns"), so a start stands for
    # every longer one under it
    return {
        k: tuple(
            (ti, rules)
            for ti, typ in enumerate(TYPE_ORDER)
            if (
                rules := tuple(
                    i
                    for i, r in enumerate(RULES)
                    if r[0] == typ and any(p.startswith(k) or k.startswith(p) for p in pre[i])
                )
            )
        )
        for k in keys
    }


DISPATCH = memo("dispatch", _dispatch)


# Pre-filter: every trigger match contains a word starting with one of these stems (checked
# for every rule on all labelled sets and both pools, and rule by rule in the tests). One search
# over the raw lower-cased item; items without a stem (most feed items: sport, politics,
# culture) are not cleaned, split or tokenised at all.
STEMS = """strik airstrik struck attack counterattack counter-attack counteroffensive bomb shell mortar
    fire firing gunfire trade_fire trades_fire traded_fire trading_fire trade_heavy trades_heavy traded_heavy trading_heavy gunmen gunman firefight launch barrage salvo shot shoot sniper intercept
    downed downs took_down take_down takes_down raid clash gunbattl battl skirmish ambush fight combat
    assault offensive invasion invad incursion operation advanc encircl besieg siege blockade explosion
    explod detonat blast kill slain dead death wound injur casualt massacre execute assassinat kidnap
    abduct hostage hijack takeover seiz captur storm take_control takes_control took_control overr
    hit target pound flatten destr sank sunk sink ramm retaliat enter push_into pushes_into
    pushed_into warn caution threaten ultimatum vow pledg promis swear swore sworn hint pay_a pay_the pay_an
    pay_heavy pay_high pay_very pay_steep pay_price right_to expect surrender lay_down ready_to war_will swing
    deploy redeploy send sent dispatch arriv transit sail dock positioned positioning pre-position
    stationed move moving mass build bolster reinforc mobili call_up calls_up called_up calling_up
    call-up callup called_to_serve alert scrambl readiness prepar drill exercis manoeuv maneuv war_game practi
    train_for trains_for trained_for training_for train_in trained_in training_in transport being_moved
    convoy column spotted sighted seen filmed amass gather patrol set_up setting_up sets_up establish
    creat built presence assembl hammer or_face head_to heads_to headed_to heading_to head_for heads_for headed_for
    heading_for head_toward heads_toward headed_toward heading_toward head_towards heads_towards headed_towards heading_towards troops_are troops_were soldiers_are soldiers_were forces_are forces_were warships_are warships_were marines_are marines_were paratroopers_are paratroopers_were battalion brigade join""".split()
STEMS = [w.replace("_", " ") for w in STEMS]


def _trie_rx(words: list[str]) -> str:
    from .text import trie_pattern

    return trie_pattern(words, prefixes=True)


STEM = rxc(r"\b" + _trie_rx(STEMS))
_START_RX = rxc(r"\b" + _trie_rx(sorted(DISPATCH)))  # word starts that begin a rule (found in C)


def find(sentence: str):
    """All trigger matches in a sentence: (type, cue, start, end, weak, surface)."""
    low = sentence.lower()
    if len(low) != len(sentence):  # a case mapping changed lengths: slow, exact path
        out = []
        for rx in _triggers():
            for m in rx.finditer(sentence):
                typ, cue, _, weak = RULES[int(m.lastgroup[1:])]
                out.append((typ, cue, m.start(), m.end(), weak, sentence[m.start() : m.end()]))
        return out
    # one pass over the word starts, the three types' rules tried at each (results grouped by
    # type, in order, as one alternation per type would give them)
    per: tuple[list[Trigger], list[Trigger], list[Trigger]] = ([], [], [])
    done = [-1, -1, -1]
    for s in _START_RX.finditer(low):
        p = s.start()
        for ti, rules in DISPATCH[s.group()]:
            if p < done[ti]:
                continue
            for i in rules:
                m = RULE_RX[i].match(low, p)
                if m:
                    typ, cue, _, weak = RULES[i]
                    e = m.end()
                    per[ti].append((typ, cue, p, e, weak, sentence[p:e]))
                    done[ti] = e
                    break
    return per[0] + per[1] + per[2] if per[1] or per[2] else per[0]


# ---------------------------------------------------------------------------------------------
# context checks (all on the lower-cased clause text before / after the trigger)
NEGATION = rxc(
    r"\b(?:not|no|never|n't|without|den(?:y|ies|ied|ying)|refut(?:e|es|ed)|reject(?:s|ed)? (?:claims?|reports?)|false(?:ly)?|fake|no longer|neither|nor|fail(?:s|ed)? to|rul(?:e|es|ed) out)\b[^.;:]{0,40}$"
)
SPECULATION = rxc(
    r"\b(?:could|may|might|would|should|if|unless|needed|needs? to|prospect|allegations? of|call(?:s|ed|ing)? on|(?:warn|vow|threat|pledg|promis|hint)\w*|risks?|risking|fears?|feared|fearing|possible|possibility|potential(?:ly)?|likely|unlikely|expected|expecting|anticipated|looming|imminent|plans?|planned|planning|plots?|plotted|prepar(?:e|es|ed|ing|ations?)|to prevent|prevent(?:s|ed)?|foil(?:s|ed)?|thwart(?:s|ed)?|avert(?:s|ed)?|avoid(?:s|ed)?|weigh(?:s|ed|ing)?|consider(?:s|ed|ing)?|mull(?:s|ed|ing)?|propos(?:e|es|ed|al|als|ing)|calls? for|call(?:ed|ing) for|urg(?:e|es|ed|ing)|pressur(?:e|es|ed|ing) (?:[\w-]+ ){1,3}to\b|seek(?:s|ing)? to|aim(?:s|ed)? to|want(?:s|ed)? to|intend(?:s|ed)? to|ready to|how to|whether|what if|practi[sc](?:e|es|ed|ing)|simulat(?:e|es|ed|ing|ion)|rehears(?:e|es|ed|al)|will|won't|(?<!looks )(?<!look )(?<!appears )(?<!seems )(?<!proved )(?<!proves )(?<!turned out )to be|ahead of|scenario|looks? to(?! be\b)|exploit\w*|search(?:es|ing)? for|rescue)\b[^;:]{0,90}$"
)
AFTER_SPEC = rxc(
    r"^\W*(?:\w+ ){0,2}?(?:risks?|could|would|might|may|threats?|plots?|plans?|fears?|warnings?|scare|was likely|is likely|are likely|is expected|was expected|is imminent|looms|loom|is false|was false|are false|claims? (?:is|are|was) false)\b",
    re.I,
)
POST_NEG = rxc(r"\b(?:is|are|was|were) (?:false|fake|untrue|a hoax)\b|\bdebunk\w*", re.I)
BACKGROUND = rxc(
    r"\b(?:(?:a|one|two|three|several|\d+) (?:years?|months?|decades?) of|(?<![\w-] )(?:years|months|decades) of|since|before|prior to|ago|earlier|previously|(?:the |its |their )?(?:last|previous|past|former)|(?:surge|uptick|rise|increase|spike|decline|drop|wave|string|spate) (?:in|of)|anniversary|remember(?:s|ed|ing)?|commemorat\w*|memorial|legacy|history of|years of|decades of|memories of|survivors? of)\b[^.;:,]{0,30}$"
)
DISASTER = rxc(
    r"\b(?:(?:dog|dogs|shark|bear|animal|heart|panic|cyber)[ -]attacks?|review[ -]bomb\w*|storms?|hurricanes?|typhoons?|cyclones?|floods?|flooding|earthquakes?|quakes?|avalanches?|landslides?|mudslides?|wildfires?|bushfires?|blaze|house fire|volcan\w*|eruption|heatwave|heat|crash(?:es|ed)?|collisions?|accident(?:s|al)?|derail\w*|collapse[ds]?|disease|cholera|outbreak|overdoses?|drown\w*|famine|starvation|prison|custody|covid|virus|cancer|tornado(?:es)?|lightning|sinkhole|stampede|poisoning)\b"
)
# what explodes by accident, and what makes an explosion an attack
_ACCIDENT_WORDS = rxc(
    "gas|propane|boiler|transformer|cylinder|leak|crash|collision|firework|furnace|refiner|depot|factory|smelter|mine |mines|pipeline|unexploded|world war|tanker|batter|e-bike|vape|pressure cooker"
)


def accident(text: str) -> bool:
    """An explosion's cause named as a gas tank, a boiler, a crash…"""
    return _ACCIDENT_WORDS.search(text) is not None and ACCIDENT.search(text) is not None


ACCIDENT = rxc(
    r"\b(?:gas (?:leak|cylinders?|canisters?|tanks?|explosion|blast|pipe\w*|station)|(?:blast|explosion|fire|blaze) (?:at|in|on) (?:an? |the )?(?:[\w-]+ ){0,2}?(?:refiner(?:y|ies)|depot|factory|smelter|mine|pipeline|plant)|(?:refinery|depot|factory|smelter|mine|pipeline) (?:blast|explosion|fire|blaze)|unexploded (?:bomb|shell|ordnance|mine)s?|world war (?:two|ii|2|one|i) (?:bomb|shell|mine)s?|propane|boilers?|transformers?|cylinders?|leak\w*|crash\w*|collisions?|fireworks|furnace|tanker truck|fuel tanker|lithium batter(?:y|ies)|e-bike|vape|pressure cooker)\b"
)
WEAPON = rxc(
    r"\b(?:bomb\w*|attack\w*|strikes?|airstrikes?|drones?|missiles?|rockets?|shell\w*|mortars?|grenades?|ied|suicide|militants?|terror\w*|sabotage|saboteurs?|artillery|explosive devices?|detonated|planted)\b"
)


# nouns that make a weak trigger violent: an instrument or a force-capable agent
FORCE = rxc(
    r"\b(?:soldiers?|servicem[ae]n|service ?members?|(?:improvised )?explosive devices?|explosives|strikes?|airstrikes?|attacks?|bomb\w*|shell(?:s|ing|ed)|missiles?|rockets?|drones?|mortars?|artillery|gunfire|gun ?(?:men|man|fire|battles?)|shot|shooting|snipers?|tanks?|troops|soldiers|forces|army|military|militar(?:y|ies)|militants?|militias?|militiamen|fighters|rebels|insurgents|jihadists?|terrorists?|armed (?:group|men|gang)s?|gangs?|warplanes?|jets?|fighter jets|helicopters?|warships?|navy|raids?|offensive|assault|invasion|incursion|clashes|fighting|battles?|explosions?|blasts?|grenades?|ied|knife|stabbing|ramming|combat|siege|occupation forces|police fire|settlers?|mob|rioters?|hostages?|captives?|unrest|riots?|rioting|hamas|hezbollah|houthis?|idf|irgc|qassam|isis|isil|al-shabaab?|taliban|wagner|pkk)\b"
)


# an act that is being stopped is not happening: "the deal halts fighting", "agreed to end the war"
# (a verb, so "bus stop shelled" is not one; the stopped act is a noun: "fighting", not "shelled")
CESSATION = rxc(
    r"(?<!bus )(?<!tram )(?<!truck )(?<!rest )(?<!pit )(?<!full )\b(?:halt|stop|end|pause|cease|suspend|freeze|call off|wind down)(?:s|ed|ped|ping|ing)?(?: (?:the|all|its|their|further|any|a|hostilities and))?(?: (?!with\b|by\b|on\b|in\b|at\b|after\b|for\b)[\w-]+(?:'s)?)?\W*$"
)


# what a strike leaves behind: "damage after strike", "building struck" (a labour strike leaves none)
DAMAGE = rxc(
    r"\b(?:damag\w*|destr\w*|debris|rubble|craters?|aftermath|ruins?|residential|buildings?|house|houses|homes?|apartments?|block|on fire|fires?|burn\w*|killed|kill|kills|dead|deaths?|died|injur\w*|wounded|casualt\w*|victims?|bodies|civilians?|hospitals?|schools?|infrastructure|substation|base|depot|bridge|military|russian|ukrainian|israeli|munitions|ammunition|positions?|impact|facility|plant|factory|market|tos-1|himars|areas?|smoke|explosions?|emergency services|scene|blood|theat(?:er|re)|shelter|devastat\w*|villages?)\b"
)


def violent_context(low: str, a: int, b: int, cue: str) -> bool:
    """Force words around a weak trigger (the trigger itself excluded); a bare "strike" also
    counts what strikes leave behind."""
    rest = low[:a] + " " + low[b:]
    if FORCE.search(rest):
        return True
    return (
        cue == "strike-bare"
        and not LABOUR.search(rest)
        and bool(DAMAGE.search(rest) or STRUCK_BY.search(low, 0, a))
    )


LABOUR = rxc(
    r"\b(?:unions?|unioni[sz]ed|workers|employees|employers|walkouts?|pickets?|lockouts?|locked out|wages?|pay|contracts?|staff|teachers|nurses|doctors|dockworkers|machinists|strikers)\b"
)


# "damaged in a strike", "after the strikes", "the sound of strikes": a strike that hits things
STRUCK_BY = rxc(
    r"\b(?:after|in|by|following|from|of|amid)(?: (?:a|an|the|its|their|two|several|multiple|repeated|numerous|heavy|massive|overnight))*(?: [\w-]+)?\W*$|(?:^|[,;:] )(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+) $"
)


PASSIVE_AUX = rxc(r"\b(?:been|being|were|was|are|is|be|get|got)\W+(?:\w+ )?$")


def passive_object(low: str, a: int, b: int) -> str:
    """What is sent: the words after "send(s)", or the subject in front of a passive "were sent"."""
    if PASSIVE_AUX.search(low, max(0, a - 25), a):
        return low[max(0, a - 60) : a]
    return low[b : b + 60]


def negated(before: str) -> bool:
    return bool(NEGATION.search(before[-60:]))


_CEASE_WORDS = rxc("halt|stop|end|paus|ceas|suspend|freez|call off|wind down")


def stopped(before: str, surface: str) -> bool:
    if surface.endswith("ed"):
        return False
    tail = before[-45:]
    return _CEASE_WORDS.search(tail) is not None and CESSATION.search(tail) is not None


HYPOTHETICAL = rxc(r"\b(?:any|every)\s+(?:[\w'-]+\s+){0,2}$")


def hypothetical(before: str) -> bool:
    """ "any attack on Iran", "any group that attacks": an act that has not happened."""
    return HYPOTHETICAL.search(before[-40:]) is not None


def speculative(before: str, window: int = 110) -> bool:
    # searched from an offset, not on a slice, so the look-behinds see the words before it
    return bool(SPECULATION.search(before, max(0, len(before) - window)))


AMID = rxc(r"\b(?:amid|amidst)\b[^.;:,]{0,30}$")
SPORT = rxc(
    r"\b(?:qualifiers?|cricket|football|soccer|rugby|tennis|golf|match|innings|wickets?|tournament|world cup|league|championship|goals?|striker|midfielder|coach|olympics?|nba|nfl|fifa|uefa|boxing|ufc|mma|f1|grand prix|playoffs?|season opener|batsman|bowler|quarterback|semi-final|final)\b"
)


# the act as what people fled, what caused damage, what a suspect was arrested over: the news
# is the consequence (a humanitarian feature, a court case), the act is background
ASIDE = rxc(
    r"\b(?:(?:(?:have|has|had) fled|displaced by|lost (?:\w+ ){0,6}in|fallout (?:from|of))(?: (?!as\b|after\b|while\b|when\b|amid\b)[\w'-]+){0,3}|(?:arrest\w* (?:\w+ ){0,4}(?:over|for|in connection with)|jailed (?:\w+ ){0,4}(?:over|for)|counts? of|sentenc\w* (?:\w+ ){0,4}to|charged (?:over|with|in connection with)|convicted (?:of|over)|sentenced (?:for|over)|trial (?:over|for)|accused of|suspected of|(?:in)?capable of|(?:in)?ability to|capacity to|unable to)\b[^.;:]{0,40})\s*$"
)


_ASIDE_WORDS = rxc(
    "fled|displaced|lost|fallout|arrest|jailed|charged|count|convicted|sentenc|trial|accused|"
    "suspected|capab|abilit|capacity|unable"
)


_SPORT_MEMO: list = [None, False]


def sport(low: str) -> bool:
    """A sports story (memoised for the sentence: asked once per trigger)."""
    if _SPORT_MEMO[0] is not low:
        _SPORT_MEMO[0], _SPORT_MEMO[1] = low, SPORT.search(low) is not None
    return _SPORT_MEMO[1]


def background(before: str) -> bool:
    if BACKGROUND.search(before[-45:]):
        return True
    tail = before[-70:]
    # (ASIDE is only searched when one of its words is there: a substring test is far cheaper)
    return _ASIDE_WORDS.search(tail) is not None and ASIDE.search(tail) is not None


def amid(before: str) -> bool:
    return bool(AMID.search(before[-40:]))


# ---------------------------------------------------------------------------------------------
# cheap exact gate: triggers that cannot become an event whatever the names in the sentence say
# (the same conditions the extractor checks, on the sentence instead of the clause). A
# sentence whose triggers are all dead is not tokenised (it may still give a fall-back place).
WEAK_INCIDENT = frozenset(
    ("strike-bare", "massacre", "attack", "fighting", "assault", "siege", "seizure", "hit", "killing")
)
TROOP_WORDS = rxc(r"\b(?:troops|warships?|carrier|soldiers|marines|forces)\b")
AIR_SUBJ = rxc(r"\b(?:aircraft|planes|drones|jets|warplanes|bombers|uss|hms|navy|ships?)\b")
MOBIL_ASSET = rxc(
    r"\b(?:reservists|reserves|troops|soldiers|forces|men|army|military|conscripts|jets|fighters|aircraft|units|recruits|personnel|warplanes|air defen[cs]e|nuclear|navy|idf|division|brigade|battalion|corps)\b"
)
BOLSTER_OBJ = rxc(r"\b(?:presence|defen[cs]es?|forces|military|troops|navy|naval|posture)\b")
DRILL_CIVIL = rxc(
    r"\b(?:(?<!live )(?<!live-)fire|oil|gas|well|wells|earthquake|evacuation|school|uranium|lithium|minerals?|mining|water|drilling|exploration)\b"
)
MILITARY = rxc(r"\bmilitary\b")
MILITARY_WORD = rxc(r"\b(?:military|observation|army)\b")


SINCE_START = rxc(
    r"\bsince the (?:start|beginning|outbreak) of\b|\bsince the [\w-]+ (?:war|conflict) (?:began|erupted|started|broke out)\b"
)
KILLED_IN_WAR = rxc(
    r"\b(?:killed|dead|died) (?:in|on|since) (?:the )?(?:\w+[ -])?(?:war|conflict)\b|\b(?:war|conflict)s? (?:that|which) (?:has |have |had )?(?:killed|left|claimed)\b"
)
TO_OR_NOT = rxc(r"\W*(?:to|not)\b")


def dead(t, low: str, has_actor: bool) -> bool:
    """True when trigger ``t`` = (type, cue, a, b, weak, surface) in the lower-cased sentence
    ``low`` can't give an event: a necessary condition of the extractor fails on the whole
    sentence. ``has_actor``: the sentence may name an actor (a superset test)."""
    typ, cue, a, b, weak, surface = t
    if typ == "incident":
        if "since the" in low and SINCE_START.search(low):  # "… killed since the start of the war"
            return True
        pre = low[:a]
        if (
            speculative(pre, 25)
            or AFTER_SPEC.match(low[b : b + 30])
            or background(pre[-30:])
            or hypothetical(pre)
        ):
            return True
        if cue in WEAK_INCIDENT:
            if cue == "killing" and ("war" in low or "conflict" in low) and KILLED_IN_WAR.search(low):
                return True
            if sport(low):
                return True
            if not has_actor and not violent_context(low, a, b, cue):
                return True
        return False
    if typ == "threat":
        if cue == "ultimatum":
            return False
        if RISK_WARN.match(low[b : b + 40]):
            return True
        if cue == "threaten" and surface.lower() == "threatening":
            return True
        if cue == "warn" and TO_OR_NOT.match(low, b):  # "warned Israel to …" needs the names
            return True
        return not THREAT_CONTENT.search(low[b : b + 50]) and not THREAT_CONTENT.search(
            low[max(0, a - 70) : a]
        )
    # deployment
    if DEPLOY_SPEC.search(low[:a][-30:]):
        return True
    w = surface.lower()
    if cue == "send":
        obj = passive_object(low, a, b)
        return not SEND_ASSET.search(obj) or bool(AID.search(obj) and not TROOP_WORDS.search(obj))
    if cue == "deploy":
        return not ASSET.search(low)
    if cue == "arrive":
        if w.startswith(("position", "station", "build", "bolster", "reinforc", "mass", "mov", "assembl")):
            if not w.startswith(("bolster", "reinforc")) and not ASSET.search(low):
                return True
            return w.startswith("bolster") and not BOLSTER_OBJ.search(low[b : b + 50])
        pre = low[:a]
        return not SEND_ASSET.search(pre) and not AIR_SUBJ.search(pre)
    if cue == "mobilise":
        return not MOBIL_ASSET.search(low) and "serve" not in w
    if cue == "exercise":
        if not EXERCISE_MIL.search(low) and not MILITARY.search(low):
            return True
        return w.startswith("drill") and bool(DRILL_CIVIL.search(low))
    if cue == "coalition":
        return not has_actor
    if cue == "movement":
        return not MIL_ASSET.search(low)
    if cue == "present":
        return False
    if cue == "establish":
        return not ASSET.search(low) and not MILITARY_WORD.search(w)
    return False
