"""Names in a sentence: places, actors, demonyms (longest match over token n-grams), with the
preposition in front of them, sponsors ("Iran-backed"), possessives and war names ("Israel-Hamas war")."""

from __future__ import annotations

from .lexicon import (
    MODIFIER_WORDS,
    OBJ_PREPS,
    PLACE_PREPS,
    SKIP_BEFORE_NAME,
    SPONSOR_BEFORE,
    STATE_FORCE,
    WARNAME,
)
from .taxonomy import Entry, Taxonomy
from .text import trie_pattern
from .warm import rxc

_WORDS = rxc(r"\w+")


class M:
    """A name mention in a sentence."""

    __slots__ = ("i", "j", "e", "prep", "modifier", "compound", "poss")

    def __init__(self, i: int, j: int, e: Entry):
        self.i, self.j, self.e = i, j, e
        self.prep: str | None = None
        self.modifier = False
        self.compound = False
        self.poss = False

    @property
    def state(self) -> str | None:
        """The state/group this mention can stand for as an actor (parent level)."""
        return self.e.parent or self.e.demonym if (self.e.parent or self.e.demonym) else None


# words too common to stand for a name in the may-name-an-actor test
_COMMON = frozenset(
    """the s is us new people south north east west united state states border al el ul bin
    northern southern eastern western central republic of and democratic arab islamic national forces force
    army party front movement group brigade brigades council government ministry defense defence minister
    president prime royal air navy guard guards special liberation popular resistance revolutionary sea
    gulf kingdom union de la le an in for led backed province""".split()
)


def name_tables(tax) -> tuple:
    """Look-up tables over the taxonomy's names (see NameFinder): the token lengths of the names
    starting with each word (all names; lower-case-able names), the first word pairs of longer
    names, and the words / acronyms of the may-name-an-actor test."""
    # first token → the lengths (in tokens) of the names starting with it, longest first
    lens: dict[str, set] = {}
    pairs = set()  # the first two words of every longer name (see mentions)
    for k in list(tax.index) + list(tax.cities):
        parts = k.split(" ", 2)
        n = k.count(" ") + 1
        got = lens.get(parts[0])
        if got is None:
            lens[parts[0]] = {n}
        else:
            got.add(n)
        if n > 1:
            pairs.add((parts[0], parts[1]))
    lens_all = {f: tuple(sorted(v, reverse=True)) for f, v in lens.items()}
    pairs_all = frozenset(pairs)
    # the same for names that may be written in lower case (a lower-case token can only
    # start one of these: the rest need a capital)
    low: dict[str, set] = {}
    for k, e in tax.index.items():
        if e.lowerok:
            parts = k.split(" ")
            low.setdefault(parts[0], set()).add(len(parts))
    lens_low = {f: tuple(sorted(v, reverse=True)) for f, v in low.items()}
    # a superset test for "the sentence may name an actor": one word of every name that can
    # stand for an actor (actor or demonym) must be in it — its least common word ("pentagon"
    # for "the Pentagon", not "the"); names made only of common words that are acronyms
    # ("US", "IS") are looked for in capitals
    words: set[str] = set()
    acronyms: set[str] = set()
    for k, e in tax.index.items():
        if not (e.actor or e.demonym):
            continue
        parts = _WORDS.findall(k)
        rare = [p for p in parts if p not in _COMMON]
        caps = [w for w in _WORDS.findall(e.name.replace(".", "")) if w.isupper() and len(w) <= 5]
        if rare:
            words.add(max(rare, key=len))
        elif caps:
            acronyms.update(caps)
        else:
            words.add(parts[0] if parts else k)
    # as word-bounded tries: one search in C instead of a list of the sentence's words
    actor_words = r"\b(?:" + trie_pattern(sorted(words)) + r")\b"
    acronyms_rx = r"\b(?:" + trie_pattern(sorted(acronyms)) + r")\b" if acronyms else None
    return lens_all, pairs_all, lens_low, actor_words, acronyms_rx


