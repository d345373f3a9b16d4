"""Features for the learned decisions (issue 12): what the trained model sees of an item.

One function, :func:`featurize`, used both by training (``briefing.learn.train``) and at tag
time (``learned.py``), so the two can never drift apart. It returns:

- the item's *type* features: word unigrams and bigrams (title words marked apart), and the
  rule extractor's findings as cues (its types, its trigger words, how many events);
- *theater candidates*: every theater a place, sea, capital or demonym mention in the item
  points at, or that the rules chose, each with the features of its mentions (the
  preposition before it, the word after it, title or summary, first or later, a sponsor
  "Iran-backed" or a possessive "Israel's", whether the rules placed an event there);
- *actor candidates*: every state or named group a mention can stand for, with the same kind
  of mention features plus whether the rules made it an initiator or a target.

The hand rules thus stay as candidate generators and as features; the decisions are the
model's. Features are plain strings so the model is a dictionary of weights (data, not code).
"""

from __future__ import annotations

from typing import NamedTuple

from ..tagging import Tagging
from .text import clean, sentences, tokens

TYPES = ("incident", "threat", "deployment")

# words that carry no signal on their own (kept short: the model weighs the rest)
_STOP = frozenset(
    """a an the of to in on at for and or but is are was were be been has have had
    it its this that with as by from after over into than then he she they we i you his her their
    our will would can could s""".split()
)


class Features(NamedTuple):
    item: list[str]
    theaters: dict[str, list[str]]
    actors: dict[str, list[str]]
    rule: Tagging


def _classes() -> dict[str, str]:
    import os

    out: dict[str, str] = {}
    with open(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "wordclasses.tsv"), encoding="utf-8"
    ) as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                cls, words = line.rstrip("\n").split("\t")
                for w in words.split():
                    out.setdefault(_stem1(w), cls)
    return out


_STEMS: dict[str, str] = {}


def _stem(k: str) -> str:
    """A light suffix stripper: "vows", "vowed", "vowing" → "vow" (the model sees one word)."""
    got = _STEMS.get(k)
    if got is None:
        got = _STEMS[k] = _stem1(k)
        if len(_STEMS) > 200_000:
            _STEMS.clear()
    return got


def _stem1(k: str) -> str:
    if len(k) > 5 and k.endswith("ing"):
        return k[:-3]
    if len(k) > 4 and k.endswith("ied"):
        return k[:-3] + "y"
    if len(k) > 4 and k.endswith("ed"):
        return k[:-2]
    if len(k) > 4 and k.endswith("es") and k[-3] in "sxz":
        return k[:-2]
    if len(k) > 3 and k.endswith("s") and not k.endswith("ss"):
        return k[:-1]
    return k


def _words(toks, spans: dict[int, tuple[int, str]], prefix: str, out: list[str]) -> None:
    """Unigrams and bigrams of stems; a name mention becomes its class (<state>, <group>,
    <place>, <dem>) so that "Seoul vows" and "Tehran vows" teach the same thing; words of a
    class (wordclasses.tsv) also give the class, and classes within three words of each other
    give a pair ("vows … answer")."""
    prev = "<s>"
    i = 0
    n = len(toks)
    seq: list[str] = []
    while i < n:
        if i in spans:
            j, k = spans[i]
            i = j
            seq.append(k)
        else:
            k = toks[i].key
            i += 1
            if not k:
                continue
            if k.isdigit():
                k = "<num>"
            else:
                k = _STEMS.get(k) or _stem(k)
            c = _CLASS.get(k)
            if c is not None:
                out.append("c:" + c)
                seq.append(c)
            elif k not in _STOP:
                seq.append("")
        if k not in _STOP:
            out.append(prefix + k)
        out.append(prefix + "b:" + prev + "_" + k)
        prev = k
    out.append(prefix + "b:" + prev + "_</s>")
    for a in range(len(seq)):
        if seq[a]:
            for b in range(a + 1, min(a + 4, len(seq))):
                if seq[b]:
                    out.append("cc:" + seq[a] + ">" + seq[b])


_CLASS: dict[str, str] = {}  # filled below, once _stem1 exists


