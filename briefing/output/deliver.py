"""One email per subscriber — their edition's PDF attached, a short text + HTML body — sent by
SMTP or, with no SMTP configured, written to OUT/outbox/*.eml. The only module using smtplib.

Every delivery goes through the ledger in the store: marked 'sending' just before the message
is handed over and 'sent'/'failed'/'uncertain' after, so a rerun of the same day never sends
twice. 'uncertain' is a connection lost after the whole message went out but before the
server's answer: it may have been delivered, so it is never retried by itself; `briefing send
--date D --to ADDRESS` sends it again to that subscriber once someone has checked.
No header ever carries feed text: the subject is our own title and the date, List-Id and
List-Unsubscribe come from the configuration (title, From address).
"""

from __future__ import annotations

import html
import logging
import os
import re
import smtplib
import socket
import ssl
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import quote

from ..brief import coverage
from ..brief.compose import tier
from ..config import Config, SmtpConfig, Subscriber
from ..brief.editions import edition_of, file_slug
from ..errors import BriefingError
from ..fsutil import write_atomic
from ..model import Brief, Entry
from ..store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    subscriber: str
    edition: str
    status: str  # sent | failed | uncertain | skipped (already sent earlier)
    channel: str  # outbox path or smtp://host:port
    error: str | None = None
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.status in ("sent", "skipped")


class TemporaryFailure(BriefingError):
    """Worth retrying: 4xx replies, dropped connections, timeouts."""


class PermanentFailure(BriefingError):
    """Not worth retrying: 5xx replies, bad credentials."""


class UncertainFailure(BriefingError):
    """The message went out whole and the connection dropped before the server answered: it may
    have been stored and delivered. Retrying could send it twice."""


# -- the message ---------------------------------------------------------------------------
# The HTML part is built for mail clients, not browsers: tables for layout, every style inline
# (many clients drop <style> and <head>), no images, fonts, scripts or anything fetched, widths
# that shrink to a phone. Everything that came from a feed is escaped.
FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif"
INK, MUTED, RULE, PAPER = "#17202e", "#5a6475", "#e3e7ed", "#f4f6f9"
TIER_STYLE = {"high": ("#fde8e6", "#a61b0f"), "medium": ("#fff1d6", "#8a5200"), "low": ("#eef1f5", "#46536a")}


def _one_line(text: str) -> str:
    return re.sub(r"[\r\n\0]+", " ", text).strip()


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _local(brief: Brief) -> datetime:
    from zoneinfo import ZoneInfo

    return brief.window_end.astimezone(ZoneInfo(brief.timezone))


def _cutoff(brief: Brief) -> str:
    return _local(brief).strftime("%d %b %Y %H:%M ") + brief.timezone


def _dateline(brief: Brief) -> str:
    d = _local(brief)
    return f"{d:%A} {d.day} {d:%B %Y}"


def edition_title(brief: Brief) -> str:
    """'Gaza, Israel, West Bank edition', or '' for the full brief."""
    return "" if brief.edition == "full" else (brief.edition_name or f"{brief.edition} edition")


def attachment_name(brief: Brief) -> str:
    """'brief-2026-03-10.pdf', or for an edition 'brief-2026-03-10-gaza-israel-west-bank.pdf'."""
    if brief.edition == "full":
        return f"brief-{brief.date}.pdf"
    return f"brief-{brief.date}-{file_slug(edition_title(brief))}.pdf"


def _counts_line(brief: Brief) -> str:
    where = " in this edition" if brief.edition != "full" else ""
    return (
        f"{_n(len(brief.entries), 'event')}{where} from {_n(brief.items_in_window, 'report')}; "
        f"information cut-off {_cutoff(brief)}."
    )


def _attached(brief: Brief) -> tuple[str, str]:
    """What is attached, as (lead, rest): the lead is bold in the HTML part."""
    if brief.edition == "full":
        return "The full brief is attached as a PDF", ", every line with its sources."
    return (
        f"Your {edition_title(brief)} is attached as a PDF",
        ", every line with its sources. It keeps only what your subscription asks for; "
        "the full brief covers every theater.",
    )


