"""parse_feed on feeds served by a real loopback server and fetched by fetch_all."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from briefing.ingest.fetch import FetchSettings, fetch_all
from briefing.ingest.parse import MAX_ITEMS, clean_text, parse_feed, safe_url
from briefing.model import Fetched, Source

NOW = datetime(2026, 2, 18, 6, 0, tzinfo=UTC)
SETTINGS = FetchSettings(connect_timeout=1, read_timeout=2, deadline=5)

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Desk Wire</title><link>https://wire.test/</link>
<item><title>Drone strike reported near Khan Younis</title>
  <link>https://wire.test/news/1</link><guid isPermaLink="false">wire-2026-0001</guid>
  <pubDate>Tue, 17 Feb 2026 21:15:00 +0200</pubDate>
  <description>&lt;p&gt;Local officials said &lt;b&gt;two&lt;/b&gt; vehicles were hit.&lt;/p&gt;</description></item>
<item><title>Ceasefire talks resume in Cairo</title><link>https://wire.test/news/2</link>
  <guid>https://wire.test/news/2</guid><pubDate>Wed, 18 Feb 2026 04:00:00 GMT</pubDate>
  <description>Delegations met for a third day.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ministry releases</title><id>urn:x:feed</id>
<updated>2026-02-18T03:00:00+03:00</updated>
<entry><title type="html">Statement on &lt;i&gt;border&lt;/i&gt; incident</title>
  <id>tag:ministry.test,2026:release-77</id>
  <link rel="alternate" href="https://ministry.test/releases/77"/>
  <updated>2026-02-18T03:00:00+03:00</updated>
  <content type="html">&lt;div&gt;Troops &lt;em&gt;repelled&lt;/em&gt; an incursion.&lt;/div&gt;</content></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://monitor.test/"><title>Monitor</title><link>https://monitor.test/</link>
  <items><rdf:Seq><rdf:li rdf:resource="https://monitor.test/r/5"/></rdf:Seq></items></channel>
<item rdf:about="https://monitor.test/r/5"><title>Shelling in Donetsk oblast</title>
  <link>https://monitor.test/r/5</link><dc:date>2026-02-17T10:30:00Z</dc:date>
  <description>Monitors recorded 40 explosions.</description></item>
</rdf:RDF>"""


def rss(items: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
        f"{items}</channel></rss>"
    ).encode()


def served(feed_server, body: bytes, path: str = "/feed.xml", **kw):
    """Serve ``body``, fetch it for real, parse it."""
    url = feed_server.add(path, body, **kw)
    [fetched] = fetch_all([Source("Desk", url)], settings=SETTINGS)
    assert fetched.ok, fetched.error
    return parse_feed(fetched, NOW)


def test_rss2_items(feed_server):
    feed = served(feed_server, RSS2)
    assert feed.error is None and len(feed.items) == 2
    first, second = feed.items
    assert first.source == "Desk"
    assert first.title == "Drone strike reported near Khan Younis"
    assert first.summary == "Local officials said two vehicles were hit."
    assert first.link == "https://wire.test/news/1"
    assert first.published == datetime(2026, 2, 17, 19, 15, tzinfo=UTC) and first.dated
    assert first.uid == f"guid:{feed_server.url('/feed.xml')}#wire-2026-0001"  # bare guid: namespaced
    assert second.uid == "guid:https://wire.test/news/2"
    assert second.published.tzinfo is UTC


def test_atom_entry(feed_server):
    [item] = served(feed_server, ATOM, content_type="application/atom+xml").items
    assert item.title == "Statement on border incident"
    assert item.summary == "Troops repelled an incursion."
    assert item.link == "https://ministry.test/releases/77"
    assert item.uid == "guid:tag:ministry.test,2026:release-77"
    assert item.published == datetime(2026, 2, 18, 0, 0, tzinfo=UTC)


def test_rdf_item(feed_server):
    [item] = served(feed_server, RDF, content_type="application/rdf+xml").items
    assert (item.title, item.link) == ("Shelling in Donetsk oblast", "https://monitor.test/r/5")
    assert item.published == datetime(2026, 2, 17, 10, 30, tzinfo=UTC)


