"""The learned extractor (issue 12) on the kinds of sentence the hand rules missed, and on a
whole article. Every sentence here was written for these tests in our own words (none is taken
from a data set or from the issue); the model never saw them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.extract import Extractor

ARTICLE = Path(__file__).parent / "fixtures" / "article_haifa.txt"

# What the model trained in issue 12 does not get right yet (macro-F1 0.59 on the test split,
# far from the 0.90). Strict: a retrained model that gets one right fails the run
# until its mark is removed, so this list stays the true list of gaps.
GAP = pytest.mark.xfail(strict=True, reason="learned-model gap, issue 12 open")


@pytest.fixture(scope="module")
def x():
    return Extractor()


@pytest.mark.parametrize(
    "title,theater",
    [
        pytest.param("Troops shoot a teenager at a checkpoint outside Nablus", "West Bank", marks=GAP),
        pytest.param("Heavy fighting rages around El Fasher as paramilitaries push in", "Sudan", marks=GAP),
        ("Gunmen storm a police post in Balochistan, killing five officers", "Pakistan"),
    ],
)
def test_plain_acts_of_force_are_incidents_where_they_happen(x, title, theater):
    t = x.tag(title, "")
    assert "incident" in t.types
    assert t.theaters[:1] == (theater,)


@pytest.mark.parametrize(
    "title,actor",
    [
        pytest.param(
            "Seoul vows a 'merciless' answer if Pyongyang fires across the border again",
            "South Korea",
            marks=GAP,
        ),
        (
            "Beijing warns Manila it will 'bear all the consequences' if it keeps resupplying the shoal",
            "China",
        ),
        ("Moscow says any Western troops sent to Ukraine would be 'legitimate targets'", "Russia"),
        pytest.param(
            "Defence minister: the next drone that crosses our border will be met with force", None, marks=GAP
        ),
    ],
)
def test_threats_in_other_words_are_threats(x, title, actor):
    t = x.tag(title, "")
    assert "threat" in t.types
    if actor:
        assert actor in t.actors


def test_a_warning_of_retaliation_is_a_threat_not_an_incident(x):
    t = x.tag("Israel's defence minister warns Hezbollah it will pay a heavy price for the rocket fire", "")
    assert t.types == ("threat",)
    assert "Hezbollah" not in t.actors and "Israel" in t.actors


@GAP
def test_a_drone_shot_down_lands_where_it_was_shot_down(x):
    t = x.tag("Army downs a drone that crossed into Israeli airspace from the direction of Syria", "")
    assert "incident" in t.types and "deployment" not in t.types
    assert t.theaters[:1] == ("Israel",)


def test_a_ship_sent_far_away_is_not_placed_at_home(x):
    t = x.tag("Britain to send a warship to the Caribbean as Venezuela-Guyana tensions rise", "")
    assert "deployment" in t.types
    assert "United Kingdom" in t.actors
    assert "United States" not in t.theaters and "United Kingdom" not in t.theaters


@GAP
def test_who_confirms_a_deployment_of_their_own_forces_is_its_actor(x):
    t = x.tag(
        "Strategic bombers land in the Middle East",
        "Two B-1 bombers arrived at a base in the region on Sunday, US Central Command said.",
    )
    assert "deployment" in t.types
    assert t.actors == ("United States",)
    assert t.theaters[:1] == ("Middle East",)


def test_one_act_in_one_sentence_is_one_event(x):
    t = x.tag("Israeli jets pound Hezbollah positions in southern Lebanon", "")
    assert [e.type for e in t.events] == ["incident"]
    assert t.events[0].theater == "Lebanon" and t.events[0].actors == ("Israel",)


def test_no_event_in_everyday_news(x):
    for title in (
        "Arsenal clash with Chelsea in a league thriller",
        "Central bank warns of slower growth",
        "Teachers strike over pay for a third day",
        "Parliament debates the defence budget",
    ):
        assert x.tag(title, "").types == (), title


@GAP
def test_a_whole_article_gives_each_key_event_once(x):
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    title, body = lines[0], " ".join(lines[1:])  # parse.clean_text gives one line of text
    t = x.tag(title, body)
    got = {(e.type, e.theater): e for e in t.events}
    assert len(got) == len(t.events), "the same happening twice"
    assert "Islamic Resistance in Iraq" in got[("incident", "Israel")].actors
    assert "Iran" in got[("threat", "Israel")].actors
    assert "United States" in got[("deployment", "Middle East")].actors
    gaza = got[("incident", "Gaza")]
    assert "Israel" in gaza.actors and (gaza.fatalities or 0) >= 30
    assert "Israel" in got[("incident", "Lebanon")].actors
    assert not any("mark my words" in e.text or "Reader comments" in e.text for e in t.events)
