"""A real HTTP server on 127.0.0.1 for tests: serves the routes you register, and misbehaves on request.

Use the ``feed_server`` fixture (tests/conftest.py), or ``with FeedServer() as server: ...``.

API (all ``path`` arguments start with "/", e.g. "/rss.xml"; query strings are ignored):
- ``server.url(path) -> str``                 absolute URL, e.g. "http://127.0.0.1:41234/rss.xml"
- ``server.add(path, body, content_type="application/rss+xml; charset=utf-8", status=200,
  headers=None, etag=None, last_modified=None, gzip=False, delay=0.0, chunked=False)``
    serve ``body`` (bytes). ``etag``/``last_modified`` are sent as ETag/Last-Modified and a
    request whose If-None-Match equals the ETag (or, without an ETag, whose If-Modified-Since
    equals ``last_modified``) gets 304 with no body. ``gzip=True`` compresses the body and sets
    Content-Encoding; to serve bytes that are already compressed (a gzip bomb), pass them with
    ``headers={"Content-Encoding": "gzip"}``. ``delay`` waits before answering. ``chunked=True``
    sends no Content-Length (body ends when the connection closes). Re-adding a path replaces it.
- ``server.add_hang(path)``                   accept the request and never answer
- ``server.add_drip(path, interval=1.0, body=b"<rss>...", length=1_000_000)``  send headers
  (Content-Length: ``length``), then one byte per ``interval`` seconds, cycling over ``body``,
  until ``length`` bytes were sent or the server closes
- ``server.add_redirect(path, to, status=302)`` ``to`` is sent verbatim as Location (a path,
  an absolute URL, or e.g. "file:///etc/passwd")
- ``server.hits(path) -> int``                 how many requests reached ``path``
- ``server.requests -> list[(path, dict_of_lowercased_headers)]``  every request received
- ``server.close()``                           stops serving; hung and dripping handlers are
  released by a stop event and run in daemon threads, so teardown never blocks
Unknown paths get 404.
"""

from __future__ import annotations

import gzip as gzip_module
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class _Route:
    kind: str  # "static" | "hang" | "drip" | "redirect"
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    chunked: bool = False
    interval: float = 1.0
    length: int = 0  # drip: total bytes announced and sent


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 drops SYNs when many feeds connect at once; the client
    # then retries after 1 s and a short connect timeout fails spuriously.
    request_queue_size = 256
    daemon_threads = True  # hung handlers die with the process...
    block_on_close = False  # ...and server_close() does not join them


class FeedServer:
    """Loopback HTTP server on an ephemeral port, in a background daemon thread."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self._routes: dict[str, _Route] = {}
        self._lock = threading.Lock()
        self.stop = threading.Event()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._httpd = _Server((host, 0), _make_handler(self))
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"feedserver:{self.port}",
            daemon=True,
        )
        self._thread.start()

    # -- registration -------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(
        self,
        path: str,
        body: bytes,
        content_type: str = "application/rss+xml; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        gzip: bool = False,
        delay: float = 0.0,
        chunked: bool = False,
    ) -> str:
        hdrs = dict(headers or {})
        if gzip:
            body = gzip_module.compress(body)
            hdrs["Content-Encoding"] = "gzip"
        self._put(
            path, _Route("static", body, content_type, status, hdrs, etag, last_modified, delay, chunked)
        )
        return self.url(path)

    def add_hang(self, path: str) -> str:
        self._put(path, _Route("hang"))
        return self.url(path)

    def add_drip(
        self,
        path: str,
        interval: float = 1.0,
        body: bytes = b'<?xml version="1.0"?><rss version="2.0"><channel>',
        length: int = 1_000_000,
    ) -> str:
        self._put(path, _Route("drip", body=body, interval=interval, length=length))
        return self.url(path)

    def add_redirect(self, path: str, to: str, status: int = 302) -> str:
        self._put(path, _Route("redirect", status=status, headers={"Location": to}))
        return self.url(path)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.requests if p == path)

    def _put(self, path: str, route: _Route) -> None:
        with self._lock:
            self._routes[path] = route

    def _route(self, path: str) -> _Route | None:
        with self._lock:
            return self._routes.get(path)

    # -- lifecycle ------------------------------------------------------------------------
    def close(self) -> None:
        self.stop.set()  # release hang/drip/delay handlers first
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _make_handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            path = self.path.split("?", 1)[0]
            with server._lock:
                server.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            route = server._route(path)
            try:
                if route is None:
                    self._send(404, b"not found", "text/plain", {})
                elif route.kind == "hang":
                    server.stop.wait()
                    self.close_connection = True
                elif route.kind == "drip":
                    self._drip(route)
                elif route.kind == "redirect":
                    self._send(route.status, b"", "text/plain", route.headers)
                else:
                    self._static(route)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up: expected in timeout tests

        def _static(self, route: _Route) -> None:
            if route.delay and server.stop.wait(route.delay):
                return
            extra = dict(route.headers)
            if route.etag:
                extra["ETag"] = route.etag
            if route.last_modified:
                extra["Last-Modified"] = route.last_modified
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if (route.etag and inm == route.etag) or (
                not route.etag and route.last_modified and ims == route.last_modified
            ):
                extra.pop("Content-Encoding", None)
                self._send(304, b"", None, extra)
                return
            self._send(route.status, route.body, route.content_type, extra, chunked=route.chunked)

        def _drip(self, route: _Route) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(route.length))
            self.end_headers()
            i = 0
            while i < route.length and not server.stop.wait(route.interval):
                self.wfile.write(route.body[i % len(route.body) :][:1] or b" ")
                self.wfile.flush()
                i += 1
            self.close_connection = True

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            headers: dict[str, str],
            chunked: bool = False,
        ) -> None:
            self.send_response(status)
            if content_type and status != 304:
                self.send_header("Content-Type", content_type)
            for k, v in headers.items():
                self.send_header(k, v)
            if chunked:
                self.send_header("Connection", "close")  # body ends at EOF
                self.close_connection = True
            elif status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
            self.wfile.flush()

    return Handler
