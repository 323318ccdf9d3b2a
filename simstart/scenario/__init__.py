"""Scenarios: YAML in, frozen, checked ``Scenario`` objects out (DESIGN.md, layer 1)."""

from .load import json_schema, load, loads
from .model import Scenario
from .yamlsource import ScenarioError

__all__ = ["Scenario", "ScenarioError", "json_schema", "load", "loads"]
