"""End to end: real feeds on a loopback HTTP server → store → tag → HTML, PDF, JSON, outbox."""

from __future__ import annotations

import email
import email.policy
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from builders import atom, rss
from pypdf import PdfReader

from briefing.config import parse_config
from briefing.pipeline import RunError, run

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


def rfc(hours_ago: float) -> datetime:
    return NOW - timedelta(hours=hours_ago)


iso = rfc  # builders.rss writes RFC 822 dates, builders.atom ISO 8601


WIRE_ONE = rss(
    "Wire One",
    [
        (
            "Israeli air strikes kill at least 12 in Khan Younis",
            "<p>Israeli warplanes struck homes in Khan Younis overnight, killing at least 12 people, "
            "health officials in Gaza said.</p><script>alert('x')</script>",
            "https://wire-one.example/gaza-strikes",
            rfc(5),
        ),
        (
            "Houthis fire missiles at cargo ship in the Red Sea",
            "Yemen's Houthi movement said it fired two missiles at a commercial vessel off Hodeidah.",
            "https://wire-one.example/red-sea",
            rfc(3),
        ),
        (
            "Foreign ministers meet in Cairo to discuss aid corridors",
            'Diplomats discussed humanitarian access. <a href="javascript:alert(1)">more</a>',
            "javascript:alert(1)",
            rfc(2),
        ),
        (
            "Old story: ceasefire talks stall",
            "Talks stalled last month.",
            "https://wire-one.example/old",
            rfc(80),
        ),
    ],
)
WIRE_TWO = atom(
    "Wire Two",
    [
        (
            "Strikes on southern Gaza city leave 12 dead, officials say",
            "Israeli strikes hit Khan Younis overnight and killed 12 people, according to Gaza health officials.",
            "https://wire-two.example/khan-younis",
            iso(4),
        ),
        (
            "US destroyer arrives in eastern Mediterranean",
            "The Pentagon said a guided-missile destroyer arrived in the eastern Mediterranean on Monday.",
            "/navy/destroyer",
            iso(6),
        ),
    ],
)


@pytest.fixture
def world(feed_server, tmp_path):
    s = feed_server
    s.add("/one.xml", WIRE_ONE)
    s.add("/two.xml", WIRE_TWO, content_type="application/atom+xml")
    s.add("/missing.xml", b"not here", status=404, content_type="text/plain")
    s.add_hang("/hang.xml")
    s.add(
        "/page.html",
        b"<!doctype html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>",
        content_type="text/html",
    )
    s.add("/error.xml", b"oops", status=500, content_type="text/plain")
    s.add("/garbage.xml", bytes(range(256)) * 20, content_type="application/octet-stream")
    names = {
        "Wire One": "/one.xml",
        "Wire Two": "/two.xml",
        "Missing": "/missing.xml",
        "Hung": "/hang.xml",
        "Homepage": "/page.html",
        "Broken": "/error.xml",
        "Garbage": "/garbage.xml",
    }
    data = {
        "sources": [{"name": n, "url": s.url(p)} for n, p in names.items()],
        "timezone": "Europe/London",
        "output_dir": str(tmp_path / "out"),
        "subscribers": [{"email": "desk@example.org"}, {"email": "gaza@example.org", "theaters": ["Gaza"]}],
        "delivery": {"from": "briefs@example.org"},
        "fetch": {"deadline": 2, "read_timeout": 1, "connect_timeout": 1},
    }
    return parse_config(data, tmp_path), tmp_path / "out"


