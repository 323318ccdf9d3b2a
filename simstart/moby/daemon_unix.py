"""``daemon/daemon_unix.go`` (and its neighbours): platform checks, the rootfs mount hooks,
log-config defaults and the IPC unmount of Cleanup."""

from __future__ import annotations

from ..scenario.specs import parse_link
from ..world.containers import Container, HostConfig
from . import container as container_mod
from . import daemon, runconfig
from .context import Daemon, Steps, go
from .errors import errorf
from .gostd import atoi, go_clean

LINUX_MIN_MEMORY = 4 * 1024 * 1024  # daemon/daemon_unix.go linuxMinMemory


@go("daemon.verifyPlatformContainerSettings", "daemon/daemon_unix.go", 516, 580)
def verify_platform_container_settings(d: Daemon, hc: HostConfig) -> Steps:
    """Resources first, then shm, OOM score, cgroup parent, the runtime (an empty one is
    *filled in*: validation mutates), then the tmpfs destinations."""
    opts = d.world.options
    err = yield from verify_container_resources(d, hc)
    if err is not None:
        return err
    if hc.shm_size < 0:
        yield d.emit("validate.shm", 535, shm_size=hc.shm_size)
        return errorf("SHM size can not be less than 0")
    if hc.oom_score_adj < -1000 or hc.oom_score_adj > 1000:
        yield d.emit("validate.oom_score", 539, oom_score_adj=hc.oom_score_adj)
        return errorf("Invalid value %d, range for oom score adj is [-1000, 1000]",
                      hc.oom_score_adj)
    if hc.runtime == "":
        hc.runtime = opts.default_runtime
        yield d.emit("validate.runtime", 566, "defaulted", default_runtime=opts.default_runtime)
    if hc.runtime not in opts.runtimes:
        yield d.emit("validate.runtime", 570, "unknown", runtime=hc.runtime)
        return errorf("Unknown runtime specified %s", hc.runtime)
    for dest in hc.tmpfs:  # a Go map: its order is random upstream, sorted here
        msg = validate_tmpfs_mount_destination(dest)
        if msg is not None:
            yield d.emit("validate.tmpfs", 575, dest=dest)
            return errorf("%s", msg)
    yield d.emit("validate.platform", 579)
    return None


def validate_tmpfs_mount_destination(dest: str) -> str | None:
    """``volume.ValidateTmpfsMountDestination`` (volume/validate.go L135–140)."""
    if go_clean(dest) == "/":
        return "invalid specification: destination can't be '/'"
    if not dest.startswith("/"):
        return f"invalid mount path: '{dest}' mount path must be absolute"
    return None


def parse_uint_list(val: str) -> set[int] | None:
    """``parsers.ParseUintList``: "0-2,4" → {0, 1, 2, 4}; None for a bad list."""
    if val == "":
        return set()
    out: set[int] = set()
    for r in val.split(","):
        lo, dash, hi = r.partition("-")
        a, b = atoi(lo), atoi(hi) if dash else atoi(lo)
        if a is None or b is None or b < a:
            return None
        out.update(range(a, b + 1))
    return out


