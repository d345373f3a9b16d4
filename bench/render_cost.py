"""Rendering cost of a 300-entry brief: our HTML + PDF path against the floor — WeasyPrint
rendering the very same HTML with no brief logic — measured in the same run, each in a fresh
process (WeasyPrint's import is part of what a run pays). Entries are invented.

    python bench/render_cost.py [--entries 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MAKE = r"""
import sys, time, resource, json
sys.path.insert(0, {root!r})
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
t0 = time.perf_counter()
from briefing.model import Brief, Entry, SourceRef, SourceStatus, TheaterSection, Trend
from briefing.output.render import render_html
from briefing.output.pdf import render_pdf
end = datetime(2026, 6, 1, 5, tzinfo=timezone.utc)
theaters = ["Gaza", "Israel", "Lebanon", "Syria", "Iraq", "Yemen", "Red Sea", "Ukraine", "Russia", "Iran"]
types = ["incident", "threat", "deployment"]
entries = []
for i in range(N):
    refs = tuple(SourceRef(f"Outlet {{k}}", f"Invented report {{i}}-{{k}}", f"https://outlet{{k}}.example/{{i}}", end - timedelta(minutes=i))
                 for k in range(1 + i % 3))
    entries.append(Entry(f"e{{i}}", types[i % 3], theaters[i % 10], ("Actor A", "Actor B")[: 1 + i % 2], ("Target",),
                         (i % 40) or None, f"Invented event number {{i}}: forces of one side struck positions of the other near a town, officials said.",
                         ("struck", "officials said"), end - timedelta(minutes=3 * i), refs, severity=float(i % 9)))
sections = tuple(TheaterSection(t, *(tuple(e for e in entries if e.theater == t and e.type == ty) for ty in types)) for t in theaters)
trends = tuple(Trend(t, 30, 25, 27.0, "steady", tuple(range(14))) for t in theaters)
brief = Brief("Morning Security Brief", "2026-06-01", "UTC", end - timedelta(hours=24), end, end, sections,
              tuple(SourceStatus(f"Outlet {{k}}", "https://x.example", True, None, 10) for k in range(20)), 900,
              takeaways=tuple(entries[:8]), trends=trends, days=tuple(str(d) for d in range(14)))
MODE
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": time.perf_counter() - t0, "peak_mb": rss, "bytes": len(pdf)}}))
"""

OURS = """html = render_html(brief, user_dir=None, tz=ZoneInfo("UTC"), for_pdf=True)
open(OUT, "w").write(html)
pdf = render_pdf(html)
from pypdf import PdfReader
import io
pages = len(PdfReader(io.BytesIO(pdf)).pages)
print("pages", pages, file=sys.stderr)"""

FLOOR = """from weasyprint import HTML
pdf = HTML(string=open(OUT).read()).write_pdf()"""


def run(code: str) -> dict:
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    if r.returncode:
        raise SystemExit(r.stderr)
    if r.stderr.strip():
        print("  ", r.stderr.strip().splitlines()[-1])
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp()) / "brief.html"
    base = MAKE.format(root=str(ROOT)).replace("N)", f"{args.entries})").replace("OUT", repr(str(out)))
    ours, floor = [], []
    for _ in range(args.repeat):
        ours.append(run(base.replace("MODE", OURS.replace("OUT", repr(str(out))))))
        floor.append(run(base.replace("MODE", FLOOR.replace("OUT", repr(str(out))))))
    med = lambda xs, k: sorted(x[k] for x in xs)[len(xs) // 2]  # noqa: E731
    o, f = med(ours, "seconds"), med(floor, "seconds")
    print(
        f"{args.entries} entries: ours {o:.2f} s (peak {med(ours, 'peak_mb'):.0f} MB, PDF {med(ours, 'bytes') / 1024:.0f} KiB); "
        f"floor (WeasyPrint alone on the same HTML) {f:.2f} s (peak {med(floor, 'peak_mb'):.0f} MB); ratio {o / f:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
