"""``containerd-shim`` at containerd 9048e5e (containerd-shim/main.go): the parent of the
container's init process. When that process exits the shim reaps it, writes its status to
``exitStatus``, runs ``runc delete`` and exits; the close of its exit fifo is how containerd
learns of the exit."""

from __future__ import annotations

from ..world.containerd import Process
from . import containerd
from .context import CONTAINERD, Daemon, Steps, go


@go("main.start", "containerd-shim/main.go", 61, 154, CONTAINERD)
def reap(d: Daemon, proc: Process) -> Steps:
    """SIGCHLD: the runtime's process has exited; record its status and leave."""
    cd = d.world.containerd
    cid, status = proc.container_id, proc.exit_code
    d.world.containerd.exiting.pop(proc.pid, None)
    cc = cd.containers.get(cid)
    yield d.emit("exit.process", 118, pid=proc.pid, exit_code=status,
                 argv=proc.argv)
    if cc is not None:
        cc.status = "stopped"
        d.world.files[f"{containerd.STATE}/{cid}/init/exitStatus"] = str(status)
    yield d.emit("exit.shim", 130, shim=cc.shim_pid if cc is not None else 0)
    d.go("containerd supervisor: ExitTask", containerd.exit_task, cid, status)
    return None
