"""The preview server over real HTTP: a store filled from loopback feeds by `pipeline.run`, then
`make_server` on port 0. No mocks: every check is a request a browser or an attacker could send."""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefing.config import Config, parse_config
from briefing.fsutil import LockedError
from briefing.pipeline import lock, run
from briefing.web.app import make_server

try:
    from .builders import ago, atom, rss
    from .feedserver import FeedServer
except ImportError:
    from builders import ago, atom, rss
    from feedserver import FeedServer

HOSTILE = "<script>alert(1)</script> Israeli strike kills 3 in Gaza"
ODD_SOURCE = 'Wire <i>Two</i> & "Co"'  # config text is escaped like feed text
TOKEN = "correct-horse-battery-staple"


def feeds(now: datetime) -> dict[str, bytes]:
    """Invented reports: Gaza, Lebanon, the Red Sea, a deployment, a threat; one hostile title."""
    one = rss(
        "Wire One",
        [
            (
                HOSTILE,
                "An Israeli air strike killed three people in Gaza City overnight, medics said. "
                '<img src="x" onerror="alert(2)">',
                "https://one.example/gaza-strike",
                ago(now, 3),
            ),
            (
                "Hezbollah fires rockets at northern Israel",
                "Hezbollah fired rockets at an Israeli army post near Metula, the military said.",
                "https://one.example/lebanon-rockets",
                ago(now, 5),
            ),
            (
                "Houthis attack cargo ship in the Red Sea",
                "The Houthis attacked a cargo ship with drones off Hodeidah in the Red Sea.",
                "javascript:alert(3)",
                ago(now, 6),
            ),
        ],
    )
    two = atom(
        "Wire Two",
        [
            (
                "Pentagon deploys aircraft carrier to the eastern Mediterranean",
                "The Pentagon said an aircraft carrier was deployed to the eastern Mediterranean.",
                "https://two.example/carrier",
                ago(now, 4),
            ),
            (
                "Israeli air strike on Gaza kills three",
                "An Israeli strike killed three people in Gaza City, health officials said.",
                "https://two.example/gaza",
                ago(now, 2),
            ),
        ],
    )
    old = rss(
        "Wire One archive",
        [
            (
                "Israeli drone strike hits car in Gaza",
                "An Israeli drone strike hit a car in Khan Younis.",
                "https://one.example/old-gaza",
                ago(now, 72),
            ),
            (
                "Houthis fire missile at tanker in the Red Sea",
                "The Houthis fired a missile at an oil tanker in the Red Sea.",
                "https://one.example/old-red-sea",
                ago(now, 73),
            ),
        ],
    )
    return {"/one.xml": one, "/two.xml": two, "/old.xml": old}


@dataclass
class World:
    config: Config
    feeds: FeedServer
    base: str
    port: int
    today: str
    past: str
    past_as_of: datetime


def start(config: Config, token: str | None = None):
    server = make_server(config, "127.0.0.1", 0, token=token)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def build_world(tmp: Path, token: str | None = None):
    """Feeds → `briefing run` twice (three days ago and now) → a running preview server."""
    fs = FeedServer()
    now = datetime.now(UTC).replace(microsecond=0)
    for path, body in feeds(now).items():
        fs.add(
            path, body, content_type="application/atom+xml" if path == "/two.xml" else "application/rss+xml"
        )
    fs.add("/slow.xml", rss("Slow", []))
    config = parse_config(
        {
            "timezone": "Europe/London",
            "output_dir": str(tmp / "out"),
            "sources": [
                {"name": "Wire One", "url": fs.url("/one.xml")},
                {"name": ODD_SOURCE, "url": fs.url("/two.xml")},
                {"name": "Wire One archive", "url": fs.url("/old.xml")},
                {"name": "Slow Wire", "url": fs.url("/slow.xml")},
                {"name": "Broken Wire", "url": fs.url("/missing.xml")},
            ],
        },
        tmp,
    )
    past_as_of = now - timedelta(hours=70)
    run(config, now=now, as_of=past_as_of, send=False)
    run(config, now=now, send=False)
    fs.add("/slow.xml", rss("Slow", []), delay=2.0)  # "fetch now" must now take a while
    server = start(config, token)
    port = server.server_address[1]
    return server, World(
        config,
        fs,
        f"http://127.0.0.1:{port}",
        port,
        now.astimezone(config.tz).date().isoformat(),
        past_as_of.astimezone(config.tz).date().isoformat(),
        past_as_of,
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    server, w = build_world(tmp_path_factory.mktemp("serve"))
    yield w
    server.shutdown()
    server.server_close()
    w.feeds.close()


def request(
    w_or_port, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], str]:
    port = w_or_port if isinstance(w_or_port, int) else w_or_port.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def entries(page: str) -> list[str]:
    return re.findall(r'<li class="entry (\w+)"', page)


