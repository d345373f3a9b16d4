"""`briefing demo` (as `make demo` runs it) and the preview command it prints (issue 13): the
printed `briefing serve -c …` must work as pasted and show the demo brief at /."""

from __future__ import annotations

import http.client
import re
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from briefing.commands.demo import run_demo
from briefing.config import load_config

ROOT = Path(__file__).resolve().parent.parent
BRIEFING = Path(sys.executable).parent / "briefing"  # the console script beside this python


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def long_date(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d:%A} {d.day} {d:%B %Y}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo with the shipped feeds.yaml, as `make demo` runs it; what it printed."""
    out = tmp_path_factory.mktemp("demo") / "demo"
    said: list[str] = []
    result = run_demo(str(ROOT / "feeds.yaml"), out_dir=out, progress=said.append)
    return result, out, said


def printed_command(said: list[str]) -> list[str]:
    lines = [m for m in said if "serve -c" in m]
    assert len(lines) == 1, said
    return shlex.split(re.search(r"`([^`]+)`", lines[0]).group(1))


def test_demo_prints_a_preview_command_whose_config_is_kept_beside_the_output(demo):
    result, out, said = demo
    argv = printed_command(said)
    assert argv[1:3] == ["serve", "-c"] and len(argv) == 4
    config_file = Path(argv[3])
    assert config_file == out / "feeds.yaml"
    assert said[-1].endswith("(then open http://127.0.0.1:8000/)")
    config = load_config(config_file)  # valid, and it points at the demo's output
    assert config.output_dir == out and config.db_path == out / "demo.sqlite3"
    assert config.title == "Morning Security Brief"
    assert {s.name for s in config.sources} == {s.name for s in result.brief.sources}


def test_the_printed_command_serves_the_demo_brief_at_root(demo):
    """Run the printed command (with --port 0) as a real process; / is the demo's brief."""
    result, out, said = demo
    argv = printed_command(said)
    proc = subprocess.Popen(
        [str(BRIEFING), *argv[1:], "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line
        port = int(m.group(1))
        status, body = get(port, "/")
        assert status == 200
        b = result.brief
        assert f"The latest brief written: {long_date(b.date)}" in body
        assert "Morning Security Brief" in body
        assert b.entries and all(f'id="{e.id}"' in body for e in b.entries)  # every entry, as written
        assert '<a href="/live">Live preview</a>' in body
        assert "not fetched yet" not in body
        status, archive = get(port, "/archive")
        assert status == 200 and f'href="/{b.date}/brief.pdf"' in archive
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_config_file_the_demo_did_not_write_is_left_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "feeds.yaml"
    mine.write_text("# my own configuration\n")
    said: list[str] = []
    run_demo(str(tmp_path / "no-such.yaml"), out_dir=out, progress=said.append)
    assert mine.read_text() == "# my own configuration\n"
    argv = printed_command(said)
    assert Path(argv[3]) == out / "demo-feeds.yaml"
    assert load_config(argv[3]).output_dir == out
