"""Degraded runs are loud (issue 13): a run where feeds failed must not read like a quiet day.
Real loopback feeds, the real pipeline and CLI, messages read from the outbox."""

from __future__ import annotations

import email
import email.policy
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from briefing.brief.compose import compose
from briefing.config import parse_config
from briefing.model import SourceHealth
from briefing.pipeline import run

try:
    from .builders import rss
except ImportError:
    from builders import rss


def feed(tag: str, when: datetime, n: int = 3) -> bytes:
    places = ["Khan Younis", "Rafah", "Jenin", "Tyre", "Hodeidah"]
    return rss(
        tag,
        [
            (
                f"Air strike kills {i + 2} in {places[i % 5]} ({tag} {i})",
                f"Warplanes struck a house in {places[i % 5]}, officials said ({tag}).",
                f"https://{tag.lower()}.example/{when:%Y%m%d}/{i}",
                when - timedelta(hours=1 + i),
            )
            for i in range(n)
        ],
    )


def messages(out: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted((out / "outbox").glob("*.eml"))
    ]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing.cli", *args], capture_output=True, text=True, timeout=180
    )


def test_all_sources_failed_gives_a_banner_a_notice_and_exit_3_then_the_brief_follows(tmp_path, feed_server):
    s = feed_server
    s.add("/a.xml", b"gone", status=404, content_type="text/plain")
    s.add("/b.xml", b"<rss><channel><item>", content_type="application/rss+xml")  # broken XML
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "timezone": "UTC",
                "output_dir": str(tmp_path / "out"),
                "sources": [
                    {"name": "Wire A", "url": s.url("/a.xml")},
                    {"name": "Wire B", "url": s.url("/b.xml")},
                ],
                "subscribers": [
                    {"email": "desk@example.org"},
                    {"email": "gaza@example.org", "theaters": ["Gaza"]},
                ],
                "fetch": {"deadline": 3},
            }
        )
    )
    r = cli("run", "-c", str(cfg))
    assert r.returncode == 3, r.stderr
    assert "all 2 sources failed" in r.stderr
    day = datetime.now(UTC).date().isoformat()
    html = (tmp_path / "out" / day / "brief.html").read_text()
    assert "No brief today: all 2 sources failed" in html
    assert "No incidents, threats or deployments were reported" not in html  # not a quiet day
    data = json.loads((tmp_path / "out" / day / "brief.json").read_text())
    assert data["coverage"]["all_failed"] and data["coverage"]["failed"] == ["Wire A", "Wire B"]

    notices = messages(tmp_path / "out")
    assert sorted(m["To"] for m in notices) == ["desk@example.org", "gaza@example.org"]
    for m in notices:
        assert m["Subject"].startswith("[NO BRIEF: all 2 sources failed]")
        assert not list(m.iter_attachments())  # no empty PDF
        body = m.get_body(("plain",)).get_content()
        assert "Wire A" in body and "404" in body

    status = cli("status", "-c", str(cfg))
    assert "no sources" in status.stdout, status.stdout

    s.add("/a.xml", feed("Wire", datetime.now(UTC)))  # the feed is back the same day
    r = cli("run", "-c", str(cfg))
    assert r.returncode == 0, r.stderr
    later = [m for m in messages(tmp_path / "out") if not m["Subject"].startswith("[NO BRIEF")]
    assert len(messages(tmp_path / "out")) == 4  # the notices are kept, the briefs added
    assert sorted(m["To"] for m in later) == ["desk@example.org", "gaza@example.org"]
    assert all(any(a.get_content_type() == "application/pdf" for a in m.iter_attachments()) for m in later)
    assert all("[PARTIAL: 1 of 2 sources failed]" in m["Subject"] for m in later)  # B still broken


def test_when_all_failed_nothing_sends_nothing(tmp_path, feed_server):
    feed_server.add("/a.xml", b"gone", status=404, content_type="text/plain")
    config = parse_config(
        {
            "timezone": "UTC",
            "output_dir": str(tmp_path / "out"),
            "sources": [{"name": "A", "url": feed_server.url("/a.xml")}],
            "subscribers": [{"email": "desk@example.org"}],
            "delivery": {"when_all_failed": "nothing"},
        },
        tmp_path,
    )
    result = run(config)
    assert result.brief.coverage.all_failed and result.deliveries == []
    assert not (tmp_path / "out" / "outbox").exists()


def test_partial_failure_names_the_missing_share_and_the_uncovered_theater(tmp_path, feed_server):
    """Wire A usually brings 6 reports a day and Wire B 2: when A fails, about 75 % of the usual
    reports are missing, and the subject says so."""
    s = feed_server
    now = datetime.now(UTC).replace(microsecond=0)
    before = now - timedelta(days=2)
    s.add("/a.xml", feed("WireA", before, 6))
    s.add("/b.xml", feed("WireB", before, 2))
    config = parse_config(
        {
            "timezone": "UTC",
            "output_dir": str(tmp_path / "out"),
            "sources": [
                {"name": "Wire A", "url": s.url("/a.xml")},
                {"name": "Wire B", "url": s.url("/b.xml")},
            ],
            "subscribers": [{"email": "desk@example.org"}],
        },
        tmp_path,
    )
    run(config, now=before + timedelta(hours=1), as_of=before + timedelta(hours=1), send=False)
    s.add("/a.xml", b"down", status=503, content_type="text/plain")
    s.add("/b.xml", feed("WireB", now, 2))
    result = run(config, now=now)
    c = result.brief.coverage
    assert c.failed == ("Wire A",) and not c.all_failed
    assert 0.7 < c.missing_share < 0.8
    html = result.files["brief.html"].read_text()
    assert "Partial coverage: 1 of 2 sources failed (about 75 % of the usual reports)" in html
    [m] = messages(tmp_path / "out")
    assert m["Subject"].startswith("[PARTIAL: 1 of 2 sources failed]")
    for part in ("plain", "html"):  # the failed-sources line in both parts
        assert "Sources that failed: Wire A" in m.get_body((part,)).get_content()


def test_not_fetched_yet_is_not_failed():
    now = datetime(2026, 3, 10, 6, tzinfo=UTC)
    health = {"Old": SourceHealth("Old", "http://old.example/", ok=True, last_attempt=now)}
    b = compose(
        title="T",
        as_of=now,
        tz=ZoneInfo("UTC"),
        hours=24,
        items=[],
        sources=[("Old", "http://old.example/"), ("New", "http://new.example/")],
        health=health,
        now=now,
    )
    assert b.coverage.unfetched == ("New",) and b.coverage.failed == () and not b.coverage.degraded
    new = next(s for s in b.sources if s.name == "New")
    assert not new.tried and not new.failed and new.error is None