# -- pages ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/live", "/archive", "/sources", "/fetch", "/static/serve.css"])
def test_pages_load_with_security_headers(world, path):
    status, headers, body = request(world, path)
    assert status == 200, body[:500]
    csp = headers["content-security-policy"]
    for part in (
        "default-src 'none'",
        "img-src data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ):
        assert part in csp
    assert "unsafe-inline" not in csp and "script-src" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    if path != "/static/serve.css":
        assert '<meta name="viewport"' in body and 'href="#main"' in body  # phone + skip link
        assert "as of" in body


def test_latest_brief_shows_todays_events_and_as_of_time(world):
    _, headers, body = request(world, "/")
    assert "Israeli strike kills 3 in Gaza" in body or "killed three people in Gaza" in body
    assert "Gaza" in body and "Red Sea" in body
    assert re.search(r"as of <time>\d\d \w{3} \d{4} \d\d:\d\d Europe/London</time>", body)
    assert "'sha256-" in headers["content-security-policy"]  # the inline <style> by hash
    assert f'href="/{world.today}/brief.pdf"' in body


def test_feed_and_config_strings_are_escaped_and_links_only_http(world):
    _, _, body = request(world, "/")
    assert "<script" not in body.lower()
    assert "onerror" not in body and "alert(2)" not in body
    assert "javascript:" not in body
    assert "Wire &lt;i&gt;Two&lt;/i&gt; &amp; &#34;Co&#34;" in body
    assert "<i>Two</i>" not in body
    hrefs = re.findall(r'href="([^"]*)"', body)
    assert all(h.startswith(("/", "#", "?", "https://", "http://")) for h in hrefs), hrefs


def test_theater_filter(world):
    _, _, full = request(world, "/")
    _, _, gaza = request(world, "/?theater=Gaza")
    assert 'data-value="Gaza" aria-current="true"' in gaza
    assert 0 < len(entries(gaza)) < len(entries(full))
    main = gaza.split('<main id="main"', 1)[1]
    assert "Red Sea" not in main.split('id="sources"')[0]  # only the sources table may say it
    assert "Showing" in gaza and "Clear filters" in gaza


def test_type_filter_and_repeated_params(world):
    _, _, only_dep = request(world, "/live?type=deployment")
    assert set(entries(only_dep)) == {"deployment"}
    _, _, two = request(world, "/live?type=deployment&type=incident")
    assert set(entries(two)) == {"deployment", "incident"}
    status, _, past = request(
        world, "/live?as_of=" + world.past_as_of.astimezone(world.config.tz).strftime("%Y-%m-%dT%H:%M:%S")
    )
    assert status == 200 and "tanker" in past and "Preview" in past
    assert request(world, "/live?as_of=yesterday")[0] == 400
    assert request(world, "/", "HEAD")[0] == 200
    _, _, none = request(world, "/?theater=Atlantis")
    assert entries(none) == [] and "No incidents" in none


def test_actor_filter(world):
    _, _, body = request(world, "/?actor=Houthis")
    assert entries(body) and "Houthis" in body
    assert "Metula" not in body


def test_archived_day_from_disk_and_recomposed_with_filters(world):
    status, _, disk = request(world, f"/{world.past}")
    assert status == 200
    assert "as written to disk" in disk and 'href="#main"' in disk
    assert "Khan Younis" in disk or "tanker" in disk
    status, _, filtered = request(world, f"/{world.past}?type=incident&theater=Gaza")
    assert status == 200 and "recomposed from the store" in filtered
    assert set(entries(filtered)) == {"incident"} and "tanker" not in filtered
    _, _, archive = request(world, "/archive")
    assert f'href="/{world.past}"' in archive and f'href="/{world.today}/brief.pdf"' in archive


def long_date(day: str) -> str:
    d = datetime.fromisoformat(day)
    return f"{d:%A} {d.day} {d:%B %Y}"


def config_like(w: World, out: Path, **update) -> Config:
    """The world's feeds and zone with another output folder (and so another store)."""
    return w.config.model_copy(update={"output_dir": out, "database": None, **update})


def test_root_shows_a_brief_written_with_a_past_as_of(world, tmp_path):
    """Issue 13: a run with --as-of in the past (and none since) was invisible from /, which
    showed the live brief as of now. / is the brief written, with its date and its entries."""
    config = config_like(world, tmp_path / "out")
    run(config, now=datetime.now(UTC), as_of=world.past_as_of, send=False)
    server = start(config)
    port = server.server_address[1]
    try:
        status, _, body = request(port, "/")
        assert status == 200
        assert f"The latest brief written: {long_date(world.past)}" in body
        assert "Houthis fire missile at tanker" in body  # that day's reports
        assert "Israeli drone strike hits car in Gaza" in body
        assert "Israeli air strike on Gaza kills three" not in body  # today's are not in it
        assert entries(body)
        assert re.search(r'<a href="/" aria-current="page">Latest brief</a>', body)
        assert '<a href="/live">Live preview</a>' in body
        _, _, live = request(port, "/live")  # the live view is as of now
        assert "tanker" not in live and "Live preview" in live
        _, _, archive = request(port, "/archive")
        assert f'href="/{world.past}"' in archive and f'href="/{world.past}/brief.pdf"' in archive
    finally:
        server.shutdown()
        server.server_close()

    # The store's record of that day gone (a new database): / and /archive still have the file.
    server = start(config.model_copy(update={"database": tmp_path / "new-store.sqlite3"}))
    port = server.server_address[1]
    try:
        status, _, body = request(port, "/")
        assert status == 200 and long_date(world.past) in body and "tanker" in body
        _, _, archive = request(port, "/archive")
        assert f'href="/{world.past}"' in archive and f'href="/{world.past}/brief.html"' in archive
        status, _, body = request(port, "/?theater=Gaza")  # filters need the store
        assert status == 404 and "the brief as written is at /" in body
    finally:
        server.shutdown()
        server.server_close()


def test_root_shows_the_newest_of_several_written_briefs(world):
    status, _, body = request(world, "/")
    assert status == 200
    assert f"The latest brief written: {long_date(world.today)}" in body
    assert "<strong>Latest brief</strong> · as of" in body
    assert "Israeli air strike on Gaza kills three" in body
    assert "tanker" not in body and "drone strike hits car" not in body  # the older brief's
    assert '<a href="/live">Live preview</a>' in body  # in the nav bar, and
    note = re.search(r'<p class="pagenote"[^>]*>(.*?)</p>', body, re.S).group(1)
    assert 'href="/live"' in note  # in the line saying what / is
    _, _, live = request(world, "/live")
    assert re.search(r'<a href="/live" aria-current="page">Live preview</a>', live)
    assert f'<a href="/">Latest brief</a>: the one written for {long_date(world.today)}' in live
    _, _, archive = request(world, "/archive")
    days = re.findall(r'<td><a href="/(\d{4}-\d{2}-\d{2})">', archive)
    assert days == sorted({world.today, world.past}, reverse=True)


def test_root_before_any_brief_is_written_says_so_and_shows_the_live_brief(world, tmp_path):
    config = config_like(world, tmp_path / "out")
    server = start(config)
    port = server.server_address[1]
    try:
        status, _, body = request(port, "/")
        assert status == 200
        assert "No brief has been written yet" in body
        assert "<strong>Live preview</strong>" in body
        assert request(port, "/archive")[2].count("No briefs yet") == 1
    finally:
        server.shutdown()
        server.server_close()


def test_pdf_download(world):
    status, headers, _ = request(world, f"/{world.today}/brief.pdf")
    assert status == 200 and headers["content-type"] == "application/pdf"
    assert "attachment" in headers["content-disposition"]


def test_sources_page_lists_failures(world):
    _, _, body = request(world, "/sources")
    assert "Broken Wire" in body and "failing" in body
    assert body.index("Broken Wire") < body.index("Wire One")  # failures first


@pytest.mark.parametrize(
    "path",
    [
        "/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/2026-01-01/../../x",
        "/2026-01-01/..%2f..%2fbriefing.sqlite3",
        "//etc/passwd",
        "/etc/passwd",
        "/static/../../feeds.yaml",
        "/static/..%2fbrief.css",
        "/static/serve.css%00",
        "/%00",
        "/2026-01-01%00/brief.pdf",
        "/briefing.sqlite3",
        "/2026-13-45",
        "/2026-01-01/brief.pdf/..",
        "/2026-01-01/../briefing.sqlite3",
        "/./2026-01-01",
        "/2026-01-01/brief.exe",
        "http://127.0.0.1/etc/passwd",
        "/\\..\\..\\etc\\passwd",
    ],
)
def test_traversal_is_404(world, path):
    status, headers, body = request(world, path)
    assert status == 404
    assert "root:" not in body and "content-security-policy" in headers


def test_raw_nul_byte_in_request_line(world):
    with socket.create_connection(("127.0.0.1", world.port), timeout=10) as s:
        s.sendall(b"GET /2026-01-01\x00/../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        head = s.recv(4096).decode("latin-1")
    assert head.split()[1] in ("400", "404") and "root:" not in head


def test_dns_rebinding_host_is_refused(world):
    status, _, _ = request(world, "/", headers={"Host": "attacker.example"})
    assert status == 403


def test_concurrent_requests_all_succeed(world):
    paths = ["/", "/live?theater=Gaza", "/sources", "/archive", f"/{world.past}"] * 4
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda p: request(world, p)[0], paths))
    assert results == [200] * 20


