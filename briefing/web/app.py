"""`briefing serve`: the on-demand HTML preview on 127.0.0.1.

The standard library's ThreadingHTTPServer, hardened: daemon threads, a deadline for a whole
request head and a cap on connections that have not yet sent one (slow clients can neither pin
a thread nor crowd out a real reader: the oldest waiting connection makes way for a new one),
a socket timeout per read and write, a cap on concurrent connections, tiny request bodies, a Host check against DNS rebinding, an optional access token, CSRF tokens on
POST, strict security headers on every response, and routes matched by exact patterns only —
nothing from the URL ever becomes a file path. Pages live in `pages.py`.
"""

from __future__ import annotations

import html
import os
import re
import secrets
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..config import Config, ConfigError, load_config
from ..output.render import STATIC_DIR
from .fetch_job import FetchJob
from .pages import (
    DATE_RE,
    MAX_YEAR,
    MIN_YEAR,
    Filters,
    PageError,
    archive_days,
    archived_brief,
    banner,
    brief_page,
    file_for,
    in_range,
    inject_nav,
    latest_written_day,
    live_brief,
    long_date,
    nav_only,
    render_page,
    sources_page,
)
from .security import (
    TOKEN_COOKIE,
    cookie_value,
    csp,
    host_allowed,
    is_loopback,
    same_origin,
    token_check,
)

MAX_BODY = 8 * 1024  # the only form we accept has one hidden field
MAX_CONNECTIONS = 64  # beyond this a client gets 503 instead of another thread
REQUEST_TIMEOUT = 15.0  # seconds of silence before a connection is dropped
# A request head (request line, headers, a form's body) must arrive whole within this, however
# it is dripped: a per-read timeout alone let a client sending one header line every 5 s hold a
# connection for ever (hostile tester, issue 14).
HEAD_DEADLINE = 10.0
# Connections still waiting for a complete, authorised request. A new one beyond this evicts the
# oldest, so 100 slow clients cannot keep a real request out; a browser's idle keep-alive
# connection evicted under attack is simply reopened.
MAX_WAITING = 32
ROUTE_DAY = re.compile(r"/(\d{4}-\d{2}-\d{2})")
ROUTE_FILE = re.compile(r"/(\d{4}-\d{2}-\d{2})/(brief\.(?:html|pdf|json))")
TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json; charset=utf-8",
    "css": "text/css; charset=utf-8",
}

_TOKEN_IN_URL = re.compile(r"((?:^|[?&\s])token=)[^&\s\"]*")


_in_range = in_range  # MIN_YEAR..MAX_YEAR: see pages


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a stuck request never keeps the process alive
    block_on_close = False
    request_queue_size = 1024

    def __init__(self, addr, config: Config, token: str | None, transport=None):
        if ":" in addr[0]:
            self.address_family = socket.AF_INET6
        super().__init__(addr, Handler)
        self.config, self.token = config, token
        self.csrf = secrets.token_urlsafe(32)  # per process; read only by same-origin pages
        self.fetch = FetchJob(config, transport)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.loopback = is_loopback(addr[0])
        self.head_deadline = HEAD_DEADLINE
        self.waiting: dict[socket.socket, float] = {}  # connection → deadline, oldest first
        self.waiting_lock = threading.Lock()

    # -- connections waiting for a request -------------------------------------------------------
    def wait_for_request(self, conn: socket.socket) -> None:
        """`conn` now waits for a request head: give it a deadline, and make room by evicting
        the oldest waiter if too many are waiting."""
        with self.waiting_lock:
            self.waiting.pop(conn, None)
            while len(self.waiting) >= MAX_WAITING:
                oldest = next(iter(self.waiting))
                del self.waiting[oldest]
                _drop(oldest)
            self.waiting[conn] = time.monotonic() + self.head_deadline

    def request_read(self, conn: socket.socket) -> None:
        with self.waiting_lock:
            self.waiting.pop(conn, None)

    def service_actions(self) -> None:
        # serve_forever calls this every poll interval: drop the heads that missed the deadline.
        now = time.monotonic()
        with self.waiting_lock:
            late = [c for c, deadline in self.waiting.items() if deadline <= now]
            for conn in late:
                del self.waiting[conn]
                _drop(conn)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            try:  # over capacity: answer at once rather than queue a thread
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                    b"Connection: close\r\nRetry-After: 1\r\n\r\n"
                )
            finally:
                self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse-DNS lookup (getfqdn) that can stall for seconds
        # on a machine without DNS; we never use the name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def handle_error(self, request, client_address) -> None:
        # A client hanging up or going silent is routine, not a traceback on the console.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.request_read(request)
            self.slots.release()


