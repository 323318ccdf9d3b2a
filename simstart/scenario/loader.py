"""From YAML to a checked ``Scenario``: every mistake is one located line.

The accepted keys are declared once, in ``schema.SCHEMA`` (the JSON Schema for editors is
generated from it by ``schema_export``), so the loader and the schema cannot disagree. Checking
(``checks``) collects every problem it can find instead of stopping at the first:
``problems()`` returns them all (for ``simstart validate``), ``load()`` raises the first.

Where things are:

- ``schema`` — every scenario key, declared once (add a key there);
- ``schemalang`` — the small language the keys are declared in, and its checker;
- ``checks`` — reading the checked values into the model, and the checks across keys;
- ``schema_export`` — the JSON Schema for editors;
- here — the entry points.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .checks import check
from .model import Scenario
from .schema import EVENTS, SCHEMA
from .schema_export import json_schema
from .yamlsource import Located, ScenarioError, load_file, load_text


def build(doc: Located, strict: bool = False) -> Scenario:
    """Check ``doc`` against ``SCHEMA`` and the cross-references; build the ``Scenario``
    (raises the first problem)."""
    sc, problems = check(doc, strict)
    if problems:
        raise problems[0]
    assert sc is not None
    return sc


def load(path: str | Path, strict: bool = False) -> Scenario:
    """Load and check a scenario file (raises ``ScenarioError``)."""
    return build(load_file(path), strict)


def loads(text: str, file: str = "<string>", strict: bool = False) -> Scenario:
    """Load and check scenario text (raises ``ScenarioError``)."""
    return build(load_text(text, file), strict)


def problems(path: str | Path, strict: bool = True) -> list[ScenarioError]:
    """Every problem of a scenario file, in file order (empty when it is valid)."""
    try:
        found = check(load_file(path), strict)[1]
    except ScenarioError as e:
        return [e]
    return sorted(found, key=lambda p: (p.line, p.col))



Loader = Callable[[str | Path], Scenario]
__all__ = ["EVENTS", "SCHEMA", "Loader", "Scenario", "ScenarioError", "check", "json_schema",
           "load", "loads", "problems"]
