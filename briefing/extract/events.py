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

# ---------------------------------------------------------------------------------------------
# trigger rules: (type, cue, regex, weak)
RULES: list[tuple[str, str, str, bool]] = [
    # ---- incident ------------------------------------------------------------------------------
    ("incident", "strike", r"\b(?:air|drone|missile|rocket|artillery|naval|military|retaliatory|precision|deadly|fresh|new|overnight|targeted)[ -]?strikes?\b|\bairstrikes?\b|\bstrikes? (?:on|in|against|at|near|hit|hits|kill|kills|killed|targeting|targeted)\b", False),
    ("incident", "strike", r"\b(?<!hunger )(?<!general )(?<!labor )(?<!labour )(?<!workers )(?<!union )(?<!to )(?<!on )strikes?\b(?! (?:a |an |the )?(?:deal|agreement|balance|tone|chord|pose|gold|oil|back at critics|out|down)\b)|\bstruck\b(?! (?:a |an |the )?(?:deal|agreement|balance|tone|chord|gold)\b)|\bstriking\b(?= (?:targets?|positions?|sites?))", False),
    ("incident", "attack", r"\b(?<!heart )(?<!panic )(?<!cyber )(?<!shark )(?<!dog )(?<!asthma )(?<!cyber-)attack(?:s|ed|ing)?\b(?! (?:ad|ads|dog)\b)|\bcounter-?attacks?\b|\bcounteroffensive\b", True),
    ("incident", "bombing", r"\bbomb(?:ed|ing|ings|ard|ards|arded|arding|ardment|ardments)\b|\b(?:car|suicide|roadside|bomb) (?:bomb(?:ing|er|s)?|blast)\b|\bdrop(?:s|ped)? bombs\b", False),
    ("incident", "shelling", r"\bshell(?:s|ed|ing)\b(?! (?:company|companies|out))|\bmortars?\b|\bartillery fire\b", False),
    ("incident", "fire", r"\b(?:open(?:s|ed)?|exchang(?:e|es|ed|ing)|returned?) (?:of )?fire\b|\bfir(?:e|es|ed|ing) (?:on|at|into|upon|toward|towards|rockets?|missiles?|drones?|shells?|mortars?)\b|\b(?:rocket|missile|drone|mortar|artillery|gun|tank|sniper)[ -]?fire\b|\bgunfire\b|\bgunmen\b|\bgunman\b|\bexchanges of fire\b|\blaunch(?:es|ed|ing)? (?:\w+ )?(?:rockets?|missiles?|drones?|projectiles?|attacks?|strikes?)\b|\brockets? (?:hit|hits|fired|launched|slam|rain)\b|\bbarrages?\b|\bsalvos?\b", False),
    ("incident", "shooting", r"\bshot (?:dead|and killed|down)\b|\bshoot(?:s|ing)? down\b|\bshooting\b|\bshot at\b|\bsnipers?\b", False),
    ("incident", "interception", r"\bintercept(?:s|ed|ing|ion|ions)?\b|\bdown(?:s|ed)\b(?= (?:a |an |the |two |three |\d+ )?(?:\w+ )?(?:drones?|missiles?|rockets?|jets?|planes?|aircraft|helicopters?|uavs?))|\btook down\b|\btakes? down\b", False),
    ("incident", "raid", r"\braid(?:s|ed|ing)?\b(?! (?:on|of) (?:the )?(?:bank|savings|pension))", False),
    ("incident", "clash", r"\bclash(?:es|ed|ing)?\b|\bgun ?battles?\b|\bfirefights?\b|\bskirmish(?:es)?\b|\bstreet battles?\b|\bambush(?:es|ed)?\b", False),
    ("incident", "fighting", r"\bfighting\b(?! (?:for|against) (?:corruption|climate|poverty|cancer|inflation|disease|crime|fraud|misinformation|disinformation|the virus)|(?: \w+)? (?:fund|chance|spirit|irish))|\bbattl(?:e|es|ed|ing)\b(?! (?:over|for|of) (?:the )?(?:votes?|ideas|narratives?|budget|control of (?:congress|the house|the senate)))|\bfight(?:s)? (?:in|with|against)\b|\bcombat\b", True),
    ("incident", "assault", r"\b(?<!sexual )(?<!sexually )assault(?:s|ed)?\b|\boffensives?\b|\binvasion\b|\binvad(?:e|es|ed|ing)\b|\bincursions?\b|\bground (?:operation|offensive|assault|invasion|incursion)s?\b|\bmilitary operations?\b|\boperation\b|\badvanc(?:e|es|ed|ing)\b", True),
    ("incident", "siege", r"\bencircl(?:e|es|ed|ing)\b|\bbesieg(?:e|es|ed|ing)\b|\bsiege\b|\bblockade\b", True),
    ("incident", "explosion", r"\bexplosions?\b|\bexplod(?:e|es|ed)\b|\bdetonat(?:e|es|ed|ion)\b|\bblasts? (?:kill|hit|rock|at|in|near|on)\w*\b|\b(?:deadly|huge|massive|powerful|twin|suicide|bomb|explosive|a|the) blasts?\b", False),
    ("incident", "killing", r"\bkill(?:s|ed|ing|ings)?\b|\bslain\b|\bdead\b|\bdeaths?\b|\bwound(?:s|ed|ing)\b|\binjur(?:e|es|ed|ing|ies)\b|\bcasualt(?:y|ies)\b|\bmassacres?\b|\bexecut(?:e|es|ed)\b", True),
    ("incident", "assassination", r"\bassassinat(?:e|es|ed|ion|ions)\b", False),
    ("incident", "abduction", r"\bkidnap(?:s|ped|ping|pings)?\b|\babduct(?:s|ed|ion|ions)?\b|\bhostage-taking\b|\btook (?:\w+ )?hostages?\b|\bhijack(?:s|ed|ing)?\b|\btakeover of (?:the )?(?:\w+ )?(?:ship|vessel|cargo|tanker)\b", False),
    ("incident", "seizure", r"\bseiz(?:e|es|ed|ing|ure)\b|\bcaptur(?:e|es|ed|ing)\b|\bstorm(?:s|ed|ing)\b|\btakes? control\b|\btook control\b|\boverr(?:un|an)\b", True),
    ("incident", "hit", r"\bhit(?:s|ting)?\b(?! (?:out|back at|record|the (?:streets|road|shelves|headlines|brakes|jackpot)|a (?:record|wall|snag|milestone)|home)\b)|\btarget(?:s|ed|ing)\b|\bpound(?:s|ed|ing)\b|\bflatten(?:s|ed|ing)\b|\bdestr(?:oy|oys|oyed|oying|uction)\b|\bsank\b|\bsunk\b|\bsinks?\b|\brammed\b|\bramming\b|\bretaliat(?:es|ed|ing)\b|\benter(?:s|ed)?\b|\bpush(?:es|ed)? into\b|\bunder fire\b|\bunder siege\b", True),
    # ---- threat ---------------------------------------------------------------------------------
    ("threat", "warn", r"\bwarn(?:s|ed|ing)?\b|\bcautions?\b", True),
    ("threat", "threaten", r"\bthreat(?:en|ens|ened|ening)\b", True),
    ("threat", "vow", r"\bvow(?:s|ed|ing)?\b|\bpledg(?:e|es|ed)\b|\bpromis(?:e|es|ed)\b|\bsw(?:ear|ears|ore) (?:to|revenge)\b|\bhint(?:s|ed)? at\b", True),
    ("threat", "ultimatum", r"\bultimatums?\b|\bpay (?:a |the |an )?(?:heavy |high |very heavy |steep )?price\b|\bcalls? on [\w' ]{1,30} to (?:surrender|lay down (?:their|its) (?:arms|weapons))\b|\bready to (?:strike|attack|act militarily|take (?:the )?fight)\b|\b(?:attacks|strikes|operations) (?:won't|will not|would not) (?:stop|end|cease)\b|\b(?:war|fighting|attacks|strikes|operations) will (?:continue|go on|spread|expand)\b|\bwill (?:retaliate|hit back|strike back)\b|\bin full swing\b", False),
    # ---- deployment -----------------------------------------------------------------------------
    ("deployment", "deploy", r"\b(?:re)?deploy(?:s|ed|ing|ment|ments)?\b", True),
    ("deployment", "send", r"\b(?:send(?:s|ing)?|sent|dispatch(?:es|ed|ing)?)\b", True),
    ("deployment", "arrive", r"\barriv(?:e|es|ed|al)\b|\benter(?:s|ed)\b|\btransit(?:s|ed|ing)\b|\bsail(?:s|ed|ing)?\b|\bdock(?:s|ed)\b|\bposition(?:s|ed|ing)\b|\bstation(?:s|ed|ing)\b|\bmov(?:e|es|ed|ing) (?:\w+ ){0,2}(?:to|into|towards?|closer)\b|\bmass(?:es|ed|ing)? (?:on|near|along|at)\b|\bbuild-?ups?\b|\bbuild(?:s|ing)? up\b|\bbolster(?:s|ed|ing)?\b|\breinforc(?:e|es|ed|ing|ements?)\b", True),
    ("deployment", "mobilise", r"\bmobili[sz](?:e|es|ed|ing|ation)\b|\bcall(?:s|ed|ing)? up\b|\bcalled to serve\b|\bcall-?ups?\b|\bon (?:high |heightened |full |combat )?alert\b|\bscrambl(?:e|es|ed|ing)\b", True),
    ("deployment", "exercise", r"\bdrills?\b|\b(?:military|naval|joint|air|war|defen[cs]e|live-fire|nuclear) (?:exercises?|manoeuvres|maneuvers)\b|\bwar games?\b|\bpracti[sc](?:e|es|ed|ing)\b|\btrain(?:s|ed|ing)? (?:for|in preparation)\b|\bin preparation for\b", True),
    ("deployment", "coalition", r"\bjoin(?:s|ed|ing)? (?:a |the )?(?:[\w.-]+ ){0,2}(?:coalition|task force|naval force|maritime (?:force|alliance|coalition|mission)|mission)\b", True),
]

