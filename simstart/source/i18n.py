"""Step narrations in either language, and the checks that the narration data is complete.

The text of every stage is data, keyed by stage id (and variant), in
``simstart/engine/narrations/<lang>.yaml``; a step carries its stage, variant and values, so a
narration in another language is a lookup (``narration``), never a reading of English text.
The checks below compare that data with what the moby layer can emit, found statically
(``stages``): every stage and variant emitted has a text in every language, every text is
emitted somewhere, and every value a text names is passed at every site that emits it.
"""

from __future__ import annotations

import string
from typing import Any

from ..engine.narration import LANGS, NarrationError, entries, table
from .model import check_lang
from .stages import emit_sites, phrase_sites


def narration(step: Any, lang: str) -> str:
    """The narration of a step (an ``engine.Step``) in ``lang``.

    Raises ``UnknownLanguage`` for a language simstart does not speak.
    """
    check_lang(lang)
    return str(step.narration(lang))


def fields(template: str) -> set[str]:
    """The names of the values ``template`` shows (``{pid}``, ``{name!r}`` → pid, name)."""
    out: set[str] = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            out.add(name.split(".")[0].split("[")[0])
    return out


def missing(lang: str) -> list[str]:
    """``stage`` or ``stage/variant`` that the moby layer emits and ``lang`` has no text for,
    and phrases it uses without a text."""
    check_lang(lang)
    have = {(st, v) for st, v, _ in entries(lang)}
    out: list[str] = []
    for s in emit_sites():
        for v in s.variants:
            name = f"{s.stage}/{v}" if v else s.stage
            if (s.stage, v) not in have and name not in out:
                out.append(name)
    phrases = table(lang)["phrases"]
    for p in phrase_sites():
        if p.key not in phrases and f"phrase {p.key}" not in out:
            out.append(f"phrase {p.key}")
    return out


def unused(lang: str) -> list[str]:
    """Texts of ``lang`` that no emit site (or phrase) uses."""
    emitted = {(s.stage, v) for s in emit_sites() for v in s.variants}
    out = [f"{st}/{v}" if v else st for st, v, _ in entries(lang) if (st, v) not in emitted]
    used = {p.key for p in phrase_sites()}
    out += [f"phrase {k}" for k in table(lang)["phrases"] if k not in used]
    return out


def unfilled() -> list[str]:
    """``where: stage/variant (lang) names {value}, not passed`` for every value a text names
    that its emit site (or phrase call) does not pass; and every value passed that the English
    text does not show."""
    out: list[str] = []
    for lang in LANGS:
        texts = {(st, v): t for st, v, t in entries(lang)}
        for s in emit_sites():
            for v in s.variants:
                t = texts.get((s.stage, v))
                if t is None:
                    continue
                name = f"{s.stage}/{v}" if v else s.stage
                for f in sorted(fields(t) - set(s.values)):
                    out.append(f"{s.where}: {name} ({lang}) names {{{f}}}, not passed")
        phrases = table(lang)["phrases"]
        for p in phrase_sites():
            if p.key in phrases:
                for f in sorted(fields(str(phrases[p.key])) - set(p.values)):
                    out.append(f"{p.where}: phrase {p.key} ({lang}) names {{{f}}}, not passed")
    return out


def mismatched() -> list[str]:
    """Texts whose translation does not show the same values as the English text."""
    en = {(st, v): t for st, v, t in entries("en")}
    out: list[str] = []
    for lang in LANGS[1:]:
        for st, v, t in entries(lang):
            if (st, v) in en and fields(t) != fields(en[(st, v)]):
                out.append(f"{st}/{v} ({lang}): {sorted(fields(t))} != "
                           f"{sorted(fields(en[(st, v)]))}")
    return out


__all__ = ["LANGS", "NarrationError", "fields", "mismatched", "missing", "narration",
           "unfilled", "unused"]