def _drop(conn: socket.socket) -> None:
    """End a connection from outside its thread: the thread's blocked read returns at once and
    the handler closes the socket as usual."""
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already gone


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = REQUEST_TIMEOUT
    server_version = "briefing"
    sys_version = ""
    _csp = csp(b"")  # for responses that are not our HTML pages

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        if os.environ.get("BRIEFING_SERVE_LOG"):
            # the request line carries ?token=… on a first visit: a log is no place for it
            super().log_message("%s", _TOKEN_IN_URL.sub(r"\1[redacted]", format % args))

    def end_headers(self) -> None:
        # Every response, error pages from http.server itself included, carries these.
        for k, v in (
            ("Content-Security-Policy", self._csp),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
        ):
            self.send_header(k, v)
        super().end_headers()

    # -- plumbing ---------------------------------------------------------------------------
    def send(
        self,
        status: int,
        body: bytes | str,
        ctype: str = TYPES["html"],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        # Per response: a keep-alive connection must not carry one page's style hashes to the next.
        self._csp = csp(data) if ctype.startswith("text/html") else csp(b"")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # briefs are live and possibly sensitive
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def page_error(self, status: int, message: str) -> None:
        title = {
            400: "Bad request",
            401: "Access token required",
            403: "Forbidden",
            404: "Not found",
            409: "Busy",
            413: "Too large",
        }.get(status, "Error")
        try:
            body = render_page(
                self.server.config,
                "serve_layout.html.j2",
                title=title,
                nav=nav_only(self.server.config, title),
                refresh=False,
            )
            extra = f"<p>{html.escape(message)}</p>"
            if status == 401:  # a form, so a phone user need not edit the URL
                extra += (
                    '<form method="get" action="/"><label>Access token <input type="password" '
                    'name="token" autocomplete="current-password" required></label> '
                    '<button type="submit">Open</button></form>'
                )
            body = body.replace("</main>", extra + "</main>", 1)
        except PageError:  # the templates themselves are broken: plain text it is
            body = f"<!doctype html><title>{title}</title><p>{html.escape(message)}</p>"
        self.send(status, body)

    # -- entry points -------------------------------------------------------------------------
    def handle_one_request(self) -> None:
        self.server.wait_for_request(self.connection)
        super().handle_one_request()

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        self.dispatch(post=False)

    def do_POST(self) -> None:  # noqa: N802
        self.dispatch(post=True)

    def dispatch(self, post: bool) -> None:
        try:
            parts = urlsplit(self.path)
            path = parts.path
            query = parse_qs(parts.query, keep_blank_values=False, max_num_fields=100)
        except ValueError:
            return self.page_error(400, "Malformed request.")
        try:
            if not host_allowed(self.headers.get("Host"), self.server.loopback):
                self.close_connection = True
                return self.page_error(403, "Unexpected Host header.")
            allowed, via_query = token_check(
                self.server.token, query.get("token", [""])[0], self.headers.get("Cookie")
            )
            if not allowed:
                self.close_connection = True  # no keep-alive for strangers
                return self.page_error(
                    401, "This preview needs its access token: open it with ?token=… once."
                )
            if not post:  # a form's body is part of its head: see post()
                self.server.request_read(self.connection)
            if via_query and not post:
                # Swap the token for an HttpOnly cookie and drop it from the address bar.
                token = self.server.token
                assert token is not None  # via_query: token_check matched ?token= against it
                return self.send(
                    303,
                    b"",
                    headers={
                        "Location": path,
                        "Set-Cookie": f"{TOKEN_COOKIE}={cookie_value(token)}; HttpOnly; "
                        "SameSite=Strict; Path=/",
                    },
                )
            if post:
                return self.post(path)
            return self.get(path, query)
        except PageError as exc:
            return self.page_error(exc.status, exc.message)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # one bad page must not take the server down
            self.log_error("error on %s: %r", self.path, exc)
            return self.page_error(500, f"Internal error: {type(exc).__name__}: {exc}")

    def get(self, path: str, query: dict[str, list[str]]) -> None:
        config = self.server.config
        f = Filters.from_query(query)
        if path == "/":
            return self.latest(f)
        if path == "/live":
            return self.live(query, f)
        if path == "/archive":
            return self.send(
                200,
                render_page(
                    config,
                    "serve_archive.html.j2",
                    title="Archive",
                    days=archive_days(config),
                    nav=nav_only(config, "Archive"),
                ),
            )
        if path == "/sources":
            return self.send(200, sources_page(config))
        if path == "/fetch":
            return self.send(200, self.server.fetch.page(config, csrf=self.server.csrf))
        if path == "/static/serve.css":
            return self.send(200, (STATIC_DIR / "serve.css").read_bytes(), TYPES["css"])
        m = ROUTE_DAY.fullmatch(path)
        if m:
            return self.day(m.group(1), f)
        m = ROUTE_FILE.fullmatch(path)
        if m:
            real = file_for(config, m.group(1), m.group(2))
            if real is None:
                raise PageError(404, f"No {m.group(2)} for {m.group(1)}.")
            ext = m.group(2).rsplit(".", 1)[1]
            extra = (
                {"Content-Disposition": f'attachment; filename="brief-{m.group(1)}.pdf"'}
                if ext == "pdf"
                else {}
            )
            return self.send(200, real.read_bytes(), TYPES[ext], extra)
        raise PageError(404, "No such page.")

    def latest(self, f: Filters) -> None:
        """/: the newest brief written to the output folder (what /archive lists first), as
        written; with filters, recomposed from the store like /YYYY-MM-DD. Before any brief
        is written, the live preview, saying so."""
        config = self.server.config
        day = latest_written_day(config)
        disk = file_for(config, day, "brief.html") if day else None
        if day is None or disk is None:
            note = banner(
                "No brief has been written yet (briefing run writes one, and it will "
                "show here). Below is the live preview, composed now from the store."
            )
            return self.send(
                200,
                brief_page(
                    config,
                    live_brief(config),
                    f,
                    path="/",
                    label="Live preview",
                    note="no brief written yet",
                    banner=note,
                ),
            )
        note = banner(
            f"The latest brief written: {long_date(day)}. For a brief composed now "
            "from everything fetched since, open the ",
            "/live",
            "Live preview",
            ".",
        )
        if not f:
            return self.send(
                200,
                inject_nav(config, disk, day, label="Latest brief", path="/", note="as written", banner=note),
            )
        brief = archived_brief(config, day)
        if brief is None:
            raise PageError(
                404, f"Filters need the store's record of {day}, which is gone; the brief as written is at /."
            )
        return self.send(
            200,
            brief_page(
                config,
                brief,
                f,
                path="/",
                label="Latest brief",
                note=f"brief of {day}, recomposed from the store",
                banner=note,
            ),
        )

    def live(self, query: dict[str, list[str]], f: Filters) -> None:
        """/live: composed now from the store (as of ?as_of=… if given), and said to be so."""
        config = self.server.config
        as_of = self._as_of(query)
        latest = latest_written_day(config)
        what = (
            "Composed just now from everything in the store"
            + (" up to the time asked for" if as_of else "")
            + ": not a brief that was written or sent. "
        )
        note = (
            banner(what, "/", "Latest brief", f": the one written for {long_date(latest)}.")
            if latest
            else banner(what + "No brief has been written yet.")
        )
        return self.send(
            200,
            brief_page(
                config,
                live_brief(config, as_of),
                f,
                path="/live",
                label="Live preview" if as_of is None else "Preview",
                banner=note,
            ),
        )

    def day(self, day: str, f: Filters) -> None:
        """/YYYY-MM-DD: the file as written (exact record of what went out) unless filters ask
        for a recomposition from the store."""
        config = self.server.config
        if not DATE_RE.fullmatch(day) or not _in_range(day):
            raise PageError(404, "No such page.")
        disk = file_for(config, day, "brief.html")
        if disk is not None and not f:
            return self.send(200, inject_nav(config, disk, day))
        brief = archived_brief(config, day)
        if brief is None:
            if disk is not None:
                raise PageError(
                    404,
                    f"Filters need the store's record of {day}, which is gone; "
                    f"the brief as written is at /{day}.",
                )
            raise PageError(404, f"No brief for {day}.")
        return self.send(
            200,
            brief_page(
                config, brief, f, path=f"/{day}", label=f"Brief of {day}", note="recomposed from the store"
            ),
        )

    def _as_of(self, query: dict[str, list[str]]) -> datetime | None:
        text = query.get("as_of", [""])[0]
        if not text:
            return None
        try:
            if not _in_range(datetime.fromisoformat(text).date().isoformat()):
                raise PageError(400, f"as_of must be between the years {MIN_YEAR} and {MAX_YEAR}.")
            return self.server.config.as_of(text)
        except ValueError:
            raise PageError(400, "as_of must be an ISO 8601 time such as 2026-03-10T06:00.") from None

    def post(self, path: str) -> None:
        if path != "/fetch":
            raise PageError(404, "No such page.")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            raise PageError(413, "Request body too large.")
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"), max_num_fields=10)
        self.server.request_read(self.connection)
        if not same_origin(self.headers, form.get("csrf", [""])[0], self.server.csrf):
            raise PageError(403, "This form must be sent from the preview's own Fetch page.")
        started, message = self.server.fetch.start()
        if started:
            return self.send(303, b"", headers={"Location": "/fetch"})
        return self.send(
            409, self.server.fetch.page(self.server.config, message=message, csrf=self.server.csrf)
        )


def make_server(
    config: Config, host: str = "127.0.0.1", port: int = 8000, token: str | None = None, transport=None
) -> PreviewServer:
    """A ready server (call .serve_forever() in a thread; .shutdown() to stop).
    `transport` is passed to the fetcher for tests that pin the HTTP client."""
    return PreviewServer((host, port), config, token or None, transport)


def exposure_warning(host: str, token: str | None) -> str | None:
    """The loud banner for a non-loopback bind; None on 127.0.0.1/::1/localhost."""
    if is_loopback(host):
        return None
    bar = "!" * 72
    lock_line = (
        "Access needs the token (open the URL once with ?token=...)."
        if token
        else "NO ACCESS TOKEN IS SET: anyone who can reach this port can read the briefs "
        "and start fetches. Use --token-env NAME."
    )
    return (
        f"{bar}\nWARNING: the preview is bound to {host} and reachable from other machines.\n"
        f"Briefs may be sensitive. {lock_line}\n{bar}"
    )


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def serve(
    config_path: str | Path = "feeds.yaml",
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    token_env: str | None = None,
    say: Callable[[str], None] = _stderr,
) -> None:
    """`briefing serve`: run until Ctrl-C. Says loudly (through `say`) when reachable beyond
    this machine. The token should come from the environment variable named by `token_env`
    (a command-line value would show in `ps`); `token` is for callers that already hold it.
    Raises ConfigError (one line, exit 2 in the CLI) for a bad config, token or address."""
    config = load_config(config_path)
    if token_env:
        token = os.environ.get(token_env, "")
        if len(token) < 16:
            raise ConfigError(f"--token-env {token_env}: the variable is unset or shorter than 16 characters")
    try:
        server = make_server(config, host, port, token)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    warning = exposure_warning(host, token)
    if warning:
        say(warning)
    shown = f"[{host}]" if ":" in host else host
    say(f"briefing preview on http://{shown}:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()  # serve_forever ran in this thread: nothing to shut down
