"""``daemon/volumes.go`` and ``volume/``: the mount points of a start-time HostConfig.

``registerMountPoints`` builds the container's new ``MountPoints`` from, in order, the ones it
already has, the ones of ``VolumesFrom`` containers (``:ro`` makes a copy read-only), and the
``Binds`` (each parsed by ``volume.ParseMountRaw``; a name instead of a host path is a volume
the ``local`` driver creates or finds). A later source for the same destination replaces an
earlier one, except that two binds (or a bind and a tmpfs) for one destination are refused.
"""

from __future__ import annotations

from typing import Any

from ..scenario.specs import parse_mount_raw as parse_spec
from ..scenario.specs import parse_volumes_from, read_write, validate_mount_config
from ..world.containers import Container, HostConfig
from ..world.journal import attach_to
from ..world.volumes import MountPoint, Volume
from . import container as container_mod
from .context import Daemon, Steps, go
from .errors import GoError, errorf, new_bad_request_error
from .gostd import go_clean, stat


def parse_mount_raw(raw: str, volume_driver: str) -> tuple[MountPoint | None, str | None]:
    """``volume.ParseMountRaw`` (volume/volume.go L210–277): the mount point, or the error."""
    p, msg = parse_spec(raw, volume_driver)
    if p is None:
        return None, msg
    return MountPoint(destination=p.destination, source=p.source, name=p.name,
                      driver=p.driver, type=p.type, rw=p.rw, mode=p.mode,
                      propagation=p.propagation), None


def _create_with_ref(d: Daemon, name: str, container_id: str) -> Steps:
    """``VolumeStore.CreateWithRef`` with the ``local`` driver: find or create the volume and
    take a reference (volume plugins are not modelled)."""
    if name == "":
        name = d.world.ids.hex64(f"volume:{container_id}:{len(d.world.volumes)}")
    v = d.world.volumes.get(name)
    if v is None:
        v = Volume(name)
        d.world.volumes[name] = v
        d.world.files[v.path()] = "<directory>"
        yield d.emit("legacy.volume_create", 152, name=name[:12], UNNAMED_v_path_=v.path())
    else:
        yield d.emit("legacy.volume_found", 152, name=name[:12])
    if container_id not in v.refs:
        v.refs = (*v.refs, container_id)
    return v


def _get_with_ref(d: Daemon, name: str, container_id: str) -> Steps:
    """``VolumeStore.GetWithRef``: the volume must exist (an ``*OpErr`` otherwise)."""
    v = d.world.volumes.get(name)
    if v is None:
        yield d.emit("legacy.volumes_from_missing", 128, name=name[:12])
        return None, errorf("get %s: no such volume", name)
    if container_id not in v.refs:
        v.refs = (*v.refs, container_id)
    return v, None


@go("daemon.(*Daemon).registerMountPoints", "daemon/volumes.go", 72, 227)
def register_mount_points(d: Daemon, c: Container, hc: HostConfig) -> Steps:
    """Old mount points, then VolumesFrom, then Binds: the last word for each destination."""
    mount_points: dict[str, MountPoint] = dict(c.mount_points)
    err: GoError | None = None
    try:
        err = yield from _register(d, c, hc, mount_points)
        return err
    finally:
        if err is not None:
            held = sorted({m.name for m in mount_points.values() if m.name in d.world.volumes})
            for name in held:
                v = d.world.volumes[name]
                v.refs = tuple(r for r in v.refs if r != c.id)
            if held:
                yield d.emit("legacy.mount_points_deref", 82, len_held=len(held))


