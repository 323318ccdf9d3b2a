"""Building the world a scenario describes, before its first request.

Containers the scenario says are running are *started by the simulator itself* (the same
moby code, unrecorded), so their sandboxes, veths, ports and processes are really there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from ..moby import start, volumes
from ..moby.context import Steps
from ..moby.libnetwork import ipam
from ..scenario.model import ContainerSpec, Scenario
from ..scenario.specs import go_clean, image_name, parse_mount_opt
from ..scenario.yamlsource import ScenarioError
from ..world import KIND_CONTENTS, DaemonOptions, World
from ..world.containerd import Process
from ..world.containers import (
    Behaviour,
    Config,
    Container,
    HostConfig,
    PortBinding,
    State,
    new_network_settings,
)
from ..world.layers import Image
from ..world.network import Endpoint, Network
from ..world.volumes import MountPoint, Volume
from .sched import Scheduler

# Images every scenario can use: what their root filesystems hold, as far as exec.LookPath
# cares.
BUILTIN_IMAGES: dict[str, dict[str, str]] = {
    "busybox": {"/bin": "dir", "/bin/sh": "exec", "/bin/busybox": "exec", "/bin/top": "exec",
                "/bin/sleep": "exec", "/bin/echo": "exec", "/bin/cat": "exec", "/etc": "dir",
                "/etc/passwd": "file", "/etc/group": "file", "/tmp": "dir"},
    "alpine": {"/bin": "dir", "/bin/sh": "exec", "/bin/busybox": "exec", "/bin/sleep": "exec",
               "/sbin": "dir", "/etc": "dir", "/etc/passwd": "file", "/etc/group": "file",
               "/usr/bin": "dir"},
    "nginx": {"/bin": "dir", "/bin/sh": "exec", "/bin/bash": "exec", "/usr/sbin": "dir",
              "/usr/sbin/nginx": "exec", "/etc": "dir", "/etc/passwd": "file",
              "/etc/group": "file", "/etc/nginx": "dir", "/etc/nginx/nginx.conf": "file",
              "/usr/share/nginx/html": "dir"},
    "redis": {"/bin": "dir", "/bin/sh": "exec", "/usr/local/bin": "dir",
              "/usr/local/bin/redis-server": "exec", "/usr/local/bin/docker-entrypoint.sh":
              "exec", "/etc": "dir", "/etc/passwd": "file", "/etc/group": "file", "/data": "dir"},
    "postgres": {"/bin": "dir", "/bin/sh": "exec", "/usr/local/bin": "dir",
                 "/usr/local/bin/docker-entrypoint.sh": "exec",
                 "/usr/lib/postgresql/9.6/bin/postgres": "exec", "/etc": "dir",
                 "/etc/passwd": "file", "/etc/group": "file"},
}
# What the host has before a scenario says otherwise (host.paths): docker-init in dockerd's
# PATH, the shm mount --ipc=host shares, and a few device nodes.
HOST_PATHS = {"/usr/bin/docker-init": "exec", "/dev/shm": "dir", "/dev/null": "char",
              "/dev/zero": "char", "/dev/random": "char", "/dev/urandom": "char",
              "/dev/tty": "char", "/dev/fuse": "char", "/dev/sda": "block"}
ROOT_ONLY = (["root:x:0:0:root:/root:/bin/sh"], ["root:x:0:"])
# /etc/passwd and /etc/group of the built-in images (the users their official images of May
# 2017 define, shortened).
BUILTIN_USERS: dict[str, tuple[list[str], list[str]]] = {
    "busybox": (["root:x:0:0:root:/root:/bin/sh", "daemon:x:1:1:daemon:/usr/sbin:/bin/false",
                 "bin:x:2:2:bin:/bin:/bin/false", "sys:x:3:3:sys:/dev:/bin/false",
                 "www-data:x:33:33:www-data:/var/www:/bin/false",
                 "nobody:x:65534:65534:nobody:/home:/bin/false"],
                ["root:x:0:", "daemon:x:1:", "bin:x:2:", "sys:x:3:", "www-data:x:33:",
                 "nogroup:x:65534:"]),
    "alpine": (["root:x:0:0:root:/root:/bin/ash", "bin:x:1:1:bin:/bin:/sbin/nologin",
                "daemon:x:2:2:daemon:/sbin:/sbin/nologin",
                "nobody:x:65534:65534:nobody:/:/sbin/nologin"],
               ["root:x:0:", "bin:x:1:", "daemon:x:2:", "nogroup:x:65533:", "nobody:x:65534:"]),
    "nginx": (["root:x:0:0:root:/root:/bin/bash",
               "nginx:x:101:101:nginx user,,,:/nonexistent:/bin/false"],
              ["root:x:0:", "nginx:x:101:"]),
    "redis": (["root:x:0:0:root:/root:/bin/bash", "redis:x:999:999::/home/redis:/bin/sh"],
              ["root:x:0:", "redis:x:999:"]),
    "postgres": (["root:x:0:0:root:/root:/bin/bash",
                  "postgres:x:999:999::/var/lib/postgresql:/bin/bash"],
                 ["root:x:0:", "postgres:x:999:"]),
}


def _drive(w: World, fn: Callable[..., Steps], *args: Any) -> Any:
    """Run a moby function to its end without recording, with the goroutines it starts that
    can run by then, and return its result."""
    sched = Scheduler(w)
    g = sched.start("build", fn, *args, request=0, faults={})
    sched.run(lambda: g.done)
    sched.run(until_ms=w.clock)
    return g.result


def _image(world: World, name: str, files: dict[str, str], path_env: str | None,
           passwd: tuple[str, ...] | list[str] | None = None,
           group: tuple[str, ...] | list[str] | None = None) -> None:
    digest = hashlib.sha256(f"image:{name}".encode()).hexdigest()
    layers = [f"l/{hashlib.sha256(f'{name}:{i}'.encode()).hexdigest()[:26].upper()}"
              for i in range(2)]
    img = Image(name, f"sha256:{digest}", layers, dict(files))
    if path_env:
        img.path_env = path_env
    # a file the image has holds the lines given, or root's; one it lacks is read as empty
    if files.get("/etc/passwd") == "file":
        img.passwd = list(passwd if passwd is not None else ROOT_ONLY[0])
    if files.get("/etc/group") == "file":
        img.group = list(group if group is not None else ROOT_ONLY[1])
    world.layers.images[name] = img


def _use_volume(world: World, cid: str, mp: MountPoint, name: str) -> None:
    """``mp`` names the local volume ``name``: made if new, referenced by the container."""
    mp.name = name
    vol = world.volumes.get(name) or Volume(name)
    vol.refs = (*vol.refs, cid)
    world.volumes[name] = vol
    world.files[vol.path()] = "<directory>"
    mp.driver, mp.source = "local", vol.path()


def _container(world: World, c: ContainerSpec, users: dict[str, str]) -> Container:
    image = image_name(c.image)
    if image not in world.layers.images:
        _image(world, image, {"/bin": "dir", "/bin/sh": "exec", "/etc": "dir"}, None)
    mount_id = c.mount_id or world.ids.hex_for("layer", c.name)
    world.layers.overlay_dirs[mount_id] = list(world.layers.images[image].layers)
    policy, _, retries = c.restart_policy.partition(":")
    hc = HostConfig(
        network_mode=c.network_mode,
        port_bindings=[PortBinding(f"{p.container_port}/{p.proto}", p.host_ip, p.host_port)
                       for p in c.ports],
        auto_remove=c.auto_remove, binds=list(c.binds), restart_policy=policy,
        restart_max_retries=int(retries) if retries.isdigit() else c.restart_max_retries,
        runtime=c.runtime, log_driver=c.log_driver, links=list(c.links),
        privileged=c.privileged, ipc_mode=c.ipc_mode, memory=c.memory, nano_cpus=c.nano_cpus,
        cpu_period=c.cpu_period, cpu_quota=c.cpu_quota, init=c.init, pid_mode=c.pid_mode,
        devices=list(c.devices), cpuset_cpus=c.cpuset_cpus, cpuset_mems=c.cpuset_mems,
        dns=list(c.dns) if c.dns else None,
        dns_search=list(c.dns_search) if c.dns_search else None,
        dns_options=list(c.dns_options) if c.dns_options else None, log_opts=dict(c.log_opts))
    # docker create merged the image's USER and environment in (daemon/commit.go L27-63): the
    # image's variables after the ones given
    image_user = users.get(image, "")
    named = {e.partition("=")[0] for e in c.env}
    image_env = [f"PATH={world.layers.images[image].path_env}"]
    env = [*c.env, *(e for e in image_env if e.partition("=")[0] not in named)]
    cont = Container(
        id=c.id, name="/" + c.name,
        config=Config(image=c.image, cmd=list(c.cmd), hostname=c.hostname,
                      labels=dict(c.labels), env=env, tty=c.tty, open_stdin=c.open_stdin,
                      network_disabled=c.network_disabled, user=c.user or image_user,
                      working_dir=c.working_dir, stop_signal=c.stop_signal,
                      stop_timeout=c.stop_timeout),
        host_config=hc, state=State(), network_settings=new_network_settings(),
        rw_layer=mount_id, image_id=world.layers.images[image].id,
        restart_count=c.restart_count,
        behaviour=Behaviour(c.process.exit_after_ms, c.process.exit_code,
                            list(c.process.stdout), list(c.process.stderr),
                            dict(c.process.signals)))
    mount_points: dict[str, MountPoint] = {}
    for raw in c.binds:  # docker create parsed them already: the loader checked they parse
        mp, _ = volumes.parse_mount_raw(raw, "")
        if mp is None:
            continue
        if mp.type == "volume":
            mp.anonymous = not mp.name
            _use_volume(world, c.id, mp, mp.name or world.ids.hex64(f"volume:{c.name}:{raw}"))
        mount_points[mp.destination] = mp
    mounts = []
    for raw in c.mounts:  # --mount, after the binds (registerMountPoints L170-210)
        cfg, _ = parse_mount_opt(raw)
        if cfg is None:
            continue
        mounts.append(cfg)
        mp = MountPoint(destination=go_clean(cfg["Target"]), type=cfg["Type"],
                        rw=not cfg["ReadOnly"],
                        propagation=(cfg["BindOptions"] or {}).get("Propagation", ""))
        if mp.type == "bind":
            mp.source = go_clean(cfg["Source"])
        elif mp.type == "volume":
            _use_volume(world, c.id, mp, cfg["Source"] or world.ids.hex64(
                f"volume:{c.name}:{raw}"))
        mount_points[mp.destination] = mp
    hc.mounts = mounts
    cont.mount_points = mount_points
    world.containers.add(cont)
    return cont


def build_world(sc: Scenario) -> World:
    """The world before the first request: daemon, images, networks, containers in their state."""
    opts = DaemonOptions(
        experimental=sc.daemon.experimental, bridge_none=sc.daemon.bridge_none,
        userland_proxy=sc.daemon.userland_proxy, hostname=sc.daemon.hostname,
        runtimes=list(sc.daemon.runtimes), log_drivers=list(sc.daemon.log_drivers),
        apparmor=sc.daemon.apparmor, cpus=sc.daemon.cpus, mems=sc.daemon.mems,
        init=sc.daemon.init, init_path=sc.daemon.init_path)
    w = World(sc.seed, opts)
    cd = w.containerd
    cd.dockerd_pid = w.ids.pid()
    cd.processes[cd.dockerd_pid] = Process(cd.dockerd_pid, "dockerd")
    cd.containerd_pid = w.ids.pid()
    cd.processes[cd.containerd_pid] = Process(
        cd.containerd_pid, "docker-containerd -l unix:///var/run/docker/libcontainerd/"
        "docker-containerd.sock --state-dir /var/run/docker/libcontainerd/containerd "
        "--shim docker-containerd-shim --runtime docker-runc", parent=cd.dockerd_pid)
    w.network.controller_id = w.ids.hex64("controller")
    w.files["/etc/hosts"] = f"127.0.0.1\tlocalhost\n127.0.1.1\t{opts.hostname}\n"
    w.files["/etc/resolv.conf"] = "nameserver 10.0.2.3\nsearch example.lan\n"
    w.network.netns["/var/run/docker/netns/default"] = "the daemon's own namespace"
    for path, kind in [*HOST_PATHS.items(), *sc.host_paths]:
        if kind == "absent":
            for p in [p for p in w.files if p == path or p.startswith(path + "/")]:
                del w.files[p]
        elif not (kind == "file" and w.host_kinds().get(path) == "file"):  # keep its text
            w.files[path] = KIND_CONTENTS[kind]
    for name, files in BUILTIN_IMAGES.items():
        _image(w, name, files, None, *BUILTIN_USERS[name])
    for im in sc.images:
        _image(w, im.name, dict(im.files), im.path_env, im.passwd, im.group)
    nets = [Network("bridge", w.ids.hex64("network"), "bridge", "172.17.0.0/16", "172.17.0.1",
                    "docker0"),
            Network("host", w.ids.hex64("network"), "host"),
            Network("none", w.ids.hex64("network"), "null")]
    for ns in sc.networks:
        nid = w.ids.hex64("network")
        nets.append(Network(ns.name, nid, "bridge", ns.subnet, ns.gateway, f"br-{nid[:12]}",
                            internal=ns.internal, user_defined=True))
    for n in nets:
        w.network.networks[n.name] = n
    for name, net in sc.stale_endpoints:
        _stale_endpoint(w, name, w.network.networks[net])
    for name, labels in sc.volumes:  # docker volume create: the local driver's directory
        vol = Volume(name, labels=dict(labels))
        w.volumes[name] = vol
        w.files[vol.path()] = "<directory>"
    for lst in sc.listening:
        w.network.host_listeners[f"{lst.ip}/{lst.proto}:{lst.port}"] = lst.process
    users = {im.name: im.user for im in sc.images}  # each image's USER
    made = [(spec, _container(w, spec, users)) for spec in sc.containers]
    for spec, c in made:
        for link in spec.links:
            child, _, alias = link.partition(":")
            target = w.containers.names.get("/" + child)
            if target is not None:
                w.containers.register_link(c.name, alias or child, target)
    # Containers that share another's namespace must start after it: start in dependency order.
    pending = [(s, c) for s, c in made if s.state in ("running", "paused", "restarting")]
    for _ in range(len(pending) + 1):
        later = []
        for spec, c in pending:
            refs = {m.split(":", 1)[1] for m in (spec.network_mode, spec.ipc_mode,
                                                  spec.pid_mode) if m.startswith("container:")}
            if any(s.name in refs for s, _ in pending if s is not spec):
                later.append((spec, c))
                continue
            _start_for_scenario(w, sc, spec, c)
        if not later:
            break
        pending = later
    for spec, c in made:
        _apply_state(w, spec, c)
    return w


def _stale_endpoint(w: World, name: str, n: Network) -> None:
    """An endpoint libnetwork reloaded from its store after an unclean shutdown: its name and
    its address are taken, but its interfaces died with the old daemon."""
    ep = Endpoint(id=w.ids.hex64("endpoint"), name=name, network=n.name)
    ip = ipam.take_lowest_free(n, ep.id)
    if ip is not None:
        ep.ip, ep.mac = ip, ipam.mac_for(ip)
    w.network.add_endpoint(ep)


def _start_for_scenario(w: World, sc: Scenario, spec: ContainerSpec, c: Container) -> None:
    err = _drive(w, start._container_start, c, "", "", True)
    if err is not None:
        i = sc.containers.index(spec)
        raise ScenarioError(sc.file, 1, 1, f"containers[{i}].state",
                            f"{spec.name} is declared {spec.state}, but starting it fails: "
                            f"{err.msg}")
    w.events.clear()
    w.log.clear()


def _apply_state(w: World, spec: ContainerSpec, c: Container) -> None:
    s = c.state
    if spec.state == "paused":
        s.paused = True
    elif spec.state == "restarting":
        s.restarting = True
    elif spec.state in ("exited", "removing", "dead"):
        s.started_at = w.timestamp()
        s.finished_at = w.timestamp()
    if spec.state == "removing":
        s.removal_in_progress = True
    if spec.state == "dead":
        s.dead = True
    if spec.state != "running":
        s.exit_code = spec.exit_code
        s.error = spec.error  # SetRunning cleared it in a running one
    c.restart_count = spec.restart_count
    w.clock = 0


__all__ = ["BUILTIN_IMAGES", "build_world"]
