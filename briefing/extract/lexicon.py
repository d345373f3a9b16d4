"""Vocabulary of the extractor: closed word classes (prepositions, linking words, force nouns)
and the regexes that decide whether a trigger is in a violent / military / threatening context.
Data, not logic: the rules that use them live in events.py, names.py, actors.py, places.py."""
from __future__ import annotations

import re

from .warm import rxc

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
                    "northwestern", "southeastern", "southwestern", "northeast", "northwest", "southeast", "southwest", "far", "nearby", "neighbouring",
                    "neighboring", "southernmost", "northernmost", "coastal", "israeli-occupied",
                    "russian-occupied", "annexed", "contested", "disputed", "embattled", "war-torn",
                    "city", "town", "village", "port", "region", "province", "outskirts", "heart",
                    "parts", "part", "areas", "area", "across", "banned", "outlawed", "proscribed",
                    "rival", "militant", "armed", "rebel", "separatist", "extremist", "jihadist",
                    "islamist"}
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
SPEAKER_NOUNS = {"leader", "commander", "militia", "militants", "rebels", "army", "military", "president",
                 "minister", "government", "junta", "regime"}
NOUN_ONLY = {"bombardment", "bombardments", "bombing", "bombings", "shelling", "offensive", "invasion",
             "barrage", "barrages", "explosion", "explosions", "blast", "incursion", "siege", "massacre",
             "killing", "killings", "deaths", "death", "casualties", "assassination", "kidnapping",
             "kidnappings", "hijacking", "takeover", "war", "fighting", "violence", "crisis"}
