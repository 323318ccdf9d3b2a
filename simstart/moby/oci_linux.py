"""``daemon/oci_linux.go``: ``createSpec`` builds the OCI runtime spec, setter by setter.

Every setter's error is wrapped as ``<prefix>: <inner>`` with ``fmt.Errorf``, which drops the
inner error's type: the HTTP status then comes from keywords alone.
"""

from __future__ import annotations

from typing import Any

from ..scenario.specs import image_name
from ..world.containers import Container
from ..world.layers import Mount
from . import container as container_mod
from . import container_operations, events, runconfig
from .context import Daemon, Steps, go
from .errors import GoError, GoPanic, errorf, go_quote
from .gostd import find_path, go_clean, stat

DEFAULT_CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]
DEFAULT_PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # system.


@go("daemon.(*Daemon).createSpec", "daemon/oci_linux.go", 652, 802)
def create_spec(d: Daemon, c: Container) -> Steps:
    """Step 3 of containerStart: the spec runc will be given in config.json."""
    yield d.emit("spec.default", 653)
    spec: dict[str, Any] = {
        "root": {"path": "", "readonly": False},
        "process": {"args": [], "cwd": "/", "terminal": False, "env": [],
                    "user": {"uid": 0, "gid": 0, "additionalGids": []},
                    "capabilities": list(DEFAULT_CAPS)},
        "hostname": "",
        "namespaces": {"mount": "", "network": "", "uts": "", "pid": "", "ipc": ""},
        "mounts": ["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue"],
        "hooks": [],
        "cgroupsPath": f"/docker/{c.id}",
    }
    err = yield from populate_common_spec(d, spec, c)
    if err is not None:
        return None, err
    yield d.emit("spec.common", 654, args=spec['process']['args'], hostname=c.config.hostname)
    yield d.emit("spec.cgroups", 676, id=c.id[:12])
    err = yield from set_devices(d, spec, c)
    if err is not None:
        yield d.emit("spec.devices_failed", 709)
        return None, errorf("linux runtime spec devices: %s", err.msg)
    err = d.fault("oci.set_user")
    if err is None:
        err = yield from set_user(d, spec, c)
    if err is not None:
        yield d.emit("spec.user_failed", 715)
        return None, errorf("linux spec user: %s", err.msg)
    yield d.emit("spec.user", 714, "as_user" if c.config.user else "root",
                 user=c.config.user, uid=spec["process"]["user"]["uid"],
                 gid=spec["process"]["user"]["gid"])
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


@go("daemon.(*Daemon).populateCommonSpec", "daemon/oci_linux.go", 600, 650)
def populate_common_spec(d: Daemon, spec: dict[str, Any], c: Container) -> Steps:
    """Root, the working directory (created), args, cwd, the environment, the terminal."""
    linked_env, err = yield from container_operations.setup_linked_containers(d, c)
    if err is not None:
        return err
    spec["root"] = {"path": c.base_fs, "readonly": c.host_config.readonly_rootfs}
    err = yield from setup_working_directory(d, c)
    if err is not None:
        return err
    cwd = c.config.working_dir or "/"
    spec["process"]["args"] = [c.path, *c.args]
    hc, opts = c.host_config, d.world.options
    if uses_init(d, c):
        spec["process"]["args"] = ["/dev/init", "--", c.path, *c.args]
        path = opts.init_path
        if path == "":
            path, err = find_path(d.world.host_kinds(), opts.path_env, "docker-init")
            if err is not None:
                yield d.emit("spec.init", 628, "not_found", path_env=opts.path_env)
                return err
        spec["mounts"].append("/dev/init")
        yield d.emit("spec.init", 636, "given" if opts.init_path else "found", path=path,
                     why="HostConfig.Init" if hc.init else "dockerd --init")
    spec["process"]["cwd"] = cwd
    spec["process"]["env"] = create_daemon_environment(c, c.config.tty, linked_env)
    spec["process"]["terminal"] = c.config.tty
    spec["hostname"] = c.config.hostname
    return None


