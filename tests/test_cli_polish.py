"""CLI polish (issue 13): a config mistake comes with the nearest right answer, theater names
match whatever their case, a feed URL is checked as a URL, every command explains itself in
--help, and `briefing status` speaks the desk's time zone in plain English."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from briefing.cli import parser
from briefing.config import ConfigError, load_config, parse_config

try:
    from .builders import rss
except ImportError:
    from builders import rss

GOOD = {"sources": [{"name": "Wire", "url": "https://example.org/rss"}]}
ROOT = Path(__file__).resolve().parent.parent


def errors_of(data) -> str:
    with pytest.raises(ConfigError) as exc:
        parse_config(data)
    return str(exc.value)


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "feeds.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


# -- 1. unknown keys: "did you mean" at every level -------------------------------------------
@pytest.mark.parametrize(
    "data, expected",
    [
        ({**GOOD, "window_hour": 12}, "window_hour: unknown key, did you mean 'window_hours'?"),
        ({**GOOD, "subscriber": []}, "subscriber: unknown key, did you mean 'subscribers'?"),
        (
            {
                "sources": [
                    {"name": "A", "url": "https://a.example/"},
                    {"nmae": "B", "url": "https://b.example/"},
                ]
            },
            "sources[1].nmae: unknown key, did you mean 'name'?",
        ),
        (
            {
                **GOOD,
                "subscribers": [{"email": "a@example.org"}, {"email": "b@example.org", "theater": ["Gaza"]}],
            },
            "subscribers[1].theater: unknown key, did you mean 'theaters'?",
        ),
        (
            {**GOOD, "delivery": {"form": "briefs@example.org"}},
            "delivery.form: unknown key, did you mean 'from'?",
        ),
        (
            {**GOOD, "delivery": {"smtp": {"host": "h", "retry": 2}}},
            "delivery.smtp.retry: unknown key, did you mean 'retries'?",
        ),
        ({**GOOD, "fetch": {"concurency": 8}}, "fetch.concurency: unknown key, did you mean 'concurrency'?"),
        ({**GOOD, "taxonomy": {"groupngs": {}}}, "taxonomy.groupngs: unknown key, did you mean 'groupings'?"),
        (
            {**GOOD, "taxonomy": {"actors": {"Jane Doe": {"hom": "Israel"}}}},
            "taxonomy.actors.Jane Doe.hom: unknown key, did you mean 'home'?",
        ),
    ],
)
def test_unknown_key_names_the_nearest_known_one_at_every_level(data, expected):
    assert expected in errors_of(data)


def test_unknown_key_with_nothing_close_lists_the_keys_that_exist():
    msg = errors_of({"sources": [{"name": "A", "url": "https://a.example/", "colour": "red"}]})
    assert msg == "sources[0].colour: unknown key (expected one of: name, url)"


def test_check_prints_the_suggestion_on_one_line(tmp_path):
    r = cli("check", "-c", str(write(tmp_path, {**GOOD, "window_hour": 12})))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"briefing: {tmp_path / 'feeds.yaml'}: window_hour: unknown key, did you mean 'window_hours'?"
    ]


# -- 2. theater names: any case, and help when unknown ------------------------------------------
def test_theater_names_match_whatever_their_case():
    cfg = parse_config(
        {
            **GOOD,
            "taxonomy": {
                "groupings": {"Levant": ["israel", "LEBANON"]},
                "places": {"Zorbtown": "syria"},
                "actors": {"Jane Doe": {"home": "west bank"}},
            },
            "subscribers": [{"email": "a@example.org", "theaters": ["gaza", "WEST BANK", "levant"]}],
        }
    )
    sub = cfg.subscribers[0]
    assert sub.theaters == ("Gaza", "West Bank", "Israel", "Lebanon")
    assert sub.label == "Gaza, West Bank, Levant"  # the edition's name: canonical spelling
    assert cfg.taxonomy == {
        "groupings": {"Levant": ["Israel", "Lebanon"]},
        "places": {"Zorbtown": "Syria"},
        "actors": {"Jane Doe": {"home": "West Bank"}},
    }


def test_tag_accepts_a_theater_in_another_case_like_check_does(tmp_path):
    cfg = write(tmp_path, {**GOOD, "taxonomy": {"places": {"Zorbtown": "syria"}}})
    item = '{"id": "x1", "title": "Air strike kills 5 in Zorbtown, officials say", "summary": ""}\n'
    r = cli("tag", "-c", str(cfg), stdin=item)
    assert r.returncode == 0, r.stderr
    assert '"theaters": ["Syria"]' in r.stdout


def test_unknown_theater_says_did_you_mean_and_where_the_names_are():
    msg = errors_of(
        {
            **GOOD,
            "taxonomy": {"groupings": {"Levant": ["Israel", "Lebanon"]}},
            "subscribers": [{"email": "a@example.org", "theaters": ["Gazza", "Kyiv"]}],
        }
    )
    first, second = msg.split("; ")
    assert first.startswith("subscribers[0].theaters: unknown theater 'Gazza', did you mean 'Gaza'? (")
    # where the full list is (197 names do not fit on a line), and it really is there
    tsv = re.search(r"first column of (\S+theaters\.tsv)", first).group(1)
    names = [
        ln.split("\t")[0]
        for ln in Path(tsv).read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("#")
    ]
    assert "Gaza" in names and f"(valid: the {len(names)} theater names in the first column of " in first
    assert first.endswith(", or a grouping (Levant))")
    # a city is not a theater, but the theater it is in is what was meant
    assert second == "subscribers[0].theaters: unknown theater 'Kyiv', did you mean 'Ukraine'?"


def test_unknown_theater_in_a_grouping_is_caught_with_a_suggestion(tmp_path):
    r = cli(
        "check",
        "-c",
        str(write(tmp_path, {**GOOD, "taxonomy": {"groupings": {"Levant": ["Israel", "Lebanonn"]}}})),
    )
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "taxonomy.groupings.Levant[1]: unknown theater 'Lebanonn', did you mean 'Lebanon'?" in r.stderr


# -- 3. URLs are checked as URLs ---------------------------------------------------------------
@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://example.org/world news.xml", "contains a space"),
        ("https://exa mple.org/rss", "contains a space"),
        ("https://example.org/rss\x07", "contains a control character or line break (U+0007)"),
        ("https://example.org/\u2028rss", "contains a control character or line break (U+2028)"),
        ("https:///rss.xml", "no host (expected https://host/path)"),
        ("https:/example.org/rss", "no host (expected https://host/path)"),
        ("https://", "no host (expected https://host/path)"),
        ("example.org/rss", "no scheme (start it with https:// or http://)"),
        ("ftp://example.org/rss", "scheme 'ftp:' is not http: or https:"),
        ("file:///etc/passwd", "scheme 'file:' is not http: or https:"),
        ("https://example.org:99999/rss", "invalid port '99999'"),
        ("https://example.org:8o8o/rss", "invalid port '8o8o'"),
        ("https://exa<mple.org/rss", "not a valid host name 'exa<mple.org'"),
        ("http://[::1/rss", "unbalanced [ ] around the host"),
    ],
)
def test_a_source_url_that_is_not_a_url_is_an_error_with_its_path(url, reason):
    data = {"sources": [{"name": "A", "url": "https://a.example/rss"}, {"name": "B", "url": url}]}
    assert errors_of(data) == f"sources[1].url: not a valid http(s) URL: {reason}"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/rss?a=1&b=2",
        "http://127.0.0.1:8123/demo.xml",
        "http://[::1]:8080/feed",
        "https://bücher.example/feed",
        "HTTPS://EXAMPLE.ORG/RSS",
        "https://user@example.org/feed",
    ],
)
def test_real_feed_urls_still_pass(url):
    assert parse_config({"sources": [{"name": "A", "url": url}]}).sources[0].url == url


def test_check_refuses_a_url_with_a_space_and_the_shipped_config_still_loads(tmp_path):
    data = {
        "sources": [{"name": f"S{i}", "url": f"https://s{i}.example/rss"} for i in range(3)]
        + [{"name": "Bad", "url": "https://example.org/world news.xml"}]
    }
    r = cli("check", "-c", str(write(tmp_path, data)))
    assert r.returncode == 2
    assert r.stderr.strip().endswith("sources[3].url: not a valid http(s) URL: contains a space")
    assert len(load_config(ROOT / "feeds.yaml").sources) >= 15


# -- 4. --help ---------------------------------------------------------------------------------
COMMANDS = ["run", "tag", "send", "status", "serve", "schedule", "check", "demo"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_says_what_it_does_and_shows_defaults(command):
    r = cli(command, "--help")
    assert r.returncode == 0 and r.stderr == ""
    usage, description = r.stdout.split("\n\n")[:2]
    assert usage.startswith(f"usage: briefing {command}")
    assert len(description.split()) >= 12, r.stdout  # a sentence or two, not a usage line
    assert "-c FILE, --config FILE" in r.stdout and "(default: ./feeds.yaml)" in r.stdout
    # every option but --help and required ones says what happens when it is left out
    sub = next(a for a in parser()._subparsers._group_actions[0].choices.items() if a[0] == command)[1]
    for action in sub._actions:
        if action.dest in ("help",) or action.required:
            continue
        assert action.help and "(default:" in action.help, (command, action.dest, action.help)


def test_tag_help_is_the_full_help_not_a_usage_line():
    out = cli("tag", "--help").stdout
    assert "Tag news items offline" in out
    assert "--jobs N" in out and "FILE" in out and "(default: -, standard input)" in out


# -- 5. status: the configured zone, and plurals ------------------------------------------------
def test_status_shows_local_times_and_counts_in_plain_english(tmp_path, feed_server):
    now = datetime.now(UTC)
    feed_server.add(
        "/a.xml",
        rss(
            "Wire",
            [
                (
                    "Air strike kills 5 in Rafah, officials say",
                    "Warplanes struck a house in Rafah.",
                    "https://wire.example/1",
                    now - timedelta(hours=1),
                )
            ],
        ),
    )
    feed_server.add("/b.xml", b"down", status=503, content_type="text/plain")
    cfg = write(
        tmp_path,
        {
            "timezone": "Asia/Tokyo",
            "output_dir": str(tmp_path / "out"),
            "sources": [
                {"name": "Wire A", "url": feed_server.url("/a.xml")},
                {"name": "Wire B", "url": feed_server.url("/b.xml")},
            ],
            "subscribers": [{"email": "desk@example.org"}],
            "fetch": {"deadline": 3},
        },
    )
    assert cli("run", "-c", str(cfg)).returncode == 0

    out = cli("status", "-c", str(cfg)).stdout
    tokyo = ZoneInfo("Asia/Tokyo")
    minutes = {(now + timedelta(minutes=m)).astimezone(tokyo).strftime("%d %b %H:%M") for m in range(0, 4)}
    run_line = next(ln for ln in out.splitlines() if ln.startswith("  #1 "))
    assert any(f"#1 {m} Asia/Tokyo" in run_line for m in minutes), out
    assert "1 source ok, 1 failed; 1 new item; 1 event" in run_line, out
    assert "sent after 1 attempt\n" in out or out.rstrip().endswith("sent after 1 attempt"), out
    assert "Wire B: HTTP 503" in out and "(1 failure in a row, since " in out, out
    assert re.search(
        r"Next scheduled run: \d\d [A-Z][a-z]{2} 06:00 Asia/Tokyo \(cron '0 6 \* \* \*'\)", out
    ), out
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", out), out  # no UTC ISO stamps
    assert "(s)" not in out and "1 failures" not in out

    assert cli("run", "--no-send", "-c", str(cfg)).returncode == 0
    out = cli("status", "-c", str(cfg)).stdout
    assert "(2 failures in a row, since " in out, out


def test_log_json_writes_one_json_object_a_line_for_cron(tmp_path, feed_server):
    import json as _json

    feed_server.add("/a.xml", b"gone", status=404, content_type="text/plain")
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        f"output_dir: {tmp_path / 'out'}\nsources:\n  - {{name: Wire A, url: '{feed_server.url('/a.xml')}'}}\n"
    )
    p = subprocess.run(
        [sys.executable, "-m", "briefing.cli", "run", "-c", str(cfg), "--no-send", "--log-json"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    records = [_json.loads(line) for line in p.stderr.splitlines() if line.startswith("{")]
    messages = [r["message"] for r in records]
    assert any(m.startswith("fetch: 0 sources ok, 1 failed") for m in messages)  # progress, as JSON
    assert any("Wire A" in m and "404" in m for m in messages)  # the fetch log
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert not [line for line in p.stderr.splitlines() if line.startswith("  fetch:")]  # not twice


def test_a_briefing_error_is_one_line_with_its_exit_code(tmp_path):
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text("sources: []\nwindow_hour: 3\n")
    p = subprocess.run(
        [sys.executable, "-m", "briefing.cli", "run", "-c", str(cfg)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
