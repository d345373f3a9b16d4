"""Taxonomy as data: shipped files load, user overrides apply and are validated."""

from __future__ import annotations

import pytest

from briefing.extract import Extractor, load_taxonomy


def test_place_override_changes_theater():
    t = load_taxonomy({"places": {"Qasr Zindar": "Syria"}})
    assert Extractor(t).tag("Airstrike hits Qasr Zindar", "").theaters == ("Syria",)
    assert Extractor().tag("Airstrike hits Qasr Zindar", "").theaters != ("Syria",)


def test_actor_override_with_parent():
    t = load_taxonomy(
        {"actors": {"Northern Hawks Brigade": {"parent": "Hezbollah", "kind": "group", "home": "Lebanon"}}}
    )
    r = Extractor(t).tag("Northern Hawks Brigade fires rockets at Metula", "")
    assert r.actors == ("Hezbollah",)
    assert r.theaters == ("Israel",)
    assert any("Northern Hawks Brigade" in c for e in r.events for c in e.cues)


def test_actor_override_string_form():
    t = load_taxonomy({"actors": {"General Zed": "Russia"}})
    assert Extractor(t).tag("General Zed ordered strikes on Kharkiv", "").actors == ("Russia",)


def test_groupings():
    t = load_taxonomy({"groupings": {"Levant": ["Israel", "Lebanon", "Syria", "Gaza", "West Bank"]}})
    assert t.expand("Levant") == ("Israel", "Lebanon", "Syria", "Gaza", "West Bank")
    assert t.grouping_of("Lebanon") == ("Levant",)
    assert t.expand("Lebanon") == ("Lebanon",)


@pytest.mark.parametrize(
    "ov,msg",
    [
        ({"places": {"Foo": "Bar"}}, "taxonomy.places.Foo: unknown theater 'Bar'"),
        (
            {"groupings": {"Levant": ["Israel", "Narnia"]}},
            "taxonomy.groupings.Levant[1]: unknown theater 'Narnia'",
        ),
        ({"actors": {"X": {"kind": "gang"}}}, "taxonomy.actors.X.kind"),
        ({"actors": {"X": {"home": "Atlantis"}}}, "taxonomy.actors.X.home: unknown theater 'Atlantis'"),
        ({"colours": {}}, "taxonomy.colours: unknown key"),
        ({"groupings": {"Levant": []}}, "taxonomy.groupings.Levant"),
    ],
)
def test_validation_errors_name_the_path(ov, msg):
    with pytest.raises(ValueError) as e:
        load_taxonomy(ov)
    assert msg in str(e.value)


def test_new_theater_can_be_used_by_places():
    t = load_taxonomy({"theaters": ["Sahel"], "places": {"Menaka": "Sahel"}})
    assert Extractor(t).tag("Militants attack army post in Menaka", "").theaters == ("Sahel",)