def _meta(e: Entry) -> list[str]:
    bits = [e.type]
    if e.fatalities:
        bits.append(f"{e.fatalities}{'–' + str(e.fatalities_high) if e.fatalities_high else ''} killed")
    if e.outlets > 1:
        bits.append(f"{e.outlets} outlets")
    return bits + [f"{tier(e.severity)} severity"]


def _unsubscribe_line(sender: str) -> str:
    return f'To stop receiving this brief, write to {sender} with the subject "unsubscribe".'


def text_body(brief: Brief, sender: str | None = None) -> str:
    """The plain-text part: the same content as the HTML part, laid out for a fixed-width font."""
    lines = [
        brief.title + (f" — {edition_title(brief)}" if edition_title(brief) else ""),
        _dateline(brief),
        "",
    ]
    note = coverage.note(brief)
    if note:  # framed, so that it reads as the warning it is
        box = textwrap.wrap(note, 72)
        rule = "=" * max(len(line) for line in box)
        lines += [rule, *box, rule, ""]
    lines += [*textwrap.wrap(_counts_line(brief), 76), ""]
    if brief.takeaways:
        lines.append("KEY TAKEAWAYS")
        for i, e in enumerate(brief.takeaways, 1):
            lines.append(f"{i:>2}. {e.theater} — {', '.join(_meta(e))}")
            lines += textwrap.wrap(e.text, 76, initial_indent="    ", subsequent_indent="    ")
        lines.append("")
    lines.append("BY THEATER")
    active = brief.active_sections
    if active:
        width = max(len("Theater"), *(len(s.theater) for s in active))
        lines.append(f"  {'Theater':<{width}}  Incidents  Threats  Deployments")
        for s in active:
            lines.append(
                f"  {s.theater:<{width}}  {len(s.incidents):>9}  {len(s.threats):>7}  {len(s.deployments):>11}"
            )
    else:
        lines.append("  nothing reported in this window")
    if brief.coverage.failed:
        lines += ["", *textwrap.wrap("Sources that failed: " + ", ".join(brief.coverage.failed), 76)]
    lead, rest = _attached(brief)
    lines += ["", *textwrap.wrap(f"{lead} ({attachment_name(brief)}){rest}", 76)]
    if sender:
        lines += ["", "-- ", *textwrap.wrap(_unsubscribe_line(sender), 76)]
    return "\n".join(lines) + "\n"


def notice_body(brief: Brief, sender: str | None = None) -> str:
    """When every source failed: say so plainly instead of mailing an empty brief."""
    by_name = {s.name: s for s in brief.sources}
    lines = [
        f"{brief.title} — {brief.date}",
        "",
        coverage.note(brief) or "",
        "",
        f"Window: up to {_cutoff(brief)}. Errors:",
    ]
    lines += [f"  - {n}: {_one_line(by_name[n].error or 'unknown error')}" for n in brief.coverage.failed]
    lines += [
        "",
        "The brief will follow from the next run that reaches its sources; "
        "`briefing status` shows each source's health.",
    ]
    if sender:
        lines += ["", "-- ", _unsubscribe_line(sender)]
    return "\n".join(lines) + "\n"


