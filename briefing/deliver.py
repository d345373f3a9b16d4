"""One email per subscriber: the PDF attached, a short text + HTML body. The only module
that builds or sends mail. With no SMTP configured, messages go to OUT/outbox/*.eml.

No header ever carries feed text: the subject is built from our own title and the date only.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from .config import Config, Subscriber
from .fsutil import write_atomic
from .model import Brief


@dataclass(frozen=True)
class Delivery:
    subscriber: str
    ok: bool
    where: str                      # outbox path or "smtp://host"
    error: str | None = None


def _one_line(text: str) -> str:
    return re.sub(r"[\r\n\0]+", " ", text).strip()


def text_body(brief: Brief) -> str:
    lines = [f"{brief.title} — {brief.date}", "",
             f"{len(brief.entries)} events from {brief.items_in_window} reports "
             f"(window ending {brief.window_end.isoformat(timespec='minutes')}).", ""]
    for s in brief.sections:
        lines.append(f"  {s.theater}: {len(s.incidents)} incidents, {len(s.threats)} threats, "
                     f"{len(s.deployments)} deployments")
    failed = [s.name for s in brief.sources if not s.ok]
    if failed:
        lines += ["", "Sources that failed: " + ", ".join(failed)]
    lines += ["", "The full brief, with every source, is attached as a PDF."]
    return "\n".join(lines) + "\n"


def html_body(brief: Brief) -> str:
    # Plain tables and inline markup only: many mail clients ignore <style>.
    rows = "".join(
        f"<tr><td>{html.escape(s.theater)}</td><td align='right'>{len(s.incidents)}</td>"
        f"<td align='right'>{len(s.threats)}</td><td align='right'>{len(s.deployments)}</td></tr>"
        for s in brief.sections)
    return (f"<html><body><h2>{html.escape(brief.title)} — {html.escape(brief.date)}</h2>"
            f"<p>{len(brief.entries)} events from {brief.items_in_window} reports.</p>"
            "<table cellpadding='4' border='1' style='border-collapse:collapse'>"
            "<tr><th>Theater</th><th>Incidents</th><th>Threats</th><th>Deployments</th></tr>"
            f"{rows}</table><p>The full brief, with every source, is attached as a PDF.</p>"
            "</body></html>")


def build_message(config: Config, sub: Subscriber, brief: Brief, pdf: bytes) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = config.delivery.from_
    msg["To"] = sub.email
    msg["Subject"] = _one_line(f"{config.title} — {brief.date}")
    msg["Date"] = format_datetime(brief.generated)
    msg["Message-ID"] = make_msgid(domain="briefing.local")
    msg.set_content(text_body(brief))
    msg.add_alternative(html_body(brief), subtype="html")
    msg.add_attachment(pdf, maintype="application", subtype="pdf",
                       filename=f"brief-{brief.date}.pdf")
    return msg


def _slug(email: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]", "_", email)


def deliver(config: Config, brief: Brief, pdf: bytes, out_dir: Path) -> list[Delivery]:
    """Write one .eml per subscriber to OUT/outbox/ (SMTP sending arrives with issue 5)."""
    results = []
    outbox = out_dir / "outbox"
    for sub in config.subscribers:
        msg = build_message(config, sub, brief, pdf)
        path = outbox / f"{brief.date}-{_slug(sub.email)}.eml"
        try:
            write_atomic(path, msg.as_bytes())
            results.append(Delivery(sub.email, True, str(path)))
        except OSError as exc:
            results.append(Delivery(sub.email, False, str(path), f"cannot write: {exc.strerror}"))
    return results
