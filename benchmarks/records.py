"""``@struct`` against ``dataclasses`` for the world's records, on ``simstart run``.

    python benchmarks/records.py [--samples N] [--scenario NAME]

The world's records are built by ``simstart.world.journal.struct``, a small stand-in for
``dataclasses.dataclass`` kept because importing ``dataclasses`` (and ``inspect``, which it
imports) was measured to cost more than the closures. This benchmark checks that claim: it
copies the package into a temporary directory, replaces ``struct`` and ``field`` there by
``dataclasses.dataclass(eq=True)`` and ``dataclasses.field`` (``slots=True`` is not an option
as it stands: a record's journal and the undo of an attribute live in its ``__dict__``), checks
that the copy's JSON trace is byte-identical, then times ``simstart run SCENARIO`` (whole
process, output to a pipe) for both, samples alternating, and prints the medians and the
``record()`` time of every shipped scenario in-process for both. No test asserts these figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PATCH = '''

# -- benchmarks/records.py: the dataclasses variant ------------------------------------------
import dataclasses as _dc

field = _dc.field  # noqa: F811


def struct(cls):  # noqa: F811
    return _dc.dataclass(eq=True)(cls)
'''

RECORD_ALL = """
import sys, time
from simstart.engine import record
from simstart.scenario import load
from simstart.scenario.library import shipped
scs = [load(p) for p in shipped()]
best = float("inf")
for _ in range(int(sys.argv[1])):
    t0 = time.perf_counter()
    for sc in scs:
        record(sc)
    best = min(best, time.perf_counter() - t0)
print(best)
"""


def _variant(tmp: Path) -> Path:
    dst = tmp / "simstart"
    shutil.copytree(ROOT / "simstart", dst, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "scenarios", tmp / "scenarios")
    journal = dst / "world" / "journal.py"
    journal.write_text(journal.read_text(encoding="utf-8") + PATCH, encoding="utf-8")
    return tmp


def _env(path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(path)
    return env


def _run(path: Path, *args: str) -> tuple[float, bytes]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "simstart", *args], env=_env(path),
                         capture_output=True, check=False, cwd=path).stdout
    return time.perf_counter() - t0, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=15)
    ap.add_argument("--scenario", default="bridge-port")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        variant = _variant(Path(d))
        for name in ("bridge-port", "db-then-web", "racing-starts"):
            a = _run(ROOT, "run", name, "--json")[1]
            b = _run(variant, "run", name, "--json")[1]
            if a != b or not a:
                sys.exit(f"the dataclasses variant changes the trace of {name}")
        # the variant really is built on dataclasses
        probe = subprocess.run([sys.executable, "-c", "import simstart.world, sys; "
                                "print('dataclasses' in sys.modules)"], env=_env(variant),
                               capture_output=True, text=True, check=True,
                               cwd=variant).stdout.strip()
        assert probe == "True", probe
        times: dict[str, list[float]] = {"struct": [], "dataclasses": []}
        _run(ROOT, "run", args.scenario)  # warm the file cache
        _run(variant, "run", args.scenario)
        for _ in range(args.samples):
            times["struct"].append(_run(ROOT, "run", args.scenario)[0])
            times["dataclasses"].append(_run(variant, "run", args.scenario)[0])
        rec = {}
        for label, path in (("struct", ROOT), ("dataclasses", variant)):
            out = subprocess.run([sys.executable, "-c", RECORD_ALL, "5"], env=_env(path),
                                 capture_output=True, text=True, check=True, cwd=path).stdout
            rec[label] = float(out)
    s, dc = (statistics.median(times[k]) for k in ("struct", "dataclasses"))
    print(f"simstart run {args.scenario} (whole process, median of {args.samples}):")
    print(f"  @struct      {s * 1000:7.1f} ms")
    print(f"  dataclasses  {dc * 1000:7.1f} ms   ({(dc - s) * 1000:+.1f} ms, {dc / s:.2f}x)")
    print("record() of every shipped scenario, in process (best of 5):")
    print(f"  @struct      {rec['struct'] * 1000:7.1f} ms")
    print(f"  dataclasses  {rec['dataclasses'] * 1000:7.1f} ms   "
          f"({rec['dataclasses'] / rec['struct']:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