def test_broken_xml_still_yields_entries(feed_server):
    body = rss(
        "<item><title>Raid in Jenin &nbsp; camp</title><link>https://x.test/1</link>"
        "<description>Unclosed <b>bold</description></item>"
        "<item><title>Second</title><link>https://x.test/2</link></item>"
    )
    feed = served(feed_server, body.replace(b"</channel></rss>", b""))  # truncated document
    assert feed.error is None
    assert [i.title for i in feed.items] == ["Raid in Jenin camp", "Second"]


def test_garbage_and_empty_bodies_are_clean_errors(feed_server):
    garbage = served(feed_server, b"\x89PNG\r\n\x1a\n\x00\x00binary junk <<<>>>", content_type="image/png")
    assert garbage.items == () and garbage.error.startswith("not a feed: ")
    json_feed = served(
        feed_server,
        b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
        path="/feed.json",
        content_type="application/feed+json",
    )
    assert json_feed.error == "not a feed (JSON, not RSS/Atom/RDF)"
    empty = served(feed_server, b"   \n", path="/empty")
    assert empty.error == "not a feed: empty response"


def test_html_page_is_not_a_feed(feed_server):
    page = (
        b"<!DOCTYPE html><html><head><title>Subscribe</title></head><body>"
        b"<h1>Our news</h1><a href='/a'>story</a></body></html>"
    )
    feed = served(feed_server, page, content_type="text/html; charset=utf-8")
    assert feed.items == () and feed.error == "not a feed (got an HTML page)"


def test_valid_empty_feed_is_not_an_error(feed_server):
    feed = served(feed_server, rss(""))
    assert feed.items == () and feed.error is None


def test_missing_and_absurd_dates_fall_back_to_now(feed_server):
    body = rss(
        "<item><title>No date</title><link>https://x.test/1</link></item>"
        "<item><title>Old</title><link>https://x.test/2</link><pubDate>Mon, 01 Jan 1900 00:00:00 GMT</pubDate></item>"
        "<item><title>Future</title><link>https://x.test/3</link><pubDate>Fri, 31 Dec 9999 23:00:00 GMT</pubDate></item>"
        "<item><title>Tomorrow</title><link>https://x.test/4</link><pubDate>Thu, 19 Feb 2026 06:00:00 GMT</pubDate></item>"
        "<item><title>Junk</title><link>https://x.test/5</link><pubDate>not a date</pubDate></item>"
    )
    items = {i.title: i for i in served(feed_server, body).items}
    for title in ("No date", "Old", "Future", "Junk"):
        assert (items[title].published, items[title].dated) == (NOW, False), title
    assert items["Tomorrow"].dated and items["Tomorrow"].published == datetime(2026, 2, 19, 6, tzinfo=UTC)


def test_relative_links_resolve_against_final_url(feed_server):
    body = rss(
        "<item><title>A</title><link>/news/a.html</link></item>"
        "<item><title>B</title><link>b.html</link></item>"
    )
    feed_server.add("/feeds/world/rss.xml", body)
    feed_server.add_redirect("/old-rss", "/feeds/world/rss.xml")  # the feed moved
    [fetched] = fetch_all([Source("Desk", feed_server.url("/old-rss"))], settings=SETTINGS)
    a, b = parse_feed(fetched, NOW).items
    assert a.link == feed_server.url("/news/a.html")
    assert b.link == feed_server.url("/feeds/world/b.html")


def test_hostile_markup_becomes_plain_text(feed_server):
    summary = (
        "<![CDATA[<p>Intro\x00 &amp; more</p><script>document.cookie</script>"
        "<style>body{display:none}</style><iframe src='https://evil.test'>frame text</iframe>"
        "<img src='file:///etc/passwd' onerror='alert(1)'><a href='javascript:alert(2)'>click</a>"
        "<p>Second\u202e   paragraph\r\nline</p>]]>"
    )
    body = rss(
        f"<item><title><![CDATA[<script>alert(3)</script>Blast at <b>depot</b>\r\nBcc: x@evil.test]]></title>"
        f"<link>https://x.test/1</link><description>{summary}</description></item>"
    )
    [item] = served(feed_server, body).items
    assert item.title == "Blast at depot Bcc: x@evil.test"  # one line: no header injection
    assert item.summary == "Intro & more click Second paragraph line"
    for bad in ("<", "script", "cookie", "display", "frame text", "\x00", "\u202e", "\n"):
        assert bad not in item.title + item.summary


