"""``daemon/kill.go``: sending a signal to a container's init process, and ``Kill``
(SIGKILL, then wait for the exit)."""

from __future__ import annotations

from ..world.containers import Container
from . import container, containerd, events, libcontainerd, restartmanager, state
from .context import Daemon, Steps, go
from .errors import GoError, errorf
from .signal import SIGKILL, parse_signal, valid_signal_for_platform

UINT64 = 1 << 64


def err_not_running(c: Container) -> GoError:
    """``errNotRunning{containerID}`` (daemon/errors.go L16–26): it names the ID, not the name
    the client used."""
    return GoError(f"Container {c.id} is not running", kind="errNotRunning")


@go("daemon.(*Daemon).ContainerKill", "daemon/kill.go", 35, 50)
def container_kill(d: Daemon, name: str, sig: int) -> Steps:
    """No signal (0) or SIGKILL: ``Kill``; any other: send it and return."""
    c, err = yield from container.get_container(d, name)
    if err is not None:
        return err
    assert isinstance(c, Container)
    if sig != 0 and not valid_signal_for_platform(sig):
        yield d.emit("kill.unsupported", 42, signal=sig % UINT64)
        return errorf("The %s daemon does not support signal %d", "linux", sig % UINT64)
    if sig in (0, SIGKILL):
        yield d.emit("kill.sigkill", 47)
        return (yield from kill(d, c))
    return (yield from _kill_with_signal(d, c, sig))


@go("daemon.(*Daemon).killWithSignal", "daemon/kill.go", 57, 110)
def _kill_with_signal(d: Daemon, c: Container, sig: int) -> Steps:
    """Under the container lock: refuse a paused or stopped one, tell the restart manager not
    to restart it, mark it manually stopped, signal it, and send the ``kill`` event."""
    d.logf("debug", f"Sending kill signal {sig} to container {c.id}")
    holder = d.world.locks.get(c.id)
    if holder is not None:
        yield d.emit("kill.lock_wait", 59, holder=holder, name=c.name)
    yield from state.lock(d, c, "killWithSignal")
    try:
        yield d.emit("kill.lock", 59, signal=sig, name=c.name)
        if c.state.paused:
            yield d.emit("kill.paused", 64)
            return errorf("Container %s is paused. Unpause the container before stopping or "
                          "killing", c.id)
        if not c.state.running:
            yield d.emit("kill.not_running", 68, name=c.name)
            return err_not_running(c)
        if c.config.stop_signal != "":
            stop_sig, perr = parse_signal(c.config.stop_signal)
            if perr is not None:
                return perr
            if stop_sig == sig:
                restartmanager.cancel(restartmanager.restart_manager(c))
                yield d.emit("kill.exit_on_next", 77, "stop_signal", signal=sig)
        else:
            restartmanager.cancel(restartmanager.restart_manager(c))
            yield d.emit("kill.exit_on_next", 80, "any_signal", signal=sig)
        c.has_been_manually_stopped = True
        yield d.emit("kill.manually_stopped", 84)
        if c.state.restarting:
            yield d.emit("kill.restarting", 91)
            return None
        err = yield from libcontainerd.signal(d, c.id, sig)
        if err is not None:
            msg = f"Cannot kill container {c.id}: {err.msg}"
            if "container not found" in msg or "no such process" in msg:
                d.logf("warning", "container kill failed because of 'container not found' or "
                       f"'no such process': {msg}")
                yield d.emit("kill.ignored_error", 99, msg=msg)
            else:
                yield d.emit("kill.failed", 101, msg=msg)
                return errorf("%s", msg)
        events.log_container_event(d, c, "kill", {"signal": str(sig)})
        yield d.emit("kill.event", 108, signal=sig)
        return None
    finally:
        state.unlock(d, c)


@go("daemon.(*Daemon).Kill", "daemon/kill.go", 113, 149)
def kill(d: Daemon, c: Container) -> Steps:
    """SIGKILL, then wait for the container to stop (10 s, then a direct kill, then for
    ever)."""
    if not (yield from state.is_running(d, c)):
        yield d.emit("kill.not_running", 115, name=c.name)
        return err_not_running(c)
    err = yield from _kill_with_signal(d, c, SIGKILL)
    if err is not None:
        _, werr = yield from state.wait_stop(d, c, 2_000)
        if werr is not None:
            return err
    yield d.emit("kill.wait", 140)
    _, werr = yield from state.wait_stop(d, c, 10_000)  # killProcessDirectly's WaitStop
    if werr is not None and c.state.pid != 0:
        # container_operations_unix.go L228-238: syscall.Kill(pid, 9) from dockerd itself
        d.logf("info", f"Container {c.id[:12]} failed to exit within 10 seconds of kill - "
               "trying direct SIGKILL")
        yield d.emit("kill.direct", 140)
        proc = d.world.containerd.processes.get(c.state.pid)
        if proc is not None:
            yield from containerd.process_signal(d, proc, SIGKILL)
    yield from state.wait_stop(d, c, None)
    return None


def parse_form_signal(raw: str) -> tuple[int, GoError | None]:
    """The route's ``signal.ParseSignal`` of the ``signal`` form value ("" is none, 0)."""
    if raw == "":
        return 0, None
    return parse_signal(raw)
