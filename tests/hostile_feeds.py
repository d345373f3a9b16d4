"""A corpus of hostile feeds, generated in code (no third-party text), and the routes serving them.

``register(server, now)`` puts every case on a ``tests.feedserver.FeedServer`` and returns the
``Case`` list; each case names its route, the outcome we expect from the pipeline, and the paths
on *our* server that must never be requested (XXE targets, tracking pixels, stylesheets…).

Outcomes: ``"error"`` — the source is listed as failed with a one-line reason (``reason``, a
substring, when it matters); ``"ok"`` — the source parses (hostile bits neutralised);
``"either"`` — both are acceptable as long as nothing leaks and the run finishes.
"""

from __future__ import annotations

import functools
import gzip
import io
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

# Event-bearing sentences of our own: each names an actor, a place and an act the extractor tags.
GOOD_ONE = [
    (
        "Israeli air strikes kill 12 in Khan Younis",
        "Warplanes struck homes in Khan Younis overnight, killing 12 people, officials said.",
    ),
    (
        "Houthis fire missiles at a cargo ship off Hodeidah",
        "Yemen's Houthi movement said it fired two missiles at a commercial vessel in the Red Sea.",
    ),
]
GOOD_TWO = [
    ("Hezbollah fires rockets at northern Israel", "Rockets hit Kiryat Shmona, wounding three people."),
    (
        "US destroyer arrives in eastern Mediterranean",
        "The Pentagon said a guided-missile destroyer arrived in the eastern Mediterranean.",
    ),
]
EVENT = (
    "Militants attack army checkpoint in Sinai, killing 4 soldiers",
    "Gunmen attacked an Egyptian army checkpoint in North Sinai, killing four soldiers.",
)

LOCAL_SECRET = "root:x:0:0"  # what /etc/passwd would leak


@dataclass
class Case:
    name: str  # source name in feeds.yaml (one line, unique)
    path: str  # route on the loopback server
    what: str  # one line for the report table
    expect: str = "either"  # "error" | "ok" | "either"
    reason: str | None = None  # substring of the error when expect == "error"
    never_hit: tuple[str, ...] = ()  # paths on our server that must never be requested
    big: bool = False  # measured alone for peak memory


@dataclass
class Corpus:
    cases: list[Case] = field(default_factory=list)
    good: dict[str, str] = field(default_factory=dict)  # name -> path
    canaries: tuple[str, ...] = ()  # all never-hit paths


def rss_doc(
    items: list[str],
    *,
    prolog: str = '<?xml version="1.0" encoding="utf-8"?>',
    title: str = "Hostile test feed",
) -> str:
    return (
        f'{prolog}<rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://hostile.example/</link><description>x</description>{''.join(items)}"
        "</channel></rss>"
    )


def item(
    title: str,
    summary: str,
    link: str,
    date: str | None,
    guid: str | None = None,
    extra: str = "",
    cdata: bool = True,
) -> str:
    desc = f"<![CDATA[{summary}]]>" if cdata else summary
    return (
        f"<item><title>{title}</title><description>{desc}</description><link>{link}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + f'<guid isPermaLink="false">{escape(guid or link)}</guid>{extra}</item>'
    )


def good_feed(name: str, pairs: list[tuple[str, str]], now: datetime, host: str) -> bytes:
    items = [
        item(escape(t), escape(s), f"https://{host}/{i}", format_datetime(now - timedelta(hours=2 + i)))
        for i, (t, s) in enumerate(pairs)
    ]
    return rss_doc(items, title=name).encode()


