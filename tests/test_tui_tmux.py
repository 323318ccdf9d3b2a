"""The app in a real terminal: ``python -m simstart`` under tmux at 80x24.

Skipped only when tmux is not installed (``.ci/run`` installs it). Each run uses its own tmux
server socket, so it never touches a user's sessions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.tui]


def test_tmux_is_installed() -> None:
    """.ci/run installs tmux when it is missing; without it the terminal test cannot run."""
    assert shutil.which("tmux"), "install tmux (apt-get install tmux) to run the terminal test"

ROOT = Path(__file__).resolve().parent.parent


def tmux(sock: str, *args: str) -> str:
    out = subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True,
                         timeout=20)
    return out.stdout


def screen(sock: str) -> str:
    return tmux(sock, "capture-pane", "-p", "-t", "tui")


def wait_for(sock: str, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(sock)
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{shown}")


def test_the_app_in_tmux_at_80x24_shows_the_current_moby_function():
    sock = f"simstart-test-{os.getpid()}"
    env_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    command = (f"cd {ROOT} && PYTHONPATH={env_path} TEXTUAL_ANIMATIONS=none "
               f"{sys.executable} -m simstart; echo simstart-exited=$?; sleep 30")
    tmux(sock, "-f", os.devnull, "new-session", "-d", "-s", "tui", "-x", "80", "-y", "24",
         command)
    try:
        first = wait_for(sock, "step 1 of")
        assert "makeHTTPHandler" in first  # the router's frame, in the narration
        for key in ("N", "N", "N", "N", "Space"):  # to networking, then one step in
            tmux(sock, "send-keys", "-t", "tui", key)
            time.sleep(0.3)
        shown = wait_for(sock, "step ")
        deadline = time.monotonic() + 15
        while "network" not in shown and time.monotonic() < deadline:
            time.sleep(0.2)
            shown = screen(sock)
        lines = shown.splitlines()
        assert len(lines) <= 24 and max(len(x) for x in lines) <= 80
        assert "Traceback" not in shown
        # the narration names the current moby function: "in <package>.<function>"
        where = next(x for x in lines if x.strip("│ ").startswith("in "))
        symbol = where.strip("│ ").removeprefix("in ").strip()
        assert "." in symbol and symbol.split(".")[0] in {"daemon", "libnetwork", "bridge"}
        assert "container_operations.go" in shown or "controller.go" in shown
        tmux(sock, "send-keys", "-t", "tui", "q")
        done = wait_for(sock, "simstart-exited=")
        assert "simstart-exited=0" in done and "Traceback" not in done
    finally:
        tmux(sock, "kill-server")