def uses_init(d: Daemon, c: Container) -> bool:
    """docker-init is the process runc starts: a private PID namespace, and Init set, or
    unset and the daemon's --init (oci_linux.go L622–624)."""
    hc = c.host_config
    return pid_is_private(hc.pid_mode) and (
        hc.init is True or (hc.init is None and d.world.options.init))


def pid_is_private(mode: str) -> bool:
    """``PidMode.IsPrivate``: neither host nor ``container:…`` (api/types/container/
    host_config.go L182–195; ``IsContainer`` splits once, so ``container:`` alone counts)."""
    return not (mode == "host" or (mode.startswith("container:")))


def pid_container(mode: str) -> str:
    """``PidMode.Container``: what follows the first ':'."""
    return mode.split(":", 1)[1] if ":" in mode else ""


def create_daemon_environment(c: Container, tty: bool, linked_env: list[str]) -> list[str]:
    """``container.CreateDaemonEnvironment`` (container/container_unix.go L56–71): PATH,
    HOSTNAME, TERM for a terminal and the links' variables, then the container's own
    ``Config.Env`` replaces or is appended (``ReplaceOrAppendEnvValues``, container/env.go
    L9–43: a name without ``=`` unsets it)."""
    defaults = [f"PATH={DEFAULT_PATH_ENV}", f"HOSTNAME={c.config.hostname}"]
    if tty:
        defaults.append("TERM=xterm")
    defaults += linked_env
    cache = {e.split("=", 1)[0]: i for i, e in enumerate(defaults)}
    for value in c.config.env:
        if "=" not in value:
            if value in cache:
                defaults[cache[value]] = ""
            continue
        name = value.split("=", 1)[0]
        if name in cache:
            defaults[cache[name]] = value
        else:
            defaults.append(value)
    return [e for e in defaults if e != ""]


def env_path(env: list[str]) -> str:
    """``os.Getenv("PATH")`` in a process given ``env`` (the last setting wins, as Setenv)."""
    path = ""
    for e in env:
        name, _, value = e.partition("=")
        if name == "PATH":
            path = value
    return path


@go("container.(*Container).SetupWorkingDirectory", "container/container.go", 218, 240)
def setup_working_directory(d: Daemon, c: Container) -> Steps:
    """``MkdirAllNewAs`` of the working directory inside the root filesystem.

    A path that exists already, even as a *file*, is left alone (idtools' mkdirAs returns nil
    when its first ``os.Stat`` succeeds), so the file is only found by runc's chdir. A file
    *above* it makes ``os.MkdirAll`` fail with its ``*PathError``, returned as it is; the
    ``Cannot mkdir: … is not a directory`` branch needs the path to turn into a file in
    between, which nothing on the start path does.
    """
    if c.config.working_dir == "":
        return None
    c.config.working_dir = go_clean(c.config.working_dir)
    wd = c.config.working_dir
    files = container_mod.rootfs_files(d.world, c)
    kind = container_mod.rootfs_kind(files, wd)
    if kind is not None:
        yield d.emit("spec.workdir", 230, "exists" if kind == "dir" else "is_file",
                     working_dir=wd)
        return None
    parts = [p for p in wd.split("/") if p]
    made: list[str] = []
    for i in range(1, len(parts) + 1):
        sub = "/" + "/".join(parts[:i])
        k = container_mod.rootfs_kind(files, sub)
        if k in ("exec", "file"):
            yield d.emit("spec.workdir", 236, "enotdir", working_dir=wd, file=sub)
            for made_dir in made:  # MkdirAll made the ones above before it failed
                container_mod.rootfs_write(d.world, c, made_dir, "<directory>")
            return errorf("mkdir %s%s: not a directory", c.base_fs, sub)
        if k is None:
            made.append(sub)
    for made_dir in made:
        container_mod.rootfs_write(d.world, c, made_dir, "<directory>")
    yield d.emit("spec.workdir", 230, "created", working_dir=wd, upper=container_mod.upper_dir(
        d.world, c))
    return None


