"""``daemon/start.go``: ``ContainerStart``, ``containerStart`` and ``Cleanup``.

``containerStart`` runs under the container's lock. Its deferred function runs on every
return, and does the cleanup only when the named result ``err`` is non-nil; in Python that is
the ``finally`` block testing ``err``.
"""

from __future__ import annotations

from ..world.containers import Container, HostConfig
from ..world.journal import attach_to
from . import (
    container,
    container_linux,
    container_operations,
    daemon_unix,
    delete,
    events,
    libcontainerd,
    oci_linux,
    restartmanager,
    start_unix,
    state,
)
from .context import Daemon, Steps, go
from .errors import GoError, errorf, new_bad_request_error, new_error_with_status_code


@go("daemon.(*Daemon).ContainerStart", "daemon/start.go", 21, 87)
def container_start(
    d: Daemon, name: str, host_config: HostConfig | None, checkpoint: str, checkpoint_dir: str
) -> Steps:
    """The API entry point: validate, apply a legacy HostConfig, then ``containerStart``."""
    if checkpoint != "" and not d.world.options.experimental:
        yield d.emit("checks.experimental", 22)
        return new_bad_request_error(errorf("checkpoint is only supported in experimental mode"))

    yield d.emit("checks.lookup", 26, name=name)
    c, err = yield from container.get_container(d, name)
    if err is not None:
        return err
    assert isinstance(c, Container)

    if (yield from state.is_paused(d, c)):
        yield d.emit("checks.paused", 31, name=c.name)
        return errorf("Cannot start a paused container, try unpause instead.")

    if (yield from state.is_running(d, c)):
        yield d.emit("checks.running", 35, "restarting" if c.state.restarting else "running",
                     name=c.name)
        return new_error_with_status_code(errorf("Container already started"), 304)

    if host_config is not None:
        d.logf("warning", "DEPRECATED: Setting host configuration options when the container "
               "starts is deprecated and has been removed in Docker 1.12")
        yield d.emit("legacy.hostconfig", 45)
        old_network_mode = c.host_config.network_mode
        # it becomes the container's below: what the checks fill in is shown as a change
        attach_to(host_config, d.world)
        yield d.emit("legacy.security_opts", 47)
        err = yield from daemon_unix.merge_and_verify_log_config(d, host_config)
        if err is not None:
            return err
        err = yield from container.set_host_config(d, c, host_config)
        if err is not None:
            return err
        if old_network_mode != c.host_config.network_mode:
            c.network_settings.networks.clear()
            yield d.emit("legacy.network_mode", 60, old_network_mode=old_network_mode,
                         network_mode=c.host_config.network_mode)
            yield from container.to_disk(d, c, 61, "legacy.to_disk")
        yield d.emit("legacy.dns", 65)

    yield d.emit("checks.verify", 75)
    err = yield from container.verify_container_settings(d, c.host_config)
    if err is not None:
        return err
    if host_config is not None:
        yield from daemon_unix.adapt_container_settings(d, c.host_config)

    return (yield from _container_start(d, c, checkpoint, checkpoint_dir, True))


@go("daemon.(*Daemon).containerStart", "daemon/start.go", 98, 198)
def _container_start(
    d: Daemon, c: Container, checkpoint: str, checkpoint_dir: str, reset_restart_manager: bool
) -> Steps:
    """Mount, network, spec, and hand the container to containerd, all under its lock."""
    holder = d.world.locks.get(c.id)
    if holder is not None:
        yield d.emit("start.lock_wait", 100, holder=holder, name=c.name)
    yield from state.lock(d, c, "containerStart")
    yield d.emit("start.lock", 100, name=c.name)
    try:  # defer container.Unlock()
        err = yield from _container_start_locked(
            d, c, checkpoint, checkpoint_dir, reset_restart_manager)
    finally:
        state.unlock(d, c)
    yield d.emit("start.unlock", 101, name=c.name)
    return err


