"""Fetch-stage load: N feeds × M items on a loopback server (its own process), some hung.

    python bench/load_fetch.py [--feeds 500] [--items 50] [--hung 25] [--slow 0]
                               [--baseline-timeout 2] [--no-baseline]

The server runs in a separate process (ThreadingHTTPServer, listen backlog 1024) so the measured
client does not share an interpreter/GIL with it. Hung feeds accept the request and never answer;
slow feeds answer after 3 s. Every measurement runs in a fresh child process and reports wall
time and that child's peak RSS (ru_maxrss):

  ours      `fetch_all` + `parse_feed` with a given FetchSettings (defaults, then a sweep of
            concurrency / read_timeout / deadline);
  baseline  a plain sequential loop: `urllib.request.urlopen(url, timeout=T)` + `feedparser.parse(bytes)`.
            Without a timeout that loop never finishes on a hung feed (feedparser.parse(url) has
            none), so it is run with T = --baseline-timeout and its wall is ≈ hung × T + the rest.

Prints figures, asserts nothing. Goal (issue 7): 500 feeds with 25 hung in ≤ 15 s and ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SERVER = r"""
import sys, threading, time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
feeds, items, hung, slow = map(int, sys.argv[1:5])
now = time.time()
VERBS = ["strike hits", "talks resume in", "convoy reaches", "protest held in", "drone downed near"]
PLACES = ["Rafah", "Jenin", "Hodeidah", "Tyre", "Mosul", "Homs", "Aden", "Idlib"]
def feed(f):
    its = "".join(
        f"<item><title>Report {f}-{i}: {VERBS[i % 5]} {PLACES[(f + i) % 8]}</title>"
        f"<description>&lt;p&gt;Invented summary {f}-{i} about {PLACES[i % 8]}, with a few more words to "
        f"make it the size of a real one.&lt;/p&gt;</description><link>https://load.example/{f}/{i}</link>"
        f"<guid>urn:load:{f}:{i}</guid><pubDate>{formatdate(now - 60 * (i + 1), usegmt=True)}</pubDate></item>"
        for i in range(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {f}</title>'
            f"<link>https://load.example/{f}</link><description>x</description>{its}</channel></rss>").encode()
BODIES = {f: feed(f) for f in range(feeds)}
step = feeds // max(hung + slow, 1) if hung + slow else 0
HUNG = {i * step for i in range(hung)} if hung else set()
SLOW = {i * step + step // 2 for i in range(slow)} if slow else set()
stop = threading.Event()
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        f = int(self.path.strip("/").split(".")[0])
        if f in HUNG:
            stop.wait(3600); return
        if f in SLOW:
            time.sleep(3)
        body = BODIES[f]
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class S(ThreadingHTTPServer):
    request_queue_size = 1024
    daemon_threads = True
    block_on_close = False
s = S(("127.0.0.1", 0), H)
print(s.server_address[1], len(HUNG), len(SLOW), sum(map(len, BODIES.values())), flush=True)
s.serve_forever(poll_interval=0.1)
"""

OURS = r"""
import json, resource, sys, time
t0 = time.monotonic()
from datetime import datetime, timezone
from briefing.ingest.fetch import FetchSettings, fetch_all
from briefing.model import Source
from briefing.ingest.parse import parse_feed
port, feeds, kw = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
sources = [Source(f"Feed {i}", f"http://127.0.0.1:{port}/{i}.xml") for i in range(feeds)]
t = time.monotonic()
now = datetime.now(timezone.utc)
# As the pipeline does it: each feed parsed in a worker thread as soon as it arrives.
pairs = fetch_all(sources, {}, FetchSettings(**kw), then=lambda f: parse_feed(f, now))
fetched = [f for f, _ in pairs]
items = sum(len(p.items) for _, p in pairs)
wall = time.monotonic() - t
t_fetch = max((f.elapsed for f in fetched), default=0.0)
print(json.dumps({"wall": wall, "fetch": t_fetch, "ok": sum(f.ok for f in fetched), "items": items,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "errors": sorted({(f.error or "")[:40] for f in fetched if not f.ok})}))
"""

BASELINE = r"""
import json, resource, sys, time, urllib.request
import feedparser
port, feeds, timeout = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
t = time.monotonic()
ok = items = 0
for i in range(feeds):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{i}.xml", timeout=timeout) as r:
            d = feedparser.parse(r.read())
        ok += 1
        items += len(d.entries)
    except Exception:
        pass
print(json.dumps({"wall": time.monotonic() - t, "ok": ok, "items": items,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, *args: str, timeout: float) -> dict:
    r = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO
    )
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}"}
    return json.loads(r.stdout.strip().splitlines()[-1])


def machine() -> str:
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {sys.version.split()[0]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--hung", type=int, default=25)
    ap.add_argument("--slow", type=int, default=0, help="feeds answering after 3 s")
    ap.add_argument("--baseline-timeout", type=float, default=2.0)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--quick", action="store_true", help="defaults and one recommended setting only")
    a = ap.parse_args()

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(a.feeds), str(a.items), str(a.hung), str(a.slow)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port, hung, slow, total = map(int, server.stdout.readline().split())
        print(f"machine: {machine()}")
        print(
            f"server: separate process, port {port}: {a.feeds} feeds × {a.items} items "
            f"({total / 1e6:.1f} MB in all), {hung} hung, {slow} slow (3 s)"
        )
        print("goal: ≤ 15 s wall and ≤ 300 MB peak for the fetch stage\n")
        sweep = [
            ("defaults (concurrency 64, read 5 s, deadline 10 s)", {}),
            (
                "concurrency 16, read 10, deadline 20 (the first defaults)",
                {"concurrency": 16, "read_timeout": 10, "deadline": 20},
            ),
            ("concurrency 32, read 10, deadline 20", {"concurrency": 32, "read_timeout": 10, "deadline": 20}),
            ("concurrency 32, read 5, deadline 10", {"concurrency": 32, "read_timeout": 5, "deadline": 10}),
            ("concurrency 64, read 10, deadline 12", {"concurrency": 64, "read_timeout": 10, "deadline": 12}),
            ("concurrency 64, read 8, deadline 10", {"concurrency": 64, "read_timeout": 8, "deadline": 10}),
            ("concurrency 64, read 5, deadline 8", {"concurrency": 64, "read_timeout": 5, "deadline": 8}),
            ("concurrency 128, read 5, deadline 8", {"concurrency": 128, "read_timeout": 5, "deadline": 8}),
            ("concurrency 16, read 5, deadline 8", {"concurrency": 16, "read_timeout": 5, "deadline": 8}),
        ]
        if a.quick:
            sweep = [sweep[0], sweep[4]]
        print(
            f"{'ours: fetch_all + parse_feed':58} {'wall s':>7} {'slowest':>7} {'ok':>5} {'items':>7} {'peak MB':>8}  goal"
        )
        for label, kw in sweep:
            r = child(OURS, str(port), str(a.feeds), json.dumps(kw), timeout=600)
            if "error" in r:
                print(f"{label:58} failed: {r['error']}")
                continue
            meets = "yes" if r["wall"] <= 15 and r["maxrss_mb"] <= 300 else "no"
            print(
                f"{label:58} {r['wall']:7.1f} {r['fetch']:7.1f} {r['ok']:5} {r['items']:7} {r['maxrss_mb']:8.0f}  {meets}"
            )
        if not a.no_baseline:
            r = child(
                BASELINE,
                str(port),
                str(a.feeds),
                str(a.baseline_timeout),
                timeout=a.feeds * (a.baseline_timeout + 5) + 60,
            )
            label = f"baseline: sequential urlopen(timeout={a.baseline_timeout:g}) + feedparser"
            if "error" in r:
                print(f"{label:58} failed: {r['error']}")
            else:
                print(f"{label:58} {r['wall']:7.1f} {'':>7} {r['ok']:5} {r['items']:7} {r['maxrss_mb']:8.0f}")
            print("(baseline without a timeout: never finishes — the first hung feed blocks it forever)")
    finally:
        server.kill()
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