TYPE_ORDER = {"incident": 0, "threat": 1, "deployment": 2}

_compiled = []
for i, (typ, cue, rx, weak) in enumerate(RULES):
    _compiled.append(f"(?P<g{i}>{rx})")
TRIGGERS = re.compile("|".join(_compiled), re.I)

# A cheap pre-filter over the whole item: any trigger stem at all. Most feed items (sport,
# politics, culture) have none and cost one regex search.
PREFILTER = re.compile(
    r"strik|struck|attack|bomb|shell|fire|firing|gun|shot|shoot|intercept|down|raid|clash|battl|"
    r"fight|combat|assault|offensive|invasion|invad|incursion|operation|advanc|encircl|besieg|siege|"
    r"blockade|explo|detonat|blast|kill|slain|dead|death|wound|injur|casualt|massacre|execut|"
    r"assassinat|kidnap|abduct|hostage|hijack|takeover|seiz|captur|storm|control|overr|hit|target|"
    r"pound|flatten|destr|sank|sunk|sink|ramm|retaliat|enter|push|warn|caution|threat|vow|pledg|"
    r"promis|swear|swore|hint|ultimatum|price|surrender|ready to|won't|will not|would not|will|"
    r"swing|deploy|send|sent|dispatch|arriv|transit|sail|dock|position|station|mov|mass|build|"
    r"bolster|reinforc|mobili|call|alert|scrambl|drill|exercise|manoeuv|maneuv|war game|practi|"
    r"train|preparation|join|barrage|salvo|sniper|mortar|skirmish|ambush|launch", re.I)


