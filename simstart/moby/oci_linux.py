"""``daemon/oci_linux.go``: ``createSpec`` builds the OCI runtime spec, setter by setter.

Every setter's error is wrapped as ``<prefix>: <inner>`` with ``fmt.Errorf``, which drops the
inner error's type: the HTTP status then comes from keywords alone.
"""

from __future__ import annotations

from typing import Any

from ..world.containers import Container
from ..world.layers import Mount
from . import container as container_mod
from . import container_operations, events, runconfig
from .context import Daemon, Steps, go
from .errors import GoError, GoPanic, errorf

DEFAULT_CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]


@go("daemon.(*Daemon).createSpec", "daemon/oci_linux.go", 652, 802)
def create_spec(d: Daemon, c: Container) -> Steps:
    """Step 3 of containerStart: the spec runc will be given in config.json."""
    yield d.emit("spec.default", 653)
    spec: dict[str, Any] = {
        "root": {"path": c.base_fs, "readonly": False},
        "process": {"args": [c.path, *c.args], "cwd": "/", "terminal": c.config.tty,
                    "env": [f"PATH={_image_path_env(d, c)}", f"HOSTNAME={c.config.hostname}",
                            *c.config.env],
                    "capabilities": list(DEFAULT_CAPS)},
        "hostname": c.config.hostname,
        "namespaces": {"mount": "", "network": "", "uts": "", "pid": "", "ipc": ""},
        "mounts": ["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue"],
        "hooks": [],
        "cgroupsPath": f"/docker/{c.id}",
    }
    yield d.emit("spec.common", 654, args=spec['process']['args'], hostname=c.config.hostname)
    yield d.emit("spec.cgroups", 676, id=c.id[:12])
    err = d.fault("oci.set_user")
    if err is not None:
        yield d.emit("spec.user_failed", 715)
        return None, errorf("linux spec user: %s", err.msg)
    yield d.emit("spec.user", 714)
    err = yield from set_namespaces(d, c, spec)
    if err is not None:
        yield d.emit("spec.namespaces_failed", 718)
        return None, errorf("linux spec namespaces: %s", err.msg)
    yield d.emit("spec.capabilities", 720,
                 "privileged" if c.host_config.privileged else "defaults")
    err = yield from setup_ipc_dirs(d, c, spec)
    if err is not None:
        return None, err
    yield d.emit("spec.secrets", 731)
    err = yield from setup_mounts(d, c, spec)
    if err is not None:
        return None, err
    yield d.emit("spec.set_mounts", 753, len_mounts=len(spec['mounts']))
    mode = c.host_config.network_mode
    if spec["namespaces"]["network"] == "" and not c.config.network_disabled:
        ctrl = d.world.network.controller_id
        hook = f"/usr/bin/dockerd libnetwork-setkey {c.id[:12]}… {ctrl[:12]}…"
        spec["hooks"] = [hook]
        yield d.emit("spec.hook", 766)
    else:
        yield d.emit("spec.no_hook", 758, "disabled" if c.config.network_disabled else "joined",
                     mode=None if c.config.network_disabled else mode)
    profile = ("unconfined" if c.host_config.privileged else "docker-default")
    if d.world.options.apparmor:
        yield d.emit("spec.apparmor", 780, profile=profile)
    return spec, None


def _image_path_env(d: Daemon, c: Container) -> str:
    image = d.world.layers.images.get(c.config.image)
    return image.path_env if image is not None else "/usr/local/sbin:/usr/local/bin:/usr/sbin:" \
        "/usr/bin:/sbin:/bin"


@go("daemon.setNamespaces", "daemon/oci_linux.go", 265, 348)
def set_namespaces(d: Daemon, c: Container, spec: dict[str, Any]) -> Steps:
    """The network namespace: join ``container:<x>``'s, the host's (sandbox key), or a new one."""
    mode = c.host_config.network_mode
    if c.config.network_disabled:
        yield d.emit("spec.netns", 279, "disabled")
        return None
    if runconfig.is_container(mode):
        nc, err = yield from container_operations.get_networked_container(
            d, c.id, runconfig.connected_container(mode))
        if err is not None:
            return err
        spec["namespaces"]["network"] = f"/proc/{nc.state.pid}/ns/net"
        yield d.emit("spec.netns", 296, "container", pid=nc.state.pid, name=nc.name)
    elif runconfig.is_host(mode):
        spec["namespaces"]["network"] = c.network_settings.sandbox_key
        yield d.emit("spec.netns", 295, "host", sandbox_key=c.network_settings.sandbox_key)
    else:
        yield d.emit("spec.netns", 297, "new")
    ipc = c.host_config.ipc_mode
    if ipc.startswith("container:"):
        ic, err = yield from get_ipc_container(d, c)
        if err is not None:
            return err
        spec["namespaces"]["ipc"] = f"/proc/{ic.state.pid}/ns/ipc"
        yield d.emit("spec.ipcns", 306, "container", pid=ic.state.pid, name=ic.name)
    elif ipc == "host":
        del spec["namespaces"]["ipc"]
        yield d.emit("spec.ipcns", 315, "host")
    return None


