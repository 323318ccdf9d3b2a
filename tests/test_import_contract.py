"""The import contract: DESIGN.md's layers, in order; an import that runs back up fails.

Every ``import`` in ``simstart`` (lazy ones inside functions included) is read from the source
with ``ast``, resolved to the simstart package it names, and checked: a module may import its
own layer and the layers listed before it, never one listed after it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "simstart"

# DESIGN.md "Layers", top first. ``render`` (plain-text renderings of steps, for the CLI, the
# TUI and handouts) sits with the engine whose steps it renders; ``handout`` (documents made
# from the TUI's view of a run) sits with ``web``, after the TUI; ``__init__`` and
# ``__main__`` with the CLI.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("scenario",),
    ("world",),
    ("moby",),
    ("engine", "render"),
    ("source",),
    ("graphs",),
    ("server",),
    ("tui",),
    ("web", "handout"),
    ("cli", "__main__", "__init__"),
)
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}


def _top(module: str) -> str | None:
    """The simstart package (or top-level module) ``module`` belongs to."""
    parts = module.split(".")
    return parts[1] if parts[0] == "simstart" and len(parts) > 1 else None


def _imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """``(line, module)`` for every simstart module ``path`` (under ``root``) imports."""
    rel = path.relative_to(root).with_suffix("")
    here = list(rel.parts) if rel.name == "__init__" else list(rel.parts[:-1])
    if rel.name == "__init__":
        here = here[:-1]
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if node.module is None or mod == "simstart":  # `from . import x`: x is the module
                out += [(node.lineno, f"{mod}.{a.name}") for a in node.names]
            else:
                out.append((node.lineno, mod))
    return [(line, m) for line, m in out if m.startswith("simstart.")]


def _layer_of(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def upward_imports(root: Path = ROOT) -> list[str]:
    """Every import under ``root``/simstart that names a layer after its own."""
    package = root / "simstart"
    upward = []
    for path in sorted(package.rglob("*.py")):
        own = _layer_of(path, package)
        for line, mod in _imports(path, root):
            target = _top(mod)
            if target is None or target not in RANK or own not in RANK:
                continue
            if RANK[target] > RANK[own]:
                upward.append(f"{path.relative_to(root)}:{line}: {own} imports {mod}")
    return upward


def test_every_module_of_simstart_is_in_a_layer() -> None:
    missing = sorted({_layer_of(p) for p in PACKAGE.rglob("*.py")} - RANK.keys())
    assert not missing, f"not in the layer order of this test and DESIGN.md: {missing}"


def test_no_import_runs_back_up_the_layers() -> None:
    upward = upward_imports()
    assert not upward, "imports against DESIGN.md's layer order:\n" + "\n".join(upward)


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    world = tmp_path / "simstart" / "world"
    world.mkdir(parents=True)
    (world / "ok.py").write_text("from ..scenario import load\nfrom .journal import Node\n")
    (world / "bad.py").write_text("def f():\n    from ..engine import record\n")
    (world / "bad2.py").write_text("import simstart.tui.app\n")
    (world / "bad3.py").write_text("from .. import moby\n")
    assert upward_imports(tmp_path) == [
        "simstart/world/bad.py:2: world imports simstart.engine",
        "simstart/world/bad2.py:1: world imports simstart.tui.app",
        "simstart/world/bad3.py:1: world imports simstart.moby",
    ]
