"""simstart's benchmarks, and the budgets they report against.

    python benchmarks/run.py            # the full run (a few minutes)
    python benchmarks/run.py --quick    # fewer samples, under a minute

Prints a table and writes ``benchmarks/results.json``. Standard library plus the project only.
No test asserts any of these figures: they are measured here and compared with the budgets in
``BUDGETS``, and the table says which are met.

What is measured, and how
-------------------------

Whole-process figures are taken twice: **as the machine runs them** (the environment as it is,
on this editable checkout; these machines set ``PYTHONDONTWRITEBYTECODE=1``, so the project's
own modules are compiled from source at every start, while installed packages keep the bytecode
pip wrote) and **with bytecode allowed** (``PYTHONDONTWRITEBYTECODE`` removed,
``PYTHONPYCACHEPREFIX`` pointing at a temporary directory so the checkout stays clean, after one
warm-up run that fills it). The second is also what a user gets on these machines from the
README's ``pip install .``: a regular install is byte-compiled by pip once, at install time. Samples
of the two things compared alternate, one of each in turn, and every ratio is a ratio of
medians, so a neighbour's load that comes and goes hits both sides alike.

* **TUI cold start.** ``benchmarks/coldstart.py`` runs the real ``simstart`` command (CLI,
  default scenario, TUI) or a minimal Textual app (one ``Static``) headless in a fresh process
  and reports two moments; see its docstring for what "painted" means. Each figure is from just
  before the process is started to that moment:

  - **first frame** (the budgeted figure): the first painted frame of the app's screen. The TUI
    records the scenario before it paints anything, so this is step 1 on the timeline with the
    scenario's card in the panes' place (until 2026-12-03 a placeholder frame came first).
  - **first step shown**: the first frame showing ``" step 1 of "``; now the same frame as the
    first. Reported next to it, with its own ratio, as before.
* **Step latency.** In this process: the TUI on the default scenario under ``App.run_test`` at
  80x24 and 200x50. A key event is handed to the headless driver exactly as a terminal driver
  would (``driver.send_message(events.Key(...))``) and the clock stops when the first frame
  whose terminal bytes show the new step number (``" step N of "``) has been painted (the same
  ``_display`` hook as the cold start: the update rendered to bytes). The app's own update timer
  paints; nothing forces a refresh (``pilot.pause`` would). Between samples the app is left to
  go idle. Also reported: "settled", when the last frame caused by the key was painted.
* **Replay.** ``record()`` of every shipped scenario, steps per second (loading excluded).
  ``simstart run bridge-port`` (the whole trace printed to a pipe that is thrown away) as a whole
  process, against ``python -c "import yaml"``.
* **Back.** A trace of ~10,000 steps (118 starts of ``busybox top``): ``Trace.back()`` at step
  10 and at the step with the same stage id in the start nearest to step 10,000, each timed over
  many repetitions (``forward()`` in between, untimed).
* **Scale.** A world of 100 and of 10,000 containers: ``GetContainer`` by name and by a unique
  ID prefix (through the moby function). ``record()`` of a scenario starting 100 and 1,000
  containers one after another: time (``gc.collect()`` before each, median) and
  ``tracemalloc`` peak, in separate runs (tracing slows the code it measures). The ~10,000-step
  trace: memory retained once recorded, and per step.
* **Restarts.** ``record()`` of one container restarted 100 and 1,000 times (on-failure,
  20-second runs): the time ratio. In the long trace (~107,000 steps), ``Trace.back()`` across
  a process exit (from the step after the shim's reap) late in the trace against across the
  first exit; back at step 10 is printed beside them.
* **In a real terminal.** ``benchmarks/terminal.py``: the real processes on a pty, both
  modes. The first frame that shows step 1 (what a user waits for) against a minimal Textual
  app's first frame at 200x50, and beside it Enter closing the card to the panes' frame; a
  key (``space``) to the bytes of the frame with the next step, at 80x24 and 200x50.
* **Live.** ``simstart daemon`` with the real docker CLI and docker-py: ``docker start`` as a
  whole process against the daemon and against a static responder, docker-py loops per
  second, ``docker start`` + ``docker stop`` of one container in turn (CLI and docker-py), the
  daemon's memory after 100 and 10,000 requests (see ``benchmarks/live.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # benchmarks/live.py
sys.path.insert(0, str(ROOT))  # a fresh clone, run before (or without) pip install -e

BUDGETS: dict[str, tuple[str, float, str]] = {
    # key: (what, limit, unit); a figure meets its budget when it is <= limit
    "cold_start_ratio": ("TUI first frame / minimal Textual app", 1.3, "x"),
    "run_ratio": ("`simstart run` process / `python -c \"import yaml\"`", 3.0, "x"),
    "step_median_200x50": ("step latency median at 200x50", 33.0, "ms"),
    "step_p90_200x50": ("step latency p90 at 200x50", 50.0, "ms"),
    "back_ratio": ("back at step ~10,000 / back at step 10", 1.2, "x"),
    "starts_ratio": ("record 1,000 starts / 100 starts (time)", 11.0, "x"),
    "restarts_ratio": ("record 1,000 restarts / 100 restarts (time)", 11.0, "x"),
    "back_exit_ratio": ("back across an exit at step ~96,000 / across the first exit", 1.2,
                        "x"),
    "trace_10k_mb": ("a 10,000-step trace (retained)", 100.0, "MB"),
    "docker_start_ratio": ("`docker start` against simstart daemon / a static responder", 1.5,
                           "x"),
    "export_largest_ms": ("`simstart export` of the largest scenario, HTML", 1000.0, "ms"),
    "pty_first_step_ratio": ("pty 200x50: first frame showing step 1 / minimal Textual app",
                             1.3, "x"),
    "pty_key_median_200x50": ("pty 200x50: key to the new step's frame, median", 17.0, "ms"),
    "pty_key_p90_200x50": ("pty 200x50: key to the new step's frame, p90", 33.0, "ms"),
}


# -- helpers ------------------------------------------------------------------------------


def p90(xs: list[float]) -> float:
    """The 90th percentile (nearest rank above)."""
    s = sorted(xs)
    return s[min(len(s) - 1, int(0.9 * len(s) + 0.5) - 1 if len(s) > 1 else 0)]


def summary(xs: list[float]) -> dict[str, float]:
    """Median, p90, min and count of samples (in the samples' unit)."""
    return {"median": statistics.median(xs), "p90": p90(xs), "min": min(xs), "n": len(xs)}


def scale_scenario(n: int) -> Any:
    """A scenario that starts ``n`` busybox containers one after another."""
    import yaml

    from simstart.scenario import loads

    doc = {
        "title": f"{n} starts",
        "containers": [{"name": f"c{i}", "image": "busybox", "cmd": ["top"]} for i in range(n)],
        "requests": [{"container": f"c{i}"} for i in range(n)],
    }
    return loads(yaml.safe_dump(doc), "scale.yaml")


def restart_scenario(n: int) -> Any:
    """One container that exits 1 after 20 s, ``n`` times restarted (on-failure:n): each run
    is long enough that the backoff is back at 100 ms, so simulated time grows linearly."""
    import yaml

    from simstart.scenario import loads

    doc = {
        "title": f"{n} restarts",
        "containers": [{"name": "job", "image": "busybox", "cmd": ["sh", "-c", "exit 1"],
                        "restart_policy": f"on-failure:{n}",
                        "process": {"exits_after": "20s", "exit_code": 1}}],
        "requests": [{"container": "job"}],
        "until": f"{(n + 2) * 21}s",
    }
    return loads(yaml.safe_dump(doc), "restarts.yaml")


def back_samples(trace: Any, positions: tuple[int, ...], reps: int) -> dict[int, list[float]]:
    """``Trace.back()`` timed at each position, in µs: ``reps`` samples each, in three rounds
    that interleave the positions (``forward()`` in between, untimed)."""
    samples: dict[int, list[float]] = {p: [] for p in positions}
    for _ in range(3):
        for pos in positions:
            trace.goto(pos)
            xs = samples[pos]
            for _ in range(reps // 3):
                t0 = time.perf_counter_ns()
                trace.back()
                xs.append((time.perf_counter_ns() - t0) / 1000)
                trace.forward()
    return samples


def record_times(scenarios: dict[int, Any], reps: int, out: dict[str, Any]
                 ) -> list[Any]:
    """``record()`` of each scenario, ``reps`` rounds alternating: ``record_<n>_ms`` and
    ``steps_<n>`` into ``out``, ``time_ratio`` of the last over the first; the ends of the
    last round's runs (each trace is let go before the next is recorded)."""
    from simstart.engine import record

    times: dict[int, list[float]] = {n: [] for n in scenarios}
    ends: list[Any] = []
    for _ in range(reps):
        ends = []
        for n, sc in scenarios.items():
            gc.collect()
            t0 = time.perf_counter()
            run = record(sc)
            times[n].append((time.perf_counter() - t0) * 1000)
            out[f"steps_{n}"] = len(run.trace)
            ends.append(run.end)
            del run
    for n in scenarios:
        out[f"record_{n}_ms"] = summary(times[n])
    lo, hi = min(scenarios), max(scenarios)
    out["time_ratio"] = out[f"record_{hi}_ms"]["median"] / out[f"record_{lo}_ms"]["median"]
    return ends


def restarts(quick: bool) -> dict[str, Any]:
    """Recording 100 and 1,000 restarts (time ratio); ``Trace.back()`` from the step where a
    process exits (late in the long trace) against back at step 10."""
    from simstart.engine import record

    out: dict[str, Any] = {}
    scenarios = {n: restart_scenario(n) for n in (100, 1000)}
    ends = record_times(scenarios, 2 if quick else 5, out)
    for n, e in zip(scenarios, ends, strict=True):
        out[f"restart_count_{n}"] = e.containers["job"]["restart_count"]
    run = record(scenarios[1000])
    trace = run.trace
    exits = [s.index for s in trace if s.stage == "exit.process"]
    # going back from these steps undoes a process's exit: the first one, and one late in the
    # ~100,000-step trace (the same stage, so the same work): the cost must not grow
    near, far = exits[0] + 1, exits[len(exits) * 9 // 10] + 1
    samples = back_samples(trace, (10, near, far), 2000 if quick else 10_000)
    out["back_trace_steps"] = len(trace)
    out["back_near"], out["back_far"] = near, far
    out["back_step10_us"] = summary(samples[10])
    out["back_first_exit_us"] = summary(samples[near])
    out["back_late_exit_us"] = summary(samples[far])
    out["back_exit_ratio"] = statistics.median(samples[far]) / statistics.median(samples[near])
    return out


def world_scenario(n: int) -> Any:
    """A scenario whose world holds ``n`` created containers (one request, to the last)."""
    import yaml

    from simstart.scenario import loads, yamlsource

    doc = {
        "title": f"{n} containers",
        "containers": [{"name": f"c{i}", "image": "busybox", "cmd": ["top"]} for i in range(n)],
        "requests": [{"container": f"c{n - 1}"}],
    }
    # The loader refuses more than MAX_NODES values (an alias-bomb guard for files people
    # write); this generated world of 10,000 containers has ~10 per container (keys count).
    saved = yamlsource.MAX_NODES
    yamlsource.MAX_NODES = max(saved, 12 * n + 100)
    try:
        return loads(yaml.safe_dump(doc), "world.yaml")
    finally:
        yamlsource.MAX_NODES = saved


def envs(tmp: Path) -> dict[str, dict[str, str]]:
    """The two ways a process is started: as the machine runs it, and with bytecode."""
    machine = dict(os.environ)
    bytecode = dict(os.environ)
    bytecode.pop("PYTHONDONTWRITEBYTECODE", None)
    bytecode["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    return {"machine": machine, "bytecode": bytecode}


def alternate(a: Callable[[], float], b: Callable[[], float], n: int) -> tuple[list[float],
                                                                              list[float]]:
    """``n`` samples of each, taken a, b, a, b, …"""
    xs: list[float] = []
    ys: list[float] = []
    for _ in range(n):
        xs.append(a())
        ys.append(b())
    return xs, ys


# -- whole processes ----------------------------------------------------------------------


def cold_start_both(which: str, env: dict[str, str],
                    size: tuple[int, int] = (80, 24)) -> tuple[float, float]:
    """Milliseconds from starting ``coldstart.py`` to its first frame, and to its first step
    shown."""
    cmd = [sys.executable, str(HERE / "coldstart.py"), which, str(size[0]), str(size[1])]
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
                       check=False)
    if p.returncode != 0 or not p.stdout.strip():
        raise RuntimeError(f"cold start of {which} failed ({p.returncode}): {p.stderr[-2000:]}")
    first, step = (float(x) for x in p.stdout.split()[-2:])
    return (first - t0) * 1000, (step - t0) * 1000


def cold_start(which: str, env: dict[str, str], size: tuple[int, int] = (80, 24)) -> float:
    """Milliseconds from starting ``coldstart.py`` to its first painted frame."""
    return cold_start_both(which, env, size)[0]


def process_ms(cmd: list[str], env: dict[str, str]) -> float:
    """Milliseconds a whole process takes, output thrown away."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=120, check=False)
    dt = (time.perf_counter() - t0) * 1000
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr[-2000:]!r}")
    return dt


def processes(quick: bool) -> dict[str, Any]:
    """Cold start and ``simstart run``, in both modes."""
    n_cold = 5 if quick else 15
    n_run = 7 if quick else 21
    run_cmd = [sys.executable, "-m", "simstart", "run", "bridge-port"]
    yaml_cmd = [sys.executable, "-c", "import yaml"]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="simstart-bench-") as tmp:
        for mode, env in envs(Path(tmp)).items():
            # one warm-up of each, untimed (fills the bytecode cache in "bytecode" mode)
            cold_start("simstart", env)
            cold_start("minimal", env)
            process_ms(run_cmd, env)
            process_ms(yaml_cmd, env)
            steps: list[float] = []

            def app_start(env: dict[str, str] = env, steps: list[float] = steps) -> float:
                first, step = cold_start_both("simstart", env)
                steps.append(step)
                return first

            app, minimal = alternate(app_start, partial(cold_start, "minimal", env), n_cold)
            run, yml = alternate(partial(process_ms, run_cmd, env),
                                 partial(process_ms, yaml_cmd, env), n_run)
            out[mode] = {
                "cold_start_ms": summary(app), "minimal_app_ms": summary(minimal),
                "cold_start_ratio": statistics.median(app) / statistics.median(minimal),
                "first_step_ms": summary(steps),
                "first_step_ratio": statistics.median(steps) / statistics.median(minimal),
                "run_ms": summary(run), "import_yaml_ms": summary(yml),
                "run_ratio": statistics.median(run) / statistics.median(yml),
            }
    return out


# -- the TUI, in this process -------------------------------------------------------------


async def _tui_steps(size: tuple[int, int], n: int, scenario: Any = None,
                     positions: tuple[int, ...] = ()) -> dict[str, Any]:
    from textual import events

    from simstart.scenario.library import DEFAULT
    from simstart.tui.app import SimstartApp

    app = SimstartApp(DEFAULT if scenario is None else scenario)
    frames: list[tuple[float, str]] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            frames.append((time.perf_counter(), render(app.console)))

    app._display = display  # type: ignore[method-assign]

    async def idle() -> None:
        # no frame for 60 ms: whatever the last key caused has been painted
        while True:
            count = len(frames)
            await asyncio.sleep(0.06)
            if len(frames) == count:
                return

    painted: list[tuple[int, int]] = []  # (frames, bytes) each key caused

    async def press(key: str, target: int, total: int) -> tuple[float, float]:
        marker = f" step {target + 1} of {total} "
        await idle()
        frames.clear()
        event = events.Key(key, None)
        event.set_sender(app)
        t0 = time.perf_counter()
        assert app._driver is not None
        app._driver.send_message(event)
        deadline = t0 + 10
        while not any(marker in s for _, s in frames):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no frame showed {marker!r} after {key}")
            await asyncio.sleep(0.0005)
        first = next(t for t, s in frames if marker in s)
        await idle()
        painted.append((len(frames), sum(len(s.encode()) for _, s in frames)))
        return (first - t0) * 1000, (frames[-1][0] - t0) * 1000

    out: dict[str, Any] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        session = app.opened()
        assert session is not None
        trace = session.trace
        total = len(trace)
        if positions:
            for pos in positions:
                first_ms: list[float] = []
                for _ in range(n):
                    trace.goto(pos)
                    app.refresh_view()
                    first_ms.append((await press("left", pos - 1, total))[0])
                out[f"back_at_{pos}"] = summary(first_ms)
            return out
        trace.goto(0)
        app.refresh_view()
        n = min(n, total - 1)
        for direction, key, delta in (("forward", "right", 1), ("back", "left", -1)):
            first_ms, settled_ms = [], []
            for _ in range(n):
                f, s = await press(key, trace.position + delta, total)
                first_ms.append(f)
                settled_ms.append(s)
            out[direction] = {"first_frame_ms": summary(first_ms),
                              "settled_ms": summary(settled_ms)}
        out["frames_per_step"] = statistics.mean(f for f, _ in painted)
        out["bytes_per_step"] = statistics.median(b for _, b in painted)
        out["full_screen_cells"] = size[0] * size[1]
    return out


def tui(quick: bool) -> dict[str, Any]:
    """Step forward and back at two sizes; back at step 10 and ~10,000 of a long trace."""
    n = 10 if quick else 40
    out: dict[str, Any] = {}
    for size in ((80, 24), (200, 50)):
        r = asyncio.run(_tui_steps(size, n))
        # forward and back together: the median of the two medians, the worse p90
        steps = [r[d]["first_frame_ms"] for d in ("forward", "back")]
        r["pooled_median_ms"] = statistics.median([s["median"] for s in steps])
        r["pooled_p90_ms"] = max(s["p90"] for s in steps)
        out[f"{size[0]}x{size[1]}"] = r
    return out


def tui_long(quick: bool, far: int) -> dict[str, Any]:
    """The TUI going back one step at step 10 and at step ``far`` of the long trace."""
    r = asyncio.run(_tui_steps((200, 50), 3 if quick else 10, scale_scenario(118),
                               positions=(10, far)))
    r["ratio"] = r[f"back_at_{far}"]["median"] / r["back_at_10"]["median"]
    return r


# -- the engine, in this process ----------------------------------------------------------


def replay(quick: bool) -> dict[str, Any]:
    """``record()`` of every shipped scenario."""
    from simstart.engine import record
    from simstart.scenario import load
    from simstart.scenario.library import shipped

    t0 = time.perf_counter()
    scenarios = [load(p) for p in shipped()]
    load_s = time.perf_counter() - t0
    rates, times = [], []
    steps = 0
    for _ in range(3 if quick else 7):
        gc.collect()
        t0 = time.perf_counter()
        steps = sum(len(record(sc).trace) for sc in scenarios)
        dt = time.perf_counter() - t0
        times.append(dt * 1000)
        rates.append(steps / dt)
    return {"scenarios": len(scenarios), "steps": steps, "load_all_ms": load_s * 1000,
            "record_all_ms": summary(times), "steps_per_s": statistics.median(rates)}


def back(quick: bool) -> dict[str, Any]:
    """``Trace.back()`` at step 10 and at the same stage near step 10,000."""
    from simstart.engine import record

    run = record(scale_scenario(118))
    trace = run.trace
    stage10 = trace.steps[10].stage
    first_of = [r.first_step for r in run.results]
    far = min((f + 10 for f in first_of if trace.steps[f + 10].stage == stage10),
              key=lambda i: abs(i - 10_000))
    out: dict[str, Any] = {"trace_steps": len(trace), "near": 10, "far": far, "stage": stage10}
    samples = back_samples(trace, (10, far), 2000 if quick else 10_000)
    out["back_near_us"] = summary(samples[10])
    out["back_far_us"] = summary(samples[far])
    out["back_ratio"] = statistics.median(samples[far]) / statistics.median(samples[10])
    return out


def lookups(quick: bool) -> dict[str, Any]:
    """``GetContainer`` by name and by unique ID prefix in worlds of 100 and 10,000."""
    from simstart.engine.build import build_world
    from simstart.moby import Daemon
    from simstart.moby.container import get_container

    def _drive(gen: Any) -> Any:  # GetContainer never blocks: run it to its end, unrecorded
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value

    out: dict[str, Any] = {}
    reps = 2000 if quick else 10_000
    for n in (100, 10_000):
        t0 = time.perf_counter()
        w = build_world(world_scenario(n))
        build_ms = (time.perf_counter() - t0) * 1000
        d = Daemon(w)
        ids = sorted(w.containers.by_id)
        target = w.containers.by_id[ids[len(ids) // 2]]
        prefix = next(target.id[:k] for k in range(1, 65)
                      if len(w.containers.id_index.matches(target.id[:k])) == 1)
        res: dict[str, Any] = {"build_world_ms": build_ms, "unique_prefix_len": len(prefix)}
        for what, key in (("name", target.name.lstrip("/")), ("prefix", prefix)):
            xs = []
            for _ in range(reps):
                t0 = time.perf_counter_ns()
                c, err = _drive(get_container(d, key))
                xs.append((time.perf_counter_ns() - t0) / 1000)
            assert err is None and c is target, (what, key, err)
            res[f"by_{what}_us"] = summary(xs)
        out[str(n)] = res
    for what in ("name", "prefix"):
        out[f"by_{what}_ratio_10000_vs_100"] = (out["10000"][f"by_{what}_us"]["median"]
                                                / out["100"][f"by_{what}_us"]["median"])
    return out


def starts(quick: bool) -> dict[str, Any]:
    """Recording 100 and 1,000 starts: time and peak memory; the ~10,000-step trace's size."""
    from simstart.engine import record

    out: dict[str, Any] = {}
    scenarios = {n: scale_scenario(n) for n in (100, 1000)}
    record_times(scenarios, 2 if quick else 5, out)
    for n in (100, 1000):
        gc.collect()
        tracemalloc.start()
        run = record(scenarios[n])
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[f"peak_{n}_mb"] = peak / 2**20
        out[f"retained_{n}_mb"] = current / 2**20
        del run
    out["peak_ratio"] = out["peak_1000_mb"] / out["peak_100_mb"]
    sc = scale_scenario(118)
    gc.collect()
    tracemalloc.start()
    run = record(sc)
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = len(run.trace)
    out["trace_10k"] = {"steps": n, "retained_mb": current / 2**20, "peak_mb": peak / 2**20,
                        "retained_bytes_per_step": current / n,
                        "peak_bytes_per_step": peak / n}
    return out


def _live(quick: bool) -> dict[str, Any]:
    """simstart daemon with the real docker CLI and docker-py (``benchmarks/live.py``)."""
    import live as live_bench

    return live_bench.live(quick)


# -- the report ---------------------------------------------------------------------------


def terminal(quick: bool) -> dict[str, Any]:
    """The TUI in a real pseudo-terminal, in both modes (``benchmarks/terminal.py``)."""
    import terminal as terminal_bench

    with tempfile.TemporaryDirectory(prefix="simstart-bench-") as tmp:
        return {mode: terminal_bench.measure(env, quick) for mode, env in envs(Path(tmp)).items()}


def classroom(quick: bool) -> dict[str, Any]:
    """Handouts and served sessions (``benchmarks/classroom.py``)."""
    sys.path.insert(0, str(HERE))
    import classroom as c

    return {"export": c.export(quick), "served": c.served(quick)}


def figures(r: dict[str, Any]) -> dict[str, dict[str, float]]:
    """The budgeted figures, per mode (in-process figures are the same in both)."""
    shared = {
        "step_median_200x50": r["tui"]["200x50"]["pooled_median_ms"],
        "step_p90_200x50": r["tui"]["200x50"]["pooled_p90_ms"],
        "back_ratio": r["back"]["back_ratio"],
        "starts_ratio": r["starts"]["time_ratio"],
        "restarts_ratio": r["restarts"]["time_ratio"],
        "back_exit_ratio": r["restarts"]["back_exit_ratio"],
        "trace_10k_mb": r["starts"]["trace_10k"]["retained_mb"],
        "docker_start_ratio": r["live"]["docker_start"]["ratio"],
        "export_largest_ms": r["classroom"]["export"]["ms"]["median"],
    }
    def pty(mode: str) -> dict[str, float]:
        t = r["terminal"][mode]
        return {"pty_first_step_ratio": t["cold_200x50"]["first_step_ratio"],
                "pty_key_median_200x50": t["keys_200x50"]["ms"]["median"],
                "pty_key_p90_200x50": t["keys_200x50"]["ms"]["p90"]}

    return {mode: {"cold_start_ratio": p["cold_start_ratio"], "run_ratio": p["run_ratio"],
                   **pty(mode), **shared} for mode, p in r["processes"].items()}


def table(r: dict[str, Any]) -> str:
    """The results as a plain-text table."""
    pm, pb = r["processes"]["machine"], r["processes"]["bytecode"]
    rows: list[tuple[str, str, str]] = []

    def ms(s: dict[str, float]) -> str:
        return f"{s['median']:.0f} ms (p90 {s['p90']:.0f})"

    rows.append(("TUI cold start, first frame (80x24)", ms(pm["cold_start_ms"]),
                 ms(pb["cold_start_ms"])))
    rows.append(("minimal Textual app, first frame", ms(pm["minimal_app_ms"]),
                 ms(pb["minimal_app_ms"])))
    rows.append(("  ratio  [budget <= 1.3x]", f"{pm['cold_start_ratio']:.2f}x",
                 f"{pb['cold_start_ratio']:.2f}x"))
    rows.append(("TUI cold start, first step shown (80x24)", ms(pm["first_step_ms"]),
                 ms(pb["first_step_ms"])))
    rows.append(("  ratio to the minimal app  [not budgeted]", f"{pm['first_step_ratio']:.2f}x",
                 f"{pb['first_step_ratio']:.2f}x"))
    rows.append(("`simstart run bridge-port`, whole process", ms(pm["run_ms"]), ms(pb["run_ms"])))
    rows.append(("`python -c \"import yaml\"`", ms(pm["import_yaml_ms"]),
                 ms(pb["import_yaml_ms"])))
    rows.append(("  ratio  [budget <= 3x]", f"{pm['run_ratio']:.2f}x", f"{pb['run_ratio']:.2f}x"))
    for size, t in r["tui"].items():
        for d in ("forward", "back"):
            f, s = t[d]["first_frame_ms"], t[d]["settled_ms"]
            rows.append((f"step {d} {size}: first frame / settled",
                         f"{f['median']:.1f} / {s['median']:.1f} ms", f"p90 {f['p90']:.1f} / "
                         f"{s['p90']:.1f} ms"))
    t = r["tui"]["200x50"]
    for size, t in r["tui"].items():
        rows.append((f"  frames painted per step / terminal bytes per step, {size}",
                     f"{t['frames_per_step']:.1f}", f"{t['bytes_per_step']:,.0f} B"))
    rows.append(("  200x50 median, p90  [budget <= 33, 50 ms]",
                 f"{t['pooled_median_ms']:.1f} ms", f"{t['pooled_p90_ms']:.1f} ms"))
    rp = r["replay"]
    rows.append((f"replay {rp['scenarios']} shipped scenarios ({rp['steps']} steps)",
                 f"{rp['steps_per_s']:,.0f} steps/s", f"{rp['record_all_ms']['median']:.0f} ms"))
    b = r["back"]
    rows.append((f"back at step 10 / at step {b['far']:,} (of {b['trace_steps']:,})",
                 f"{b['back_near_us']['median']:.1f} us", f"{b['back_far_us']['median']:.1f} us"))
    rows.append(("  ratio  [budget <= 1.2x]", f"{b['back_ratio']:.2f}x", ""))
    rs = r["restarts"]
    rows.append(("record 100 / 1,000 restarts", f"{rs['record_100_ms']['median']:.0f} ms",
                 f"{rs['record_1000_ms']['median']:.0f} ms"))
    rows.append(("  ratio  [budget <= 11x]", f"{rs['time_ratio']:.2f}x", ""))
    rows.append((f"back across the first exit / an exit at step {rs['back_far']:,} "
                 f"(step 10: {rs['back_step10_us']['median']:.2f} us)",
                 f"{rs['back_first_exit_us']['median']:.2f} us",
                 f"{rs['back_late_exit_us']['median']:.2f} us"))
    rows.append(("  ratio  [budget <= 1.2x]", f"{rs['back_exit_ratio']:.2f}x", ""))
    tl, far = r["tui_long"], b["far"]
    rows.append((f"TUI back at step 10 / at step {far:,}, 200x50, first frame",
                 f"{tl['back_at_10']['median']:.1f} ms",
                 f"{tl[f'back_at_{far}']['median']:.1f} ms ({tl['ratio']:.2f}x)"))
    lk = r["lookups"]
    for what in ("name", "prefix"):
        rows.append((f"GetContainer by {what}: 100 / 10,000 containers",
                     f"{lk['100'][f'by_{what}_us']['median']:.1f} us",
                     f"{lk['10000'][f'by_{what}_us']['median']:.1f} us "
                     f"({lk[f'by_{what}_ratio_10000_vs_100']:.2f}x)"))
    st = r["starts"]
    rows.append(("record 100 / 1,000 starts", f"{st['record_100_ms']['median']:.0f} ms",
                 f"{st['record_1000_ms']['median']:.0f} ms"))
    rows.append(("  time ratio  [budget <= 11x]", f"{st['time_ratio']:.2f}x", ""))
    rows.append(("  peak memory 100 / 1,000 starts", f"{st['peak_100_mb']:.1f} MB",
                 f"{st['peak_1000_mb']:.1f} MB ({st['peak_ratio']:.2f}x)"))
    tk = st["trace_10k"]
    rows.append((f"{tk['steps']:,}-step trace: retained / peak  [budget <= 100 MB]",
                 f"{tk['retained_mb']:.1f} MB", f"{tk['peak_mb']:.1f} MB"))
    rows.append(("  per recorded step: retained / peak",
                 f"{tk['retained_bytes_per_step']:.0f} B", f"{tk['peak_bytes_per_step']:.0f} B"))
    import live as live_bench
    import terminal as terminal_bench

    rows.extend(terminal_bench.rows(r["terminal"]))
    rows.extend(live_bench.rows(r["live"]))
    ex, sv = r["classroom"]["export"], r["classroom"]["served"]
    rows.append((f"`simstart export {ex['scenario']} --format html` ({ex['steps']} steps), "
                 "process / in process", f"{ex['ms']['median']:.0f} ms",
                 f"{ex['in_process_ms']['median']:.0f} ms"))
    for how, classes in sv.items():
        for n, c in classes.items():
            rows.append((f"`simstart serve` ({how}), {n} session(s) at once: first step "
                         "shown, median / last", f"{c['first_step_ms']['median']:.0f} ms",
                         f"{c['first_step_ms']['last']:.0f} ms"))
            rows.append(("  memory, server and its apps: PSS total / per session",
                         f"{c['pss_mb']:.0f} MB", f"{c['pss_mb_per_session']:.0f} MB"))
    w0 = max(len(a) for a, _, _ in rows)
    w1 = max(len(b) for _, b, _ in rows)
    head = [f"{'':{w0}}  {'as the machine runs':{w1}}  with bytecode allowed",
            f"{'':{w0}}  {'(or first figure)':{w1}}  (or second figure)"]
    lines = head + ["-" * (w0 + w1 + 30)] + [f"{a:{w0}}  {b:{w1}}  {c}" for a, b, c in rows]
    lines.append("")
    lines.append("budgets:")
    for mode, figs in r["figures"].items():
        for key, value in figs.items():
            what, limit, unit = BUDGETS[key]
            verdict = "met" if value <= limit else "MISSED"
            lines.append(f"  [{mode:8}] {what}: {value:.2f} {unit} (<= {limit:g}) {verdict}")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """Where the figures came from."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import textual

        tv = getattr(textual, "__version__", "")
    except ImportError:
        tv = ""
    if not tv:
        from importlib.metadata import version

        tv = version("textual")
    return {"loadavg_at_start": os.getloadavg(), "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(), "cpu": cpu, "cpus": os.cpu_count(),
            "textual": tv,
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark, print the table, write ``results.json``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="fewer samples (under a minute)")
    ap.add_argument("--output", default=str(HERE / "results.json"),
                    help="where to write the results (default: benchmarks/results.json)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    r: dict[str, Any] = {"quick": args.quick, "machine": machine(),
                         "date": time.strftime("%Y-%m-%d %H:%M:%S %z")}
    steps: list[tuple[str, Callable[[bool], dict[str, Any]]]] = [
        ("processes", processes), ("terminal", terminal), ("tui", tui), ("replay", replay),
        ("back", back),
        ("tui_long", lambda q: tui_long(q, r["back"]["far"])), ("lookups", lookups),
        ("starts", starts), ("restarts", restarts), ("classroom", classroom), ("live", _live)]
    for name, fn in steps:
        t = time.perf_counter()
        r[name] = fn(args.quick)
        print(f"  {name}: {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    r["figures"] = figures(r)
    r["budgets"] = {k: {"what": w, "limit": lim, "unit": u} for k, (w, lim, u) in BUDGETS.items()}
    r["elapsed_s"] = time.perf_counter() - t0
    r["machine"]["loadavg_at_end"] = os.getloadavg()
    print(table(r))
    print(f"\n{r['elapsed_s']:.0f} s; machine: {r['machine']['cpus']} x {r['machine']['cpu']}, "
          f"Python {r['machine']['python']}, textual {r['machine']['textual']}; load average "
          f"{r['machine']['loadavg_at_start'][0]:.1f} at the start, "
          f"{r['machine']['loadavg_at_end'][0]:.1f} at the end")
    tmp = Path(args.output + ".tmp")
    tmp.write_text(json.dumps(r, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    shutil.move(str(tmp), args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
