"""Containers as the daemon keeps them: Config, HostConfig, State, NetworkSettings, and the
indexes ``GetContainer`` searches (the container store, the name index and the ID trie).

Mirrors moby's ``container/container.go`` and ``container/state.go`` at v17.05.0-ce, reduced
to the fields the start path reads or writes.
"""

from __future__ import annotations

import bisect
from typing import Any

from .journal import JDict, JList, Node, field, struct
from .volumes import MountPoint


@struct
class PortBinding(Node):
    """One ``HostConfig.PortBindings`` entry: container port/proto to host IP and port."""

    container_port: str  # "80/tcp"
    host_ip: str = ""
    host_port: str = ""
    label: str = field(default="port-binding", compare=False, repr=False)


@struct
class Config(Node):
    """``container.Config``: what the image and ``docker create`` asked for."""

    image: str
    cmd: list[str]
    hostname: str
    domainname: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    env: list[str] = field(default_factory=list)
    tty: bool = False
    open_stdin: bool = False
    network_disabled: bool = False
    user: str = ""
    working_dir: str = ""
    stop_signal: str = ""  # Config.StopSignal ("" : SIGTERM)
    stop_timeout: int | None = None  # Config.StopTimeout (nil: 10 s)
    label: str = field(default="config", compare=False, repr=False)


@struct
class Behaviour(Node):
    """What the container's command does once it runs: the scenario says it, since simstart
    runs no real program. ``signals`` maps the signals the program handles to the status it
    then exits with; as PID 1 of its namespace it ignores every other one (SIGKILL excepted)."""

    exit_after_ms: int = -1  # -1: runs until a signal ends it
    exit_code: int = 0
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    signals: dict[int, int] = field(default_factory=lambda: {15: 143, 2: 130})
    label: str = field(default="behaviour", compare=False, repr=False)


@struct
class RestartManager(Node):
    """``restartmanager.restartManager``: the policy, its own count of restarts, the backoff
    timeout, whether a restart is pending (``active``) and whether it was cancelled."""

    policy: str
    max_retries: int
    restart_count: int
    timeout_ms: int = 0
    active: bool = False
    canceled: bool = False
    wait_result: str = ""  # what the wait channel delivered: "", "fired" or "restart canceled"
    label: str = field(default="restart-manager", compare=False, repr=False)


@struct
class HostConfig(Node):
    """``container.HostConfig``: the host-side options."""

    network_mode: str = "default"
    port_bindings: list[PortBinding] = field(default_factory=list)
    auto_remove: bool = False
    binds: list[str] = field(default_factory=list)
    restart_policy: str = "no"
    restart_max_retries: int = 0
    runtime: str = ""
    log_driver: str = "json-file"
    ipc_mode: str = ""
    links: list[str] = field(default_factory=list)
    privileged: bool = False
    init: bool | None = None  # HostConfig.Init is a *bool: nil means the daemon's default
    memory: int = 0
    nano_cpus: int = 0
    cpu_period: int = 0
    cpu_quota: int = 0
    # the rest of container.Resources and HostConfig that the start path reads
    memory_swap: int = 0
    memory_reservation: int = 0
    memory_swappiness: int | None = None
    kernel_memory: int = 0
    oom_kill_disable: bool | None = None
    pids_limit: int = 0
    cpu_shares: int = 0
    cpu_percent: int = 0
    cpuset_cpus: str = ""
    cpuset_mems: str = ""
    blkio_weight: int = 0
    io_maximum_bandwidth: int = 0
    io_maximum_iops: int = 0
    cgroup_parent: str = ""
    shm_size: int = 0
    oom_score_adj: int = 0
    pid_mode: str = ""
    userns_mode: str = ""
    uts_mode: str = ""
    volume_driver: str = ""
    volumes_from: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)  # "PathOnHost:PathInContainer:perms"
    extra_hosts: list[str] = field(default_factory=list)
    tmpfs: dict[str, str] = field(default_factory=dict)
    mounts: list[dict[str, Any]] = field(default_factory=list)  # mount.Mount, as the API has it
    security_opt: list[str] = field(default_factory=list)
    dns: list[str] | None = None
    dns_options: list[str] | None = None
    dns_search: list[str] | None = None
    log_opts: dict[str, str] = field(default_factory=dict)
    cap_add: list[str] = field(default_factory=list)
    cap_drop: list[str] = field(default_factory=list)
    readonly_rootfs: bool = False
    publish_all_ports: bool = False
    label: str = field(default="hostconfig", compare=False, repr=False)


