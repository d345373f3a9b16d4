"""`briefing tag -c CONFIG` applies the config's taxonomy overrides."""

from __future__ import annotations

import json
import subprocess
import sys


def tag(line: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing.cli", "tag", *args],
        input=json.dumps(line) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_taxonomy_override_from_config_places_an_unknown_town(tmp_path):
    item = {"id": "x1", "title": "Air strike kills 5 in Zorbtown, officials say", "summary": ""}
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        'sources: [{name: a, url: "https://a.example/rss"}]\ntaxonomy:\n  places: {Zorbtown: Syria}\n'
    )
    plain = json.loads(tag(item, "-c", str(tmp_path / "absent.yaml")).stdout)
    overridden = json.loads(tag(item, "-c", str(cfg)).stdout)
    assert "Syria" not in plain["theaters"]
    assert overridden["theaters"] == ["Syria"] and overridden["id"] == "x1"


def test_bad_taxonomy_override_is_one_line_and_exit_2(tmp_path):
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        'sources: [{name: a, url: "https://a.example/rss"}]\ntaxonomy:\n  places: {Zorbtown: Atlantis}\n'
    )
    r = tag({"id": 1, "title": "t", "summary": ""}, "-c", str(cfg))
    assert r.returncode == 2 and "Atlantis" in r.stderr and "Traceback" not in r.stderr