def test_full_run_writes_brief_json_pdf_and_outbox(world):
    config, out = world
    result = run(config, now=NOW)
    folder = out / "2026-03-10"
    assert {p.name for p in folder.iterdir()} >= {"brief.html", "brief.pdf", "brief.json"}
    data = json.loads((folder / "brief.json").read_text())

    # Every configured source is listed; exactly the five broken ones failed, each with a reason.
    by_name = {s["name"]: s for s in data["sources"]}
    assert len(by_name) == 7
    failed = {n for n, s in by_name.items() if not s["ok"]}
    assert failed == {"Missing", "Hung", "Homepage", "Broken", "Garbage"}
    assert "404" in by_name["Missing"]["error"] and "500" in by_name["Broken"]["error"]
    assert "deadline" in by_name["Hung"]["error"] or "timed out" in by_name["Hung"]["error"]
    assert all(by_name[n]["error"] for n in failed)
    assert result.sources_failed == 5 and result.sources_ok == 2

    # Events: the Gaza strike (reported twice, merged), the Red Sea attack, the deployment.
    events = data["events"]
    types = {(e["type"], e["theater"]) for e in events}
    assert ("incident", "Gaza") in types
    assert ("deployment", "Eastern Mediterranean") in types
    gaza = next(e for e in events if e["theater"] == "Gaza" and e["type"] == "incident")
    assert {s["name"] for s in gaza["sources"]} == {"Wire One", "Wire Two"}
    assert gaza["fatalities"] == 12 and "Israel" in gaza["actors"]
    assert all(e["cues"] for e in events)
    # Relative links resolved against the feed URL; every event cites a real http(s) link.
    links = [s["link"] for e in events for s in e["sources"]]
    assert all(l.startswith("http") for l in links)
    assert any(l.endswith("/navy/destroyer") and l.startswith("http://127.0.0.1") for l in links)
    # Outside the window: not in the brief.
    assert not any("ceasefire talks stall" in s["title"] for e in events for s in e["sources"])

    html = (folder / "brief.html").read_text()
    assert "<script" not in html and "javascript:" not in html
    assert "Khan Younis" in html and "Wire Two" in html

    pdf = PdfReader(folder / "brief.pdf")
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Gaza" in text and "Eastern Mediterranean" in text and "Sources" in text
    assert f"page 1 of {len(pdf.pages)}" in text

    emls = sorted((out / "outbox").glob("*.eml"))
    assert len(emls) == 2
    msg = email.message_from_bytes(emls[0].read_bytes(), policy=email.policy.default)
    assert msg["Subject"].endswith("2026-03-10") and msg["From"] == "briefs@example.org"
    pdfs = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_filename() == "brief-2026-03-10.pdf"
    assert len(PdfReader(BytesIO(pdfs[0].get_payload(decode=True))).pages) >= 1


def test_rerun_stores_nothing_twice_and_keeps_items_when_a_feed_breaks(world, feed_server):
    config, out = world
    run(config, now=NOW, send=False)
    db = sqlite3.connect(config.db_path)
    count = db.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    assert count == 6  # 4 from Wire One, 2 from Wire Two
    run(config, now=NOW + timedelta(minutes=30), send=False)
    assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == count

    feed_server.add("/one.xml", b"<rss><channel><item><title>broken", content_type="application/xml")
    feed_server.add("/two.xml", b"", status=503, content_type="text/plain")
    result = run(config, now=NOW + timedelta(hours=1), send=False)
    assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == count
    # The brief still has yesterday-night's events from what was stored before the feeds broke.
    assert any(e.theater == "Gaza" for e in result.brief.entries)
    health = {s.name: s for s in result.brief.sources}
    assert not health["Wire Two"].ok and "503" in health["Wire Two"].error
    runs = db.execute("SELECT status FROM runs").fetchall()
    # every source failed on the third run: the brief says so, and so does the run's record
    assert [r[0] for r in runs] == ["ok", "ok", "no sources"]
    assert "All 7 sources failed on this run" in result.files["brief.html"].read_text()


def test_unwritable_output_folder_is_a_clear_error(world, tmp_path):
    config, _ = world
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(RunError, match="not writable"):
        run(config, now=NOW, out_dir=blocker / "sub")


def test_cli_run_exit_codes_and_progress(world, tmp_path):
    config, out = world
    cfg = tmp_path / "feeds.yaml"
    import yaml

    data = json.loads(config.model_dump_json(by_alias=True, exclude_none=True))
    cfg.write_text(yaml.safe_dump(data))
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.cli",
            "run",
            "-c",
            str(cfg),
            "--no-send",
            "--as-of",
            NOW.isoformat(),
            "--out",
            str(tmp_path / "cli-out"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "fetch: 2 sources ok, 5 failed" in r.stderr
    assert (tmp_path / "cli-out" / "2026-03-10" / "brief.pdf").exists()
    assert not (tmp_path / "cli-out" / "outbox").exists()  # --no-send
    bad = subprocess.run(
        [sys.executable, "-m", "briefing.cli", "run", "-c", str(cfg), "--as-of", "yesterday"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "--as-of" in bad.stderr
