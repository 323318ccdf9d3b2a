"""``daemon/monitor.go``: ``StateChanged`` for ``start-container`` (called synchronously by
libcontainerd, while containerStart still holds the container lock)."""

from __future__ import annotations

from ..world.containers import Container
from . import container as container_mod
from . import events
from .context import Daemon, Steps, go


@go("daemon.(*Daemon).StateChanged", "daemon/monitor.go", 17, 137)
def state_changed(d: Daemon, c: Container, pid: int) -> Steps:
    """SetRunning, ToDisk, health monitor, the ``start`` event."""
    s = c.state
    s.error, s.running, s.restarting, s.exit_code, s.pid = "", True, False, 0, pid
    s.started_at = d.world.timestamp()
    yield d.emit("running.set_running", 109, pid=pid)
    c.has_been_manually_stopped = False
    c.has_been_started_before = True
    yield from container_mod.to_disk(d, c, 112, "running.to_disk")
    yield d.emit("running.health", 116)
    events.log_container_event(d, c, "start")
    yield d.emit("running.start_event", 117)
    return None
