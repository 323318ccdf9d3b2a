"""The TUI in a real pseudo-terminal: whole processes, from ``exec`` or a key to the bytes of
the frame that shows it (issue 15). Used by ``benchmarks/run.py``; also runs alone:

    python benchmarks/terminal.py [--quick]
    python benchmarks/terminal.py --against DIR [--quick]   # this checkout against another

Each app runs as a child process on the slave side of a pty of the given size (TIOCSWINSZ,
``TERM=xterm-256color``), exactly as from a terminal; this process holds the master side, reads
everything the app writes, and answers nothing (a terminal's replies to Textual's queries are
optional). Times are ``time.monotonic()``: from just before the child is started, or just
before a key's bytes are written to the master, to the moment the read bytes first contain
the text that shows the frame. Textual writes a frame's runs of one style as plain text
between escape sequences, so a marker inside one run (``" step 1 of "``, which the timeline
writes in one style) is found in the raw bytes as it is.

* **first frame**, against a minimal Textual app (one ``Static``, ``"Hello, world"``): for the
  TUI, the frame showing ``" step 1 of "`` (the scenario recorded, step 1 on the timeline and
  the scenario's card in the panes' place — what a user waits for; since 2026-12-03 it is also
  the TUI's first frame: no placeholder comes before it, and the footer's keys are on it,
  where Textual's Footer drew them ~0.1 s later). Samples alternate TUI, minimal, TUI, …; the
  ratio is of medians.
* **card closed**: in the same TUI processes, once the first frame is up and quiet, Enter (the
  key that closes the card) to the bytes of the frame showing the panes (``"Call stack"``, the
  stack pane's title, is on no earlier frame). The panes are first painted here, so this is
  reported beside the first frame, not hidden in it.
* **key to frame**: the TUI on ``bridge-port`` at 80x24 and 200x50, its card closed, left idle;
  then ``space`` and the time until the bytes show the next step number, ``" step N of "``.
  After each sample the app is left to go quiet (no bytes for a while) before the next key.
* **--against DIR**: this checkout and the simstart checkout in DIR (an older commit, say, from
  ``git worktree add DIR REV``), both run by this interpreter with its packages (``python -m
  simstart`` from each directory imports that directory's package), alternated: first frames
  this, other, minimal, …; keys in rounds of 25 at 200x50 and at 80x24, this then other. The
  figures are medians (of the rounds' medians for keys) and the first frames' ratios to the
  minimal app's.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ("from textual.app import App\n"
           "from textual.widgets import Static\n"
           "class Minimal(App):\n"
           "    def compose(self):\n"
           "        yield Static('Hello, world')\n"
           "Minimal().run()\n")


class Pty:
    """A child process on a pty of ``size``; ``wait_for`` reads its output until a marker."""

    def __init__(self, argv: list[str], size: tuple[int, int], env: dict[str, str],
                 cwd: Path = ROOT) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {**env, "TERM": "xterm-256color", "COLUMNS": str(size[0]),
               "LINES": str(size[1])}
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     cwd=cwd, start_new_session=True, close_fds=True)
        os.close(slave)
        self.out = bytearray()

    def read(self, timeout: float) -> bool:
        """Read what is there within ``timeout`` seconds; False if nothing came."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:  # the child is gone
            return False
        self.out += chunk
        return bool(chunk)

    def wait_for(self, marker: bytes, since: int = 0, timeout: float = 60.0) -> float:
        """``time.monotonic()`` when the output from offset ``since`` first holds
        ``marker``."""
        deadline = time.monotonic() + timeout
        while marker not in self.out[since:]:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{marker!r} never came; last output: "
                                   f"{bytes(self.out[-400:])!r}")
            self.read(min(left, 0.5))
        return time.monotonic()

    def quiet(self, gap: float = 0.25, limit: float = 10.0) -> None:
        """Read until nothing came for ``gap`` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self.read(gap):
            pass

    def send(self, data: bytes) -> float:
        """Write ``data`` as typed keys; the moment just before."""
        t = time.monotonic()
        os.write(self.master, data)
        return t

    def close(self) -> None:
        """End the child (its whole session) and the pty."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        os.close(self.master)


