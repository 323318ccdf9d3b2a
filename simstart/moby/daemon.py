"""``daemon/daemon.go``: ``Daemon.Mount`` and ``Daemon.Unmount`` of the container's RW layer."""

from __future__ import annotations

from ..world.containers import Container
from . import layer
from .context import Daemon, Steps, go
from .errors import errorf


@go("daemon.(*Daemon).Mount", "daemon/daemon.go", 875, 894)
def mount(d: Daemon, c: Container) -> Steps:
    """Mount the RW layer; refuse a driver that returns a different path than last time."""
    yield d.emit("mount.rwlayer", 876, rw_layer=c.rw_layer[:12])
    dir_, err = yield from layer.mount(d, c.rw_layer)
    if err is not None:
        return err
    if c.base_fs != dir_ and c.base_fs != "":
        yield from unmount(d, c)
        yield d.emit("mount.inconsistent", 886)
        return errorf("Error: driver %s is returning inconsistent paths for container %s "
                      "('%s' then '%s')", "overlay2", c.id, c.base_fs, dir_)
    c.base_fs = dir_
    yield d.emit("mount.basefs", 892, dir_=dir_)
    return None


@go("daemon.(*Daemon).Unmount", "daemon/daemon.go", 897, 904)
def unmount(d: Daemon, c: Container) -> Steps:
    """``RWLayer.Unmount`` → ``driver.Put``."""
    yield from layer.unmount(d, c.rw_layer)
    return None
