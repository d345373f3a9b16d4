"""`briefing demo`: the whole pipeline, offline, on the bundled sample feeds.

The feeds are served by a real HTTP server on 127.0.0.1 so the demo exercises the real fetch
path. Their dates are shifted so that the samples' anchor time becomes "now": the demo brief
is always today's.

Beside its output the demo keeps `feeds.yaml`, its configuration with the output folder and
store made relative to it, so `briefing serve -c OUT/feeds.yaml` previews the demo brief (the
sample feeds' loopback addresses are dead by then; the written brief is what `/` shows).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from ..config import Config, load_config, parse_config
from ..pipeline import Progress, RunResult, run

FEEDS_DIR = Path(__file__).resolve().parent / "demo_feeds"
ANCHOR = datetime(2026, 1, 15, 6, 0, tzinfo=UTC)  # see demo_feeds/README.md
_RFC822 = re.compile(rb"(<pubDate>)([^<]+)(</pubDate>)")
_ISO = re.compile(rb"(<(?:updated|published|dc:date)>)([^<]+)(</(?:updated|published|dc:date)>)")


def shift_dates(xml: bytes, delta: timedelta) -> bytes:
    """Move every feed date by `delta`, keeping each date's own format and offset."""

    def rfc(m: re.Match) -> bytes:
        try:
            dt = parsedate_to_datetime(m[2].decode().strip())
        except (TypeError, ValueError):
            return m[0]
        return m[1] + format_datetime(dt + delta).encode() + m[3]

    def iso(m: re.Match) -> bytes:
        try:
            dt = datetime.fromisoformat(m[2].decode().strip().replace("Z", "+00:00"))
        except ValueError:
            return m[0]
        return m[1] + (dt + delta).isoformat().encode() + m[3]

    return _ISO.sub(iso, _RFC822.sub(rfc, xml))


class _Handler(BaseHTTPRequestHandler):
    feeds: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.feeds.get(self.path)
        if body is None:
            self.send_error(503 if self.path == "/offline.xml" else 404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


CONFIG_NAME = "feeds.yaml"
_MARK = "# Written by `briefing demo`"


def _demo_data(base: Config | None, urls: dict[str, str]) -> dict:
    """The demo's configuration as plain YAML-able data; paths relative to the output folder."""
    data: dict = {"title": "Morning Security Brief (demo)"}
    if base is not None:
        data.update(
            {
                "title": base.title,
                "timezone": base.timezone,
                "window_hours": base.window_hours,
                "classification": base.classification,
                "paper_size": base.paper_size,
                "templates_dir": str(base.templates_dir) if base.templates_dir else None,
            }
        )
    data.update(
        {
            "output_dir": ".",
            "database": "demo.sqlite3",
            "fetch": {"deadline": 10},
            "sources": [{"name": n, "url": u} for n, u in urls.items()],
        }
    )
    if base is not None:
        data.update(
            {
                "subscribers": [
                    s.model_dump(mode="json", exclude_none=True, by_alias=True) for s in base.subscribers
                ],
                # the sender, never the SMTP server: the demo only writes to its outbox
                "delivery": {"from": base.delivery.from_},
                "taxonomy": base.taxonomy,
            }
        )
    data = {k: v for k, v in data.items() if v is not None}
    return data


def _demo_config(base: Config | None, urls: dict[str, str], out_dir: Path) -> Config:
    return parse_config(_demo_data(base, urls), out_dir)


def keep_config(data: dict, out_dir: Path) -> Path:
    """Write the demo's configuration beside its output, for `briefing serve -c`. A file there
    that the demo did not write is left alone (the config goes to demo-feeds.yaml instead)."""
    path = out_dir / CONFIG_NAME
    try:
        ours = path.read_text("utf-8", "replace").startswith(_MARK)
    except FileNotFoundError:
        ours = True
    if not ours:
        path = out_dir / "demo-feeds.yaml"
    header = (
        f"{_MARK}: its configuration, kept so that `briefing serve -c {path.name}`\n"
        "# (from this folder) previews the demo brief. The sample feeds were served on loopback\n"
        "# during the demo only: a `briefing run` with this file would find them all gone.\n"
    )
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def preview_command(config_file: Path) -> str:
    """The command that previews the demo, as the user can paste it where they ran the demo."""
    prog = Path(sys.argv[0]) if sys.argv and Path(sys.argv[0]).name == "briefing" else Path("briefing")
    return f"{shlex.quote(_shown(prog))} serve -c {shlex.quote(_shown(config_file))}"


def _shown(path: Path) -> str:
    """`path` relative to the working folder when it lies inside it, else as given/absolute."""
    if len(path.parts) == 1 and not path.is_absolute():
        return str(path)  # a bare program name, found on PATH
    full, here = path.absolute(), Path.cwd()
    return os.path.relpath(full, here) if full.is_relative_to(here) else str(full)


def _feed_name(path: Path) -> str:
    m = re.search(rb"<title>(?:<!\[CDATA\[)?([^<\]]{1,80})", path.read_bytes())
    return m[1].decode("utf-8", "replace").strip() if m else path.stem


def run_demo(
    config_path: str,
    *,
    out_dir: Path | None = None,
    now: datetime | None = None,
    progress: Progress = lambda _m: None,
) -> RunResult:
    base = load_config(config_path) if Path(config_path).exists() else None
    now = now or datetime.now(UTC)
    delta = now - ANCHOR
    files = sorted(p for p in FEEDS_DIR.iterdir() if p.suffix in (".rss", ".atom", ".rdf", ".xml"))
    _Handler.feeds = {f"/{p.name}": shift_dates(p.read_bytes(), delta) for p in files}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}"
        urls = {_feed_name(p): f"{root}/{p.name}" for p in files}
        # One source that is down, so the demo shows how a failing feed is reported.
        urls["Regional Radio (offline sample)"] = f"{root}/offline.xml"
        out = out_dir or ((base.output_dir if base else Path("output")) / "demo")
        config = _demo_config(base, urls, out)
        progress(f"demo: serving {len(files)} sample feeds on {root}")
        result = run(config, now=now, progress=progress)
    finally:
        server.shutdown()
        server.server_close()
    kept = keep_config(_demo_data(base, urls), out)
    progress(
        f"demo: preview it in a browser with `{preview_command(kept)}` (then open http://127.0.0.1:8000/)"
    )
    return result