def simstart_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "simstart", *args]


class TimedPty(Pty):
    """A Pty that notes when each of a few markers first arrives."""

    def __init__(self, argv: list[str], size: tuple[int, int], env: dict[str, str],
                 markers: tuple[bytes, ...], cwd: Path = ROOT) -> None:
        super().__init__(argv, size, env, cwd)
        self.markers = markers
        self.marks: dict[bytes, float] = {}

    def read(self, timeout: float) -> bool:
        got = super().read(timeout)
        if got:
            now = time.monotonic()
            for m in self.markers:
                if m not in self.marks and m in self.out:
                    self.marks[m] = now
        return got


def cold(which: str, env: dict[str, str], size: tuple[int, int],
         root: Path = ROOT) -> dict[str, float]:
    """One start (of the checkout in ``root``): milliseconds to each marker of ``which``."""
    if which == "minimal":
        argv, markers = [sys.executable, "-c", MINIMAL], (b"Hello, world",)
    else:
        argv, markers = simstart_argv(), (b" step 1 of ",)
    p = TimedPty(argv, size, env, markers, root)
    try:
        p.wait_for(markers[-1])
        out = {m.decode().strip(): (p.marks[m] - p.started) * 1000
               for m in markers if m in p.marks}
        if which != "minimal":
            p.quiet()
            mark = len(p.out)
            t0 = p.send(b"\r")
            out["card closed"] = (p.wait_for(b"Call stack", since=mark) - t0) * 1000
        return out
    finally:
        p.close()


def summary(xs: list[float]) -> dict[str, float]:
    s = sorted(xs)
    return {"median": statistics.median(s), "p90": s[min(len(s) - 1, int(0.9 * len(s)))],
            "min": s[0], "n": len(s)}


def cold_starts(env: dict[str, str], n: int, size: tuple[int, int] = (200, 50)
                ) -> dict[str, Any]:
    """``n`` alternated starts of the TUI and the minimal app."""
    cold("simstart", env, size)  # warm-up, untimed
    cold("minimal", env, size)
    step: list[float] = []
    closed: list[float] = []
    minimal: list[float] = []
    for _ in range(n):
        t = cold("simstart", env, size)
        step.append(t["step 1 of"])
        closed.append(t["card closed"])
        minimal.append(cold("minimal", env, size)["Hello, world"])
    out = {"size": f"{size[0]}x{size[1]}", "first_step_ms": summary(step),
           "card_closed_ms": summary(closed), "minimal_ms": summary(minimal)}
    out["first_step_ratio"] = out["first_step_ms"]["median"] / out["minimal_ms"]["median"]
    return out


def key_to_frame(env: dict[str, str], size: tuple[int, int], n: int,
                 root: Path = ROOT) -> dict[str, Any]:
    """``n`` presses of space on bridge-port, each to the frame with the next step."""
    p = Pty(simstart_argv("tui", "bridge-port"), size, env, root)
    samples: list[float] = []
    try:
        p.wait_for(b" step 1 of ")
        p.quiet()
        p.send(b"\r")  # close the scenario's card
        p.quiet(0.5)
        for i in range(2, n + 2):
            mark = len(p.out)
            t0 = p.send(b" ")
            t1 = p.wait_for(f" step {i} of ".encode(), since=mark, timeout=20)
            samples.append((t1 - t0) * 1000)
            p.quiet()
    finally:
        p.close()
    return {"size": f"{size[0]}x{size[1]}", "ms": summary(samples)}


def measure(env: dict[str, str], quick: bool) -> dict[str, Any]:
    """Every pty figure, in one environment."""
    n_cold = 5 if quick else 9
    n_keys = 15 if quick else 40
    return {"cold_200x50": cold_starts(env, n_cold),
            "keys_80x24": key_to_frame(env, (80, 24), n_keys),
            "keys_200x50": key_to_frame(env, (200, 50), n_keys)}


def rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Table rows for ``run.py`` (the two modes side by side)."""
    m, b = r["machine"], r["bytecode"]

    def ms(s: dict[str, float]) -> str:
        return f"{s['median']:.0f} ms (p90 {s['p90']:.0f})"

    out = [("pty 200x50: TUI first frame showing step 1", ms(m["cold_200x50"]["first_step_ms"]),
            ms(b["cold_200x50"]["first_step_ms"])),
           ("pty 200x50: minimal Textual app, first frame", ms(m["cold_200x50"]["minimal_ms"]),
            ms(b["cold_200x50"]["minimal_ms"])),
           ("  ratio  [goal <= 1.3x]", f"{m['cold_200x50']['first_step_ratio']:.2f}x",
            f"{b['cold_200x50']['first_step_ratio']:.2f}x"),
           ("pty 200x50: then Enter (closing the card) to the panes' frame  [not budgeted]",
            ms(m["cold_200x50"]["card_closed_ms"]), ms(b["cold_200x50"]["card_closed_ms"]))]
    for size in ("80x24", "200x50"):
        km, kb = m[f"keys_{size}"]["ms"], b[f"keys_{size}"]["ms"]
        goal = "  [goal median <= 17, p90 <= 33 ms]" if size == "200x50" else ""
        out.append((f"pty {size}: key to the new step's frame, median / p90{goal}",
                    f"{km['median']:.1f} / {km['p90']:.1f} ms",
                    f"{kb['median']:.1f} / {kb['p90']:.1f} ms"))
    return out


def against(env: dict[str, str], other: Path, quick: bool) -> dict[str, Any]:
    """This checkout and the one in ``other``, alternated (see the module's docstring)."""
    roots = {"this": ROOT, "other": other}
    n_cold, rounds = (5, 2) if quick else (11, 4)
    for root in roots.values():  # warm-up, untimed
        cold("simstart", env, (200, 50), root)
    firsts: dict[str, list[float]] = {"this": [], "other": [], "minimal": []}
    for _ in range(n_cold):
        for name, root in roots.items():
            firsts[name].append(cold("simstart", env, (200, 50), root)["step 1 of"])
        firsts["minimal"].append(cold("minimal", env, (200, 50))["Hello, world"])
    med = {k: statistics.median(v) for k, v in firsts.items()}
    out: dict[str, Any] = {"first_step_ms": med,
                           "first_step_ratio": {k: med[k] / med["minimal"] for k in roots}}
    for size in ((200, 50), (80, 24)):
        keys: dict[str, list[float]] = {"this": [], "other": []}
        for _ in range(rounds):
            for name, root in roots.items():
                keys[name].append(key_to_frame(env, size, 25, root)["ms"]["median"])
        out[f"keys_{size[0]}x{size[1]}"] = {k: statistics.median(v) for k, v in keys.items()}
    return out


def main(argv: list[str]) -> int:
    """Measure as the machine runs it, and print the figures."""
    quick = "--quick" in argv
    if "--against" in argv:
        other = Path(argv[argv.index("--against") + 1]).resolve()
        a = against(dict(os.environ), other, quick)
        f, r = a["first_step_ms"], a["first_step_ratio"]
        print(f"first frame showing step 1 at 200x50: this {f['this']:.0f} ms "
              f"({r['this']:.2f}x), {other} {f['other']:.0f} ms ({r['other']:.2f}x), "
              f"minimal app {f['minimal']:.0f} ms")
        for size in ("200x50", "80x24"):
            k = a[f"keys_{size}"]
            print(f"key to frame {size}, median: this {k['this']:.1f} ms, "
                  f"{other} {k['other']:.1f} ms")
        return 0
    r = measure(dict(os.environ), quick)
    c = r["cold_200x50"]
    print(f"first step {c['first_step_ms']['median']:.0f} ms, minimal app "
          f"{c['minimal_ms']['median']:.0f} ms: {c['first_step_ratio']:.2f}x "
          f"(then closing the card: {c['card_closed_ms']['median']:.0f} ms)")
    for size in ("80x24", "200x50"):
        k = r[f"keys_{size}"]["ms"]
        print(f"key to frame {size}: median {k['median']:.1f} ms, p90 {k['p90']:.1f} ms "
              f"({k['n']} keys)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
