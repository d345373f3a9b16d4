"""Delivery over a real SMTP server on loopback (aiosmtpd): editions, the ledger, retries."""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import UTC, datetime
from io import BytesIO

import pytest
from aiosmtpd.controller import Controller
from builders import ago, rss
from pypdf import PdfReader

from briefing.config import parse_config
from briefing.pipeline import run, send_day
from briefing.store import Store

NOW = datetime(2026, 4, 2, 5, 30, tzinfo=UTC)


class Recorder:
    """An SMTP handler that keeps what it accepted and can misbehave on request."""

    def __init__(self, refuse: set[str] = frozenset(), temp_failures: int = 0, closing_rcpt: int = 0):
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse, self.temp_failures, self.data_calls = set(refuse), temp_failures, 0
        self.closing_rcpt = closing_rcpt  # answer this many RCPTs "421 closing channel"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.closing_rcpt > 0:
            self.closing_rcpt -= 1
            return "421 4.3.2 service shutting down, closing channel"
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.data_calls += 1
        if self.temp_failures > 0:
            self.temp_failures -= 1
            return "451 4.3.0 try again later"
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    # aiosmtpd 1.4 cannot listen on port 0 (aiosmtpd#388): pick a free port first.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    handlers = []

    def start(handler: Recorder, port: int | None = None) -> int:
        port = port or free_port()
        c = Controller(handler, hostname="127.0.0.1", port=port)
        c.start()
        handlers.append(c)
        return port

    yield start
    for c in handlers:
        c.stop()


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
            "Russian missile strike on Kharkiv kills 5",
            "Russia fired missiles at Kharkiv overnight, killing five people, Ukrainian officials said.",
            "https://test-wire.example/kharkiv",
            ago(NOW, 4),
        ),
        (
            "Russian drones hit energy facility in Odesa region, Ukraine says",
            "Russian drones struck an energy facility in the Odesa region overnight.",
            "https://test-wire.example/odesa",
            ago(NOW, 5),
        ),
        (
            "Hezbollah fires rockets at northern Israel",
            "Hezbollah said it fired a barrage of rockets at Israeli army positions in the Galilee.",
            "https://test-wire.example/galilee",
            ago(NOW, 6),
        ),
    ],
)


def make_config(tmp_path, feed_server, port, subscribers, **smtp_extra):
    feed_server.add("/wire.xml", FEED)
    return parse_config(
        {
            "sources": [{"name": "Test Wire", "url": feed_server.url("/wire.xml")}],
            "output_dir": str(tmp_path / "out"),
            "timezone": "Europe/London",
            "subscribers": subscribers,
            "delivery": {
                "from": "briefs@example.org",
                "smtp": {"host": "127.0.0.1", "port": port, "timeout": 5, "backoff": 0.01, **smtp_extra},
            },
        },
        tmp_path,
    )


def pdf_of(raw: bytes) -> bytes:
    msg = email.message_from_bytes(raw)
    [part] = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
    return part.get_payload(decode=True)


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages)


def test_two_runs_same_day_send_once_each_and_editions_are_filtered(tmp_path, feed_server, smtp):
    rec = Recorder()
    port = smtp(rec)
    config = make_config(
        tmp_path,
        feed_server,
        port,
        [{"email": "all@example.org"}, {"email": "gaza@example.org", "theaters": ["Gaza"]}],
    )
    first = run(config, now=NOW)
    assert [d.status for d in first.deliveries] == ["sent", "sent"]
    second = run(config, now=NOW.replace(minute=45))
    assert [d.status for d in second.deliveries] == ["skipped", "skipped"]
    assert sorted(r[0][0] for r in rec.messages) == ["all@example.org", "gaza@example.org"]
    assert all(len(rcpts) == 1 for rcpts, _ in rec.messages)  # nobody sees another subscriber

    by_rcpt = {rcpts[0]: raw for rcpts, raw in rec.messages}
    full, gaza = pdf_of(by_rcpt["all@example.org"]), pdf_of(by_rcpt["gaza@example.org"])
    assert "Ukraine" in pdf_text(full) and "Gaza" in pdf_text(full)
    assert "Gaza" in pdf_text(gaza) and "Ukraine" not in pdf_text(gaza) and "Kharkiv" not in pdf_text(gaza)
    assert len(gaza) < len(full)

    msg = email.message_from_bytes(by_rcpt["gaza@example.org"], policy=email.policy.default)
    assert msg["Subject"] == "Morning Security Brief — 2026-04-02 (Gaza)"
    body = " ".join(msg.get_body(("plain",)).get_content().split())
    assert "Your Gaza edition is attached as a PDF" in body  # the edition, by name
    [pdf_part] = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf_part.get_filename() == "brief-2026-04-02-gaza.pdf"
    assert "Morning Security Brief (Gaza edition)" in " ".join(pdf_text(gaza).split())
    assert msg["List-Unsubscribe"] == "<mailto:briefs@example.org?subject=unsubscribe>"


