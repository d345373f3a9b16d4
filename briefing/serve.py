"""`briefing serve`: the on-demand HTML preview on 127.0.0.1.

The standard library's ThreadingHTTPServer, hardened: daemon threads, a socket timeout per
connection (slow clients cannot pin a thread forever), a cap on concurrent connections, tiny
request bodies, a Host check against DNS rebinding, an optional access token, CSRF tokens on
POST, strict security headers on every response, and routes matched by exact patterns only —
nothing from the URL ever becomes a file path. Pages live in `serve_pages.py`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import ipaddress
import os
import re
import secrets
import socket
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .config import Config, ConfigError, load_config
from .render import STATIC_DIR
from .serve_pages import (DATE_RE, FetchJob, Filters, PageError, archive_days, archived_brief,
                          brief_page, file_for, live_brief, nav_only, render_page, sources_page)

MAX_BODY = 8 * 1024             # the only form we accept has one hidden field
MAX_CONNECTIONS = 64            # beyond this a client gets 503 instead of another thread
REQUEST_TIMEOUT = 15.0          # seconds of silence before a connection is dropped
TOKEN_COOKIE = "briefing_token"
ROUTE_DAY = re.compile(r"/(\d{4}-\d{2}-\d{2})")
ROUTE_FILE = re.compile(r"/(\d{4}-\d{2}-\d{2})/(brief\.(?:html|pdf|json))")
STYLE_EL = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
STYLE_ATTR = re.compile(r"""\sstyle="([^"]*)\"""", re.I)
TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
         "json": "application/json; charset=utf-8", "css": "text/css; charset=utf-8"}


def csp(body: bytes) -> str:
    """A strict policy; the page's own <style> blocks (from our trusted templates — feed text is
    escaped and cannot open one) are allowed by hash, so no 'unsafe-inline' is needed."""
    text = body.decode("utf-8", "replace")
    def h(s: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
    styles = sorted({h(s) for s in STYLE_EL.findall(text)})
    attrs = sorted({h(html.unescape(s)) for s in STYLE_ATTR.findall(text)})
    style_src = " ".join(["'self'", *styles, *(["'unsafe-hashes'", *attrs] if attrs else [])])
    return (f"default-src 'none'; style-src {style_src}; img-src data:; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True           # a stuck request never keeps the process alive
    block_on_close = False
    request_queue_size = 128

    def __init__(self, addr, config: Config, token: str | None, transport=None):
        if ":" in addr[0]:
            self.address_family = socket.AF_INET6
        super().__init__(addr, Handler)
        self.config, self.token = config, token
        self.csrf = secrets.token_urlsafe(32)   # per process; read only by same-origin pages
        self.fetch = FetchJob(config, transport)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.loopback = is_loopback(addr[0])

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            try:                    # over capacity: answer at once rather than queue a thread
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\nRetry-After: 1\r\n\r\n")
            finally:
                self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = REQUEST_TIMEOUT
    server_version = "briefing"
    sys_version = ""
    _csp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    def log_message(self, format: str, *args) -> None:   # noqa: A002 - http.server's name
        if os.environ.get("BRIEFING_SERVE_LOG"):
            super().log_message(format, *args)

    def end_headers(self) -> None:
        # Every response, error pages from http.server itself included, carries these.
        for k, v in (("Content-Security-Policy", self._csp), ("X-Content-Type-Options", "nosniff"),
                     ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"),
                     ("Cross-Origin-Opener-Policy", "same-origin"),
                     ("Cross-Origin-Resource-Policy", "same-origin")):
            self.send_header(k, v)
        super().end_headers()

    # -- plumbing ---------------------------------------------------------------------------
    def send(self, status: int, body: bytes | str, ctype: str = TYPES["html"],
             headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        if ctype.startswith("text/html"):
            self._csp = csp(data)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")      # briefs are live and possibly sensitive
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def page_error(self, status: int, message: str) -> None:
        title = {400: "Bad request", 401: "Access token required", 403: "Forbidden",
                 404: "Not found", 409: "Busy", 413: "Too large"}.get(status, "Error")
        try:
            body = render_page(self.server.config, "serve_layout.html.j2", title=title,
                               nav=nav_only(self.server.config, title),
                               refresh=False).replace("</main>", f"<p>{html.escape(message)}</p></main>", 1)
        except PageError:           # the templates themselves are broken: plain text it is
            body = f"<!doctype html><title>{title}</title><p>{html.escape(message)}</p>"
        self.send(status, body)

    def host_ok(self) -> bool:
        """Against DNS rebinding: a loopback server answers only to loopback host names."""
        if not self.server.loopback:
            return True
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        return is_loopback(host)

    def token_ok(self, query: dict[str, list[str]]) -> tuple[bool, bool]:
        """(allowed, came from ?token=). Compared in constant time."""
        want = self.server.token
        if not want:
            return True, False
        given = query.get("token", [""])[0]
        if given and hmac.compare_digest(given.encode(), want.encode()):
            return True, True
        for part in (self.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == TOKEN_COOKIE and hmac.compare_digest(v.encode(), want.encode()):
                return True, False
        return False, False

    # -- entry points -------------------------------------------------------------------------
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
            if not self.host_ok():
                return self.page_error(403, "Unexpected Host header.")
            allowed, via_query = self.token_ok(query)
            if not allowed:
                return self.page_error(401, "This preview needs its access token: open it with ?token=… once.")
            if via_query and not post:
                # Swap the token for an HttpOnly cookie and drop it from the address bar.
                return self.send(303, b"", headers={
                    "Location": path,
                    "Set-Cookie": f"{TOKEN_COOKIE}={self.server.token}; HttpOnly; SameSite=Strict; Path=/"})
            if post:
                return self.post(path)
            return self.get(path, query)
        except PageError as exc:
            return self.page_error(exc.status, exc.message)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True
        except Exception as exc:    # one bad page must not take the server down
            self.log_error("error on %s: %r", self.path, exc)
            return self.page_error(500, f"Internal error: {type(exc).__name__}: {exc}")

    def get(self, path: str, query: dict[str, list[str]]) -> None:
        config = self.server.config
        f = Filters.from_query(query)
        if path == "/":
            return self.send(200, brief_page(config, live_brief(config), f, path="/", label="Latest brief"))
        if path == "/live":
            as_of = self._as_of(query)
            label = "Live preview" if as_of is None else "Preview"
            return self.send(200, brief_page(config, live_brief(config, as_of), f, path="/live", label=label))
        if path == "/archive":
            return self.send(200, render_page(config, "serve_archive.html.j2", title="Archive",
                                              days=archive_days(config), nav=nav_only(config, "Archive")))
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
            extra = {"Content-Disposition": f'attachment; filename="brief-{m.group(1)}.pdf"'} if ext == "pdf" else {}
            return self.send(200, real.read_bytes(), TYPES[ext], extra)
        raise PageError(404, "No such page.")

    def day(self, day: str, f: Filters) -> None:
        """/YYYY-MM-DD: the file as written (exact record of what went out) unless filters ask
        for a recomposition from the store."""
        config = self.server.config
        if not DATE_RE.fullmatch(day):
            raise PageError(404, "No such page.")
        disk = file_for(config, day, "brief.html")
        if disk is not None and not f:
            return self.send(200, inject_nav(config, disk, day))
        brief = archived_brief(config, day)
        if brief is None:
            if disk is not None:
                raise PageError(404, f"Filters need the store's record of {day}, which is gone; "
                                     f"the brief as written is at /{day}.")
            raise PageError(404, f"No brief for {day}.")
        return self.send(200, brief_page(config, brief, f, path=f"/{day}", label=f"Brief of {day}",
                                         note="recomposed from the store"))

    def _as_of(self, query: dict[str, list[str]]) -> datetime | None:
        text = query.get("as_of", [""])[0]
        if not text:
            return None
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise PageError(400, "as_of must be an ISO 8601 time such as 2026-03-10T06:00.") from None
        return (dt if dt.tzinfo else dt.replace(tzinfo=self.server.config.tz)).astimezone(timezone.utc)

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
        if not self.same_origin() or not hmac.compare_digest(
                form.get("csrf", [""])[0].encode(), self.server.csrf.encode()):
            raise PageError(403, "This form must be sent from the preview's own Fetch page.")
        started, message = self.server.fetch.start()
        if started:
            return self.send(303, b"", headers={"Location": "/fetch"})
        return self.send(409, self.server.fetch.page(self.server.config, message=message,
                                                     csrf=self.server.csrf))

    def same_origin(self) -> bool:
        """Belt and braces next to the CSRF token: refuse anything a browser marks cross-site.
        (With Referrer-Policy no-referrer a same-origin POST carries `Origin: null`.)"""
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return False
        origin = self.headers.get("Origin")
        if origin and origin != "null":
            return urlsplit(origin).netloc == (self.headers.get("Host") or "")
        return True


def inject_nav(config: Config, file: Path, day: str) -> bytes:
    """The archived HTML as written, with the preview's nav bar inserted after <body>."""
    text = file.read_text("utf-8", "replace")
    nav = render_page(config, "serve_nav.html.j2", nav=nav_only(config, f"Brief of {day}",
                                                                 note="as written to disk", day=day))
    head = '<link rel="stylesheet" href="/static/serve.css">'
    text = text.replace("</head>", head + "</head>", 1)
    m = re.search(r"<body[^>]*>", text)
    if m:
        text = text[:m.end()] + nav + '<main id="main" tabindex="-1">' + text[m.end():]
        text = text.replace("</body>", "</main></body>", 1)
    return text.encode("utf-8")


