"""simstart daemon's figures (called from ``benchmarks/run.py``; also runs alone).

    python benchmarks/live.py [--quick]

* **docker start**: the real docker CLI (``tests/server_helpers.docker_cli``: Debian's
  docker.io client where ``.ci/docker-cli`` unpacked it) runs ``docker -H unix://… start cK``
  as a whole process against ``simstart daemon`` serving a world of busybox containers (each
  sample starts a container not started before: the whole start path, ~90 steps) and against a
  minimal static responder on another unix socket (asyncio, fixed bytes: the same
  ``HEAD /_ping`` 404, ``GET /_ping`` 200 and 204 for the start). Samples alternate; the ratio
  is of medians (budget <= 1.5x).
* **docker-py**: ``containers.get(name).start()`` then ``.reload()``, loops per second, over
  one client (keep-alive), each loop on a container not started before.
* **start + stop**: one container started and stopped in turn, by the CLI (``docker start c0``,
  ``docker stop c0``, each a whole process: medians) and by docker-py (``.start()`` then
  ``.stop()`` over one client, loops per second); the simulated time it took.
* **memory**: the daemon's resident set (``/proc/PID/status`` VmRSS) after 100 and after
  10,000 requests (ping, list, inspect, a start that is a 304, a start of an unknown name, in
  turn, 100 per keep-alive connection), and its open files.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

STATIC = {
    b"HEAD /_ping": b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 29\r\n\r\n",
    b"GET /_ping": b"HTTP/1.1 200 OK\r\nApi-Version: 1.29\r\nContent-Type: text/plain; "
                   b"charset=utf-8\r\nDocker-Experimental: false\r\nOstype: linux\r\nServer: "
                   b"Docker/17.05.0-ce (linux)\r\nContent-Length: 2\r\n\r\nOK",
    b"POST": b"HTTP/1.1 204 No Content\r\nApi-Version: 1.29\r\nDocker-Experimental: false\r\n"
             b"Ostype: linux\r\nServer: Docker/17.05.0-ce (linux)\r\n\r\n",
}


async def _static_conn(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0]
            for k, v in STATIC.items():
                if line.startswith(k):
                    writer.write(v)
                    break
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def _serve_in_thread(start: Any) -> tuple[asyncio.AbstractEventLoop, threading.Thread]:
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    ready.wait(30)
    return loop, t


def _world(n: int) -> Any:
    import yaml

    from simstart.scenario import loads, yamlsource

    doc = {"title": f"{n} containers",
           "containers": [{"name": f"c{i}", "image": "busybox", "cmd": ["top"]}
                          for i in range(n)],
           "requests": [{"container": "c0"}]}
    saved = yamlsource.MAX_NODES
    yamlsource.MAX_NODES = max(saved, 12 * n + 100)
    try:
        return loads(yaml.safe_dump(doc), "live.yaml")
    finally:
        yamlsource.MAX_NODES = saved


def _median_p90(xs: list[float]) -> dict[str, float]:
    s = sorted(xs)
    return {"median": statistics.median(s), "p90": s[int(0.9 * (len(s) - 1))], "n": len(s)}


def docker_start(quick: bool) -> dict[str, Any]:
    """The CLI's ``docker start`` against simstart daemon and against the static responder."""
    from simstart.engine.live import Live
    from simstart.server.api import Api
    from simstart.server.http import Server
    from tests.server_helpers import docker_cli

    n = 8 if quick else 30
    tmp = Path(tempfile.mkdtemp(prefix="simstart-bench-"))
    os.chmod(tmp, 0o700)
    sim_sock, static_sock = tmp / "sim.sock", tmp / "static.sock"
    server = Server(Api(Live(_world(n + 1), keep_steps=False)))

    async def start_sim() -> None:
        await server.listen_unix(sim_sock)

    async def start_static() -> None:
        await asyncio.start_unix_server(_static_conn, path=str(static_sock))

    _serve_in_thread(start_sim)
    _serve_in_thread(start_static)
    cli = docker_cli()
    env = {"PATH": os.environ.get("PATH", ""), "DOCKER_CONFIG": str(tmp / "cfg")}

    def once(sock: Path, name: str) -> float:
        t0 = time.perf_counter()
        r = subprocess.run([cli, "-H", f"unix://{sock}", "start", name], capture_output=True,
                           env=env, check=False)
        dt = (time.perf_counter() - t0) * 1000
        assert r.returncode == 0 and r.stdout == f"{name}\n".encode(), r.stderr
        return dt

    once(static_sock, "warm")  # the binary into the page cache
    sim: list[float] = []
    static: list[float] = []
    for i in range(n):
        sim.append(once(sim_sock, f"c{i}"))
        static.append(once(static_sock, f"c{i}"))
    s, st = _median_p90(sim), _median_p90(static)
    return {"simstart_ms": s, "static_ms": st, "ratio": s["median"] / st["median"],
            "cli": cli}


