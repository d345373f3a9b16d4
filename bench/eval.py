"""Score the event extractor against every labelled set in the shared data folder.

    python bench/eval.py [DATA_DIR]        # default: ../shared/data relative to the repo

Prints one table per set (mappings from the data README). Exits 0 with a "skipped" line when
the folder is absent. Everything runs in-process with one Extractor; the large sets are used
whole except where noted (deterministic samples: every k-th row).

gold-dev metrics: item level. Per type, an item counts as a true positive when both gold and
prediction have the type; macro-F1 = mean F1 over incident/threat/deployment. Theater and actor
set-F1 are micro-averaged over items: TP = |pred ∩ gold| summed over items, P = TP/Σ|pred|,
R = TP/Σ|gold| (items with both sets empty contribute nothing).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefing.extract import Extractor  # noqa: E402

TYPES = ("incident", "threat", "deployment")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def row(name: str, *vals) -> None:
    cells = []
    for v in vals:
        cells.append(f"{v:6.3f}" if isinstance(v, float) else f"{v!s:>6}")
    print(f"  {name:<34}" + " ".join(cells))


def class_table(pairs, classes, title: str) -> dict:
    """pairs: list of (gold_set, pred_set). Per-class item-level P/R/F1."""
    print(f"  {'':<34}{'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}")
    out = {}
    for c in classes:
        tp = sum(1 for g, p in pairs if c in g and c in p)
        fp = sum(1 for g, p in pairs if c not in g and c in p)
        fn = sum(1 for g, p in pairs if c in g and c not in p)
        P, R, F = prf(tp, fp, fn)
        out[c] = F
        row(f"{title}{c}", P, R, F, tp + fn, tp + fp)
    return out


def set_f1(pairs) -> tuple[float, float, float]:
    tp = sum(len(set(g) & set(p)) for g, p in pairs)
    np_ = sum(len(set(p)) for g, p in pairs)
    ng = sum(len(set(g)) for g, p in pairs)
    return prf(tp, np_ - tp, ng - tp)


# ---------------------------------------------------------------------------------------------
def gold_dev(x: Extractor, d: Path, verbose: bool, half: str | None = None) -> None:
    f = d / "gold-dev.jsonl"
    if not f.exists():
        print("gold-dev: skipped (absent)")
        return
    rows = [json.loads(line) for line in f.open(encoding="utf-8") if line.strip()]
    pairs_t, pairs_th, pairs_a = [], [], []
    misses = []
    for r in rows:
        t = x.tag(r["title"], r.get("summary", ""), r.get("date"))
        pairs_t.append((set(r["types"]), set(t.types)))
        pairs_th.append((r["theaters"], t.theaters))
        pairs_a.append((r["actors"], t.actors))
        if (
            set(r["types"]) != set(t.types)
            or set(r["theaters"]) != set(t.theaters)
            or set(r["actors"]) != set(t.actors)
        ):
            misses.append((r, t))
    print(f"\n== gold-dev ({len(rows)} items, title+summary, item level)")
    f1s = class_table(pairs_t, TYPES, "type ")
    row("macro-F1 (3 types)", sum(f1s.values()) / 3)
    P, R, F = set_f1(pairs_th)
    row("theater set P/R/F1 (micro)", P, R, F)
    P, R, F = set_f1(pairs_a)
    row("actor set P/R/F1 (micro)", P, R, F)
    exact = sum(1 for (g, p) in pairs_t if g == p) / len(rows)
    row("type-set exact match", exact)
    # two halves by row position (tune on one, read the other as held-out)
    print(f"  {'':<34}{'macro':>6} {'theat':>6} {'actor':>6} {'n':>6}")
    for name, par in (("even", 0), ("odd", 1)):
        idx = [i for i in range(len(rows)) if i % 2 == par]
        if not idx:
            continue
        pt = [pairs_t[i] for i in idx]
        f1 = [
            prf(
                sum(1 for g, p in pt if c in g and c in p),
                sum(1 for g, p in pt if c not in g and c in p),
                sum(1 for g, p in pt if c in g and c not in p),
            )[2]
            for c in TYPES
        ]
        row(
            f"half {name} rows",
            sum(f1) / 3,
            set_f1([pairs_th[i] for i in idx])[2],
            set_f1([pairs_a[i] for i in idx])[2],
            len(idx),
        )
    if verbose:
        pos = {id(r): i for i, r in enumerate(rows)}
        for r, t in misses:
            if half and pos[id(r)] % 2 != (0 if half == "even" else 1):
                continue
            print(
                f"  MISS {r['id']} gold={r['types']}/{r['theaters']}/{r['actors']} pred={list(t.types)}/{list(t.theaters)}/{list(t.actors)}"
            )
            print(f"       T: {r['title'][:150]}")
            print(f"       S: {r.get('summary', '')[:200]}")
            for e in t.events:
                print(f"       ev {e.type} {e.theater} {e.actors} cues={e.cues} :: {e.text[:90]}")


CASE_INC = {
    "AIR_STRIKE",
    "ARMED_CLASH",
    "ART_MISS_ATTACK",
    "ATTACK",
    "REM_EXPLOS",
    "SUIC_BOMB",
    "GRENADE",
    "CHEM_WEAP",
    "ABDUCT_DISSAP",
    "GOV_REGAINS_TERIT",
    "NON_STATE_ACTOR_OVERTAKES_TER",
    "DISR_WEAP",
}
CASE_DEP = {"CHANGE_TO_GROUP_ACT", "HQ_ESTABLISHED"}


def _cls(types) -> str:
    if "incident" in types:
        return "incident"
    if "deployment" in types:
        return "deployment"
    return "none"


def case2021(x: Extractor, d: Path) -> None:
    f = d / "case2021" / "test_set_final_release_with_labels.tsv"
    if not f.exists():
        print("\ncase2021: skipped (absent)")
        return
    pairs = []
    with f.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            g = (
                "incident"
                if r["SubType"] in CASE_INC
                else "deployment"
                if r["SubType"] in CASE_DEP
                else "none"
            )
            t = x.tag(r["EventSnippet"], "")
            pairs.append(({g}, {_cls(t.types)}))
    print(f"\n== case2021 ({len(pairs)} snippets; incident vs deployment vs none; theater not scored)")
    class_table(pairs, ("incident", "deployment"), "")
    row("3-way accuracy", sum(1 for g, p in pairs if g == p) / len(pairs))


def plover(x: Extractor, d: Path) -> None:
    f = d / "plover-gsr" / "PLOVER_GSR_CAMEO.json"
    if not f.exists():
        print("\nplover-gsr: skipped (absent)")
        return
    data = json.loads(f.read_text(encoding="utf-8"))
    violent = {
        "destroy",
        "firearms",
        "explosives",
        "assassinate",
        "heavy-weapons",
        "suicide-attack",
        "primitive",
        "beat",
        "torture",
        "sexual",
    }
    pairs = []
    act_ok = act_n = 0
    for r in data:
        if "text" not in r:
            continue
        ev = r["event"]
        g = set()
        if ev in ("ASSAULT", "FIGHT") or (ev == "COERCE" and r.get("mode") in violent):
            g.add("incident")
        if ev == "THREATEN":
            g.add("threat")
        if ev == "MOBILIZE":
            g.add("deployment")
        t = x.tag(r["text"], "")
        pairs.append((g, set(t.types)))
        if g and g & set(t.types):
            src = {s.get("code") for s in r.get("source", [])}
            if src:
                act_n += 1
                act_ok += bool(t.actors)
    print(
        f"\n== plover-gsr ({len(pairs)} records; THREATEN→threat, ASSAULT/FIGHT/violent COERCE→incident, MOBILIZE→deployment)"
    )
    class_table(pairs, TYPES, "")
    row("events found with ≥1 actor", act_ok / act_n if act_n else 0.0, act_n)


def acled(x: Extractor, d: Path) -> None:
    f = d / "acled-gaza" / "gaza_war_events.csv"
    if not f.exists():
        print("\nacled-gaza: skipped (absent)")
        return
    amap = {
        "Military Forces of Israel": "Israel",
        "Hamas Movement": "Hamas",
        "PIJ: Palestinian Islamic Jihad": "Palestinian Islamic Jihad",
    }
    inc_n = inc_hit = 0
    dep_n = dep_hit = 0
    act_n = act_main = act_in = 0
    fat_n = fat_ok = 0
    th_n = th_ok = 0
    with f.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        notes = r["notes"]
        g_inc = r["event_type"] in (
            "Battles",
            "Explosions/Remote violence",
            "Violence against civilians",
        ) or notes.startswith("Interception:")
        g_dep = notes.startswith("Movement of forces:")
        if not (g_inc or g_dep):
            continue
        t = x.tag(notes, "")
        if g_inc:
            inc_n += 1
            got = "incident" in t.types
            inc_hit += got
            if got:
                th_n += 1
                th_ok += bool(t.theaters) and t.theaters[0] == "Gaza"
                fat_n += 1
                fat = max((e.fatalities or 0 for e in t.events if e.type == "incident"), default=0)
                fat_ok += fat == int(r["fatalities"] or 0)
            ga = next((v for k, v in amap.items() if r["actor1"].startswith(k)), None)
            if ga and got:
                act_n += 1
                act_main += bool(t.actors) and t.actors[0] == ga
                act_in += ga in t.actors
        if g_dep:
            dep_n += 1
            dep_hit += "deployment" in t.types
    print(f"\n== acled-gaza ({len(rows)} rows, notes text; all rows)")
    row("incident recall", inc_hit / inc_n, inc_n)
    row("deployment recall (Movement of forces)", dep_hit / dep_n if dep_n else 0.0, dep_n)
    row("actor accuracy: main actor = actor1", act_main / act_n if act_n else 0.0, act_n)
    row("actor accuracy: actor1 among actors", act_in / act_n if act_n else 0.0, act_n)
    row("fatality exact match (incidents found)", fat_ok / fat_n if fat_n else 0.0, fat_n)
    row("theater = Gaza (incidents found)", th_ok / th_n if th_n else 0.0, th_n)


def bellingcat(x: Extractor, d: Path) -> None:
    f = d / "bellingcat-ukraine" / "events.csv"
    if not f.exists():
        print("\nbellingcat-ukraine: skipped (absent)")
        return
    inc = (
        "Bombing or Explosion",
        "Civilian Infrastructure Damage",
        "Civilian Casualty",
        "Ground Battle",
        "Military Infrastructure Damage",
        "Russian Military Losses",
        "Ukrainian Military Losses",
    )
    cmap = {
        "ukraine": "Ukraine",
        "ukrain": "Ukraine",
        "crimea": "Ukraine",
        "russia": "Russia",
        "russa": "Russia",
        "kursk oblast": "Russia",
        "belarus": "Belarus",
        "belaurs": "Belarus",
        "moldova": "Moldova",
    }
    pairs = []
    th_n = th_ok = 0
    with f.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        grp = re.sub(r"\s+(?:[A-Z][a-z]+ \d{4}|Feb - June|July - Now)$", "", r["event_group"].strip())
        g = (
            "deployment"
            if grp == "Russian Military Presence"
            else "incident"
            if grp.startswith(inc)
            else None
        )
        if g is None:
            continue
        text = r["brief description"] or re.sub(r"^\d\d/\d\d/\d{4}\s*", "", r["title"])
        t = x.tag(text, "")
        pairs.append(({g}, {_cls(t.types)}))
        gc = cmap.get(r["country"].strip().lower())
        if gc and t.theaters:
            th_n += 1
            th_ok += t.theaters[0] == gc
    print(f"\n== bellingcat-ukraine ({len(pairs)} captions with an incident/deployment group; all rows)")
    class_table(pairs, ("incident", "deployment"), "")
    row("theater = country (when a theater is given)", th_ok / th_n if th_n else 0.0, th_n)


def centcom(x: Extractor, d: Path) -> None:
    f = d / "centcom-oir" / "all-edited-refined.csv"
    if not f.exists():
        print("\ncentcom-oir: skipped (absent)")
        return
    with f.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    n = ok = given = inc = 0
    for r in rows:
        gc = r["country"].split(",")[-1].strip()
        if gc not in ("Iraq", "Syria"):
            continue
        t = x.tag(r["line"].lstrip("- "), "")
        n += 1
        inc += "incident" in t.types
        if t.theaters:
            given += 1
            ok += t.theaters[0] == gc
    print(f"\n== centcom-oir ({n} strike lines; theater from place names)")
    row("theater accuracy (all lines)", ok / n)
    row("theater accuracy (when given)", ok / given if given else 0.0, given)
    row("incident recall", inc / n)


def corpus_test(x: Extractor, d: Path) -> None:
    """The issue-12 corpus's test split (a held-out outlet plus a held-out fortnight): labels
    from corpus/labels.jsonl, texts from the data folder. Reported once per change."""
    from briefing.learn.corpus import CORPUS, load_items, load_labels
    from briefing.learn.metrics import score

    if not (CORPUS / "labels.jsonl").exists() or not (d / "pool-2023q4").is_dir():
        print("corpus test split: skipped")
        return
    items = load_items(d)
    gold = load_labels()
    split = {json.loads(line)["id"]: json.loads(line)["split"] for line in (CORPUS / "sample.jsonl").open()}
    ids = sorted(i for i in gold if split.get(i) == "test" and i in items)
    pairs = []
    for i in ids:
        t = x.tag(items[i].title, items[i].summary, items[i].date)
        pairs.append((gold[i], (list(t.types), list(t.theaters), list(t.actors))))
    s = score(pairs)
    print(f"\n== corpus test split ({len(ids)} items: Washington Post + 4-17 Dec 2023; never tuned on)")
    print(f"  {'':<34}{'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for c in TYPES:
        P, R, n = s["pr"][c]
        row(f"type {c}", P, R, s["f1"][c], n)
    row("macro-F1 (3 types)", s["macro_f1"])
    row("theater set P/R/F1 (micro)", *s["theater_pr"], s["theater_f1"])
    row("actor set P/R/F1 (micro)", *s["actor_pr"], s["actor_f1"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="score the extractor on the shared labelled data")
    ap.add_argument("data_dir", nargs="?", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list gold-dev misses")
    ap.add_argument(
        "--half", choices=("even", "odd"), help="with -v: list misses of this half of gold-dev only"
    )
    ap.add_argument("--only", help="comma-separated subset: test,gold,case,plover,acled,bellingcat,centcom")
    ap.add_argument("--rules", action="store_true", help="score the hand rules alone (the baseline)")
    a = ap.parse_args(argv)
    d = Path(a.data_dir)
    if not d.is_dir():
        print(f"skipped: data folder {d} not found")
        return 0
    t0 = time.perf_counter()
    x = Extractor(rules_only=a.rules)
    print("extractor:", "hand rules only" if a.rules else "learned (briefing/extract/model.json)")
    only = set(a.only.split(",")) if a.only else None
    jobs = [
        ("test", lambda: corpus_test(x, d)),
        ("gold", lambda: gold_dev(x, d, a.verbose, a.half)),
        ("case", lambda: case2021(x, d)),
        ("plover", lambda: plover(x, d)),
        ("acled", lambda: acled(x, d)),
        ("bellingcat", lambda: bellingcat(x, d)),
        ("centcom", lambda: centcom(x, d)),
    ]
    for name, fn in jobs:
        if only is None or name in only:
            fn()
    print(f"\n({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