def _register(d: Daemon, c: Container, hc: HostConfig,
              mount_points: dict[str, MountPoint]) -> Steps:
    """The body of registerMountPoints (daemon/volumes.go L94–224)."""
    binds: set[str] = set()
    yield d.emit("legacy.mount_points", 97, name=c.name, len_mount_points=len(mount_points))
    for spec in hc.volumes_from:
        cid, mode, msg = parse_volumes_from(spec)
        if msg is not None:
            yield d.emit("legacy.volumes_from", 105, "bad_spec", spec=spec)
            return errorf("%s", msg)
        src, err = yield from container_mod.get_container(d, cid)
        if err is not None:
            yield d.emit("legacy.volumes_from", 110, "lookup_error")
            return err
        rw = read_write(mode)
        for dest in sorted(src.mount_points):
            m = src.mount_points[dest]
            cp = MountPoint(destination=m.destination, source=m.source, name=m.name,
                            driver=m.driver, type=m.type, rw=m.rw and rw, mode=m.mode,
                            propagation=m.propagation)
            if cp.source == "" and cp.name:
                _, err = yield from _get_with_ref(d, cp.name, c.id)
                if err is not None:
                    return err
            mount_points[cp.destination] = cp
        yield d.emit("legacy.volumes_from", 133, "copied_ro" if not rw else "copied",
                     name=src.name, mode=mode, len_mount_points=len(src.mount_points))
    for raw in hc.binds:
        mp, msg = parse_mount_raw(raw, hc.volume_driver)
        if mp is None:
            yield d.emit("legacy.bind_parse", 141, raw=raw)
            return errorf("%s", msg)
        if mp.destination in binds or mp.destination in hc.tmpfs:
            yield d.emit("legacy.bind_duplicate", 147, "binds", destination=mp.destination)
            return errorf("Duplicate mount point '%s'", mp.destination)
        attach_to(mp, d.world)  # it becomes the container's: the volume's values are changes
        if mp.type == "volume":
            v = yield from _create_with_ref(d, mp.name, c.id)
            mp.name, mp.driver = v.name, v.driver
            mp.source = v.path()
        binds.add(mp.destination)
        mount_points[mp.destination] = mp
        yield d.emit("legacy.bind", 167, raw=raw, UNNAMED_mp_summary_=mp.summary())
    for cfg in hc.mounts:
        mp, msg = parse_mount_spec(d, cfg)
        if mp is None:
            yield d.emit("legacy.mount_spec", 173, target=cfg.get("Target", ""), msg=msg)
            return new_bad_request_error(errorf("%s", msg))
        if mp.destination in binds:
            yield d.emit("legacy.bind_duplicate", 177, "mounts", destination=mp.destination)
            return errorf("Duplicate mount point '%s'", cfg.get("Target", ""))
        attach_to(mp, d.world)
        if mp.type == "volume":
            v = yield from _create_with_ref(d, mp.name, c.id)
            mp.name, mp.driver = v.name, v.driver
            mp.source = v.path()
        binds.add(mp.destination)
        mount_points[mp.destination] = mp
        yield d.emit("legacy.mount", 207, kind=mp.type, target=cfg.get("Target", ""),
                     UNNAMED_mp_summary_=mp.summary())
    c.mount_points = mount_points
    yield d.emit("legacy.mount_points_set", 222, len_mount_points=len(mount_points))
    return None


def parse_mount_spec(d: Daemon, cfg: dict[str, Any]) -> tuple[MountPoint | None, str | None]:
    """``volume.ParseMountSpec`` (volume/volume.go L284–323): validated (a bind's source must
    exist on the host), then the mount point; an anonymous volume's name comes later."""
    kinds = d.world.host_kinds()
    msg = validate_mount_config(cfg, lambda p: stat(kinds, p))
    if msg is not None:
        return None, msg
    kind = cfg.get("Type", "")
    mp = MountPoint(destination=go_clean(cfg.get("Target", "")), type=kind,
                    rw=not cfg.get("ReadOnly", False))
    if kind == "volume":
        mp.name = cfg.get("Source", "")
        mp.driver = ((cfg.get("VolumeOptions") or {}).get("DriverConfig") or {}).get("Name", "")
    elif kind == "bind":
        mp.source = go_clean(cfg.get("Source", ""))
        mp.propagation = (cfg.get("BindOptions") or {}).get("Propagation", "")
    return mp, None
