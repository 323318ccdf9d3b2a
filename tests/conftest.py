"""Shared helpers: build small scenarios inline and record them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from simstart.engine import Run, record
from simstart.scenario import loads

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def upstream(file: str, lines: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Name the upstream file and lines (at v17.05.0-ce unless the path says otherwise) that a
    fidelity test checks."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.upstream = (file, lines)  # type: ignore[attr-defined]
        return fn

    return deco


def scenario(containers: list[dict[str, Any]], requests: list[dict[str, Any]],
             **top: Any) -> str:
    """A scenario's YAML text."""
    doc = {"title": "test", "containers": containers, "requests": requests, **top}
    return yaml.safe_dump(doc, sort_keys=False)


def run(containers: list[dict[str, Any]], requests: list[dict[str, Any]] | None = None,
        **top: Any) -> Run:
    """Record a scenario given as Python data (one request for the first container by default)."""
    reqs = requests if requests is not None else [{"container": containers[0]["name"]}]
    return record(loads(scenario(containers, reqs, **top), "test.yaml"))


def stages(r: Run) -> list[str]:
    """The stage ids of the whole trace."""
    return [s.stage for s in r.trace]


WEB = {"name": "web", "image": "nginx", "cmd": ["nginx", "-g", "daemon off;"]}


@pytest.fixture
def web() -> dict[str, Any]:
    """A fresh nginx container spec."""
    return dict(WEB)