def html_body(brief: Brief, sender: str | None = None) -> str:
    """The HTML part: a header band with the title, edition and date; the coverage warning in a
    coloured box; the key takeaways; the per-theater counts; failed sources; what is attached."""
    esc = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    cell = f"font-family:{FONT};color:{INK};"
    pad = f"padding:0 20px;font-family:{FONT};"  # every cell names the font: clients drop inheritance

    def heading(text: str) -> str:
        return (
            f'<tr><td style="{pad}padding-top:22px;padding-bottom:6px;font-family:{FONT};font-size:12px;'
            f'font-weight:bold;letter-spacing:0.06em;text-transform:uppercase;color:{MUTED};">{esc(text)}</td></tr>'
        )

    rows: list[str] = []
    edition = edition_title(brief)
    rows.append(
        f'<tr><td style="background:#1d2b45;padding:20px 20px 18px;font-family:{FONT};">'
        f'<div style="font-size:22px;line-height:1.25;font-weight:bold;color:#ffffff;">{esc(brief.title)}</div>'
        + (
            f'<div style="font-size:15px;line-height:1.4;color:#dfe6f2;padding-top:4px;">{esc(edition)}</div>'
            if edition
            else ""
        )
        + f'<div style="font-size:13px;line-height:1.4;color:#b8c3d6;padding-top:6px;">{esc(_dateline(brief))}</div>'
        "</td></tr>"
    )
    note = coverage.note(brief)
    if note:
        rows.append(
            f'<tr><td style="{pad}padding-top:18px;">'
            '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">'
            f'<tr><td style="background:#fff3e0;border-left:4px solid #e07b00;padding:12px 14px;{cell}'
            f'font-size:15px;line-height:1.45;font-weight:bold;color:#5c3300;">{esc(note)}</td></tr></table></td></tr>'
        )
    rows.append(
        f'<tr><td style="{pad}padding-top:16px;{cell}font-size:14px;line-height:1.5;color:{MUTED};">'
        f"{esc(_counts_line(brief))}</td></tr>"
    )
    if brief.takeaways:
        rows.append(heading("Key takeaways"))
        items = []
        for i, e in enumerate(brief.takeaways, 1):
            bg, fg = TIER_STYLE.get(tier(e.severity), TIER_STYLE["low"])
            meta = _meta(e)
            items.append(
                f'<tr><td valign="top" style="width:22px;padding:10px 0;border-top:1px solid {RULE};{cell}'
                f'font-size:15px;line-height:1.45;font-weight:bold;color:{MUTED};">{i}</td>'
                f'<td valign="top" style="padding:10px 0;border-top:1px solid {RULE};{cell}">'
                f'<div style="font-size:12px;line-height:1.5;color:{MUTED};">'
                f'<b style="color:{INK};">{esc(e.theater)}</b> · {esc(" · ".join(meta[:-1]))} · '
                f'<span style="background:{bg};color:{fg};padding:1px 6px;border-radius:3px;white-space:nowrap;">'
                f"{esc(meta[-1])}</span></div>"
                f'<div style="font-size:15px;line-height:1.45;padding-top:3px;word-wrap:break-word;'
                f'overflow-wrap:anywhere;">{esc(e.text)}</div></td></tr>'
            )
        rows.append(
            f'<tr><td style="{pad}"><table role="presentation" width="100%" cellpadding="0" '
            f'cellspacing="0" border="0" style="border-collapse:collapse;">{"".join(items)}</table></td></tr>'
        )
    rows.append(heading("By theater"))
    active = brief.active_sections
    if active:
        th = (
            f"padding:7px 8px;background:{PAPER};border-bottom:1px solid {RULE};font-family:{FONT};"
            f"font-size:12px;font-weight:bold;color:{MUTED};"
        )
        td = f"padding:7px 8px;border-bottom:1px solid {RULE};{cell}font-size:14px;line-height:1.35;"

        def num(n: int) -> str:
            return f'<td align="right" style="{td}{"" if n else "color:#a3abb8;"}">{n}</td>'

        body = "".join(
            f'<tr><td style="{td}overflow-wrap:anywhere;">{esc(s.theater)}</td>'
            f"{num(len(s.incidents))}{num(len(s.threats))}{num(len(s.deployments))}</tr>"
            for s in active
        )
        rows.append(
            f'<tr><td style="{pad}"><table width="100%" cellpadding="0" cellspacing="0" border="0" '
            'style="border-collapse:collapse;">'
            f'<tr><th align="left" style="{th}">Theater</th><th align="right" style="{th}">Incidents</th>'
            f'<th align="right" style="{th}">Threats</th><th align="right" style="{th}">Deployments</th></tr>'
            f"{body}</table></td></tr>"
        )
    else:
        rows.append(
            f'<tr><td style="{pad}{cell}font-size:14px;">Nothing was reported in this window.</td></tr>'
        )
    if brief.coverage.failed:
        rows.append(
            f'<tr><td style="{pad}padding-top:14px;{cell}font-size:13px;line-height:1.45;color:#8a1f11;">'
            f"{esc('Sources that failed: ' + ', '.join(brief.coverage.failed))}</td></tr>"
        )
    lead, rest = _attached(brief)
    rows.append(
        f'<tr><td style="padding:20px;font-family:{FONT};">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">'
        f'<tr><td style="background:{PAPER};border:1px solid {RULE};padding:12px 14px;{cell}font-size:14px;line-height:1.5;">'
        f"<b>{esc(lead)}</b>{esc(rest)}"
        f'<div style="padding-top:4px;font-size:12px;color:{MUTED};overflow-wrap:anywhere;">{esc(attachment_name(brief))}</div>'
        "</td></tr></table></td></tr>"
    )
    footer = (
        (
            f'<tr><td style="padding:14px 20px 4px;font-family:{FONT};font-size:12px;line-height:1.5;'
            f'color:{MUTED};">{esc(_unsubscribe_line(sender))}</td></tr>'
        )
        if sender
        else ""
    )
    preheader = note or (brief.takeaways[0].text if brief.takeaways else _counts_line(brief))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="color-scheme" content="light"><title>{esc(brief.title)}</title></head>'
        f'<body style="margin:0;padding:0;background:#e9edf2;font-family:{FONT};">'
        f'<div style="display:none;max-height:0;overflow:hidden;opacity:0;font-size:1px;line-height:1px;">'
        f"{esc(preheader[:140])}</div>"
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="background:#e9edf2;border-collapse:collapse;">'
        f'<tr><td align="center" style="padding:16px 8px;font-family:{FONT};">'
        # Outlook for Windows ignores max-width: a fixed-width table for it alone
        '<!--[if mso]><table role="presentation" width="640" align="center" cellpadding="0" '
        'cellspacing="0" border="0"><tr><td><![endif]-->'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="max-width:640px;background:#ffffff;border:1px solid #d5dbe3;border-collapse:collapse;">'
        + "".join(rows)
        + "</table>"
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="max-width:640px;border-collapse:collapse;">' + footer + "</table>"
        "<!--[if mso]></td></tr></table><![endif]-->"
        "</td></tr></table></body></html>"
    )


