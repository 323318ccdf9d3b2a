"""A browser tab's process when ``simstart serve`` runs a fork server (``forkserver.py``).

Run as a plain script (``python -I -S attach.py SOCKET``): it imports only the standard
library's smallest modules, hands this process's stdin, stdout and stderr and its environment
to the fork server, forwards the signals it gets to the session the server forked, and exits
with that session's status.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys


def main(path: str) -> int:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        env = json.dumps(dict(os.environ)).encode()
        socket.send_fds(conn, [len(env).to_bytes(4, "big") + env[:60000]], [0, 1, 2])
        if len(env) > 60000:
            conn.sendall(env[60000:])
    except OSError as e:
        print(
            f"simstart serve: the session server is not answering ({path}): {e.strerror}",
            file=sys.stderr,
        )
        return 1
    child = 0

    def forward(signum: int, _frame: object) -> None:
        if child:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    buf = b""
    while True:
        try:
            data = conn.recv(256)
        except InterruptedError:
            continue
        if not data:
            return 1  # the session died without saying how
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            word, _, value = line.decode().partition(" ")
            if word == "pid":
                child = int(value)
            elif word == "exit":
                return int(value)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
