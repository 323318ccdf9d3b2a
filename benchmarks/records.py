"""``@struct`` against ``dataclasses`` for the world's records, on ``simstart run``.

    python benchmarks/records.py [--samples N] [--scenario NAME] [--rounds R]

The world's records are built by ``simstart.world.journal.struct``, a small stand-in for
``dataclasses.dataclass(eq=True)``. This benchmark checks that it earns its place: it copies
the package into temporary directories and replaces ``struct`` and ``field`` there by

- ``dataclasses``: ``dataclasses.dataclass(eq=True)`` and ``dataclasses.field``;
- ``slots``: ``dataclasses.dataclass(eq=True, slots=True)``, with the journal's functions
  that read a record's state from its ``__dict__`` rewritten to read its slots (``Node``
  gets ``__slots__``; the world's stores, which are not records, keep a ``__dict__``);

checks that each copy's JSON trace of every shipped scenario is byte-identical to this
checkout's, then measures the CPU time (user + system: on a shared machine the wall clock
measures the neighbours too) of ``simstart run SCENARIO`` (whole process, output to a pipe)
for each, samples alternating, and of ``record()`` of every shipped scenario in process (best
of 5, in ``--rounds`` alternating rounds). It prints medians; no test asserts these figures. The
decision they gave, with the figures, is in README.md ("Benchmarks", records).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DATACLASSES = '''

# -- benchmarks/records.py: the dataclasses variant ------------------------------------------
import dataclasses as _dc

field = _dc.field  # noqa: F811


def struct(cls):  # noqa: F811
    return _dc.dataclass(eq=True)(cls)
'''

SLOTS = '''

# -- benchmarks/records.py: the dataclasses(slots=True) variant -----------------------------
import dataclasses as _dc

field = _dc.field  # noqa: F811


def struct(cls):  # noqa: F811
    return _dc.dataclass(eq=True, slots=True)(cls)


def _state(x):
    """A record's attributes: its slots, or its ``__dict__`` (the journal excluded)."""
    d = getattr(x, "__dict__", None)
    out = {k: v for k, v in d.items() if k != "_journal"} if d is not None else {}
    for name in getattr(type(x), "__dataclass_fields__", ()):
        v = getattr(x, name, _MISSING)
        if v is not _MISSING:
            out[name] = v
    return out


def fields_of(obj):  # noqa: F811
    return _state(obj)


class Node:  # noqa: F811
    __slots__ = ("_journal",)
    label: str = ""

    def __setattr__(self, name, value):
        # a slot has no class default: ``label`` is unset until ``__init__`` reaches it
        if isinstance(value, (Node, JDict, JList)) and "[" in getattr(self, "label", ""):
            _home(value, f"{self.label}.{name}")
        j = getattr(self, "_journal", None)
        if j is not None:
            d = getattr(self, "__dict__", None)
            old = d.get(name, _MISSING) if d is not None else getattr(self, name, _MISSING)
            if old is not value:
                _attached(value, j)
                j.record(Op("attr", self, name, old, value))
        object.__setattr__(self, name, value)


def _home(value, path):  # noqa: F811
    if not isinstance(value, (Node, JDict, JList)) or "[" in value.label:
        return
    object.__setattr__(value, "label", path)
    if isinstance(value, Node):
        for attr, v in _state(value).items():
            _home(v, f"{path}.{attr}")
    elif isinstance(value, JDict):
        for k, v in dict.items(value):
            _home(v, value._slot(k, v))
    else:
        for i, v in enumerate(list.__iter__(value)):
            _home(v, f"{path}[{i}]")


def attach(obj, journal):  # noqa: F811
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, (Node, JDict, JList)):
            if getattr(x, "_journal", None) is journal:
                continue
            object.__setattr__(x, "_journal", journal)
            if isinstance(x, Node):
                stack.extend(_state(x).values())
            elif isinstance(x, JDict):
                stack.extend(dict.values(x))
            else:
                stack.extend(list.__iter__(x))
        elif isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())


