"""``runconfig``: decoding the deprecated start-time HostConfig (runconfig/hostconfig.go L14–24,
runconfig/config_unix.go L22–59, with Go 1.7's encoding/json), and the network-mode helpers
of ``container.NetworkMode``."""

from __future__ import annotations

from typing import Any

from ..world.containers import HostConfig, PortBinding
from . import gojson
from .errors import GoError, errorf


def _host_config(g: dict[str, Any]) -> HostConfig:
    """The decoded Go ``container.HostConfig`` as the world keeps it."""
    r = g["Resources"]
    bindings: list[PortBinding] = []
    # PortBindings is a Go map (nat.PortMap): no order of its own; sorted() stands in for it.
    for port, hosts in sorted((g["PortBindings"] or {}).items()):
        for h in hosts or []:
            bindings.append(PortBinding(port, h["HostIP"], h["HostPort"]))
    return HostConfig(
        network_mode=g["NetworkMode"], port_bindings=bindings, auto_remove=g["AutoRemove"],
        binds=list(g["Binds"] or []), restart_policy=g["RestartPolicy"]["Name"],
        restart_max_retries=g["RestartPolicy"]["MaximumRetryCount"], runtime=g["Runtime"],
        log_driver=g["LogConfig"]["Type"], log_opts=dict(g["LogConfig"]["Config"] or {}),
        ipc_mode=g["IpcMode"], links=list(g["Links"] or []), privileged=g["Privileged"],
        init=g["Init"], memory=r["Memory"], nano_cpus=r["NanoCPUs"], cpu_period=r["CPUPeriod"],
        cpu_quota=r["CPUQuota"], memory_swap=r["MemorySwap"],
        memory_reservation=r["MemoryReservation"], memory_swappiness=r["MemorySwappiness"],
        kernel_memory=r["KernelMemory"], oom_kill_disable=r["OomKillDisable"],
        pids_limit=r["PidsLimit"], cpu_shares=r["CPUShares"], cpu_percent=r["CPUPercent"],
        cpuset_cpus=r["CpusetCpus"], cpuset_mems=r["CpusetMems"], blkio_weight=r["BlkioWeight"],
        io_maximum_bandwidth=r["IOMaximumBandwidth"], io_maximum_iops=r["IOMaximumIOps"],
        cgroup_parent=r["CgroupParent"], shm_size=g["ShmSize"], oom_score_adj=g["OomScoreAdj"],
        pid_mode=g["PidMode"], userns_mode=g["UsernsMode"], uts_mode=g["UTSMode"],
        volume_driver=g["VolumeDriver"], volumes_from=list(g["VolumesFrom"] or []),
        devices=[f"{m['PathOnHost']}:{m['PathInContainer']}:{m['CgroupPermissions']}"
                 for m in r["Devices"] or []],
        extra_hosts=list(g["ExtraHosts"] or []), tmpfs=dict(g["Tmpfs"] or {}),
        mounts=[dict(m) for m in g["Mounts"] or []],
        security_opt=list(g["SecurityOpt"] or []), dns=g["DNS"], dns_options=g["DNSOptions"],
        dns_search=g["DNSSearch"], cap_add=list(g["CapAdd"] or []),
        cap_drop=list(g["CapDrop"] or []), readonly_rootfs=g["ReadonlyRootfs"],
        publish_all_ports=g["PublishAllPorts"],
    )


def get_host_config(w: dict[str, Any]) -> dict[str, Any] | None:
    """``ContainerConfigWrapper.getHostConfig`` (runconfig/config_unix.go L22–59).

    The flat (embedded) HostConfig is used when there is no inner one; when both exist the
    inner one wins, except that five deprecated flat values fill its empty ones; the
    top-level ``Cpuset`` fills an empty ``CpusetCpus``.
    """
    hc, inner = w["HostConfig"], w["InnerHostConfig"]
    if hc is None and inner is not None:
        hc = inner
    elif inner is not None:
        hr, ir = hc["Resources"], inner["Resources"]
        for key in ("Memory", "MemorySwap", "CPUShares"):
            if hr[key] != 0 and ir[key] == 0:
                ir[key] = hr[key]
        if hr["CpusetCpus"] != "" and ir["CpusetCpus"] == "":
            ir["CpusetCpus"] = hr["CpusetCpus"]
        if hc["VolumeDriver"] != "" and inner["VolumeDriver"] == "":
            inner["VolumeDriver"] = hc["VolumeDriver"]
        hc = inner
    if hc is not None and w["Cpuset"] != "" and hc["Resources"]["CpusetCpus"] == "":
        hc["Resources"]["CpusetCpus"] = w["Cpuset"]
    if hc is not None and hc["NetworkMode"] == "":
        hc["NetworkMode"] = "default"  # SetDefaultNetModeIfBlank
    out: dict[str, Any] | None = hc  # decoded JSON: a dict, or None (no HostConfig at all)
    return out


def decode_host_config(body: str) -> tuple[HostConfig | None, GoError | None]:
    """``DecodeHostConfig`` (runconfig/hostconfig.go L14–24): Go's decoder, then getHostConfig.

    ``(None, None)`` when the body sets no HostConfig field at all (Go leaves both embedded
    pointers nil): then nothing is applied at start.
    """
    w, msg = gojson.decode(body, gojson.CONTAINER_CONFIG_WRAPPER)
    if msg is not None:
        return None, errorf("%s", msg)
    hc = get_host_config(w)
    if hc is None:
        return None, None
    return _host_config(hc), None


def set_default_net_mode_if_blank(hc: HostConfig) -> None:
    """``SetDefaultNetModeIfBlank``: "" becomes "default"."""
    if hc.network_mode == "":
        hc.network_mode = "default"


def is_container(mode: str) -> bool:
    """``NetworkMode.IsContainer``."""
    return mode.startswith("container:")


def connected_container(mode: str) -> str:
    """``NetworkMode.ConnectedContainer``: what follows ``container:``."""
    return mode.split(":", 1)[1] if is_container(mode) else ""


def is_host(mode: str) -> bool:
    """``NetworkMode.IsHost``."""
    return mode == "host"


def is_default(mode: str) -> bool:
    """``NetworkMode.IsDefault``."""
    return mode == "default"


def is_bridge(mode: str) -> bool:
    """``NetworkMode.IsBridge``."""
    return mode == "bridge"


def network_name(mode: str) -> str:
    """``NetworkMode.NetworkName``: default maps to the daemon's default network, bridge."""
    if mode in ("default", "bridge", ""):
        return "bridge"
    if is_container(mode):
        return "container"
    return mode


def is_none(mode: str) -> bool:
    """``NetworkMode.IsNone``."""
    return mode == "none"


def is_user_defined(mode: str) -> bool:
    """``NetworkMode.IsUserDefined``: none of default, bridge, host, none, container:<x>."""
    return not (is_default(mode) or is_bridge(mode) or is_host(mode) or is_none(mode)
                or is_container(mode))
