"""The plug between the source pane and the annotated source catalog (``simstart.source``).

The source pane needs one function: ``(symbol, line) -> [(upstream line or None, code,
annotation), …]``, or None when the catalog has no rendition of ``symbol``. The catalog is
found at run time; without it (or for a function it does not cover) the pane falls back to the
anchor and the trace's own narration (``view.trace_lines``). Also here: the narrations and
summaries in the chosen language, and ``UpstreamSource``, the real functions read from the
user's checkouts for the pane's upstream view. Pure: no Textual.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simstart.engine.trace import Step

    from .view import About, Narrate, RealLines, SourceLine, SourceLookup


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

    memo: dict[str, list[SourceLine] | None] = {}  # the catalog does not change under us

    def lookup(symbol: str, line: int) -> list[SourceLine] | None:
        if symbol not in memo:
            try:
                memo[symbol] = _normalise(lines_for(symbol, lang))
            except KeyError:  # the catalog has no rendition of this function
                memo[symbol] = None
        return memo[symbol]

    return lookup


def narrator(lang: str) -> Narrate:
    """``step -> its narration in lang``: the step's English text for English; otherwise its
    stage's text in lang (the English text should that lookup fail)."""
    if lang == "en":
        return lambda step: step.text

    def narrate(step: Step) -> str:
        try:
            return step.narration(lang)
        except Exception:  # a narration bug must not take the screen down
            return step.text

    return narrate


def about_lookup(lang: str = "en") -> About | None:
    """``symbol -> the function's summary in lang`` ("" when the catalog has no entry)."""
    try:
        from simstart.source import get
    except ImportError:
        return None

    def about(symbol: str) -> str:
        e = get(symbol)
        return e.about(lang) if e is not None else ""

    return about


def check_lang(lang: str) -> str:
    """``lang`` if simstart speaks it; ``ValueError`` (``UnknownLanguage``) otherwise."""
    if lang == "en":
        return lang
    from simstart.source.model import check_lang as check

    return check(lang)


def install_hint() -> str:
    """How to install what reading upstream source needs; "" when it is installed."""
    try:
        from simstart.source.upstream import INSTALL_HINT, available
    except ImportError:
        return "reading upstream source needs simstart's source catalog"
    return "" if available() else INSTALL_HINT


# The command-line option that gives each repository's checkout.
REPO_FLAGS: dict[str, str] = {"moby/moby": "--moby-src",
                              "containerd/containerd": "--containerd-src",
                              "docker/runc": "--runc-src"}


class UpstreamSource:
    """The real functions, from checkouts the user points at (``owner/name`` → directory),
    read and parsed once per symbol. Answers ``(lines or None, note)``: the note says why
    there are no lines (no checkout of that repository, nothing found, no tree-sitter)."""

    def __init__(self, roots: Mapping[str, Path]) -> None:
        self.roots = {k: Path(v) for k, v in roots.items()}
        self._cache: dict[str, tuple[RealLines | None, str]] = {}
        self.reads = 0  # how many times a function was looked up in a checkout (for tests)

    def lines(self, symbol: str) -> tuple[RealLines | None, str]:
        """The real lines of ``symbol``'s function, or None and why not."""
        if symbol not in self._cache:
            self._cache[symbol] = self._read(symbol)
        return self._cache[symbol]

    def _read(self, symbol: str) -> tuple[RealLines | None, str]:
        try:
            from simstart.source import SourceUnavailable, get, real_lines
        except ImportError:
            return None, "no source catalog in this installation"
        e = get(symbol)
        if e is None:
            return None, "not in the source catalog · showing what there is"
        root = self.roots.get(e.repo_name)
        if root is None:
            flag = REPO_FLAGS.get(e.repo_name, "--moby-src")
            return None, f"no {e.repo_name} checkout ({flag} DIR) · showing the rendition"
        self.reads += 1
        try:
            found = real_lines(symbol, self.roots)
        except SourceUnavailable as x:
            return None, str(x)
        except (OSError, ValueError) as x:
            return None, f"cannot read {e.file}: {x}"
        if not found:
            return None, f"{e.file} has no {symbol} in {root} · showing the rendition"
        return found, ""
