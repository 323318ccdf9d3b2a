"""``layer/mounted_layer.go``: the container's read-write layer asks the graphdriver."""

from __future__ import annotations

from . import overlay2
from .context import Daemon, Steps, go


@go("layer.(*referencedRWLayer).Mount", "layer/mounted_layer.go", 91, 93)
def mount(d: Daemon, mount_id: str) -> Steps:
    """``layerStore.driver.Get(mountID, mountLabel)``."""
    return (yield from overlay2.get(d, mount_id))


@go("layer.(*referencedRWLayer).Unmount", "layer/mounted_layer.go", 97, 99)
def unmount(d: Daemon, mount_id: str) -> Steps:
    """``layerStore.driver.Put(mountID)``."""
    return (yield from overlay2.put(d, mount_id))
