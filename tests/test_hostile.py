"""Hostile feeds (tests/hostile_feeds.py) through the whole pipeline, next to two good feeds.

One full run (fetch → … → PDF → outbox) in a child process over the whole corpus, so peak RSS
is measured with ``resource.getrusage``; then one assertion family per case. The big cases
(gzip bomb, 50 MB body, 100,000 items) are also run alone for their own peak memory.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

try:
    from .feedserver import FeedServer
    from .hostile_feeds import LOCAL_SECRET, Corpus, register
except ImportError:
    from feedserver import FeedServer
    from hostile_feeds import LOCAL_SECRET, Corpus, register

NOW = datetime(2026, 3, 10, 6, 0, 30, 123456, tzinfo=UTC)
DATE = "2026-03-10"
RSS_LIMIT_MB = 500
ROOT = Path(__file__).resolve().parent.parent

# The child: the real pipeline with send=True (outbox, no SMTP), then its own peak RSS.
CHILD = r"""
import json, resource, sys, time
from datetime import datetime
from briefing.config import load_config
from briefing.pipeline import run
cfg, now, send = sys.argv[1], datetime.fromisoformat(sys.argv[2]), sys.argv[3] == "1"
t = time.monotonic()
result = run(load_config(cfg), now=now, send=send)
print(json.dumps({"wall": time.monotonic() - t,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "ok": result.sources_ok, "failed": result.sources_failed,
                  "deliveries": [d.status for d in result.deliveries]}))
