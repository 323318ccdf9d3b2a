"""What every simulated Go function receives: the daemon, the world it acts on, and the
current call stack.

Each moby function is a Python generator decorated with ``@go(symbol, file, start, end)``. It
yields an ``Emit`` wherever the simulator should pause and show a step, calls the next function
with ``yield from`` the way the Go code calls it, and returns what the Go function returns
(``None`` for a nil error). The decorator keeps ``Daemon.stack``, so every step knows the moby
call stack it happened in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator, Mapping
from typing import Any, NamedTuple, Protocol, TypeVar

from ..world import World
from .errors import GoError, errorf

MOBY = "moby/moby@v17.05.0-ce"
CONTAINERD = "containerd/containerd@9048e5e"
RUNC = "docker/runc@9c2d8d1"
LN = "vendor/github.com/docker/libnetwork/"


class Frame(NamedTuple):
    """One Go function on the simulated call stack, with its place in the upstream source."""

    symbol: str
    file: str
    start: int
    end: int
    repo: str = MOBY


class Phrase(NamedTuple):
    """A value that is itself text: a phrase of the narration data (``phrases.<key>``), with
    the values it names. The engine renders it in the language of the narration."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()


def phrase(key: str, **values: Any) -> Phrase:
    """The phrase ``key`` of the narration data, with its named values."""
    return Phrase(key, tuple(values.items()))


class Emit(NamedTuple):
    """A point where the simulator stops: stage id, the current line upstream, which variant
    of the stage's narration and the values it names (the text itself is data, see
    ``simstart/engine/narrations``)."""

    stage: str
    line: int
    variant: str
    values: tuple[tuple[str, Any], ...]
    stack: tuple[Frame, ...]


class Park(NamedTuple):
    """Not a step: the goroutine blocks. It may run again once ``until()`` is true, or once the
    virtual clock reaches ``at`` (ms), whichever comes first (a Go ``select`` with a timer).
    The engine's scheduler decides who runs next; a goroutine never blocks the others."""

    until: Callable[[], bool] | None = None
    at: int | None = None


Steps = Generator[Emit | Park, None, Any]
F = TypeVar("F", bound=Callable[..., Steps])

REGISTRY: dict[str, Frame] = {}


def go(symbol: str, file: str, start: int, end: int, repo: str = MOBY) -> Callable[[F], F]:
    """Mark a generator as the simulation of one Go function (pushes its frame while it runs)."""
    frame = Frame(symbol, file, start, end, repo)
    REGISTRY[symbol] = frame

    def deco(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(d: Daemon, *args: Any, **kwargs: Any) -> Steps:
            d.stack.append(frame)
            try:
                return (yield from fn(d, *args, **kwargs))
            finally:
                d.stack.pop()

        wrapper.frame = frame  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return deco


class Spawner(Protocol):
    """What starts a goroutine: the engine's scheduler (``engine.sched``)."""

    def go(self, name: str, d: Daemon, gen: Steps) -> None:
        """Run ``gen`` as a new goroutine called ``name``, with its own ``d``."""


class _NoScheduler:
    """A daemon made without a scheduler cannot start goroutines (``engine.sched`` has one)."""

    def go(self, name: str, d: Daemon, gen: Steps) -> None:
        raise RuntimeError(f"goroutine {name!r} started with no scheduler to run it")


class Daemon:
    """The simulated dockerd, as one goroutine sees it: the world it runs on, the faults armed
    for this run (site → error text; the scenario's setting, not part of the host, so not
    journaled), the stack of functions this goroutine is executing, and what starts another
    goroutine."""

    def __init__(self, world: World, faults: Mapping[str, str] | None = None,
                 spawner: Spawner | None = None) -> None:
        self.world = world
        self.faults: Mapping[str, str] = dict(faults) if faults else {}
        self.stack: list[Frame] = []
        self.spawner: Spawner = spawner if spawner is not None else _NoScheduler()

    def go(self, name: str, fn: Callable[..., Steps], *args: Any) -> None:
        """``go fn(args…)``: a new goroutine, with a stack of its own."""
        d = Daemon(self.world, self.faults, self.spawner)
        self.spawner.go(name, d, fn(d, *args))

    def emit(self, stage: str, line: int, variant: str = "", /, **values: Any) -> Emit:
        """A step ``stage`` at ``line`` of the innermost function, narrated by the stage's
        text (its ``variant``, when the stage has several) with ``values``."""
        # a list or dict is copied: the step shows it as it was, whatever happens to it next
        frozen = tuple((k, list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict)
                        else v) for k, v in values.items())
        return Emit(stage, line, variant, frozen, tuple(self.stack))

    def fault(self, site: str) -> GoError | None:
        """The error a scenario injected at ``site``, or None (see ``scenario.faults.SITES``)."""
        text = self.faults.get(site)
        return errorf("%s", text) if text is not None else None

    def logf(self, level: str, msg: str) -> None:
        """``logrus.<Level>f``."""
        self.world.logf(level, msg)
