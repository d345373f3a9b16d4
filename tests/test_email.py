"""The subscriber's email as a reader gets it (issue 13, editions and email): editions named for
people (the subscriber's label, else the filters, never a hash) in the PDF's title, the wording
and the attachment's name; List-Id and List-Unsubscribe headers; and the HTML part rendered in
headless Chromium at desktop and phone widths: styled, readable, nothing fetched, nothing
sticking out of a 390 px screen.

One real pipeline run (feeds on loopback → … → outbox) serves every test. Set
EMAIL_SCREENSHOTS=DIR to keep the screenshots."""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import tempfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from builders import ago, rss
from feedserver import FeedServer
from pypdf import PdfReader

from briefing.brief.editions import Edition, edition_of
from briefing.config import parse_config
from briefing.output.deliver import list_headers
from briefing.pipeline import run

NOW = datetime(2026, 3, 10, 5, 30, tzinfo=UTC)
DATE = "2026-03-10"
HASH = re.compile(r"\b[0-9a-f]{6}\b")  # Edition.key's digest, e.g. 'b1582e'

FEED = rss(
    "Test Wire",
    [
        (
            "Israeli air strikes kill 9 in Rafah, Gaza health officials say",
            "Israeli warplanes struck a residential block in Rafah overnight, killing nine people.",
            "https://test-wire.example/rafah",
            ago(NOW, 3),
        ),
        (
            "Four killed as Israeli forces raid Jenin camp",
            "Israeli forces raided the Jenin refugee camp in the occupied West Bank, killing four.",
            "https://test-wire.example/jenin",
            ago(NOW, 4),
        ),
        (
            "Hezbollah fires rockets at northern Israel",
            "Hezbollah said it fired a barrage of rockets at Israeli army positions in the Galilee.",
            "https://test-wire.example/galilee",
            ago(NOW, 5),
        ),
        (
            "Israeli drone strike kills 2 in south Lebanon",
            "An Israeli drone struck a car near Tyre in south Lebanon, killing two, Lebanese media said.",
            "https://test-wire.example/tyre",
            ago(NOW, 6),
        ),
        (
            "Russian missile strike on Kharkiv kills 5",
            "Russia fired missiles at Kharkiv overnight, killing five people, Ukrainian officials said.",
            "https://test-wire.example/kharkiv",
            ago(NOW, 7),
        ),
        (
            "Russian drones hit energy facility in Odesa region, Ukraine says",
            "Russian drones struck an energy facility in the Odesa region overnight.",
            "https://test-wire.example/odesa",
            ago(NOW, 8),
        ),
    ],
)

SUBSCRIBERS = [
    {"email": "desk@example.org"},
    {"email": "gaza@example.org", "theaters": ["Gaza", "Israel", "West Bank"]},
    {"email": "levant@example.org", "theaters": ["Lebanon"], "label": "Levant desk"},
]


class Mail:
    def __init__(self, raw: bytes):
        self.raw = raw
        self.msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.text = self.msg.get_body(("plain",)).get_content()
        self.html = self.msg.get_body(("html",)).get_content()
        [self.pdf_part] = [p for p in self.msg.walk() if p.get_content_type() == "application/pdf"]
        self.filename = self.pdf_part.get_filename()
        pdf = PdfReader(BytesIO(self.pdf_part.get_payload(decode=True)))
        self.pdf_first_page = pdf.pages[0].extract_text()


@pytest.fixture(scope="module")
def mails(tmp_path_factory) -> dict[str, Mail]:
    tmp = tmp_path_factory.mktemp("email")
    server = FeedServer()
    try:
        server.add("/wire.xml", FEED)
        server.add("/gone.xml", b"gone", status=404, content_type="text/plain")
        config = parse_config(
            {
                "sources": [
                    {"name": "Test Wire", "url": server.url("/wire.xml")},
                    {"name": "Gone Wire", "url": server.url("/gone.xml")},
                ],
                "output_dir": str(tmp / "out"),
                "timezone": "Europe/London",
                "subscribers": SUBSCRIBERS,
                "delivery": {"from": "briefs@example.org"},
                "fetch": {"deadline": 3},
            },
            tmp,
        )
        result = run(config, now=NOW)
    finally:
        server.close()
    assert [d.status for d in result.deliveries] == ["sent"] * len(SUBSCRIBERS)
    out = {}
    for path in sorted((tmp / "out" / "outbox").glob("*.eml")):
        m = Mail(path.read_bytes())
        out[str(m.msg["To"])] = m
    assert sorted(out) == sorted(s["email"] for s in SUBSCRIBERS)
    return out


