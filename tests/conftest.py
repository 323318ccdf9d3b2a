"""Shared helpers: build small scenarios inline and record them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from simstart.engine import Run, record
from simstart.engine.trace import Trace
from simstart.scenario import ScenarioError, loads
from simstart.scenario.checks import check
from simstart.scenario.yamlsource import load_text

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


def problems_in_text(text: str, file: str, strict: bool = True) -> list[ScenarioError]:
    """What ``simstart validate`` says of a file holding ``text`` (``problems``), without the
    file."""
    try:
        found = check(load_text(text, file), strict)[1]
    except ScenarioError as e:
        return [e]
    return sorted(found, key=lambda p: (p.line, p.col))


def stages(r: Run) -> list[str]:
    """The stage ids of the whole trace."""
    return [s.stage for s in r.trace]


def goto_stage(t: Trace, stage: str) -> None:
    """Move ``t`` to the first step of ``stage`` after the current one."""
    t.goto(next(s.index for s in t.steps[t.position + 1:] if s.stage == stage))


WEB = {"name": "web", "image": "nginx", "cmd": ["nginx", "-g", "daemon off;"]}


@pytest.fixture
def web() -> dict[str, Any]:
    """A fresh nginx container spec."""
    return dict(WEB)
