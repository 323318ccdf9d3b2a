"""Requests that arrive one at a time against one shared world (``simstart daemon``).

A scenario's ``record`` knows every request up front. A live session does not: the world is
built once from the scenario, then each request the server receives is sent through the moby
layer as soon as it arrives, recorded as steps exactly as a scenario's request is, and its
outcome observed. ``Live.run()`` is the session so far as an ordinary ``Run``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..scenario.model import Expect, RequestSpec, Scenario
from ..world import World
from ..world.journal import Journal, attach
from .build import build_world
from .run import RequestResult, Run, _Recorder, _Request, resolved
from .session import Session
from .trace import Step, Trace


def request_spec(name: str, version: str = "", body: str | None = None,
                 content_type: str = "", chunked: bool = False,
                 query: tuple[tuple[str, str], ...] = (), action: str = "start",
                 method: str = "POST", path: str = "") -> RequestSpec:
    """The scenario request that says what a received ``POST /containers/{name}/<action>``
    said (``action``: start, stop, kill or wait); ``path``, the request-URI as it came, is
    what the router reads (``name``, ``version`` and ``action`` are what it found there).

    ``checkpoint`` and ``checkpoint-dir`` stay in ``query``: the handler reads them from the
    form, as it reads every other parameter.
    """
    return RequestSpec(container=name, api_version=version, checkpoint="", checkpoint_dir="",
                       body=body, content_type=content_type, chunked=chunked, query=query,
                       expect=Expect(), action=action, method=method, path=path)


class Live:
    """One world, and the start requests run against it so far.

    ``keep_steps=False`` forgets each request's steps once its outcome is known (a daemon that
    nobody walks keeps a constant size however many requests it serves); the TUI keeps them.
    """

    def __init__(self, sc: Scenario, keep_steps: bool = True, world: World | None = None) -> None:
        self.scenario = sc
        self.world = world if world is not None else build_world(sc)
        self.keep_steps = keep_steps
        self._journal = Journal()
        attach(self.world, self._journal)
        self._journal.close()  # it records while a request runs (advance), nothing else
        self._rec = _Recorder(self.world, self._journal, sc.faults)
        self.results: list[RequestResult] = []
        self.requests: list[RequestSpec] = []
        self.steps_recorded = 0
        self._open: list[_Request] = []
        self.before_open: Callable[[], None] | None = None  # called as a request arrives
        # around each run of the world: the TUI puts the world back at the last step before
        # (a learner may have walked back), and learns of the steps recorded after
        self.before_run: Callable[[], None] | None = None
        self.after_run: Callable[[], None] | None = None

    def open(self, req: RequestSpec) -> _Request:
        """Receive a start request; it runs when ``advance`` drives it. A request received while
        another is still running is recorded as racing it (``races``: ``lock`` when the other
        holds the container's lock by then, else ``checks``). Only a start races a start: a
        stop that arrives while a wait is parked is not a race, the wait waits for it."""
        if self.before_open is not None:
            self.before_open()
        req = resolved(req)
        starts = [o for o in self._open if o.req.action == "start"]
        if starts and req.action == "start":
            held = any(self._rec.steps[o.last].stage == "start.lock" for o in starts
                       if o.last >= 0)
            req = req._replace(races="lock" if held else "checks")
        r = self._rec.open(len(self.requests), req)
        self.requests.append(req)
        self._open.append(r)
        return r

    @property
    def open_requests(self) -> list[_Request]:
        """The requests received and not yet answered, in the order they came."""
        return list(self._open)

    def advance(self, r: _Request, until: str | frozenset[str] | None = None) -> bool:
        """Run ``r`` until it emits stage ``until`` (or one of them: False) or ends (True)."""
        if self.before_run is not None:
            self.before_run()
        with self._journal:
            done = self._rec.advance(r, until)
        if self.after_run is not None:
            self.after_run()
        return done

    def close(self, r: _Request) -> tuple[RequestResult, list[Step]]:
        """The outcome of the ended request ``r``, and its steps."""
        rec = self._rec
        result = rec.result(r)
        self._open.remove(r)
        steps = [s for s in rec.steps[r.first:] if s.request == r.i]
        self.steps_recorded += len(steps)
        if self.keep_steps:
            self.results.append(result)
        if not self._open:  # no request is half-run: the steps own their journal slices
            rec.release()
            if not self.keep_steps:
                rec.steps.clear()
        return result, steps

    def start(self, req: RequestSpec) -> tuple[RequestResult, list[Step]]:
        """Receive one start request and run it to its end; its result and its steps."""
        r = self.open(req)
        self.advance(r)
        return self.close(r)

    def run(self) -> Run:
        """The session so far, as a recorded run (its trace at the last step)."""
        return Run(self.scenario._replace(requests=tuple(self.requests)),
                   Trace(self.world, self._rec.steps), list(self.results))


class LiveSession(Session):
    """A study ``Session`` over a ``Live`` one: it grows by a request at a time.

    The trace's cursor moves the shared world; so before the world runs, ``present`` puts it
    back at the last step (a learner may have walked back), after it ran ``recorded`` takes the
    new steps in, and ``arrived`` shows an answered request from its first step. A what-if fork
    is dropped when the world runs: it was a replay of the requests before.
    """

    def __init__(self, live: Live) -> None:  # no record(): the requests come later
        self.live = live
        live.before_open = self.present
        live.before_run = self.present
        live.after_run = self.recorded
        self.scenario = live.scenario
        self.original = live.run()
        self.fork = None
        self.on_fork = False
        self.breakpoints = set()

    @property
    def waiting(self) -> bool:
        """No request has arrived yet: there is no step to show."""
        return len(self.original.trace) == 0

    def present(self) -> None:
        """The world as the last request left it."""
        self.drop_fork()
        t = self.original.trace
        if len(t):
            t.goto(len(t) - 1)

    def recorded(self) -> None:
        """Steps were recorded: the trace has them all and stands at the last, where the world
        is (a request half-run, a wait parked, or a wait that a stop has just woken)."""
        self.drop_fork()
        run = self.live.run()
        self.scenario = run.scenario
        self.original = run

    def arrived(self, result: RequestResult) -> None:
        """Show the request that just ran, from its first step."""
        run = self.live.run()
        self.scenario = run.scenario
        self.original = run
        run.trace.goto(result.first_step)
