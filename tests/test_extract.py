"""Extractor hard cases (sentences written for these tests, not taken from any data set)."""

from __future__ import annotations

import pytest

from briefing.extract import Extractor
from briefing.model import Tagging


@pytest.fixture(scope="module")
def x():
    # the hand rules: since issue 12 they generate candidates and features for the learned
    # decisions (tests/test_extract_learned.py); these tests pin what the rules find
    return Extractor(rules_only=True)


def test_sponsor_is_not_the_actor_and_theater_is_where_force_lands(x):
    t = x.tag("Iran-backed Iraqi militia targets Haifa with drones", "")
    assert t.types == ("incident",)
    assert t.theaters == ("Israel",)
    assert "Iran" not in t.actors and "Iraq" not in t.actors


def test_launched_from_is_origin_not_theater(x):
    t = x.tag("Drones launched from Iraq struck the port of Eilat overnight", "")
    assert t.types == ("incident",)
    assert t.theaters == ("Israel",)


def test_demonym_actor_and_fatalities(x):
    t = x.tag("Israeli strikes killed 30 in Gaza", "")
    assert t.types == ("incident",)
    assert t.actors == ("Israel",)
    assert t.theaters == ("Gaza",)
    assert t.events[0].fatalities == 30
    assert t.events[0].cues  # explainable


@pytest.mark.parametrize(
    "text,n",
    [
        ("Shelling killed at least 12 people in Kharkiv", 12),
        ("Dozens were killed in an air strike on Khan Younis", 12),
        ("A drone attack killed two soldiers near Bakhmut", 2),
    ],
)
def test_conservative_fatalities(x, text, n):
    t = x.tag(text, "")
    assert t.types == ("incident",)
    assert max(e.fatalities or 0 for e in t.events) == n


def test_interception_is_an_incident(x):
    t = x.tag("A British warship shot down a drone over the Red Sea", "")
    assert t.types == ("incident",)
    assert t.actors == ("United Kingdom",)
    assert t.theaters == ("Red Sea",)


def test_unit_keeps_distinction_but_scores_parent(x):
    t = x.tag("The IRGC fired missiles at a base in Erbil", "")
    assert t.actors == ("Iran",)
    assert t.theaters == ("Iraq",)
    assert any("Revolutionary Guard" in c for e in t.events for c in e.cues)


def test_threat_statement(x):
    t = x.tag("Hezbollah vowed a crushing response against Israel", "")
    assert t.types == ("threat",)
    assert t.actors == ("Hezbollah",)
    assert t.theaters == ("Israel",)


def test_threat_to_a_group_lands_in_its_home_theater(x):
    t = x.tag("Israel warns Hezbollah it will pay a heavy price for any attack", "")
    assert "threat" in t.types
    assert t.theaters[0] == "Lebanon"


@pytest.mark.parametrize(
    "title",
    [
        "Aid agencies warn of the threat of famine in Gaza",
        "Climate change threatens coral reefs, scientists warn",
        "Judge threatens to jail defendant over contempt",
        "Minister vows to cut taxes before the election",
        "Washington warned Israel to fight more carefully in Gaza",
    ],
)
def test_not_threats(x, title):
    assert "threat" not in x.tag(title, "").types


@pytest.mark.parametrize(
    "title,theater,actor",
    [
        (
            "US aircraft carrier arrives in the eastern Mediterranean",
            "Eastern Mediterranean",
            "United States",
        ),
        ("Russia deployed nuclear-capable bombers to Belarus", "Belarus", "Russia"),
        ("Israel called up 300,000 reservists", "Israel", "Israel"),
    ],
)
def test_deployments(x, title, theater, actor):
    t = x.tag(title, "")
    assert t.types == ("deployment",)
    assert t.theaters == (theater,)
    assert t.actors == (actor,)