"""


def write_config(folder: Path, server: FeedServer, sources: dict[str, str]) -> Path:
    data = {
        "title": "Hostile Test Brief",
        "timezone": "UTC",
        "output_dir": str(folder / "out"),
        "sources": [{"name": n, "url": server.url(p)} for n, p in sources.items()],
        "subscribers": [{"email": "desk@example.org"}, {"email": "gaza@example.org", "theaters": ["Gaza"]}],
        "delivery": {"from": "briefs@example.org"},
        "fetch": {"deadline": 3, "read_timeout": 2, "connect_timeout": 1, "concurrency": 32},
    }
    path = folder / "feeds.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def run_child(cfg: Path, send: bool = True, timeout: float = 90) -> dict:
    r = subprocess.run(
        [sys.executable, "-c", CHILD, str(cfg), NOW.isoformat(), "1" if send else "0"],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr[-3000:]  # exit-0 semantics: the brief was produced
    return json.loads(r.stdout.strip().splitlines()[-1])


class Run:
    def __init__(self, corpus: Corpus, server: FeedServer, out: Path, stats: dict):
        self.corpus, self.server, self.out, self.stats = corpus, server, out, stats
        folder = out / DATE
        self.html = (folder / "brief.html").read_text()
        self.json_text = (folder / "brief.json").read_text()
        self.data = json.loads(self.json_text)
        self.sources = {s["name"]: s for s in self.data["sources"]}
        self.pdfs = [folder / "brief.pdf", *sorted((folder / "editions").glob("*.pdf"))]
        self.emls = sorted((out / "outbox").glob("*.eml"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    server = FeedServer()
    try:
        corpus = register(server, NOW)
        sources = {**corpus.good, **{c.name: c.path for c in corpus.cases}}
        stats = run_child(write_config(folder, server, sources))
        yield Run(corpus, server, folder / "out", stats)
    finally:
        server.close()


def case_names() -> list[str]:
    with FeedServer() as s:
        return [c.name for c in register(s, NOW).cases]


XFAIL: dict[str, str] = {}  # fixed upstream: Redirect js (InvalidURL blamed the feed URL)
CASES = [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=XFAIL[n])) if n in XFAIL else n
    for n in case_names()
]


# -- the run as a whole -----------------------------------------------------------------------
def test_run_finishes_with_good_events_and_bounded_memory(hostile):
    st = hostile.stats
    assert st["maxrss_mb"] < RSS_LIMIT_MB, st
    assert st["wall"] < 45, st
    assert st["deliveries"] == ["sent", "sent"]
    events = hostile.data["events"]
    cited = {s["name"] for e in events for s in e["sources"]}
    assert {"Good One", "Good Two"} <= cited
    texts = " ".join(e["text"] for e in events)
    for needle in ("Khan Younis", "Hodeidah", "Hezbollah", "destroyer"):
        assert needle in texts
    assert hostile.sources["Good One"]["ok"] and hostile.sources["Good Two"]["ok"]


@pytest.mark.parametrize("name", CASES)
def test_case_outcome_is_a_clean_per_feed_result(hostile, name):
    case = next(c for c in hostile.corpus.cases if c.name == name)
    src = hostile.sources[name]
    if case.expect == "error":
        assert src["ok"] is False and src["error"], src
    elif case.expect == "ok":
        assert src["ok"] is True, src
    if not src["ok"]:
        assert "\n" not in src["error"] and len(src["error"]) <= 300, src["error"]
        if case.reason:
            assert case.reason.lower() in src["error"].lower(), src["error"]


def test_server_never_received_canary_requests(hostile):
    """No XXE target, tracking pixel, stylesheet, enclosure… was ever requested by anything."""
    hit = {p for p, _ in hostile.server.requests if p in hostile.corpus.canaries}
    assert not hit, hit
    # Only configured feed paths (and redirect hops) were requested at all.
    allowed = (
        set(hostile.corpus.good.values())
        | {c.path for c in hostile.corpus.cases}
        | {"/loop-b", *(f"/chain{i}" for i in range(7))}
    )
    assert {p for p, _ in hostile.server.requests} <= allowed


# -- nothing leaks ------------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            if k in ("href", "src", "srcset", "action", "formaction", "poster", "data", "background") and v:
                self.urls.append((tag, k, v))
            assert not k.startswith("on"), (tag, k, v)


def _bad_url(url: str) -> bool:
    u = re.sub(r"[\x00-\x20]", "", url).lower()
    return not (
        u.startswith(("http://", "https://", "#"))
        or u in ("brief.css", "static/brief.css")
        or u.endswith(".css")
        and "//" not in u
    )


def test_html_has_no_active_content_or_bad_links(hostile):
    html = hostile.html
    p = _Links()
    p.feed(html)
    assert not ({"script", "iframe", "object", "embed", "img", "base", "video", "form"} & p.tags), p.tags
    bad = [u for u in p.urls if _bad_url(u[2])]
    assert not bad, bad
    for tag, attr, url in p.urls:  # no link or resource pointing at our loopback canaries
        assert not any(url.endswith(c) for c in hostile.corpus.canaries), url
        if tag != "a":
            assert "127.0.0.1" not in url and "169.254" not in url, (tag, attr, url)
    low = html.lower()
    for needle in (
        "<script",
        "javascript:alert",
        "javascript:void",
        "vbscript:",
        "file:/",
        "data:text",
        "onerror",
        "onload",
        LOCAL_SECRET,
        "pwned",
        "inner frame text",
    ):
        assert needle not in low, needle


def test_json_links_are_http_and_text_is_inert(hostile):
    for e in hostile.data["events"]:
        for s in e["sources"]:
            assert s["link"] == "" or s["link"].startswith(("http://", "https://")), s
            assert "<" not in s["title"] or "<script" not in s["title"].lower()
        assert "<script" not in e["text"].lower()
    low = hostile.json_text.lower()
    for needle in (
        "javascript:alert",
        "javascript:void",
        "vbscript:",
        "file:/",
        "data:text",
        LOCAL_SECRET,
        "pwned",
        "\\u0000",
        "\\u202e",
    ):
        assert needle not in low, needle


def test_pdfs_have_no_bad_links_or_local_files(hostile):
    for path in hostile.pdfs:
        reader = PdfReader(path)
        text = "\n".join(pg.extract_text() for pg in reader.pages)
        assert LOCAL_SECRET not in text and "pwned" not in text
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                a = annot.get_object()
                uri = (a.get("/A") or {}).get("/URI")
                if uri:
                    assert str(uri).startswith(("http://", "https://")), uri
                assert a.get("/Subtype") != "/FileAttachment", a
        assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))


def test_emails_headers_carry_no_feed_text(hostile):
    assert len(hostile.emls) == 2
    for path in hostile.emls:
        raw = path.read_bytes()
        head = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
        assert b"evil" not in head.lower() and b"Bcc" not in head and b"X-Evil" not in head, head
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert set(k.lower() for k in msg.keys()) <= {
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "mime-version",
            "content-type",
            "list-id",
            "list-unsubscribe",
        }
        # the list headers are built from the configuration (title, From address) alone
        assert msg["List-Id"] == '"Hostile Test Brief" <briefing.example.org>'
        assert msg["List-Unsubscribe"] == "<mailto:briefs@example.org?subject=unsubscribe>"
        # the subject is ours alone: the coverage warning (half the hostile feeds fail) and the title
        assert re.fullmatch(
            rf"\[PARTIAL: \d+ of \d+ sources failed\] Hostile Test Brief — {DATE}( \(\w+\))?",
            str(msg["Subject"]),
        ), msg["Subject"]
        for part in msg.walk():
            if part.get_content_type() == "text/html":
                p = _Links()
                p.feed(part.get_content())
                assert not [u for u in p.urls if _bad_url(u[2])] and "script" not in p.tags
            if part.get_content_type() in ("text/plain", "text/html"):
                body = part.get_content().lower()
                assert "javascript:alert" not in body and LOCAL_SECRET not in body and "<script" not in body


def test_no_stray_files_in_output(hostile):
    folder = hostile.out / DATE
    names = {p.name for p in folder.iterdir()}
    assert names <= {"brief.html", "brief.pdf", "brief.json", "editions"}, names


def test_undated_items_appear_in_the_brief_of_the_run_that_first_saw_them(hostile):
    titles = " ".join(s["title"] for e in hostile.data["events"] for s in e["sources"])
    for tag in ("missing", "1900", "9999", "garbage"):
        assert f"[{tag}]" in titles, tag
    assert hostile.sources["100k items"]["items"] > 0


# -- the big cases, alone, for their own peak memory -------------------------------------------
@pytest.mark.parametrize("name", ["Gzip bomb", "50 MB chunked", "100k items"])
def test_big_case_alone_stays_within_memory(tmp_path, name):
    with FeedServer() as server:
        corpus = register(server, NOW)
        case = next(c for c in corpus.cases if c.name == name)
        cfg = write_config(tmp_path, server, {**corpus.good, name: case.path})
        stats = run_child(cfg, send=False)
    assert stats["maxrss_mb"] < RSS_LIMIT_MB, stats
    assert stats["ok"] >= 2, stats
    data = json.loads((tmp_path / "out" / DATE / "brief.json").read_text())
    assert {"Good One", "Good Two"} <= {s["name"] for e in data["events"] for s in e["sources"]}
