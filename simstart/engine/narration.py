"""The text of every step, in English and Chinese: data keyed by stage id, looked up.

The moby layer says which stage, which line and which values (``d.emit("checks.paused", 31,
name=c.name)``); it never says how the sentence reads. The sentence is data, in
``narrations/<lang>.yaml``::

    stages:
      checks.paused: "{name} is paused (…)."        # a stage with one text
      checks.running:                                # a stage with variants, by name
        restarting: "{name} is already running. It is restarting, …"
        running: "{name} is already running. …"
    phrases:                                         # values that are themselves text
      status.default: no keyword matched, so the default
    run:                                             # the headings of ``simstart run``
      request: "request {index}: POST /containers/{container}/start → {status}"

A template names its values as ``str.format`` fields (``{name}``, ``{name!r}``, ``{pid:>5}``);
a value that is a ``Phrase`` (``phrase("status.default")``) is rendered from ``phrases`` in the
same language first. Every language has every entry (the test suite checks both ways).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..moby.context import Phrase

DATA = Path(__file__).resolve().parent / "narrations"
LANGS: tuple[str, ...] = ("en", "zh")
SECTIONS: tuple[str, ...] = ("stages", "phrases", "run")


class NarrationError(Exception):
    """A narration the data does not have, or a template its values do not fill."""


Table = dict[str, dict[str, Any]]


@functools.cache
def table(lang: str) -> Table:
    """The narration data of ``lang``: section → key → template (a stage: a template, or
    variant → template)."""
    if lang not in LANGS:
        raise NarrationError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    path = DATA / f"{lang}.yaml"
    raw: Any = yaml.load(path.read_text(encoding="utf-8"),
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    if not isinstance(raw, dict) or set(raw) - set(SECTIONS):
        raise NarrationError(f"{path.name}: expected the sections {', '.join(SECTIONS)}")
    out: Table = {k: dict(raw.get(k) or {}) for k in SECTIONS}
    for key, entry in out["stages"].items():
        ok = isinstance(entry, str) or (isinstance(entry, dict) and entry and all(
            isinstance(k, str) and isinstance(v, str) for k, v in entry.items()))
        if not ok:
            raise NarrationError(f"{path.name}: stages.{key}: expected a text or variant → text")
    for section in ("phrases", "run"):
        for key, entry in out[section].items():
            if not isinstance(entry, str):
                raise NarrationError(f"{path.name}: {section}.{key}: expected a text")
    return out


def stage_template(stage: str, variant: str = "", lang: str = "en") -> str:
    """The template of ``stage`` (its ``variant``) in ``lang``."""
    entry = table(lang)["stages"].get(stage)
    if isinstance(entry, str) and not variant:
        return entry
    if isinstance(entry, dict) and variant in entry:
        return str(entry[variant])
    name = f"{stage}/{variant}" if variant else stage
    raise NarrationError(f"narrations/{lang}.yaml has no text for stage {name}")


def entries(lang: str) -> list[tuple[str, str, str]]:
    """Every ``(stage, variant, template)`` of ``lang`` (variant "" for a single text)."""
    out: list[tuple[str, str, str]] = []
    for stage, entry in table(lang)["stages"].items():
        if isinstance(entry, str):
            out.append((stage, "", entry))
        else:
            out += [(stage, v, t) for v, t in entry.items()]
    return out


def _fill(template: str, values: Iterable[tuple[str, Any]], lang: str, where: str) -> str:
    given = {k: (render_phrase(v, lang) if isinstance(v, Phrase) else v) for k, v in values}
    try:
        return template.format(**given)
    except (KeyError, IndexError, ValueError) as e:
        raise NarrationError(f"{where}: the template {template!r} does not fit the values "
                             f"{sorted(given)}: {e}") from e


def render_phrase(p: Phrase, lang: str = "en") -> str:
    """A phrase value in ``lang``."""
    template = table(lang)["phrases"].get(p.key)
    if template is None:
        raise NarrationError(f"narrations/{lang}.yaml has no phrase {p.key}")
    return _fill(str(template), p.values, lang, f"phrases.{p.key}")


def render(stage: str, variant: str, values: Iterable[tuple[str, Any]], lang: str = "en") -> str:
    """The narration of a step: the stage's template in ``lang`` filled with ``values``."""
    return _fill(stage_template(stage, variant, lang), values, lang,
                 f"stages.{stage}" + (f"/{variant}" if variant else ""))


def run_text(key: str, lang: str = "en", **values: Any) -> str:
    """One line of ``simstart run``'s own output (``run.<key>``) in ``lang``."""
    template = table(lang)["run"].get(key)
    if template is None:
        raise NarrationError(f"narrations/{lang}.yaml has no run.{key}")
    return _fill(str(template), values.items(), lang, f"run.{key}")


__all__ = ["LANGS", "NarrationError", "entries", "render", "render_phrase", "run_text",
           "stage_template", "table"]
