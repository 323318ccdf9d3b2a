"""``daemon/stop.go``: ``ContainerStop`` and ``containerStop`` — the stop signal, a grace
period, then SIGKILL."""

from __future__ import annotations

from ..world.containers import Container
from . import container, events, kill, state
from .context import Daemon, Steps, go
from .errors import errorf, new_error_with_status_code
from .signal import DEFAULT_STOP_SIGNAL, SIGKILL, parse_signal

DEFAULT_STOP_TIMEOUT = 10  # container/container.go L53


@go("daemon.(*Daemon).ContainerStop", "daemon/stop.go", 19, 36)
def container_stop(d: Daemon, name: str, seconds: int | None) -> Steps:
    """304 for a container that is not running; else containerStop with the timeout."""
    c, err = yield from container.get_container(d, name)
    if err is not None:
        return err
    assert isinstance(c, Container)
    if not (yield from state.is_running(d, c)):
        yield d.emit("stop.not_running", 25, name=c.name)
        return new_error_with_status_code(errorf("Container %s is already stopped", name), 304)
    if seconds is None:
        seconds = c.config.stop_timeout if c.config.stop_timeout is not None \
            else DEFAULT_STOP_TIMEOUT
        yield d.emit("stop.timeout", 29, seconds=seconds)
    err = yield from _container_stop(d, c, seconds)
    if err is not None:
        return errorf("Cannot stop container %s: %s", name, err.msg)
    return None


def stop_signal(c: Container) -> int:
    """``container.StopSignal()``: Config.StopSignal, or SIGTERM."""
    sig = 0
    if c.config.stop_signal != "":
        sig, _ = parse_signal(c.config.stop_signal)  # -1 if it does not parse: kept
    if sig == 0:
        sig, _ = parse_signal(DEFAULT_STOP_SIGNAL)
    return sig


@go("daemon.(*Daemon).containerStop", "daemon/stop.go", 43, 83)
def _container_stop(d: Daemon, c: Container, seconds: int) -> Steps:
    """The stop signal; wait ``seconds``; then ``Kill``; then the ``stop`` event."""
    if not (yield from state.is_running(d, c)):
        return None
    yield d.emit("stop.healthchecks", 48)
    sig = stop_signal(c)
    yield d.emit("stop.signal", 52, signal=sig)
    err = yield from kill._kill_with_signal(d, c, sig)
    if err is not None:
        _, werr = yield from state.wait_stop(d, c, 2_000)
        if werr is not None:
            d.logf("info", f"Container failed to stop after sending signal {sig} to the "
                   "process, force killing")
            yield d.emit("stop.force", 65)
            err = yield from kill._kill_with_signal(d, c, SIGKILL)
            if err is not None:
                return err
    _, werr = yield from state.wait_stop(d, c, seconds * 1000 if seconds >= 0 else None)
    if werr is not None:
        d.logf("info", f"Container {c.id} failed to exit within {seconds} seconds of signal "
               f"{sig} - using the force")
        yield d.emit("stop.grace_over", 73, seconds=seconds, signal=sig)
        kerr = yield from kill.kill(d, c)
        if kerr is not None:
            yield from state.wait_stop(d, c, None)
            d.logf("warning", kerr.msg)
    events.log_container_event(d, c, "stop")
    yield d.emit("stop.event", 81)
    return None
