"""Send time for N subscribers against a real SMTP server on loopback (aiosmtpd), two
editions, against a baseline measured in the same run: smtplib sending the same messages
over one connection with no ledger, no editions and no message building.

    python bench/send_many.py [--subscribers 100]
"""

from __future__ import annotations

import argparse
import smtplib
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402

from briefing.brief.editions import edition_of, filter_brief  # noqa: E402
from briefing.commands.check import sample_brief  # noqa: E402
from briefing.config import parse_config  # noqa: E402
from briefing.output.deliver import build_message, deliver  # noqa: E402
from briefing.pipeline import render_all  # noqa: E402
from briefing.store import Store  # noqa: E402


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=100)
    args = ap.parse_args()
    port, sink = free_port(), Sink()
    ctl = Controller(sink, hostname="127.0.0.1", port=port)
    ctl.start()
    tmp = Path(tempfile.mkdtemp())
    subs = [
        {"email": f"reader{i}@example.org", **({"theaters": ["Sampleland"]} if i % 2 else {})}
        for i in range(args.subscribers)
    ]
    config = parse_config(
        {
            "sources": [{"name": "x", "url": "https://x.example/rss"}],
            "output_dir": str(tmp),
            "subscribers": subs,
            "delivery": {"from": "briefs@example.org", "smtp": {"host": "127.0.0.1", "port": port}},
        }
    )
    brief = sample_brief("Morning Security Brief", "UTC", None)
    t0 = time.perf_counter()
    editions = {}
    for s in config.subscribers:
        ed = edition_of(s)
        if ed.key not in editions:
            b = filter_brief(brief, ed)
            editions[ed.key] = (b, render_all(config, b)[1])
    t_render = time.perf_counter() - t0
    store = Store(tmp / "s.sqlite3")
    t0 = time.perf_counter()
    results = deliver(config, store, editions, tmp)
    t_ours = time.perf_counter() - t0
    sent = sum(r.status == "sent" for r in results)

    msgs = [build_message(config, s, *editions[edition_of(s).key]) for s in config.subscribers]
    t0 = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as conn:
        for m, s in zip(msgs, config.subscribers):
            conn.send_message(m, from_addr="briefs@example.org", to_addrs=[s.email])
    t_base = time.perf_counter() - t0
    again = deliver(config, store, editions, tmp)
    ctl.stop()
    print(f"{args.subscribers} subscribers, {len(editions)} editions rendered once each in {t_render:.2f} s")
    print(
        f"deliver(): {sent} sent in {t_ours:.2f} s ({t_ours / args.subscribers * 1000:.1f} ms each, ledger included); "
        f"bare smtplib loop: {t_base:.2f} s; ratio {t_ours / t_base:.2f}"
    )
    print(
        f"rerun of the same day: {sum(r.status == 'skipped' for r in again)} skipped, "
        f"{sum(r.status == 'sent' for r in again)} sent; server received {sink.count} messages in total"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
