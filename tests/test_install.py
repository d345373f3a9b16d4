"""A real install, not the editable checkout (issue 15): build the wheel, install it into a fresh
virtual environment outside the repository, and run `briefing demo` from another folder. The
templates, static files, models and demo feeds must all come from the installed package."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent


def run(*cmd, **kw) -> subprocess.CompletedProcess:
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kw)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    return p


def test_the_wheel_installed_elsewhere_runs_the_demo(tmp_path: Path):
    run(sys.executable, "-m", "pip", "wheel", REPO, "--no-deps", "-q", "-w", tmp_path / "dist")
    [wheel] = (tmp_path / "dist").glob("briefing-*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-deps", "-q", wheel)
    # The dependencies (WeasyPrint, feedparser, …) come from the test environment rather than the
    # network; the path is appended after the new venv's own site-packages, and an appended path's
    # .pth files (our editable checkout's finder among them) are not run.
    elsewhere = tmp_path / "elsewhere"  # not the checkout: `python -c` puts the cwd first
    elsewhere.mkdir()
    site = run(
        venv / "bin" / "python",
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        cwd=elsewhere,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = run(
        venv / "bin" / "python", "-c", "import briefing; print(briefing.__file__)", cwd=elsewhere
    ).stdout.strip()
    assert where.startswith(str(venv)), where
    run(venv / "bin" / "briefing", "demo", "--out", tmp_path / "out", cwd=elsewhere)
    [pdf] = (tmp_path / "out").glob("*/brief.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Morning Security Brief" in text and "Key takeaways" in text
    assert "Sources" in text
