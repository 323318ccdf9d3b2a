"""The catalog's plain data: an entry per upstream Go function, a line per rendition line."""

from __future__ import annotations

from dataclasses import dataclass

LANGS: tuple[str, ...] = ("en", "zh")


class UnknownLanguage(ValueError):
    """A language simstart has no text for (``--lang`` accepts ``en`` and ``zh``)."""

    def __init__(self, lang: str) -> None:
        super().__init__(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
        self.lang = lang


def check_lang(lang: str) -> str:
    """``lang`` if simstart speaks it; otherwise raise ``UnknownLanguage``."""
    if lang not in LANGS:
        raise UnknownLanguage(lang)
    return lang


@dataclass(frozen=True)
class Line:
    """One line of a rendition (an outline of the upstream function, in our own words).

    ``upstream_lineno`` is the line of the real function this line stands for (None for an
    elision such as ``…``). ``oddity`` is the number of the item in the reference's §5 that this
    line calls out, if any.
    """

    upstream_lineno: int | None
    text: str
    annotation_en: str = ""
    annotation_zh: str = ""
    oddity: int | None = None

    def annotation(self, lang: str) -> str:
        """The annotation in ``lang`` (English when the translation is missing)."""
        if check_lang(lang) == "zh" and self.annotation_zh:
            return self.annotation_zh
        return self.annotation_en


@dataclass(frozen=True)
class Entry:
    """One upstream Go function: where it is, what it is for, and its rendition.

    ``repo`` is ``owner/name@revision``; ``file`` is relative to that repository; ``start`` and
    ``end`` are 1-based inclusive lines of the definition at that revision. ``locator`` is how
    tree-sitter finds the definition when the symbol alone cannot say (``var.Field`` names a
    function literal in a composite literal, e.g. runc's ``createCommand.Action``).
    """

    symbol: str
    repo: str
    file: str
    start: int
    end: int
    about_en: str
    about_zh: str
    lines: tuple[Line, ...]
    locator: str = ""
    source: str = ""  # the catalog file it was read from, for messages

    @property
    def repo_name(self) -> str:
        """``owner/name`` without the revision."""
        return self.repo.split("@", 1)[0]

    def about(self, lang: str) -> str:
        """The one-paragraph summary in ``lang`` (English when the translation is missing)."""
        if check_lang(lang) == "zh" and self.about_zh:
            return self.about_zh
        return self.about_en

    def index_of(self, upstream_line: int) -> int:
        """The index in ``lines`` of the rendition line that stands for ``upstream_line``.

        That is the last numbered line at or before ``upstream_line`` (a step inside an elided
        stretch lights the line that introduces it); before the first numbered line, 0.
        """
        best = 0
        best_no = -1
        for i, ln in enumerate(self.lines):
            no = ln.upstream_lineno
            if no is not None and best_no <= no <= upstream_line:
                best, best_no = i, no
        return best
