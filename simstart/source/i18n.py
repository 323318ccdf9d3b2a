"""Step narrations in another language, by stage id.

The engine narrates in English (``simstart/moby``'s ``d.emit`` calls). A translation is keyed by
the stage id and the English *template* of the narration — the text with ``{0}``, ``{1}``… where
the simulator formats a value (see ``stages``). ``narration`` matches the English text of a step
against the templates of its stage, and formats the translated template with the values it
captured; a value that is itself a known English phrase (``values`` in the translation file) is
translated too. Anything not found falls back to the English text; the test suite checks that
nothing shipped is missing.

Translations live in ``narrations/<lang>.yaml``::

    stages:
      checks.lookup:
        "GetContainer({0}).": "GetContainer({0})。"
    values:
      "no keyword matched, so the default": "没有匹配到关键词，于是用默认值"
"""

from __future__ import annotations

import functools
import re
import string
from pathlib import Path
from typing import Any

import yaml

from .model import LANGS, check_lang
from .stages import emit_sites

_SLOT = re.compile(r"\{(\d+)\}")


class TranslationError(Exception):
    """A malformed translation file (caught by the test suite)."""


@functools.cache
def _data(lang: str) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    check_lang(lang)
    if lang == "en":
        return {}, {}
    path = Path(__file__).resolve().parent / "narrations" / f"{lang}.yaml"
    raw: Any = yaml.load(path.read_text(encoding="utf-8"),
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    stages = raw.get("stages") or {}
    values = raw.get("values") or {}
    if not isinstance(stages, dict) or not isinstance(values, dict):
        raise TranslationError(f"narrations/{lang}.yaml: expected stages and values mappings")
    for stage, table in stages.items():
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
            raise TranslationError(f"narrations/{lang}.yaml: {stage}: expected English → "
                                   "translation pairs")
    return stages, {str(k): str(v) for k, v in values.items()}


def _pattern(template: str) -> re.Pattern[str]:
    out: list[str] = []
    for literal, field, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if field is not None:
            out.append(f"(?P<s{field}>.*?)")
    return re.compile("".join(out), re.DOTALL)


@functools.cache
def _compiled(stage: str) -> tuple[tuple[str, re.Pattern[str], int], ...]:
    """The stage's templates, with a pattern each and how much literal text it has."""
    seen: dict[str, None] = {}
    for s in emit_sites():
        if s.stage == stage:
            for t in s.templates:
                seen[t] = None
    return tuple((t, _pattern(t), len(_SLOT.sub("", t))) for t in seen)


def match(stage: str, english: str) -> tuple[str, dict[str, str]] | None:
    """The English template of ``stage`` that ``english`` was made from, and the values it
    formatted (by slot number); the most specific template wins. None if none fits."""
    best: tuple[str, dict[str, str]] | None = None
    best_len = -1
    for template, pattern, literal in _compiled(stage):
        m = pattern.fullmatch(english)
        if m is not None and literal > best_len:
            best = (template, {k[1:]: v for k, v in m.groupdict().items()})
            best_len = literal
    return best


def _value(text: str, values: dict[str, str]) -> str:
    if text in values:
        return values[text]
    for en, tr in values.items():
        if "{" in en:
            m = _pattern(en).fullmatch(text)
            if m is not None:
                return tr.format(*[m.group(f"s{i}") for i in range(len(m.groups()))])
    return text


def translate(stage: str, lang: str, english: str) -> str | None:
    """``english`` (the narration of a ``stage`` step) in ``lang``, or None when simstart has
    no translation for it. English is returned as is."""
    check_lang(lang)
    if lang == "en":
        return english
    found = match(stage, english)
    if found is None:
        return None
    template, captured = found
    stages, values = _data(lang)
    target = stages.get(stage, {}).get(template)
    if target is None:
        return None
    args = [_value(captured[str(i)], values) for i in range(len(captured))]
    try:
        return target.format(*args)
    except (IndexError, KeyError, ValueError):
        return None


def narration(stage_id: str, lang: str, english_fallback: str) -> str:
    """The narration of a step in ``lang``: its translation, else the English text.

    ``english_fallback`` is the step's English narration, as the engine recorded it (it also
    carries the values, such as names and addresses, that the translation reuses). Raises
    ``UnknownLanguage`` for a language simstart does not speak.
    """
    out = translate(stage_id, lang, english_fallback)
    return english_fallback if out is None else out


def translations(lang: str) -> dict[str, dict[str, str]]:
    """Stage id → {English template: translated template}, as shipped (for checks)."""
    return {k: dict(v) for k, v in _data(lang)[0].items()}


def missing(lang: str) -> list[tuple[str, str]]:
    """``(stage, English template)`` pairs that have no translation in ``lang``."""
    check_lang(lang)
    if lang == "en":
        return []
    stages = _data(lang)[0]
    out: list[tuple[str, str]] = []
    for s in emit_sites():
        for t in s.templates:
            if t not in stages.get(s.stage, {}) and (s.stage, t) not in out:
                out.append((s.stage, t))
    return out


def stale(lang: str) -> list[tuple[str, str]]:
    """Translations whose English template the engine no longer emits."""
    have: set[tuple[str, str]] = {(s.stage, t) for s in emit_sites() for t in s.templates}
    return [(st, en) for st, table in _data(lang)[0].items() for en in table
            if (st, en) not in have]


__all__ = ["LANGS", "match", "missing", "narration", "stale", "translate", "translations"]
