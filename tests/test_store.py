"""The store's files on disk (issue 14 #11): the store holds subscriber addresses and the
delivery ledger, so it is as private as the briefs and the outbox."""

from __future__ import annotations

import os
import stat
from datetime import UTC
from pathlib import Path

from briefing.store import Store


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_store_files_are_private_even_under_a_permissive_umask(tmp_path: Path):
    old = os.umask(0o022)  # the usual default: files 0644, folders 0755
    try:
        db = tmp_path / "out" / "briefing.sqlite3"
        s = Store(db)
        s.db.execute("CREATE TABLE IF NOT EXISTS probe (x)")
        s.db.execute("INSERT INTO probe VALUES (1)")  # WAL mode: writes the -wal and -shm files
        files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert _mode(db.parent) == 0o700  # the folder we created
        s.close()
    finally:
        os.umask(old)


def test_an_existing_world_readable_store_is_tightened(tmp_path: Path):
    db = tmp_path / "briefing.sqlite3"
    Store(db).close()
    os.chmod(db, 0o644)  # a store written by an earlier version
    s = Store(db)
    assert _mode(db) == 0o600
    s.close()


def _limited(limit: int):
    """A child whose files may not grow past `limit` bytes: writes fail as on a full disk
    (EFBIG; Python ignores SIGXFSZ, so it is an error, not a kill)."""
    import resource

    def pre() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return pre


def test_disk_full_is_one_line_and_exit_2_in_every_command(tmp_path: Path, feed_server):
    # issue 14 #7: a full disk gave a traceback and exit 1
    import subprocess
    import sys
    from datetime import datetime

    from builders import ago, rss

    now = datetime.now(UTC)
    feed_server.add(
        "/wire.xml",
        rss(
            "Wire",
            [
                (
                    f"Israeli strike kills {n} in Gaza, officials say " + "x" * 300,
                    "An Israeli air strike hit a house in Rafah. " * 20,
                    f"https://wire.example/{n}",
                    ago(now, 1),
                )
                for n in range(200)
            ],
        ),
    )
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        f"sources: [{{name: Wire, url: '{feed_server.url('/wire.xml')}'}}]\noutput_dir: out\n",
        encoding="utf-8",
    )
    for cmd, limit in ((["run", "--no-send"], 64 * 1024), (["status"], 0)):
        r = subprocess.run(
            [sys.executable, "-m", "briefing.cli", *cmd, "-c", str(cfg)],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_limited(limit),
            cwd=tmp_path,
        )
        assert r.returncode == 2, (cmd, r.returncode, r.stderr[-2000:])
        assert "Traceback" not in r.stderr
        lines = r.stderr.strip().splitlines()
        assert lines[-1].startswith("briefing: ") and (
            "full" in lines[-1] or "too large" in lines[-1] or "cannot write" in lines[-1]
        ), lines
