"""End to end in Debian's headless Chromium: open the preview, click a theater filter with a
real mouse event, check what is shown, tab to the skip link, and look for CSP violations.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON
messages separated by NUL on fds 3/4), so no websocket library or browser download is needed.
Set SERVE_SCREENSHOTS=DIR to keep desktop and phone screenshots.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from briefing.commands.demo import run_demo
from briefing.config import load_config

try:
    from .test_serve import build_world, start
except ImportError:
    from test_serve import build_world, start

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]


class Chromium:
    """A minimal CDP client: one browser, one page session (flattened), events in a queue."""

    def __init__(self, profile: str):
        to_chrome_r, self._w = os.pipe()
        self._r, from_chrome_w = os.pipe()

        def fds() -> None:  # chromium reads commands on fd 3, answers on fd 4
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,
            close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._id, self._pending, self.events = 0, {}, queue.Queue()
        self._mu = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def _read(self) -> None:
        buf = b""
        while chunk := os.read(self._r, 65536):
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    self._pending.pop(msg["id"]).put(msg)
                else:
                    self.events.put(msg)

    def call(self, method: str, session: bool = False, timeout: float = 30, **params):
        with self._mu:
            self._id += 1
            box: queue.Queue = queue.Queue()
            self._pending[self._id] = box
            msg = {"id": self._id, "method": method, "params": params}
            if session:
                msg["sessionId"] = self.session
            os.write(self._w, json.dumps(msg).encode() + b"\0")
        reply = box.get(timeout=timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def wait_event(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            ev = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            self.seen.append(ev)
            if ev["method"] == method:
                return ev

    seen: list = []

    def js(self, expression: str):
        r = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        return r["result"].get("value")

    def goto(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)
        self.wait_event("Page.loadEventFired")

    def click(self, selector: str) -> None:
        """A real mouse click at the element's centre (scrolled into view first)."""
        box = self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            "return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                session=True,
                type=kind,
                x=box[0],
                y=box[1],
                button="left",
                clickCount=1,
            )

    def key(self, key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent",
                session=True,
                type=kind,
                key=key,
                code=key,
                windowsVirtualKeyCode=code,
            )

    def viewport(self, width: int, height: int, mobile: bool) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=2 if mobile else 1,
            mobile=mobile,
        )

    def screenshot(self, path: Path, full: bool = True) -> None:
        data = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=full)[
            "data"
        ]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._w)


