"""Every fidelity and oddity test names the upstream file and lines it checks."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

MODULES = sorted(p.stem for p in Path(__file__).parent.glob("test_*.py")
                 if p.stem.startswith(("test_fidelity", "test_oddities")))


@pytest.mark.parametrize("module", MODULES)
def test_each_test_cites_upstream(module: str) -> None:
    mod = importlib.import_module(f"tests.{module}")
    tests = [f for name, f in inspect.getmembers(mod, inspect.isfunction)
             if name.startswith("test_") and f.__module__ == mod.__name__]
    assert tests
    for f in tests:
        file, lines = getattr(f, "upstream", ("", ""))
        assert file and lines, f"{module}.{f.__name__} names no upstream file and lines"
