"""End-to-end run on the 18 real RSS files of DATA_DIR/feeds-2026, served on 127.0.0.1, plus
one feed answering 404 and one that never answers (issue 2's acceptance run).

    python bench/e2e_feeds2026.py ../shared/data [--out DIR]

Prints wall time of `briefing run` (a separate process, start-up included), events found,
sources ok/failed, PDF pages and sizes. Skips cleanly when the data folder is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import loopback  # bench/loopback.py: the scripts' folder is on sys.path
import yaml


def serve(folder: Path) -> ThreadingHTTPServer:
    files = {f"/{p.name}": p.read_bytes() for p in sorted(folder.glob("*.xml"))}
    return loopback.serve(files.get, hang="/hang.xml")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default="../shared/data")
    ap.add_argument("--out", default=None)
    ap.add_argument("--as-of", default="2026-02-18T06:00:00+00:00")
    args = ap.parse_args()
    folder = Path(args.data) / "feeds-2026"
    if not folder.is_dir():
        print(f"skipped: {folder} not found")
        return 0
    out = Path(args.out or tempfile.mkdtemp(prefix="briefing-e2e-"))
    server = serve(folder)
    root = f"http://127.0.0.1:{server.server_address[1]}"
    sources = [
        {"name": p.stem.split("__")[0], "url": f"{root}/{p.name}"} for p in sorted(folder.glob("*.xml"))
    ]
    sources += [
        {"name": "missing_404", "url": f"{root}/missing.xml"},
        {"name": "hung", "url": f"{root}/hang.xml"},
    ]
    cfg = out / "feeds.yaml"
    out.mkdir(parents=True, exist_ok=True)
    cfg.write_text(
        yaml.safe_dump(
            {
                "timezone": "Europe/London",
                "output_dir": str(out),
                "sources": sources,
                "subscribers": [{"email": "desk@example.org"}],
            }
        )
    )
    t0 = time.perf_counter()
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.cli",
            "run",
            "-c",
            str(cfg),
            "--as-of",
            args.as_of,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    server.stop_event.set()  # type: ignore[attr-defined]
    server.shutdown()
    print(r.stderr.strip())
    if r.returncode != 0:
        print(f"briefing run exited {r.returncode}")
        return 1
    day = out / args.as_of[:10]
    data = json.loads((day / "brief.json").read_text())
    failed = [s for s in data["sources"] if not s["ok"]]
    from pypdf import PdfReader

    pages = len(PdfReader(day / "brief.pdf").pages)
    linked = sum(1 for e in data["events"] if e["sources"] and all(s["link"] for s in e["sources"]))
    print(f"\nwall time {wall:.1f} s (process start-up included)")
    print(
        f"sources {len(data['sources'])}, failed {len(failed)}: "
        + "; ".join(f"{s['name']}: {s['error']}" for s in failed)
    )
    print(
        f"items in window {data['items_in_window']}, events {len(data['events'])} "
        f"({linked} with every source linked), theaters {len(data['theaters'])}"
    )
    print(
        f"PDF {pages} pages, {(day / 'brief.pdf').stat().st_size / 1024:.0f} KiB; "
        f"HTML {(day / 'brief.html').stat().st_size / 1024:.0f} KiB; output in {day}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
