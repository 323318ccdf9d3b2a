"""Images, the layer store, the overlay2 graphdriver's directories, and the host mount table.

Mirrors ``layer/mounted_layer.go`` and ``daemon/graphdriver/overlay2/overlay.go``: a
container's read-write layer has its own *mount ID* (not the container ID), and ``Get``
mounts ``lowerdir``/``upperdir``/``workdir`` onto ``<root>/overlay2/<mount-id>/merged``.
"""

from __future__ import annotations

from .journal import JDict, Node, field, fields_of, struct

ROOT = "/var/lib/docker"


@struct
class Image(Node):
    """An image: its ID, its layers' cache IDs, and what its root filesystem holds.

    ``files`` maps an absolute path to ``"exec"`` (an executable file), ``"file"`` (a file that
    is not executable) or ``"dir"``; runc's ``exec.LookPath`` consults it.
    """

    name: str
    id: str
    layers: list[str]
    files: dict[str, str]
    path_env: str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    # the lines of /etc/passwd and /etc/group in its root filesystem (empty: no such line)
    passwd: list[str] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    label: str = field(default="image", compare=False, repr=False)


@struct
class Mount(Node):
    """One line of the host's mount table."""

    target: str
    fstype: str
    source: str
    options: str
    owner: str = ""  # which container (ID) it belongs to, for display
    label: str = field(default="mount", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"{self.fstype} on {self.target} ({self.options})"


class LayerStore(Node):
    """The images, the overlay2 layer directories and their mount refcounts."""

    label = "layers"

    def __init__(self) -> None:
        self.images: JDict = JDict("images")
        self.overlay_dirs: JDict = JDict("overlay2")  # mount ID -> list of lower cache IDs
        self.refcount: JDict = JDict("overlay2.refcount")  # mount ID -> count of Get()s
        # mount IDs whose diff directory (the RW layer's upper dir) has had files written
        self.written: JDict = JDict("overlay2.written")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LayerStore) and fields_of(self) == fields_of(other)

    def driver_home(self) -> str:
        """``<root>/overlay2``."""
        return f"{ROOT}/overlay2"

    def dir(self, mount_id: str) -> str:
        """``<root>/overlay2/<mount-id>``."""
        return f"{ROOT}/overlay2/{mount_id}"


class MountTable(Node):
    """The host's mount table, keyed by mount point."""

    label = "mounts"

    def __init__(self) -> None:
        self.table: JDict = JDict("mounts")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MountTable) and self.table == other.table

    def mount(self, m: Mount) -> None:
        """Add ``m`` to the table."""
        self.table[m.target] = m

    def unmount(self, target: str) -> bool:
        """Remove the mount at ``target``; False if nothing was mounted there."""
        if target in self.table:
            del self.table[target]
            return True
        return False
