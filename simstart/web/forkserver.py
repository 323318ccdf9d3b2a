"""A fork server for served sessions: thirty tabs without thirty cold starts.

textual-serve starts one process per browser tab and talks to it over its stdin and stdout.
Started plainly, each of those processes imports Python, Textual and simstart from nothing —
about a second of CPU — so a class that opens the page at once waits for thirty of them on two
cores. Here one process imports everything once and waits; each tab's process is a small
client (``attach.py``) that hands its stdin, stdout and stderr to this server over a Unix
socket, and the server forks a child that runs ``simstart tui`` on them. The child shares the
imported modules with its parent (copy-on-write), so it starts in a fraction of the time and
memory.

The protocol, on a ``SOCK_STREAM`` Unix socket in a directory only this user can enter:

* client → server: the three descriptors (``SCM_RIGHTS``) with a 4-byte big-endian length
  and that many bytes of JSON: the client's environment (textual-serve sets the size, the
  driver and the colours there);
* child → client: ``pid <n>\\n`` as soon as it runs (the client forwards signals to it), then
  ``exit <code>\\n`` when the TUI returns. A connection that closes without ``exit`` means the
  child died: the client exits 1.

The server exits when its stdin reaches end of file, that is when ``simstart serve`` is gone.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import random
import runpy
import select
import signal
import socket
import sys
import traceback
from pathlib import Path

READY = b"ready\n"


def _receive(conn: socket.socket) -> tuple[list[int], dict[str, str]]:
    """The client's three descriptors and environment."""
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    if len(fds) != 3 or len(data) < 4:
        for fd in fds:
            os.close(fd)
        raise OSError("a client sent no descriptors")
    size = int.from_bytes(data[:4], "big")
    body = data[4:]
    while len(body) < size:
        more = conn.recv(size - len(body))
        if not more:
            break
        body += more
    env = json.loads(body)
    if not isinstance(env, dict):
        raise ValueError("environment is not an object")
    return fds, {str(k): str(v) for k, v in env.items()}


def _become_session(
    conn: socket.socket, fds: list[int], env: dict[str, str], argv: list[str]
) -> None:
    """In the forked child: take the client's descriptors and environment, run the TUI, report
    its exit status, and end (never returns)."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ.clear()
        os.environ.update(env)
        # Textual reads its settings (the driver above all) from the environment when it is
        # imported, which happened in the parent, before any tab: read them again.
        import textual.constants

        importlib.reload(textual.constants)
        random.seed()
        conn.sendall(f"pid {os.getpid()}\n".encode())
        # what the tab would have run: the program's entry point, ``python -m simstart ...``
        sys.argv = ["simstart", *argv]
        runpy.run_module("simstart", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as e:  # as Python's own exit: None is 0, a message is 1
        code = 0 if e.code is None else e.code if isinstance(e.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        with contextlib.suppress(OSError):
            conn.sendall(f"exit {code}\n".encode())
        os._exit(code)


def _preload() -> None:
    """Do once, in the parent, what every session does before its first frame: import
    Textual and simstart (including what the TUI imports lazily) and fill their caches, by
    opening the TUI headless on the default scenario and closing it."""
    import argparse  # noqa: F401  (the command line each session parses)
    import asyncio
    import threading
    import time

    import textual.drivers.web_driver  # noqa: F401  (what each session runs on)

    from ..scenario.library import DEFAULT
    from ..source import fetch  # noqa: F401
    from ..tui.app import SimstartApp

    async def warm() -> None:
        app = SimstartApp(DEFAULT, intro=True)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(200):
                if app.session is not None or app.failure is not None:
                    break
                await pilot.pause(0.01)

    asyncio.run(warm())
    # fork() copies only the calling thread: let any helper thread of the warm-up end first
    deadline = time.monotonic() + 5
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.01)


def serve(path: Path, argv: list[str]) -> int:
    """Listen on ``path``; fork a session running ``simstart <argv>`` for each client."""
    _preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    stdin = sys.stdin.fileno()
    while True:
        ready, _, _ = select.select([listener, stdin], [], [])
        if stdin in ready and not os.read(stdin, 512):
            return 0  # simstart serve is gone
        if listener not in ready:
            continue
        conn, _ = listener.accept()
        try:
            fds, env = _receive(conn)
        except (OSError, ValueError) as e:
            print(f"simstart serve: a session could not start: {e}", file=sys.stderr)
            conn.close()
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            listener.close()
            _become_session(conn, fds, env, argv)
        for fd in fds:
            os.close(fd)
        conn.close()


if __name__ == "__main__":
    sys.exit(serve(Path(sys.argv[1]), sys.argv[2:]))
