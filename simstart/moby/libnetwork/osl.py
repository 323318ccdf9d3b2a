"""``osl/namespace_linux.go``: the network namespace files under ``<exec-root>/netns``, and the
collector that deletes them.

Destroying a namespace does not delete its file. ``Destroy`` detaches the bind mount lazily
(``MNT_DETACH``) and puts the path on ``garbagePathMap``; a goroutine started with the first
namespace file (``createBasePath``, L71–79) wakes every ``gpmCleanupPeriod`` (60 s, L36) and
removes whatever paths are listed then. The world keeps that list as
``NetworkState.garbage_paths``: each path with the clock (ms) of the tick that will remove it.
Every simulated world starts with the daemon's default namespace in place, so the collector is
taken to have started with the clock: it ticks at 60 s, 120 s, … of simulated time. The host
(``engine.sched``) starts ``remove_unused_paths`` at a tick that has paths to remove; a tick
with none does nothing and is not shown.
"""

from __future__ import annotations

from ..context import LN, Daemon, Steps, go

OSL = LN + "osl/namespace_linux.go"
GC_PERIOD_MS = 60_000  # gpmCleanupPeriod = 60 * time.Second (L36)


def next_tick(clock_ms: int) -> int:
    """The collector's first tick after ``clock_ms``: the next multiple of 60 s (a path listed
    at the very instant of a tick waits for the one after)."""
    return (clock_ms // GC_PERIOD_MS + 1) * GC_PERIOD_MS


@go("osl.(*networkNamespace).Destroy", OSL, 414, 427)
def destroy(d: Daemon, path: str) -> Steps:
    """Detach the namespace file's mount lazily, then list the file for the collector."""
    net = d.world.network
    # no process is left inside, so the namespace goes with its last mount — and an interface
    # still in it (the kernel deletes a veth whose namespace goes, and its peer with it)
    net.netns.pop(path, None)
    d.world.mounts.unmount(path)
    for veth in list(net.veths.values()):
        if veth.peer_netns == path:
            del net.veths[veth.host_end]
    yield d.emit("cleanup.netns", 420, path=path)
    due = next_tick(d.world.clock)
    net.garbage_paths[path] = due  # addToGarbagePaths (L118–122)
    yield d.emit("cleanup.netns_garbage", 425, path=path, due_s=due // 1000)
    return None


@go("osl.createNamespaceFile", OSL, 330, 349)
def create_namespace_file(d: Daemon, path: str) -> Steps:
    """Before a namespace file is (re)created: take it off the collector's list, so that the
    next tick does not delete the new namespace's file."""
    garbage = d.world.network.garbage_paths
    if path in garbage:
        del garbage[path]  # removeFromGarbagePaths (L124–128)
        yield d.emit("runtime.netns_unlisted", 335, path=path)
    return None


@go("osl.removeUnusedPaths", OSL, 81, 116)
def remove_unused_paths(d: Daemon) -> Steps:
    """One tick of the collector: take every listed path off the list, then remove each file."""
    garbage = d.world.network.garbage_paths
    due = sorted(p for p, t in garbage.items() if t <= d.world.clock)
    if not due:
        return None
    tick = max(garbage[p] for p in due)  # the tick that has come
    # upstream swaps the whole list for an empty one under gpmLock (L98–105), then removes the
    # files one by one (in map order; here in path order); an entry stands for its file too,
    # so each goes with its file
    for p in due:
        del garbage[p]
        yield d.emit("cleanup.netns_removed", 108, path=p, tick_s=tick // 1000)
    return None
