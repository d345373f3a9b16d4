"""Atomic file writes: a reader never sees a half-written brief."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BriefingError


def write_atomic(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def check_writable(folder: Path) -> str | None:
    """None when `folder` can be created and written, else a one-line reason."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".probe.", dir=folder)
        os.close(fd)
        os.unlink(tmp)
        return None
    except OSError as exc:
        return f"output folder {folder} is not writable: {exc.strerror or exc}"


class LockedError(BriefingError):
    """Another run holds the lock."""


class RunLock:
    """An exclusive lock file (flock) so two runs — cron, scheduler, a human — never overlap.
    The kernel drops it if the holder dies, even by kill -9."""

    def __init__(self, path: Path, wait: float = 0.0):
        self.path, self.wait = path, wait
        self.fd: int | None = None

    def __enter__(self) -> RunLock:
        import fcntl
        import time

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise LockedError(
                        f"another briefing run is in progress (pid {holder}, lock "
                        f"{self.path}); not starting a second one"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        return self

    def __exit__(self, *exc) -> None:
        import fcntl

        assert self.fd is not None  # __exit__ runs only after __enter__ succeeded
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