def test_slow_client_does_not_block_others(world):
    with socket.create_connection(("127.0.0.1", world.port), timeout=10) as idle:
        idle.sendall(b"GET / HTTP/1.1\r\n")  # never finishes its request
        t = time.monotonic()
        assert request(world, "/sources")[0] == 200
        assert time.monotonic() - t < 5


class Drip:
    """Slow clients as the hostile tester ran them: each socket sends a request line and then one
    header line every `every` seconds, never finishing its head."""

    def __init__(self, port: int, count: int, every: float):
        self.socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(count)]
        self.closed = [False] * count
        self.stop = threading.Event()
        for s in self.socks:
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.thread = threading.Thread(target=self._drip, args=(every,), daemon=True)
        self.thread.start()

    def _drip(self, every: float) -> None:
        n = 0
        while not self.stop.wait(every):
            n += 1
            for i, s in enumerate(self.socks):
                if not self.closed[i]:
                    try:
                        s.sendall(b"X-Drip-%d: 1\r\n" % n)
                    except OSError:
                        self.closed[i] = True

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        for s in self.socks:
            s.close()


def test_slow_clients_cannot_lock_out_a_token_holder(world):
    """Issue 14 #1: 80 dripping connections (more than the server's 64 threads) used to keep a
    valid request at 503 for as long as they lasted."""
    server = start(world.config, token=TOKEN)
    port = server.server_address[1]
    cookie = request(port, "/?token=" + TOKEN)[1]["set-cookie"].split(";")[0]
    drip = Drip(port, 80, every=0.5)
    try:
        time.sleep(1.0)  # all of them connected and dripping
        for _ in range(3):
            t = time.monotonic()
            status = request(port, "/sources", headers={"Cookie": cookie})[0]
            assert status == 200 and time.monotonic() - t < 1.0
    finally:
        drip.close()
        server.shutdown()
        server.server_close()


