"""One email per subscriber — their edition's PDF attached, a short text + HTML body — sent by
SMTP or, with no SMTP configured, written to OUT/outbox/*.eml. The only module using smtplib.

Every delivery goes through the ledger in the store: marked 'sending' just before the message
is handed over and 'sent'/'failed'/'uncertain' after, so a rerun of the same day never sends
twice. 'uncertain' is a connection lost after the whole message went out but before the
server's answer: it may have been delivered, so it is never retried by itself; `briefing send
--date D --to ADDRESS` sends it again to that subscriber once someone has checked.
No header ever carries feed text: the subject is our own title and the date.
"""
from __future__ import annotations

import html
import os
import re
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Callable

from . import coverage
from .config import Config, SmtpConfig, Subscriber
from .editions import edition_of
from .fsutil import write_atomic
from .model import Brief
from .store import Store


@dataclass(frozen=True)
class Delivery:
    subscriber: str
    edition: str
    status: str                     # sent | failed | uncertain | skipped (already sent earlier)
    channel: str                    # outbox path or smtp://host:port
    error: str | None = None
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.status in ("sent", "skipped")


class TemporaryFailure(Exception):
    """Worth retrying: 4xx replies, dropped connections, timeouts."""


class PermanentFailure(Exception):
    """Not worth retrying: 5xx replies, bad credentials."""


class UncertainFailure(Exception):
    """The message went out whole and the connection dropped before the server answered: it may
    have been stored and delivered. Retrying could send it twice."""


# -- the message ---------------------------------------------------------------------------
def _one_line(text: str) -> str:
    return re.sub(r"[\r\n\0]+", " ", text).strip()


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _cutoff(brief: Brief) -> str:
    from zoneinfo import ZoneInfo
    return brief.window_end.astimezone(ZoneInfo(brief.timezone)).strftime("%d %b %Y %H:%M ") + brief.timezone


def text_body(brief: Brief) -> str:
    lines = [f"{brief.title} — {brief.date}", "",
             f"{_n(len(brief.entries), 'event')} from {_n(brief.items_in_window, 'report')}; "
             f"information cut-off {_cutoff(brief)}.", ""]
    if brief.takeaways:
        lines.append("Key takeaways:")
        lines += [f"  - [{e.theater}] {e.text}" for e in brief.takeaways]
        lines.append("")
    lines.append("By theater:")
    for s in brief.sections:
        lines.append(f"  {s.theater}: {_n(len(s.incidents), 'incident')}, {_n(len(s.threats), 'threat')}, "
                     f"{_n(len(s.deployments), 'deployment')}")
    if not brief.sections:
        lines.append("  nothing reported in this window")
    note = coverage.note(brief)
    if note:
        lines[1:1] = [note, ""]
    if brief.coverage.failed:
        lines += ["", "Sources that failed: " + ", ".join(brief.coverage.failed)]
    lines += ["", "The full brief, with every source, is attached as a PDF."]
    return "\n".join(lines) + "\n"


def notice_body(brief: Brief) -> str:
    """When every source failed: say so plainly instead of mailing an empty brief."""
    by_name = {s.name: s for s in brief.sources}
    lines = [f"{brief.title} — {brief.date}", "", coverage.note(brief) or "", "",
             f"Window: up to {_cutoff(brief)}. Errors:"]
    lines += [f"  - {n}: {_one_line(by_name[n].error or 'unknown error')}" for n in brief.coverage.failed]
    lines += ["", "The brief will follow from the next run that reaches its sources; "
              "`briefing status` shows each source's health."]
    return "\n".join(lines) + "\n"