def test_dangerous_links_dropped_and_uid_fallbacks(feed_server):
    body = rss(
        "<item><title>JS</title><link>javascript:alert(1)</link></item>"
        "<item><title>File</title><link>file:///etc/passwd</link></item>"
        "<item><title>Data</title><link>data:text/html;base64,PHNjcmlwdD4=</link></item>"
        "<item><title>Tabbed</title><link>java\tscript:alert(1)</link></item>"
        "<item><title>Good</title><link>https://x.test/good</link></item>"
    )
    items = served(feed_server, body).items
    assert [i.link for i in items] == ["", "", "", "", "https://x.test/good"]
    assert items[4].uid == "link:https://x.test/good"
    assert items[0].uid.startswith("sha1:") and len({i.uid for i in items}) == 5
    again = served(feed_server, body, path="/copy.xml").items  # stable across runs
    assert [i.uid for i in again] == [i.uid for i in items]


def test_lengths_and_item_count_are_capped(feed_server):
    long_item = f"<item><title>{'T' * 2000}</title><description>{'word ' * 3000}</description></item>"
    many = "".join(f"<item><title>n{i}</title><guid>urn:n:{i}</guid></item>" for i in range(100_000))
    body = rss(long_item + many)
    assert 3_000_000 < len(body) < 10_000_000
    t0 = time.monotonic()
    feed = served(feed_server, body)
    assert time.monotonic() - t0 < 4  # entries past the cap are never parsed (~15 s if they were)
    assert len(feed.items) == MAX_ITEMS and feed.items[-1].title == f"n{MAX_ITEMS - 2}"
    assert len(feed.items[0].title) == 500 and feed.items[0].title.endswith("…")
    assert len(feed.items[0].summary) <= 5000


def test_deeply_nested_markup_stays_fast(feed_server):
    # html5ever is quadratic on nested <div>s: 30,000 deep took ~2 s per summary before flattening
    summary = "&lt;div&gt;" * 30_000 + "Payload text"
    body = rss(
        "".join(f"<item><title>n{i}</title><description>{summary}</description></item>" for i in range(5))
    )
    t0 = time.monotonic()
    feed = served(feed_server, body)
    assert time.monotonic() - t0 < 3  # ~10 s without the flattening
    assert [i.title for i in feed.items] == [f"n{i}" for i in range(5)]


def test_broken_feed_without_usable_entries_is_an_error(feed_server):
    feed = served(feed_server, b"<rss><channel><item><title>trunc", content_type="application/xml")
    assert feed.items == () and feed.error == "not a feed: no element found"


def test_body_naming_a_local_file_is_never_read(feed_server, tmp_path):
    # feedparser.parse(bytes) would open() a body that happens to be a path: ours must not
    secret = tmp_path / "local.xml"
    secret.write_bytes(rss("<item><title>LOCAL SECRET</title></item>"))
    feed = served(feed_server, str(secret).encode(), content_type="text/plain")
    assert feed.items == () and feed.error is not None and "SECRET" not in feed.error


def test_failed_and_not_modified_fetches():
    src = Source("S", "https://x.test/rss")
    failed = parse_feed(Fetched(source=src, ok=False, error="HTTP 404 Not Found"), NOW)
    assert (failed.items, failed.error) == ((), "HTTP 404 Not Found")
    unchanged = parse_feed(Fetched(source=src, ok=True, status=304, not_modified=True), NOW)
    assert (unchanged.items, unchanged.error) == ((), None)


@pytest.mark.parametrize(
    "raw, text",
    [
        ("<p>a</p><p>b</p>", "a b"),
        ("&lt;p&gt;escaped &amp;amp; twice&lt;/p&gt;", "escaped & twice"),
        ("x < y and 5<10 &amp; AT&T", "x < y and 5<10 & AT&T"),
        ("<style>p{}</style><noscript>n</noscript>ok", "ok"),
        ("tab\there\u200b\u2066zero", "tab herezero"),
    ],
)
def test_clean_text(raw, text):
    assert clean_text(raw) == text


@pytest.mark.parametrize(
    "url, expected",
    [
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,hi", ""),
        ("file:///etc/passwd", ""),
        ("ftp://x.test/a", ""),
        ("http://[::1", ""),
        ("/a/b?q=1", "https://feeds.test/a/b?q=1"),
        ("HTTPS://x.test/p", "https://x.test/p"),
        ("//cdn.test/x", "https://cdn.test/x"),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url, "https://feeds.test/rss/index.xml") == expected
    assert safe_url("/relative") == ""  # no base: relative is not usable
