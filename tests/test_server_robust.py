"""simstart daemon as a server has to be: a private socket, loopback-only TCP, bounded requests
and connections, no growth over many requests."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.server_helpers import ROOT, Daemon, daemon, http

pytestmark = pytest.mark.slow


def _simstart(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simstart", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT, check=False)


def test_socket_is_0600_in_a_private_directory(tmp_path: Path) -> None:
    with daemon(tmp_path) as d:
        assert stat.S_IMODE(d.sock.stat().st_mode) == 0o600
        assert stat.S_IMODE(d.sock.parent.stat().st_mode) == 0o700


def test_refuses_a_directory_others_can_enter(tmp_path: Path) -> None:
    open_dir = tmp_path / "open"
    open_dir.mkdir(mode=0o755)
    open_dir.chmod(0o755)
    r = _simstart("daemon", "bridge-port", "--socket", str(open_dir / "d.sock"))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == (f"simstart daemon: {open_dir}: mode 0755 lets other users in: "
                                f"chmod 700 {open_dir}, or choose a directory only you can enter")
    assert not (open_dir / "d.sock").exists()


def test_refuses_to_replace_a_file(tmp_path: Path) -> None:
    d = tmp_path / "run"
    d.mkdir(mode=0o700)
    f = d / "notes.txt"
    f.write_text("mine\n")
    r = _simstart("daemon", "bridge-port", "--socket", str(f))
    assert r.returncode == 2 and "exists and is not a socket" in r.stderr
    assert f.read_text() == "mine\n"


def test_tcp_only_on_loopback(tmp_path: Path) -> None:
    r = _simstart("daemon", "bridge-port", "--tcp", "0.0.0.0:0")
    assert r.returncode == 2
    assert r.stderr.strip() == ("simstart daemon: 0.0.0.0: not a loopback address (simstart "
                                "listens on 127.0.0.0/8 or ::1 only)")
    r = _simstart("daemon", "bridge-port")
    assert r.returncode == 2 and "exactly one of --socket PATH or --tcp HOST:PORT" in r.stderr


def test_tcp_loopback_serves(tmp_path: Path) -> None:
    log = tmp_path / "log"
    with log.open("w") as out:
        p = subprocess.Popen([sys.executable, "-m", "simstart", "daemon", "bridge-port",
                              "--tcp", "127.0.0.1:0"], stdout=out, stderr=subprocess.STDOUT,
                             cwd=ROOT)
        try:
            deadline = time.monotonic() + 30
            while "tcp://127.0.0.1:" not in log.read_text():
                assert p.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            port = int(log.read_text().split("tcp://127.0.0.1:")[1].split()[0])
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(b"GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                got = b""
                while chunk := s.recv(4096):
                    got += chunk
            assert got.startswith(b"HTTP/1.1 200 OK\r\n") and got.endswith(b"\r\n\r\nOK")
        finally:
            p.terminate()
            p.wait(timeout=10)


def test_record_never_overwrites(tmp_path: Path) -> None:
    f = tmp_path / "session.yaml"
    f.write_text("keep me\n")
    d = tmp_path / "run"
    d.mkdir(mode=0o700)
    r = _simstart("daemon", "bridge-port", "--socket", str(d / "s"), "--record", str(f))
    assert r.returncode == 2 and "already exists" in r.stderr
    assert f.read_text() == "keep me\n"


def test_record_replays_the_session(tmp_path: Path) -> None:
    f = tmp_path / "session.yaml"
    with daemon(tmp_path, "bridge-port", "--record", str(f)) as d:
        assert d.docker("start", "web").returncode == 0
        assert d.docker("start", "web").returncode == 0  # 304: the CLI prints the name all the same
        assert d.docker("start", "nope").returncode == 1
    r = _simstart("run", str(f), "--quiet")
    assert r.returncode == 0, r.stdout + r.stderr  # every recorded expectation holds
    text = f.read_text()
    assert text.count("- container:") == 3 and "status: 304" in text
    assert "No such container: nope" in text


def _status(raw: bytes) -> bytes:
    return raw.split(b"\r\n", 1)[0]


def test_malformed_requests_get_400_and_the_server_lives_on(tmp_path: Path) -> None:
    with daemon(tmp_path) as d:
        assert _status(http(d, b"NOT A REQUEST LINE\r\n\r\n")) == b"HTTP/1.1 400 Bad Request"
        assert _status(http(d, b"GET /_ping HTTP/1.1\r\nno colon here\r\n\r\n")) == \
            b"HTTP/1.1 400 Bad Request"
        assert _status(http(d, b"GET /_ping HTTP/9.9\r\nHost: x\r\n\r\n")) == \
            b"HTTP/1.1 400 Bad Request"
        assert _status(http(d, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n")) == \
            b"HTTP/1.1 400 Bad Request"  # a TLS hello
        big = b"GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (2 << 20) + b"\r\n\r\n"
        assert _status(http(d, big)) == b"HTTP/1.1 431 Request Header Fields Too Large"
        ok = http(d, b"GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert ok.endswith(b"\r\n\r\nOK")


def test_the_live_router_redirects_refuses_and_parses_as_dockerd(tmp_path: Path) -> None:
    """net/http's 400 for a path that does not unescape (url.ParseRequestURI), gorilla mux's
    301 (mux.go L77-87) and 404 (server.go L178-181), ParseForm's 500 (container_routes.go
    L201): all over the socket, and the server goes on serving."""
    def ask(line: bytes) -> bytes:
        return http(d, line + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

    with daemon(tmp_path) as d:
        assert _status(ask(b"POST /containers/we%zb/start")) == b"HTTP/1.1 400 Bad Request"
        moved = ask(b"POST /v1.24/containers//web/start?t=1;x")
        assert _status(moved) == b"HTTP/1.1 301 Moved Permanently"
        assert b"\r\nLocation: /v1.24/containers/web/start?t=1;x\r\n" in moved
        missing = ask(b"GET /v1.23/containers/web/start")
        assert _status(missing) == b"HTTP/1.1 404 Not Found"
        assert missing.endswith(b"\r\n\r\npage not found\n") and b"Api-Version" not in missing
        bad = ask(b"POST /containers/web/kill?signal=%zz")
        assert _status(bad) == b"HTTP/1.1 500 Internal Server Error"
        assert bad.endswith(b'{"message":"invalid URL escape \\"%zz\\""}\n')
        assert ask(b"GET /_ping").endswith(b"\r\n\r\nOK")


def test_a_1_mib_body_gets_the_17_05_answer(tmp_path: Path) -> None:
    body = b"{" + b" " * ((1 << 20) - 2) + b"}"
    with daemon(tmp_path) as d:
        got = http(d, b"POST /v1.29/containers/web/start HTTP/1.1\r\nHost: x\r\n"
                   b"Content-Type: application/json\r\nConnection: close\r\n"
                   b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert _status(got) == b"HTTP/1.1 400 Bad Request"
    assert got.endswith(b'{"message":"starting container with non-empty request body was '
                        b'deprecated since v1.10 and removed in v1.12"}\n')


def test_a_body_over_the_limit_is_refused(tmp_path: Path) -> None:
    with daemon(tmp_path, "bridge-port", "--max-body", "1000") as d:
        got = http(d, b"POST /containers/web/start HTTP/1.1\r\nHost: x\r\n"
                   b"Content-Length: 5000\r\n\r\n" + b"x" * 5000)
        chunked = http(d, b"POST /containers/web/start HTTP/1.1\r\nHost: x\r\n"
                       b"Transfer-Encoding: chunked\r\n\r\n"
                       + b"".join(b"100\r\n" + b"x" * 256 + b"\r\n" for _ in range(8)))
    assert _status(got) == b"HTTP/1.1 413 Request Entity Too Large"
    assert _status(chunked) == b"HTTP/1.1 413 Request Entity Too Large"


def test_a_client_sending_a_byte_a_second_is_cut_off(tmp_path: Path) -> None:
    with daemon(tmp_path, "bridge-port", "--request-timeout", "2") as d:
        s = d.connect()
        began = time.monotonic()
        got = b""
        try:
            for ch in b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n":
                s.sendall(bytes([ch]))
                s.settimeout(1.0)
                try:
                    got = s.recv(4096)
                except TimeoutError:
                    continue
                break
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            s.close()
        took = time.monotonic() - began
        assert _status(got) == b"HTTP/1.1 408 Request Timeout"
        assert 1.5 < took < 6  # bounded by --request-timeout 2, not by the client


def test_an_idle_connection_is_closed(tmp_path: Path) -> None:
    with daemon(tmp_path, "bridge-port", "--idle-timeout", "1") as d:
        s = d.connect()
        began = time.monotonic()
        assert s.recv(4096) == b""  # closed by the server, no response to no request
        s.close()
        assert time.monotonic() - began < 6


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _burst(d: Daemon, n: int) -> None:
    """``n`` requests, 100 per keep-alive connection: a ping, a list, an inspect, a start of a
    running container (304) and of an unknown one (404), in turn."""
    reqs = [b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /v1.29/containers/json?all=1 HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /v1.29/containers/web/json HTTP/1.1\r\nHost: x\r\n\r\n",
            b"POST /v1.29/containers/web/start HTTP/1.1\r\nHost: x\r\n\r\n",
            b"POST /v1.29/containers/nope/start HTTP/1.1\r\nHost: x\r\n\r\n"]
    for base in range(0, n, 100):
        s = d.connect()
        batch = [reqs[(base + i) % len(reqs)] for i in range(min(100, n - base))]
        s.sendall(b"".join(batch[:-1]) + batch[-1].replace(b"\r\n\r\n",
                                                           b"\r\nConnection: close\r\n\r\n"))
        got = b""
        while chunk := s.recv(1 << 16):
            got += chunk
        s.close()
        assert got.count(b"HTTP/1.1 ") == len(batch)


def test_10000_requests_no_growth_in_memory_or_open_files(tmp_path: Path) -> None:
    with daemon(tmp_path, "bridge-port", "--quiet") as d:
        http(d, b"POST /containers/web/start HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        _burst(d, 1000)
        pid = d.proc.pid
        rss, fds = _rss_kb(pid), len(os.listdir(f"/proc/{pid}/fd"))
        _burst(d, 10_000)
        rss2, fds2 = _rss_kb(pid), len(os.listdir(f"/proc/{pid}/fd"))
    assert fds2 == fds
    assert rss2 - rss < 4096, f"RSS grew from {rss} to {rss2} kB over 10,000 requests"


def test_record_replays_stop_kill_and_a_parked_wait(tmp_path: Path) -> None:
    from tests.server_helpers import docker_cli

    f = tmp_path / "session.yaml"
    with daemon(tmp_path, "live-walk", "--record", str(f)) as d:
        assert d.docker("start", "web").returncode == 0
        env = {"DOCKER_CONFIG": str(tmp_path / "cfg"), "PATH": "/usr/bin:/bin"}
        waiter = subprocess.Popen([docker_cli(), "-H", d.host, "wait", "web"],
                                  stdout=subprocess.PIPE, text=True, env=env)
        time.sleep(1.0)
        assert d.docker("stop", "web").returncode == 0
        assert waiter.communicate(timeout=30)[0] == "143\n"
        assert d.docker("kill", "web").returncode == 1  # not running: 500
    r = _simstart("run", str(f), "--quiet")
    assert r.returncode == 0, r.stdout + r.stderr  # every recorded expectation holds
    doc = yaml.safe_load(f.read_text())
    # the wait is written where it was answered: after the stop that ended the container
    assert [(q.get("action", "start"), q["expect"]["status"]) for q in doc["requests"]] == [
        ("start", 204), ("stop", 204), ("wait", 200), ("kill", 500)]
