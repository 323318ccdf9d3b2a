"""containerd 0.2 at 9048e5e: the CreateContainer RPC, the supervisor's worker, the shim.

``worker.Start`` runs ``runc create`` through the shim, then ``runc start``; only after the RPC
reply does it publish ``start-container`` — which libcontainerd drops (its handleEvent has no
case for it).
"""

from __future__ import annotations

from typing import Any

from ..world.containerd import ContainerdContainer, Process
from ..world.containers import Container
from ..world.journal import adopt
from . import runc
from .context import CONTAINERD, Daemon, Steps, go
from .errors import GoError, errorf

STATE = "/var/run/docker/libcontainerd/containerd"


@go("server.(*apiServer).CreateContainer", "api/grpc/server/server.go", 44, 78, CONTAINERD)
def create_container(d: Daemon, c: Container, bundle: str, checkpoint: str,
                         checkpoint_dir: str, options: dict[str, Any]) -> Steps:
    """The gRPC handler: a StartTask to the supervisor, then wait for its answer."""
    err = d.fault("containerd.create_container")
    if err is not None:
        yield d.emit("runtime.rpc_error", 44, msg=err.msg)
        return 0, err
    yield d.emit("runtime.rpc", 66, bundle=bundle, runtime=options['runtime'])
    return (yield from worker_start(d, c, bundle, options, checkpoint, checkpoint_dir))


@go("supervisor.(*worker).Start", "supervisor/worker.go", 42, 104, CONTAINERD)
def worker_start(d: Daemon, c: Container, bundle: str, options: dict[str, Any],
                 checkpoint: str = "", checkpoint_dir: str = "") -> Steps:
    """Container.Start (shim + runc create), monitors, process.Start (runc start), reply."""
    cd = d.world.containerd
    cc = ContainerdContainer(c.id, bundle, options["runtime"])
    adopt(cc, cd.containers, c.id)
    cd.containers[c.id] = cc
    restore = f"{checkpoint_dir}/{checkpoint}" if checkpoint else ""
    pid, err = yield from container_start(d, c, cc, restore)
    if err is not None:
        d.logf("error", f"containerd: start container: {err.msg}")
        yield from _delete_task(d, c, cc)
        return 0, err
    yield d.emit("runtime.monitor", 61)
    if restore:
        cc.status = "running"
        yield d.emit("runtime.no_start", 79)
        err = None
    else:
        err = yield from runc.process_start(d, c, cc)
    if err is not None:
        d.logf("error", f"containerd: start init process: {err.msg}")
        yield from _delete_task(d, c, cc)
        return 0, err
    yield d.emit("runtime.reply", 94)
    d.logf("debug", f"libcontainerd: event unhandled: type:\"start-container\" id:\"{c.id}\"")
    yield d.emit("runtime.event_dropped", 98)
    return pid, None


def _delete_task(d: Daemon, c: Container, cc: ContainerdContainer) -> Steps:
    """``DeleteTask{NoEvent: true}``: runc delete, the shim and its state go."""
    cd = d.world.containerd
    for pid in (cc.init_pid, cc.shim_pid):
        if pid in cd.processes:
            del cd.processes[pid]
    del cd.containers[c.id]
    yield d.emit("runtime.delete_task", 53)


@go("runtime.(*container).Start", "runtime/container.go", 403, 436, CONTAINERD)
def container_start(d: Daemon, c: Container, cc: ContainerdContainer,
                            restore: str = "") -> Steps:
    """Exec ``docker-containerd-shim <id> <bundle> docker-runc``, wait for the pid file."""
    cd = d.world.containerd
    shim = d.world.ids.pid()
    cd.processes[shim] = Process(shim, f"docker-containerd-shim {c.id[:12]}… {cc.bundle} "
                                 "docker-runc", parent=cd.containerd_pid)
    cc.shim_pid = shim
    yield d.emit("runtime.shim", 408, shim=shim, state_dir=STATE, id=c.id[:12])
    if restore:
        pid, runc_err = yield from runc.restore(d, c, cc, restore)
    else:
        pid, runc_err = yield from runc.create(d, c, cc)
    return (yield from wait_for_create(d, cc, pid, runc_err))


@go("runtime.(*container).waitForCreate", "runtime/container.go", 601, 670, CONTAINERD)
def wait_for_create(d: Daemon, cc: ContainerdContainer, pid: int,
                    runc_err: GoError | None) -> Steps:
    """Poll for the pid file; if the shim died, look for the reason in the logs."""
    cd = d.world.containerd
    if runc_err is not None:
        # the shim exits quietly (errRuntime); runc's log.json holds the reason
        del cd.processes[cc.shim_pid]
        cc.shim_pid = 0
        yield d.emit("runtime.wait_for_create", 637)
        return 0, errorf("oci runtime error: %s", runc_err.msg)
    yield d.emit("runtime.created", 651, pid=pid)
    return pid, None

