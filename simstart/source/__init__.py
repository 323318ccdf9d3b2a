"""The annotated source catalog (DESIGN.md, layer 5): for every Go function the simulator
models, where it is upstream, a teaching outline of it in our own words, and annotations in
English and Chinese; and, from a checkout the user points at, the real upstream text, found
by symbol with tree-sitter-go. (Step narrations are the engine's: ``Step.narration(lang)``.)

Data: ``renditions/<repo>/<upstream path>.yaml`` (one file per Go file, see ``catalog``).
Nothing here imports Textual.

The API (all pure; ``lang`` is ``"en"`` or ``"zh"``, anything else raises
``UnknownLanguage``)::

    entry(symbol) -> Entry          # KeyError if the catalog has no rendition of symbol
        Entry(symbol, repo, file, start, end, about_en, about_zh,
              lines=(Line(upstream_lineno | None, text, annotation_en, annotation_zh,
                          oddity | None), ...))
    lines_for(symbol, lang) -> [(upstream_lineno | None, code, annotation), ...]
    real_lines(symbol, roots) -> [(upstream_lineno, text), ...] | None
        # the real function from a checkout; roots maps "moby/moby" (and optionally
        # "containerd/containerd", "docker/runc") to a directory. None when that repository
        # has no root or the file/definition is missing there. Raises SourceUnavailable
        # (message: how to install the extra) without tree-sitter.
    available() -> bool             # is tree-sitter-go installed?
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalog import CatalogError, entries, entry, get, lines_for
    from .model import LANGS, Entry, Line, UnknownLanguage, check_lang
    from .upstream import INSTALL_HINT, SourceUnavailable, available, function_lines

# Imported on first use: the TUI's first frame and ``simstart run`` need none of it.
_LAZY = {
    "CatalogError": "catalog", "entries": "catalog", "entry": "catalog", "get": "catalog",
    "lines_for": "catalog",
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
    "entries",
    "entry",
    "function_lines",
    "get",
    "lines_for",
    "real_lines",
]
