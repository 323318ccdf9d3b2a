"""A handout of one scenario, as plain data: what the Markdown and HTML writers lay out.

A handout holds the scenario's title, description and objectives; the world before the first
request; the walk, grouped by request and phase, each step with its narration, the rendition
line it stands on and what it changed; each request's outcome against what the scenario
expects; and the scenario's questions (answers only when asked for). Everything comes from one
recorded run, so a handout can never say something the simulator did not do.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ..engine import Run, Step
from ..engine.build import build_world
from ..render import format_change
from ..source import catalog
from ..source.model import check_lang
from ..tui.view import outcome_line, phase_title, short, world_sections


class Line(NamedTuple):
    """One rendition line: the upstream line it stands for, our outline of it, the note."""

    upstream: int | None
    text: str
    note: str


class StepView(NamedTuple):
    """One step of the walk."""

    number: int
    stage: str
    symbol: str
    where: str  # "daemon/start.go:100"
    narration: str
    rendition: Line | None
    changes: tuple[str, ...]


class PhaseGroup(NamedTuple):
    """Consecutive steps of one request in one phase."""

    request: int
    phase: str
    title: str
    steps: tuple[StepView, ...]


class Outcome(NamedTuple):
    """One request's result, and whether it is what the scenario expects."""

    request: int
    container: str
    line: str
    status: int
    connection_closed: bool
    expectations: str  # "hold" | "fail" | "none"
    failures: tuple[str, ...]


class Question(NamedTuple):
    """A question the scenario asks at a step, with its choices (answer when asked for)."""

    step: int
    prompt: str
    choices: tuple[str, ...]
    answer: str | None
    explanation: str | None


class WorldPart(NamedTuple):
    """A titled part of the world, one line per row."""

    title: str
    rows: tuple[str, ...]


class Handout(NamedTuple):
    """Everything a handout shows, in the language it was made for."""

    lang: str
    name: str
    title: str
    description: str
    objectives: tuple[str, ...]
    world: tuple[WorldPart, ...]
    walk: tuple[PhaseGroup, ...]
    outcomes: tuple[Outcome, ...]
    questions: tuple[Question, ...]
    answers: bool
    steps: int


@functools.cache
def words(lang: str) -> dict[str, str]:
    """The handout's own headings and labels in ``lang`` (``text.yaml``)."""
    check_lang(lang)
    raw = yaml.safe_load((Path(__file__).parent / "text.yaml").read_text(encoding="utf-8"))
    return {key: str(texts[lang]) for key, texts in raw.items()}


def _rendition_line(symbol: str, line: int, lang: str) -> Line | None:
    entry = catalog.get(symbol)
    if entry is None or not entry.lines:
        return None
    ln = entry.lines[entry.index_of(line)]
    return Line(ln.upstream_lineno, ln.text, ln.annotation(lang))


def _walk(run: Run, lang: str, narrate: Any) -> tuple[PhaseGroup, ...]:
    groups: list[PhaseGroup] = []
    current: list[StepView] = []
    key: tuple[int, str] | None = None
    for s in run.trace.steps:
        if key != (s.request, s.phase) and current:
            assert key is not None
            groups.append(PhaseGroup(key[0], key[1], phase_title(key[1], lang),
                                     tuple(current)))
            current = []
        key = (s.request, s.phase)
        current.append(StepView(
            s.index, s.stage, s.symbol, f"{s.file}:{s.line}", short(narrate(s)),
            _rendition_line(s.symbol, s.line, lang),
            tuple(short(format_change(c)) for c in s.changes)))
    if current and key is not None:
        groups.append(PhaseGroup(key[0], key[1], phase_title(key[1], lang),
                                 tuple(current)))
    return tuple(groups)


def _outcomes(run: Run, lang: str) -> tuple[Outcome, ...]:
    many = len(run.results) > 1
    out = []
    for r in run.results:
        o = r.outcome
        expected = any(v is not None for v in r.spec.expect)
        out.append(Outcome(
            r.index, r.spec.container,
            outcome_line(r.index, o.status, o.message, o.state, many, lang), o.status,
            o.status == 0, "none" if not expected else ("fail" if r.failures else "hold"),
            tuple(r.failures)))
    return tuple(out)


def _questions(run: Run, lang: str, answers: bool) -> tuple[Question, ...]:
    """The scenario's questions, in the order the walk reaches them: the prompt and the
    choices always, the answer (derived from the trace) and why only with ``answers``."""
    from ..engine.quiz import resolve

    out = []
    for a in resolve(run):
        out.append(Question(a.step + 1, a.prompt(lang),
                            tuple(a.label(c, lang) for c in a.choices),
                            a.label(a.answer, lang) if answers else None,
                            short(a.explanation(lang)) if answers else None))
    return tuple(out)


def handout(run: Run, name: str, lang: str = "en", answers: bool = False) -> Handout:
    """The handout of ``run`` (its trace is walked, then left at its first step)."""
    check_lang(lang)
    sc = run.scenario

    def narrate(step: Step) -> str:
        return step.narration(lang)

    before = build_world(sc)
    world = tuple(WorldPart(sec.title, tuple(short(r.text) for r in sec.rows))
                  for sec in world_sections(before, [], lang=lang))
    own = sc.text(lang)
    return Handout(lang, name, own.title, own.description, own.objectives, world,
                   _walk(run, lang, narrate), _outcomes(run, lang), _questions(run, lang, answers),
                   answers, len(run.trace))


__all__ = ["Handout", "handout", "words"]
