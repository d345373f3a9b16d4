"""The preview under slow clients (issue 14 #1): is a valid request still answered in ≤ 1 s?

Starts the real preview server with an access token in a child process (so the attacking
threads here do not share its GIL), measures a token holder's request latency alone (baseline),
then again while N slow clients each send a request line and one header line every few seconds
— reconnecting whenever the server drops them, as a determined attacker would.

    .venv/bin/python bench/serve_slow_clients.py [--clients 100] [--every 5] [--seconds 25]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.config import parse_config  # noqa: E402
from briefing.web.app import make_server  # noqa: E402

TOKEN = "bench-token-0123456789abcdef"


def serve(folder: str, ready) -> None:
    config = parse_config(
        {
            "output_dir": str(Path(folder) / "out"),
            "sources": [{"name": "Wire", "url": "http://127.0.0.1:9/feed.xml"}],
        },
        Path(folder),
    )
    server = make_server(config, "127.0.0.1", 0, token=TOKEN)
    ready.send(server.server_address[1])
    server.serve_forever()


def timed_get(port: int, cookie: str) -> tuple[int, float]:
    t = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/sources", headers={"Cookie": cookie})
        r = conn.getresponse()
        r.read()
        return r.status, time.perf_counter() - t
    except OSError:
        return 0, time.perf_counter() - t
    finally:
        conn.close()


def attack(port: int, clients: int, every: float, seconds: float, report) -> None:
    """In its own process and one thread (as slowloris tools work), so that the attacker's own
    overhead does not starve the server of CPU on a small machine."""
    socks: list[socket.socket | None] = [None] * clients
    stats = {"connects": 0, "dropped": 0}
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
        for i, sock in enumerate(socks):
            try:
                if sock is None:
                    sock = socks[i] = socket.create_connection(("127.0.0.1", port), timeout=5)
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    stats["connects"] += 1
                sock.sendall(b"X-Slow-%d: 1\r\n" % n)
            except OSError:  # dropped by the server: come back at the next round
                stats["dropped"] += 1
                if sock is not None:
                    sock.close()
                socks[i] = None
        time.sleep(min(every, max(0.0, end - time.monotonic())))
    report.send(stats)


def measure(port: int, cookie: str, n: int, spread: float) -> list[tuple[int, float]]:
    out = []
    for _ in range(n):
        out.append(timed_get(port, cookie))
        time.sleep(spread / n)
    return out


def summary(name: str, rows: list[tuple[int, float]]) -> float:
    times = [t for _, t in rows]
    ok = sum(1 for s, t in rows if s == 200 and t <= 1.0)
    statuses = sorted({s for s, _ in rows})
    med = statistics.median(times)
    print(
        f"{name:<28} median {med * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms  "
        f"200 within 1 s: {ok}/{len(rows)}  statuses {statuses}"
    )
    return med


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--every", type=float, default=5.0, help="seconds between header lines")
    ap.add_argument("--seconds", type=float, default=25.0, help="how long the attack lasts")
    args = ap.parse_args()
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in open("/proc/cpuinfo")
                if line.startswith("model name")
            ),
            "?",
        )
        if os.path.exists("/proc/cpuinfo")
        else "?"
    )
    print(f"machine: {os.cpu_count()} CPUs, {cpu}")
    with tempfile.TemporaryDirectory() as folder:
        here, there = multiprocessing.Pipe()
        child = multiprocessing.Process(target=serve, args=(folder, there), daemon=True)
        child.start()
        port = here.recv()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/?token=" + TOKEN)
        cookie = conn.getresponse().getheader("Set-Cookie").split(";")[0]
        conn.close()
        base = summary("alone", measure(port, cookie, 20, 2.0))
        report, sink = multiprocessing.Pipe()
        attackers = multiprocessing.Process(
            target=attack, daemon=True, args=(port, args.clients, args.every, args.seconds, sink)
        )
        attackers.start()
        time.sleep(2.0)  # every attacker connected and dripping
        rows = measure(port, cookie, 40, args.seconds - 2.0)
        stats = report.recv()
        under = summary(f"under {args.clients} slow clients", rows)
        print(
            f"ratio (median under attack / alone): {under / base:.2f}; attacker connections "
            f"{stats['connects']}, dropped by the server {stats['dropped']}"
        )
        child.terminate()


if __name__ == "__main__":
    main()
