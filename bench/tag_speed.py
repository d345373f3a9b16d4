"""Throughput of `briefing tag` on pool-2023q4 (16,968 items) as ONE process, start-up included.

    python bench/tag_speed.py [DATA_DIR] [--repeat N]   # default ../shared/data, N = 3

Builds the JSON Lines input (description → summary) in a temp file, then times, in the same
run: (1) `python -m briefing.extract.tagcmd FILE` as a subprocess (wall time from spawn to
exit, peak RSS of the child and its workers via wait4/getrusage); (2) a plain regex keyword
pass over the same items (one compiled alternation of conflict keywords, JSON in and out) as a
subprocess the same way. Each command runs N times (interleaved); the median wall time is
reported, with the CPU seconds (user + sys, summed over the process and its workers) as a
figure that other load on the machine barely moves. Prints items/s for both, the ratio, and
peak RSS. Exits 0 with a "skipped" line when the data folder is absent. The package's byte-code
is compiled first and the extractor's start-up cache written, so start-up is measured as
installed (not recompiling edited sources).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

REGEX_PASS = r"""
import json, re, sys
KW = re.compile(r"\b(?:attack|strike|airstrike|bomb|shell|missile|rocket|drone|raid|clash|killed|kill|shot|intercept|warn|threat|vow|deploy|troops|warship|carrier|mobili[sz]e|reservists)\w*", re.I)
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    hits = sorted({m.group().lower() for m in KW.finditer((r.get("title") or "") + " " + (r.get("summary") or ""))})
    out.append(json.dumps({"id": r.get("id"), "keywords": hits}))
sys.stdout.write("\n".join(out) + "\n")
"""


def run(cmd: list[str], env=None) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS in MB (max over the child and its own children), output lines,
    CPU seconds of the child and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=env)
    out, err = p.communicate()
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return dt, after.ru_maxrss / 1024, out.count(b"\n"), cpu


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    repeat = 3
    if "--repeat" in argv:
        i = argv.index("--repeat")
        repeat = max(1, int(argv[i + 1]))
        del argv[i : i + 2]
    d = Path(argv[0]) if argv else REPO.parent / "shared" / "data"
    pool = d / "pool-2023q4"
    if not pool.is_dir():
        print(f"skipped: {pool} not found")
        return 0
    items = []
    for f in sorted(pool.glob("*.jsonl")):
        for i, line in enumerate(f.open(encoding="utf-8")):
            r = json.loads(line)
            items.append(
                {
                    "id": f"{f.stem}:{i}",
                    "title": r.get("title") or "",
                    "summary": r.get("description") or "",
                    "date": r.get("date_published"),
                    "source": f.stem,
                }
            )
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tf:
        for r in items:
            tf.write(json.dumps(r) + "\n")
        path = tf.name
    py = sys.executable
    env = dict(os.environ, PYTHONPATH=str(REPO))
    # start-up as installed: byte-code compiled (scripts/setup does it; an edited checkout, or a
    # machine with PYTHONDONTWRITEBYTECODE set, would otherwise recompile the package every start)
    subprocess.run(
        [py, "-m", "compileall", "-q", str(REPO / "briefing")], check=False, stdout=subprocess.DEVNULL
    )
    # and the extractor's start-up cache (warm.py), which scripts/setup and any first run write
    subprocess.run(
        [py, "-c", "from briefing.extract import Extractor; Extractor()"], check=False, cwd=REPO, env=env
    )
    runs: dict[str, list] = {"regex": [], "auto": [], "one": []}
    cmds = {
        "regex": [py, "-c", REGEX_PASS, path],
        "auto": [py, "-m", "briefing.extract.tagcmd", path],
        "one": [py, "-m", "briefing.extract.tagcmd", "--jobs", "1", path],
    }
    try:
        # regex pass first so the tagger's RSS figure is not the max of both
        r_rss = run(cmds["regex"], env)[1]
        for _ in range(repeat):
            for k, cmd in cmds.items():
                runs[k].append(run(cmd, env))
    finally:
        os.unlink(path)

    def med(k, i=0):
        return statistics.median(r[i] for r in runs[k])

    r_dt, t_dt, t1_dt = med("regex"), med("auto"), med("one")
    t_rss = max(r[1] for r in runs["auto"] + runs["one"])
    r_n, t_n = runs["regex"][0][2], runs["auto"][0][2]
    assert t_n == len(items) == r_n, (t_n, r_n, len(items))
    n = len(items)
    print(
        f"pool-2023q4: {n} items, one process each, start-up included ({os.cpu_count()} CPUs, Python {sys.version.split()[0]}, median of {repeat})"
    )
    print(
        f"  briefing tag (auto, {min(2, os.cpu_count() or 1)} processes) {t_dt:6.2f} s  {n / t_dt:9.0f} items/s   cpu {med('auto', 3):5.2f} s"
    )
    print(
        f"  briefing tag (--jobs 1)           {t1_dt:6.2f} s  {n / t1_dt:9.0f} items/s   cpu {med('one', 3):5.2f} s"
    )
    print(
        f"  regex keyword pass                {r_dt:6.2f} s  {n / r_dt:9.0f} items/s   cpu {med('regex', 3):5.2f} s"
    )
    print(f"  ratio tag/regex (items/s)         {r_dt / t_dt:6.2f}")
    print(f"  all runs (auto), s: {' '.join(f'{r[0]:.2f}' for r in runs['auto'])}")
    print(f"  peak RSS (max over runs, incl. workers) {t_rss:.0f} MB (regex pass {r_rss:.0f} MB)")
    runon(items, py, env, repeat)
    return 0


def runon(items: list[dict], py: str, env: dict, repeat: int) -> None:
    """The hostile tester's case (issues 12 and 14): summaries of 5,000 characters with no full
    stop, made of the pool's own words (items joined by commas), 1,000 of them through `briefing
    tag`, and one alone (in this process, after the extractor is loaded)."""
    import random

    rng = random.Random(5)
    rows = []
    for k in range(1000):
        parts: list[str] = []
        while sum(map(len, parts)) < 5200:
            r = rng.choice(items)
            parts.append(f"{r['title']} {r['summary']}".replace(".", ","))
        rows.append({"id": k, "title": f"Run-on {k}", "summary": " ".join(parts)[:5000]})
    paths = []
    for name, sub in (("thousand", rows),):
        with tempfile.NamedTemporaryFile("w", suffix=f".{name}.jsonl", delete=False, encoding="utf-8") as tf:
            tf.write("".join(json.dumps(r) + "\n" for r in sub))
            paths.append(tf.name)
    try:
        thousand = statistics.median(
            run([py, "-m", "briefing.extract.tagcmd", paths[0]], env)[0] for _ in range(repeat)
        )
    finally:
        for p in paths:
            os.unlink(p)
    # one alone, in this process: the median of 21 calls on each of the first five
    sys.path.insert(0, str(REPO))
    from briefing.extract import Extractor

    x = Extractor()
    per = []
    for r in rows[:5]:
        x.tag(r["title"], r["summary"])
        ts = []
        for _ in range(21):
            t0 = time.perf_counter()
            x.tag(r["title"], r["summary"])
            ts.append(time.perf_counter() - t0)
        per.append(statistics.median(ts))
    print(
        f"run-on summaries (5,000 characters, no full stop): 1,000 through `briefing tag` in {thousand:.2f} s "
        f"(start-up included); one alone {statistics.median(per) * 1000:.1f} ms (median; max of five {max(per) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
