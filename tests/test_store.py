"""The store's files on disk (issue 14 #11): the store holds subscriber addresses and the
delivery ledger, so it is as private as the briefs and the outbox."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from briefing.store import Store


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_store_files_are_private_even_under_a_permissive_umask(tmp_path: Path):
    old = os.umask(0o022)                       # the usual default: files 0644, folders 0755
    try:
        db = tmp_path / "out" / "briefing.sqlite3"
        s = Store(db)
        s.db.execute("CREATE TABLE IF NOT EXISTS probe (x)")
        s.db.execute("INSERT INTO probe VALUES (1)")      # WAL mode: writes the -wal and -shm files
        files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert _mode(db.parent) == 0o700            # the folder we created
        s.close()
    finally:
        os.umask(old)


def test_an_existing_world_readable_store_is_tightened(tmp_path: Path):
    db = tmp_path / "briefing.sqlite3"
    Store(db).close()
    os.chmod(db, 0o644)                         # a store written by an earlier version
    s = Store(db)
    assert _mode(db) == 0o600
    s.close()
