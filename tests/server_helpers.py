"""Start ``simstart daemon`` on a socket in a private tmp directory, find the real docker CLI."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def docker_cli() -> str:
    """The docker client the tests drive: ``$SIMSTART_DOCKER`` (CI sets it to Debian's
    docker.io client, unpacked by ``.ci/docker-cli``), else that script's cache, else PATH."""
    env = os.environ.get("SIMSTART_DOCKER")
    if env:
        return env
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    unpacked = cache / "simstart" / "docker.io" / "usr" / "bin" / "docker"
    if unpacked.is_file():
        return str(unpacked)
    found = shutil.which("docker")
    assert found, "no docker CLI: run .ci/docker-cli (Debian's docker.io client) or set " \
                  "SIMSTART_DOCKER"
    return found


class Daemon:
    """A running ``simstart daemon``."""

    def __init__(self, proc: subprocess.Popen[str], sock: Path, log: Path) -> None:
        self.proc, self.sock, self.log_file = proc, sock, log
        self.host = f"unix://{sock}"

    def docker(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        """Run the real docker CLI against this daemon."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
        env["DOCKER_CONFIG"] = str(self.sock.parent / "docker-config")  # no user config
        return subprocess.run([docker_cli(), "-H", self.host, *args], capture_output=True,
                              text=True, timeout=timeout, env=env, check=False)

    def connect(self) -> socket.socket:
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(10)
        s.connect(str(self.sock))
        return s

    def log(self) -> str:
        """What the daemon has printed so far."""
        return self.log_file.read_text(encoding="utf-8")


@contextmanager
def daemon(tmp: Path, scenario: str = "bridge-port", *extra: str) -> Iterator[Daemon]:
    """Serve ``scenario`` on ``tmp/run/docker.sock`` (``tmp/run`` mode 0700); stop it after."""
    run_dir = tmp / "run"
    run_dir.mkdir(mode=0o700, exist_ok=True)
    sock = run_dir / "docker.sock"
    log = tmp / "daemon.log"
    out = log.open("w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "simstart", "daemon", scenario, "--socket",
                             str(sock), *extra], stdout=out, stderr=subprocess.STDOUT,
                            text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not sock.exists():
            assert proc.poll() is None, f"the daemon exited: {log.read_text()}"
            assert time.monotonic() < deadline, "the daemon did not create its socket"
            time.sleep(0.05)
        yield Daemon(proc, sock, log)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        out.close()
    assert proc.returncode == 0, f"the daemon exited {proc.returncode}"
    assert not sock.exists(), "the daemon left its socket behind"


def http(d: Daemon, raw: bytes) -> bytes:
    """Send raw bytes, read until the server closes or 10 s pass."""
    s = d.connect()
    try:
        s.sendall(raw)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk
    finally:
        s.close()
