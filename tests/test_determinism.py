"""Determinism: the same scenario gives a byte-identical JSON trace, under any hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from simstart.engine import record
from simstart.scenario import load
from simstart.scenario.library import shipped

from .conftest import SCENARIOS


def _json(path: str, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-m", "simstart", "run", path, "--json"],
                         capture_output=True, env=env, check=False)
    assert out.returncode == 0, out.stderr.decode()
    return out.stdout


@pytest.mark.parametrize("name", ["bridge-port", "port-already-allocated", "db-then-web"])
def test_json_trace_is_byte_identical_across_runs_and_hash_seeds(name: str) -> None:
    path = str(SCENARIOS / f"{name}.yaml")
    outputs = {_json(path, seed) for seed in ("0", "1", "4242")}
    assert len(outputs) == 1
    assert outputs.pop().count(b"\n") > 20


def test_every_scenario_records_identically_twice_in_process() -> None:
    for p in shipped():
        a = [s.as_dict() for s in record(load(p)).trace]
        b = [s.as_dict() for s in record(load(p)).trace]
        assert a == b, p.stem


def test_json_names_the_scenario_by_file_name_not_by_machine_path() -> None:
    last = _json(str(SCENARIOS / "paused.yaml"), "0").splitlines()[-1]
    assert b'"scenario": "paused.yaml"' in last
    assert str(SCENARIOS).encode() not in last
