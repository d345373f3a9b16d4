"""Parse stage: fetched bytes → clean ``Item``s (the only feedparser and nh3 user).

Feeds are untrusted. feedparser only ever sees bytes we fetched, wrapped in a file object
(given raw ``bytes`` it first tries ``open(bytes)`` — a body reading "/etc/passwd" would be
read from disk). Titles and summaries leave as plain text, links as absolute http(s) or ''.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import nh3

from ..model import Fetched, Item, ParsedFeed

MAX_ITEMS = 2000
MAX_TITLE = 500
MAX_SUMMARY = 5000
MAX_UID = 512
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)

# Elements whose *content* is never text a reader should see.
_DROP_CONTENT = {
    "script",
    "style",
    "iframe",
    "noscript",
    "template",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "head",
    "textarea",
    "select",
    "frameset",
    "noembed",
}
# Block-level tags become a space so "<p>a</p><p>b</p>" reads "a b"; other tags vanish.
_BLOCK = {
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "hr",
    "dd",
    "dt",
    "dl",
    "pre",
    "figure",
    "figcaption",
    "aside",
    "nav",
    "main",
    "caption",
}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>")
_TAGLIKE = re.compile(r"<[A-Za-z/!?]")
# C0/C1 controls, bidi overrides/isolates (spoofing), zero-width chars, BOM, noncharacters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
_URL_STRIP = re.compile(r"[\x00-\x20\x7f]")  # browsers drop tabs/newlines inside URLs: "java\tscript:"


def clean_text(text: str, limit: int | None = None) -> str:
    """HTML (or already-plain text) → one line of plain text, safe to show anywhere.

    Tags stripped (script/style/iframe… with their content), entities unescaped, controls
    and bidi overrides dropped, whitespace collapsed; cut to ``limit`` characters with "…".
    """
    if not text:
        return ""
    text = _scrub(text[: limit * 20] if limit else text)  # bound the work on giant inputs
    for _ in range(3):  # double-escaped HTML ("&lt;p&gt;") is common in feeds: peel it
        if "<" not in text and "&" not in text:
            break
        # Flatten ordinary tags ourselves first: html5ever is quadratic on deeply nested <div>s
        # (50,000 of them took 6 s), and a hostile feed can repeat that in every entry.
        text = _TAG.sub(_flatten, text)
        text = html.unescape(
            nh3.clean(text, tags=set(), clean_content_tags=_DROP_CONTENT, attributes={}, strip_comments=True)
        )
        if not _TAGLIKE.search(text):
            break
    else:
        text = re.sub(r"<[^>]*>?", " ", text)  # still tag-like after 3 rounds: remove outright
    text = " ".join(_INVISIBLE.sub("", text).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _flatten(match: re.Match[str]) -> str:
    name = match.group(2).lower()
    if name in _DROP_CONTENT:
        return match.group(0)  # nh3 removes these together with their content
    return " " if name in _BLOCK else ""


def safe_url(url: str, base: str | None = None) -> str:
    """Absolute http(s) URL, resolved against ``base``; '' for anything else (javascript:, data:, file:…)."""
    if not url or not isinstance(url, str) or len(url) > 4096:
        return ""
    url = _URL_STRIP.sub(lambda m: "%20" if m.group() == " " else "", _scrub(url.strip()))
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return ""
        parts.port  # noqa: B018 - raises ValueError on a bogus port
    except ValueError:
        return ""
    return urlunsplit(parts._replace(scheme=parts.scheme.lower()))


def parse_feed(fetched: Fetched, now: datetime) -> ParsedFeed:
    """Items of one fetched feed, or a ParsedFeed with a one-line ``error``. Never raises."""
    source = fetched.source
    if not fetched.ok:
        return ParsedFeed(source=source, error=fetched.error or "fetch failed")
    if fetched.not_modified:
        return ParsedFeed(source=source)  # 304: nothing new, and not an error
    if not fetched.body.strip():
        return ParsedFeed(source=source, error="not a feed: empty response")
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    base = safe_url(fetched.final_url or source.url)
    headers = {"content-location": base or ""}
    if fetched.content_type:
        headers["content-type"] = fetched.content_type
    # feedparser's own sanitiser is off: it keeps e.g. <iframe> inner text; clean_text (nh3)
    # reduces everything to plain text anyway, and links go through safe_url.
    try:
        stream = io.BytesIO(_first_entries(fetched.body, MAX_ITEMS))  # a stream, never bytes: see top
        parsed = feedparser.parse(
            stream, response_headers=headers, resolve_relative_uris=False, sanitize_html=False
        )
    except Exception as exc:  # noqa: BLE001 - a parser bug on one feed must not stop the run
        return ParsedFeed(source=source, error=f"not a feed: parser failed ({type(exc).__name__})")
    items: list[Item] = []
    for entry in (parsed.get("entries") or [])[:MAX_ITEMS]:
        try:
            item = _item(entry, source.name, base, now)
        except Exception:  # noqa: BLE001 - skip one malformed entry, keep the rest
            continue
        if item.title or item.summary or item.link:  # an empty shell tells a reader nothing
            items.append(item)
    if items:
        return ParsedFeed(source=source, items=tuple(items))  # used even when bozo
    bozo = parsed.get("bozo_exception")
    if parsed.get("version") and not _hard(bozo):
        return ParsedFeed(source=source)  # a valid, empty feed
    return ParsedFeed(source=source, error=_not_a_feed(fetched, bozo))


def _hard(exc: BaseException | None) -> bool:
    """A real parse failure, not a "soft" bozo (odd Content-Type, charset override)."""
    return exc is not None and not isinstance(exc, feedparser.ThingsNobodyCaresAboutButMe)


_ENTRY_START = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?(?:item|entry)[\s>/]")
_ENTRY_END = re.compile(rb"</(?:[A-Za-z][\w.-]*:)?(?:item|entry)\s*>")


def _first_entries(body: bytes, limit: int) -> bytes:
    """Cut entries beyond ``limit`` out of the bytes before feedparser sees them.

    feedparser costs ~150 µs per entry, so a 100,000-item feed would take ~15 s only to be
    capped afterwards. Keeps the document's closing tags; if the cut breaks the XML anyway,
    feedparser's loose parser still reads the entries before it.
    """
    cut = None
    for count, match in enumerate(_ENTRY_START.finditer(body)):
        if count == limit:
            cut = match.start()
            break
    if cut is None:
        return body
    last_end = None
    for last_end in _ENTRY_END.finditer(body, cut):  # noqa: B007 - the loop finds the last match
        pass
    if last_end is None:
        return body[:cut]
    return body[:cut] + body[last_end.end() :]


def _not_a_feed(fetched: Fetched, exc: BaseException | None) -> str:
    head = fetched.body[:1024].lstrip().lower()
    ctype = (fetched.content_type or "").lower()
    if (
        "html" in ctype
        and "xhtml" not in ctype
        or head.startswith((b"<!doctype html", b"<html"))
        or b"<html" in head
    ):
        return "not a feed (got an HTML page)"
    if head.startswith((b"{", b"[")):
        return "not a feed (JSON, not RSS/Atom/RDF)"
    if _hard(exc):
        reason = " ".join(str(getattr(exc, "getMessage", lambda: exc)()).split()) or type(exc).__name__
        return f"not a feed: {reason[:200]}"
    return "not a feed (no RSS, Atom or RDF content found)"


def _item(entry: Any, source_name: str, base: str, now: datetime) -> Item:
    title = clean_text(_text(entry.get("title")), MAX_TITLE)
    summary = clean_text(_summary_html(entry), MAX_SUMMARY)
    link = safe_url(_text(entry.get("link")), base or None)
    if not link:  # the main link was unusable: first http(s) alternate instead
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate":
                link = safe_url(_text(candidate.get("href")), base or None)
                if link:
                    break
    published, dated = _date(entry, now)
    return Item(
        source=source_name,
        uid=_uid(entry, link, title, summary, base),
        title=title,
        summary=summary,
        link=link,
        published=published,
        dated=dated,
    )


def _summary_html(entry: Any) -> str:
    summary = _text(entry.get("summary"))
    if summary:
        return summary
    for content in entry.get("content") or []:
        value = _text(content.get("value"))
        if value:
            return value
    return ""


def _uid(entry: Any, link: str, title: str, summary: str, base: str) -> str:
    """Stable id, namespaced by kind so a guid never collides with a link or a hash."""
    guid = " ".join(_INVISIBLE.sub("", _text(entry.get("id"))).split())
    if guid:
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", guid):
            guid = f"{base}#{guid}"  # bare guids ("1234") are only unique within one feed
        if len(guid) > MAX_UID:
            return "guid-sha1:" + hashlib.sha1(guid.encode("utf-8", "replace")).hexdigest()
        return "guid:" + guid
    if link:
        return "link:" + link[:MAX_UID]
    digest = hashlib.sha1(f"{title}\n{summary}".encode("utf-8", "replace")).hexdigest()
    return "sha1:" + digest


def _date(entry: Any, now: datetime) -> tuple[datetime, bool]:
    """Aware UTC date from the entry, or (now, False) when missing or absurd."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain dict lookup: skips feedparser's deprecated key aliasing
        if not value:
            continue
        try:
            when = datetime(*value[:6]).replace(tzinfo=UTC)  # feedparser normalises to UTC
        except (TypeError, ValueError, OverflowError):
            continue
        if EARLIEST <= when <= now + FUTURE_SLACK:
            return when, True
    return now.astimezone(UTC), False


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _scrub(text: str) -> str:
    """Lone surrogates (from odd decodings) would make nh3's Rust side raise."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
