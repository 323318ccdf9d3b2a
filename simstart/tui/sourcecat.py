"""The plug between the source pane and the annotated source catalog (``simstart.source``).

The source pane needs one function: ``(symbol, line) -> [(upstream line or None, code,
annotation), …]``, or None when the catalog has no rendition of ``symbol`` (the pane then falls
back to the anchor and the trace's own narration, ``view.trace_lines``). Also here: the
narrations and summaries in the chosen language, and ``UpstreamSource``, the real functions
read from the user's checkouts for the pane's upstream view. Pure: no Textual.

The catalog is part of simstart: it is imported, not probed for. ``simstart.source`` loads
its parts on first use, so importing it costs the TUI's first frame nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .. import source
from .words import say

if TYPE_CHECKING:
    from simstart.engine.trace import Step

    from .view import About, Narrate, RealLines, SourceLine, SourceLookup


def catalog_lookup(lang: str = "en") -> SourceLookup:
    """The catalog's renditions in ``lang``: ``(symbol, line) -> lines``, None for a function
    the catalog has no rendition of."""
    memo: dict[str, list[SourceLine] | None] = {}  # the catalog does not change under us

    def lookup(symbol: str, line: int) -> list[SourceLine] | None:
        if symbol not in memo:
            memo[symbol] = (source.lines_for(symbol, lang) if source.get(symbol) is not None
                            else None)
        return memo[symbol]

    return lookup


def narrator(lang: str) -> Narrate:
    """``step -> its narration in lang``: the step's English text for English; otherwise its
    stage's text in lang (``tests/test_narration.py`` sees that every stage has one)."""
    if lang == "en":
        return lambda step: step.text

    def narrate(step: Step) -> str:
        return step.narration(lang)

    return narrate


def about_lookup(lang: str = "en") -> About:
    """``symbol -> the function's summary in lang`` ("" when the catalog has no entry)."""

    def about(symbol: str) -> str:
        e = source.get(symbol)
        return e.about(lang) if e is not None else ""

    return about


def check_lang(lang: str) -> str:
    """``lang`` if simstart speaks it; ``ValueError`` (``UnknownLanguage``) otherwise."""
    return lang if lang == "en" else source.check_lang(lang)


def install_hint() -> str:
    """How to install what reading upstream source needs (tree-sitter, an optional extra);
    "" when it is installed."""
    return "" if source.available() else source.INSTALL_HINT


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
        self._cache: dict[tuple[str, str], tuple[RealLines | None, str]] = {}

    def lines(self, symbol: str, lang: str = "en") -> tuple[RealLines | None, str]:
        """The real lines of ``symbol``'s function, or None and why not (in ``lang``)."""
        if (symbol, lang) not in self._cache:
            self._cache[symbol, lang] = self._read(symbol, lang)
        return self._cache[symbol, lang]

    def _read(self, symbol: str, lang: str) -> tuple[RealLines | None, str]:
        e = source.get(symbol)
        if e is None:
            return None, say("upstream.not_in_catalog", lang)
        root = self.roots.get(e.repo_name)
        if root is None:
            flag = REPO_FLAGS.get(e.repo_name, "--moby-src")
            return None, say("upstream.no_checkout", lang, repo=e.repo_name, flag=flag)
        try:
            found = source.real_lines(symbol, dict(self.roots))
        except source.SourceUnavailable:  # no tree-sitter: an optional extra
            return None, say("upstream.no_tree_sitter", lang)
        except (OSError, UnicodeDecodeError) as x:  # the user's checkout
            return None, say("upstream.cannot_read", lang, file=e.file, why=x)
        if not found:
            return None, say("upstream.not_found", lang, file=e.file, symbol=symbol, root=root)
        return found, ""