class NameFinder:
    """Mixin: name mentions of a sentence (taxonomy look-up over token n-grams)."""

    tax: Taxonomy  # set by the class it is mixed into

    def _init_names(self, tables: tuple | None = None) -> None:
        self._city_entries: dict[str, Entry] = {}
        self._city_ids: set[int] = set()
        self._lens, self._pairs, self._lens_low, words, acronyms = (
            tables if tables is not None else name_tables(self.tax)
        )
        self._actor_words = rxc(words)
        self._acronyms = rxc(acronyms) if acronyms else None

    def may_name_actor(self, low: str, text: str | None = None) -> bool:
        """Superset test on a lower-cased sentence (``text``: the same in its own case, for the
        acronyms; without it, acronyms are assumed present): could a mention in it be an actor?"""
        if self._actor_words.search(low.replace(".", "") if "." in low else low):
            return True
        if self._acronyms is None or text is None:
            return self._acronyms is not None
        return self._acronyms.search(text.replace(".", "") if "." in text else text) is not None

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
        out: list[M] = []
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            lens = (self._lens if t.upper else self._lens_low).get(t.key)
            if lens is None:
                i += 1
                continue
            found: tuple[int, Entry] | None = None
            # a longer name needs its first two words in a row ("the Pentagon"): one set look-up
            # spares trying 2- to 6-word keys at every "The" and "New"
            multi = i + 1 < n and (t.key, toks[i + 1].key) in self._pairs
            for L in lens:
                if L > n - i or (L > 1 and not multi):
                    continue
                if L > 1 and any(
                    toks[k].poss or s[toks[k].end : toks[k + 1].start] not in (" ", "-")
                    for k in range(i, i + L - 1)
                ):
                    continue
                key = " ".join(tk.key for tk in toks[i : i + L]) if L > 1 else t.key
                e = self._lookup(key)
                if e is None:
                    continue
                if key == "the gulf" and i + L < n and toks[i + L].key == "of":
                    continue  # "the Gulf of Aden / of Mexico" is another gulf
                if not e.lowerok and not t.upper:
                    continue
                if e.acronym and not t.text.replace(".", "").isupper():
                    continue
                if e.strict and s[t.start : toks[i + L - 1].end] != e.name:
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
            if (
                j < n
                and toks[j].key in MODIFIER_WORDS
                and (
                    toks[j - 1].hyph_next
                    or (
                        toks[j].key in ("backed", "aligned", "allied", "funded", "sponsored")
                        and not (j + 1 < n and toks[j + 1].key in ("to", "with", "by"))
                    )
                )
            ):
                m.modifier = True
            if i > 0 and toks[i - 1].key in ("pro", "anti") and toks[i - 1].hyph_next:
                m.modifier = True
            if i > 1 and toks[i - 1].key in ("to", "with", "by") and toks[i - 2].key in SPONSOR_BEFORE:
                m.modifier = True
            if (
                id(e) in self._city_ids
                and m.prep not in PLACE_PREPS
                and m.prep not in ("from", "by", "with", "between")
            ):
                # a generated-gazetteer city (possible personal name): only after a preposition
                i += L
                continue
            out.append(m)
            i += L
        for a, b in zip(out, out[1:]):
            gap = s[toks[a.j - 1].end : toks[b.i].start].strip(" .").lower()
            if b.prep is None and a.prep is not None and gap in (",", "and", ", and", "or"):
                # "… in Lebanon, Israeli strikes killed …": after a comma a demonym with a force
                # noun starts a new subject, not the next item of the list
                if gap == "," and b.j < len(toks) and toks[b.j].key in STATE_FORCE:
                    continue
                b.prep = a.prep
        # a country's possessive in front of a group or unit of its own ("Yemen's Houthis",
        # "Lebanon's Hezbollah", "Iran's Revolutionary Guards") says where the actor comes
        # from, not where anything happens
        for a, b in zip(out, out[1:]):
            if (
                a.poss
                and b.i == a.j
                and a.e.place
                and b.e.actor
                and b.e.akind in ("group", "unit")
                and (b.e.home == a.e.place or b.e.parent == a.e.place)
            ):
                a.modifier = True
        # war names: "Israel-Hamas war", "Russia-Ukraine conflict", "Israel-Lebanon border"
        for a, b in zip(out, out[1:]):
            if b.i == a.j and toks[a.j - 1].hyph_next:
                k = b.j
                while k < n and toks[k].hyph_next and k < b.j + 2:
                    k += 1
                if k < n and WARNAME.match(toks[k].key):
                    a.compound = b.compound = True
                if b.j < n and toks[b.j].key in (
                    "war",
                    "conflict",
                    "fighting",
                    "border",
                    "ceasefire",
                    "truce",
                    "front",
                ):
                    a.compound = b.compound = True
        for m in out:
            if (
                not m.compound
                and m.j < n
                and toks[m.j].key in ("war", "conflict")
                and (m.e.place or m.e.demonym)
            ):
                m.compound = True
        return out