@go("daemon.verifyContainerResources", "daemon/daemon_unix.go", 294, 477)
def verify_container_resources(d: Daemon, hc: HostConfig) -> Steps:
    """Memory, CPU, cpuset and blkio limits against this host (every cgroup is mounted)."""
    opts = d.world.options

    def fail(line: int, msg: str) -> Steps:
        yield d.emit("validate.resources_failed", line, msg=msg)
        return errorf("%s", msg)

    if hc.memory != 0 and hc.memory < LINUX_MIN_MEMORY:
        return (yield from fail(299, "Minimum memory limit allowed is 4MB"))
    if hc.memory > 0 and hc.memory_swap > 0 and hc.memory_swap < hc.memory:
        return (yield from fail(313, "Minimum memoryswap limit should be larger than memory "
                                "limit, see usage"))
    if hc.memory == 0 and hc.memory_swap > 0:
        return (yield from fail(316, "You should always set the Memory limit when using "
                                "Memoryswap limit, see usage"))
    if hc.memory_swappiness is not None and not -1 <= hc.memory_swappiness <= 100:
        return (yield from fail(326, f"Invalid value: {hc.memory_swappiness}, valid memory "
                                "swappiness range is 0-100"))
    if 0 < hc.memory_reservation < LINUX_MIN_MEMORY:
        return (yield from fail(335, "Minimum memory reservation allowed is 4MB"))
    if hc.memory > 0 and hc.memory_reservation > 0 and hc.memory < hc.memory_reservation:
        return (yield from fail(338, "Minimum memory limit can not be less than memory "
                                "reservation limit, see usage"))
    if 0 < hc.kernel_memory < LINUX_MIN_MEMORY:
        return (yield from fail(346, "Minimum kernel memory limit allowed is 4MB"))
    if hc.nano_cpus > 0 and hc.cpu_period > 0:
        return (yield from fail(370, "Conflicting options: Nano CPUs and CPU Period cannot both "
                                "be set"))
    if hc.nano_cpus > 0 and hc.cpu_quota > 0:
        return (yield from fail(373, "Conflicting options: Nano CPUs and CPU Quota cannot both "
                                "be set"))
    if hc.nano_cpus < 0 or hc.nano_cpus > opts.cpus * 10**9:
        return (yield from fail(386, f"Range of CPUs is from 0.01 to {opts.cpus}.00, as there "
                                f"are only {opts.cpus} CPUs available"))
    if hc.cpu_period != 0 and not 1000 <= hc.cpu_period <= 1000000:
        return (yield from fail(400, "CPU cfs period can not be less than 1ms (i.e. 1000) or "
                                "larger than 1s (i.e. 1000000)"))
    if 0 < hc.cpu_quota < 1000:
        return (yield from fail(408, "CPU cfs quota can not be less than 1ms (i.e. 1000)"))
    if hc.cpu_percent > 0:
        d.logf("warning", "linux does not support CPU percent. Percent discarded.")
        hc.cpu_percent = 0
        yield d.emit("validate.cpu_percent", 410)
    available_cpus = f"0-{opts.cpus - 1}" if opts.cpus > 1 else "0"
    wanted = parse_uint_list(hc.cpuset_cpus)
    if wanted is None:
        return (yield from fail(425, f"Invalid value {hc.cpuset_cpus} for cpuset cpus"))
    if not wanted <= set(range(opts.cpus)):
        return (yield from fail(428, f"Requested CPUs are not available - requested "
                                f"{hc.cpuset_cpus}, available: {available_cpus}"))
    mems = parse_uint_list(hc.cpuset_mems)
    if mems is None:
        return (yield from fail(432, f"Invalid value {hc.cpuset_mems} for cpuset mems"))
    if not mems <= (parse_uint_list(opts.mems) or set()):
        return (yield from fail(435, f"Requested memory nodes are not available - requested "
                                f"{hc.cpuset_mems}, available: {opts.mems}"))
    if hc.blkio_weight > 0 and not 10 <= hc.blkio_weight <= 1000:
        return (yield from fail(445, "Range of blkio weight is from 10 to 1000"))
    if hc.io_maximum_bandwidth != 0 or hc.io_maximum_iops != 0:
        return (yield from fail(448, "Invalid QoS settings: linux does not support Maximum IO "
                                "Bandwidth or Maximum IO IOps"))
    yield d.emit("validate.resources", 476)
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


@go("daemon.(*Daemon).registerLinks", "daemon/daemon_unix.go", 1109, 1141)
def register_links(d: Daemon, c: Container, hc: HostConfig) -> Steps:
    """Each link's target found by GetContainer; a target sharing another container's network
    is followed to that container; a target in host mode is refused."""
    if runconfig.is_user_defined(hc.network_mode):
        yield d.emit("legacy.links_skipped", 1110, network_mode=hc.network_mode)
        return None
    for link in hc.links:
        name, alias, msg = parse_link(link)
        if msg is not None:
            yield d.emit("legacy.link_parse", 1116, link=link)
            return errorf("%s", msg)
        child, err = yield from container_mod.get_container(d, name)
        if err is not None:
            yield d.emit("legacy.link_target", 1120, name=name)
            return errorf("Could not get container for %s", name)
        while runconfig.is_container(child.host_config.network_mode):
            ref = child.host_config.network_mode.split(":", 1)[1]
            yield d.emit("legacy.link_follow", 1123, name=child.name, ref=ref)
            child, err = yield from container_mod.get_container(d, ref)
            if err is not None:
                return errorf("Could not get container for %s", ref)
        if runconfig.is_host(child.host_config.network_mode):
            yield d.emit("legacy.link_host", 1131, name=child.name)
            return errorf("conflicting options: host type networking can't be used with "
                          "links. This would result in undefined behavior")
        full = go_clean(f"{c.name}/{alias}")  # path.Join
        if not d.world.containers.reserve(full, child.id):
            d.logf("warning", f"error registering link for {c.id}, to {child.id}, as alias "
                   f"{alias}, ignoring: name is reserved")
            yield d.emit("legacy.link_reserved", 1133, full=full)
            continue
        yield d.emit("legacy.link", 1134, full=full, name=child.name)
    yield d.emit("legacy.write_hostconfig", 1140)
    return None