def list_headers(sender: str, title: str) -> dict[str, str]:
    """List-Id ('"Morning Security Brief" <briefing.example.org>') and List-Unsubscribe (a
    mailto: to the sender, subject "unsubscribe"): mail clients show an unsubscribe button.
    No List-Unsubscribe-Post: that needs an https URL, and there is none. Built from the
    configuration alone (single-line strings, see config.header_safe), never from feeds."""
    domain = re.sub(r"[^a-z0-9.-]", "", sender.rpartition("@")[2].lower()).strip(".-") or "localhost"
    name = _one_line(title)[:100]
    if name.isascii():
        phrase = '"' + re.sub(r'(["\\])', r"\\\1", name) + '"'
    else:  # encoded words may not stand inside quotes: plain words instead
        phrase = " ".join(re.sub(r'[()<>@,;:\\".\[\]]', " ", name).split())
    return {
        "List-Id": f"{phrase} <briefing.{domain}>".strip(),
        "List-Unsubscribe": f"<mailto:{quote(sender, safe='@.+-_~')}?subject=unsubscribe>",
    }


def build_message(config: Config, sub: Subscriber, brief: Brief, pdf: bytes | None) -> EmailMessage:
    """The brief's email; with `pdf` None, the all-sources-failed notice (no attachment)."""
    ed = edition_of(sub)
    if brief.edition != "full" and ed.key == brief.edition:
        # the subscriber's own name for it (subscribers with the same filters share one PDF)
        brief = replace(brief, edition_name=ed.name)
    sender = config.delivery.from_
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = sub.email
    label = sub.label or edition_title(brief)
    label = f" ({label})" if label else ""
    msg["Subject"] = _one_line(f"{coverage.subject_tag(brief)}{config.title} — {brief.date}{label}")[:200]
    msg["Date"] = format_datetime(brief.generated)
    msg["Message-ID"] = make_msgid(domain="briefing.local")
    for name, value in list_headers(sender, config.title).items():
        msg[name] = value
    if pdf is None:
        msg.set_content(notice_body(brief, sender))
        return msg
    msg.set_content(text_body(brief, sender))
    msg.add_alternative(html_body(brief, sender), subtype="html")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=attachment_name(brief))
    return msg


