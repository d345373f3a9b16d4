"""feeds.yaml validation: every mistake is one clear line with its path, and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefing.config import ConfigError, load_config, parse_config

GOOD = {"sources": [{"name": "Wire", "url": "https://example.org/rss"}]}


def errors_of(data) -> str:
    with pytest.raises(ConfigError) as exc:
        parse_config(data)
    return str(exc.value)


def test_minimal_config_gets_documented_defaults(tmp_path):
    cfg = parse_config(GOOD, tmp_path)
    assert cfg.timezone == "UTC" and cfg.window_hours == 24 and cfg.schedule == "0 6 * * *"
    assert cfg.output_dir == tmp_path / "output"  # relative paths: from the config's folder
    assert cfg.db_path == tmp_path / "output" / "briefing.sqlite3"
    assert cfg.delivery.smtp is None


@pytest.mark.parametrize(
    "data, expected",
    [
        (
            {
                "sources": [
                    {"name": "A", "url": "http://a.example/x"},
                    {"name": "B", "url": "file:///etc/passwd"},
                ]
            },
            "sources[1].url: not a valid http(s) URL: scheme 'file:' is not http: or https:",
        ),
        (
            {"sources": [{"name": "A", "url": "javascript:alert(1)"}]},
            "sources[0].url: not a valid http(s) URL: scheme 'javascript:'",
        ),
        ({**GOOD, "sourcez": []}, "sourcez: unknown key"),
        (
            {"sources": [{"name": "A", "url": "http://a.example", "colour": "red"}]},
            "sources[0].colour: unknown key",
        ),
        ({}, "sources: required key is missing"),
        ({"sources": []}, "sources: list at least one feed"),
        ({**GOOD, "timezone": "Mars/Olympus"}, "timezone: unknown time zone 'Mars/Olympus'"),
        ({**GOOD, "schedule": "every morning"}, "schedule: not a 5-field cron expression"),
        ({**GOOD, "window_hours": 0}, "window_hours: Input should be greater than or equal to 1"),
        (
            {**GOOD, "subscribers": [{"email": "desk@example.org\r\nBcc: all@example.org"}]},
            "subscribers[0].email: not a valid email address",
        ),
        ({**GOOD, "delivery": {"from": "not-an-address"}}, "delivery.from: not a valid email address"),
        (
            {**GOOD, "delivery": {"smtp": {"host": "h", "password": "hunter2"}}},
            "delivery.smtp.password: unknown key",
        ),
        (
            {**GOOD, "delivery": {"smtp": {"host": "h", "starttls": True, "ssl": True}}},
            "choose starttls or ssl",
        ),
        (
            {"sources": [{"name": "A", "url": "http://a.example"}, {"name": "A", "url": "http://b.example"}]},
            "sources[1].name: duplicate source name 'A'",
        ),
        ({**GOOD, "paper_size": "A3"}, "paper_size: must be A4 or Letter"),
        (
            {**GOOD, "subscribers": [{"email": "a@example.org", "theaters": ["Gazza"]}]},
            "subscribers[0].theaters: unknown theater 'Gazza'",
        ),
    ],
)
def test_each_mistake_is_reported_with_its_path(data, expected):
    assert expected in errors_of(data)


@pytest.mark.parametrize(
    "bad",
    [
        "Brief\u2028Bcc: all@example.org",
        "Brief\x85Bcc: x",
        "Brief\vBcc: x",
        "Brief\u2029x",
        "Brief\x0cx",
        "Brief\x1cx",
    ],
)
def test_header_bound_strings_are_one_line_by_every_definition(bad):
    # issue 14 #8: these passed `check` and then crashed delivery ("Header values may not
    # contain linefeed"); now refused at load, with the key's path
    assert bad.splitlines() != [bad]  # the email package would split it
    assert "title: must be a single line" in errors_of({**GOOD, "title": bad})
    assert "classification: must be a single line" in errors_of({**GOOD, "classification": bad})
    assert "subscribers[0].label: not a theater/actor name" in errors_of(
        {**GOOD, "subscribers": [{"email": "a@example.org", "label": bad}]}
    )


def test_all_problems_are_reported_at_once():
    msg = errors_of({"sources": [{"name": "A", "url": "ftp://x"}], "timezone": "Nowhere", "extra": 1})
    assert "sources[0].url" in msg and "timezone" in msg and "extra: unknown key" in msg


def test_yaml_syntax_error_names_the_line(tmp_path):
    p = tmp_path / "feeds.yaml"
    p.write_text("sources:\n  - name: A\n    url: [unclosed\n")
    with pytest.raises(ConfigError, match=r"not valid YAML at line \d+"):
        load_config(p)


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "nope.yaml")


def test_shipped_feeds_yaml_is_valid_and_realistic():
    cfg = load_config(Path(__file__).parent.parent / "feeds.yaml")
    assert 15 <= len(cfg.sources) <= 30
    assert all(s.url.startswith("https://") for s in cfg.sources)
    assert any("centcom" in s.url for s in cfg.sources)


@pytest.mark.parametrize(
    "text", ["sources: 3\n", "- just\n- a list\n", "sources:\n  - {name: A, url: 'gopher://x'}\n"]
)
def test_cli_exits_2_with_one_line_and_no_traceback(tmp_path, text):
    p = tmp_path / "feeds.yaml"
    p.write_text(text)
    for cmd in (["run", "--no-send"], ["check"]):
        r = subprocess.run(
            [sys.executable, "-m", "briefing.cli", *cmd, "-c", str(p)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("briefing: ")


def test_subscriber_groupings_expand_to_theaters():
    cfg = parse_config(
        {
            **GOOD,
            "taxonomy": {"groupings": {"Levant": ["Israel", "Lebanon", "Syria"]}},
            "subscribers": [{"email": "a@example.org", "theaters": ["Levant", "Gaza"]}],
        }
    )
    sub = cfg.subscribers[0]
    assert sub.theaters == ("Israel", "Lebanon", "Syria", "Gaza") and sub.label == "Levant, Gaza"


def test_a_day_and_an_as_of_are_read_in_the_configured_zone():
    from datetime import UTC, date, datetime

    from briefing.config import parse_config

    c = parse_config(
        {"timezone": "Europe/London", "sources": [{"name": "A", "url": "http://a.example/x"}]}, Path(".")
    )
    start, end = c.day_bounds(date(2026, 3, 29))  # the clocks go forward: a 23-hour day
    assert start == datetime(2026, 3, 29, 0, tzinfo=UTC) and end == datetime(2026, 3, 29, 23, tzinfo=UTC)
    assert c.as_of("2026-07-01T06:00") == datetime(2026, 7, 1, 5, tzinfo=UTC)  # BST, no zone given
    assert c.as_of("2026-07-01T06:00+00:00") == datetime(2026, 7, 1, 6, tzinfo=UTC)
