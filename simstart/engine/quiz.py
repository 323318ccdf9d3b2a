"""Predict, then reveal: a scenario's questions, answered by its recorded trace.

A scenario marks a question at a stage (``at: network.port_taken``) and says what kind of
value the learner predicts (``ask: defer``). Nothing else is written down: the right answer is
read off the trace after that step, so it can never disagree with the simulation, and the
other choices are values of the same kind that the learner could mistake for it:

- ``status``: the HTTP status the request ends with (0: the connection closed);
- ``next_phase``: the phase the start path enters after this step;
- ``released``: the resource kind the next release of this request frees (a removal from the
  mount table, the veths, the endpoints… the things ``expect.resources`` counts);
- ``defer``: the function whose deferred cleanup runs next (``defers`` in ``quiz.yaml``: the
  stages that are a deferred function running); the other choices are the functions on the
  stack when the question is asked;
- ``event``: the next ``docker events`` line of this request, or none.

The words (each kind's question, how a value reads, the sentence that shows where the trace
answers) are data, in ``quiz.yaml``, in English and Chinese. Pure: no Textual, no I/O but
reading that file.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ..scenario.model import QuestionSpec
from ..scenario.schema import EVENTS
from ..scenario.schemalang import suggest
from ..scenario.yamlsource import ScenarioError
from .outcome import resources
from .run import PHASE_ORDER, Run
from .trace import Step, Trace

DATA = Path(__file__).resolve().parent / "quiz.yaml"
STATUS_CHOICES = (204, 304, 404, 409, 500)
CHOICES = 4  # choices offered for the kinds with many values (phases, resources, functions)
# A removal at one of these places frees a resource of that kind (the kinds expect.resources
# counts); only the place itself, not something under it ("sandboxes[x].endpoints[-]").
RELEASED = {"mounts": "mounts", "veths": "veths", "endpoints": "endpoints",
            "sandboxes": "sandboxes", "docker-proxy": "proxies", "portallocator": "ports",
            "iptables": "iptables", "netns": "netns", "garbagePathMap": "netns_garbage",
            "processes": "processes",
            "containerd.containers": "containerd"}
PLACE = re.compile(r"^(.*)\[[^\]]*\]$")


@functools.cache
def data() -> dict[str, Any]:
    """``quiz.yaml``: ask, values, lines, defers."""
    raw = yaml.load(DATA.read_text(encoding="utf-8"),
                    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(raw, dict)
    return raw


def text(entry: dict[str, str], lang: str) -> str:
    """``entry`` in ``lang``, English when it has no such text."""
    return entry.get(lang) or entry["en"]


def label(kind: str, value: str, lang: str = "en") -> str:
    """How the value ``value`` of a ``kind`` question reads in ``lang`` (a function's symbol
    reads as itself)."""
    entry = data()["values"].get(kind, {}).get(value)
    return text(entry, lang) if entry is not None else value


def phase_title(phase: str, lang: str = "en") -> str:
    """A phase's name as the timeline and the handout show it."""
    return label("next_phase", phase, lang)


class Asked(NamedTuple):
    """A question placed on the trace: the step it is asked at, the choices, the answer (one
    of them) and the step that shows it."""

    number: int  # 1-based, in the order the walk reaches them
    spec: QuestionSpec
    step: int  # index of the step it is asked at
    choices: tuple[str, ...]  # values, as ``label`` reads them
    answer: str
    evidence: int  # the index of the step where the trace gives the answer
    evidence_text: tuple[tuple[str, str], ...]  # (lang, the sentence saying so)

    @property
    def kind(self) -> str:
        """What the question asks for."""
        return self.spec.ask

    def prompt(self, lang: str = "en") -> str:
        """The question in ``lang``."""
        own = dict(self.spec.prompt)
        return text(own, lang) if own else text(data()["ask"][self.kind], lang)

    def label(self, value: str, lang: str = "en") -> str:
        """A choice as it reads in ``lang``."""
        return label(self.kind, value, lang)

    def explanation(self, lang: str = "en") -> str:
        """Why: the scenario's explanation (if any), then where the trace says so."""
        own = dict(self.spec.explain)
        where = text(dict(self.evidence_text), lang)
        return f"{text(own, lang)}\n{where}" if own else where