# -- transports ----------------------------------------------------------------------------
class Outbox:
    def __init__(self, folder: Path):
        self.folder = folder
        self.channel = str(folder)

    def send(self, msg: EmailMessage, to: str, date: str) -> str:
        # One file per message handed over (a notice, then the day's brief, or a deliberate
        # resend): the outbox is the record of everything "sent", never overwritten.
        stem = f"{date}-{re.sub(r'[^A-Za-z0-9@._-]', '_', to)}"
        path, n = self.folder / f"{stem}.eml", 1
        while path.exists():
            n += 1
            path = self.folder / f"{stem}-{n}.eml"
        try:
            write_atomic(path, msg.as_bytes())
        except OSError as exc:
            raise PermanentFailure(f"cannot write {path}: {exc.strerror or exc}") from None
        return str(path)

    def close(self) -> None:
        pass


class SmtpMailer:
    """One connection reused for every message; reopened after any failure."""

    def __init__(self, cfg: SmtpConfig, sender: str, env: dict[str, str] | None = None):
        self.cfg, self.sender = cfg, sender
        self.env = os.environ if env is None else env
        self.channel = f"smtp://{cfg.host}:{cfg.port}"
        self.conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        c = self.cfg
        conn: smtplib.SMTP
        try:
            if c.ssl:
                conn = smtplib.SMTP_SSL(
                    c.host, c.port, timeout=c.timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
                if c.starttls:
                    conn.starttls(context=ssl.create_default_context())
            if c.username_env:
                user, password = self.env.get(c.username_env), self.env.get(c.password_env or "")
                if not user or password is None:
                    conn.close()
                    raise PermanentFailure(
                        f"SMTP login: environment variable {c.username_env} or {c.password_env} is not set"
                    )
                conn.login(user, password)
            return conn
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentFailure(f"SMTP login refused: {exc.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"cannot connect to {self.channel}: {_describe(exc)}") from None

    def send(self, msg: EmailMessage, to: str, date: str) -> str:
        if self.conn is None:
            self.conn = self._connect()
        conn = self.conn
        # The SMTP steps one by one (smtplib's MAIL, RCPT and DATA commands), so that a
        # connection lost after the message was handed over is told apart from one lost before.
        payload_sent = False
        raw = _dot_stuffed(msg)
        try:
            conn.ehlo_or_helo_if_needed()
            opts = ["BODY=8BITMIME"] if not raw.isascii() and conn.has_extn("8bitmime") else []
            code, text = conn.mail(self.sender, opts)
            if code != 250:
                self._fail(code, f"sender refused: {code} {_text(text)}", reset=True)
            code, text = conn.rcpt(to)
            if code not in (250, 251):
                # 421: the server is closing the channel; the next attempt must reconnect
                self._fail(code, f"recipient refused: {code} {_text(text)}", reset=True)
            code, text = conn.docmd("DATA")
            if code != 354:
                self._fail(code, f"{code} {_text(text)}", reset=True)
            payload_sent = True
            conn.send(raw)
            code, text = conn.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            if payload_sent:
                raise UncertainFailure(
                    f"connection lost after the message was sent, before the server "
                    f"confirmed it ({_describe(exc)})"
                ) from None
            raise TemporaryFailure(_describe(exc)) from None
        if code != 250:
            self._fail(code, f"{code} {_text(text)}", reset=True)
        return self.channel

    def _fail(self, code: int, message: str, reset: bool = False) -> None:
        if reset:
            # leave the connection ready for the next message (RSET), or drop it if it is dead
            assert self.conn is not None  # only send() resets, on the connection it holds
            try:
                if code == 421 or self.conn.rset()[0] != 250:
                    self.close()
            except (smtplib.SMTPException, OSError):
                self.close()
        raise (TemporaryFailure if 400 <= code < 500 else PermanentFailure)(message)

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.conn = None


def _dot_stuffed(msg: EmailMessage) -> bytes:
    """The message as DATA carries it: CRLF line ends, a leading '.' doubled, ended by '.'."""
    raw = msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))
    raw = re.sub(rb"(?m)^\.", b"..", raw)
    if not raw.endswith(b"\r\n"):
        raw += b"\r\n"
    return raw + b".\r\n"


