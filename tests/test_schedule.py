"""Scheduling: fire times across DST changes (pure, fixed clocks) and a real `briefing schedule`."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from builders import ago, rss

from briefing.schedule import next_fire_times


def local_days(times):
    return [t.strftime("%Y-%m-%d %H:%M") for t in times]


@pytest.mark.parametrize(
    "tz, start",
    [
        ("Europe/London", datetime(2026, 3, 27, 12)),  # clocks go forward on 29 March
        ("Europe/London", datetime(2026, 10, 23, 12)),  # clocks go back on 25 October
        ("America/New_York", datetime(2026, 3, 6, 12)),  # forward on 8 March
        ("America/New_York", datetime(2026, 10, 30, 12)),  # back on 1 November
    ],
)
def test_six_am_brief_fires_once_a_day_at_six_local_across_dst(tz, start):
    times = next_fire_times("0 6 * * *", tz, start.replace(tzinfo=ZoneInfo(tz)), 5)
    days = [(start + timedelta(days=i)).strftime("%Y-%m-%d") for i in range(1, 6)]
    assert local_days(times) == [f"{d} 06:00" for d in days]
    gaps = {(b - a).total_seconds() / 3600 for a, b in zip(times, times[1:])}
    assert gaps <= {23.0, 24.0, 25.0} and len(times) == 5


def test_job_in_the_repeated_autumn_hour_fires_once():
    times = next_fire_times(
        "30 1 * * *", "Europe/London", datetime(2026, 10, 24, 12, tzinfo=ZoneInfo("Europe/London")), 3
    )
    assert local_days(times) == ["2026-10-25 01:30", "2026-10-26 01:30", "2026-10-27 01:30"]


def test_job_in_the_skipped_spring_hour_is_not_lost():
    times = next_fire_times(
        "30 1 * * *", "Europe/London", datetime(2026, 3, 28, 12, tzinfo=ZoneInfo("Europe/London")), 2
    )
    assert [t.date().isoformat() for t in times] == ["2026-03-29", "2026-03-30"]


def test_crontab_weekday_numbers_mean_what_cron_means():
    # 1-5 is Monday to Friday in cron; APScheduler 3's own parser would read Tuesday to Saturday.
    times = next_fire_times("0 6 * * 1-5", "UTC", datetime(2026, 11, 27, 12, tzinfo=ZoneInfo("UTC")), 3)
    assert [t.strftime("%a") for t in times] == ["Mon", "Tue", "Wed"]


def test_briefing_schedule_fires_the_run_and_stops_cleanly_on_sigterm(tmp_path, feed_server):
    now = datetime.now(ZoneInfo("UTC"))
    feed_server.add(
        "/wire.xml",
        rss(
            "Wire",
            [
                (
                    "Israeli strikes kill 7 in Gaza City",
                    "Israeli aircraft struck Gaza City, killing seven people.",
                    "https://w.example/a",
                    ago(now, 1),
                )
            ],
        ),
    )
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "sources": [{"name": "Wire", "url": feed_server.url("/wire.xml")}],
                "output_dir": str(tmp_path / "out"),
                "schedule": "*/2 * * * * *",  # six fields: every two seconds, for the test
                "subscribers": [{"email": "desk@example.org"}],
            }
        )
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing.cli", "schedule", "-c", str(cfg)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        out = tmp_path / "out" / now.date().isoformat() / "brief.json"
        while not out.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert out.exists(), "the scheduled run did not produce a brief"
        assert any(e["theater"] == "Gaza" for e in json.loads(out.read_text())["events"])
        time.sleep(3)  # let later fires happen: sends must not repeat
    finally:
        proc.send_signal(signal.SIGTERM)
        log, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, log
    assert "run started" in log and "scheduler stopped" in log
    assert len(list((tmp_path / "out" / "outbox").glob("*.eml"))) == 1
    assert "deliver: 1 sent" in log and "0 sent, 1 already sent earlier" in log
