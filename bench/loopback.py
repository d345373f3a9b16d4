"""A feed server on 127.0.0.1 for the bench scripts: ``serve(body_for)`` answers GET <path> with
``body_for(path)`` as RSS (404 when it gives None) on a free port, from a daemon thread.
``hang``: a path that is accepted and never answered (until ``server.stop_event`` is set)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(body_for: Callable[[str], bytes | None], hang: str | None = None) -> ThreadingHTTPServer:
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == hang:
                stop.wait(120)
                return
            body = body_for(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.stop_event = stop  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
