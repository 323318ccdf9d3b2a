"""What the read-only routes answer, read off the simulated world.

``GET /version`` (daemon/info.go ``SystemVersion``), ``GET /info`` (``SystemInfo``),
``GET /containers/json`` (daemon/list.go) and ``GET /containers/{name}/json``
(daemon/inspect.go ``ContainerInspectCurrent``): the field names and the order of the Go
structs they serialize, with the values the simulated daemon really has. Nothing here reads the
machine simstart runs on, nor the wall clock: times come from the world's virtual clock.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from ..moby.errors import GoError, errorf
from ..world import EPOCH, World
from ..world.containers import Container

SERVER_VERSION = "17.05.0-ce"
GIT_COMMIT = "89658be"  # the v17.05.0-ce tag, 89658bed64c2a8fe05a978e5b87dbec409d57a0f
GO_VERSION = "go1.7.5"  # the Go release v17.05.0-ce was built with
BUILD_TIME = "2017-05-04T22:10:54.638119411+00:00"
MIN_API_VERSION = "1.12"  # api/common_unix.go L6
API_VERSION = "1.29"  # api/common.go L24
# The simulated host (not the machine simstart runs on).
KERNEL = "4.9.0-3-amd64"
OPERATING_SYSTEM = "Debian GNU/Linux 9 (stretch)"
ZERO_TIME = "0001-01-01T00:00:00Z"
# docker create ran an hour before the first request, one container a second, in the order the
# scenario lists them (the world keeps no creation time of its own).
CREATED_BEFORE_EPOCH = 3600


def now_ns(w: World) -> int:
    """The virtual clock, read without advancing it (a read-only route changes nothing)."""
    return EPOCH * 1_000_000_000 + w.clock * 1_000_000


def _parse_time(s: str) -> int | None:
    """RFC 3339 (as the world writes ``StartedAt``) to nanoseconds; None for the zero time."""
    if s == ZERO_TIME or not s:
        return None
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z", s)
    if m is None:
        return None
    secs = int(datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
               .timestamp())
    return secs * 1_000_000_000 + int((m.group(2) or "0").ljust(9, "0"))


def human_duration(ns: int) -> str:
    """``units.HumanDuration`` (vendor/github.com/docker/go-units/duration.go L12-33)."""
    seconds = ns // 1_000_000_000
    if seconds < 1:
        return "Less than a second"
    if seconds == 1:
        return "1 second"
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = ns // 60_000_000_000
    if minutes == 1:
        return "About a minute"
    if minutes < 46:
        return f"{minutes} minutes"
    hours = int(ns / 3_600_000_000_000 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(ns / 3_600_000_000_000) // 24 // 365} years"


def state_string(w: World, c: Container) -> str:
    """``State.String`` (container/state.go L70-103), against the virtual clock."""
    s = c.state
    now = now_ns(w)
    started = _parse_time(s.started_at)
    finished = _parse_time(s.finished_at)
    if s.running:
        up = human_duration(now - (started or now))
        if s.paused:
            return f"Up {up} (Paused)"
        if s.restarting:
            return f"Restarting ({s.exit_code}) {human_duration(now - (finished or now))} ago"
        return f"Up {up}"
    if s.removal_in_progress:
        return "Removal In Progress"
    if s.dead:
        return "Dead"
    if started is None:
        return "Created"
    if finished is None:
        return ""
    return f"Exited ({s.exit_code}) {human_duration(now - finished)} ago"


def created_seconds(w: World, c: Container) -> int:
    """When ``docker create`` made ``c`` (see ``CREATED_BEFORE_EPOCH``)."""
    order = list(w.containers.by_id)
    return EPOCH - CREATED_BEFORE_EPOCH + order.index(c.id)


def _rfc3339(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def _names(w: World) -> dict[str, list[str]]:
    """``ctx.names``: every name of each container (link aliases included), sorted."""
    out: dict[str, list[str]] = {}
    for name, cid in w.containers.names.items():
        out.setdefault(cid, []).append(name)
    return {cid: sorted(ns) for cid, ns in out.items()}


def _port_map(c: Container) -> dict[str, list[dict[str, str]]]:
    """``NetworkSettings.Ports`` as a ``nat.PortMap``."""
    out: dict[str, list[dict[str, str]]] = {}
    for cport, hosts in sorted((c.network_settings.ports or {}).items()):
        out[cport] = []
        for h in hosts:
            ip, _, port = h.rpartition(":")
            out[cport].append({"HostIp": ip, "HostPort": port})
    return out


def _endpoint(w: World, name: str, ep: Any) -> dict[str, Any]:
    return {"IPAMConfig": None, "Links": None, "Aliases": None, "NetworkID": ep.network_id,
            "EndpointID": ep.endpoint_id, "Gateway": ep.gateway, "IPAddress": ep.ip_address,
            "IPPrefixLen": ep.ip_prefix_len, "IPv6Gateway": "", "GlobalIPv6Address": "",
            "GlobalIPv6PrefixLen": 0, "MacAddress": ep.mac_address}


def version(w: World) -> dict[str, Any]:
    """``types.Version`` as ``getVersion`` writes it (router/system/system_routes.go L66-71)."""
    return {"Version": SERVER_VERSION, "ApiVersion": API_VERSION, "MinAPIVersion": MIN_API_VERSION,
            "GitCommit": GIT_COMMIT, "GoVersion": GO_VERSION, "Os": "linux", "Arch": "amd64",
            "KernelVersion": KERNEL, "Experimental": w.options.experimental,
            "BuildTime": BUILD_TIME}


def info(w: World) -> dict[str, Any]:
    """``types.Info`` as ``SystemInfo`` fills it (daemon/info.go L29-145), from the world."""
    running = paused = stopped = 0
    for c in w.containers.by_id.values():
        st = c.state.status()
        if st == "paused":
            paused += 1
        elif st == "running":
            running += 1
        else:
            stopped += 1
    sec = ["name=apparmor"] if w.options.apparmor else []
    sec.append("name=seccomp,profile=default")
    drivers = sorted({n.driver for n in w.network.networks.values()})
    return {
        "ID": w.network.controller_id[:36].upper(), "Containers": running + paused + stopped,
        "ContainersRunning": running, "ContainersPaused": paused, "ContainersStopped": stopped,
        "Images": len(w.layers.images), "Driver": "overlay2",
        "DriverStatus": [["Backing Filesystem", "extfs"], ["Supports d_type", "true"],
                         ["Native Overlay Diff", "true"]],
        "SystemStatus": None,
        "Plugins": {"Volume": ["local"], "Network": drivers, "Authorization": None,
                    "Log": sorted(w.options.log_drivers)},
        "MemoryLimit": True, "SwapLimit": False, "KernelMemory": True, "CpuCfsPeriod": True,
        "CpuCfsQuota": True, "CPUShares": True, "CPUSet": True, "IPv4Forwarding": True,
        "BridgeNfIptables": True, "BridgeNfIp6tables": True, "Debug": False,
        "NFd": 0, "OomKillDisable": True, "NGoroutines": 0,
        "SystemTime": _rfc3339(now_ns(w) // 1_000_000_000),
        "LoggingDriver": "json-file", "CgroupDriver": "cgroupfs", "NEventsListener": 0,
        "KernelVersion": KERNEL, "OperatingSystem": OPERATING_SYSTEM, "OSType": "linux",
        "Architecture": "x86_64", "IndexServerAddress": "https://index.docker.io/v1/",
        "RegistryConfig": {"InsecureRegistryCIDRs": ["127.0.0.0/8"], "IndexConfigs": {
            "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": True,
                          "Official": True}}, "Mirrors": []},
        "NCPU": 2, "MemTotal": 2 * 1024 ** 3, "DockerRootDir": "/var/lib/docker",
        "HttpProxy": "", "HttpsProxy": "", "NoProxy": "", "Name": w.options.hostname,
        "Labels": [], "ExperimentalBuild": w.options.experimental,
        "ServerVersion": SERVER_VERSION, "ClusterStore": "", "ClusterAdvertise": "",
        "Runtimes": {r: {"path": f"docker-{r}" if r == "runc" else r}
                     for r in sorted(w.options.runtimes)},
        "DefaultRuntime": w.options.default_runtime,
        "Swarm": {"NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive",
                  "ControlAvailable": False, "Error": "", "RemoteManagers": None},
        "LiveRestoreEnabled": False, "Isolation": "", "InitBinary": "docker-init",
        "ContainerdCommit": {"ID": "9048e5e50717ea4497b757314bad98ea3763c145",
                             "Expected": "9048e5e50717ea4497b757314bad98ea3763c145"},
        "RuncCommit": {"ID": "9c2d8d184e5da67c95d601382adf14862e4f2228",
                       "Expected": "9c2d8d184e5da67c95d601382adf14862e4f2228"},
        "InitCommit": {"ID": "949e6fa", "Expected": "949e6fa"},
        "SecurityOptions": sec,
    }


def inspect(w: World, c: Container) -> dict[str, Any]:
    """``types.ContainerJSON`` (daemon/inspect.go L32-90, getInspectData L125-194)."""
    s = c.state
    hc = c.host_config
    networks = {name: _endpoint(w, name, ep)
                for name, ep in sorted(c.network_settings.networks.items())}
    bridge = c.network_settings.networks.get("bridge")
    return {
        "Id": c.id, "Created": _rfc3339(created_seconds(w, c)), "Path": c.path,
        "Args": c.args,
        "State": {"Status": s.status(), "Running": s.running, "Paused": s.paused,
                  "Restarting": s.restarting, "OOMKilled": s.oom_killed, "Dead": s.dead,
                  "Pid": s.pid, "ExitCode": s.exit_code, "Error": s.error,
                  "StartedAt": s.started_at, "FinishedAt": s.finished_at},
        "Image": c.image_id, "ResolvConfPath": c.resolv_conf_path,
        "HostnamePath": c.hostname_path, "HostsPath": c.hosts_path,
        "LogPath": f"{c.croot()}/{c.id}-json.log" if hc.log_driver == "json-file" else "",
        "Name": c.name, "RestartCount": c.restart_count, "Driver": "overlay2",
        "MountLabel": "", "ProcessLabel": "", "AppArmorProfile": c.apparmor_profile,
        "ExecIDs": None,
        "HostConfig": {
            "Binds": list(hc.binds) or None, "ContainerIDFile": "",
            "LogConfig": {"Type": hc.log_driver, "Config": {}},
            "NetworkMode": hc.network_mode,
            "PortBindings": {pb.container_port: [{"HostIp": pb.host_ip,
                                                  "HostPort": pb.host_port}]
                             for pb in hc.port_bindings} or None,
            "RestartPolicy": {"Name": hc.restart_policy,
                              "MaximumRetryCount": hc.restart_max_retries},
            "AutoRemove": hc.auto_remove, "VolumeDriver": "", "VolumesFrom": None,
            "CapAdd": None, "CapDrop": None, "Dns": [], "DnsOptions": [], "DnsSearch": [],
            "ExtraHosts": None, "GroupAdd": None, "IpcMode": hc.ipc_mode, "Cgroup": "",
            "Links": list(hc.links) or None, "OomScoreAdj": 0, "PidMode": "",
            "Privileged": hc.privileged, "PublishAllPorts": False, "ReadonlyRootfs": False,
            "SecurityOpt": None, "UTSMode": "", "UsernsMode": "", "ShmSize": 67108864,
            "Runtime": hc.runtime or w.options.default_runtime, "ConsoleSize": [0, 0],
            "Isolation": "", "CpuShares": 0, "Memory": hc.memory, "NanoCpus": hc.nano_cpus,
            "CgroupParent": "", "BlkioWeight": 0, "CpuPeriod": hc.cpu_period,
            "CpuQuota": hc.cpu_quota, "Init": hc.init or None,
        },
        "GraphDriver": {"Name": "overlay2", "Data": {
            "LowerDir": ":".join(f"/var/lib/docker/overlay2/{x}" for x in
                                 w.layers.overlay_dirs.get(c.rw_layer, [])),
            "MergedDir": f"/var/lib/docker/overlay2/{c.rw_layer}/merged",
            "UpperDir": f"/var/lib/docker/overlay2/{c.rw_layer}/diff",
            "WorkDir": f"/var/lib/docker/overlay2/{c.rw_layer}/work"}},
        "Mounts": [],
        "Config": {
            "Hostname": c.config.hostname, "Domainname": c.config.domainname, "User": "",
            "AttachStdin": False, "AttachStdout": False, "AttachStderr": False,
            "Tty": c.config.tty, "OpenStdin": c.config.open_stdin, "StdinOnce": False,
            "Env": list(c.config.env) or None, "Cmd": list(c.config.cmd) or None,
            "Image": c.config.image, "Volumes": None, "WorkingDir": "", "Entrypoint": None,
            "OnBuild": None, "Labels": dict(sorted(c.config.labels.items())),
        },
        "NetworkSettings": {
            "Bridge": c.network_settings.bridge, "SandboxID": c.network_settings.sandbox_id,
            "HairpinMode": False, "LinkLocalIPv6Address": "", "LinkLocalIPv6PrefixLen": 0,
            "Ports": _port_map(c), "SandboxKey": c.network_settings.sandbox_key,
            "SecondaryIPAddresses": None, "SecondaryIPv6Addresses": None,
            "EndpointID": bridge.endpoint_id if bridge else "",
            "Gateway": bridge.gateway if bridge else "",
            "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
            "IPAddress": bridge.ip_address if bridge else "",
            "IPPrefixLen": bridge.ip_prefix_len if bridge else 0,
            "IPv6Gateway": "", "MacAddress": bridge.mac_address if bridge else "",
            "Networks": networks,
        },
    }


# daemon/list.go L27-43
ACCEPTED_PS_FILTERS = ("ancestor", "before", "exited", "id", "isolation", "label", "name",
                       "status", "health", "since", "volume", "network", "is-task", "publish",
                       "expose")
# the filters simstart evaluates; the other accepted ones are refused with a sentence that says so
MODELLED_PS_FILTERS = ("exited", "id", "label", "name", "status")
# container/state.go IsValidStateString
STATE_STRINGS = ("paused", "restarting", "running", "removing", "dead", "created", "exited")


def parse_filters(p: str) -> tuple[dict[str, list[str]], GoError | None]:
    """``filters.FromParam`` (api/types/filters/parse.go L96-118): ``{"k":{"v":true}}``, or the
    deprecated ``{"k":["v"]}``."""
    if not p:
        return {}, None
    try:
        m = json.loads(p)
    except json.JSONDecodeError as e:
        return {}, errorf("%s", f"invalid character in filters: {e.msg}")
    if not isinstance(m, dict):
        return {}, errorf("json: cannot unmarshal %s into Go value of type "
                          "map[string]map[string]bool", type(m).__name__)
    out: dict[str, list[str]] = {}
    for k, v in m.items():
        if isinstance(v, dict):
            out[k] = sorted(str(x) for x, on in v.items() if on is True)
        elif isinstance(v, list):
            out[k] = sorted(str(x) for x in v)
        else:
            return {}, errorf("json: cannot unmarshal %s into Go value of type map[string]bool",
                              type(v).__name__)
    return out, None


def _match(values: list[str], source: str) -> bool:
    """``Args.Match``: exact, or any value as a regular expression that matches."""
    if not values or source in values:
        return True
    for v in values:
        try:
            if re.search(v, source):
                return True
        except re.error:
            continue
    return False


def _match_kv(values: list[str], labels: dict[str, str]) -> bool:
    """``Args.MatchKVList``: every ``key`` or ``key=value`` must hold."""
    for v in values:
        k, eq, want = v.partition("=")
        if k not in labels or (eq and labels[k] != want):
            return False
    return True


def containers(w: World, all_: bool, limit: int, flt: dict[str, list[str]]) -> tuple[
        list[dict[str, Any]], GoError | None]:
    """``Containers`` → ``reduceContainers`` (daemon/list.go L114-237, L386-460, L548-647)."""
    for k in sorted(flt):
        if k not in ACCEPTED_PS_FILTERS:
            return [], errorf("Invalid filter '%s'", k)
    exited: list[int] = []
    for v in flt.get("exited", []):
        try:
            exited.append(int(v))
        except ValueError:
            return [], errorf('strconv.ParseInt: parsing "%s": invalid syntax', v)
    for v in flt.get("status", []):
        if v not in STATE_STRINGS:
            return [], errorf("Unrecognised filter value for status: %s", v)
        all_ = True
    for k in sorted(flt):
        if k not in MODELLED_PS_FILTERS:
            return [], errorf("simstart does not model the '%s' filter of docker ps", k)
    names = _names(w)
    # memoryStore.List: newest first
    listed = sorted(w.containers.by_id.values(), key=lambda c: -created_seconds(w, c))
    out: list[dict[str, Any]] = []
    for c in listed:
        s = c.state
        if not s.running and not all_ and limit <= 0:
            continue
        if not _match(flt.get("name", []), c.name) or not _match(flt.get("id", []), c.id):
            continue
        if not _match_kv(flt.get("label", []), c.config.labels):
            continue
        if limit > 0 and len(out) == limit:
            break
        if exited and not (s.exit_code in exited and not s.running
                           and s.started_at != ZERO_TIME):
            continue
        if "status" in flt and s.status() not in flt["status"]:
            continue
        out.append(summary(w, c, names.get(c.id, [])))
    return out, None


def summary(w: World, c: Container, names: list[str]) -> dict[str, Any]:
    """``transformContainer`` (daemon/list.go L548-647)."""
    args = [f"'{a}'" if " " in a else a for a in c.args]
    ports: list[dict[str, Any]] = []
    for cport, binds in _port_map(c).items():
        num, _, proto = cport.partition("/")
        for b in binds:
            ports.append({"IP": b["HostIp"], "PrivatePort": int(num),
                          "PublicPort": int(b["HostPort"]), "Type": proto})
    return {
        "Id": c.id, "Names": names, "Image": c.config.image, "ImageID": c.image_id,
        "Command": f"{c.path} {' '.join(args)}" if args else c.path,
        "Created": created_seconds(w, c), "Ports": ports,
        "Labels": dict(sorted(c.config.labels.items())), "State": c.state.status(),
        "Status": state_string(w, c), "HostConfig": {"NetworkMode": c.host_config.network_mode},
        "NetworkSettings": {"Networks": {
            name: _endpoint(w, name, ep)
            for name, ep in sorted(c.network_settings.networks.items())}},
        "Mounts": [],
    }