def _cls(e) -> str:
    if e.akind == "group":
        return "<group>"
    if e.akind in ("unit", "leader"):
        return "<unit>"
    if e.sea:
        return "<sea>"
    if e.capital:
        return "<capital>"
    if e.demonym and not e.place:
        return "<dem>"
    return "<place>"


_CLASS.update(_classes())


def _mention_feats(m, toks, where: str, first: bool, s: str) -> list[str]:
    """Features of one name mention in a tokenised sentence."""
    f = [f"where:{where}", f"prep:{m.prep or '-'}"]
    nxt = _stem(toks[m.j].key) if m.j < len(toks) else "</s>"
    prv = _stem(toks[m.i - 1].key) if m.i > 0 else "<s>"
    f.append("next:" + nxt)
    f.append("prev:" + prv)
    # the word class after and before the name: "Seoul vows", "Tehran threatens" and "the
    # Kremlin warns" are one pattern (a speaker), "strikes on X" and "attack on X" another
    nc = _CLASS.get(nxt)
    if nc:
        f.append("nextc:" + nc)
    pc = _CLASS.get(prv)
    if pc:
        f.append("prevc:" + pc)
    if m.j + 1 < len(toks):
        nc2 = _CLASS.get(_stem(toks[m.j + 1].key))
        if nc2:
            f.append("next2c:" + nc2)
    if m.modifier:
        f.append("modifier")
    if m.poss:
        f.append("poss")
    if m.compound:
        f.append("compound")
    if first:
        f.append("first")
    e = m.e
    kind = (
        "sea"
        if e.sea
        else "capital"
        if e.capital
        else "demonym"
        if e.demonym and not e.place
        else "actor"
        if e.actor and not e.place
        else "place"
    )
    f.append("kind:" + kind)
    f.append(f"kind:{kind}|prep:{m.prep or '-'}")
    f.append(f"kind:{kind}|next:{nxt}")
    if nc:
        f.append(f"kind:{kind}|nextc:{nc}")
    if m.i == 0:
        f.append("starts")
    return f


def item_features(x, title: str, summary: str = "", date=None) -> tuple[list[str], Tagging, list]:
    """The item's type features, the rules' tagging, and its sentences (for the candidates)."""
    title = clean(title)
    summary = clean(summary)
    rule: Tagging = x.tag(title, summary, date)
    item: list[str] = []
    sents = []
    for where, text in (("title", title), ("summary", summary)):
        if not text:
            continue
        prefix = "t:" if where == "title" else "s:"
        for _off, s in sentences(text):
            toks = x.sentence_tokens.get(s) or tokens(s)
            ments = x.names_in(s, toks)
            _words(toks, {m.i: (m.j, _cls(m.e)) for m in ments}, prefix, item)
            sents.append((where, s, toks, ments))
    _finish(item, rule.events, bool(summary))
    return item, rule, sents


def _finish(item: list[str], events, has_summary: bool) -> None:
    """The shared unigrams and the rules' findings, appended to ``item``."""
    for w in list(item):
        if w[2:4] != "b:":
            item.append("w:" + w[2:])
    rtypes = {ev.type for ev in events}
    for t in TYPES:
        item.append(f"rule:{t}" if t in rtypes else f"norule:{t}")
    item.append(f"rule_events:{min(len(events), 3)}")
    for ev in events:
        for c in ev.cues:
            item.append(f"cue:{ev.type}:{c.lower()}")
        if ev.actors:
            item.append(f"rule_actor:{ev.type}")
        if ev.fatalities:
            item.append("fatalities")
    item.append("has_summary" if has_summary else "no_summary")


def sentence_features(sents, rule: Tagging, text: str) -> list[str]:
    """The type features of one sentence read as a headline of its own (the rule events found
    in it, its words): what the model says of the sentence alone, so that a sentence that
    warns of retaliation is a threat even where the item also reports an attack."""
    item: list[str] = []
    for _where, s, toks, ments in sents:
        if s == text:
            _words(toks, {m.i: (m.j, _cls(m.e)) for m in ments}, "t:", item)
            break
    _finish(item, [ev for ev in rule.events if ev.text == text], False)
    return item