def find(sentence: str):
    """All trigger matches in a sentence: (type, cue, start, end, weak, surface)."""
    out = []
    for m in TRIGGERS.finditer(sentence):
        i = int(m.lastgroup[1:])
        typ, cue, _, weak = RULES[i]
        out.append((typ, cue, m.start(), m.end(), weak, m.group()))
    return out


# ---------------------------------------------------------------------------------------------
# context checks (all on the lower-cased clause text before / after the trigger)
NEGATION = re.compile(r"\b(?:not|no|never|n't|without|den(?:y|ies|ied|ying)|refut(?:e|es|ed)|reject(?:s|ed)? (?:claims?|reports?)|false(?:ly)?|fake|no longer|neither|nor|fail(?:s|ed)? to|rul(?:e|es|ed) out)\b[^.;:]{0,40}$")
SPECULATION = re.compile(r"\b(?:could|may|might|would|should|if|unless|risks?|risking|fears?|feared|fearing|possible|possibility|potential(?:ly)?|likely|unlikely|expected|expecting|anticipated|looming|imminent|plans?|planned|planning|plots?|plotted|prepar(?:e|es|ed|ing|ations?)|to prevent|prevent(?:s|ed)?|foil(?:s|ed)?|thwart(?:s|ed)?|avert(?:s|ed)?|avoid(?:s|ed)?|weigh(?:s|ed|ing)?|consider(?:s|ed|ing)?|mull(?:s|ed|ing)?|propos(?:e|es|ed|al|als|ing)|calls? for|call(?:ed|ing) for|urg(?:e|es|ed|ing)|seek(?:s|ing)? to|aim(?:s|ed)? to|want(?:s|ed)? to|intend(?:s|ed)? to|threat(?:s|ened|ening)? (?:of|to)|warn(?:s|ed|ing)? (?:of|that|against)|vow(?:s|ed)? to|pledg(?:e|es|ed) to|threaten(?:s|ed)? to|ready to|how to|whether|what if|practi[sc](?:e|es|ed|ing)|simulat(?:e|es|ed|ing|ion)|rehears(?:e|es|ed|al)|will|won't|to be|response to|ahead of|scenario)\b[^;:]{0,60}$")
BACKGROUND = re.compile(r"\b(?:amid|amidst|since|before|prior to|ago|anniversary|remember(?:s|ed|ing)?|commemorat\w*|memorial|legacy|history of|years of|decades of|memories of|survivors? of)\b[^.;:,]{0,30}$")
DISASTER = re.compile(r"\b(?:storms?|hurricanes?|typhoons?|cyclones?|floods?|flooding|earthquakes?|quakes?|avalanches?|landslides?|mudslides?|wildfires?|bushfires?|blaze|house fire|volcan\w*|eruption|heatwave|heat|crash(?:es|ed)?|collisions?|accident(?:s|al)?|derail\w*|collapse[ds]?|disease|cholera|outbreak|overdoses?|drown\w*|famine|starvation|prison|custody|covid|virus|cancer|tornado(?:es)?|lightning|sinkhole|stampede|poisoning)\b")
# nouns that make a weak trigger violent: an instrument or a force-capable agent
FORCE = re.compile(r"\b(?:strikes?|airstrikes?|attacks?|bomb\w*|shell(?:s|ing|ed)|missiles?|rockets?|drones?|mortars?|artillery|gunfire|gun ?(?:men|man|fire|battles?)|shot|shooting|snipers?|tanks?|troops|soldiers|forces|army|military|militar(?:y|ies)|militants?|militias?|militiamen|fighters|rebels|insurgents|jihadists?|terrorists?|armed (?:group|men|gang)s?|gangs?|warplanes?|jets?|fighter jets|helicopters?|warships?|navy|raids?|offensive|assault|invasion|incursion|clashes|fighting|battles?|explosions?|blasts?|grenades?|ied|knife|stabbing|ramming|war|combat|siege|occupation forces|police fire|settlers?|hamas|hezbollah|houthis?|idf|irgc|qassam|isis|isil|al-shabaab?|taliban|wagner|pkk)\b")


def negated(before: str) -> bool:
    return bool(NEGATION.search(before[-60:]))


def speculative(before: str) -> bool:
    return bool(SPECULATION.search(before[-70:]))


def background(before: str) -> bool:
    return bool(BACKGROUND.search(before[-45:]))
