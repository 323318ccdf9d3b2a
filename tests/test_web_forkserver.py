"""``simstart serve``'s fork server: each tab's small client hands its stdin, stdout and
stderr over a Unix socket, and a child forked from the warmed-up server runs the TUI on them
(simstart/web/forkserver.py, attach.py). Driven here as textual-serve drives a tab: pipes,
its environment, its packet protocol."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from simstart.web import forkserver
from simstart.web.cli import ForkServer

ATTACH = Path(forkserver.__file__).with_name("attach.py")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    forks = ForkServer(None, None)
    assert forks.ready, "the fork server did not say it was ready"
    yield forks
    forks.close()


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out |= {int(c) for c in (task / "children").read_text().split()}
    return out


class Tab:
    """A tab as textual-serve runs it: the server's command, with pipes and its env."""

    def __init__(self, forks: ForkServer, width: int, height: int) -> None:
        env = {
            **os.environ,
            "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
            "TEXTUAL_COLOR_SYSTEM": "truecolor",
            "COLUMNS": str(width),
            "ROWS": str(height),
            "TEXTUAL_ANIMATIONS": "none",
        }
        self.proc = subprocess.Popen(
            forks.command(),
            shell=True,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        self.out = self.proc.stdout

    def screen_until(self, text: bytes, timeout: float = 60) -> bytes:
        """The data packets, up to the one in which ``text`` appears."""
        assert self.out.readline() == b"__GANGLION__\n"
        seen = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            kind, size = self.out.read(1), int.from_bytes(self.out.read(4), "big")
            payload = self.out.read(size)
            if kind == b"D":
                seen += payload
                if text in seen:
                    return seen
            assert kind, "the tab's stdout ended before the text appeared"
        raise AssertionError(f"{text!r} never appeared")

    def send_meta(self, meta: dict[str, object]) -> None:
        assert self.proc.stdin is not None
        body = json.dumps(meta).encode()
        self.proc.stdin.write(b"M" + len(body).to_bytes(4, "big") + body)
        self.proc.stdin.flush()


def _client_of(tab: Tab) -> int:
    """The attach client: the tab's process itself where the shell ran it with exec, or its
    child (the shell's own command line names attach.py too, inside its ``-c``)."""
    for pid in [tab.proc.pid, *sorted(_children(tab.proc.pid))]:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if argv[1:2] == [b"-I"] and any(a.endswith(b"attach.py") for a in argv):
            return pid
    raise AssertionError("no attach client")


def _session_of(forks: ForkServer, before: set[int]) -> int:
    for _ in range(200):
        new = _children(forks.proc.pid) - before
        if new:
            return new.pop()
        time.sleep(0.05)
    raise AssertionError("no session was forked")


def test_a_tab_runs_the_tui_in_a_child_of_the_fork_server_at_its_size(server: ForkServer) -> None:
    before = _children(server.proc.pid)
    tab = Tab(server, 100, 30)
    screen = tab.screen_until(b"step 1 of")
    session = _session_of(server, before)
    assert session != tab.proc.pid  # forked by the server, not started by the tab
    # the tab's size reached the session: the frame has 30 rows (a line drawn at each), no more
    assert b"\x1b[30;1H" in screen and b"\x1b[31;1H" not in screen
    tab.send_meta({"type": "quit"})
    assert tab.proc.wait(timeout=30) == 0
    # read() returns: the end of file came, nothing holds the tab's stdout any more; the
    # last packet is the driver's own goodbye
    assert tab.out.read().endswith(b'{"type": "exit"}')
    for _ in range(100):
        if session not in _children(server.proc.pid):
            break
        time.sleep(0.05)
    assert session not in _children(server.proc.pid)  # reaped, no zombie left


def test_a_signal_to_the_tab_reaches_its_session(server: ForkServer) -> None:
    before = _children(server.proc.pid)
    tab = Tab(server, 80, 24)
    tab.screen_until(b"step 1 of")
    session = _session_of(server, before)
    os.kill(_client_of(tab), signal.SIGTERM)  # as when the tab's process is stopped
    tab.proc.wait(timeout=30)
    for _ in range(100):
        if session not in _children(server.proc.pid):
            break
        time.sleep(0.05)
    assert session not in _children(server.proc.pid)


def test_a_session_that_dies_ends_its_tab_with_status_1(server: ForkServer) -> None:
    before = _children(server.proc.pid)
    tab = Tab(server, 80, 24)
    tab.screen_until(b"step 1 of")
    os.kill(_session_of(server, before), signal.SIGKILL)
    assert tab.proc.wait(timeout=30) == 1


def test_the_fork_server_ends_when_serve_does() -> None:
    forks = ForkServer(None, None)
    assert forks.ready
    forks.close()
    assert forks.proc.returncode == 0
    assert not forks.dir.exists()  # its socket's directory is gone too


def test_a_client_without_a_server_says_so_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-I", "-S", str(ATTACH), str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("simstart serve: the session server is not answering")
    assert len(done.stderr.strip().splitlines()) == 1
