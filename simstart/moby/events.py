"""``daemon/events.go``: what ``docker events`` receives."""

from __future__ import annotations

from ..world.containers import Container
from ..world.events import Event
from ..world.network import Network
from .context import Daemon


def log_container_event(d: Daemon, c: Container, action: str,
                        attributes: dict[str, str] | None = None) -> None:
    """``LogContainerEventWithAttributes``: the given attributes, the labels, then ``image``
    (as typed) and ``name`` (no ``/``); ``LogContainerEvent`` is it with none."""
    attrs = dict(attributes or {})
    attrs.update(c.config.labels)
    if c.config.image != "":
        attrs["image"] = c.config.image
    attrs["name"] = c.short_name
    d.world.events.append(Event("container", action, c.id, attrs, d.world.now()))


def log_network_event(d: Daemon, n: Network, action: str, container_id: str) -> None:
    """``LogNetworkEventWithAttributes``: ``container``, ``name`` and ``type``."""
    attrs = {"container": container_id, "name": n.name, "type": n.driver}
    d.world.events.append(Event("network", action, n.id, attrs, d.world.now()))


def log_volume_event(d: Daemon, name: str, action: str, attrs: dict[str, str]) -> None:
    """``LogVolumeEvent``: the volume's name is the actor."""
    d.world.events.append(Event("volume", action, name, dict(attrs), d.world.now()))