@go("daemon.(*Daemon).getIpcContainer", "daemon/container_operations_unix.go", 59, 66)
def get_ipc_container(d: Daemon, c: Container) -> Steps:
    """The short declaration on line 61 re-uses the parameter ``container``."""
    ref = c.host_config.ipc_mode.split(":", 1)[1]
    ic, err = yield from container_mod.get_container(d, ref)
    if err is not None:
        yield d.emit("spec.ipc_panic", 63)
        raise GoPanic("runtime error: invalid memory address or nil pointer dereference")
    if not ic.state.running:
        yield d.emit("spec.ipc_not_running", 65, name=ic.name)
        return None, errorf("container %s is not running", ic.id)
    if ic.state.restarting:
        yield d.emit("spec.ipc_restarting", 65, name=ic.name)
        return None, GoError(f"Container {ic.id} is restarting, wait until the container is "
                             "running", status=409)
    return ic, None


@go("daemon.(*Daemon).setupIpcDirs", "daemon/container_operations_unix.go", 91, 138)
def setup_ipc_dirs(d: Daemon, c: Container, spec: dict[str, Any]) -> Steps:
    """Mount a tmpfs for ``/dev/shm`` at ``<croot>/shm``."""
    shm = f"{c.croot()}/shm"
    ipc = c.host_config.ipc_mode
    if ipc.startswith("container:") or ipc == "host":
        yield d.emit("spec.shm", 96, "shared")
        return None
    err = d.fault("ipc.mount_shm")
    if err is not None:
        yield d.emit("spec.shm_failed", 127, root=c.croot())
        return errorf("mounting shm tmpfs: %s", err.msg)
    c.shm_path = shm
    d.world.mounts.mount(Mount(shm, "tmpfs", "shm", "mode=1777,size=67108864,noexec,nosuid,"
                               "nodev", owner=c.id))
    spec["mounts"].append("/dev/shm")
    yield d.emit("spec.shm", 127, "mounted", root=c.croot())
    return None


@go("daemon.(*Daemon).setupMounts", "daemon/volumes_unix.go", 27, 83)
def setup_mounts(d: Daemon, c: Container, spec: dict[str, Any]) -> Steps:
    """Each mount point set up (a missing bind source is *created*), a ``volume mount`` event
    for each volume, sorted by depth; then the network files."""
    for dest in sorted(c.mount_points, key=lambda p: (p.count("/"), p)):
        m = c.mount_points[dest]
        if m.destination in c.host_config.tmpfs:
            continue
        src = m.source
        yield from setup(d, src)
        spec["mounts"].append(m.destination)
        yield d.emit("spec.bind", 67, "rw" if m.rw else "ro", src=src, destination=m.destination)
        if m.type == "volume" and m.name in d.world.volumes:
            m.id = d.world.ids.hex64("volume-mount")
            events.log_volume_event(d, m.name, "mount", {
                "driver": m.driver or "local", "container": c.id,
                "destination": m.destination, "read/write": "true" if m.rw else "false",
                "propagation": m.propagation})
            yield d.emit("spec.volume_mount", 65, name=m.name[:12])
    if c.hostname_path or c.hosts_path or c.resolv_conf_path:
        spec["mounts"] += ["/etc/resolv.conf", "/etc/hostname", "/etc/hosts"]
        yield d.emit("spec.network_mounts", 72)
    return None


@go("volume.(*MountPoint).Setup", "volume/volume.go", 127, 169)
def setup(d: Daemon, src: str) -> Steps:
    """A bind source that does not exist is created as a directory."""
    if src not in d.world.files:
        d.world.files[src] = "<directory>"
        yield d.emit("spec.bind_created", 157, src=src)
    else:
        yield d.emit("spec.bind_source", 150, src=src)
    return None