@go("daemon.setUser", "daemon/oci_linux.go", 176, 185)
def set_user(d: Daemon, spec: dict[str, Any], c: Container) -> Steps:
    """getUser, then the spec's uid, gid and additional gids."""
    ids, err = yield from get_user(d, c, c.config.user)
    if err is not None:
        return err
    uid, gid, sgids = ids
    spec["process"]["user"] = {"uid": uid, "gid": gid, "additionalGids": sgids}
    return None


@go("daemon.getUser", "daemon/oci_linux.go", 195, 238)
def get_user(d: Daemon, c: Container, username: str) -> Steps:
    """``/etc/passwd`` and ``/etc/group`` read from the root filesystem; a file that cannot be
    opened reads as empty (a nil ``*os.File`` in a non-nil ``io.Reader``: its Read fails,
    the Scanner stops, and the parser never asks why)."""
    image = d.world.layers.images.get(image_name(c.config.image))
    passwd = list(image.passwd) if image is not None else []
    group = list(image.group) if image is not None else []
    user, err = get_exec_user(username, passwd, group)
    if err is not None:
        yield d.emit("spec.user_lookup", 214, "failed", user=username, msg=err.msg)
        return None, err
    if username:
        yield d.emit("spec.user_lookup", 213, "found", user=username, uid=user[0], gid=user[1])
    return user, None


MAX_ID = 2**31 - 1  # libcontainer/user maxId


def _go_atoi(s: str) -> int | None:
    """``strconv.Atoi`` on 64 bits: a sign, decimal digits, in int64's range."""
    body = s[1:] if s[:1] in ("+", "-") else s
    if not (body.isascii() and body.isdigit()):
        return None
    n = int(s)
    return n if -2**63 <= n < 2**63 else None


def _fields(line: str, n: int) -> list[str]:
    """``parseLine``: the first ``n`` fields split at ':', the missing ones empty."""
    parts = line.split(":")[:n] if line else []
    return parts + [""] * (n - len(parts))


def get_exec_user(spec: str, passwd: list[str], group: list[str]
                  ) -> tuple[tuple[int, int, list[int]], GoError | None]:
    """``user.GetExecUser`` (runc libcontainer/user/user.go L240–373, vendored at
    v17.05.0-ce): (uid, gid, additional gids), or its error."""
    user_arg, group_arg = _fields(spec, 2)
    uid_arg, gid_arg = _go_atoi(user_arg), _go_atoi(group_arg)
    uid, gid, sgids = 0, 0, []
    users = []
    for line in passwd:
        line = line.strip()
        if not line:
            continue
        name, _pw, u, g = _fields(line, 4)
        entry = (name, _go_atoi(u) or 0, _go_atoi(g) or 0)
        if (entry[1] == uid if user_arg == "" else entry[1] == uid_arg if uid_arg is not None
                else name == user_arg):
            users.append(entry)
    matched = ""
    if users:
        matched, uid, gid = users[0]
    elif user_arg != "":
        if uid_arg is None:
            return (0, 0, []), errorf("unable to find user %s: %s", user_arg,
                                      "no matching entries in passwd file")
        uid = uid_arg
        if not 0 <= uid <= MAX_ID:
            return (0, 0, []), errorf("uids and gids must be in range %d-%d", 0, MAX_ID)
    if group_arg != "" or matched != "":
        groups = []
        for text in group:
            if text == "":
                continue
            gname, _gp, g, members = _fields(text, 4)
            entry_gid = _go_atoi(g) or 0
            listed = members.split(",") if members else []
            if (matched in listed if group_arg == "" else entry_gid == gid_arg
                    if gid_arg is not None else gname == group_arg):
                groups.append(entry_gid)
        if group_arg != "":
            if groups:
                gid = groups[0]
            elif gid_arg is None:
                return (0, 0, []), errorf("unable to find group %s: %s", group_arg,
                                          "no matching entries in group file")
            else:
                gid = gid_arg
                if not 0 <= gid <= MAX_ID:
                    return (0, 0, []), errorf("uids and gids must be in range %d-%d", 0,
                                              MAX_ID)
        elif groups:
            sgids = groups
    return (uid, gid, sgids), None


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
    pid = c.host_config.pid_mode
    if pid.startswith("container:"):
        pc, err = yield from get_pid_container(d, c)
        if err is not None:
            return err
        spec["namespaces"]["pid"] = f"/proc/{pc.state.pid}/ns/pid"
        yield d.emit("spec.pidns", 327, "container", pid=pc.state.pid, name=pc.name)
    elif pid == "host":
        del spec["namespaces"]["pid"]
        yield d.emit("spec.pidns", 336, "host")
    return None


