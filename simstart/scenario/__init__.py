"""Scenarios: YAML in, frozen, checked ``Scenario`` objects out (DESIGN.md, layer 1).

The names below are imported on first use, so that ``simstart.scenario.library`` (the shipped
library's names) does not pull in YAML and the loader: the TUI paints its first frame first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .loader import json_schema, load, loads
    from .model import Scenario
    from .yamlsource import ScenarioError

_LAZY = {"json_schema": "loader", "load": "loader", "loads": "loader", "Scenario": "model",
         "ScenarioError": "yamlsource"}


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'simstart.scenario' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


__all__ = ["Scenario", "ScenarioError", "json_schema", "load", "loads"]
