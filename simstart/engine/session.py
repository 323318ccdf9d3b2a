"""A study session over one scenario: the original run, an optional what-if fork, which of the
two is shown, and the breakpoints. The TUI drives a ``Session`` and only renders it.

Pure: no Textual, no Rich, no I/O.
"""

from __future__ import annotations

from ..scenario.model import Scenario
from .fork import Choice, Fork, counterpart, divergence, fork, sites_ahead
from .run import PHASE_ORDER, RequestResult, Run, record
from .trace import Step, Trace


class Session:
    """The state of one walk through a scenario.

    Breakpoints are stage ids (``network.port_allocated``) or phase names (``network``); a
    phase breakpoint fires on the first step of that phase, a stage breakpoint on every step of
    that stage.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.original: Run = record(scenario)
        self.original.trace.reset()
        self.fork: Fork | None = None
        self.on_fork = False
        self.breakpoints: set[str] = set()

    # -- which run ------------------------------------------------------------------------

    @property
    def run(self) -> Run:
        """The run being shown."""
        return self.fork.run if self.fork is not None and self.on_fork else self.original

    @property
    def trace(self) -> Trace:
        """The trace being shown."""
        return self.run.trace

    @property
    def step(self) -> Step:
        """The current step of the run being shown."""
        return self.trace.current

    @property
    def position(self) -> int:
        """The index of the current step."""
        return self.trace.position

    def what_if_choices(self) -> list[Choice]:
        """The fault sites still ahead of the current step of the run being shown."""
        faults = self.fork.faults if self.fork is not None and self.on_fork else ()
        return sites_ahead(self.scenario, self.trace, self.position, faults)

    def what_if(self, choice: Choice, error: str) -> Fork:
        """Fork the run being shown here, with ``error`` at ``choice``'s site; show the fork."""
        faults = self.fork.faults if self.fork is not None and self.on_fork else ()
        base = self.trace
        f = fork(self.scenario, base, self.position, choice, error, faults)
        if base is not self.original.trace:
            # a fork of a fork: keep "original" meaning the scenario's own run
            d = divergence(self.original.trace, f.run.trace)
            f = Fork(f.run, f.faults, f.at, min(len(self.original.trace), len(f.run.trace))
                     if d is None else d, f.fault)
        self.fork = f
        self.on_fork = True
        return f

    def switch(self) -> bool:
        """Show the other run (original ⇄ fork) at the matching step; False if there is no
        fork."""
        if self.fork is None:
            return False
        here = self.position
        self.on_fork = not self.on_fork
        self.trace.goto(counterpart(here, self.fork.diverges))
        return True

    def drop_fork(self) -> None:
        """Forget the fork and show the original run at the matching step."""
        if self.fork is not None and self.on_fork:
            self.switch()
        self.fork = None
        self.on_fork = False

    # -- moving ---------------------------------------------------------------------------

    def reset(self) -> None:
        """The original run, at its first step (the fork is kept, to switch back to)."""
        self.on_fork = False
        self.original.trace.reset()

    def breakpoint_hit(self, i: int) -> bool:
        """Whether step ``i`` of the shown run stops a run-to-breakpoint."""
        t = self.trace
        s = t.steps[i]
        if s.stage in self.breakpoints:
            return True
        return t.starts_phase(i) and s.phase in self.breakpoints

    def next_breakpoint(self) -> int | None:
        """The index of the next step after the current one that hits a breakpoint."""
        for i in range(self.position + 1, len(self.trace)):
            if self.breakpoint_hit(i):
                return i
        return None

    def run_to_breakpoint(self) -> bool:
        """Forward to the next breakpoint; to the last step (and False) if there is none."""
        i = self.next_breakpoint()
        self.trace.goto(len(self.trace) - 1 if i is None else i)
        return i is not None

    def toggle_breakpoint(self, name: str) -> bool:
        """Set or clear a breakpoint on a stage id or phase; True if it is now set."""
        if name in self.breakpoints:
            self.breakpoints.discard(name)
            return False
        self.breakpoints.add(name)
        return True

    # -- what to show ---------------------------------------------------------------------

    def phases(self) -> list[str]:
        """The phases the shown run goes through, in the start path's order."""
        seen = set(self.trace.phases())  # computed once per trace
        return [p for p in PHASE_ORDER if p in seen]

    def stages(self) -> list[str]:
        """Every stage id of the shown run, in the order first reached."""
        return list(dict.fromkeys(s.stage for s in self.trace))

    def reached(self) -> list[RequestResult]:
        """The requests whose last step is at or before the current step (their outcome is
        known)."""
        return [r for r in self.run.results if r.last_step <= self.position]