def test_temporary_failure_is_retried_and_delivered_once(tmp_path, feed_server, smtp):
    rec = Recorder(temp_failures=1)
    config = make_config(tmp_path, feed_server, smtp(rec), [{"email": "desk@example.org"}])
    result = run(config, now=NOW)
    [d] = result.deliveries
    assert d.status == "sent" and d.attempts == 2
    assert rec.data_calls == 2 and len(rec.messages) == 1


def test_421_on_rcpt_reconnects_before_the_next_attempt(tmp_path, feed_server, smtp):
    # issue 14 #10: smtplib closes its socket on 421; the mailer kept the dead connection, so
    # every retry failed with "please run connect() first"
    rec = Recorder(closing_rcpt=1)
    config = make_config(
        tmp_path, feed_server, smtp(rec), [{"email": "desk@example.org"}, {"email": "ops@example.org"}]
    )
    result = run(config, now=NOW)
    status = {d.subscriber: d for d in result.deliveries}
    assert status["desk@example.org"].status == "sent" and status["desk@example.org"].attempts == 2
    assert status["ops@example.org"].status == "sent" and status["ops@example.org"].attempts == 1
    assert sorted(r[0][0] for r in rec.messages) == ["desk@example.org", "ops@example.org"]


@pytest.mark.parametrize(
    "extra,ok",
    [
        ({"username_env": "SMTP_USER", "password_env": "SMTP_PASSWORD"}, False),
        ({"username_env": "SMTP_USER", "password_env": "SMTP_PASSWORD", "starttls": True}, True),
        ({"username_env": "SMTP_USER", "password_env": "SMTP_PASSWORD", "ssl": True}, True),
        ({"username_env": "SMTP_USER", "password_env": "SMTP_PASSWORD", "allow_insecure_auth": True}, True),
    ],
)
def test_a_password_is_only_sent_over_tls_unless_the_config_says_otherwise(tmp_path, extra, ok):
    # issue 14 #4: username_env with the default starttls: false sent AUTH PLAIN over plain TCP
    from briefing.config import ConfigError

    data = {
        "sources": [{"name": "A", "url": "http://a.example/x"}],
        "output_dir": str(tmp_path),
        "delivery": {"smtp": {"host": "mail.example.org", "port": 587, **extra}},
    }
    if ok:
        parse_config(data, tmp_path)
    else:
        with pytest.raises(ConfigError, match="delivery.smtp.*needs starttls: true or ssl: true"):
            parse_config(data, tmp_path)


def test_check_reports_unset_credential_variables(tmp_path, monkeypatch):
    from briefing.commands.check import check

    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        "sources: [{name: A, url: 'http://a.example/x'}]\n"
        "delivery: {smtp: {host: mail.example.org, starttls: true, username_env: BRIEF_T_USER,"
        " password_env: BRIEF_T_PASS}}\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("BRIEF_T_USER", raising=False)
    monkeypatch.setenv("BRIEF_T_PASS", "s3cret")
    problems = check(str(cfg))
    assert "delivery.smtp.username_env: environment variable BRIEF_T_USER is not set" in problems
    assert not any("BRIEF_T_PASS" in p for p in problems)
    monkeypatch.setenv("BRIEF_T_USER", "desk")
    assert check(str(cfg)) == []


def test_permanent_refusal_of_one_address_does_not_stop_the_others(tmp_path, feed_server, smtp):
    rec = Recorder(refuse={"gone@example.org"})
    config = make_config(
        tmp_path,
        feed_server,
        smtp(rec),
        [{"email": "a@example.org"}, {"email": "gone@example.org"}, {"email": "b@example.org"}],
    )
    result = run(config, now=NOW)
    status = {d.subscriber: d for d in result.deliveries}
    assert status["a@example.org"].status == "sent" and status["b@example.org"].status == "sent"
    assert status["gone@example.org"].status == "failed" and "550" in status["gone@example.org"].error
    assert status["gone@example.org"].attempts == 1  # permanent: not retried
    assert sorted(r[0][0] for r in rec.messages) == ["a@example.org", "b@example.org"]
    ledger = {d["subscriber"]: d for d in Store(config.db_path).deliveries("2026-04-02")}
    assert ledger["gone@example.org"]["status"] == "failed" and "550" in ledger["gone@example.org"]["error"]