def docker_py_loops(quick: bool) -> dict[str, Any]:
    """docker-py: get + start + reload of a fresh container, loops per second."""
    import docker

    from simstart.engine.live import Live
    from simstart.server.api import Api
    from simstart.server.http import Server

    n = 50 if quick else 300
    tmp = Path(tempfile.mkdtemp(prefix="simstart-bench-"))
    os.chmod(tmp, 0o700)
    sock = tmp / "sim.sock"
    server = Server(Api(Live(_world(n), keep_steps=False)))

    async def start() -> None:
        await server.listen_unix(sock)

    _serve_in_thread(start)
    client = docker.DockerClient(base_url=f"unix://{sock}", version="auto", timeout=30)
    t0 = time.perf_counter()
    for i in range(n):
        c = client.containers.get(f"c{i}")
        c.start()
        c.reload()
        assert c.status == "running"
    dt = time.perf_counter() - t0
    client.close()
    return {"loops": n, "loops_per_s": n / dt, "ms_per_loop": dt * 1000 / n}


def start_stop(quick: bool) -> dict[str, Any]:
    """One container started and stopped again and again: the real CLI's ``docker start`` and
    ``docker stop`` (each a whole process; the stop's SIGTERM ends ``top`` at once, so no grace
    period is spent, virtual or not), and docker-py's ``.start()`` + ``.stop()`` loops."""
    import docker

    from simstart.engine.live import Live
    from simstart.server.api import Api
    from simstart.server.http import Server
    from tests.server_helpers import docker_cli

    n_cli, n_py = (6, 40) if quick else (20, 200)
    tmp = Path(tempfile.mkdtemp(prefix="simstart-bench-"))
    os.chmod(tmp, 0o700)
    sock = tmp / "sim.sock"
    live = Live(_world(1), keep_steps=False)
    server = Server(Api(live))

    async def start_sim() -> None:
        await server.listen_unix(sock)

    _serve_in_thread(start_sim)
    cli = docker_cli()
    env = {"PATH": os.environ.get("PATH", ""), "DOCKER_CONFIG": str(tmp / "cfg")}

    def once(verb: str) -> float:
        t0 = time.perf_counter()
        r = subprocess.run([cli, "-H", f"unix://{sock}", verb, "c0"], capture_output=True,
                           env=env, check=False)
        dt = (time.perf_counter() - t0) * 1000
        assert r.returncode == 0 and r.stdout == b"c0\n", r.stderr
        return dt

    starts: list[float] = []
    stops: list[float] = []
    for _ in range(n_cli):
        starts.append(once("start"))
        stops.append(once("stop"))
    client = docker.DockerClient(base_url=f"unix://{sock}", version="auto", timeout=30)
    c = client.containers.get("c0")
    t0 = time.perf_counter()
    for _ in range(n_py):
        c.start()
        c.stop()
    dt = time.perf_counter() - t0
    c.reload()
    assert (c.status, c.attrs["State"]["ExitCode"]) == ("exited", 143)
    client.close()
    return {"cli_start_ms": _median_p90(starts), "cli_stop_ms": _median_p90(stops),
            "py_loops": n_py, "py_loops_per_s": n_py / dt, "py_ms_per_loop": dt * 1000 / n_py,
            "steps_recorded": live.steps_recorded, "virtual_s": live.world.clock / 1000}


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _burst(sock: Path, n: int) -> None:
    reqs = [b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /v1.29/containers/json?all=1 HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /v1.29/containers/web/json HTTP/1.1\r\nHost: x\r\n\r\n",
            b"POST /v1.29/containers/web/start HTTP/1.1\r\nHost: x\r\n\r\n",
            b"POST /v1.29/containers/nope/start HTTP/1.1\r\nHost: x\r\n\r\n"]
    for base in range(0, n, 100):
        batch = [reqs[(base + i) % len(reqs)] for i in range(min(100, n - base))]
        batch[-1] = batch[-1].replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
        s = socket.socket(socket.AF_UNIX)
        s.connect(str(sock))
        s.sendall(b"".join(batch))
        while s.recv(1 << 16):
            pass
        s.close()