def test_a_dripped_request_head_is_cut_at_the_deadline(world):
    """Issue 14 #1: the timeout was per read, so a header line every few seconds kept a
    connection (and its thread) for ever. Now the whole head has a deadline."""
    server = start(world.config)
    server.head_deadline = 1.5
    drip = Drip(server.server_address[1], 1, every=0.2)
    try:
        sock = drip.socks[0]
        t = time.monotonic()
        sock.settimeout(10)
        try:
            data = sock.recv(4096)  # b"" once the server hangs up
        except ConnectionResetError:
            data = b""
        assert data == b"" and 1.0 < time.monotonic() - t < 5
    finally:
        drip.close()
        server.shutdown()
        server.server_close()


# -- fetch now ---------------------------------------------------------------------------------
def csrf(world) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', request(world, "/fetch")[2]).group(1)


def post_fetch(world, token: str, headers: dict | None = None):
    return request(
        world,
        "/fetch",
        "POST",
        body=f"csrf={token}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "null", **(headers or {})},
    )


def test_post_without_csrf_token_or_cross_site_is_refused(world):
    assert post_fetch(world, "forged")[0] == 403
    good = csrf(world)
    assert post_fetch(world, good, {"Origin": "http://attacker.example"})[0] == 403
    assert post_fetch(world, good, {"Sec-Fetch-Site": "cross-site"})[0] == 403
    status, _, _ = request(world, "/fetch", "POST", body=b"x" * 20000, headers={"Content-Length": "20000"})
    assert status == 413


def test_fetch_now_runs_in_background_one_at_a_time(world):
    token = csrf(world)
    status, headers, _ = post_fetch(world, token)
    assert status == 303 and headers["location"] == "/fetch"
    status, _, body = post_fetch(world, token)  # a second one, at once
    assert status == 409 and "already running" in body
    with pytest.raises(LockedError):  # and `briefing run` would wait too
        with lock(world.config):
            pass
    t = time.monotonic()
    status, _, page = request(world, "/fetch")
    assert status == 200 and 'http-equiv="refresh"' in page and "Fetching 5 sources" in page
    assert request(world, "/")[0] == 200 and time.monotonic() - t < 10  # pages still answer
    deadline = time.monotonic() + 60
    while "Last fetch finished" not in page and time.monotonic() < deadline:
        time.sleep(0.3)
        page = request(world, "/fetch")[2]
    assert "Last fetch finished" in page and "4 sources ok, 1 failed" in page
    assert 'http-equiv="refresh"' not in page
    with lock(world.config):  # released afterwards
        pass


