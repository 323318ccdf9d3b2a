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
        wait_for(sock, "any key to begin")  # the scenario's card
        tmux(sock, "send-keys", "-t", "tui", "Enter")
        first = wait_for(sock, "in server.(*Server).makeHTTPHandler")  # the router's frame
        assert "step 1 of" in first
        for key in ("N", "N", "N", "N", "Space"):  # to networking, then one step in
            tmux(sock, "send-keys", "-t", "tui", key)
            time.sleep(0.3)
        shown = wait_for(sock, "step ")
        deadline = time.monotonic() + 15
        # the stage id on the top line (the stage strip below always names "network")
        while "network." not in shown.splitlines()[0] and time.monotonic() < deadline:
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


def start(sock: str, width: int, height: int, args: str = "") -> None:
    env_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    command = (f"cd {ROOT} && PYTHONPATH={env_path} TEXTUAL_ANIMATIONS=none "
               f"{sys.executable} -m simstart {args}; echo simstart-exited=$?; sleep 30")
    tmux(sock, "-f", os.devnull, "new-session", "-d", "-s", "tui", "-x", str(width), "-y",
         str(height), command)


def settled(sock: str, timeout: float = 15.0) -> str:
    """The screen once it has stopped changing for a second (the footer and the scrollbars
    can come a few hundred milliseconds after the step on a busy machine)."""
    deadline = time.monotonic() + timeout
    last, since = screen(sock), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = screen(sock)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= 1.0:
            break
    return last


def resized_there_and_back(sock: str, width: int, height: int) -> str:
    tmux(sock, "resize-window", "-t", "tui", "-x", str(width + 7), "-y", str(height + 3))
    settled(sock)
    tmux(sock, "resize-window", "-t", "tui", "-x", str(width), "-y", str(height))
    return settled(sock)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_the_first_frame_in_a_real_terminal_is_the_frame_a_resize_draws(size):
    """The first frame (step 1 with the scenario's card in the panes' place, then step 1's
    panes, and the frame after a few steps) is complete: the same screen a resize there and
    back draws. Textual's headless Pilot cannot see this: it lays out in another order than a
    real terminal does."""
    width, height = size
    sock = f"simstart-first-{os.getpid()}-{width}"
    start(sock, width, height, "tui bridge-port")
    try:
        wait_for(sock, "step 1 of")
        wait_for(sock, "any key to begin")  # the card
        card = settled(sock)
        assert "What you will learn" in card and "Bridge network with a published" in card
        assert card == resized_there_and_back(sock, width, height)
        tmux(sock, "send-keys", "-t", "tui", "Enter")
        wait_for(sock, "palette")  # the footer
        first = settled(sock)
        from simstart.engine.run import record
        from simstart.scenario.library import resolve
        from simstart.scenario.loader import load

        n = len(record(load(resolve("bridge-port"))).trace)
        assert "any key to begin" not in first and f"step 1 of {n} " in first
        assert "HTTP ›checks›" in first  # the stage strip under "step 1 of N"
        assert "func (s *Server) makeHTTPHandler" in first  # the function's first line
        assert first == resized_there_and_back(sock, width, height)
        for _ in range(3):
            tmux(sock, "send-keys", "-t", "tui", "Space")
        wait_for(sock, "step 4 of")
        stepped = settled(sock)
        assert stepped == resized_there_and_back(sock, width, height)

    finally:
        tmux(sock, "kill-server")


def test_a_question_answered_in_a_real_terminal():
    """``simstart tui SCENARIO --quiz`` in tmux at 100x30: a jump stops at the first question,
    a number key answers it, the reveal says whether it was right and why, and any key goes
    on to the next question."""
    sock = f"simstart-quiz-{os.getpid()}"
    start(sock, 100, 30, "tui port-already-allocated --quiz")
    try:
        wait_for(sock, "any key to begin")
        tmux(sock, "send-keys", "-t", "tui", "Enter")
        deadline = time.monotonic() + 15
        while "any key to begin" in screen(sock) and time.monotonic() < deadline:
            time.sleep(0.2)  # the card is still on screen
        tmux(sock, "send-keys", "-t", "tui", "End")
        asked = wait_for(sock, "Question 1 of 4")
        assert "What status will the client get?" in asked and "500 Internal Server Error" in asked
        from simstart.engine.run import record
        from simstart.scenario.library import resolve
        from simstart.scenario.loader import load

        n = len(record(load(resolve("port-already-allocated"))).trace)
        assert f"step 37 of {n} " in asked  # the walk stopped at the question's step
        tmux(sock, "send-keys", "-t", "tui", "5")
        revealed = wait_for(sock, "Right.")
        last = record(load(resolve("port-already-allocated"))).results[0].last_step + 1
        assert f"The trace, step {last}" in revealed and "any key to go on" in revealed
        tmux(sock, "send-keys", "-t", "tui", "Space")
        second = wait_for(sock, "Question 2 of 4")
        assert "quiz 1/1 of 4" in second
        for _ in range(3):  # skip the rest, then quit
            tmux(sock, "send-keys", "-t", "tui", "Escape")
            time.sleep(0.5)
        settled(sock)
        tmux(sock, "send-keys", "-t", "tui", "q")
        done = wait_for(sock, "simstart-exited=")
        assert "simstart-exited=0" in done and "Traceback" not in done
    finally:
        tmux(sock, "kill-server")
