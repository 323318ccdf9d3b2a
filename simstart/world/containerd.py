"""containerd 0.2 (at 9048e5e) and what it runs: bundles, shims, runc state and processes."""

from __future__ import annotations

from .journal import JDict, JList, Node, field, fields_of, struct


@struct
class Process(Node):
    """A process on the simulated host."""

    pid: int
    argv: str
    parent: int = 0
    container_id: str = ""  # set for a container's init process once runc start execs it
    exit_code: int = 0  # the status it exits with, once it exits (``exiting``)
    label: str = field(default="process", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"pid {self.pid}: {self.argv}"


@struct
class ContainerdContainer(Node):
    """A container containerd's supervisor knows: its bundle, shim and init process."""

    id: str
    bundle: str
    runtime: str
    shim_pid: int = 0
    init_pid: int = 0
    status: str = "created"  # runc's view: created -> running
    label: str = field(default="containerd-container", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"{self.id[:12]} ({self.status}), bundle {self.bundle}"


@struct
class ContainerdEvent(Node):
    """One event of containerd's Events stream (``types.Event``): type, container, process
    ("init" for the container's own), exit status."""

    type: str  # "start-container", "exit", …
    id: str
    pid: str = ""
    status: int = 0
    label: str = field(default="containerd-event", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        tail = f" status {self.status}" if self.type == "exit" else ""
        return f"{self.type} {self.id[:12]}{tail}"


class ContainerdState(Node):
    """containerd's supervisor state, libcontainerd's client view, and host processes."""

    label = "containerd"

    def __init__(self) -> None:
        self.containers: JDict = JDict("containerd.containers")
        self.libcontainerd: JDict = JDict("libcontainerd.containers")  # ID -> bundle dir
        self.processes: JDict = JDict("processes")  # pid -> Process
        self.exiting: JDict = JDict("exiting")  # pid -> the clock (ms) when it exits
        self.events: JList = JList("containerd.events")  # sent, not yet read by libcontainerd
        self.reading_events = False  # libcontainerd's handleEventStream is reading them
        self.dockerd_pid = 0
        self.containerd_pid = 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContainerdState) and fields_of(self) == fields_of(other)
