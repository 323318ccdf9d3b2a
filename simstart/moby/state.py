"""``container/state.go``: the State flags, and the mutex they share with the container.

``Container`` embeds ``*State``, which embeds ``sync.Mutex``: ``container.Lock()`` and the
lock ``IsRunning`` and ``IsPaused`` take for a moment are the same mutex. So a check of
``IsRunning`` made while ``containerStart`` holds the container waits for it (state.go
L224–229, L297–302).
"""

from __future__ import annotations

from ..world.containers import Container
from . import gosync
from .context import Daemon, Steps, go
from .errors import errorf


def lock(d: Daemon, c: Container, holder: str) -> gosync.Blocks:
    """``container.Lock()``; True when another goroutine held it and this one waited."""
    return (yield from gosync.lock(d, c.id, holder))


def unlock(d: Daemon, c: Container) -> None:
    """``container.Unlock()``."""
    gosync.unlock(d, c.id)


def _locked_read(d: Daemon, c: Container, what: str, line: int) -> Steps:
    holder = d.world.locks.get(c.id)
    if holder is not None:
        yield d.emit("state.lock_wait", line, holder=holder, name=c.name)
    yield from lock(d, c, what)
    value = c.state.running if what == "IsRunning" else c.state.paused
    unlock(d, c)
    return value


@go("container.(*State).IsRunning", "container/state.go", 224, 229)
def is_running(d: Daemon, c: Container) -> Steps:
    """``s.Lock(); res := s.Running; s.Unlock()``: it waits while the container is locked."""
    return (yield from _locked_read(d, c, "IsRunning", 225))


@go("container.(*State).IsPaused", "container/state.go", 297, 302)
def is_paused(d: Daemon, c: Container) -> Steps:
    """``s.Lock(); res := s.Paused; s.Unlock()``."""
    return (yield from _locked_read(d, c, "IsPaused", 298))


def set_running(d: Daemon, c: Container, pid: int, initial: bool) -> None:
    """``SetRunning`` (L252–261): the error cleared, ExitCode 0, StartedAt when initial."""
    s = c.state
    s.error, s.running, s.restarting, s.exit_code, s.pid = "", True, False, 0, pid
    if initial:
        s.started_at = d.world.timestamp()
        s.started_ms = d.world.clock


def set_stopped(d: Daemon, c: Container, exit_code: int, oom_killed: bool = False) -> None:
    """``SetStopped`` (L264–273): not running, paused or restarting; FinishedAt; waiters woken."""
    s = c.state
    s.running, s.paused, s.restarting, s.pid = False, False, False, 0
    s.finished_at = d.world.timestamp()
    s.exit_code, s.oom_killed = exit_code, oom_killed
    s.waits = s.waits + 1  # close(s.waitChan)


def set_restarting(d: Daemon, c: Container, exit_code: int, oom_killed: bool = False) -> None:
    """``SetRestarting`` (L277–287): Running stays true ("because of all the checks in docker
    around rm/stop/etc"); Pid 0; waiters woken as by a stop."""
    s = c.state
    s.running, s.restarting, s.pid = True, True, 0
    s.finished_at = d.world.timestamp()
    s.exit_code, s.oom_killed = exit_code, oom_killed
    s.waits = s.waits + 1  # close(s.waitChan)


@go("container.(*State).WaitStop", "container/state.go", 179, 193)
def wait_stop(d: Daemon, c: Container, timeout_ms: int | None) -> Steps:
    """``WaitStop``: (exit code, None) once stopped, or (-1, the timeout's error).

    A container that is not running answers at once; otherwise it waits for the next close of
    waitChan (SetStopped or SetRestarting), or the timeout. ``timeout_ms`` None: for ever.
    """
    s = c.state
    yield from lock(d, c, "WaitStop")  # WaitWithContext: s.Lock() before it looks (L198)
    running, seen = s.running, s.waits
    unlock(d, c)
    if not running:
        return s.exit_code, None
    yield d.emit("state.wait_stop", 186, "forever" if timeout_ms is None else "timeout",
                 seconds=None if timeout_ms is None else timeout_ms // 1000, name=c.name)
    came = yield from gosync.wait(d, lambda: s.waits != seen, timeout_ms)
    if came:
        yield from lock(d, c, "WaitStop")  # and again to read the exit code (L211)
        unlock(d, c)
        yield d.emit("state.stopped", 188, exit_code=s.exit_code, name=c.name)
        return s.exit_code, None
    yield d.emit("state.wait_timeout", 190, name=c.name)
    return -1, errorf("context deadline exceeded")
