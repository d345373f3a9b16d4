"""Composition logic on hand-made tagged items: merging, ranking, trends, coverage gaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from briefing.brief import history as hist
from briefing.brief.compose import compose, severity
from briefing.model import Event, Item, SourceHealth, StoredItem, Tagging

AS_OF = datetime(2026, 5, 20, 6, 0, tzinfo=UTC)
UTC = ZoneInfo("UTC")


def item(source: str, title: str, hours_ago: float, events: list[Event], summary: str = "") -> StoredItem:
    t = AS_OF - timedelta(hours=hours_ago)
    it = Item(
        source,
        f"{source}:{title}",
        title,
        summary,
        f"https://{source.lower().replace(' ', '')}.example/{abs(hash(title))}",
        t,
    )
    types = tuple(dict.fromkeys(e.type for e in events))
    return StoredItem(it, t, Tagging(types, tuple(e.theater for e in events), (), tuple(events)))


def inc(theater: str, actors=(), fatalities=None, text="x") -> Event:
    return Event("incident", theater, tuple(actors), (), fatalities, text, ("cue",))


def brief(items, history=(), health=None, sources=None):
    names = sources or sorted({s.item.source for s in (*items, *history)})
    return compose(
        title="T",
        as_of=AS_OF,
        tz=UTC,
        hours=24,
        items=list(items),
        sources=[(n, f"https://{n}.example/rss") for n in names],
        health=health or {n: SourceHealth(n, "u", ok=True) for n in names},
        now=AS_OF,
        history=hist.from_items(list(history), AS_OF),
        background=list(history),
    )


def test_same_strike_from_two_outlets_with_different_titles_and_tolls_is_one_entry():
    a = item(
        "Wire A",
        "Israeli strike on Rafah school shelter kills at least 28",
        5,
        [inc("Gaza", ["Israel"], 28, "Israeli strike on Rafah school shelter kills at least 28")],
        "The strike hit a school sheltering displaced families in Rafah's Tal al-Sultan area, medics said.",
    )
    b = item(
        "Wire B",
        "Dozens dead after air strike hits shelter in southern Gaza",
        3,
        [inc("Gaza", [], 31, "Dozens dead after air strike hits shelter in southern Gaza")],
        "Medics in Rafah said 31 people were killed when the school in Tal al-Sultan was hit.",
    )
    [entry] = brief([a, b]).entries
    assert {s.name for s in entry.sources} == {"Wire A", "Wire B"}
    assert (entry.fatalities, entry.fatalities_high) == (28, 31)
    assert entry.actors == ("Israel",)
    # and the reader is told why: the rare words and names both share, the tolls, the time
    shared = entry.merged.split(";")[0]
    assert (
        shared.startswith("shared words:")
        and len({"rafah", "tal", "al-sultan", "school", "medics"} & set(shared[14:].split(", "))) >= 3
    )
    assert "names: Rafah, Sultan, Tal" in entry.merged
    assert "tolls 28–31" in entry.merged and "within 2 h" in entry.merged


def test_different_happenings_in_one_theater_stay_apart():
    a = item(
        "Wire A",
        "Israeli strike kills 4 in Jabalia refugee camp",
        5,
        [inc("Gaza", ["Israel"], 4)],
        "Four people were killed in a strike on a house in Jabalia, in the north of the strip.",
    )
    b = item(
        "Wire B",
        "Hamas fighters ambush Israeli patrol in Khan Younis",
        4,
        [inc("Gaza", ["Hamas"])],
        "The armed wing of Hamas said its fighters attacked an army patrol east of Khan Younis.",
    )
    assert len(brief([a, b]).entries) == 2


def test_contradicting_actors_or_a_long_gap_prevent_a_merge():
    text = "Rockets fired across the border hit positions near Kiryat Shmona, the army said"
    a = item("Wire A", text, 30 - 1, [inc("Israel", ["Hezbollah"])])
    b = item("Wire B", text, 2, [inc("Israel", ["Hezbollah"])])  # 27 h later: a new salvo
    c = item("Wire C", text, 28, [inc("Israel", ["Islamic Resistance in Iraq"])])
    entries = brief([b], history=[a, c]).entries
    assert len(entries) == 1 and [s.name for s in entries[0].sources] == ["Wire B"]


def test_ranking_puts_deaths_strategic_assets_and_corroboration_first():
    assert (
        severity("incident", 30, 1, "x")
        > severity("incident", 2, 1, "x")
        > severity("incident", None, 1, "x")
    )
    assert severity("deployment", None, 1, "carrier strike group arrives") > severity(
        "deployment", None, 1, "troops arrive"
    )
    assert severity("threat", None, 3, "x") > severity("threat", None, 1, "x")
    towns = ["Tulkarm", "Nablus", "Jenin", "Tubas", "Qalqilya", "Hebron"]
    items = [
        item(
            "Wire A",
            f"Gunfire exchanged near {t}",
            2 + i,
            [inc("West Bank", ["Israel"], text=f"clash {t}")],
            f"Soldiers and gunmen exchanged fire in {t}.",
        )
        for i, t in enumerate(towns)
    ]
    items.append(
        item(
            "Wire B",
            "Missile strike kills 40 in Kharkiv",
            8,
            [inc("Ukraine", ["Russia"], 40, "Missile strike kills 40 in Kharkiv")],
        )
    )
    b = brief(items)
    assert b.takeaways[0].theater == "Ukraine"
    assert 3 <= len(b.takeaways) <= 8
    assert b.sections[0].theater == "West Bank"  # busiest theater first


def test_takeaways_never_repeat_one_report():
    double = item(
        "Wire A",
        "US carrier arrives and jets strike radar site",
        2,
        [
            inc("Red Sea", ["United States"], None, "jets strike radar site"),
            Event("deployment", "Red Sea", ("United States",), (), None, "carrier arrives", ("arrives",)),
        ],
    )
    others = [
        item(
            "Wire B",
            f"Drone hits port {i}",
            3 + i,
            [inc("Ukraine", ["Russia"], text=f"drone {i}")],
            f"port {i} text",
        )
        for i in range(3)
    ]
    b = brief([double, *others])
    links = [s.link for e in b.takeaways for s in e.sources]
    assert len(links) == len(set(links))


def test_trend_arithmetic_over_several_days():
    history = []
    # Gaza: 2 events on each of the previous 7 days → avg7 2.0; today 6 → escalating.
    # Lebanon: 4 a day before, 1 today → calming. Syria: nothing before, 1 today → new.
    # Invented, distinct place words so that no two reports describe the same happening.
    spot = iter(
        f"{a}{b}{c}"
        for a in ("Ka", "Lo", "Mi", "Nu", "Pe", "Ra", "Su", "Ti", "Vo", "Ze")
        for b in ("bar", "dun", "fel", "gor", "hin", "jat", "kem")
        for c in ("o", "i", "u")
    )

    # Each report in its own words (a template repeated with only the place changed reads as
    # one story updated, to the merger as to a reader skimming).
    def report(p: str) -> tuple[str, str]:
        q = next(spot)
        return f"{p} {q} incident", f"Witnesses in {p} described {q}."

    for d in range(1, 8):
        for k in range(2):
            title, summary = report(next(spot))
            history.append(
                item("Wire A", title, 24 * d + 1 + k, [inc("Gaza", ["Israel"], text=title)], summary)
            )
        for k in range(4):
            title, summary = report(next(spot))
            history.append(
                item("Wire B", title, 24 * d + 2 + k, [inc("Lebanon", ["Israel"], text=title)], summary)
            )
    today = []
    for k in range(6):
        title, summary = report(next(spot))
        today.append(item("Wire A", title, 1 + k, [inc("Gaza", ["Israel"], text=title)], summary))
    today += [
        item("Wire B", "Lebanon shelling today", 2, [inc("Lebanon", ["Israel"], text="lt")]),
        item("Wire C", "Syria strike today", 3, [inc("Syria", ["Israel"], text="st")]),
    ]
    trends = {t.theater: t for t in brief(today, history).trends}
    assert (trends["Gaza"].today, trends["Gaza"].yesterday, trends["Gaza"].avg7) == (6, 2, 2.0)
    assert trends["Gaza"].direction == "escalating"
    assert (trends["Lebanon"].today, trends["Lebanon"].avg7, trends["Lebanon"].direction) == (
        1,
        4.0,
        "calming",
    )
    assert trends["Syria"].direction == "new"
    assert trends["Gaza"].series[-8:] == (2, 2, 2, 2, 2, 2, 2, 6)


def test_theater_whose_only_sources_failed_is_a_coverage_gap():
    history = [
        item(
            "Yemen Desk",
            f"Strike near Hodeidah {d}",
            24 * d,
            [inc("Yemen", ["United States"], text=f"y{d}")],
            f"u{d}",
        )
        for d in range(1, 4)
    ]
    history += [
        item("Wire A", f"Gaza strike {d}", 24 * d, [inc("Gaza", ["Israel"], text=f"g{d}")], f"g{d}")
        for d in range(1, 4)
    ]
    health = {
        "Yemen Desk": SourceHealth("Yemen Desk", "u", ok=False, error="HTTP 503"),
        "Wire A": SourceHealth("Wire A", "u", ok=True),
    }
    b = brief([], history, health=health, sources=["Wire A", "Yemen Desk"])
    assert b.coverage_gaps == ("Yemen",)


# -- one entry per happening (issue 13) -----------------------------------------------------------
def test_a_report_naming_three_theaters_is_one_entry_with_cross_references():
    title = "Houthi sea drone hits tanker; debris falls near Eilat and Aqaba"
    a = item(
        "Wire A",
        title,
        4,
        [
            inc("Red Sea", ["Houthis"], None, title),
            inc("Israel", ["Houthis"], None, title),
            inc("Jordan", ["Houthis"], None, "Debris fell near Aqaba, Jordan said."),
        ],
    )
    b = brief([a])
    [entry] = b.entries
    assert entry.theater == "Red Sea" and entry.also == ("Israel", "Jordan")
    assert [s.theater for s in b.sections] == ["Red Sea", "Israel", "Jordan"]
    for s in b.sections[1:]:  # the other theaters point to it, not repeat it
        assert s.count == 0 and s.see_also == (entry,)


def test_one_clause_is_never_both_an_incident_and_a_threat():
    text = "Defence minister warned Hezbollah will pay a heavy price after rocket fire"
    a = item(
        "Wire A",
        text,
        3,
        [
            inc("Lebanon", ["Hezbollah"], None, text),
            Event("threat", "Lebanon", ("Israel",), (), None, text, ("warned",)),
        ],
    )
    assert [e.type for e in brief([a]).entries] == ["incident"]


def test_entry_lines_stand_alone():
    title = "Israel strikes Hezbollah positions in south Lebanon"
    a = item(
        "Wire A",
        title,
        3,
        [
            inc("Lebanon", ["Israel"], None, title),
            inc("Lebanon", ["Israel"], None, "Israeli fighter jets then struck a depot."),
            Event(
                "threat",
                "Lebanon",
                ("Israel",),
                (),
                None,
                "It said Hezbollah will pay a heavy price.",
                ("pay a heavy price",),
            ),
        ],
    )
    lines = {e.type: e.text for e in brief([a]).entries}
    assert lines["incident"] == title
    assert lines["threat"] == f"{title} — “It said Hezbollah will pay a heavy price.”"
    b = item(
        "Wire B",
        "Overnight roundup",
        2,
        [inc("Gaza", ["Israel"], None, "The military said on Wednesday it struck 40 targets.")],
    )
    [e] = [e for e in brief([b]).entries]
    assert e.text.startswith("Overnight roundup — “The military said")


def test_theaters_at_a_glance_lists_every_active_theater_and_severity_has_tiers():
    from briefing.brief.compose import tier

    places = [f"Theater {chr(65 + i)}" for i in range(20)]
    items = [
        item(
            f"Wire {i % 3}",
            f"Strike number {i} hits depot {i}",
            2 + i * 0.1,
            [inc(p, ["Force"], None, f"Strike number {i} hits depot {i}")],
        )
        for i, p in enumerate(places)
    ]
    assert {t.theater for t in brief(items).trends} == set(places)  # was cut at 15 rows
    assert [tier(s) for s in (2.0, 5.1, 9.3)] == ["low", "medium", "high"]


def test_a_roundup_corroborates_an_entry_but_is_not_one():
    report = item(
        "Wire A",
        "Israeli tanks surround hospital in northern Gaza",
        6,
        [inc("Gaza", ["Israel"], None, "Israeli tanks surround hospital in northern Gaza")],
        "Tanks surrounded the Indonesian Hospital in Beit Lahiya overnight, staff said.",
    )
    live = item(
        "Wire B",
        "Israel-Gaza war live updates: tanks around Indonesian Hospital",
        2,
        [inc("Gaza", ["Israel"], None, "Tanks surrounded the Indonesian Hospital in Beit Lahiya.")],
        "Tanks surrounded the Indonesian Hospital in Beit Lahiya; talks on a truce continue in Doha.",
    )
    [entry] = brief([report, live]).entries
    assert entry.text == report.item.title and {s.name for s in entry.sources} == {"Wire A", "Wire B"}
    lonely = item(
        "Wire C",
        "Russia-Ukraine war: list of key events, day 600",
        3,
        [inc("Ukraine", ["Russia"], None, "Russian drones hit a grain silo in Izmail.")],
    )
    assert brief([lonely]).entries == ()


def test_every_roundup_pattern_matches_its_example_and_news_is_not_a_roundup():
    from briefing.brief.cluster import is_roundup, roundup_patterns
    from briefing.model import Item as I

    rows = roundup_patterns()
    assert len(rows) >= 10
    for _pattern, example in rows:
        assert is_roundup(I("s", "u", example, "", "", AS_OF)), example
    for title in (
        "What to know as Israeli forces enter the hospital",
        "Houthis seize cargo ship in Red Sea",
        "Ukraine says it downed 30 drones overnight",
        "Strike on a market kills 12",
    ):
        assert not is_roundup(I("s", "u", title, "", "", AS_OF)), title


def test_takeaways_are_different_happenings_even_when_entries_were_kept_apart():
    # two outlets on one hospital siege, in words too far apart for the merger (one entry each)
    # but close enough to be one story for the bullets
    a = item(
        "Wire A",
        "Israeli tanks surround hospital in north Gaza",
        5,
        [inc("Gaza", ["Israel"], None, "Israeli tanks surround hospital in north Gaza")],
        "Tanks surrounded the Indonesian Hospital in Beit Lahiya overnight, staff said.",
    )
    b = item(
        "Wire B",
        "Shelling kills 12 at Indonesian Hospital",
        3,
        [inc("Gaza", [], 12, "Shelling kills 12 at Indonesian Hospital")],
        "Twelve people died when shells hit the upper floor of the hospital, officials said.",
    )
    others = [
        item(
            "Wire C",
            "Missile strike kills 40 in Kharkiv",
            8,
            [inc("Ukraine", ["Russia"], 40, "Missile strike kills 40 in Kharkiv")],
        ),
        item(
            "Wire C",
            "Houthis seize cargo ship in the Red Sea",
            6,
            [inc("Red Sea", ["Houthis"], None, "Houthis seize cargo ship in the Red Sea")],
        ),
    ]
    b_ = brief([a, b, *others])
    assert len([e for e in b_.entries if e.theater == "Gaza"]) == 2
    assert len([e for e in b_.takeaways if e.theater == "Gaza"]) == 1 and len(b_.takeaways) == 3


def test_a_cumulative_toll_is_context_not_the_days_casualties():
    from briefing.brief.cluster import CUMULATIVE_FILE, cumulative_toll, roundup_patterns

    for _pattern, example in roundup_patterns(CUMULATIVE_FILE):
        assert cumulative_toll(example), example
    assert not cumulative_toll("An air strike killed 12 people in Rafah overnight")
    text = "Gaza death toll rises to 11,000 since October 7, health ministry says"
    toll = item("Wire A", text, 3, [inc("Gaza", ["Israel"], 11000, text)])
    strike = item(
        "Wire B",
        "Air strike kills 12 in Rafah",
        4,
        [inc("Gaza", ["Israel"], 12, "Air strike kills 12 in Rafah")],
    )
    b = brief([toll, strike])
    by_text = {e.text: e for e in b.entries}
    assert by_text[text].fatalities is None and by_text["Air strike kills 12 in Rafah"].fatalities == 12
    assert b.takeaways[0].text == "Air strike kills 12 in Rafah"  # the day's event leads


def test_a_big_day_of_similar_reports_is_not_chained_into_one_entry():
    # one phrasing, many places, several outlets: each report resembles the next, and a chain of
    # resemblances must not fold distinct clashes into one entry
    towns = [
        "Tulkarm",
        "Nablus",
        "Jenin",
        "Tubas",
        "Qalqilya",
        "Hebron",
        "Salfit",
        "Jericho",
        "Bethlehem",
        "Ramallah",
    ]
    items = [
        item(
            f"Wire {'ABC'[i % 3]}",
            f"Gunfire exchanged near {t} as troops raid homes",
            1 + i * 0.5,
            [inc("West Bank", ["Israel"], None, f"Gunfire exchanged near {t} as troops raid homes")],
            f"Soldiers and gunmen exchanged fire in {t} during a raid on homes, residents said.",
        )
        for i, t in enumerate(towns)
    ]
    assert len(brief(items).entries) >= 8
