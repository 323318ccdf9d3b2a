"""The TUI's words, in English and Chinese: ``strings.json`` beside this file holds every one
(data, not code), keyed by a dotted name; ``{name}`` fields are filled in with ``format``.
Pure: no Textual."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("en", "zh")


@cache
def table() -> dict[str, dict[str, str]]:
    """Every string, ``key -> {lang: text}`` (read once)."""
    raw = json.loads((Path(__file__).parent / "strings.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def say(key: str, lang: str = "en", /, **values: Any) -> str:
    """The string ``key`` in ``lang`` (English when ``lang`` has none), its fields filled."""
    entry = table()[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