@go("daemon.(*Daemon).getPidContainer", "daemon/container_operations_unix.go", 68, 75)
def get_pid_container(d: Daemon, c: Container) -> Steps:
    """The same short declaration as getIpcContainer's: a failed lookup is a nil pointer."""
    ref = pid_container(c.host_config.pid_mode)
    pc, err = yield from container_mod.get_container(d, ref)
    if err is not None:
        yield d.emit("spec.pid_panic", 72)
        raise GoPanic("runtime error: invalid memory address or nil pointer dereference")
    if not pc.state.running:
        yield d.emit("spec.pid_not_running", 74, name=pc.name)
        return None, errorf("container %s is not running", pc.id)
    if pc.state.restarting:
        yield d.emit("spec.pid_restarting", 74, name=pc.name)
        return None, GoError(f"Container {pc.id} is restarting, wait until the container is "
                             "running", status=409)
    return pc, None


@go("daemon.setDevices", "daemon/oci_linux.go", 87, 155)
def set_devices(d: Daemon, spec: dict[str, Any], c: Container) -> Steps:
    """Privileged: every host device. Otherwise each --device through oci.DevicesFromPath."""
    if c.host_config.privileged:
        return None
    found: list[str] = []
    for mapping in c.host_config.devices:
        on_host, in_container, perms = [*mapping.split(":", 2), "", ""][:3]
        devs, err = devices_from_path(d, on_host, in_container, perms)
        if err is not None:
            yield d.emit("spec.device", 108, "failed", path=on_host, msg=err.msg)
            return err
        found += devs
        yield d.emit("spec.device", 112, "added", path=on_host, in_container=in_container,
                     perms=perms, count=len(devs))
    spec["devices"] = found
    return None


def devices_from_path(d: Daemon, on_host: str, in_container: str, perms: str
                      ) -> tuple[list[str], GoError | None]:
    """``oci.DevicesFromPath`` (oci/devices_linux.go L39–86) with runc's ``DeviceFromPath``
    (devices_unix.go L27–63): the node's ``os.Lstat``; a directory is walked for the device
    nodes inside it; anything else is ``not a device node``."""
    kinds = d.world.host_kinds()
    kind, why = stat(kinds, on_host) if on_host else (None, "stat : no such file or directory")
    if kind in ("char", "block"):
        return [in_container], None
    if why is not None:
        why = "l" + why  # os.Lstat's *PathError
    else:
        why = "not a device node"
        if kind == "dir":
            inside = sorted(p for p, k in kinds.items()
                            if p.startswith(on_host.rstrip("/") + "/") and k in ("char", "block"))
            if inside:
                return [in_container + p[len(on_host.rstrip("/")):] for p in inside], None
    return [], errorf("error gathering device information while adding custom device %s: %s",
                      go_quote(on_host), why)


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
    if ipc == "host" and stat(d.world.host_kinds(), "/dev/shm")[1] is not None:
        yield d.emit("spec.shm_host_missing", 107)
        return errorf("/dev/shm is not mounted, but must be for --ipc=host")
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
        if m.destination in c.host_config.tmpfs or m.type == "tmpfs":  # TmpfsMounts' own
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