def html_body(brief: Brief) -> str:
    # Plain tables and inline attributes only: many mail clients ignore <style>.
    esc = html.escape
    take = "".join(f"<li><b>{esc(e.theater)}</b>: {esc(e.text)}</li>" for e in brief.takeaways)
    rows = "".join(
        f"<tr><td>{esc(s.theater)}</td><td align='right'>{len(s.incidents)}</td>"
        f"<td align='right'>{len(s.threats)}</td><td align='right'>{len(s.deployments)}</td></tr>"
        for s in brief.sections)
    note = coverage.note(brief)
    failed = brief.coverage.failed
    return (f"<html><body><h2>{esc(brief.title)} — {esc(brief.date)}</h2>"
            + (f"<p><b>{esc(note)}</b></p>" if note else "")
            + f"<p>{_n(len(brief.entries), 'event')} from {_n(brief.items_in_window, 'report')}; "
            f"information cut-off {esc(_cutoff(brief))}.</p>"
            + (f"<p><b>Key takeaways</b></p><ul>{take}</ul>" if take else "")
            + "<table cellpadding='4' border='1' style='border-collapse:collapse'>"
            "<tr><th>Theater</th><th>Incidents</th><th>Threats</th><th>Deployments</th></tr>"
            f"{rows}</table>"
            + (f"<p>Sources that failed: {esc(', '.join(failed))}</p>" if failed else "")
            + "<p>The full brief, with every source, is attached as a PDF.</p>"
            "</body></html>")


def build_message(config: Config, sub: Subscriber, brief: Brief, pdf: bytes | None) -> EmailMessage:
    """The brief's email; with `pdf` None, the all-sources-failed notice (no attachment)."""
    msg = EmailMessage()
    msg["From"] = config.delivery.from_
    msg["To"] = sub.email
    label = f" ({sub.label})" if sub.label else ""
    msg["Subject"] = _one_line(f"{coverage.subject_tag(brief)}{config.title} — {brief.date}{label}")[:200]
    msg["Date"] = format_datetime(brief.generated)
    msg["Message-ID"] = make_msgid(domain="briefing.local")
    if pdf is None:
        msg.set_content(notice_body(brief))
        return msg
    msg.set_content(text_body(brief))
    msg.add_alternative(html_body(brief), subtype="html")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"brief-{brief.date}.pdf")
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
        try:
            if c.ssl:
                conn = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout,
                                        context=ssl.create_default_context())
            else:
                conn = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
                if c.starttls:
                    conn.starttls(context=ssl.create_default_context())
            if c.username_env:
                user, password = self.env.get(c.username_env), self.env.get(c.password_env or "")
                if not user or password is None:
                    conn.close()
                    raise PermanentFailure(f"SMTP login: environment variable {c.username_env}"
                                           f" or {c.password_env} is not set")
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
                raise UncertainFailure(f"connection lost after the message was sent, before the server "
                                       f"confirmed it ({_describe(exc)})") from None
            raise TemporaryFailure(_describe(exc)) from None
        if code != 250:
            self._fail(code, f"{code} {_text(text)}", reset=True)
        return self.channel

    def _fail(self, code: int, message: str, reset: bool = False) -> None:
        if reset:
            # leave the connection ready for the next message (RSET), or drop it if it is dead
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
NOTICE = "notice"       # the ledger's edition name for the all-sources-failed notice


def deliver(config: Config, store: Store, editions: dict[str, tuple[Brief, bytes]], out_dir: Path,
            *, resend: bool = False, only: set[str] | None = None, notice: bool = False,
            sleep: Callable[[float], None] = time.sleep) -> list[Delivery]:
    """Send each subscriber their edition once. `editions` maps edition key → (brief, pdf);
    `only`: these subscribers alone, sent again whatever the ledger says (`send --to`);
    `notice`: every source failed — send the short notice instead, once a day, recorded apart
    from the brief so that a later successful run still delivers the brief."""
    smtp = config.delivery.smtp
    transport = SmtpMailer(smtp, config.delivery.from_) if smtp else Outbox(out_dir / "outbox")
    retries, backoff = (smtp.retries, smtp.backoff) if smtp else (1, 0.0)
    results: list[Delivery] = []
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
                why = {"sent": None, "sending": "state uncertain after a crash",
                       "uncertain": "uncertain: the connection dropped before the server confirmed"}[previous]
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
                        sleep(backoff * 2 ** attempt)
            status = status or ("failed" if error else "sent")
            store.mark_delivery(date, sub.email, key, status, _now(), error=error, channel=where)
            results.append(Delivery(sub.email, key, status, where, error, attempts))
    finally:
        transport.close()
    return results


def _now() -> datetime:
    return datetime.now(timezone.utc)