def attach_to(record, owner):  # noqa: F811
    j = getattr(owner, "_journal", None)
    if j is not None:
        attach(record, j)


def adopt(record, into, key):  # noqa: F811
    _home(record, into._slot(key, record))
    j = into.__dict__.get("_journal")
    if j is not None:
        attach(record, j)
'''

RECORD_ALL = """
import sys, time
from simstart.engine import record
from simstart.scenario import load
from simstart.scenario.library import shipped
scs = [load(p) for p in shipped()]
best = float("inf")
for _ in range(int(sys.argv[1])):
    t0 = time.process_time()
    for sc in scs:
        record(sc)
    best = min(best, time.process_time() - t0)
print(best)
"""


def _variant(tmp: Path, patch: str) -> Path:
    dst = tmp / "simstart"
    shutil.copytree(ROOT / "simstart", dst, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "scenarios", tmp / "scenarios")
    journal = dst / "world" / "journal.py"
    journal.write_text(journal.read_text(encoding="utf-8") + patch, encoding="utf-8")
    return tmp


def _env(path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(path)
    return env


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run(path: Path, *args: str) -> tuple[float, bytes]:
    """The CPU time (user + system) the command took, and its output. CPU time, not the wall
    clock: on a shared machine another process's work lengthens the wall time of a run, not
    its CPU time."""
    # from its own directory: `python -m` puts the working directory first on sys.path
    t0 = _cpu()
    out = subprocess.run([sys.executable, "-m", "simstart", *args], env=_env(path),
                         capture_output=True, check=False, cwd=path).stdout
    return _cpu() - t0, out


def _probe(path: Path, code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], env=_env(path), capture_output=True,
                          text=True, check=True, cwd=path).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scenario", default="bridge-port")
    args = ap.parse_args()
    names = [line.split()[0] for line in _run(ROOT, "list")[1].decode().splitlines()
             if line.strip()]
    with tempfile.TemporaryDirectory() as d:
        variants = {"struct": ROOT}
        for label, patch in (("dataclasses", DATACLASSES), ("slots", SLOTS)):
            (Path(d) / label).mkdir()
            variants[label] = _variant(Path(d) / label, patch)
        for name in names:
            want = _run(ROOT, "run", name, "--json")[1]
            for label, path in variants.items():
                if _run(path, "run", name, "--json")[1] != want or not want:
                    sys.exit(f"the {label} variant changes the trace of {name}")
        # each variant really is built on what it says
        probe = ("import simstart.world as w, sys; print('dataclasses' in sys.modules, "
                 "hasattr(w.containers.State(), '__dict__'))")
        got = {label: _probe(path, probe) for label, path in variants.items()}
        assert got == {"struct": "False True", "dataclasses": "True True",
                       "slots": "True False"}, got
        times: dict[str, list[float]] = {k: [] for k in variants}
        for path in variants.values():  # warm the file cache
            _run(path, "run", args.scenario)
        for _ in range(args.samples):
            for label, path in variants.items():
                times[label].append(_run(path, "run", args.scenario)[0])
        rec: dict[str, list[float]] = {k: [] for k in variants}
        for _ in range(args.rounds):
            for label, path in variants.items():
                rec[label].append(float(_probe(path, RECORD_ALL.replace("sys.argv[1]", "5"))))
    base = statistics.median(times["struct"])
    print(f"simstart run {args.scenario} (whole process, CPU time, median of {args.samples}):")
    for label, ts in times.items():
        m = statistics.median(ts)
        print(f"  {label:12} {m * 1000:7.1f} ms   ({(m - base) * 1000:+.1f} ms, {m / base:.2f}x)")
    print(f"record() of all {len(names)} shipped scenarios, in process (CPU time, best of 5, "
          f"median of {args.rounds} rounds):")
    rbase = statistics.median(rec["struct"])
    for label, rs in rec.items():
        m = statistics.median(rs)
        print(f"  {label:12} {m * 1000:7.1f} ms   ({m / rbase:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
