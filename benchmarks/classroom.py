"""The class: handouts and the TUI served to a room of browsers (``benchmarks/run.py`` calls
these; they can also run alone: ``python benchmarks/classroom.py [--quick]``).

* **export**: ``simstart export`` of the shipped scenario with the most steps, as HTML (the
  network picture drawn by ``dot`` included), whole process, median of several runs.
* **served sessions**: ``simstart serve`` on loopback, and N browser sessions opened at once
  over textual-serve's own websocket protocol (what the page's script speaks; no browser, so
  that the figure is the server's and the apps', not Chromium's). For each session, the time
  from opening its websocket to the first frame showing the first step; the memory is that of
  the server and every process it started, read from ``/proc`` once every session shows its
  first step: the resident set summed, and the proportional set (PSS: a page shared by k
  processes counts 1/k in each), which is what the machine really holds when sessions share
  the fork server's pages. One session, then thirty (a class). The same class is also served
  the way ``simstart serve`` did before its fork server — textual-serve starting ``simstart
  tui`` afresh for each tab — alternated with it in the same run, so the two compare.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIRST_STEP = re.compile(rb"step \d+ of \d+")  # the timeline, once the scenario is recorded


def _largest_scenario() -> tuple[str, int]:
    sys.path.insert(0, str(ROOT))
    from simstart.engine import record
    from simstart.scenario import load
    from simstart.scenario.library import shipped

    best = ("bridge-port", 0)
    for path in shipped():
        n = len(record(load(path)).trace)
        if n > best[1]:
            best = (path.stem, n)
    return best


def export(quick: bool) -> dict[str, Any]:
    """``simstart export LARGEST --format html`` as a whole process, with bytecode allowed
    (what ``pip install .`` gives: pip compiles the modules once) after one warm-up run, and
    the same work in this process once everything is imported (the handout itself)."""
    name, steps = _largest_scenario()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(Path(tmp) / "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for i in range(1 + (3 if quick else 9)):
            out = Path(tmp) / f"h{i}.html"
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "simstart", "export", name, "--format", "html",
                            "-o", str(out)], check=True, cwd=ROOT, env=env)
            if i:  # the first run fills the bytecode cache
                times.append((time.perf_counter() - t) * 1000)
            size = out.stat().st_size
    from simstart.engine import record
    from simstart.handout.document import handout
    from simstart.handout.html import to_html
    from simstart.handout.picture import topology_svg
    from simstart.scenario import load
    from simstart.scenario.library import resolve

    work = []
    for _ in range(3 if quick else 9):
        t = time.perf_counter()
        r = record(load(resolve(name)))
        to_html(handout(r, name), topology_svg(r))
        work.append((time.perf_counter() - t) * 1000)
    return {"scenario": name, "steps": steps, "bytes": size,
            "ms": {"median": statistics.median(times), "min": min(times), "max": max(times)},
            "in_process_ms": {"median": statistics.median(work), "min": min(work)}}


def _memory_kb(pid: int) -> tuple[int, int]:
    """The resident and the proportional set of ``pid``, in KiB (0, 0 once it is gone)."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


async def _session(url: str, opened: list[float], firsts: list[float]) -> Any:
    import aiohttp

    http = aiohttp.ClientSession()
    t = time.perf_counter()
    ws = await http.ws_connect(url)
    opened.append(t)
    seen = b""
    async for msg in ws:
        if msg.type == aiohttp.WSMsgType.BINARY:
            seen = seen[-64:] + msg.data  # a frame may be cut anywhere
            if FIRST_STEP.search(seen):
                firsts.append(time.perf_counter() - t)
                break
        elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            break
    return http, ws


async def _class(port: int, n: int, server: int) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}/ws?width=120&height=40"
    opened: list[float] = []
    firsts: list[float] = []
    t0 = time.perf_counter()
    held = await asyncio.wait_for(asyncio.gather(*(_session(url, opened, firsts)
                                                    for _ in range(n))), timeout=600)
    wall = time.perf_counter() - t0
    pids = _tree(server)
    mem = [_memory_kb(p) for p in pids]
    rss, pss = sum(m[0] for m in mem), sum(m[1] for m in mem)
    for http, ws in held:
        await ws.close()
        await http.close()
    return {"sessions": n, "first_step_ms": {"median": statistics.median(firsts) * 1000,
                                              "last": max(firsts) * 1000},
            "all_first_steps_s": wall, "processes": len(pids), "rss_mb": rss / 1024,
            "rss_mb_per_session": rss / 1024 / n, "pss_mb": pss / 1024,
            "pss_mb_per_session": pss / 1024 / n}


# textual-serve running ``simstart tui`` afresh for each tab: ``simstart serve`` before it had
# a fork server (the baseline the fork server is measured against, in the same run)
PER_TAB = ("import sys; from textual_serve.server import Server; "
           "from simstart.web.cli import command; "
           "Server(command(None, None), port=int(sys.argv[1])).serve()")
SERVERS = {"fork server": ["-m", "simstart", "serve", "--port"],
           "a process per tab": ["-c", PER_TAB]}


def _serve_class(how: str, n: int) -> dict[str, Any]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, *SERVERS[how], str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                            env={**os.environ, "TEXTUAL_ANIMATIONS": "none"})
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        return asyncio.run(_class(port, n, proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def served(quick: bool) -> dict[str, Any]:
    """One session, then a class of thirty (ten with --quick), each on a fresh server, served
    both ways, alternated, ``rounds`` times each; the round with the median last first step is
    kept."""
    rounds = 1 if quick else 3
    out: dict[str, Any] = {}
    for n in (1, 10 if quick else 30):
        runs: dict[str, list[dict[str, Any]]] = {how: [] for how in SERVERS}
        for _ in range(rounds):
            for how in SERVERS:
                runs[how].append(_serve_class(how, n))
        for how, rs in runs.items():
            mid = sorted(rs, key=lambda r: r["first_step_ms"]["last"])[len(rs) // 2]
            out.setdefault(how, {})[str(n)] = mid
    return out


if __name__ == "__main__":
    import json

    q = "--quick" in sys.argv
    print(json.dumps({"export": export(q), "served": served(q)}, indent=2))