@functools.cache
def gzip_bomb(inflated: int = 200 * 1024 * 1024) -> bytes:
    """A gzip member that inflates to ``inflated`` bytes of spaces inside an RSS prefix (~200 KB)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as g:
        g.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>bomb</title><item><title>')
        block = b" " * (1024 * 1024)
        for _ in range(inflated // len(block)):
            g.write(block)
        g.write(b"</title></item></channel></rss>")
    return out.getvalue()


@functools.cache
def big_body(size: int = 50 * 1024 * 1024) -> bytes:
    """A well-formed-looking RSS document of ``size`` bytes (one enormous description)."""
    head = rss_doc([]).split("</channel>")[0] + "<item><title>big</title><description>"
    tail = "</description></item></channel></rss>"
    filler = size - len(head) - len(tail)
    return head.encode() + b"a" * filler + tail.encode()


@functools.cache
def many_items(n: int, now: datetime) -> bytes:
    # no dates (they would push 100,000 items past the 10 MB cap): every item falls back to now
    parts = [f"<item><title>n{i}</title><guid>g{i}</guid></item>" for i in range(n)]
    return rss_doc(parts).encode()


def register(server, now: datetime) -> Corpus:  # noqa: PLR0915 - a flat list reads best here
    base = server.url("")
    rfc = format_datetime(now - timedelta(hours=3))
    ev_t, ev_s = EVENT
    c = Corpus()

    def add(case: Case, body: bytes | None = None, **kw) -> None:
        if body is not None:
            server.add(case.path, body, **kw)
        c.cases.append(case)

    # -- good feeds --------------------------------------------------------------------------
    server.add("/good-one.xml", good_feed("Good One", GOOD_ONE, now, "good-one.example"))
    server.add("/good-two.xml", good_feed("Good Two", GOOD_TWO, now, "good-two.example"))
    c.good = {"Good One": "/good-one.xml", "Good Two": "/good-two.xml"}

    # -- XML attacks -------------------------------------------------------------------------
    add(
        Case("XXE file", "/xxe-file.xml", "external entity reading file:///etc/passwd"),
        rss_doc(
            [
                item("Leak &xxe;", "&xxe; " + ev_s, "https://hostile.example/xxe", rfc, cdata=False),
                item(escape(ev_t), escape(ev_s), "https://hostile.example/xxe2", rfc),
            ],
            prolog='<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        ).encode(),
    )
    add(
        Case(
            "XXE http",
            "/xxe-http.xml",
            "external entity + external DTD + parameter entity on our server",
            never_hit=("/xxe-probe", "/xxe-dtd", "/xxe-param"),
        ),
        rss_doc(
            [item("Probe &probe;", "&probe; " + ev_s, "https://hostile.example/probe", rfc, cdata=False)],
            prolog=(
                f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{base}/xxe-dtd" ['
                f'<!ENTITY probe SYSTEM "{base}/xxe-probe">'
                f'<!ENTITY % param SYSTEM "{base}/xxe-param"> %param;]>'
            ),
        ).encode(),
    )
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    add(
        Case("Billion laughs", "/lol.xml", "billion-laughs entity expansion (10^9)"),
        rss_doc(
            [item("&lol9;", "&lol9;", "https://hostile.example/lol", rfc, cdata=False)],
            prolog=f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>',
        ).encode(),
    )

    # -- size and time -----------------------------------------------------------------------
    add(
        Case(
            "Gzip bomb", "/bomb.xml", "gzip member inflating to 200 MB", "error", "compression bomb", big=True
        ),
        gzip_bomb(),
        headers={"Content-Encoding": "gzip"},
    )
    body50 = big_body()
    add(
        Case("50 MB declared", "/big-declared.xml", "50 MB body with Content-Length", "error", "too large"),
        body50,
    )
    add(
        Case(
            "50 MB chunked",
            "/big-chunked.xml",
            "50 MB body, no Content-Length (read to EOF)",
            "error",
            "limit",
            big=True,
        ),
        body50,
        chunked=True,
    )
    server.add_drip("/drip.xml", interval=1.0)
    add(Case("Drip", "/drip.xml", "one byte a second, 1 MB announced", "error", "deadline"))
    server.add_hang("/hang.xml")
    add(Case("Hung", "/hang.xml", "accepts, never answers", "error", "timed out"))
    add(Case("100k items", "/many.xml", "100,000 items (≈6 MB)", "ok", big=True), many_items(100_000, now))

    # -- redirects ---------------------------------------------------------------------------
    server.add_redirect("/loop-a", "/loop-b")
    server.add_redirect("/loop-b", "/loop-a")
    add(Case("Redirect loop", "/loop-a", "A → B → A", "error", "redirect loop"))
    server.add_redirect("/self", "/self", status=301)
    add(Case("Redirect self", "/self", "301 to itself", "error", "redirect loop"))
    for i in range(6):
        server.add_redirect(f"/chain{i}", f"/chain{i + 1}")
    server.add("/chain6", good_feed("Chain", [EVENT], now, "chain.example"))
    add(Case("Redirect chain", "/chain0", "6 hops before the feed", "error", "too many redirects"))
    server.add_redirect("/to-file", "file:///etc/passwd")
    add(Case("Redirect file", "/to-file", "redirect to file:///etc/passwd", "error", "file"))
    server.add_redirect("/to-ftp", "ftp://127.0.0.1/feed.xml")
    add(Case("Redirect ftp", "/to-ftp", "redirect to ftp://", "error", "ftp"))
    server.add_redirect("/to-js", "javascript:alert(1)")
    add(Case("Redirect js", "/to-js", "redirect to javascript:", "error", "redirect"))

    # -- not feeds, encodings ----------------------------------------------------------------
    add(
        Case("HTML page", "/page.html", "an HTML home page with scripts", "error", "HTML"),
        (
            f'<!doctype html><html><head><title>Home</title><script src="{base}/page.js"></script>'
            f'<link rel="alternate" type="application/rss+xml" href="{base}/alt.xml"></head>'
            "<body><h1>Welcome</h1><p>Militants attack army checkpoint</p></body></html>"
        ).encode(),
        content_type="text/html; charset=utf-8",
    )
    add(
        Case("JSON body", "/feed.json", "JSON served as application/rss+xml", "error"),
        b'{"items": [{"title": "x"}]}',
    )
    add(Case("Empty 200", "/empty.xml", "200 with an empty body", "error", "empty"), b"")
    add(
        Case("Brotli", "/br.xml", "Content-Encoding: br (not offered)", "error", "Content-Encoding"),
        b"\x0b\x02\x80hello\x03",
        headers={"Content-Encoding": "br"},
    )
    add(
        Case(
            "Corrupt gzip", "/corrupt.xml", "Content-Encoding: gzip, bytes are not gzip", "error", "corrupt"
        ),
        b"this is not gzip at all" * 10,
        headers={"Content-Encoding": "gzip"},
    )
    latin = rss_doc(
        [item("Café attack: " + escape(ev_t), "Señor " + escape(ev_s), "https://hostile.example/latin", rfc)]
    )
    add(
        Case("Latin-1 as UTF-8", "/latin.xml", "latin-1 bytes declared utf-8 (header and prolog)", "ok"),
        latin.encode("latin-1"),
    )
    add(
        Case("No charset", "/nocharset.xml", "utf-8 bytes, no charset, no XML declaration", "ok"),
        rss_doc(
            [item("Déjà " + escape(ev_t), escape(ev_s), "https://hostile.example/nocs", rfc)], prolog=""
        ).encode(),
        content_type="application/xml",
    )
    add(
        Case("UTF-16 no BOM", "/utf16.xml", "UTF-16-LE without BOM, prolog says utf-16", "either"),
        rss_doc(
            [item(escape(ev_t), escape(ev_s), "https://hostile.example/u16", rfc)],
            prolog='<?xml version="1.0" encoding="utf-16"?>',
        ).encode("utf-16-le"),
        content_type="application/rss+xml",
    )
    add(
        Case("UTF-16 as UTF-8", "/utf16bom.xml", "UTF-16 with BOM, header says utf-8", "either"),
        rss_doc(
            [item(escape(ev_t), escape(ev_s), "https://hostile.example/u16b", rfc)],
            prolog='<?xml version="1.0" encoding="utf-8"?>',
        ).encode("utf-16"),
    )
    add(
        Case("NUL bytes", "/nul.xml", "NUL bytes inside titles and between elements", "either"),
        rss_doc(
            [
                item(
                    "Nul\x00 in " + escape(ev_t),
                    escape(ev_s) + "\x00\x00",
                    "https://hostile.example/nul",
                    rfc,
                )
            ]
        )
        .replace("<channel>", "<channel>\x00")
        .encode(),
    )
    add(
        Case("Deep nesting", "/deep.xml", "50,000 nested <div>s in a summary", "ok"),
        rss_doc(
            [
                item(
                    escape(ev_t),
                    "<div>" * 50_000 + escape(ev_s) + "</div>" * 50_000,
                    "https://hostile.example/deep",
                    rfc,
                )
            ]
        ).encode(),
    )
    add(
        Case("Huge title", "/longtitle.xml", "a 2 MB title", "ok"),
        rss_doc([item("War " * 500_000, escape(ev_s), "https://hostile.example/long", rfc)]).encode(),
    )

    # -- active content and links ------------------------------------------------------------
    scripts = (
        "<script>document.write('pwned')</script><style>body{background:url("
        + base
        + "/style-bg.png)}</style>"
        f'<iframe src="{base}/frame.html">inner frame text</iframe><object data="{base}/obj.swf"></object>'
        f'<svg onload="alert(1)"><image href="{base}/svg.png"/></svg><p onclick="alert(1)">'
        + escape(ev_s)
        + "</p>"
        "&lt;script&gt;alert('escaped')&lt;/script&gt;"
    )
    add(
        Case(
            "Script tags",
            "/scripts.xml",
            "<script>, <style>, <iframe>, <object>, <svg onload>, escaped <script>",
            "ok",
            never_hit=("/style-bg.png", "/frame.html", "/obj.swf", "/svg.png"),
        ),
        rss_doc(
            [
                item(
                    "<script>alert(1)</script>" + escape(ev_t),
                    scripts,
                    "https://hostile.example/scripts",
                    rfc,
                )
            ]
        ).encode(),
    )
    links = [
        ("javascript:alert(1)", "js"),
        ("JaVaScRiPt:alert(1)", "js-case"),
        ("java\tscript:alert(1)", "js-tab"),
        ("&#106;avascript:alert(1)", "js-entity"),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data"),
        ("file:///etc/passwd", "file"),
        ("vbscript:msgbox(1)", "vbs"),
        ("//evil.example/x", "scheme-relative"),
    ]
    link_items = [
        item(
            f"{escape(ev_t)} ({tag})",
            f'<a href="{escape(u)}">read more</a> <a href="javascript:void(0)">x</a> {escape(ev_s)}',
            escape(u) if "&#" not in u else u,
            rfc,
            guid=f"urn:links:{tag}",
        )
        for u, tag in links
    ]
    add(
        Case(
            "Bad links",
            "/links.xml",
            "javascript:/data:/file:/vbscript: links (case, tab, entity tricks)",
            "ok",
        ),
        rss_doc(link_items).encode(),
    )
    imgs = (
        f'<img src="{base}/track.png"> <img src="http://169.254.169.254/latest/meta-data/">'
        '<img src="file:///etc/passwd"> <img srcset="' + base + '/srcset.png 2x">'
        f'<link rel="stylesheet" href="{base}/evil.css"><style>@import url({base}/import.css);</style>'
        f'<a rel="attachment" href="file:///etc/passwd">attachment</a>'
        f'<div style="background:url({base}/bg.png)">' + escape(ev_s) + "</div>"
        f'<video poster="{base}/poster.png"></video><base href="{base}/base/">'
    )
    add(
        Case(
            "Images & CSS",
            "/images.xml",
            "tracking pixel on our server, 169.254.169.254, file:// img, stylesheet, @import, rel=attachment",
            "ok",
            never_hit=(
                "/track.png",
                "/srcset.png",
                "/evil.css",
                "/import.css",
                "/bg.png",
                "/poster.png",
                "/enclosure.bin",
                "/thumb.png",
            ),
        ),
        rss_doc(
            [
                item(
                    escape(ev_t) + " <img src=x onerror=alert(1)>",
                    imgs,
                    f"{base}/article",
                    rfc,
                    extra=(
                        f'<enclosure url="{base}/enclosure.bin" type="image/png" length="1"/>'
                        f'<media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="{base}/thumb.png"/>'
                    ),
                )
            ]
        ).encode(),
    )
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>a</title>'
        f"<id>urn:atom-x</id><updated>{(now - timedelta(hours=3)).isoformat()}</updated>"
        f'<entry><title type="html">{escape(escape(ev_t))}</title><id>urn:atom-x:1</id>'
        '<link href="javascript:alert(1)"/><link rel="alternate" href="data:text/html,hi"/>'
        f"<updated>{(now - timedelta(hours=3)).isoformat()}</updated>"
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><img src="{base}/atom-img.png"/>'
        f'<p>{escape(ev_s)}</p><a href="file:///etc/passwd">f</a></div></content></entry></feed>'
    )
    add(
        Case(
            "Atom xhtml",
            "/atom.xml",
            "Atom xhtml content with img on our server, javascript: link",
            "ok",
            never_hit=("/atom-img.png",),
        ),
        atom.encode(),
        content_type="application/atom+xml",
    )

    # -- dates and headers -------------------------------------------------------------------
    dates = [
        ("Mon, 01 Jan 1900 00:00:00 GMT", "1900"),
        ("Fri, 31 Dec 9999 23:59:59 GMT", "9999"),
        (None, "missing"),
        ("yesterday-ish", "garbage"),
        ("Tue, 45 Foo 2026 99:99:99 +9999", "invalid"),
        ("2026-03-10T03:00:00+14:00", "iso-far-zone"),
    ]
    add(
        Case("Absurd dates", "/dates.xml", "year 1900, 9999, missing, garbage, invalid fields", "ok"),
        rss_doc(
            [
                item(f"{escape(ev_t)} [{tag}]", escape(ev_s), f"https://hostile.example/date-{tag}", d)
                for d, tag in dates
            ]
        ).encode(),
    )
    inj = [
        ("Strike\r\nBcc: x@evil.example\r\nSubject: owned", "crlf"),
        ("Strike&#13;&#10;Bcc: y@evil.example&#13;&#10;X-Evil: 1", "charref"),
        ("=?utf-8?q?Bcc=3A_z=40evil=2Eexample?= " + escape(ev_t), "encoded-word"),
        ("Strike\u2028Bcc: w@evil.example\u0085X-Evil: 2", "unicode-newlines"),
    ]
    add(
        Case("Header injection", "/inject.xml", "CR/LF, &#13;&#10;, encoded-word, U+2028 in titles", "ok"),
        rss_doc(
            [
                item(
                    f"{t} {escape(ev_t)}",
                    escape(ev_s) + " Bcc: v@evil.example",
                    f"https://hostile.example/inj-{tag}",
                    rfc,
                )
                for t, tag in inj
            ],
            title="Feed\r\nBcc: chan@evil.example",
        ).encode(),
    )
    ctrl = "\u202eevil\u202c \u200bzero\u200b \x1b[31mansi\x1b[0m "
    add(
        Case("Bidi & controls", "/bidi.xml", "bidi overrides, zero-width, ANSI escapes", "ok"),
        rss_doc(
            [item(ctrl + escape(ev_t), ctrl + escape(ev_s), "https://hostile.example/bidi", rfc)]
        ).encode(),
    )

    c.canaries = tuple(p for case in c.cases for p in case.never_hit) + ("/page.js", "/alt.xml")
    return c


def deflate(data: bytes) -> bytes:  # kept for ad-hoc experiments
    return zlib.compress(data)