@pytest.mark.parametrize(
    "title",
    [
        "Pentagon weighs sending more troops to the Middle East",
        "Lawmakers debate proposal to deploy troops to the border",
        "US will send Ukraine air defence equipment in new aid package",
        "Mothers protest long deployments of mobilised soldiers",
    ],
)
def test_not_deployments(x, title):
    assert "deployment" not in x.tag(title, "").types


@pytest.mark.parametrize(
    "title",
    [
        "Israel denied carrying out the strike on the hospital",
        "Hezbollah could attack northern Israel, analysts fear",
        "Officials fear a ground invasion of Rafah is imminent",
        "Police foiled a plot to bomb a synagogue",
        "Storm kills 13 in coastal town",
        "Striker scores twice as United hit back to win the cup final",
    ],
)
def test_negation_speculation_and_non_violence(x, title):
    assert "incident" not in x.tag(title, "").types


def test_background_violence_in_a_feature_is_not_an_event(x):
    t = x.tag("Children return to school amid bombardment", "A teacher describes lessons in a tent.")
    assert t.types == ()
    old = x.tag(
        "A mother remembers her son", "He was killed in a raid on March 3, 2022.", "2023-11-20T10:00:00+00:00"
    )
    assert old.types == ()
    fresh = x.tag(
        "A mother remembers her son",
        "He was killed in an Israeli raid in Jenin on November 18.",
        "2023-11-20T10:00:00+00:00",
    )
    assert fresh.types == ("incident",)


def test_clash_gives_both_sides(x):
    t = x.tag("Israel and Hezbollah exchange fire across the border", "")
    assert set(t.actors) == {"Israel", "Hezbollah"}


def test_several_events_in_one_item(x):
    t = x.tag(
        "Turkey strikes PKK targets in northern Iraq",
        "Ankara warned it would expand its air campaign against Kurdish militants in Syria.",
    )
    assert t.types[0] == "incident" and "threat" in t.types
    assert t.theaters[0] == "Iraq" and "Syria" in t.theaters
    assert t.actors[0] == "Turkey"


def test_unnamed_attacker_gives_no_actor(x):
    t = x.tag("Drone attack on a market in Homs kills 15", "")
    assert t.types == ("incident",) and t.actors == () and t.theaters == ("Syria",)


def test_no_event_is_empty_tagging(x):
    assert x.tag("Arsenal beat Leicester in the league", "") == Tagging()


def test_module_level_tag_and_bad_input():
    x = Extractor(rules_only=True)
    assert isinstance(x.tag("", ""), Tagging)
    assert x.tag("Russian missiles hit Odesa", "").theaters == ("Ukraine",)
    assert x.tag("<b>Rockets fired at Ashkelon</b> &amp; Sderot", "").theaters[0] == "Israel"


def test_run_on_text_is_cut_into_clauses_that_cover_it_all():
    """Issue 14 #5: a 5,000-character summary with no full stop was one "sentence", and the rules'
    look-around per trigger made tagging it quadratic (240 ms; a 5 MB feed took 243 s). It is
    now cut into bounded clauses, in order, losing no word; bench/tag_speed.py has the timings."""
    from briefing.extract.text import MAX_SENTENCE, sentences

    clause = "officials said that the convoy moved along the coastal road near the old market"
    text = ", ".join(f"{clause} {i}" for i in range(60))  # ~5,000 characters, no full stop
    parts = sentences(text)
    assert len(text) > 4500 and len(parts) > 10
    assert all(len(p) <= MAX_SENTENCE for _, p in parts)
    assert all(text[off : off + len(p)] == p for off, p in parts)  # offsets point back into the text
    assert " ".join(p for _, p in parts).split() == text.split()


def test_an_event_deep_in_a_run_on_summary_is_still_found(x):
    filler = ", ".join(f"the committee discussed budget item {i} at length" for i in range(80))
    t = x.tag("Council session", filler + ", and an Israeli air strike killed 4 people in Rafah")
    assert t.types == ("incident",) and t.theaters == ("Gaza",)
