"""``daemon/monitor.go``: ``StateChanged``, libcontainerd's callback into the daemon.

For ``start`` it is called synchronously by libcontainerd right after the CreateContainer RPC,
while containerStart still holds the container lock. For ``exit`` it runs much later, in
libcontainerd's queue goroutine, once containerd reports that the init process ended: it
takes the container lock itself, asks the restart manager, sets the container Restarting or
Stopped, sends ``die``, releases what the start took (``Cleanup``) and, for a restart, starts
a goroutine that waits out the backoff and calls containerStart again.
"""

from __future__ import annotations

from typing import NamedTuple

from ..world.containers import Container, RestartManager
from . import container as container_mod
from . import events, restartmanager, state
from .context import Daemon, Steps, go
from .errors import GoError


class StateInfo(NamedTuple):
    """``libcontainerd.StateInfo``: which state, the pid, the exit status, OOMKilled."""

    state: str  # "start", "exit", …
    pid: int = 0
    exit_code: int = 0
    oom_killed: bool = False


@go("daemon.(*Daemon).StateChanged", "daemon/monitor.go", 17, 137)
def state_changed(d: Daemon, c: Container, e: StateInfo) -> Steps:
    """The switch on ``e.State``: the start and exit cases."""
    if e.state == "exit":
        return (yield from _exit(d, c, e))
    state.set_running(d, c, e.pid, True)
    yield d.emit("running.set_running", 109, pid=e.pid)
    c.has_been_manually_stopped = False
    c.has_been_started_before = True
    yield from container_mod.to_disk(d, c, 112, "running.to_disk")
    yield d.emit("running.health", 116)
    events.log_container_event(d, c, "start")
    yield d.emit("running.start_event", 117)
    return None


def _exit(d: Daemon, c: Container, e: StateInfo) -> Steps:
    """``case libcontainerd.StateExit`` (monitor.go L31–88)."""
    from . import start  # containerStart and Cleanup: the same Go package, a cycle here

    waited = yield from state.lock(d, c, "StateChanged")
    yield d.emit("exit.lock", 44, "waited" if waited else "free", name=c.name)
    remove_after = False
    try:
        yield d.emit("exit.reset", 46, driver=c.host_config.log_driver)
        ran_ms = d.world.clock - c.state.started_ms
        restart, err = yield from restartmanager.should_restart(
            d, c, e.exit_code, c.has_been_manually_stopped, ran_ms)
        rm = c.restart_manager
        if err is None and restart:
            c.restart_count = c.restart_count + 1
            state.set_restarting(d, c, e.exit_code, e.oom_killed)
            yield d.emit("exit.set_restarting", 51, exit_code=e.exit_code,
                         restart_count=c.restart_count)
        else:
            state.set_stopped(d, c, e.exit_code, e.oom_killed)
            remove_after = True
            yield d.emit("exit.set_stopped", 53, "error" if err is not None else "plain",
                         exit_code=e.exit_code, msg=err.msg if err is not None else None)
        yield d.emit("exit.stop_healthchecks", 59)
        events.log_container_event(d, c, "die", {"exitCode": str(e.exit_code)})
        yield d.emit("exit.die_event", 63, exit_code=e.exit_code)
        yield from start.cleanup(d, c)
        if err is None and restart and rm is not None:
            d.go("restart after backoff", _restart, c, rm, e)
            yield d.emit("exit.restart_goroutine", 67, timeout_ms=rm.timeout_ms)
        yield from container_mod.to_disk(d, c, 85, "exit.to_disk")
        yield d.emit("exit.post_run", 88)
    finally:
        state.unlock(d, c)  # defer c.Unlock()
    if remove_after:  # defer autoRemove(): deferred first, so it runs after the unlock
        yield from _auto_remove(d, c)
    return None


@go("daemon.(*Daemon).StateChanged.func1", "daemon/monitor.go", 33, 42)
def _auto_remove(d: Daemon, c: Container) -> Steps:
    """The ``autoRemove`` closure: with ``--rm``, ContainerRm(force, remove volumes)."""
    from . import delete

    yield from state.lock(d, c, "autoRemove")
    ar = c.host_config.auto_remove
    state.unlock(d, c)
    if not ar:
        return None
    yield d.emit("exit.auto_remove", 38, name=c.name)
    err = yield from delete.container_rm(d, c.id, force=True, remove_volume=True)
    if err is not None:
        d.logf("error", f"can't remove container {c.id}: {err.msg}")
        yield d.emit("exit.auto_remove_failed", 39, msg=err.msg)
    return None


@go("daemon.(*Daemon).StateChanged.func2", "daemon/monitor.go", 67, 81)
def _restart(d: Daemon, c: Container, rm: RestartManager, e: StateInfo) -> Steps:
    """The restart goroutine: wait out the backoff, then containerStart(c, "", "", false)."""
    from . import start

    err: GoError | None = yield from restartmanager.wait(d, rm)
    if err is None:
        yield d.emit("restart.start", 70, name=c.name, restart_count=c.restart_count)
        err = yield from start._container_start(d, c, "", "", False)
        if err is not None:
            d.logf("debug", f"failed to restart container: {err.msg}")
            yield d.emit("restart.failed", 71, msg=err.msg)
    if err is not None:
        state.set_stopped(d, c, e.exit_code, e.oom_killed)  # without the container lock
        yield d.emit("restart.set_stopped", 75, exit_code=e.exit_code)
        if err.msg != restartmanager.ERR_RESTART_CANCELED:
            d.logf("error", f"restartmanger wait error: {err.msg}")
            yield d.emit("restart.wait_error", 78, msg=err.msg)
        yield from _auto_remove(d, c)
    return None