def _text(raw: bytes | str) -> str:
    return _one_line(raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw))[:200]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return _one_line(f"{type(exc).__name__}: {exc}")[:200]


# -- the ledger-guarded loop ---------------------------------------------------------------
NOTICE = "notice"  # the ledger's edition name for the all-sources-failed notice


def deliver(
    config: Config,
    store: Store,
    editions: dict[str, tuple[Brief, bytes]],
    out_dir: Path,
    *,
    resend: bool = False,
    only: set[str] | None = None,
    notice: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Send each subscriber their edition once. `editions` maps edition key → (brief, pdf);
    `only`: these subscribers alone, sent again whatever the ledger says (`send --to`);
    `notice`: every source failed — send the short notice instead, once a day, recorded apart
    from the brief so that a later successful run still delivers the brief."""
    smtp = config.delivery.smtp
    transport = SmtpMailer(smtp, config.delivery.from_) if smtp else Outbox(out_dir / "outbox")
    retries, backoff = (smtp.retries, smtp.backoff) if smtp else (1, 0.0)
    results: list[Delivery] = []
    pdf: bytes | None  # None: the notice, which has no attachment
    try:
        for sub in config.subscribers:
            key = edition_of(sub).key
            brief, pdf = editions[key]
            if notice:
                key, pdf = NOTICE, None
            date = brief.date
            if only is not None and sub.email not in only:
                continue
            previous = store.delivery_status(date, sub.email, key)
            # 'sending' (a crash came after handing the message over) and 'uncertain' (the
            # connection dropped before the server confirmed) may both have gone: never risk a
            # duplicate; `briefing send --date D --to ADDRESS` is the deliberate way.
            if previous in ("sent", "sending", "uncertain") and not resend and only is None:
                why = {
                    "sent": None,
                    "sending": "state uncertain after a crash",
                    "uncertain": "uncertain: the connection dropped before the server confirmed",
                }[previous]
                results.append(Delivery(sub.email, key, "skipped", transport.channel, why))
                continue
            msg = build_message(config, sub, brief, pdf)
            error, attempts, where, status = None, 0, transport.channel, None
            for attempt in range(retries):
                attempts += 1
                store.mark_delivery(date, sub.email, key, "sending", _now(), attempt=True)
                try:
                    where = transport.send(msg, sub.email, date)
                    error = None
                    break
                except PermanentFailure as exc:
                    error = str(exc)
                    break
                except UncertainFailure as exc:
                    error, status = str(exc), "uncertain"
                    break
                except TemporaryFailure as exc:
                    error = f"{exc} (after {attempt + 1} attempts)"
                    if attempt + 1 < retries:
                        sleep(backoff * 2**attempt)
            status = status or ("failed" if error else "sent")
            store.mark_delivery(date, sub.email, key, status, _now(), error=error, channel=where)
            log.info(  # the run's progress line tells people; this is for -v and --log-json
                "%s %s [%s]: %s after %d attempt(s)%s",
                date,
                sub.email,
                key,
                status,
                attempts,
                f": {error}" if error else "",
            )
            results.append(Delivery(sub.email, key, status, where, error, attempts))
    finally:
        transport.close()
    return results


def _now() -> datetime:
    return datetime.now(UTC)
