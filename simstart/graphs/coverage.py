"""Which functions and branches of the start path a set of scenarios reaches.

Each scenario is recorded (the engine runs it headless); every step names the branch it is
(its stage id and upstream line, in the frame of the innermost Go function on its stack) and
the call stack, so the reached functions are every symbol on a stack. Compared with the
static call graph (``callgraph``), what is left is either reachable by some scenario that is
not in the set, or listed in ``UNREACHABLE`` with the reason no scenario can reach it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .callgraph import Branch, branches

# Branches no scenario can reach, by ``Branch.id`` (or ``symbol: stage`` for all its lines),
# with the reason. Each is either not reachable through the start route at all, or a guard
# the simulated world cannot trip ("not modeled" says which part of the world is missing).
UNREACHABLE: dict[str, str] = {
    "daemon.(*Daemon).registerMountPoints: legacy.volumes_from_missing@128":
        "GetWithRef runs only for a copied mount point without a Source; a local volume's "
        "mount point always carries its path (registerMountPoints sets Source = v.Path()), "
        "and volume plugins are not modeled",
    "daemon.(*Daemon).GetContainer: lookup.empty@31":
        "the router never calls GetContainer with an empty name: gorilla/mux answers "
        "/containers//start with a 301 to /containers/start (scenarios/router-redirects.yaml), "
        "a path that matches no route; the loader refuses an empty request name for the same "
        "reason",
    "daemon.(*Daemon).Mount: mount.inconsistent@886":
        "guards against a graphdriver that returns a different path for the same mount ID; "
        "the simulated overlay2 always returns the same path (not modeled: a buggy driver)",
    "overlay2.(*Driver).Get: mount.no_lower@487":
        "a container's RW layer always has the image's layers below it, so the 'lower' file "
        "exists; only a base layer lacks it, and a container is never mounted on one "
        "(not modeled: images without layers)",
    "overlay2.(*Driver).Put: cleanup.put@569":
        "the Put counterpart of mount.no_lower: a layer without a 'lower' file",
    "daemon.(*Daemon).connectToNetwork: network.ambiguous@699":
        "needs a network mode that is an ID prefix of two networks; network IDs are "
        "generated from the seed and scenarios name networks by name, and the loader "
        "refuses a network mode that names no declared network (not modeled: network IDs)",
    "libnetwork.(*controller).NewSandbox: network.sandbox_exists":
        "allocateNetwork's SandboxDestroy removes any stale sandbox first, and "
        "connectToNetwork creates one only when there is none: a guard against races",
    "libnetwork.(*endpoint).sbJoin: network.join_taken@442":
        "the endpoint is created a few lines before Join in the same connectToNetwork call, "
        "so it never has a sandbox yet: a guard against concurrent joins",
    "daemon.(*Daemon).getLibcontainerdCreateOptions: spec.runtime_unknown@23":
        "verifyPlatformContainerSettings refuses an unknown runtime earlier ('Unknown "
        "runtime specified'); the runtimes can only change between the two checks on a "
        "daemon reload (not modeled: SIGHUP reload)",
    "libcontainerd.(*client).Create: runtime.already_active@50":
        "libcontainerd forgets a container when Create fails or when it exits; a stale entry "
        "needs a lost exit event, and a running container is refused earlier with 304 "
        "(not modeled: lost containerd events)",
    "libnetwork.(*controller).processExternalKey: runtime.setkey_no_sandbox@169":
        "the prestart hook is only put in the spec when initializeNetworking created a "
        "sandbox; a sandbox removed between the two needs a concurrent disconnect or a "
        "daemon restart (not modeled)",
    "osl.createNamespaceFile: runtime.netns_unlisted@335":
        "a new sandbox's key is <exec-root>/netns/ plus the first 12 digits of its random ID, "
        "so it is never a path a destroyed sandbox left on the collector's list, and the "
        "host's default namespace is never destroyed (tests/test_fidelity_network.py builds "
        "the collision by hand)",
    # -- after the 204: the exit path, stop, kill and removal ---------------------------------
    "container.(*State).IsRunning: state.lock_wait":
        "IsPaused comes first and waits out any holder, so IsRunning finds the lock free in a "
        "scenario; only a live session can lock the container between the two reads",
    "daemon.(*Daemon).killWithSignal: kill.lock_wait":
        "a scenario's stop or kill never races a start (only starts race); in a live session "
        "a kill that arrives during a start does wait here",
    "daemon.(*Daemon).ContainerRm: remove.not_found":
        "ContainerRm is reached only through AutoRemove, by the full ID of a container that "
        "exists (not modeled: docker rm)",
    "daemon.(*Daemon).ContainerRm: remove.in_progress":
        "ContainerRm is reached only through AutoRemove, by the container's full ID, once, "
        "after it stopped; DELETE /containers is not simulated (not modeled: docker rm)",
    "daemon.(*Daemon).cleanupContainer: remove.running@88":
        "AutoRemove always forces and removes a stopped container (not modeled: docker rm)",
    "daemon.(*Daemon).cleanupContainer: remove.kill@91":
        "AutoRemove removes a stopped container: nothing to kill (not modeled: docker rm -f)",
    "daemon.(*Daemon).StateChanged.func1: exit.auto_remove_failed@39":
        "ContainerRm by full ID of a container that exists cannot fail in the simulated "
        "world (not modeled: a failing graphdriver remove)",
    "daemon.(*Daemon).containerStart: cleanup.autoremove_failed@129":
        "the same: ContainerRm of an existing container does not fail here",
    "daemon.(*Daemon).Kill: kill.direct@140":
        "SIGKILL ends a simulated process at once, so the 10-second WaitStop never times out "
        "(not modeled: a process stuck in uninterruptible sleep)",
    "daemon.(*Daemon).killWithSignal: kill.failed@101":
        "the Signal RPC fails only for a container containerd does not know, which is the "
        "ignored 'container not found' case (not modeled: other containerd errors)",
    "daemon.(*Daemon).killWithSignal: kill.ignored_error@99":
        "needs a running container that containerd has forgotten: a lost exit event "
        "(not modeled: lost containerd events)",
    "server.(*apiServer).Signal: kill.rpc@157":
        "the same: containerd forgets a container only after its exit, and then the daemon "
        "no longer finds it running",
    "libcontainerd.(*queue).append.func1: events.state_changed_failed@28":
        "StateChanged fails only when the container is gone or ToDisk fails; AutoRemove "
        "runs after it (not modeled: disk errors)",
    "libcontainerd.(*remote).handleEventStream: events.unknown@318":
        "containerd only reports containers libcontainerd created; an unknown one needs a "
        "second daemon on the same containerd (not modeled)",
    "restartmanager.(*restartManager).ShouldRestart: exit.should_restart@67":
        "a restart manager is active only while no process runs, so no exit can reach it "
        "then: a guard",
}


def _matches(b: Branch, key: str) -> bool:
    """``key`` is a ``Branch.id``, or ``symbol: stage`` for every line of that stage."""
    return key in (b.id, f"{b.symbol}: {b.stage}")


@dataclass
class Coverage:
    """What a set of scenarios reaches."""

    scenarios: list[str]
    reached: dict[Branch, list[str]] = field(default_factory=dict)  # branch → scenarios
    functions: dict[str, list[str]] = field(default_factory=dict)  # symbol → scenarios

    @property
    def all_branches(self) -> tuple[Branch, ...]:
        """Every branch of the start path."""
        return branches()

    def unreachable(self) -> dict[Branch, str]:
        """The branches no scenario can reach, with the reason."""
        out: dict[Branch, str] = {}
        for b in self.all_branches:
            for key, why in UNREACHABLE.items():
                if _matches(b, key):
                    out[b] = why
        return out

    def missed(self) -> list[Branch]:
        """Reachable branches that none of these scenarios reaches."""
        skip = self.unreachable()
        return [b for b in self.all_branches if b not in self.reached and b not in skip]

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        from .callgraph import call_graph

        g = call_graph()
        return {
            "scenarios": self.scenarios,
            "functions": {"total": g.number_of_nodes(), "reached": len(self.functions),
                          "not_reached": sorted(set(g.nodes) - set(self.functions))},
            "branches": {
                "total": len(self.all_branches), "reached": len(self.reached),
                "error_branches": sum(b.error for b in self.all_branches),
                "error_branches_reached": sum(b.error for b in self.reached),
                "missed": [b.id for b in self.missed()],
                "unreachable": {b.id: why for b, why in self.unreachable().items()},
                "reached_by": {b.id: names for b, names in sorted(self.reached.items())},
            },
        }


def measure(paths: Iterable[Path]) -> Coverage:
    """Record each scenario and collect the branches and functions its steps reach."""
    from ..engine import record
    from ..scenario import load

    index: dict[tuple[str, str, int], Branch] = {}
    for b in branches():
        index[(b.symbol, b.stage, b.line)] = b
    paths = list(paths)
    cov = Coverage([p.stem for p in paths])
    for p in paths:
        run = record(load(p))
        for step in run.trace:
            sym = step.stack[-1] if step.stack else ""
            hit = index.get((sym, step.stage, step.line)) or index.get((sym, step.stage, 0))
            if hit is not None:
                names = cov.reached.setdefault(hit, [])
                if p.stem not in names:
                    names.append(p.stem)
            for s in step.stack:
                names = cov.functions.setdefault(s, [])
                if p.stem not in names:
                    names.append(p.stem)
    return cov


def report(cov: Coverage, verbose: bool = False) -> str:
    """The coverage map as text."""
    from .callgraph import call_graph

    g = call_graph()
    lines: list[str] = []
    total_b = len(cov.all_branches)
    unreach = cov.unreachable()
    reachable = total_b - len(unreach)
    errs = [b for b in cov.all_branches if b.error]
    lines.append(f"scenarios: {len(cov.scenarios)}")
    lines.append(f"functions: {len(cov.functions)} of {g.number_of_nodes()} reached")
    lines.append(f"branches:  {len(cov.reached)} of {reachable} reachable reached "
                 f"({total_b} in all, {len(unreach)} unreachable)")
    lines.append(f"  error branches: {sum(b.error for b in cov.reached)} of "
                 f"{sum(1 for b in errs if b not in unreach)} reachable reached")
    not_fn = sorted(set(g.nodes) - set(cov.functions))
    lines.append("")
    lines.append(f"functions not reached ({len(not_fn)}):")
    lines += [f"  {s}" for s in not_fn] or ["  (none)"]
    missed = cov.missed()
    lines.append("")
    lines.append(f"reachable branches not reached ({len(missed)}):")
    lines += [f"  {b.id}{'  [error]' if b.error else ''}" for b in missed] or ["  (none)"]
    lines.append("")
    lines.append(f"branches no scenario can reach ({len(unreach)}):")
    for b, why in sorted(unreach.items()):
        lines.append(f"  {b.id}{'  [error]' if b.error else ''}")
        lines.append(f"      {why}")
    if verbose:
        lines.append("")
        lines.append("reached branches, and the first scenario that reaches each:")
        for b, names in sorted(cov.reached.items()):
            lines.append(f"  {b.id}{'  [error]' if b.error else ''}  ← {names[0]}"
                         + (f" (+{len(names) - 1})" if len(names) > 1 else ""))
    return "\n".join(lines) + "\n"


__all__ = ["UNREACHABLE", "Coverage", "measure", "report"]