# -- edition names -------------------------------------------------------------------------
def test_edition_named_by_its_theaters_in_the_pdf_the_email_and_the_attachment(mails):
    m = mails["gaza@example.org"]
    assert "Morning Security Brief (Gaza, Israel, West Bank edition)" in " ".join(m.pdf_first_page.split())
    assert m.filename == f"brief-{DATE}-gaza-israel-west-bank.pdf"
    for body in (" ".join(m.text.split()), " ".join(m.html.split())):
        assert "Your Gaza, Israel, West Bank edition is attached as a PDF" in body
        assert (
            "The full brief is attached" not in body
            and "full brief, with every source, is attached" not in body
        )
        assert "the full brief covers every theater" in body
    assert "Gaza, Israel, West Bank edition" in m.text.splitlines()[0]
    digest = edition_of(
        parse_config(
            {"sources": [{"name": "A", "url": "http://a.example/x"}], "subscribers": [SUBSCRIBERS[1]]},
            Path("."),
        ).subscribers[0]
    ).key[-6:]
    assert digest == "b1582e"
    words = re.sub(r"<[^>]*>", " ", m.html)  # what the HTML part shows, not its colours
    for shown in (m.pdf_first_page, m.text, words, m.filename, str(m.msg["Subject"])):
        assert digest not in shown and not HASH.search(shown), HASH.search(shown)


def test_the_subscribers_label_names_the_edition(mails):
    m = mails["levant@example.org"]
    assert "(Levant desk edition)" in " ".join(m.pdf_first_page.split())
    assert m.filename == f"brief-{DATE}-levant-desk.pdf"
    for body in (m.text, m.html):
        assert "Your Levant desk edition is attached as a PDF" in " ".join(body.split())
    assert str(m.msg["Subject"]).endswith("(Levant desk)")


def test_the_full_brief_keeps_its_name(mails):
    m = mails["desk@example.org"]
    assert m.filename == f"brief-{DATE}.pdf"
    assert (
        "The full brief is attached as a PDF" in " ".join(m.text.split())
        and "edition" not in m.text.splitlines()[0]
    )
    assert "edition)" not in m.pdf_first_page


def test_edition_names_describe_filters_without_a_label():
    def sub(**kw):
        return parse_config(
            {
                "sources": [{"name": "A", "url": "http://a.example/x"}],
                "subscribers": [{"email": "a@example.org", **kw}],
            },
            Path("."),
        ).subscribers[0]

    assert edition_of(sub(theaters=["west bank", "Gaza", "Israel"])).name == "Gaza, Israel, West Bank edition"
    assert edition_of(sub(actors=["Hezbollah", "Hamas"])).name == "Hamas, Hezbollah edition"
    assert (
        edition_of(sub(theaters=["Gaza"], actors=["Hamas"], min_severity=7)).name
        == "Gaza edition, involving Hamas; high severity only"
    )
    assert edition_of(sub(min_severity=4.5)).name == "Medium and high severity edition"
    assert edition_of(sub(min_severity=3)).name == "Severity 3 and above edition"
    assert edition_of(sub(theaters=["Gaza"], label="Gaza desk edition")).name == "Gaza desk edition"
    assert edition_of(sub()).name == ""
    # the file/ledger key is what it was: deliveries already recorded keep matching
    assert Edition(("Gaza", "Israel", "West Bank")).key == "gaza-israel-west-bank-b1582e"
    assert (
        edition_of(sub(theaters=["Gaza", "Israel", "West Bank"], label="Anything")).key
        == "gaza-israel-west-bank-b1582e"
    )


# -- headers -------------------------------------------------------------------------------
def test_list_id_and_list_unsubscribe(mails):
    for m in mails.values():
        assert m.msg["List-Id"] == '"Morning Security Brief" <briefing.example.org>'
        assert m.msg["List-Unsubscribe"] == "<mailto:briefs@example.org?subject=unsubscribe>"
        assert "List-Unsubscribe-Post" not in m.msg  # one-click needs an https URL: none
        assert 'write to briefs@example.org with the subject "unsubscribe"' in " ".join(m.text.split())


def test_list_headers_quote_the_title_and_stay_one_line():
    h = list_headers("news+brief@desk.example.org", 'The "Daily" \\ Brief')
    assert h["List-Id"] == '"The \\"Daily\\" \\\\ Brief" <briefing.desk.example.org>'
    assert h["List-Unsubscribe"] == "<mailto:news+brief@desk.example.org?subject=unsubscribe>"
    msg = email.message.EmailMessage()
    for k, v in list_headers("briefs@example.org", "Sicherheitslage — Morgen, früh").items():
        msg[k] = v
    raw = msg.as_bytes()
    assert raw.isascii() and b"<briefing.example.org>" in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert str(parsed["List-Id"]) == "Sicherheitslage — Morgen früh <briefing.example.org>"


# -- the HTML part in Chromium ---------------------------------------------------------------
@pytest.fixture(scope="module")
def chrome():
    try:
        from .test_serve_browser import CHROMIUM, Chromium
    except ImportError:
        from test_serve_browser import CHROMIUM, Chromium
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    # Chromium reads its pipe on fds 3 and 4: keep those numbers taken so that the pipes get
    # others (a pipe already on fd 3 would be closed on exec).
    hold = [os.open(os.devnull, os.O_RDONLY) for _ in range(3)]
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        c = Chromium(profile)
    finally:
        for fd in hold:
            os.close(fd)
    c.call("Network.enable", session=True)
    yield c
    c.close()
    shutil.rmtree(profile, ignore_errors=True)