def memory(quick: bool) -> dict[str, Any]:
    """The daemon process's RSS and open files after 100 and after 10,000 requests."""
    tmp = Path(tempfile.mkdtemp(prefix="simstart-bench-"))
    os.chmod(tmp, 0o700)
    sock = tmp / "d.sock"
    p = subprocess.Popen([sys.executable, "-m", "simstart", "daemon", "bridge-port", "--socket",
                          str(sock), "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        while not sock.exists():
            time.sleep(0.05)
        _burst(sock, 100)
        rss100, fd100 = _rss_kb(p.pid), len(os.listdir(f"/proc/{p.pid}/fd"))
        t0 = time.perf_counter()
        _burst(sock, 9_900)
        dt = time.perf_counter() - t0
        rss10k, fd10k = _rss_kb(p.pid), len(os.listdir(f"/proc/{p.pid}/fd"))
    finally:
        p.terminate()
        p.wait(10)
    return {"rss_100_kb": rss100, "rss_10000_kb": rss10k, "rss_ratio": rss10k / rss100,
            "fds_100": fd100, "fds_10000": fd10k, "requests_per_s": 9_900 / dt}


def live(quick: bool) -> dict[str, Any]:
    """All four."""
    return {"docker_start": docker_start(quick), "docker_py": docker_py_loops(quick),
            "start_stop": start_stop(quick), "memory": memory(quick)}


def rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Lines for run.py's table."""
    ds, dp, m, ss = r["docker_start"], r["docker_py"], r["memory"], r["start_stop"]
    return [
        ("`docker start` vs simstart daemon / static responder",
         f"{ds['simstart_ms']['median']:.0f} ms", f"{ds['static_ms']['median']:.0f} ms"),
        ("  ratio  [budget <= 1.5x]", f"{ds['ratio']:.2f}x", ""),
        ("docker-py get+start+reload, loops per second", f"{dp['loops_per_s']:.0f} /s",
         f"{dp['ms_per_loop']:.1f} ms per loop"),
        ("`docker start` / `docker stop` of one container, in turn",
         f"{ss['cli_start_ms']['median']:.0f} ms", f"{ss['cli_stop_ms']['median']:.0f} ms "
         f"(p90 {ss['cli_start_ms']['p90']:.0f} / {ss['cli_stop_ms']['p90']:.0f} ms)"),
        ("docker-py .start() + .stop(), loops per second", f"{ss['py_loops_per_s']:.0f} /s",
         f"{ss['py_ms_per_loop']:.1f} ms per loop, {ss['virtual_s']:.2f} s simulated"),
        ("daemon RSS after 100 / 10,000 requests", f"{m['rss_100_kb'] / 1024:.1f} MB",
         f"{m['rss_10000_kb'] / 1024:.1f} MB ({m['rss_ratio']:.2f}x), open files "
         f"{m['fds_100']} / {m['fds_10000']}"),
    ]


if __name__ == "__main__":
    res = live("--quick" in sys.argv)
    for a, b, c in rows(res):
        print(f"{a:58} {b:>12}  {c}")
