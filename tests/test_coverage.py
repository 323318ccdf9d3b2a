"""The shipped library reaches every branch of the start path that a scenario can reach; the
others are listed with the reason, and the list stays honest."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache

import networkx as nx

from simstart.graphs.callgraph import ENTRY, branches, call_graph
from simstart.graphs.coverage import UNREACHABLE, Coverage, measure
from simstart.scenario.library import shipped


@cache
def library() -> Coverage:
    return measure(shipped())


def test_every_reachable_branch_is_reached_by_a_shipped_scenario() -> None:
    missed = [b.id for b in library().missed()]
    assert missed == [], "write a scenario that reaches these (or explain in UNREACHABLE)"


def test_every_function_of_the_call_graph_is_reached() -> None:
    """... or each of its branches is listed as unreachable (IsRunning shows a step only when
    it has to wait for the lock)."""
    g = call_graph()
    cov = library()
    unreachable = {b.symbol for b in cov.unreachable()}
    reachable = {b.symbol for b in branches() if b not in cov.unreachable()}
    assert sorted(set(g.nodes) - set(cov.functions) - (unreachable - reachable)) == []


def test_the_unreachable_list_names_real_branches_none_of_which_is_reached() -> None:
    cov = library()
    unreachable = cov.unreachable()
    for key in UNREACHABLE:
        assert any(key in (b.id, f"{b.symbol}: {b.stage}") for b in branches()), (
            f"{key}: no such branch (renamed or moved?)")
    reached = [b.id for b in unreachable if b in cov.reached]
    assert reached == [], "reached after all: remove from UNREACHABLE"
    assert all(len(why) > 40 for why in UNREACHABLE.values())


# Functions that begin a goroutine (``d.go(…, fn, …)``, or the host reaping a process).
GOROUTINES = {
    "main.start", "supervisor.(*Supervisor).exit", "supervisor.(*Supervisor).delete",
    "libcontainerd.(*remote).handleEventStream", "libcontainerd.(*queue).append.func1",
    "daemon.(*Daemon).StateChanged.func2", "logger.(*Copier).copySrc",
    "restartmanager.(*restartManager).ShouldRestart.func2", "osl.removeUnusedPaths",
}


def test_the_call_graph_is_rooted_at_the_http_handler() -> None:
    g = call_graph()
    assert nx.is_directed_acyclic_graph(g) or nx.number_of_selfloops(g) == 0
    # every function is called from the HTTP handler, or runs in a goroutine started by one
    # that is (its root has no caller in the graph); the host starts the shim's
    roots = {n for n in g.nodes if g.in_degree(n) == 0}
    assert roots - GOROUTINES == {ENTRY}, roots - GOROUTINES
    assert set(g.nodes) - {ENTRY} <= set().union(*(nx.descendants(g, r) for r in roots)) | roots
    assert g.has_edge("daemon.(*Daemon).ContainerStart", "daemon.(*Daemon).containerStart")
    assert g.has_edge("daemon.(*Daemon).containerStart", "daemon.(*Daemon).Cleanup")


def test_error_branches_are_those_that_return_an_error() -> None:
    by_id = {b.id: b for b in branches()}
    assert by_id["daemon.(*Daemon).ContainerStart: checks.paused@31"].error
    assert by_id["portmapper.(*PortMapper).MapRange: network.port_taken@85"].error
    assert not by_id["daemon.(*Daemon).GetContainer: lookup.by_name@41"].error
    assert not by_id["server.(*Server).makeHTTPHandler: response.no_content@140"].error


def test_coverage_of_one_scenario_from_the_cli() -> None:
    p = subprocess.run([sys.executable, "-m", "simstart", "coverage", "bridge-port", "--json"],
                       capture_output=True, text=True, check=False)
    assert p.returncode == 1  # one scenario leaves reachable branches unreached
    doc = json.loads(p.stdout)
    assert doc["scenarios"] == ["bridge-port"]
    assert "portmapper.(*PortMapper).MapRange: network.port_allocated@85" in (
        doc["branches"]["reached_by"])
    assert doc["branches"]["missed"]
    p = subprocess.run([sys.executable, "-m", "simstart", "coverage"], capture_output=True,
                       text=True, check=False)
    assert p.returncode == 0, p.stdout
    assert "reachable branches not reached (0):" in p.stdout
    assert "branches no scenario can reach" in p.stdout