@struct
class State(Node):
    """``container.State``: the flags ``docker inspect`` shows under State."""

    running: bool = False
    paused: bool = False
    restarting: bool = False
    oom_killed: bool = False
    removal_in_progress: bool = False
    dead: bool = False
    pid: int = 0
    exit_code: int = 0
    error: str = ""
    started_at: str = "0001-01-01T00:00:00Z"
    finished_at: str = "0001-01-01T00:00:00Z"
    health: str = ""
    started_ms: int = 0  # the clock at StartedAt, for time.Since(StartedAt)
    waits: int = 0  # how many times waitChan was closed (SetStopped, SetRestarting)
    label: str = field(default="state", compare=False, repr=False)

    def status(self) -> str:
        """The one-word status ``docker ps`` would show (``State.StateString``)."""
        if self.running:
            if self.paused:
                return "paused"
            if self.restarting:
                return "restarting"
            return "running"
        if self.removal_in_progress:
            return "removing"
        if self.dead:
            return "dead"
        if self.started_at == "0001-01-01T00:00:00Z":
            return "created"
        return "exited"


@struct
class EndpointSettings(Node):
    """``network.EndpointSettings`` for one network the container is attached to."""

    network_id: str = ""
    endpoint_id: str = ""
    gateway: str = ""
    ip_address: str = ""
    ip_prefix_len: int = 0
    mac_address: str = ""
    label: str = field(default="endpoint-settings", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"endpoint {self.endpoint_id[:12] or '(none)'} {self.ip_address}".strip()


@struct
class NetworkSettings(Node):
    """``container.NetworkSettings``: what libnetwork gave the container."""

    networks: JDict
    sandbox_id: str = ""
    sandbox_key: str = ""
    bridge: str = ""
    ports: dict[str, list[str]] | None = None
    label: str = field(default="network-settings", compare=False, repr=False)


@struct
class Container(Node):
    """One container record, as in moby's ``container.Container``."""

    id: str
    name: str  # with the leading "/"
    config: Config
    host_config: HostConfig
    state: State
    network_settings: NetworkSettings
    rw_layer: str  # the layer store's mount ID of the read-write layer (not the container ID)
    image_id: str = ""
    base_fs: str = ""
    hostname_path: str = ""
    hosts_path: str = ""
    resolv_conf_path: str = ""
    shm_path: str = ""
    apparmor_profile: str = ""
    restart_count: int = 0
    has_been_started_before: bool = False
    has_been_manually_stopped: bool = False
    disk_writes: int = 0  # how many times ToDisk wrote config.v2.json
    behaviour: Behaviour = field(default_factory=Behaviour)
    restart_manager: RestartManager | None = None  # made on first use (RestartManager())
    mount_points: dict[str, MountPoint] = field(default_factory=dict)  # replaced, never edited
    label: str = field(default="container", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"container {self.name} ({self.id[:12]})"

    @property
    def path(self) -> str:
        """``container.Path``: the first word of the command."""
        return self.config.cmd[0] if self.config.cmd else ""

    @property
    def args(self) -> list[str]:
        """``container.Args``: the rest of the command."""
        return self.config.cmd[1:]

    @property
    def short_name(self) -> str:
        """The name without its leading ``/``."""
        return self.name.lstrip("/")

    def croot(self) -> str:
        """``<root>/containers/<id>``, the container's directory."""
        return f"/var/lib/docker/containers/{self.id}"


class TruncIndex(Node):
    """``pkg/truncindex``: container IDs retrievable by any unique prefix.

    The IDs are kept sorted, so a prefix lookup is a binary search (the patricia trie upstream
    visits its children in the same lexicographic order), never a scan of every container.
    """

    def __init__(self) -> None:
        self.ids = JList("id_index")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TruncIndex) and self.ids == other.ids

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, id_: str) -> None:
        self.ids.insert(bisect.bisect_left(self.ids, id_), id_)

    def delete(self, id_: str) -> None:
        i = bisect.bisect_left(self.ids, id_)
        if i < len(self.ids) and self.ids[i] == id_:
            self.ids.pop(i)

    def matches(self, prefix: str, limit: int = 2) -> list[str]:
        """The first ``limit`` IDs starting with ``prefix``, in the order the trie visits them."""
        i = bisect.bisect_left(self.ids, prefix)
        out: list[str] = []
        while i < len(self.ids) and self.ids[i].startswith(prefix) and len(out) < limit:
            out.append(self.ids[i])
            i += 1
        return out


