"""Throughput of `briefing tag` on pool-2023q4 (16,968 items) as ONE process, start-up included.

    python bench/tag_speed.py [DATA_DIR]     # default ../shared/data relative to the repo

Builds the JSON Lines input (description → summary) in a temp file, then times, in the same
run: (1) `python -m briefing.extract.tagcmd FILE` as a subprocess (wall time from spawn to
exit, peak RSS of the child and its workers via wait4/getrusage); (2) a plain regex keyword
pass over the same items (one compiled alternation of conflict keywords, JSON in and out) as a
subprocess the same way. Prints items/s for both, the ratio, and peak RSS. Exits 0 with a
"skipped" line when the data folder is absent.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

REGEX_PASS = r'''
import json, re, sys
KW = re.compile(r"\b(?:attack|strike|airstrike|bomb|shell|missile|rocket|drone|raid|clash|killed|kill|shot|intercept|warn|threat|vow|deploy|troops|warship|carrier|mobili[sz]e|reservists)\w*", re.I)
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    hits = sorted({m.group().lower() for m in KW.finditer((r.get("title") or "") + " " + (r.get("summary") or ""))})
    out.append(json.dumps({"id": r.get("id"), "keywords": hits}))
sys.stdout.write("\n".join(out) + "\n")
'''


def run(cmd: list[str], env=None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (max over the child and its own children), output lines."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=env)
    out, err = p.communicate()
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, rss_kb / 1024, out.count(b"\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    d = Path(argv[0]) if argv else REPO.parent / "shared" / "data"
    pool = d / "pool-2023q4"
    if not pool.is_dir():
        print(f"skipped: {pool} not found")
        return 0
    items = []
    for f in sorted(pool.glob("*.jsonl")):
        for i, line in enumerate(f.open(encoding="utf-8")):
            r = json.loads(line)
            items.append({"id": f"{f.stem}:{i}", "title": r.get("title") or "", "summary": r.get("description") or "",
                          "date": r.get("date_published"), "source": f.stem})
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tf:
        for r in items:
            tf.write(json.dumps(r) + "\n")
        path = tf.name
    py = sys.executable
    env = dict(os.environ, PYTHONPATH=str(REPO))
    try:
        # regex pass first so the tagger's RSS figure is not the max of both
        r_dt, r_rss, r_n = run([py, "-c", REGEX_PASS, path], env)
        t_dt, t_rss, t_n = run([py, "-m", "briefing.extract.tagcmd", path], env)
        t1_dt, _, _ = run([py, "-m", "briefing.extract.tagcmd", "--jobs", "1", path], env)
    finally:
        os.unlink(path)
    assert t_n == len(items) == r_n, (t_n, r_n, len(items))
    n = len(items)
    print(f"pool-2023q4: {n} items, one process each, start-up included ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    print(f"  briefing tag (auto, {min(2, os.cpu_count() or 1)} workers) {t_dt:6.2f} s  {n / t_dt:9.0f} items/s")
    print(f"  briefing tag (--jobs 1)           {t1_dt:6.2f} s  {n / t1_dt:9.0f} items/s")
    print(f"  regex keyword pass                {r_dt:6.2f} s  {n / r_dt:9.0f} items/s")
    print(f"  ratio tag/regex (items/s)         {r_dt / t_dt:6.2f}")
    print(f"  peak RSS (max over runs, incl. workers) {max(t_rss, r_rss):.0f} MB (regex pass {r_rss:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