@pytest.fixture(scope="module")
def browser_world(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    server, w = build_world(tmp_path_factory.mktemp("browser"))
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    chrome = Chromium(profile)
    yield chrome, w
    chrome.close()
    shutil.rmtree(profile, ignore_errors=True)
    server.shutdown()
    server.server_close()
    w.feeds.close()


THEATERS_SHOWN = (
    "[...document.querySelectorAll('section.theater h2')].map(h => h.firstChild.textContent.trim())"
)


def test_click_theater_filter_in_chromium(browser_world, tmp_path):
    chrome, w = browser_world
    shots = Path(os.environ.get("SERVE_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    chrome.viewport(1280, 900, mobile=False)
    chrome.goto(w.base + "/")
    before = chrome.js(THEATERS_SHOWN)
    assert "Gaza" in before and len(before) > 1
    assert chrome.js("getComputedStyle(document.querySelector('.topbar')).position") == "sticky"
    assert chrome.js("getComputedStyle(document.body).maxWidth") != "none"  # inline CSS by hash
    assert chrome.js("document.querySelectorAll('script').length") == 0
    assert "Israeli strike kills 3 in Gaza" in chrome.js("document.body.innerText")
    chrome.screenshot(shots / "desktop.png")

    chrome.click("a.chip[data-filter='theater'][data-value='Gaza']")
    chrome.wait_event("Page.loadEventFired")
    assert chrome.js("location.pathname + location.search") == "/?theater=Gaza"
    assert chrome.js(THEATERS_SHOWN) == ["Gaza"]
    assert (
        chrome.js("document.querySelector(\"a.chip[data-value='Gaza']\").getAttribute('aria-current')")
        == "true"
    )
    assert "Houthis attack cargo ship" not in chrome.js("document.querySelector('main').innerText")
    chrome.screenshot(shots / "desktop-gaza.png", full=False)

    chrome.key("Tab", 9)  # keyboard: the first stop is the skip link
    assert chrome.js("document.activeElement.className") == "skip"
    assert chrome.js("document.activeElement.getBoundingClientRect().left") >= 0

    chrome.viewport(390, 844, mobile=True)
    chrome.goto(w.base + "/")
    assert chrome.js("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll
    chrome.screenshot(shots / "phone.png")
    for path, name in (
        ("/sources", "phone-sources.png"),
        ("/fetch", "phone-fetch.png"),
        (f"/{w.past}", "phone-archived.png"),
    ):
        chrome.goto(w.base + path)
        assert chrome.js("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        chrome.screenshot(shots / name, full=False)

    while not chrome.events.empty():
        chrome.seen.append(chrome.events.get())
    blocked = [
        e["params"]["entry"]["text"]
        for e in chrome.seen
        if e["method"] == "Log.entryAdded"
        and "Content Security Policy" in e["params"]["entry"].get("text", "")
    ]
    assert blocked == []


def csp_violations(chrome: Chromium) -> list[str]:
    while not chrome.events.empty():
        chrome.seen.append(chrome.events.get())
    return [
        e["params"]["entry"]["text"]
        for e in chrome.seen
        if e["method"] == "Log.entryAdded"
        and "Content Security Policy" in e["params"]["entry"].get("text", "")
    ]


def test_demo_brief_at_root_and_the_way_to_the_live_view(browser_world, tmp_path):
    """Issue 13: after the demo, its printed preview command's config shows the demo brief at /
    (not an empty live brief), says which day it is, and leads to the live preview."""
    chrome, _ = browser_world
    shots = Path(os.environ.get("SERVE_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    said: list[str] = []
    result = run_demo(str(ROOT / "feeds.yaml"), out_dir=tmp_path / "demo", progress=said.append)
    command = next(m for m in said if "serve -c" in m)
    config = load_config(shlex.split(re.search(r"`([^`]+)`", command).group(1))[3])
    server = start(config)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    b = result.brief
    try:
        chrome.viewport(1280, 900, mobile=False)
        chrome.goto(base + "/")
        assert chrome.js("document.querySelector('nav a[aria-current=page]').textContent") == "Latest brief"
        note = chrome.js("document.querySelector('.pagenote').innerText")
        d = datetime.fromisoformat(b.date)
        assert f"{d:%A} {d.day} {d:%B %Y}" in note and "Live preview" in note
        assert chrome.js("document.querySelector('.pagenote').getBoundingClientRect().bottom") < 300
        assert chrome.js("document.querySelectorAll('main li.entry').length") >= len(b.entries) > 0
        text = chrome.js("document.querySelector('main').innerText")
        assert b.title in text and "not fetched yet" not in text
        chrome.screenshot(shots / "demo-root.png", full=False)

        chrome.click(".pagenote a")
        chrome.wait_event("Page.loadEventFired")
        assert chrome.js("location.pathname") == "/live"
        assert chrome.js("document.querySelector('nav a[aria-current=page]').textContent") == "Live preview"
        assert "Latest brief" in chrome.js("document.querySelector('.pagenote').innerText")
        chrome.screenshot(shots / "demo-live.png", full=False)

        chrome.viewport(390, 844, mobile=True)
        chrome.goto(base + "/")
        assert chrome.js("document.documentElement.scrollWidth <= window.innerWidth + 1")
        chrome.screenshot(shots / "demo-root-phone.png", full=False)
        assert csp_violations(chrome) == []
    finally:
        server.shutdown()
        server.server_close()
