"""``simstart serve`` in a real browser: Debian's Chromium, headless, driven by playwright.

The page loads, the TUI's first frame reaches the browser and is drawn, key presses step the
trace, and each tab is a session of its own. `.ci/run` installs chromium.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a closed network: without the background-networking ones Chromium keeps trying to
# reach its own services, and refused connections pile up.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Everything the page's websocket delivers, decoded, kept where the test can read it.
CAPTURE = """
(() => {
  const Native = window.WebSocket;
  window.__received = [];
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    const decoder = new TextDecoder();
    ws.addEventListener("message", (e) => {
      window.__received.push(typeof e.data === "string" ? e.data : decoder.decode(e.data));
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""
ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b.")


def test_chromium_is_installed() -> None:
    """.ci/run installs Debian's chromium; the serve tests need a real browser."""
    assert CHROMIUM, "install chromium (apt-get install chromium) to test simstart serve"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none"}
    proc = subprocess.Popen([sys.executable, "-m", "simstart", "serve", "--port", str(port),
                             "bridge-port"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("simstart serve did not start listening")
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _screen_text(page: Any) -> str:
    raw = "".join(page.evaluate("window.__received"))
    return ESCAPES.sub(" ", raw)


def _wait_for(page: Any, pattern: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = _screen_text(page)
        m = re.search(pattern, text)
        if m:
            return m.group(0)
        page.wait_for_timeout(250)
    pytest.fail(f"{pattern!r} never reached the browser; last text: {_screen_text(page)[-500:]}")


def _colours(png: bytes) -> int:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    return len(img.getcolors(maxcolors=1 << 24) or ())


def test_the_tui_runs_in_chromium_and_keys_step_the_trace(served: str, tmp_path: Any) -> None:
    shots = os.environ.get("SIMSTART_SHOTS")  # a folder to keep the screenshots in, to look at
    if shots:
        tmp_path = __import__("pathlib").Path(shots)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        assert CHROMIUM is not None
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.add_init_script(CAPTURE)
            page.goto(served)
            page.wait_for_function("document.body.classList.contains('-first-byte')",
                                   timeout=60_000)
            first = _wait_for(page, r"step \d+ of \d+")
            page.wait_for_timeout(500)
            shot = page.screenshot(path=str(tmp_path / "first.png"))
            assert _colours(shot) > 8, "the screenshot is blank"
            page.locator(".textual-terminal").click()
            before = len(page.evaluate("window.__received"))
            page.keyboard.press("Enter")  # closes the scenario's card (any key does)
            page.wait_for_timeout(300)
            for _ in range(3):
                page.keyboard.press("Space")
                page.wait_for_timeout(300)
            after = _wait_for(page, r"step [4-9]\d* of \d+")
            assert len(page.evaluate("window.__received")) > before
            assert first != after
            moved = page.screenshot(path=str(tmp_path / "stepped.png"))
            assert moved != shot, "three steps changed nothing on screen"

            # a second tab is a session of its own: it starts at the first step
            other = browser.new_page(viewport={"width": 1400, "height": 900})
            other.add_init_script(CAPTURE)
            other.goto(served)
            assert _wait_for(other, r"step \d+ of \d+") == first
        finally:
            browser.close()
