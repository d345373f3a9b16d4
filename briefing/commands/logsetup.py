"""Logging for the commands (imported after `briefing tag`'s fast path, which logs nothing)."""

from __future__ import annotations

import json
import logging
import sys


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def setup(verbose: bool, as_json: bool, level: int = logging.WARNING) -> bool:
    """Logs go to stderr: -v shows debug detail (each feed, each delivery); --log-json writes
    every record, progress included, as one JSON object a line."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _JsonFormatter() if as_json else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO if as_json else level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # our own line per run is enough
    for noisy in ("httpx", "httpcore", "fontTools", "weasyprint"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return as_json