def _drain(c) -> list[dict]:
    while not c.events.empty():
        c.seen.append(c.events.get())
    return c.seen


VISIBLE = """(sel) => [...document.querySelectorAll(sel)].filter(e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; })"""


@pytest.mark.parametrize("who", ["desk@example.org", "gaza@example.org"])
def test_html_part_renders_styled_in_chromium(mails, chrome, tmp_path, who):
    m = mails[who]
    html = m.html
    # mail clients drop <style>, <link> and scripts: nothing may depend on them
    low = html.lower()
    assert "<style" not in low and "<link" not in low and "<script" not in low and "class=" not in low
    assert not re.search(r"\b(src|background)\s*=|url\(|@import", low)
    assert 'border="1"' not in low and "border='1'" not in low
    page = tmp_path / "email.html"
    page.write_text(html, encoding="utf-8")
    shots = Path(os.environ.get("EMAIL_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    name = who.split("@")[0]

    for width, height, mobile in ((1280, 900, False), (390, 844, True)):
        chrome.viewport(width, height, mobile)
        chrome.seen.clear()
        chrome.goto(page.as_uri())
        text = chrome.js("document.body.innerText")
        # a sans-serif face everywhere the reader reads, not the browser's default serif
        fonts = chrome.js(
            "[...document.querySelectorAll('td, th')].filter(e => e.innerText.trim())"
            ".map(e => getComputedStyle(e).fontFamily)"
        )
        assert fonts and all(f.rstrip().endswith("sans-serif") for f in fonts), set(fonts)
        # the header: title, edition, date
        assert text.lstrip().startswith("Morning Security Brief")
        assert "Tuesday 10 March 2026" in text
        # the coverage warning in a coloured box, above the takeaways
        note = chrome.js(
            f"({VISIBLE})('td').filter(e => e.innerText.startsWith('Partial coverage'))"
            ".map(e => getComputedStyle(e).backgroundColor)"
        )
        assert note and note[-1] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), note  # the innermost cell
        assert text.index("Partial coverage") < text.index("KEY TAKEAWAYS") < text.index("BY THEATER")
        # every takeaway, visible
        for takeaway in (
            "Israeli air strikes kill 9 in Rafah",
            "Four killed as Israeli forces raid Jenin camp",
        ):
            assert chrome.js(f"({VISIBLE})('td div').some(e => e.innerText.includes({takeaway!r}))"), takeaway
        # the per-theater table: a header row and one row per theater, ruled, no border=1 grid
        rows = chrome.js(
            "(() => { const t = [...document.querySelectorAll('table')].find(t => "
            "t.rows[0] && t.rows[0].cells[0].tagName === 'TH' && t.rows[0].cells[0].innerText.trim() === 'Theater');"
            "return t && [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim())); })()"
        )
        assert rows[0] == ["Theater", "Incidents", "Threats", "Deployments"]
        assert any(r[0] == "Gaza" for r in rows[1:]) and all(len(r) == 4 for r in rows)
        assert ("Ukraine" in [r[0] for r in rows]) == (who == "desk@example.org")
        assert "Sources that failed: Gone Wire" in text
        assert "attached as a PDF" in text and m.filename in text
        # nothing sticks out sideways, nothing is fetched
        assert chrome.js("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
        assert chrome.js(
            f"({VISIBLE})('*').every(e => e.getBoundingClientRect().right <= window.innerWidth + 1)"
        )
        assert chrome.js("performance.getEntriesByType('resource').length") == 0
        fetched = [
            e["params"]["request"]["url"]
            for e in _drain(chrome)
            if e["method"] == "Network.requestWillBeSent"
        ]
        assert fetched == [page.as_uri()], fetched
        if who == "gaza@example.org":
            assert text.index("Gaza, Israel, West Bank edition") < text.index("Tuesday 10 March 2026")
        chrome.screenshot(shots / f"email-{name}-{'phone' if mobile else 'desktop'}.png")


def test_the_all_sources_failed_notice_carries_the_list_headers_too():
    from briefing.model import Brief, Coverage, SourceStatus
    from briefing.output.deliver import build_message

    config = parse_config(
        {
            "sources": [{"name": "A", "url": "http://a.example/x"}],
            "subscribers": [{"email": "a@example.org", "theaters": ["Gaza"]}],
            "delivery": {"from": "briefs@example.org"},
        },
        Path("."),
    )
    brief = Brief(
        "Morning Security Brief",
        DATE,
        "UTC",
        NOW,
        NOW,
        NOW,
        (),
        (SourceStatus("A", "http://a.example/x", False, "HTTP 503", 0),),
        coverage=Coverage(total=1, failed=("A",)),
    )
    msg = build_message(config, config.subscribers[0], brief, None)
    assert msg["List-Id"] == '"Morning Security Brief" <briefing.example.org>'
    assert msg["List-Unsubscribe"] == "<mailto:briefs@example.org?subject=unsubscribe>"
    assert not list(msg.iter_attachments()) and "HTTP 503" in msg.get_content()
