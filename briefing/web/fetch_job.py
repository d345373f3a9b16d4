"""'Fetch now' for the preview server: the fetch stage in a background thread, one at a time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from ..config import Config
from ..fsutil import LockedError
from ..pipeline import fetch_and_store, lock
from .pages import local_time, nav_only, open_store, render_page


class FetchJob:
    """'Fetch now': one background fetch at a time, guarded by the same lock as `briefing run`
    (so a scheduled run and a click never overlap either)."""

    def __init__(self, config: Config, transport=None):
        self.config, self.transport = config, transport
        self._mu = threading.Lock()
        self.state: dict = {"status": "idle"}
        self.thread: threading.Thread | None = None

    def snapshot(self) -> dict:
        with self._mu:
            return dict(self.state)

    def start(self) -> tuple[bool, str]:
        """(started, message). Takes the run lock here, so a refusal is immediate and exact."""
        with self._mu:
            if self.state["status"] == "running":
                return False, f"A fetch is already running (started {self.state['started_local']})."
            run_lock = lock(self.config)
            try:
                run_lock.__enter__()
            except LockedError:
                return False, "Another briefing run is in progress; try again when it has finished."
            now = datetime.now(UTC)
            self.state = {
                "status": "running",
                "started": now,
                "started_local": local_time(self.config, now),
                "sources": len(self.config.sources),
                "messages": [],
            }
            self.thread = threading.Thread(
                target=self._work, args=(run_lock, now), name="briefing-fetch", daemon=True
            )
            self.thread.start()
            return True, "Fetch started."

    def _work(self, run_lock, now: datetime) -> None:
        def progress(msg: str) -> None:
            with self._mu:
                self.state["messages"].append(msg)

        try:
            with open_store(self.config) as store:
                ok, failed, new = fetch_and_store(self.config, store, now, self.transport, progress)
            result = {"status": "done", "ok": ok, "failed": failed, "new": new}
        except Exception as exc:  # shown on the progress page; the server keeps running
            result = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            run_lock.__exit__(None, None, None)
        end = datetime.now(UTC)
        with self._mu:
            self.state.update(
                result,
                finished=end,
                finished_local=local_time(self.config, end),
                seconds=round((end - self.state["started"]).total_seconds(), 1),
            )

    def page(self, config: Config, *, csrf: str, message: str = "") -> str:
        st = self.snapshot()
        if st["status"] == "running":
            st["seconds"] = round((datetime.now(UTC) - st["started"]).total_seconds(), 1)
        return render_page(
            config,
            "serve_fetch.html.j2",
            job=st,
            message=message,
            csrf=csrf,
            refresh=st["status"] == "running",
            title="Fetch now",
            nav=nav_only(config, "Fetch now"),
        )
