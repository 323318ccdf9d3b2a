"""The annotated source catalog (DESIGN.md, layer 5): for every Go function the simulator
models, where it is upstream, a teaching outline of it in our own words, and annotations in
English and Chinese; step narrations in either language (the data is the engine's,
``simstart/engine/narrations``, see ``i18n``); and, from a checkout the user points at, the
real upstream text, found by symbol with tree-sitter-go.

Data: ``renditions/<repo>/<upstream path>.yaml`` (one file per Go file, see ``catalog``).
Nothing here imports Textual; only ``i18n`` imports the engine (its narration data).

The API (all pure; ``lang`` is ``"en"`` or ``"zh"``, anything else raises
``UnknownLanguage``)::

    entry(symbol) -> Entry          # KeyError if the catalog has no rendition of symbol
        Entry(symbol, repo, file, start, end, about_en, about_zh,
              lines=(Line(upstream_lineno | None, text, annotation_en, annotation_zh,
                          oddity | None), ...))
    lines_for(symbol, lang) -> [(upstream_lineno | None, code, annotation), ...]
    current_index(symbol, upstream_line) -> int
        # the index in lines_for(symbol) to highlight for a step at upstream_line
    narration(step, lang) -> str
        # a step's narration in lang: its stage's text in lang, filled with its values
    real_lines(symbol, roots) -> [(upstream_lineno, text), ...] | None
        # the real function from a checkout; roots maps "moby/moby" (and optionally
        # "containerd/containerd", "docker/runc") to a directory. None when that repository
        # has no root or the file/definition is missing there. Raises SourceUnavailable
        # (message: how to install the extra) without tree-sitter.
    real_index(lines, upstream_line) -> int
        # the index in real_lines(...) of upstream_line (clamped)
    available() -> bool             # is tree-sitter-go installed?
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalog import (
        CatalogError,
        current_index,
        entries,
        entry,
        get,
        lines_for,
        symbols,
    )
    from .i18n import narration
    from .model import LANGS, Entry, Line, UnknownLanguage, check_lang
    from .upstream import INSTALL_HINT, SourceUnavailable, available, function_lines

# Imported on first use: the TUI's first frame and ``simstart run`` need none of it.
_LAZY = {
    "CatalogError": "catalog", "current_index": "catalog", "entries": "catalog",
    "entry": "catalog", "get": "catalog", "lines_for": "catalog", "symbols": "catalog",
    "narration": "i18n",
    "LANGS": "model", "Entry": "model", "Line": "model", "UnknownLanguage": "model",
    "check_lang": "model",
    "INSTALL_HINT": "upstream", "SourceUnavailable": "upstream", "available": "upstream",
    "function_lines": "upstream",
}


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'simstart.source' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


def real_lines(symbol: str, roots: dict[str, Path]) -> list[tuple[int, str]] | None:
    """The real upstream lines of ``symbol``'s function, from the checkout of its repository
    in ``roots`` (``owner/name`` → directory); None if not available there."""
    from .catalog import get
    from .upstream import function_lines

    e = get(symbol)
    if e is None:
        return None
    root = roots.get(e.repo_name)
    if root is None:
        return None
    return function_lines(Path(root), e)


def real_index(lines: list[tuple[int, str]], upstream_line: int) -> int:
    """The index of ``upstream_line`` in ``lines`` (as ``real_lines`` returns them)."""
    if not lines:
        return 0
    return max(0, min(len(lines) - 1, upstream_line - lines[0][0]))


__all__ = [
    "INSTALL_HINT",
    "LANGS",
    "CatalogError",
    "Entry",
    "Line",
    "SourceUnavailable",
    "UnknownLanguage",
    "available",
    "check_lang",
    "current_index",
    "entries",
    "entry",
    "function_lines",
    "get",
    "lines_for",
    "narration",
    "real_index",
    "real_lines",
    "symbols",
]
