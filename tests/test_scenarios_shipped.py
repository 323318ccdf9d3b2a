"""Every shipped scenario loads, runs, and its expectations hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from simstart.engine import record
from simstart.scenario import load
from simstart.scenario.library import shipped

FILES = shipped()


def test_the_library_has_a_scenario_per_distinct_path() -> None:
    assert len(FILES) >= 16
    required = {"bridge-port", "host-network", "none-network", "container-network-running",
                "container-network-not-running", "already-running", "paused",
                "removal-in-progress", "unknown-name", "ambiguous-prefix",
                "checkpoint-not-experimental", "body-api-1.24", "legacy-hostconfig-1.23",
                "port-already-allocated", "command-not-found", "permission-denied",
                "mount-failure", "autoremove-after-failure"}
    assert required <= {p.stem for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_expectations_hold(path: Path) -> None:
    sc = load(path)
    assert sc.title and sc.description, "each scenario says what it teaches"
    r = record(sc)
    for res in r.results:
        assert any(v is not None for v in res.spec.expect._asdict().values()), (
            f"request {res.index} has no expectation")
        assert not res.failures, f"request {res.index}: {res.failures}"