def make_server(config: Config, host: str = "127.0.0.1", port: int = 8000,
                token: str | None = None, transport=None) -> PreviewServer:
    """A ready server (call .serve_forever() in a thread; .shutdown() to stop).
    `transport` is passed to the fetcher for tests that pin the HTTP client."""
    return PreviewServer((host, port), config, token or None, transport)


def serve(config_path: str | Path = "feeds.yaml", host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None, token_env: str | None = None) -> None:
    """`briefing serve`: run until Ctrl-C. Says loudly when reachable beyond this machine.
    The token comes from the environment variable `token_env` (never a command-line value,
    which other users could read in `ps`); `token` is for callers that already hold it."""
    config = load_config(config_path)
    if token_env:
        token = os.environ.get(token_env, "")
        if len(token) < 16:
            raise ConfigError(f"--token-env {token_env}: the variable is unset or shorter than 16 characters")
    server = make_server(config, host, port, token)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{server.server_address[1]}/"
    if not server.loopback:
        bar = "!" * 72
        print(f"{bar}\nWARNING: the preview is bound to {host}, reachable from other machines.\n"
              f"Briefs may be sensitive. "
              + ("Access needs the token." if token else "NO ACCESS TOKEN IS SET: anyone who can "
                 "reach this port can read the briefs and trigger fetches.") + f"\n{bar}",
              file=sys.stderr, flush=True)
    print(f"briefing preview on {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()      # serve_forever ran in this thread: nothing to shut down