# -- access token ------------------------------------------------------------------------------
def test_access_token(world):
    server = start(world.config, token=TOKEN)
    port = server.server_address[1]
    try:
        status, headers, body = request(port, "/")
        assert status == 401 and "access token" in body.lower()
        assert "content-security-policy" in headers
        assert request(port, "/?token=wrong")[0] == 401
        assert request(port, "/sources", headers={"Cookie": "briefing_token=wrong"})[0] == 401
        status, headers, _ = request(port, "/sources?token=" + TOKEN)
        assert status == 303 and headers["location"] == "/sources"  # token leaves the URL
        cookie = headers["set-cookie"].split(";")[0]
        assert "HttpOnly" in headers["set-cookie"] and "SameSite=Strict" in headers["set-cookie"]
        assert request(port, "/sources", headers={"Cookie": cookie})[0] == 200
        assert request(port, "/..%2fetc%2fpasswd", headers={"Cookie": cookie})[0] == 404
    finally:
        server.shutdown()
        server.server_close()


# -- live templates, startup -------------------------------------------------------------------
def test_template_edits_show_on_reload(world, tmp_path):
    user = tmp_path / "templates"
    user.mkdir()
    page = user / "brief.html.j2"
    config = world.config.model_copy(update={"templates_dir": user})
    server = start(config)
    port = server.server_address[1]
    try:
        for marker in ("first-edit-marker", "second-edit-marker"):
            page.write_text(
                '{% extends "builtin/brief.html.j2" %}'
                "{% block colophon %}<footer>" + marker + "</footer>{% endblock %}"
            )
            status, _, body = request(port, "/live")  # composed per request, unlike /
            assert status == 200 and marker in body
        page.write_text(
            "{% extends 'builtin/brief.html.j2' %}{% block colophon %}{{ no_such }}{% endblock %}"
        )
        status, _, body = request(port, "/live")
        assert status == 500 and "template error" in body  # readable, and the server lives on
        assert request(port, "/sources")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_exposure_warning_and_token_env(world, monkeypatch, tmp_path):
    from briefing.config import ConfigError
    from briefing.web.app import exposure_warning, serve

    assert exposure_warning("127.0.0.1", None) is None and exposure_warning("::1", None) is None
    loud = exposure_warning("0.0.0.0", None)
    assert "WARNING" in loud and "NO ACCESS TOKEN" in loud
    assert "NO ACCESS TOKEN" not in exposure_warning("192.0.2.10", TOKEN)
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(f"output_dir: {tmp_path}\nsources:\n  - {{name: A, url: 'https://a.example/rss'}}\n")
    monkeypatch.delenv("BRIEFING_TEST_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="BRIEFING_TEST_TOKEN"):
        serve(cfg, port=0, token_env="BRIEFING_TEST_TOKEN")
    with pytest.raises(ConfigError, match="cannot listen"):
        serve(cfg, port=world.port)  # already taken by the world's server


# -- hostile-tester findings (issue 14) ------------------------------------------------------
@pytest.mark.parametrize(
    "path,status",
    [
        ("/9999-12-31", 404),
        ("/0001-01-01", 404),
        ("/9999-12-31?theater=Gaza", 404),
        ("/live?as_of=0001-01-01", 400),
        ("/live?as_of=9999-12-31T23:59:59", 400),
    ],
)
def test_dates_out_of_range_are_refused_not_500(world, path, status):
    got, headers, body = request(world, path)
    assert got == status, body[:300]
    assert "Internal error" not in body


def test_access_tokens_never_reach_the_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BRIEFING_SERVE_LOG", "1")
    server, w = build_world(tmp_path, token=TOKEN)
    try:
        request(w, f"/?token={TOKEN}")
        request(w, f"/live?theater=Gaza&token={TOKEN}&type=incident")
        request(w, "/?token=wrong-guess-of-a-token")
    finally:
        server.shutdown()
        server.server_close()
        w.feeds.close()
    log = capsys.readouterr().err
    assert "GET /" in log  # the log is on, and shows the requests
    assert TOKEN not in log and "wrong-guess-of-a-token" not in log
    assert "token=[redacted]" in log
