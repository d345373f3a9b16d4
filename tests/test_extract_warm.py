"""The extractor's start-up cache (briefing/extract/warm.py), on a copy of the package: `briefing
tag` gives the same answers from the cache as without it, an edited taxonomy file is read again,
and a broken or unwritable cache never stops tagging."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINES = [
    {"id": "a", "title": "Israeli strikes killed 30 in Gaza", "summary": ""},
    {"id": "b", "title": "Carrier strike group arrives in the eastern Mediterranean", "summary": ""},
    {"id": "c", "title": "Harbourmaster Brigade shelled Kherson overnight", "summary": ""},
]


@pytest.fixture()
def pkg(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "briefing", tmp_path / "briefing", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(x) + "\n" for x in LINES), encoding="utf-8")
    return tmp_path


def _tag(root: Path) -> list[dict]:
    p = subprocess.run(
        [sys.executable, "-m", "briefing.extract.tagcmd", "--jobs", "1", str(root / "in.jsonl")],
        cwd=root,
        env=dict(os.environ, PYTHONPATH=str(root)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    return [json.loads(x) for x in p.stdout.splitlines()]


def _cache(root: Path) -> Path:
    got = list((root / "briefing" / "extract" / "__pycache__").glob("warm.*.pickle"))
    assert len(got) == 1, got
    return got[0]


def test_cache_is_written_once_and_gives_the_same_answers(pkg: Path) -> None:
    first = _tag(pkg)
    assert [r["types"] for r in first] == [["incident"], ["deployment"], ["incident"]]
    cache = _cache(pkg)
    stamp = cache.stat().st_mtime_ns
    assert _tag(pkg) == first
    assert cache.stat().st_mtime_ns == stamp  # a hit rewrites nothing


def test_an_edited_taxonomy_is_read_again(pkg: Path) -> None:
    before = _tag(pkg)
    assert "Ukraine" not in before[2]["actors"]
    tsv = pkg / "briefing" / "extract" / "actors.tsv"
    with tsv.open("a", encoding="utf-8") as fh:
        fh.write("Harbourmaster Brigade\tUkraine\tunit\tUkraine\tHarbourmaster Brigade\n")
    after = _tag(pkg)
    assert "Ukraine" in after[2]["actors"]


def test_a_broken_cache_is_rebuilt(pkg: Path) -> None:
    good = _tag(pkg)
    cache = _cache(pkg)
    cache.write_bytes(b"\x80\x05not a pickle at all")
    assert _tag(pkg) == good
    assert cache.read_bytes()[:2] != b"\x80\x05n"  # written again, whole


def test_no_cache_where_it_cannot_be_written(pkg: Path) -> None:
    # a file where the cache folder should be: nothing can be written there (even as root)
    (pkg / "briefing" / "extract" / "__pycache__").write_text("not a folder")
    assert [r["types"] for r in _tag(pkg)] == [["incident"], ["deployment"], ["incident"]]