def _by_name(_id: str, c: Container) -> str:
    """A container is named by its name (``containers[/web]``), though stored by its ID."""
    return c.name


class ContainerStore(Node):
    """The daemon's container memory store, name index (``registrar``) and ID index."""

    label = "containers"

    def __init__(self) -> None:
        self.by_id: JDict = JDict("containers", show=_by_name)  # ID -> Container
        self.names: JDict = JDict("name_index")  # "/web" and link aliases "/web/db" -> ID
        self.id_index = TruncIndex()
        # parent name -> the link names registered under it (so children() reads only those)
        self.link_names: JDict = JDict("link_names")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ContainerStore)
            and self.by_id == other.by_id
            and self.names == other.names
            and self.id_index == other.id_index
            and self.link_names == other.link_names
        )

    def add(self, c: Container) -> None:
        """Register a container under its ID, its name and in the ID trie."""
        self.by_id[c.id] = c
        self.names[c.name] = c.id
        self.id_index.add(c.id)

    def register_link(self, parent: str, alias: str, child_id: str) -> None:
        """``registerLink``: ``/<parent>/<alias>`` becomes a name of the child."""
        name = f"{parent}/{alias}"
        self.names[name] = child_id
        if name not in self.link_names.get(parent, ()):
            self.link_names[parent] = (*self.link_names.get(parent, ()), name)

    def children(self, parent: str) -> list[tuple[str, str]]:
        """``linkIndex.children``: (``/<parent>/<alias>``, child ID) of each link, by alias."""
        names = dict.fromkeys(self.link_names.get(parent, ()))
        return sorted((n, self.names[n]) for n in names if n in self.names)

    def reserve(self, name: str, child_id: str) -> bool:
        """``registrar.Reserve``: False when ``name`` already names another container."""
        held = self.names.get(name)
        if held is not None and held != child_id:
            return False
        self.names[name] = child_id
        parent, _, _ = name.rpartition("/")
        if parent and name not in self.link_names.get(parent, ()):  # a link's name
            self.link_names[parent] = (*self.link_names.get(parent, ()), name)
        return True

    def remove(self, c: Container) -> None:
        """``ContainerRm``'s bookkeeping: forget the container everywhere."""
        del self.by_id[c.id]
        for name, cid in list(self.names.items()):
            if cid == c.id:
                del self.names[name]
        self.id_index.delete(c.id)

    def all(self) -> list[Container]:
        """Every container, by name."""
        return sorted(self.by_id.values(), key=lambda c: c.name)


def new_network_settings() -> NetworkSettings:
    """Empty settings, as ``docker create`` leaves them."""
    return NetworkSettings(networks=JDict("networks"))

