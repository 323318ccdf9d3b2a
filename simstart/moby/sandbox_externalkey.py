"""libnetwork's ``sandbox_externalkey_unix.go``: the prestart hook's round trip.

runc runs ``dockerd libnetwork-setkey <container ID> <controller ID>``; that process sends the
key ``/proc/<pid>/ns/net`` over ``/run/docker/libnetwork/<controller ID>.sock`` to the running
daemon, whose ``processExternalKey`` calls ``sandbox.SetKey``.
"""

from __future__ import annotations

from ..world.containers import Container
from .context import LN, Daemon, Steps, go
from .errors import errorf
from .libnetwork import sandbox


@go("libnetwork.processSetKeyReexec", LN + "sandbox_externalkey_unix.go", 25, 56)
def process_set_key_reexec(d: Daemon, c: Container, pid: int) -> Steps:
    """The re-executed dockerd: read runc's state, send the key to the daemon."""
    ctrl = d.world.network.controller_id
    yield d.emit("runtime.setkey_reexec", 54, pid=pid, ctrl=ctrl[:12])
    return (yield from process_external_key(d, c, pid))


@go("libnetwork.(*controller).processExternalKey", LN + "sandbox_externalkey_unix.go", 154, 173)
def process_external_key(d: Daemon, c: Container, pid: int) -> Steps:
    """The daemon side: find the container's sandbox and ``SetKey``."""
    sb_id = d.world.network.sandbox_by_container.get(c.id)
    if sb_id is None:
        yield d.emit("runtime.setkey_no_sandbox", 169)
        return errorf("no sandbox present for %s", c.id)
    err = d.fault("hook.setkey")
    if err is not None:
        yield d.emit("runtime.setkey_failed", 172, msg=err.msg)
        return err
    return (yield from sandbox.set_key(d, d.world.network.sandboxes[sb_id], pid))