def _located(file: str, q: QuestionSpec, message: str, key: str = "at") -> ScenarioError:
    return ScenarioError(file, q.where[0], q.where[1], f"questions[{q.place}].{key}", message)


def _ask_step(trace: Trace, q: QuestionSpec, file: str) -> Step:
    for s in trace.steps:
        if s.stage == q.at and (q.request is None or s.request == q.request):
            return s
    stages = list(dict.fromkeys(s.stage for s in trace.steps))
    where = f" in request {q.request}" if q.request is not None else ""
    raise _located(file, q, f"the trace never reaches stage {q.at!r}{where}"
                   f"{suggest(q.at, stages)}; simstart run lists the stages it reaches")


def _later(trace: Trace, at: Step) -> list[Step]:
    """The steps after ``at`` in its request."""
    return [s for s in trace.steps[at.index + 1:] if s.request == at.request]


def _nearest(answer: str, pool: list[str], n: int = CHOICES) -> tuple[str, ...]:
    """``answer`` and the values of ``pool`` nearest to it, in ``pool``'s order."""
    i = pool.index(answer)
    near = sorted(range(len(pool)), key=lambda k: (abs(k - i), k))[:n]
    return tuple(pool[k] for k in sorted(near))


def _evidence(step: Step, lang_texts: dict[str, str]) -> tuple[tuple[str, str], ...]:
    out = []
    for lang, template in sorted(lang_texts.items()):
        out.append((lang, template.format(step=step.index + 1, stage=step.stage,
                                          narration=step.narration(lang))))
    return tuple(out)


Placed = tuple[tuple[str, ...], str, int, tuple[tuple[str, str], ...]]  # choices, answer, …


def _status(run: Run, at: Step) -> Placed:
    r = run.results[at.request]
    answer = str(r.outcome.status)
    pool = [str(x) for x in STATUS_CHOICES]
    choices = tuple(pool) + (() if answer in pool else (answer,))
    ev = tuple((lang, t.format(step=r.last_step + 1, answer=label("status", answer, lang)))
               for lang, t in sorted(data()["lines"]["evidence_status"].items()))
    return choices, answer, r.last_step, ev


def _none(kind: str, at: Step, later: list[Step]) -> tuple[int, tuple[tuple[str, str], ...]]:
    """The evidence of a ``none`` answer: the request's last step."""
    last = later[-1] if later else at
    return last.index, tuple((lang, t.format(step=last.index + 1)) for lang, t in
                             sorted(data()["lines"][f"none_{kind}"].items()))


def _next_phase(at: Step, later: list[Step], q: QuestionSpec, file: str) -> Placed:
    nxt = next((s for s in later if s.phase != at.phase), None)
    if nxt is None:
        raise _located(file, q, f"no phase follows {at.phase!r} in this request: ask at an "
                       "earlier stage, or another kind", "ask")
    # the answer, the phase that follows this one when nothing goes wrong, and the phases
    # nearest to the answer
    pool = [p for p in PHASE_ORDER if p != at.phase]
    after = PHASE_ORDER[PHASE_ORDER.index(at.phase) + 1] if at.phase in PHASE_ORDER[:-1] \
        else nxt.phase
    i = pool.index(nxt.phase)
    ranked = [nxt.phase, after, *sorted(pool, key=lambda p: (abs(pool.index(p) - i),
                                                             pool.index(p)))]
    pick = list(dict.fromkeys(ranked))[:CHOICES]
    return (tuple(p for p in pool if p in pick), nxt.phase, nxt.index,
            _evidence(nxt, data()["lines"]["evidence"]))


def _place_kind(path: str) -> str | None:
    m = PLACE.match(path)
    return RELEASED.get(m.group(1)) if m else None


def _released(trace: Trace, at: Step, later: list[Step]) -> Placed:
    found = next(((s, k) for s in later for c in s.changes
                  if c.new is None and c.old is not None
                  and (k := _place_kind(c.path)) is not None), None)
    trace.goto(at.index)  # what the host holds when the question is asked
    held = {k for k, n in resources(trace.world).items() if n > 0}
    kinds = list(RELEASED.values())
    if found is None:
        answer = "none"
        ev_step, ev = _none("released", at, later)
    else:
        step, answer = found
        held.add(answer)
        ev_step, ev = step.index, _evidence(step, data()["lines"]["evidence"])
    pool = [k for k in kinds if k in held]
    pool += [k for k in kinds if k not in pool][:max(0, CHOICES - len(pool))]
    pool = [k for k in kinds if k in pool]
    choices = _nearest(answer, pool) if answer != "none" else tuple(pool[:CHOICES])
    return (*choices, "none"), answer, ev_step, ev


