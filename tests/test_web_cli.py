"""``simstart serve``'s command line: loopback by default, bad input one line and exit 2."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys

import pytest

from simstart.web.cli import command


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simstart", "serve", *args],
                          capture_output=True, text=True, timeout=60)


def test_each_tab_runs_the_tui_command_built_from_the_teachers_arguments() -> None:
    argv = shlex.split(command("bridge-port; rm -rf ~", "zh"))
    assert argv[1:] == ["-m", "simstart", "tui", "bridge-port; rm -rf ~", "--lang", "zh"]


def test_the_default_host_is_loopback() -> None:
    from argparse import ArgumentParser

    from simstart.web.cli import configure

    p = ArgumentParser()
    configure(p)
    assert p.parse_args([]).host == "127.0.0.1"


@pytest.mark.parametrize("args, line", [
    (("--port", "0"), "simstart serve: --port 0: not a port (1 to 65535)"),
    (("--host", "example"), "simstart serve: --host example: not an IP address"),
    (("no-such-scenario",), "no-such-scenario"),
])
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], line: str) -> None:
    done = serve(*args)
    assert done.returncode == 2 and line in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_port_in_use_is_one_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        done = serve("--port", str(port))
    assert done.returncode == 2
    assert done.stderr.strip() == f"simstart serve: 127.0.0.1:{port}: already in use"
