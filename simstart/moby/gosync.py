"""Go's ``sync.Mutex`` and ``time`` as the simulated goroutines use them.

A goroutine that would block yields a ``Park`` (not a step) and the engine's scheduler runs
another; the clock is the world's virtual one, in milliseconds. Locks are held in
``world.locks`` (key → who holds it), so a step can show who waits for whom, and going back a
step gives the lock back.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from .context import Daemon, Park

Blocks = Generator[Park, None, Any]


def lock(d: Daemon, key: str, holder: str) -> Blocks:
    """``mu.Lock()``: wait until nobody holds ``key``, then hold it. True if it had to wait."""
    locks = d.world.locks
    waited = False
    while key in locks:
        waited = True
        yield Park(until=lambda: key not in locks)
    locks[key] = holder
    return waited


def unlock(d: Daemon, key: str) -> None:
    """``mu.Unlock()``."""
    del d.world.locks[key]


def sleep(d: Daemon, ms: int) -> Blocks:
    """``time.Sleep``, or the timer of ``time.After``: the clock moves, nothing waits for real."""
    due = d.world.clock + ms
    while d.world.clock < due:
        yield Park(at=due)


def wait(d: Daemon, ready: Callable[[], bool], timeout_ms: int | None = None) -> Blocks:
    """``select { case <-ch: …; case <-time.After(timeout): … }``: True when ``ready()`` came
    first, False when the timeout did. ``timeout_ms`` None waits for ever."""
    due = None if timeout_ms is None else d.world.clock + timeout_ms
    while not ready():
        if due is not None and d.world.clock >= due:
            return False
        yield Park(until=ready, at=due)
    return True