def _add(
    cands: dict[str, list[str]], order: list[str], key: str, m, toks, where: str, s: str, prefix: str = ""
) -> None:
    """One mention's features added to its candidate (created, in order of first mention)."""
    feats = _mention_feats(m, toks, where, key not in cands, s)
    if key not in cands:
        cands[key] = []
        order.append(key)
    cands[key] += [prefix + f for f in feats] if prefix else feats


def candidates(x, rule: Tagging, sents) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Theater and actor candidates with their features (see the module's docstring)."""
    th: dict[str, list[str]] = {}
    ac: dict[str, list[str]] = {}
    order_th: list[str] = []
    order_ac: list[str] = []
    theaters = x.tax.theaters
    for where, s, toks, ments in sents:
        for m in ments:
            e = m.e
            place = e.place or None
            # a country's name or alias, a group, a demonym or a capital ("Tehran warns") can
            # stand for an actor; a town cannot
            state = (
                e.parent or e.demonym or (place if e.capital and theaters.get(place) == "country" else None)
            )
            if place:
                _add(th, order_th, place, m, toks, where, s)
            elif e.demonym:
                _add(th, order_th, e.demonym, m, toks, where, s, prefix="dem|")
            if state:
                _add(ac, order_ac, state, m, toks, where, s)
                if e.akind:
                    ac[state].append("akind:" + e.akind)
    # an actor's home is a candidate theater (Hezbollah's threats with no target land in Lebanon;
    # the "Israel-Hamas war" is fought in Gaza)
    for a in list(order_ac):
        home = (x.tax.actors.get(a) or (None, None, None))[2]
        if home and home in x.tax.theaters:
            if home not in th:
                th[home] = ["home_only"]
                order_th.append(home)
            th[home].append("home_of_actor")
            th[home].append("home_of:" + (x.tax.actors.get(a) or ("", "", ""))[1])
    # the rules' own choices are candidates too (a theater they inferred, an actor behind a pronoun)
    for i, t in enumerate(rule.theaters):
        th.setdefault(t, ["rule_only"])
        if t not in order_th:
            order_th.append(t)
        th[t].append("rule_theater")
        if i == 0:
            th[t].append("rule_main")
    for ev in rule.events:
        if ev.theater in th:
            th[ev.theater].append("rule_ev:" + ev.type)
        for a in ev.actors:
            ac.setdefault(a, ["rule_only"])
            if a not in order_ac:
                order_ac.append(a)
            ac[a].append("rule_actor:" + ev.type)
        for a in ev.targets:
            if a in ac:
                ac[a].append("rule_target:" + ev.type)
    for i, a in enumerate(rule.actors):
        if a in ac and i == 0:
            ac[a].append("rule_main")
    # item-level context shared by every candidate: which types the rules saw, how many
    # candidates there are, the candidate's rank of first mention
    ctx = [f"rule:{t}" for t in rule.types] or ["rule:none"]
    for order, cands, tag in ((order_th, th, "th"), (order_ac, ac, "ac")):
        for rank, c in enumerate(order):
            fs = cands[c]
            base = sorted(set(fs))
            counts = len([f for f in fs if f.startswith(("where:", "dem|where:"))])
            extra = [
                f"{tag}:{c}",
                f"rank:{min(rank, 4)}",
                f"count:{min(counts, 3)}",
                f"ncand:{min(len(order), 4)}",
            ]
            if c in ac and tag == "th":
                extra.append("also_actor")
            if c in th and tag == "ac":
                extra.append("also_place")
            crossed = [
                f"{b}|{r}"
                for b in base
                if b.startswith(("prep:", "kind:", "rule_", "dem|prep:"))
                for r in ctx
            ]
            cands[c] = base + extra + ctx + crossed
    return th, ac


def featurize(x, title: str, summary: str = "", date=None) -> Features:
    """Everything the model sees of one item (training uses this; tagging calls the two
    halves separately so that an item with no event costs no candidate features)."""
    item, rule, sents = item_features(x, title, summary, date)
    th, ac = candidates(x, rule, sents)
    return Features(item, th, ac, rule)
