"""Small builders for feeds written by the tests themselves (never third-party text)."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape


def rss(title: str, items: list[tuple[str, str, str, datetime | None]]) -> bytes:
    """items: (title, summary-html, link, published or None)."""
    body = "".join(
        f"<item><title>{escape(t)}</title><description><![CDATA[{s}]]></description>"
        f"<link>{escape(l)}</link>"
        + (f"<pubDate>{format_datetime(d)}</pubDate>" if d else "")
        + f"<guid>{escape(l)}</guid></item>"
        for t, s, l, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>https://feeds.example/</link><description>test feed</description>{body}</channel></rss>"
    ).encode()


def atom(title: str, entries: list[tuple[str, str, str, datetime]]) -> bytes:
    body = "".join(
        f'<entry><title>{escape(t)}</title><id>urn:test:{i}:{escape(l)}</id><link href="{escape(l)}"/>'
        f'<updated>{d.isoformat()}</updated><summary type="html">{escape(s)}</summary></entry>'
        for i, (t, s, l, d) in enumerate(entries)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test</id><updated>2026-01-01T00:00:00Z</updated>"
        f"{body}</feed>"
    ).encode()


def ago(now: datetime, hours: float) -> datetime:
    return now - timedelta(hours=hours)
