"""`briefing tag` I/O contract, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(stdin: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing.extract.tagcmd", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def test_one_line_out_per_line_in_same_order_with_errors():
    lines = [
        json.dumps(
            {
                "id": "a",
                "title": "Israeli strikes killed 30 in Gaza",
                "summary": "",
                "date": "2023-11-01T00:00:00Z",
                "source": "x",
            }
        ),
        "{not json",
        json.dumps({"id": "c", "title": "Arsenal win the league", "summary": "A great season."}),
        json.dumps(["a list"]),
        json.dumps({"id": "e", "title": 5, "summary": None}),
        json.dumps({"id": "f"}),
        "",
        json.dumps({"id": "h", "title": "US warship arrives in the Red Sea", "summary": ""}),
    ]
    p = run("\n".join(lines) + "\n")
    assert p.returncode == 0, p.stderr
    out = [json.loads(l) for l in p.stdout.splitlines()]
    assert len(out) == len(lines)
    assert [o.get("id") for o in out] == ["a", None, "c", None, "e", "f", None, "h"]
    a = out[0]
    assert a["types"] == ["incident"] and a["theaters"] == ["Gaza"] and a["actors"] == ["Israel"]
    ev = a["events"][0]
    assert set(ev) == {"type", "theater", "actors", "targets", "fatalities", "text", "cues"}
    assert ev["fatalities"] == 30 and ev["cues"]
    assert (
        "error" in out[1]
        and "error" in out[3]
        and "error" in out[4]
        and "error" in out[5]
        and "error" in out[6]
    )
    assert out[2] == {"id": "c", "types": [], "theaters": [], "actors": [], "events": []}
    assert out[7]["types"] == ["deployment"] and out[7]["theaters"] == ["Red Sea"]


def test_file_argument_and_parallel_path_keep_order(tmp_path):
    f = tmp_path / "in.jsonl"
    rows = [
        {
            "id": str(i),
            "title": "Russian missiles hit Odesa" if i % 2 else "Bake sale raises funds",
            "summary": "",
        }
        for i in range(50)
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    p = run("", "--jobs", "2", str(f))
    assert p.returncode == 0, p.stderr
    out = [json.loads(l) for l in p.stdout.splitlines()]
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    assert all((o["types"] == ["incident"]) == (int(o["id"]) % 2 == 1) for o in out)


def test_missing_file_is_exit_2():
    p = run("", "/nonexistent/file.jsonl")
    assert p.returncode == 2 and "briefing tag" in p.stderr


def test_hostile_lines_give_errors_not_a_crash():
    # deeply nested JSON (a RecursionError in the decoder), trailing data, odd ids
    lines = [
        "[" * 100_000,
        '{"id": "t"} trailing',
        json.dumps({"id": 'é"\\', "title": "Bake sale"}),
        json.dumps({"id": 7, "title": "Bake sale"}),
        json.dumps({"id": "ok", "title": "Israeli strikes killed 30 in Gaza"}),
    ]
    p = run("\n".join(lines) + "\n")
    assert p.returncode == 0, p.stderr
    out = [json.loads(l) for l in p.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["id"] is None and "nested too deeply" in out[0]["error"]
    assert out[1]["id"] is None and "Extra data" in out[1]["error"]
    assert out[2] == {"id": 'é"\\', "types": [], "theaters": [], "actors": [], "events": []}
    assert out[3]["id"] == 7 and out[3]["events"] == []
    assert out[4]["types"] == ["incident"]