def test_unreachable_server_is_recorded_and_a_later_send_completes_the_day(tmp_path, feed_server, smtp):
    port = free_port()  # nothing listens here yet
    config = make_config(tmp_path, feed_server, port, [{"email": "desk@example.org"}], retries=2)
    result = run(config, now=NOW)
    [d] = result.deliveries
    assert d.status == "failed" and "connection refused" in d.error and d.attempts == 2
    rec = Recorder()
    smtp(rec, port)
    again = send_day(config, "2026-04-02")
    assert [x.status for x in again.deliveries] == ["sent"] and len(rec.messages) == 1
    assert [x.status for x in send_day(config, "2026-04-02").deliveries] == ["skipped"]
    assert [x.status for x in send_day(config, "2026-04-02", resend=True).deliveries] == ["sent"]
    assert len(rec.messages) == 2


class DropsAfterData(Recorder):
    """Stores the message, then drops the connection before answering 250: the message is
    delivered, the client cannot know it."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.data_calls += 1
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        server.transport.close()
        return "250 Message accepted"


def test_a_drop_after_data_is_uncertain_never_retried_and_resolved_per_recipient(tmp_path, feed_server, smtp):
    # issue 14 #2 and #3: this was retried 3 times and again on the next run (4 copies per
    # subscriber), and the suggested recovery (--resend) resent to everyone
    rec = DropsAfterData()
    port = smtp(rec)
    config = make_config(
        tmp_path, feed_server, port, [{"email": "desk@example.org"}, {"email": "ops@example.org"}]
    )
    lines: list[str] = []
    first = run(config, now=NOW, progress=lines.append)
    assert {d.subscriber: (d.status, d.attempts) for d in first.deliveries} == {
        "desk@example.org": ("uncertain", 1),
        "ops@example.org": ("uncertain", 1),
    }
    assert rec.data_calls == 2  # one copy each, no retry
    hint = next(l for l in lines if l.startswith("deliver:"))
    assert "briefing send --date 2026-04-02 --to desk@example.org" in hint and "--resend" not in hint
    ledger = {d["subscriber"]: d["status"] for d in Store(config.db_path).deliveries("2026-04-02")}
    assert ledger == {"desk@example.org": "uncertain", "ops@example.org": "uncertain"}

    again = run(config, now=NOW)  # the next ordinary run
    assert [d.status for d in again.deliveries] == ["skipped", "skipped"] and rec.data_calls == 2

    brief = config.output_dir / "2026-04-02" / "brief.html"
    before = (brief.read_bytes(), brief.stat().st_mtime_ns)
    good = Recorder()
    config2 = make_config(
        tmp_path, feed_server, smtp(good), [{"email": "desk@example.org"}, {"email": "ops@example.org"}]
    )
    one = send_day(config2, "2026-04-02", only={"ops@example.org"})  # ops said it never arrived
    assert [(d.subscriber, d.status) for d in one.deliveries] == [("ops@example.org", "sent")]
    assert [r[0] for r in good.messages] == [["ops@example.org"]]
    assert (brief.read_bytes(), brief.stat().st_mtime_ns) == before  # the record stays as sent
    ledger = {d["subscriber"]: d["status"] for d in Store(config.db_path).deliveries("2026-04-02")}
    assert ledger == {"desk@example.org": "uncertain", "ops@example.org": "sent"}
    rest = send_day(config2, "2026-04-02", resend_uncertain=True)  # desk checked too: not there
    assert [(d.subscriber, d.status) for d in rest.deliveries] == [("desk@example.org", "sent")]
    assert sorted(r[0][0] for r in good.messages) == ["desk@example.org", "ops@example.org"]


def test_send_to_someone_not_subscribed_is_refused(tmp_path, feed_server, smtp):
    from briefing.pipeline import RunError

    config = make_config(tmp_path, feed_server, smtp(Recorder()), [{"email": "desk@example.org"}])
    run(config, now=NOW)
    with pytest.raises(RunError, match="--to x@example.org: not a subscriber"):
        send_day(config, "2026-04-02", only={"x@example.org"})