def _defer(at: Step, later: list[Step]) -> Placed:
    defers: dict[str, str] = data()["defers"]
    found = next((s for s in later if s.stage in defers), None)
    frames = list(dict.fromkeys(at.stack))  # outermost first
    inner = list(reversed(frames))
    if found is None:
        answer = "none"
        ev_step, ev = _none("defer", at, later)
    else:
        answer = found.symbol
        ev_step, ev = found.index, _evidence(found, data()["lines"]["evidence"])
    # the answer, the functions on the stack with a deferred function of their own, then the
    # innermost others
    ranked = [answer] + [f for f in inner if f in defers.values()] + inner
    pick = [f for f in dict.fromkeys(ranked) if f != "none"][:CHOICES]
    choices = tuple(f for f in frames if f in pick) + (
        () if answer in frames or answer == "none" else (answer,))
    return (*choices, "none"), answer, ev_step, ev


START_EVENTS = ("container start", "container destroy", "network connect", "network disconnect")


def _event(at: Step, later: list[Step]) -> Placed:
    found = next((s for s in later for c in s.changes if c.path == "events[+]"), None)
    # the events a start itself sends (the exit path's die, stop, kill come after the 204)
    pool = [e for e in EVENTS if e in START_EVENTS]
    if found is None:
        answer = "none"
        ev_step, ev = _none("event", at, later)
    else:
        new = next(str(c.new) for c in found.changes if c.path == "events[+]")
        answer = " ".join(new.split()[:2])  # "type action …", as docker events prints it
        ev_step, ev = found.index, _evidence(found, data()["lines"]["evidence"])
    return (*pool, *(() if answer in pool or answer == "none" else (answer,)), "none"), \
        answer, ev_step, ev


def _place(run: Run, q: QuestionSpec) -> tuple[int, Placed]:
    """Where ``q`` is asked in ``run`` and its choices, answer and evidence (moves the
    trace's cursor; ``ScenarioError`` when the trace cannot place it)."""
    file, trace = run.scenario.file, run.trace
    at = _ask_step(trace, q, file)
    later = _later(trace, at)
    if q.ask == "status":
        return at.index, _status(run, at)
    if q.ask == "next_phase":
        return at.index, _next_phase(at, later, q, file)
    if q.ask == "released":
        return at.index, _released(trace, at, later)
    if q.ask == "defer":
        return at.index, _defer(at, later)
    return at.index, _event(at, later)


def resolve(run: Run) -> list[Asked]:
    """Every question of ``run``'s scenario placed on its trace, in the order the walk reaches
    them (``ScenarioError``, located at the question, for one the trace cannot place). The
    trace's cursor is left where it was."""
    here = run.trace.position
    placed: list[tuple[int, int, QuestionSpec, Placed]] = []
    try:
        for q in run.scenario.questions:
            step, p = _place(run, q)
            placed.append((step, q.place, q, p))
    finally:
        run.trace.goto(here)
    placed.sort(key=lambda x: (x[0], x[1]))
    return [Asked(n, q, step, *p) for n, (step, _i, q, p) in enumerate(placed, 1)]


def placeable(run: Run) -> list[bool]:
    """For each of the scenario's questions, whether ``run``'s trace can place it (a what-if
    keeps only those: its trace may never reach a stage the original asks at)."""
    here = run.trace.position
    out = []
    try:
        for q in run.scenario.questions:
            try:
                _place(run, q)
                out.append(True)
            except ScenarioError:
                out.append(False)
    finally:
        run.trace.goto(here)
    return out


def problems(run: Run) -> list[ScenarioError]:
    """What is wrong with ``run``'s questions (at most the first): for ``simstart validate``."""
    try:
        resolve(run)
    except ScenarioError as e:
        return [e]
    return []


__all__ = ["Asked", "label", "phase_title", "placeable", "problems", "resolve"]
