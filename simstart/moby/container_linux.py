"""``daemon/container_linux.go``: ``saveApparmorConfig`` (its error is never looked at)."""

from __future__ import annotations

from ..world.containers import Container
from .context import Daemon, Steps, go


@go("daemon.(*Daemon).saveApparmorConfig", "daemon/container_linux.go", 9, 29)
def save_apparmor_config(d: Daemon, c: Container) -> Steps:
    """Set the persisted AppArmorProfile (after createSpec: it never reaches the spec)."""
    c.apparmor_profile = ""
    if not d.world.options.apparmor:
        yield d.emit("start.apparmor", 13, "disabled")
        return d.fault("apparmor.parse")
    c.apparmor_profile = "unconfined" if c.host_config.privileged else "docker-default"
    err = d.fault("apparmor.parse")
    yield d.emit("start.apparmor", 20, "parse_error" if err else "saved",
                 apparmor_profile=c.apparmor_profile, msg=err.msg if err else None)
    return err
