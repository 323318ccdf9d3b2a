"""``daemon/daemon_unix.go`` (and its neighbours): platform checks, the rootfs mount hooks,
log-config defaults and the IPC unmount of Cleanup."""

from __future__ import annotations

from ..world.containers import Container, HostConfig
from . import daemon
from .context import Daemon, Steps, go
from .errors import errorf


@go("daemon.verifyPlatformContainerSettings", "daemon/daemon_unix.go", 516, 580)
def verify_platform_container_settings(d: Daemon, hc: HostConfig) -> Steps:
    """Resources first, then the runtime (an empty one is *filled in*: validation mutates)."""
    opts = d.world.options
    err = yield from verify_container_resources(d, hc)
    if err is not None:
        return err
    if hc.runtime == "":
        hc.runtime = opts.default_runtime
        yield d.emit("validate.runtime", 566, "defaulted", default_runtime=opts.default_runtime)
    if hc.runtime not in opts.runtimes:
        yield d.emit("validate.runtime", 569, "unknown", runtime=hc.runtime)
        return errorf("Unknown runtime specified %s", hc.runtime)
    yield d.emit("validate.platform", 579)
    return None


@go("daemon.verifyContainerResources", "daemon/daemon_unix.go", 294, 477)
def verify_container_resources(d: Daemon, hc: HostConfig) -> Steps:
    """Memory and CPU limits against what this host supports."""
    if hc.memory != 0 and hc.memory < 4 * 1024 * 1024:
        yield d.emit("validate.memory", 298, memory=hc.memory)
        return errorf("Minimum memory limit allowed is 4MB")
    if hc.nano_cpus > 0 and hc.cpu_period > 0:
        yield d.emit("validate.cpu", 369, "period")
        return errorf("Conflicting options: Nano CPUs and CPU Period cannot both be set")
    if hc.nano_cpus > 0 and hc.cpu_quota > 0:
        yield d.emit("validate.cpu", 372, "quota")
        return errorf("Conflicting options: Nano CPUs and CPU Quota cannot both be set")
    yield d.emit("validate.resources", 298)
    return None


@go("daemon.(*Daemon).mergeAndVerifyLogConfig", "daemon/logs.go", 159, 177)
def merge_and_verify_log_config(d: Daemon, hc: HostConfig) -> Steps:
    """Fill the log driver from the daemon default."""
    if hc.log_driver == "":
        hc.log_driver = "json-file"
    yield d.emit("legacy.log_config", 160, log_driver=hc.log_driver)
    return None


@go("daemon.(*Daemon).adaptContainerSettings", "daemon/daemon_unix.go", 255, 292)
def adapt_container_settings(d: Daemon, hc: HostConfig) -> Steps:
    """Legacy path only: defaults for swap, shm size, swappiness and the security options."""
    yield d.emit("legacy.adapt", 256)
    return None


@go("daemon.(*Daemon).conditionalMountOnStart", "daemon/daemon_unix.go", 1145, 1147)
def conditional_mount_on_start(d: Daemon, c: Container) -> Steps:
    """On Linux, always ``daemon.Mount``."""
    yield d.emit("mount.begin", 1146)
    return (yield from daemon.mount(d, c))


@go("daemon.(*Daemon).conditionalUnmountOnCleanup", "daemon/daemon_unix.go", 1151, 1153)
def conditional_unmount_on_cleanup(d: Daemon, c: Container) -> Steps:
    """On Linux, always ``daemon.Unmount``."""
    yield d.emit("cleanup.unmount", 1152)
    return (yield from daemon.unmount(d, c))


@go("container.(*Container).UnmountIpcMounts", "container/container_unix.go", 214, 237)
def unmount_ipc_mounts(d: Daemon, c: Container) -> Steps:
    """Lazy-unmount ``<croot>/shm`` unless the IPC namespace is shared."""
    if c.host_config.ipc_mode.startswith("container:") or c.host_config.ipc_mode == "host":
        yield d.emit("cleanup.ipc", 216, "shared")
        return None
    shm = f"{c.croot()}/shm"
    if d.world.mounts.unmount(shm):
        yield d.emit("cleanup.ipc", 227, "unmount", root=c.croot())
    else:
        yield d.emit("cleanup.ipc", 227, "not_mounted", root=c.croot())
    return None
