"""What-if: fork a recorded run at a step by injecting a fault at a site still ahead.

Runs are deterministic, so a run recorded with one more fault is step-for-step the same as the
original up to the first step where the fault's site is hit; from there it walks the error path
and its cleanup. This module finds, for a position in a run, the sites still ahead (by
recording each one and locating where it parts from the original), and builds the fork.

Pure: no Textual, no Rich, no I/O. Recording the start path costs about a millisecond, so
probing every site is cheap.
"""

from __future__ import annotations

from ..scenario.faults import SITES
from ..scenario.model import FaultSpec, Scenario
from ..world.journal import struct
from .run import PHASE_ORDER, Run, record
from .trace import Step, Trace


def same_step(a: Step, b: Step) -> bool:
    """Whether two steps are the same step of the start path (place, narration and effect)."""
    return (a.request, a.stage, a.stack, a.line, a.text) == (b.request, b.stage, b.stack,
                                                              b.line, b.text)


def divergence(a: Trace, b: Trace) -> int | None:
    """The index of the first step where ``a`` and ``b`` differ; None if they are the same."""
    for i, (x, y) in enumerate(zip(a.steps, b.steps, strict=False)):
        if not same_step(x, y):
            return i
    if len(a) != len(b):
        return min(len(a), len(b))
    return None


def with_fault(faults: tuple[FaultSpec, ...], new: FaultSpec) -> tuple[FaultSpec, ...]:
    """``faults`` plus ``new``, replacing an earlier fault at the same site and request."""
    kept = tuple(f for f in faults if (f.site, f.request) != (new.site, new.request))
    return (*kept, new)


@struct
class Choice:
    """A site still ahead of a position: where the fault would strike, and what it can raise.

    ``step`` is the index (in the run it was probed against) of the first step that would
    differ; ``stage`` and ``phase`` are those of the step that runs there now.
    """

    site: str
    request: int
    step: int
    stage: str
    phase: str
    where: str
    errors: tuple[str, ...]

    def label(self, many_requests: bool = False) -> str:
        """One line for a picker."""
        req = f"request {self.request + 1}, " if many_requests else ""
        return f"{self.site} — {req}step {self.step + 1} ({self.stage}): {self.where}"


@struct
class Fork:
    """A run recorded with extra faults, and where it parts from the original run."""

    run: Run
    faults: tuple[FaultSpec, ...]  # the extra faults, on top of the scenario's own
    at: int  # the step the user forked from
    diverges: int  # the first step that differs from the original (len of the shorter if none)
    fault: FaultSpec  # the fault this fork added last

    @property
    def title(self) -> str:
        """A short description: ``site = error``."""
        return f"{self.fault.site} = {self.fault.error!r}"


def sites_ahead(scenario: Scenario, trace: Trace, position: int,
                faults: tuple[FaultSpec, ...] = ()) -> list[Choice]:
    """The fault sites that the run (recorded with ``faults``) has not yet passed at
    ``position``, in the order they would be hit.

    A site counts when a run with the site failing parts from ``trace`` after ``position``, so
    that going to ``position`` in the fork lands on the same step with the same world. Sites
    the run never reaches (a scenario without ports never asks the port allocator) are left
    out. Requests before the current one are over; later requests are all still ahead.
    """
    if not len(trace):
        return []
    current = trace.steps[min(max(position, 0), len(trace) - 1)].request
    out: list[Choice] = []
    for r in range(current, len(scenario.requests)):
        for site in SITES.values():
            for error in site.errors:
                probe = record(scenario, with_fault(faults, FaultSpec(site.name, error, r)))
                d = divergence(trace, probe.trace)
                if d is None:
                    continue  # not reached, or this error is what already happens there
                if d > position:
                    at = trace.steps[min(d, len(trace) - 1)]
                    out.append(Choice(site.name, r, d, at.stage, at.phase, site.where,
                                      site.errors))
                break
    out.sort(key=lambda c: (c.step, PHASE_ORDER.index(SITES[c.site].stage), c.site))
    return out


def fork(scenario: Scenario, original: Trace, position: int, choice: Choice, error: str,
         faults: tuple[FaultSpec, ...] = ()) -> Fork:
    """Record the run with ``error`` at ``choice``'s site (plus ``faults``), with its cursor
    on ``position`` — the same step, and the same world, as ``position`` in ``original``.
    """
    new = FaultSpec(choice.site, error, choice.request)
    extra = with_fault(faults, new)
    run = record(scenario, extra)
    d = divergence(original, run.trace)
    run.trace.goto(position)
    return Fork(run, extra, position, min(len(original), len(run.trace)) if d is None else d,
                new)


def counterpart(position: int, diverges: int) -> int:
    """Where to land in the other run when switching between a run and its fork.

    Before the two part, the same index is the same step. At or after the parting, land on the
    first step that differs, so the two paths can be compared from where they part.
    """
    return position if position < diverges else diverges
