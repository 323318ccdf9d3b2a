"""containerd 0.2 at 9048e5e: the CreateContainer RPC, the supervisor's worker, the shim.

``worker.Start`` runs ``runc create`` through the shim, then ``runc start``; only after the RPC
reply does it publish ``start-container`` — which libcontainerd drops (its handleEvent has no
case for it).
"""

from __future__ import annotations

from typing import Any

from ..world.containerd import ContainerdContainer, ContainerdEvent, Process
from ..world.containers import Container
from ..world.journal import adopt
from . import libcontainerd, runc
from .context import CONTAINERD, Daemon, Steps, go
from .errors import GoError, errorf
from .signal import SIGKILL, name_of

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
    """Container.Start (shim + runc create), monitors, process.Start (runc start), reply, then
    the start-container event. A failure answers the RPC first, then sends the DeleteTask."""
    cd = d.world.containerd
    cc = ContainerdContainer(c.id, bundle, options["runtime"])
    adopt(cc, cd.containers, c.id)
    cd.containers[c.id] = cc
    restore = f"{checkpoint_dir}/{checkpoint}" if checkpoint else ""
    pid, err = yield from container_start(d, c, cc, restore)
    if err is not None:
        return (yield from _fail(d, c, "start container", 52, err))
    yield d.emit("runtime.monitor", 61)
    if restore:
        cc.status = "running"
        yield d.emit("runtime.no_start", 79)
        err = None
    else:
        err = yield from runc.process_start(d, c, cc)
    if err is not None:
        return (yield from _fail(d, c, "start init process", 82, err))
    yield d.emit("runtime.reply", 94)
    notify_subscribers(d, ContainerdEvent("start-container", c.id))
    yield d.emit("runtime.start_event", 98)
    return pid, None


def _fail(d: Daemon, c: Container, what: str, line: int, err: GoError) -> Steps:
    """``t.Err <- err``, then ``SendTask(&DeleteTask{NoEvent: true})``: the reply goes first."""
    d.logf("error", f"containerd: {what}: {err.msg}")
    yield d.emit("runtime.worker_failed", line, msg=err.msg)
    d.go("containerd supervisor: DeleteTask", delete, c.id, 0, "", True)
    return 0, err


def notify_subscribers(d: Daemon, ev: ContainerdEvent) -> None:
    """``s.notifySubscribers``: the event goes out on the Events stream dockerd reads."""
    cd = d.world.containerd
    cd.events.append(ev)
    if not cd.reading_events:
        cd.reading_events = True
        d.go("libcontainerd: handleEventStream", libcontainerd.handle_event_stream)


@go("supervisor.(*Supervisor).delete", "supervisor/delete.go", 20, 50, CONTAINERD)
def delete(d: Daemon, cid: str, status: int, pid: str, no_event: bool) -> Steps:
    """Forget the container and ``runc delete`` it; unless NoEvent, publish the exit."""
    cd = d.world.containerd
    cc = cd.containers.get(cid)
    if cc is None:
        return None
    for p in (cc.init_pid, cc.shim_pid):
        if p in cd.processes:
            del cd.processes[p]
    del cd.containers[cid]
    for f in [f for f in d.world.files if f.startswith(f"{STATE}/{cid}/")]:
        del d.world.files[f]
    yield d.emit("runtime.delete_task", 23, "no_event" if no_event else "exit", id=cid[:12])
    if not no_event:
        notify_subscribers(d, ContainerdEvent("exit", cid, pid, status))
        yield d.emit("exit.notify", 37, id=cid[:12], status=status)
    return None


@go("supervisor.(*Supervisor).exit", "supervisor/exit.go", 16, 59, CONTAINERD)
def exit_task(d: Daemon, cid: str, status: int) -> Steps:
    """The ExitTask of a process whose shim closed its exit fifo: read the status, and for
    the init process, a DeleteTask."""
    d.logf("debug", f"containerd: process exited: id={cid} pid=init status={status}")
    yield d.emit("exit.supervisor", 28, id=cid[:12], status=status)
    return (yield from delete(d, cid, status, "init", False))


@go("server.(*apiServer).Signal", "api/grpc/server/server.go", 151, 161, CONTAINERD)
def signal(d: Daemon, cid: str, sig: int) -> Steps:
    """The Signal RPC: a SignalTask to the supervisor, which signals the init process."""
    cd = d.world.containerd
    cc = cd.containers.get(cid)
    proc = cd.processes.get(cc.init_pid) if cc is not None else None
    if proc is None:  # supervisor/signal.go L17-18: ErrContainerNotFound, through gRPC
        yield d.emit("kill.rpc", 157, "not_found", id=cid[:12])
        return errorf("rpc error: code = 2 desc = containerd: container not found")
    yield d.emit("kill.rpc", 156, "sent", pid=proc.pid, signal=sig)
    yield from process_signal(d, proc, sig)
    return None


@go("runtime.(*process).Signal", "runtime/process.go", 420, 422, CONTAINERD)
def process_signal(d: Daemon, proc: Process, sig: int) -> Steps:
    """``syscall.Kill(p.pid, sig)``. The kernel delivers it to PID 1 of the container's PID
    namespace, which ignores every signal it has no handler for, except SIGKILL."""
    c = d.world.containers.by_id.get(proc.container_id)
    handled = c.behaviour.signals if c is not None else {}
    if sig == SIGKILL:
        d.world.containerd.exiting[proc.pid], proc.exit_code = d.world.clock, 128 + SIGKILL
        yield d.emit("kill.delivered", 421, "killed", pid=proc.pid, exit_code=proc.exit_code)
    elif sig in handled:
        d.world.containerd.exiting[proc.pid], proc.exit_code = d.world.clock, handled[sig]
        yield d.emit("kill.delivered", 421, "handled", pid=proc.pid, signal=name_of(sig),
                     exit_code=proc.exit_code)
    else:
        yield d.emit("kill.delivered", 421, "ignored", pid=proc.pid, signal=name_of(sig))
    return None


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

