"""``daemon/graphdriver/overlay2/overlay.go``: ``Driver.Get`` and ``Driver.Put``.

``Get`` mounts an overlay of the image's layers (``lowerdir``), the container's own ``diff``
(``upperdir``) and ``work`` onto ``<root>/overlay2/<mount-id>/merged``, counting references so
a second ``Get`` does not mount twice.
"""

from __future__ import annotations

from ..world.layers import Mount
from .context import Daemon, Steps, go
from .errors import errorf


@go("overlay2.(*Driver).Get", "daemon/graphdriver/overlay2/overlay.go", 474, 559)
def get(d: Daemon, mount_id: str) -> Steps:
    """Stat the layer dir, read ``lower``, bump the refcount, mount the overlay."""
    ls = d.world.layers
    dir_ = ls.dir(mount_id)
    stat_err = d.fault("overlay2.stat")
    if mount_id not in ls.overlay_dirs or stat_err is not None:
        yield d.emit("mount.stat", 478, dir_=dir_)
        return "", stat_err or errorf("stat %s: no such file or directory", dir_)
    lowers: list[str] = ls.overlay_dirs[mount_id]
    if not lowers:
        yield d.emit("mount.no_lower", 487)
        return f"{dir_}/diff", None
    merged = f"{dir_}/merged"
    count = ls.refcount.get(mount_id, 0) + 1
    ls.refcount[mount_id] = count
    if count > 1:
        yield d.emit("mount.refcount", 494, dir_=dir_, count=count)
        return merged, None
    abs_lowers = ":".join(f"{ls.driver_home()}/{low}" for low in lowers)
    opts = f"lowerdir={abs_lowers},upperdir={dir_}/diff,workdir={dir_}/work"
    yield d.emit("mount.overlay_opts", 510, abs_lowers=abs_lowers, dir_=dir_)
    err = d.fault("overlay2.mount")
    if err is not None:
        # the deferred Decrement runs because err is set
        ls.refcount[mount_id] = count - 1
        if ls.refcount[mount_id] <= 0:
            del ls.refcount[mount_id]
        yield d.emit("mount.failed", 544, msg=err.msg)
        return "", errorf("error creating overlay mount to %s: %s", merged, err.msg)
    d.world.mounts.mount(Mount(merged, "overlay", "overlay", opts, owner=mount_id))
    yield d.emit("mount.overlay", 543, dir_=dir_)
    return merged, None


@go("overlay2.(*Driver).Put", "daemon/graphdriver/overlay2/overlay.go", 562, 583)
def put(d: Daemon, mount_id: str) -> Steps:
    """Drop a reference; unmount ``merged`` when none are left."""
    ls = d.world.layers
    if not ls.overlay_dirs.get(mount_id):
        yield d.emit("cleanup.put", 569, "no_lower")
        return None
    merged = f"{ls.dir(mount_id)}/merged"
    count = ls.refcount.get(mount_id, 0) - 1
    if count > 0:
        ls.refcount[mount_id] = count
        yield d.emit("cleanup.put", 576, "still_mounted", count=count)
        return None
    ls.refcount.pop(mount_id, None)
    if d.world.mounts.unmount(merged):
        yield d.emit("cleanup.put", 579, "unmount", mount_dir=ls.dir(mount_id))
    else:
        yield d.emit("cleanup.put", 580, "unmount_failed", mount_dir=ls.dir(mount_id))
    return None
