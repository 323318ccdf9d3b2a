"""``restartmanager/restartmanager.go``: whether a container that exited starts again, and
after how long (100 ms, doubling up to a minute; back to 100 ms after a run of 10 s or more)."""

from __future__ import annotations

from ..world.containers import Container, RestartManager
from . import gosync
from .context import Daemon, Steps, go
from .errors import GoError, errorf

BACKOFF_MULTIPLIER = 2
DEFAULT_TIMEOUT_MS = 100
MAX_RESTART_TIMEOUT_MS = 60_000
ERR_RESTART_CANCELED = "restart canceled"


def policy_of(c: Container) -> tuple[str, int]:
    """The container's RestartPolicy: its name and MaximumRetryCount."""
    return c.host_config.restart_policy, c.host_config.restart_max_retries


def restart_manager(c: Container) -> RestartManager:
    """``container.RestartManager()``: made on first use from the policy and RestartCount."""
    if c.restart_manager is None:
        name, max_retries = policy_of(c)
        c.restart_manager = RestartManager(name, max_retries, c.restart_count)
    return c.restart_manager


def reset_restart_manager(c: Container, reset_count: bool) -> None:
    """``container.ResetRestartManager`` (container/container.go L852–860): cancel the old
    manager, forget it, and zero RestartCount if asked."""
    if c.restart_manager is not None:
        cancel(c.restart_manager)
    if reset_count:
        c.restart_count = 0
    c.restart_manager = None


def cancel(rm: RestartManager) -> None:
    """``Cancel`` (L125–132): once; a pending wait ends with ErrRestartCanceled."""
    rm.canceled = True


@go("restartmanager.(*restartManager).ShouldRestart", "restartmanager/restartmanager.go",
    50, 123)
def should_restart(d: Daemon, c: Container, exit_code: int, manually_stopped: bool,
                   ran_ms: int) -> Steps:
    """(restart, the manager to wait on, err). A restart starts the backoff timer."""
    rm = restart_manager(c)
    if rm.policy in ("no", ""):
        yield d.emit("exit.should_restart", 52, "none", policy=rm.policy or "no")
        return False, None
    if rm.canceled:
        yield d.emit("exit.should_restart", 63, "canceled")
        return False, errorf("%s", ERR_RESTART_CANCELED)
    if rm.active:
        yield d.emit("exit.should_restart", 67, "active")
        return False, errorf("invalid call on an active restart manager")
    if ran_ms >= 10_000:
        rm.timeout_ms = 0
    if rm.timeout_ms == 0:
        rm.timeout_ms = DEFAULT_TIMEOUT_MS
    elif rm.timeout_ms < MAX_RESTART_TIMEOUT_MS:
        rm.timeout_ms = rm.timeout_ms * BACKOFF_MULTIPLIER
    if rm.timeout_ms > MAX_RESTART_TIMEOUT_MS:
        rm.timeout_ms = MAX_RESTART_TIMEOUT_MS
    restart = exhausted = False
    if rm.policy == "always" or (rm.policy == "unless-stopped" and not manually_stopped):
        restart = True
    elif rm.policy == "on-failure":
        # the default value of 0 for MaximumRetryCount means: no maximum
        if rm.max_retries == 0 or rm.restart_count < rm.max_retries:
            restart = exit_code != 0
        else:
            exhausted = True
    if not restart:
        rm.active = False
        if exhausted:
            yield d.emit("exit.should_restart", 99, "retries_exhausted",
                         restart_count=rm.restart_count, max_retries=rm.max_retries)
        elif rm.policy == "unless-stopped":
            yield d.emit("exit.should_restart", 99, "manually_stopped")
        elif rm.policy == "on-failure":
            yield d.emit("exit.should_restart", 99, "success")
        else:
            yield d.emit("exit.should_restart", 99, "no_restart", policy=rm.policy)
        return False, None
    rm.restart_count = rm.restart_count + 1
    rm.active = True
    rm.wait_result = ""  # ch := make(chan error): a new channel for this wait
    yield d.emit("exit.should_restart", 109, "restart", policy=rm.policy,
                 timeout_ms=rm.timeout_ms, ran_ms=ran_ms, restart_count=rm.restart_count)
    d.go("restart manager timer", _timer, rm)
    return True, None


@go("restartmanager.(*restartManager).ShouldRestart.func2",
    "restartmanager/restartmanager.go", 109, 120)
def _timer(d: Daemon, rm: RestartManager) -> Steps:
    """The goroutine behind ``wait``: a cancel, or ``time.After(rm.timeout)``."""
    came = yield from gosync.wait(d, lambda: rm.canceled, rm.timeout_ms)
    if came:
        rm.wait_result = ERR_RESTART_CANCELED
        yield d.emit("restart.canceled", 112)
        return None
    rm.active = False
    rm.wait_result = "fired"
    yield d.emit("restart.timer", 116, timeout_ms=rm.timeout_ms)
    return None


def wait(d: Daemon, rm: RestartManager) -> gosync.Blocks:
    """``err := <-wait``: nil when the timer fired, ErrRestartCanceled on a cancel."""
    yield from gosync.wait(d, lambda: rm.wait_result != "")
    return None if rm.wait_result == "fired" else GoError(ERR_RESTART_CANCELED)
