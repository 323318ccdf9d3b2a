"""The plug between the source pane and the annotated source catalog (``simstart.source``).

The source pane needs one function: ``(symbol, line) -> [(upstream line or None, code,
annotation), …]``, or None when the catalog has no rendition of ``symbol``. The catalog is
found at run time; without it (or for a function it does not cover) the pane falls back to the
anchor and the trace's own narration (``view.trace_lines``). Pure: no Textual.
"""

from __future__ import annotations

import importlib
from typing import Any

from .view import SourceLine, SourceLookup


def _normalise(result: Any) -> list[SourceLine] | None:
    """Tuples ``(line or None, text, annotation)`` from a catalog answer."""
    if not result:
        return None
    out: list[SourceLine] = []
    for item in result:
        if not (isinstance(item, tuple) and len(item) >= 2):
            return None
        no = None if item[0] is None else int(item[0])
        out.append((no, str(item[1]), str(item[2]) if len(item) > 2 and item[2] else ""))
    return out


def catalog_lookup(lang: str = "en") -> SourceLookup | None:
    """The catalog's lookup if ``simstart.source.catalog`` is there, else None."""
    try:
        catalog = importlib.import_module("simstart.source.catalog")
    except ImportError:
        return None
    lines_for = getattr(catalog, "lines_for", None)
    if not callable(lines_for):
        return None

    def lookup(symbol: str, line: int) -> list[SourceLine] | None:
        try:
            return _normalise(lines_for(symbol, lang))
        except KeyError:  # the catalog has no rendition of this function
            return None

    return lookup
