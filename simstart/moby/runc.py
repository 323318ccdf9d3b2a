"""runc at 9c2d8d1 (docker-runc): ``create`` and ``start``.

``runc create`` makes the namespaces, runs ``runc init``, runs the prestart hooks — for
networking that is dockerd itself re-executed as ``libnetwork-setkey`` — and ``runc init``
looks the command up with ``exec.LookPath`` *before* it waits for ``start``. So a missing or
non-executable command is a *create* error.
"""

from __future__ import annotations

from ..world.containerd import ContainerdContainer, Process
from ..world.containers import Container
from . import container as container_mod
from . import copier, oci_linux, sandbox_externalkey
from .context import RUNC, Daemon, Steps, go
from .errors import errorf, go_quote
from .gostd import look_path, stat

__all__ = ["look_path", "stat"]


@go("runc create", "create.go", 51, 69, RUNC)
def create(d: Daemon, c: Container, cc: ContainerdContainer) -> Steps:
    """``docker-runc create``: start ``runc init`` and report any error to log.json."""
    cd = d.world.containerd
    yield d.emit("runtime.runc_create", 61)
    pid = d.world.ids.pid()
    cd.processes[pid] = Process(pid, "runc init", parent=cc.shim_pid)
    cc.init_pid = pid
    err = yield from init_process_start(d, c, cc, pid)
    if err is not None:
        del cd.processes[pid]
        cc.init_pid = 0
        msg = f"container_linux.go:247: starting container process caused {go_quote(err.msg)}"
        d.world.files[f"{cc.bundle}/log.json"] = msg
        yield d.emit("runtime.runc_create_failed", 63, go_quote_msg=go_quote(err.msg))
        return 0, errorf("%s", msg)
    return pid, None


@go("runc restore", "restore.go", 85, 118, RUNC)
def restore(d: Daemon, c: Container, cc: ContainerdContainer, image_path: str) -> Steps:
    """``docker-runc restore --image-path <dir>``: CRIU brings the checkpointed process back."""
    yield d.emit("runtime.runc_restore", 95, image_path=image_path)
    err = d.fault("runc.create")
    if err is not None:
        msg = f"criu failed: {err.msg}"
        d.world.files[f"{cc.bundle}/log.json"] = msg
        yield d.emit("runtime.runc_restore_failed", 117, "criu", msg=err.msg)
        return 0, errorf("%s", msg)
    pid = d.world.ids.pid()
    d.world.containerd.processes[pid] = Process(pid, " ".join(c.config.cmd), parent=cc.shim_pid)
    cc.init_pid = pid
    # restoreContainer (L113) → Restore → criuSwrk: CRIU's notifications come back to runc
    err = yield from criu_notifications(d, c, cc, pid)
    if err is not None:
        del d.world.containerd.processes[pid]
        cc.init_pid = 0
        d.world.files[f"{cc.bundle}/log.json"] = err.msg  # Restore adds no prefix of its own
        yield d.emit("runtime.runc_restore_failed", 117, "hook", msg=err.msg)
        return 0, err
    return pid, None


@go("libcontainer.(*linuxContainer).criuNotifications", "libcontainer/container_linux.go",
    1006, 1065, RUNC)
def criu_notifications(d: Daemon, c: Container, cc: ContainerdContainer, pid: int) -> Steps:
    """CRIU's ``setup-namespaces`` notification: runc runs the prestart hooks, with the
    restored pid (a restore's counterpart of the ``procHooks`` case of a create)."""
    if "prestart=none" in d.world.files.get(f"{cc.bundle}/config.json", ""):
        return None
    yield d.emit("runtime.hook", 1034, "restore")
    hook_err = yield from run_hook(d, c, pid)
    if hook_err is not None:
        return errorf("container_linux.go:1036: running prestart hook 0 caused %s",
                      go_quote(hook_err.msg))
    return None


