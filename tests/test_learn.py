"""The labelled corpus and the training command (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date
from pathlib import Path

import pytest

from briefing.extract import Extractor
from briefing.learn.corpus import CORPUS, TEST_FORTNIGHT, TEST_OUTLET

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"


def _rows(name: str) -> list[dict]:
    return [json.loads(l) for l in (CORPUS / name).open(encoding="utf-8") if l.strip()]


def test_the_corpus_holds_labels_and_ids_only():
    # the publishers' texts stay in ../shared/data; the repository keeps what we wrote
    for name in ("labels.jsonl", "labels-a.jsonl", "labels-b.jsonl", "review.jsonl", "adjudication.jsonl"):
        for r in _rows(name):
            assert set(r) <= {"id", "types", "theaters", "actors", "note"}, (name, r)
            assert set(r["types"]) <= {"incident", "threat", "deployment"}
    sample = {r["id"] for r in _rows("sample.jsonl")}
    assert {r["id"] for r in _rows("labels.jsonl")} == sample
    assert len(sample) >= 4000


def test_no_test_outlet_or_test_fortnight_item_is_trained_on():
    for r in _rows("sample.jsonl"):
        held = r["outlet"] == TEST_OUTLET or (
            r["set"] == "pool-2023q4"
            and r["date"]
            and TEST_FORTNIGHT[0] <= date.fromisoformat(r["date"]) <= TEST_FORTNIGHT[1]
        )
        assert (r["split"] == "test") == held, r


@pytest.mark.skipif(not (DATA / "reserved-links.sha256").exists(), reason="shared data folder absent")
def test_no_reserved_item_was_drawn():
    reserved = {l.strip() for l in (DATA / "reserved-links.sha256").open() if l.strip()}
    assert not reserved & {r["sha"] for r in _rows("sample.jsonl")}
    assert not reserved & {sha for r in _rows("pairs.jsonl") for sha in (r["a"], r["b"])}


# -- same-story pairs (issue 13) ------------------------------------------------------------------
def test_story_pairs_hold_ids_and_labels_and_keep_their_days_apart():
    from briefing.learn.pairs import DEV_DAYS, TEST_DAYS

    rows = _rows("pairs.jsonl")
    assert len(rows) >= 150 and len({r["pair"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) <= {
            "pair",
            "day",
            "split",
            "stratum",
            "a",
            "b",
            "similarity",
            "label",
            "note",
            "second",
            "adjudication",
            "round",
        }, r  # no publisher text
        assert r["label"] in ("same", "different", "roundup", "unclear")
        assert r["split"] == ("test" if r["day"] in TEST_DAYS else "dev") and r["day"] in (
            *DEV_DAYS,
            *TEST_DAYS,
        )
    assert sum(r["label"] == "same" for r in rows if r["split"] == "test") >= 30


def test_the_merge_model_scores_the_features_the_clusterer_computes():
    from datetime import datetime

    from briefing.brief.cluster import MODEL, Context
    from briefing.model import Event, Item

    t = datetime(2026, 1, 1, tzinfo=UTC)
    a = Item("A", "1", "Strike hits Jabalia school", "Medics said 12 died in Jabalia.", "", t)
    b = Item("B", "2", "Jabalia school struck, 12 dead", "A strike hit a school in Jabalia.", "", t)
    ev = Event("incident", "Gaza", ("Israel",), (), 12, "x")
    assert set(Context([a, b]).features(a, ev, b, ev)) == set(MODEL["weights"])
    assert 0 < MODEL["threshold"] < 1 and MODEL["trained_on"]["pairs"] >= 100


def test_training_is_one_deterministic_command(tmp_path: Path):
    # the whole command on the examples written for the project (no data folder needed), twice
    outs = []
    for k in range(2):
        out = tmp_path / f"model{k}.json"
        p = subprocess.run(
            [sys.executable, "-m", "briefing.learn.train", "--written-only", "--quick", "--out", str(out)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert p.returncode == 0, p.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    model = json.loads(outs[0])
    x = Extractor(model=model)
    t = x.tag("Militia commander vows revenge on government troops after the massacre", "")
    assert "threat" in t.types
    assert x.tag("City council approves new cycle lanes", "").types == ()


def test_the_shipped_model_is_package_data_of_bounded_size():
    path = REPO / "briefing" / "extract" / "model.json"
    assert path.stat().st_size <= 20_000_000
    assert Extractor().model is not None  # tagging uses it (load time: bench/tag_speed.py)
