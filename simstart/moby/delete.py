"""``daemon/delete.go``: ``ContainerRm`` and ``cleanupContainer``, as AutoRemove calls them
(force and remove volumes) after a failed start and after an exit."""

from __future__ import annotations

from ..world.containers import Container
from . import events, kill, state, stop
from .context import Daemon, Steps, go
from .errors import GoError, errorf, new_bad_request_error, new_request_conflict_error


@go("daemon.(*Daemon).ContainerRm", "daemon/delete.go", 23, 50)
def container_rm(d: Daemon, name: str, force: bool, remove_volume: bool) -> Steps:
    """Look the container up, mark the removal in progress, then cleanupContainer."""
    c = d.world.containers.by_id.get(name)  # GetContainer by its full ID
    if c is None:
        yield d.emit("remove.not_found", 27, name=name[:12])
        return errorf("No such container: %s", name)
    if c.state.removal_in_progress:
        yield d.emit("remove.in_progress", 32, name=c.name)
        return new_bad_request_error(errorf(
            "removal of container %s is already in progress", name))
    c.state.removal_in_progress = True
    yield d.emit("remove.begin", 31, name=c.name)
    try:  # defer container.ResetRemovalInProgress()
        return (yield from _cleanup_container(d, c, force, remove_volume))
    finally:
        c.state.removal_in_progress = False


@go("daemon.(*Daemon).cleanupContainer", "daemon/delete.go", 80, 145)
def _cleanup_container(d: Daemon, c: Container, force: bool, remove_volume: bool) -> Steps:
    """Refuse (or kill) a running one; mark it dead; remove its directory and RW layer; the
    deferred part forgets it everywhere and sends ``destroy``."""
    running = yield from state.is_running(d, c)
    if running and not force:
        st = c.state.status()
        procedure = "Stop the container before attempting removal or force remove"
        if st == "paused":
            procedure = "Unpause and then " + procedure.lower()
        yield d.emit("remove.running", 88, status=st)
        return new_request_conflict_error(errorf(
            "You cannot remove a %s container %s. %s", st, c.id, procedure))
    if running:
        yield d.emit("remove.kill", 91, name=c.name)
        kerr = yield from kill.kill(d, c)
        if kerr is not None:
            return errorf("Could not kill running container %s, cannot remove - %s", c.id,
                          kerr.msg)
    err: GoError | None = yield from stop._container_stop(d, c, 3)
    if err is not None:
        return err
    try:
        c.state.dead = True  # SetDead
        yield d.emit("remove.dead", 105, name=c.name)
        d.world.files[f"{c.croot()}/config.v2.json"] = "State: dead"
        yield d.emit("remove.to_disk", 110)
        for f in [f for f in d.world.files if f.startswith(c.croot() + "/")]:
            del d.world.files[f]
        yield d.emit("remove.root", 130, root=c.croot())
        d.world.layers.overlay_dirs.pop(c.rw_layer, None)
        yield d.emit("remove.rw_layer", 137, rw_layer=c.rw_layer[:12])
        return None
    finally:
        if err is None or force:
            d.world.containers.remove(c)
            removed = _remove_mount_points(d, c, remove_volume)
            events.log_container_event(d, c, "destroy")
            yield d.emit("remove.destroy", 126, name=c.name, volumes=removed or None)


def _remove_mount_points(d: Daemon, c: Container, remove_volume: bool) -> str:
    """``removeMountPoints`` (daemon/mounts.go): drop the references; with ``-v``, remove the
    anonymous volumes nobody else holds. The names removed, for the narration."""
    gone = []
    for mp in c.mount_points.values():
        if mp.type != "volume" or mp.name not in d.world.volumes:
            continue
        vol = d.world.volumes[mp.name]
        vol.refs = tuple(r for r in vol.refs if r != c.id)
        if remove_volume and mp.anonymous and not vol.refs:
            del d.world.volumes[mp.name]
            gone.append(mp.name[:12])
    return ", ".join(gone)