LINK = {"has", "have", "had", "is", "are", "was", "were", "also", "again", "reportedly", "allegedly",
        "expected", "set", "due", "poised", "slated", "scheduled",
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
SHIP = rxc(r"\b(?:ships?|vessels?|tankers?|cargo|shipping|boats?|freighters?|merchant|container ship|bulk carrier|warships?|destroyers?|frigates?|maritime)\b", re.I)
TWO_SIDED = {"clash", "fighting"}
DATE_RX = rxc(r"\b(?:on |since |from )?(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4}))?|\b(\d{1,2}) (jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?:,? (\d{4}))?|\bin (19\d\d|20[01]\d)\b", re.I)
MONTH_ONLY = rxc(r"(?:\bin |'s |\blast |\b[Tt]he )(January|February|March|April|May|June|July|August|September|October|November|December)\b(?! \d)")
MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
CAPTION = rxc(r"(?:\((?:[^()]*(?:getty|photo|reuters|afp|ap|epa|images|via|handout|supplied|file)[^()]*)\)\s*$)|\bin a file photo\b|^(?:a |an )?(?:handout |screen ?grab|file )?(?:photo|picture|image|screen ?grab|locator map)\b", re.I)
SANCTION = rxc(r"\b(?:sanction\w*|funding|financ\w*|network|tariffs?|economy|voters|ads?|critics|campaign|inflation|ratings?|website|accounts?|hackers?|cyber\w*|online|social media|disinformation|votes?|ballot|polls?|deflation|exit|growth|goals?|aides|staffers|companies|charges?|charged|fines?|lawsuits?|penalt\w+|indictments?|firms|exports|imports|investors|sectors?|industry|spending|budget|deficit|emissions|reforms?|audiences?|viewers|readers|customers|consumers|buyers|tourists|students|donors)\b", re.I)
THREAT_CONTENT = rxc(r"\b(?:time is running out|blows?|terror\w*|attack\w*|strik\w*|struck|respon\w*|retaliat\w*|reveng\w*|vengeance|war|wars|military action|action against|preemptive|pre-emptive|(?:by|use of|using|military|armed) force|destroy\w*|destruction|crush\w*|eliminat\w*|wipe\w*|annihilat\w*|eradicat\w*|fight\w*|escalat\w*|expan\w* (?:of )?(?:the )?(?:war|conflict|fighting)|(?:war|conflict|fighting) (?:will |would |could )?(?:spread|expand)\w*|spread\w* to|pay (?:a |the |an )?(?:heavy |high |very heavy |steep )?price|consequences?|offensive|invasion|invad\w*|annex\w*|siege|blockade|(?:sea|strait|waterway|shipping|airspace|route)s? ?clos\w*|clos\w* (?:the )?(?:\w+ )?(?:sea|strait|waterway|shipping|airspace)|continue (?:the |its |their )?(?:war|fight|fighting|attacks|strikes|operations?|offensive|bombardment)|unrelenting|hit back|strike back|bomb\w*|targets?|shoot\w*|surrender|nuclear|missiles?|rockets?|retribution|punish\w*|obliterat\w*|flatten|erase|occupy|fronts?|full swing|regional war|all-out|harsh|powerful|crushing|decisive|take (?:the )?fight|act militarily|intervene|(?:air|military|bombing|ground) (?:campaign|operations?)|(?:expand|widen|step up|intensify|escalate)\w* (?:its |the |their )?(?:\w+ )?(?:campaign|operations?|offensive|strikes|attacks))\b", re.I)
RISK_WARN = rxc(r"^\W*(?:of (?:[\w-]+ ){0,2}?(?:risks?|dangers?)\b|(?:of|about|that|against)? ?(?:the |a |an |growing |rising |increased |serious )?(?:risks?|dangers?|threats?|possibility|likelihood|prospect|spectre|consequences of|humanitarian|famine|disease|collapse|catastrophe)\b)", re.I)
DEPLOY_SPEC = rxc(r"\b(?:against|warn\w*|threat\w*|weigh\w*|consider\w*|mull\w*|propos\w*|could|might|may|would|should|if|whether|when|how|calls? for|called for|calling for|urg\w*|asks?|asked|request\w*|approv\w*|authori[sz]\w*|protest\w*|seek\w*|want\w*|debat\w*|vote\w*|won't|not|no|refus\w*|reject\w*|den(?:y|ies|ied)|withdraw\w*|pull\w* out|end\w*|halt\w*|recall\w*|plans? to|planning to|possible|potential|fears?|feared|risk\w*)\b[^;:]{0,50}$", re.I)
ASSET = rxc(r"\b(?:armadas?|fleets?|flotillas?|naval forces?|troops|soldiers|forces|reservists|reserves|warships?|naval|navy|aircraft carriers?|carriers?|destroyers?|frigates?|submarines?|jets|fighter jets|fighters|bombers|warplanes|aircraft|helicopters?|missile systems?|missile defen[cs]es?|air defen[cs]es?|air-defen[cs]e|patriots?|thaad|battalions?|brigades?|divisions?|marines|military|army|paratroopers|special forces|national guard|gunships?|uss|hms|task force|strike group|amphibious|tanks|armou?r|convoys?|reinforcements|units?|ships|vessels|personnel|nuclear|missiles?|drones)\b", re.I)
SEND_ASSET = rxc(r"\b(?:armadas?|fleets?|flotillas?|naval forces?|troops|soldiers|forces|reservists|warships?|navy|naval|aircraft carriers?|carriers?|destroyers?|frigates?|submarines?|jets|fighter jets|bombers|warplanes|marines|paratroopers|special forces|reinforcements|gunships?|uss|hms|task force|strike group|military advisers|battalions?|brigades?|units?|ships|personnel|military aircraft|air defen[cs]e (?:units|batteries|systems)|thaad|patriot (?:batter(?:y|ies)|systems?|missile systems?)|(?:missile|air)[ -]defen[cs]e batter(?:y|ies))\b", re.I)
AID = rxc(r"\b(?:aid|package|weapons|arms|ammunition|munitions|shells|himars|humanitarian|supplies|money|funds|funding|delegation|envoy|diplomats|letter|messages?|signals?|invitations?|condolences|team of|experts|food|medicine|fuel|trucks|equipment|tanks to|missiles to|anti-tank|air-defen[cs]e equipment|components)\b", re.I)
EXERCISE_MIL = rxc(r"\b(?:live (?:drills|exercises)|military|army|naval|navy|war|troops|forces|nuclear|missiles?|live-fire|joint|air force|defen[cs]e|combat|strike|bombers|jets|warships?|tanks|retaliatory)\b", re.I)
WARNAME = rxc(r"\b(?:war|conflict|fighting|ceasefire|cease-fire|truce|border|front|talks|deal|crisis|hostilities|escalation|tensions|frontier|standoff)\b", re.I)
# military assets whose movement or sighting is a deployment ("tanks on the move", "a convoy of
# armoured vehicles", "troops spotted near…")
MIL_ASSET = rxc(r"\b(?:troops|soldiers|forces|tanks?|armou?red (?:vehicles|personnel carriers|columns?)|apcs?|armou?r|military (?:equipment|hardware|vehicles|convoys?|columns?|trucks|aircraft|helicopters|units?|police|reinforcements)|heavy (?:weapon\w*|equipment|armou?r|machinery)|weaponry|artillery|howitzers|(?:rocket|missile) launchers|mlrs|air defen[cs]e systems?|warships?|fighter jets|helicopters|reinforcements|paratroopers|marines|battalions?|brigades?|militants|fighters|militiamen|gunmen)\b")
# force-holders named by a demonym ("Russian tanks", "US troops"): the demonym says whose force it
# is, not where it stands, so it does not give the theater of an act against them
MOBILE_FORCE = frozenset("""troops troop soldiers soldier forces force military army tanks tank vehicles vehicle
    trucks truck equipment column columns convoy convoys armour armor units unit personnel aircraft
    helicopters helicopter jets jet planes plane drones drone servicemen marines sailors contractors
    convoy fighters""".split())

# labour action in an item: a strike in it with no force or damage around it is a walkout
# ("pilots to strike on Thursday", "after a two-day strike", "braces for more strikes")
LABOUR_ACTION = rxc(r"\b(?:unions?|unionised|unionized|industrial action|walkouts?|picket\w*|strikers|strike action|(?:go|goes|went|going|are|were|is|was|be|been) on strike|(?:call\w*|announc\w*|stag\w*|hold\w*|held|end\w*|threaten\w*) (?:a |an |the |their |its )?(?:[\w-]+ )?strike|(?:\d+|one|two|three|four|five|six|seven|24|48|72)[- ](?:hour|day|week|month)s?(?:-long)? strikes?|general strikes?|labou?r (?:disputes?|action|strikes?|unrest)|pay (?:disputes?|rises?|deals?|talks)|wages?|pensions?|collective bargaining)\b")
