"""libnetwork's ``sandbox_externalkey_unix.go``: the prestart hook's round trip.

runc runs ``dockerd libnetwork-setkey <container ID> <controller ID>``; that process sends the
key ``/proc/<pid>/ns/net`` over ``/run/docker/libnetwork/<controller ID>.sock`` to the running
daemon, whose ``processExternalKey`` calls ``sandbox.SetKey`` and writes back ``success`` or the
error's text.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..world import World
from ..world.containers import Container
from .context import LN, Daemon, Steps, go
from .errors import GoError, errorf, go_quote
from .libnetwork import sandbox

UDS_BASE = "/run/docker/libnetwork/"  # L18


@go("libnetwork.processSetKeyReexec", LN + "sandbox_externalkey_unix.go", 25, 56)
def process_set_key_reexec(d: Daemon, c: Container, pid: int) -> Steps:
    """The re-executed dockerd: read runc's state, send the key to the daemon. A failure is
    the line its deferred ``logrus.Fatalf`` (L29-33) writes to stderr before it exits 1; that
    text is what this returns as the error."""
    ctrl = d.world.network.controller_id
    yield d.emit("runtime.setkey_reexec", 54, pid=pid, ctrl=ctrl[:12])
    err = yield from set_external_key(d, c, ctrl, pid)
    if err is None:
        return None
    yield d.emit("runtime.setkey_fatal", 31, msg=err.msg)
    return GoError(fatal_line(d.world, err.msg))


@go("libnetwork.SetExternalKey", LN + "sandbox_externalkey_unix.go", 59, 74)
def set_external_key(d: Daemon, c: Container, ctrl: str, pid: int) -> Steps:
    """Dial the daemon's socket, send ``{ContainerID, Key}``; ``processReturn`` (L93-103) turns
    any answer but ``success`` back into an error with the same text."""
    uds = f"{UDS_BASE}{ctrl}.sock"
    err = d.fault("hook.setkey")
    if err is not None:
        yield d.emit("runtime.setkey_dial_failed", 66, uds=uds, msg=err.msg)
        return errorf("dial unix %s: %s", uds, err.msg)  # net.OpError, returned as it is
    return (yield from process_external_key(d, c, pid))


@go("libnetwork.(*controller).processExternalKey", LN + "sandbox_externalkey_unix.go", 154, 173)
def process_external_key(d: Daemon, c: Container, pid: int) -> Steps:
    """The daemon side: find the container's sandbox and ``SetKey``."""
    sb_id = d.world.network.sandbox_by_container.get(c.id)
    if sb_id is None:
        yield d.emit("runtime.setkey_no_sandbox", 169)
        return errorf("no sandbox present for %s", c.id)
    err = yield from sandbox.set_key(d, d.world.network.sandboxes[sb_id], pid)
    if err is not None:
        yield d.emit("runtime.setkey_failed", 172, msg=err.msg)
    return err


def fatal_line(world: World, msg: str) -> str:
    """What ``logrus.Fatalf`` writes when stderr is not a terminal (the hook's stderr is
    runc's buffer): logrus's TextFormatter, ``time`` in RFC 3339 to the second, then
    ``level`` and ``msg``, each value quoted with ``%q`` when it needs it, each pair followed
    by a space, then a newline (vendor/github.com/Sirupsen/logrus/text_formatter.go L59-100,
    L130-166)."""
    stamp = datetime.fromtimestamp(world.now() // 1_000_000_000, UTC)
    pairs = (("time", stamp.strftime("%Y-%m-%dT%H:%M:%SZ")), ("level", "fatal"), ("msg", msg))
    return "".join(f"{k}={v if _plain(v) else go_quote(v)} " for k, v in pairs) + "\n"


def _plain(text: str) -> bool:
    """logrus's ``needsQuoting``, inverted: only letters, digits, ``-`` and ``.``."""
    return all(ch.isascii() and (ch.isalnum() or ch in "-.") for ch in text)
