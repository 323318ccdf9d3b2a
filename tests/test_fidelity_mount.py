"""§2.E — the root filesystem: Daemon.Mount → RW layer → overlay2 Get; Put on cleanup."""

from __future__ import annotations

from .conftest import WEB, run, stages, upstream


def _container(r):  # type: ignore[no-untyped-def]
    return next(iter(r.trace.world.containers.by_id.values()))


@upstream("daemon/graphdriver/overlay2/overlay.go", "L492-545")
def test_overlay_is_mounted_on_merged_with_the_image_layers_as_lowerdir() -> None:
    r = run([WEB])
    c = _container(r)
    mounts = r.trace.world.mounts.table
    merged = f"/var/lib/docker/overlay2/{c.rw_layer}/merged"
    assert c.base_fs == merged
    assert merged in mounts
    opts = mounts[merged].options
    assert opts.startswith("lowerdir=/var/lib/docker/overlay2/l/")
    assert f"upperdir=/var/lib/docker/overlay2/{c.rw_layer}/diff" in opts
    assert f"workdir=/var/lib/docker/overlay2/{c.rw_layer}/work" in opts
    assert c.rw_layer != c.id  # the mount ID is the layer store's, not the container ID


@upstream("daemon/graphdriver/overlay2/overlay.go", "L543-545 + L496-502")
def test_a_mount_failure_is_wrapped_and_the_refcount_restored() -> None:
    r = run([WEB], faults=[{"site": "overlay2.mount", "error": "invalid argument"}])
    o = r.results[0].outcome
    c = _container(r)
    assert o.message == (f"error creating overlay mount to /var/lib/docker/overlay2/"
                         f"{c.rw_layer}/merged: invalid argument")
    assert o.status == 500
    assert r.trace.world.layers.refcount == {}
    assert "network.begin" not in stages(r)


@upstream("daemon/graphdriver/overlay2/overlay.go", "L477-480")
def test_a_missing_layer_directory_is_a_raw_stat_error_and_404_by_keyword() -> None:
    o = run([WEB], faults=[{"site": "overlay2.stat", "error": "stat /x: no such file or "
                                                             "directory"}]).results[0].outcome
    assert o.status == 404


@upstream("daemon/graphdriver/overlay2/overlay.go", "L562-583")
def test_put_unmounts_when_the_refcount_reaches_zero() -> None:
    r = run([dict(WEB, cmd=["nope"])])
    assert r.trace.world.mounts.table == {}
    assert "cleanup.put" in stages(r)
