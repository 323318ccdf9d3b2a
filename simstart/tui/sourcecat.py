"""The plug between the source pane and the annotated source catalog (``simstart.source``).

The source pane needs one function: ``(symbol, line) -> [(lineno, text, annotation), …]`` (or
None when the catalog has no rendition of ``symbol``). The catalog is built separately; until
it lands, or if it offers none of the entry points below, the pane falls back to the anchor and
the trace's own narration (``view.trace_lines``). Pure: no Textual.
"""

from __future__ import annotations

import importlib
from typing import Any

from .view import SourceLine, SourceLookup

# Entry points tried on ``simstart.source.catalog``, in order. Each takes (symbol, line).
ENTRY_POINTS = ("source_lines", "lines_for", "annotated_lines", "lines")


def _as_lines(result: Any) -> list[SourceLine] | None:
    """Normalise a catalog answer: tuples, or objects with ``lineno/number``, ``text`` and
    ``annotation/note`` attributes."""
    if not result:
        return None
    out: list[SourceLine] = []
    for item in result:
        if isinstance(item, tuple) and len(item) >= 2:
            out.append((int(item[0]), str(item[1]), str(item[2]) if len(item) > 2 and item[2]
                        else ""))
            continue
        n = getattr(item, "lineno", None) or getattr(item, "number", None) or getattr(
            item, "line", None)
        text = getattr(item, "text", None)
        if n is None or text is None:
            return None
        note = getattr(item, "annotation", None) or getattr(item, "note", None) or ""
        out.append((int(n), str(text), str(note)))
    return out


def catalog_lookup() -> SourceLookup | None:
    """The catalog's lookup if ``simstart.source.catalog`` is installed, else None."""
    try:
        catalog = importlib.import_module("simstart.source.catalog")
    except ImportError:
        return None
    for name in ENTRY_POINTS:
        fn = getattr(catalog, name, None)
        if callable(fn):
            def lookup(symbol: str, line: int, _fn: Any = fn) -> list[SourceLine] | None:
                return _as_lines(_fn(symbol, line))

            return lookup
    return None