@go("configs.Command.Run", "libcontainer/configs/config.go", 293, 332, RUNC)
def run_hook(d: Daemon, c: Container, pid: int) -> Steps:
    """The hook as a child process, runc's state as JSON on its stdin; a non-zero exit comes
    back with what the hook wrote to stdout (nothing) and stderr (L311-315)."""
    stderr = yield from sandbox_externalkey.process_set_key_reexec(d, c, pid)
    if stderr is None:
        return None
    return errorf("error running hook: exit status 1, stdout: , stderr: %s", stderr.msg)


@go("libcontainer.(*initProcess).start", "libcontainer/process_linux.go", 231, 373, RUNC)
def init_process_start(d: Daemon, c: Container, cc: ContainerdContainer, pid: int) -> Steps:
    """Namespaces and rootfs in the child; the prestart hooks in the parent; then Init."""
    spec_text = d.world.files.get(f"{cc.bundle}/config.json", "")
    new_netns = "netns=(new)" in spec_text
    yield d.emit("runtime.runc_init", 233, "new_netns" if new_netns else "joined_netns", pid=pid)
    err = d.fault("runc.create")
    if err is not None:
        yield d.emit("runtime.runc_init_failed", 300, msg=err.msg)
        return err
    if "prestart=none" not in spec_text:
        yield d.emit("runtime.hook", 332, "prestart")
        hook_err = yield from run_hook(d, c, pid)
        if hook_err is not None:
            return errorf("process_linux.go:334: running prestart hook 0 caused %s",
                          go_quote(hook_err.msg))
    return (yield from init(d, c))


@go("libcontainer.(*linuxStandardInit).Init", "libcontainer/standard_init_linux.go", 47, 181,
    RUNC)
def init(d: Daemon, c: Container) -> Steps:
    """In the container: chdir to the spec's cwd (finalizeNamespace), then look the command up
    in the spec's PATH *before* blocking on the exec fifo."""
    files = container_mod.rootfs_files(d.world, c)
    cwd = c.config.working_dir or "/"
    if cwd != "/":
        kind = container_mod.rootfs_kind(files, cwd)
        if kind != "dir":
            why = "no such file or directory" if kind is None else "not a directory"
            yield d.emit("runtime.chdir_failed", 138, cwd=cwd, why=why)
            return errorf("chdir to cwd (%s) set in config.json failed: %s", go_quote(cwd), why)
    # the environment runc init was given (populateProcessEnvironment): the spec's
    if oci_linux.uses_init(d, c):  # args[0] is /dev/init, bind-mounted from the host
        yield d.emit("runtime.lookpath_init", 154, path=c.path)
        return None
    env = oci_linux.create_daemon_environment(c, c.config.tty, [])
    err = look_path(files, oci_linux.env_path(env), c.path, cwd)
    if err is None:
        yield d.emit("runtime.lookpath", 154, path=c.path)
        return None
    yield d.emit("runtime.lookpath_failed", 154, path=c.path, msg=err.msg)
    return err


@go("runtime.(*process).Start", "runtime/process.go", 426, 460,
    "containerd/containerd@9048e5e")
def process_start(d: Daemon, c: Container, cc: ContainerdContainer) -> Steps:
    """``docker-runc start <id>``: the init process execs the command."""
    err = d.fault("runc.start")
    if err is not None:
        yield d.emit("runtime.runc_start_failed", 436, msg=err.msg)
        return errorf("exit status 1: %s", go_quote(err.msg + "\n"))
    proc = d.world.containerd.processes[cc.init_pid]
    proc.argv = " ".join(c.config.cmd)
    proc.container_id = c.id
    b = c.behaviour
    if b.exit_after_ms >= 0:  # the program ends by itself: the host makes it exit then
        d.world.containerd.exiting[proc.pid] = d.world.clock + b.exit_after_ms
        proc.exit_code = b.exit_code
    cc.status = "running"
    yield d.emit("runtime.runc_start", 430, init_pid=cc.init_pid, argv=proc.argv)
    if c.host_config.log_driver != "none":  # startLogging started a copier for each stream
        for stream in ("stdout", "stderr"):
            if getattr(b, stream):
                d.go(f"log copier ({stream})", copier.copy_src, c, stream)
    return None
