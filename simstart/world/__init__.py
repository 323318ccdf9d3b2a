"""The simulated host: plain data with operations, no I/O (DESIGN.md, layer 2).

``World`` holds every part the start path touches. All of it is journaled (see ``journal``),
so the engine can step back and forth, and every identifier comes from the seeded ``Ids``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .containerd import ContainerdState
from .containers import ContainerStore
from .events import LogLine, new_event_stream, new_log
from .ids import Ids
from .journal import JDict, Node, field, fields_of, struct
from .layers import LayerStore, MountTable
from .network import NetworkState

# The contents that stand for a file of another kind than a regular one, in ``World.files``.
HOST_KINDS = {"<directory>": "dir", "<executable>": "exec", "<char device>": "char",
              "<block device>": "block"}
KIND_CONTENTS = {v: k for k, v in HOST_KINDS.items()} | {"file": "<file>"}
EPOCH = 1493856000  # 2017-05-04T00:00:00Z, the week v17.05.0-ce was tagged


@struct
class DaemonOptions(Node):
    """The dockerd flags the start path consults.

    The scenario sets the first seven; their defaults are dockerd's, defined once, in
    ``scenario.model.DaemonSpec`` (``engine.build`` copies them here).
    """

    experimental: bool
    bridge_none: bool  # --bridge=none
    userland_proxy: bool
    hostname: str
    apparmor: bool
    runtimes: list[str]
    log_drivers: list[str]
    default_runtime: str = "runc"
    ip_local_port_range: tuple[int, int] = (32768, 60999)
    cpus: int = 2  # sysinfo.NumCPU(); cpuset.cpus is 0-(cpus-1)
    mems: str = "0"  # cpuset.mems of the cgroup
    shm_size: int = 64 * 1024 * 1024  # --default-shm-size
    init: bool = False  # --init
    init_path: str = ""  # --init-path
    path_env: str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # dockerd's
    label: str = field(default="daemon", compare=False, repr=False)


class World(Node):
    """The whole simulated host at one moment."""

    label = "world"

    def __init__(self, seed: str, options: DaemonOptions) -> None:
        self.options = options
        self.ids = Ids(seed)
        self.clock = 0
        self.containers = ContainerStore()
        self.layers = LayerStore()
        self.mounts = MountTable()
        self.network = NetworkState()
        self.containerd = ContainerdState()
        self.events = new_event_stream()
        self.log = new_log()
        self.volumes: JDict = JDict("volumes")  # name -> Volume (the local driver)
        self.files: JDict = JDict("files")  # path -> content (hostname, hosts, config.json, …)
        self.locks: JDict = JDict("container-locks")  # container ID -> held (container.Lock())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, World) and fields_of(self) == fields_of(other)

    def now(self) -> int:
        """The simulated clock in nanoseconds since the epoch; each reading advances it 1 ms."""
        self.clock = self.clock + 1
        return EPOCH * 1_000_000_000 + self.clock * 1_000_000

    def timestamp(self) -> str:
        """``now()`` as the RFC 3339 text ``docker inspect`` shows."""
        ns = self.now()
        stamp = datetime.fromtimestamp(ns // 1_000_000_000, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{stamp}.{ns % 1_000_000_000:09d}Z"

    def host_kinds(self) -> dict[str, str]:
        """The host's files as ``path → dir | exec | file | char | block`` (what ``os.Stat``
        would say of each; a directory also exists when something lies below it)."""
        return {p: HOST_KINDS.get(v, "file") if isinstance(v, str) else "file"
                for p, v in self.files.items()}

    def logf(self, level: str, msg: str) -> None:
        """Append a line to the daemon's log."""
        self.log.append(LogLine(level, msg))


__all__ = ["HOST_KINDS", "KIND_CONTENTS", "DaemonOptions", "World"]