def _container_start_locked(
    d: Daemon, c: Container, checkpoint: str, checkpoint_dir: str, reset_restart_manager: bool
) -> Steps:
    """The body of containerStart once the lock is held (daemon/start.go L103–197)."""
    if reset_restart_manager and c.state.running:
        yield d.emit("start.raced", 103)
        return None
    if c.state.removal_in_progress or c.state.dead:
        yield d.emit("start.removal", 107, "removing" if c.state.removal_in_progress else "dead",
                     name=c.name)
        return errorf("Container is marked for removal and cannot be started.")

    err: GoError | None = None
    yield d.emit("start.defer", 113)
    try:
        err = yield from daemon_unix.conditional_mount_on_start(d, c)
        if err is not None:
            return err

        err = yield from container_operations.initialize_networking(d, c)
        if err is not None:
            return err

        spec, err = yield from oci_linux.create_spec(d, c)
        if err is not None:
            return err

        create_options, err = yield from start_unix.get_libcontainerd_create_options(d, c)
        if err is not None:
            return err

        if reset_restart_manager:
            restartmanager.reset_restart_manager(c, True)
            yield d.emit("start.restart_manager", 155)

        if checkpoint_dir == "":
            checkpoint_dir = f"{c.croot()}/checkpoints"
            yield d.emit("start.checkpoint_dir", 159, checkpoint_dir=checkpoint_dir)

        # if daemon.saveApparmorConfig(container); err != nil {  -- the result is dropped
        yield from container_linux.save_apparmor_config(d, c)
        yield d.emit("start.apparmor_bug", 162)

        create_err = yield from libcontainerd.create(
            d, c, checkpoint, checkpoint_dir, spec, create_options)
        if create_err is not None:
            err = yield from _translate_create_error(d, c, create_err)
            return err

        yield d.emit("start.done", 195)
        return None
    finally:
        if err is not None:
            yield from _on_error(d, c, err)


def _contains(s1: str, s2: str) -> bool:
    """The closure in containerStart: lower-cases only ``s1``."""
    return s2 in s1.lower()


def _translate_create_error(d: Daemon, c: Container, cerr: GoError) -> Steps:
    """The exit-code heuristics of daemon/start.go L167–192, quirks and all."""
    err_desc = cerr.msg  # grpc.ErrorDesc(err)
    d.logf("error", f"Create container failed with error: {err_desc}")
    yield d.emit("start.create_failed", 167, err_desc=err_desc)
    if _contains(err_desc, c.path) and (
        _contains(err_desc, "executable file not found")
        or _contains(err_desc, "no such file or directory")
        or _contains(err_desc, "system cannot find the file specified")
    ):
        c.state.exit_code = 127
        yield d.emit("start.exit_127", 179, path=c.path)
    elif any(_contains(err_desc, k) for k in ("executable file not found",
                                              "no such file or directory")):
        yield d.emit("start.exit_127_missed", 175, path=c.path)
    if _contains(err_desc, "permission denied"):
        c.state.exit_code = 126
        yield d.emit("start.exit_126", 183)
    if _contains(err_desc, "not a directory"):
        err_desc += (": Are you trying to mount a directory onto a file (or vice-versa)? Check "
                     "if the specified host path exists and is the expected type")
        c.state.exit_code = 127
        yield d.emit("start.enotdir", 187)
    yield d.emit("start.rewrap", 192)
    return errorf("%s", err_desc)


def _on_error(d: Daemon, c: Container, err: GoError) -> Steps:
    """The deferred function of containerStart (daemon/start.go L113–134)."""
    c.state.error = err.msg
    yield d.emit("cleanup.set_error", 115, msg=err.msg)
    if c.state.exit_code == 0:
        c.state.exit_code = 128
        yield d.emit("cleanup.exit_128", 118)
    else:
        yield d.emit("cleanup.exit_kept", 117, exit_code=c.state.exit_code)
    yield from container.to_disk(d, c, 120, "cleanup.to_disk")
    yield d.emit("cleanup.reset", 122)
    yield from cleanup(d, c)
    if c.host_config.auto_remove:
        state.unlock(d, c)  # ContainerRm takes the lock itself
        yield d.emit("cleanup.autoremove", 128, name=c.name)
        rm_err = yield from delete.container_rm(d, c.id, force=True, remove_volume=True)
        if rm_err is not None:
            d.logf("error", f"can't remove container {c.id}: {rm_err.msg}")
            yield d.emit("cleanup.autoremove_failed", 129, msg=rm_err.msg)
        yield from state.lock(d, c, "containerStart")


@go("daemon.(*Daemon).Cleanup", "daemon/start.go", 202, 229)
def cleanup(d: Daemon, c: Container) -> Steps:
    """Release the network, IPC mounts, the rootfs, secrets and volumes. Never fails."""
    yield d.emit("cleanup.begin", 203, name=c.name)
    yield from container_operations.release_network(d, c)
    yield from daemon_unix.unmount_ipc_mounts(d, c)
    yield from daemon_unix.conditional_unmount_on_cleanup(d, c)
    yield d.emit("cleanup.secrets", 215)
    if c.base_fs != "":
        for dest in sorted(c.mount_points):  # a Go map: our order is sorted, not random
            m = c.mount_points[dest]
            if m.type == "volume" and m.id != "" and m.name in d.world.volumes:
                m.id = ""
                events.log_volume_event(d, m.name, "unmount", {
                    "driver": m.driver or "local", "container": c.id})
        yield d.emit("cleanup.volumes", 224)
    yield d.emit("cleanup.attach", 228)
