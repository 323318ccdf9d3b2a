"""Volumes and mount points: the ``local`` driver's volumes (``/var/lib/docker/volumes``) and
each container's ``MountPoints`` (volume/volume.go ``MountPoint``)."""

from __future__ import annotations

from .journal import Node, field, struct


@struct
class MountPoint(Node):
    """``volume.MountPoint``: one destination in the container and what is mounted there."""

    destination: str
    source: str = ""  # a bind's host path (empty for a volume until it is looked up)
    name: str = ""  # a volume's name
    driver: str = ""
    type: str = "bind"  # bind | volume | tmpfs
    rw: bool = True
    mode: str = ""
    propagation: str = ""
    anonymous: bool = False  # a volume named by no one (``-v /data``): Spec.Source is empty
    id: str = ""  # set once the volume is mounted for a run (Setup), cleared at unmount
    label: str = field(default="mount-point", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        what = (self.source if self.type == "bind" else "tmpfs" if self.type == "tmpfs"
                else f"volume {self.name[:12]}")
        return f"{what} → {self.destination} ({'rw' if self.rw else 'ro'})"


@struct
class Volume(Node):
    """A volume of the ``local`` driver, and the containers that hold a reference to it."""

    name: str
    driver: str = "local"
    refs: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    label: str = field(default="volume", compare=False, repr=False)

    def path(self) -> str:
        """``local`` volumes live in ``<root>/volumes/<name>/_data``."""
        return f"/var/lib/docker/volumes/{self.name}/_data"

    def summary(self) -> str:
        """For diffs."""
        return f"volume {self.name[:12]} ({self.driver}, {len(self.refs)} refs)"
