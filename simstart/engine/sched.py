"""Goroutines on a virtual clock: who runs next, and when simulated time moves.

Each goroutine is a moby generator: it yields an ``Emit`` (a step the trace records) or a
``Park`` (it blocks: on a lock, a channel, a timer). The scheduler runs the first goroutine, in
the order they were started, that can run, until it parks or ends; when none can, it moves the
world's clock to the next timer (a parked goroutine's, or a process that exits by itself) and
fires it. Nothing sleeps and nothing reads the wall clock: a scenario that runs for simulated
hours replays in milliseconds, identically every time.

The host's part: a process whose time in ``containerd.exiting`` has come is reaped by its shim
(``moby.shim.reap``), in a goroutine of its own; and libnetwork's namespace-file collector
runs (``moby.libnetwork.osl.remove_unused_paths``) at each 60-second tick that has a path on
its list (``network.garbage_paths``) — a tick with nothing listed does nothing, so it is not
a timer here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..moby.context import Daemon, Emit, Park, Steps
from ..moby.libnetwork.osl import remove_unused_paths
from ..moby.shim import reap
from ..world import World
from ..world.containerd import Process


class Goroutine:
    """One goroutine: its generator, its daemon (stack and faults), the request it serves."""

    __slots__ = ("daemon", "done", "gen", "held", "hold_at", "last", "name", "park",
                 "request", "result")

    def __init__(self, name: str, d: Daemon, gen: Steps, request: int) -> None:
        self.name, self.daemon, self.gen, self.request = name, d, gen, request
        self.park: Park | None = None
        self.held = False  # stopped by the engine at a stage in ``hold_at`` (a race's setup)
        self.hold_at: frozenset[str] = frozenset()
        self.done = False
        self.result: object = None
        self.last = ""  # the stage of its last step


GC_GOROUTINE = "osl.removeUnusedPaths"  # the netns collector, one goroutine for the daemon
OnStep = Callable[[Goroutine, Emit], None]
OnPause = Callable[[Goroutine], None]


class Scheduler:
    """Runs goroutines over one world. ``on_step`` hears each step as it is emitted;
    ``on_pause`` each time the running goroutine parks or ends (the journal is cut there)."""

    def __init__(self, world: World, on_step: OnStep | None = None,
                 on_pause: OnPause | None = None, max_steps: int = 200_000) -> None:
        self.world = world
        self.on_step = on_step
        self.on_pause = on_pause
        self.goroutines: list[Goroutine] = []
        self.running: Goroutine | None = None
        self.request = 0  # the request goroutines started by the host are counted under
        self.faults: Mapping[str, str] = {}  # and the faults armed for them
        self.steps = 0
        self.max_steps = max_steps

    # -- the Spawner protocol (moby's ``d.go``) ------------------------------------------------

    def go(self, name: str, d: Daemon, gen: Steps) -> None:
        """A goroutine started by a running one serves the same request."""
        request = self.running.request if self.running is not None else self.request
        self.goroutines.append(Goroutine(name, d, gen, request))

    def start(self, name: str, fn: Callable[..., Steps], *args: object, request: int,
              faults: Mapping[str, str], hold_at: frozenset[str] = frozenset()) -> Goroutine:
        """A goroutine the engine starts (a request arriving), with its own daemon."""
        d = Daemon(self.world, faults, self)
        g = Goroutine(name, d, fn(d, *args), request)
        g.hold_at = hold_at
        self.goroutines.append(g)
        return g

    # -- running ------------------------------------------------------------------------------

    def _can_run(self, g: Goroutine) -> bool:
        if g.held:
            return False
        p = g.park
        if p is None:
            return True
        if p.until is not None and p.until():
            return True
        return p.at is not None and self.world.clock >= p.at

    def _step(self, g: Goroutine) -> None:
        """Run ``g`` until it parks, ends, or reaches a stage it is held at."""
        g.park = None
        self.running = g
        try:
            while True:
                try:
                    item = next(g.gen)
                except StopIteration as stop:
                    g.done, g.result = True, stop.value
                    self.goroutines.remove(g)
                    return
                if isinstance(item, Park):
                    g.park = item
                    return
                self.steps += 1
                if self.steps > self.max_steps:
                    raise RuntimeError(f"more than {self.max_steps} steps: a loop that never "
                                       "ends (give the scenario an `until`)")
                g.last = item.stage
                if self.on_step is not None:
                    self.on_step(g, item)
                if item.stage in g.hold_at:
                    g.held = True
                    return
        finally:
            self.running = None
            if self.on_pause is not None:
                self.on_pause(g)

    def _next_due(self) -> int | None:
        """The clock of the next timer: a parked goroutine's, a process's exit, or the
        collector's tick for a listed namespace file."""
        due = [g.park.at for g in self.goroutines
               if g.park is not None and g.park.at is not None and not g.held]
        due += self.world.containerd.exiting.values()
        due += self.world.network.garbage_paths.values()
        return min(due) if due else None

    def _fire_exits(self) -> bool:
        """Reap every process whose time has come, in pid order."""
        cd = self.world.containerd
        exited: list[Process] = [cd.processes[pid] for pid in sorted(cd.exiting)
                                 if cd.exiting[pid] <= self.world.clock
                                 and pid in cd.processes]
        for p in exited:
            del cd.exiting[p.pid]
            d = Daemon(self.world, self.faults, self)
            self.goroutines.append(Goroutine(f"containerd-shim ({p.pid})", d, reap(d, p),
                                             self.request))
        return bool(exited)

    def _fire_gc(self) -> bool:
        """The collector's tick has come for a listed path: its loop runs once."""
        if not any(due <= self.world.clock for due in self.world.network.garbage_paths.values()):
            return False
        if any(g.name == GC_GOROUTINE for g in self.goroutines):
            return False
        d = Daemon(self.world, self.faults, self)
        self.goroutines.append(Goroutine(GC_GOROUTINE, d, remove_unused_paths(d), self.request))
        return True

    def run(self, done: Callable[[], bool] = lambda: False, until_ms: int | None = None) -> bool:
        """Run until ``done()`` (True), or until nothing can run before ``until_ms`` (False; the
        clock stays where the last thing happened)."""
        while not done():
            g = next((g for g in self.goroutines if self._can_run(g)), None)
            if g is not None:
                self._step(g)
                continue
            if self._fire_exits() or self._fire_gc():
                continue
            due = self._next_due()
            if due is None or (until_ms is not None and due > until_ms):
                return False
            if due > self.world.clock:
                self.world.clock = due
            elif not (self._fire_exits() or self._fire_gc()):
                # a timer at or before now that wakes nobody: a park re-armed in the past
                return False
        return True

    def release(self, g: Goroutine) -> None:
        """Let a held goroutine go on."""
        g.held = False
        g.hold_at = frozenset()

    @property
    def idle(self) -> bool:
        """Nothing left to run, now or later: every goroutine blocks for ever."""
        return self._next_due() is None and not any(self._can_run(g) for g in self.goroutines)
