"""Fatalities from a sentence, conservatively (ACLED-style): "at least 30" → 30, "more than 50"
→ 50, "dozens" → 12, "scores" → 20, "hundreds" → 100, "a"/"one" → 1, words → numbers.
Totals ("death toll rises to", "the number killed to") are not an event's fatalities."""

from __future__ import annotations

import re

from .warm import rxc

_UNITS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "several": 3,
    "a few": 3,
    "few": 3,
    "a dozen": 12,
    "dozen": 12,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
    "tens of thousands": 10000,
}
_MULT = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMWORD = (
    r"(?:tens of thousands|a few|a dozen|dozens|scores|hundreds|thousands|several|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|an?)"
)
_NUM = rf"(?:\d[\d,]*(?:\.\d+)?(?:\s*(?:hundred|thousand|million))?|{_NUMWORD}(?:\s+(?:hundred|thousand))?)"
_QUAL = r"(?:at least |more than |over |nearly |almost |around |about |some |up to |as many as |roughly |an estimated |approximately )?"
_VICTIM = r"(?:[a-z'-]+ ){0,4}?"
_KILLWORD = r"(?:killed|dead|died|slain|killing|deaths|dies|die|massacred)"
# "killing 4 people", "kills at least 30", "left 12 dead"
_AFTER_VERB = rxc(
    rf"\b(?:kill(?:s|ed|ing)?|left|leaving|claimed the lives of)\s+{_QUAL}({_NUM})\b(?!\s*(?:percent|%|years?|days?|weeks?|months?|km|miles|metres|meters|hours?))"
)
# "30 people were killed", "at least 49 killed", "more than 50 Palestinians reported killed"
_BEFORE = rxc(
    rf"(?<![\w,.])({_QUAL})({_NUM})\s+{_VICTIM}(?:were |have been |had been |are |was |is |reported |reportedly |been |now )*{_KILLWORD}\b(?! or (?:were )?(?:wounded|injured|hurt|missing|detained|arrested|captured))"
)
_TOTAL = rxc(
    r"\b(?:toll|tally|total|number of (?:\w+ )?(?:killed|dead|deaths)|since the (?:start|beginning)|so far|to date)\b"
)


def _value(tok: str) -> int | None:
    t = tok.lower().replace(",", "").strip()
    if not t:
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(hundred|thousand|million)?", t)
    if m:
        v = float(m.group(1)) * (_MULT.get(m.group(2), 1) if m.group(2) else 1)
        return int(v)
    mult = 1
    for w, k in _MULT.items():
        if t.endswith(" " + w) and t != w:
            t, mult = t[: -len(w) - 1].strip(), k
            break
    if t in _UNITS:
        return _UNITS[t] * mult
    parts = re.split(r"[- ]", t)
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        return (_UNITS[parts[0]] + _UNITS[parts[1]]) * mult
    return None


_CUES = ("kill", "dead", "die", "slain", "death", "left", "leaving", "lives", "massacred")  # one must occur


def fatalities(sentence: str) -> int | None:
    """Largest conservative death figure stated in the sentence for one event, or None."""
    low = sentence.lower()
    if not any(w in low for w in _CUES):
        return None
    best = None
    for rx in (_AFTER_VERB, _BEFORE):  # patterns are lower-case: run on the lower-cased text
        for m in rx.finditer(low):
            tail = low[max(0, m.start() - 40) : m.start()]
            if _TOTAL.search(tail):
                continue
            num = m.group(rx.groups)
            v = _value(num)
            if v is None or v > 100_000:
                continue
            if re.match(r"\d{4}$", num.strip()) and 1900 <= v <= 2100:
                continue
            best = v if best is None else max(best, v)
    return best
