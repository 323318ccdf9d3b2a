"""``simstart serve [--host 127.0.0.1] [--port 8000] [--lang en|zh] [SCENARIO]``."""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from . import forkserver

LOOPBACK = "127.0.0.1"


def configure(p: argparse.ArgumentParser) -> None:
    """Arguments (cheap: nothing heavy is imported here)."""
    p.description = ("Serve the TUI in a web browser (textual-serve): each browser tab gets "
                     "its own session. Loopback only unless --host says otherwise; there is "
                     "no login and no TLS, so put it behind a proxy you trust to share it.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="a scenario file, or the name of a shipped one (default: bridge-port)")
    p.add_argument("--host", default=LOOPBACK,
                   help=f"the address to listen on (default: {LOOPBACK})")
    p.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    p.add_argument("--lang", choices=("en", "zh"), default=None,
                   help="the TUI's language (default: en)")


def tui_argv(scenario: str | None, lang: str | None) -> list[str]:
    """What each browser tab runs, after ``simstart`` (built only from what the teacher typed,
    never from anything a browser sends)."""
    argv = ["tui"]
    if scenario is not None:
        argv.append(scenario)
    if lang is not None:
        argv += ["--lang", lang]
    return argv


def command(scenario: str | None, lang: str | None) -> str:
    """The shell command textual-serve starts for each browser tab, without a fork server."""
    return shlex.join([sys.executable, "-m", "simstart", *tui_argv(scenario, lang)])


class ForkServer:
    """``forkserver.py`` running beside the web server, for as long as it serves."""

    def __init__(self, scenario: str | None, lang: str | None) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="simstart-serve-"))  # mode 0700: ours only
        self.socket = self.dir / "sessions"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simstart.web.forkserver", str(self.socket),
             *tui_argv(scenario, lang)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        self.ready = self.proc.stdout.readline() == forkserver.READY

    def command(self) -> str:
        """The shell command textual-serve starts for each browser tab: the small client."""
        attach = Path(__file__).with_name("attach.py")
        return shlex.join([sys.executable, "-I", "-S", str(attach), str(self.socket)])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()  # the fork server exits at end of file
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def _port_free(host: str, port: int) -> OSError | None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            return e
    return None


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 2 on bad input."""
    if not 0 < args.port < 65536:
        print(f"simstart serve: --port {args.port}: not a port (1 to 65535)", file=sys.stderr)
        return 2
    try:
        loopback = args.host == "localhost" or ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        print(f"simstart serve: --host {args.host}: not an IP address", file=sys.stderr)
        return 2
    if args.scenario is not None:
        from ..scenario import ScenarioError, load
        from ..scenario.library import resolve

        try:
            load(resolve(args.scenario), strict=True)
        except ScenarioError as e:
            print(str(e), file=sys.stderr)
            return 2
    try:
        from textual_serve.server import Server
    except ImportError:
        print("simstart serve: needs the web extra: pip install 'simstart[web]'",
              file=sys.stderr)
        return 2
    busy = _port_free(args.host, args.port)
    if busy is not None:
        why = "already in use" if busy.errno == errno.EADDRINUSE else busy.strerror
        print(f"simstart serve: {args.host}:{args.port}: {why}", file=sys.stderr)
        return 2
    if not loopback:
        print(f"simstart serve: listening on {args.host}, not only this machine: anyone who "
              "can reach it gets a session", file=sys.stderr)
    title = "simstart" + (f" · {args.scenario}" if args.scenario else "")
    # One process imports everything once; each tab's is forked from it (forkserver.py).
    forks = ForkServer(args.scenario, args.lang) if hasattr(os, "fork") else None
    try:
        if forks is not None and not forks.ready:
            print("simstart serve: the session fork server did not start; each tab starts "
                  "simstart afresh", file=sys.stderr)
        cmd = (forks.command() if forks is not None and forks.ready
               else command(args.scenario, args.lang))
        Server(cmd, host=args.host, port=args.port, title=title).serve()
    finally:
        if forks is not None:
            forks.close()
    return 0
