"""Graphs for slides: DOT that graphviz renders, Mermaid for the live editor, and what the
topology and the state machine show."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from simstart.engine import record
from simstart.graphs.export import to_dot, to_mermaid
from simstart.graphs.views import call_graph_view, state_machine, topology
from simstart.scenario import load
from simstart.scenario.library import resolve


def run_of(name: str) -> Any:
    return record(load(resolve(name)))


def graphs() -> Iterator[tuple[str, Any]]:
    r = run_of("bridge-port")
    yield "calls", call_graph_view()
    yield "calls-highlighted", call_graph_view(run_of("port-already-allocated"))
    yield "states", state_machine(run_of("db-then-web"))
    yield "network", topology(r)
    yield "network-step-3", topology(run_of("db-then-web"), 3)


def test_graphviz_is_installed() -> None:
    """.ci/run installs graphviz when it is missing; the DOT output is checked with the real dot."""
    assert shutil.which("dot"), "install graphviz (apt-get install graphviz) to check the DOT"


@pytest.mark.parametrize(("name", "g"), list(graphs()))
def test_dot_renders_with_graphviz(name: str, g: Any) -> None:
    p = subprocess.run(["dot", "-Tsvg"], input=to_dot(g, name), capture_output=True, text=True,
                       check=False, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "<svg" in p.stdout and "Warning" not in p.stderr


@pytest.mark.parametrize(("name", "g"), list(graphs()))
def test_mermaid_is_well_formed(name: str, g: Any) -> None:
    text = to_mermaid(g)
    lines = text.splitlines()
    assert lines[0] in ("flowchart TB", "flowchart LR")
    assert sum(1 for x in lines if x.strip().startswith("subgraph")) == sum(
        1 for x in lines if x.strip() == "end")
    for line in lines[1:]:
        # labels are quoted, so nothing in them can break the syntax
        unquoted = re.sub(r'"[^"]*"', '""', line)
        assert not re.search(r"[<>;]", unquoted.replace("-->", "").replace("-.->", "")), line
    assert g.number_of_nodes() == len(re.findall(r"^\s*n\d+[\[\(\{>]", text, re.M))


def test_the_topology_shows_bridge_veth_namespace_address_and_port() -> None:
    labels = " ".join(str(a.get("label")) for _, a in topology(run_of("bridge-port"))
                      .nodes(data=True))
    for needle in ("docker0", "172.17.0.0/16", "veth", "eth0", "172.17.0.2",
                   "/var/run/docker/netns/", "0.0.0.0:8080/tcp", "docker-proxy pid",
                   "container web"):
        assert needle in labels, needle


def test_the_topology_at_an_earlier_step_has_no_namespace_yet() -> None:
    r = run_of("bridge-port")
    veth = next(s.index for s in r.trace if s.stage == "network.veth")
    labels = " ".join(str(a.get("label")) for _, a in topology(r, veth).nodes(data=True))
    assert "still in the host namespace" in labels and "docker-proxy" not in labels


def test_the_state_machine_follows_the_trace() -> None:
    r = run_of("start-twice")
    g = state_machine(r)
    steps = list(r.trace)
    for a, b in itertools.pairwise(steps):
        if a.request == b.request:
            assert g.has_edge(a.stage, b.stage)
    assert g.nodes["end"]["label"] == "response 204, 304"


def test_highlighting_a_trace_marks_exactly_its_functions() -> None:
    r = run_of("paused")
    g = call_graph_view(r)
    on = {n for n, a in g.nodes(data=True) if a["highlight"]}
    assert on == {sym for s in r.trace for sym in s.stack}


def test_graph_cli(tmp_path: Path) -> None:
    out = tmp_path / "net.mmd"
    p = subprocess.run([sys.executable, "-m", "simstart", "graph", "network", "db-then-web",
                        "--format", "mermaid", "--request", "1", "-o", str(out)],
                       capture_output=True, text=True, check=False)
    assert p.returncode == 0, p.stderr
    assert out.read_text().startswith("flowchart LR")
    p = subprocess.run([sys.executable, "-m", "simstart", "graph", "states"],
                       capture_output=True, text=True, check=False)
    assert p.returncode == 2 and "a scenario is needed" in p.stderr
    p = subprocess.run([sys.executable, "-m", "simstart", "graph", "network", "bridge-port",
                        "--step", "9999"], capture_output=True, text=True, check=False)
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_steps_and_requests_are_numbered_from_1_in_run_json_and_graph() -> None:
    """One numbering everywhere: the TUI's "step 1 of N" is run's #1, --json's "step": 1 and
    graph --step 1; request 1 is the first request in all of them."""
    def sim(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "simstart", *args], capture_output=True,
                              text=True, check=False)

    text = sim("run", "db-then-web").stdout.splitlines()
    assert text[0].startswith("#1 ") and not any(x.startswith("#0 ") for x in text)
    assert any(x.startswith("request 1: POST") for x in text)
    assert any(x.startswith("request 2: POST") for x in text)
    lines = [json.loads(x) for x in sim("run", "db-then-web", "--json").stdout.splitlines()]
    steps, summary = lines[:-1], lines[-1]
    assert [s["step"] for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0]["request"] == 1 and steps[-1]["request"] == 2
    assert [r["request"] for r in summary["requests"]] == [1, 2]
    assert summary["requests"][0]["steps"][0] == 1
    # the response is request 2's last step; libcontainerd's event goroutine may come after
    assert summary["requests"][1]["steps"][1] <= len(steps)
    assert sim("graph", "network", "db-then-web", "--step", "1").returncode == 0
    assert sim("graph", "network", "db-then-web", "--step", str(len(steps))).returncode == 0
    bad = sim("graph", "network", "db-then-web", "--step", "0")
    assert bad.returncode == 2 and f"(1 to {len(steps)})" in bad.stderr
    bad = sim("graph", "network", "db-then-web", "--request", "3")
    assert bad.returncode == 2 and "(1 to 2)" in bad.stderr


# -- pictures that fit a slide ----------------------------------------------------------------


def _plain(dot_text: str) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """The picture's width and height (inches) and each node's centre, from ``dot -Tplain``."""
    out = subprocess.run(["dot", "-Tplain"], input=dot_text, capture_output=True, text=True,
                         check=True).stdout
    width = height = 0.0
    pos: dict[str, tuple[float, float]] = {}
    for line in out.splitlines():
        f = line.split()
        if f[0] == "graph":
            width, height = float(f[2]), float(f[3])
        elif f[0] == "node":
            pos[f[1]] = (float(f[2]), float(f[3]))
    return width, height, pos


def test_the_state_machine_stands_its_phases_side_by_side_in_trace_order() -> None:
    r = run_of("bridge-port")
    g = state_machine(r)
    text = to_dot(g, "states", "TB")
    width, height, pos = _plain(text)
    # one column as tall as the trace was 218x5957 px; phases as columns fit a slide
    assert 0.5 < width / height < 2.5, (width, height)
    ids = {n: f"n{i}" for i, n in enumerate(g.nodes)}
    heads = g.graph["columns"]
    assert [r.trace.steps[0].phase] == [g.nodes[heads[0]]["group"]]
    xs = [pos[ids[h]][0] for h in heads]
    assert xs == sorted(xs), "the phases' columns are not in the order the trace reaches them"


def test_calls_for_one_request_or_phase_hold_only_that_path() -> None:
    r = run_of("port-already-allocated")
    g = call_graph_view(r, request=0)
    ran = {sym for s in r.trace if s.request == 0 for sym in s.stack}
    assert set(g.nodes) == ran
    g = call_graph_view(r, phase="network")
    ran = {sym for s in r.trace if s.phase == "network" for sym in s.stack}
    assert set(g.nodes) == ran and len(g) < len(call_graph_view())
    assert all(any(b == v for s in r.trace if s.phase == "network"
                   for a, b in zip(s.stack, s.stack[1:], strict=False) if a == u)
               for u, v in g.edges)


def test_graph_cli_phase_is_checked(tmp_path: Path) -> None:
    bad = subprocess.run([sys.executable, "-m", "simstart", "graph", "calls", "bridge-port",
                          "--phase", "netwrk"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--phase netwrk: not a phase" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    ok = subprocess.run([sys.executable, "-m", "simstart", "graph", "calls", "bridge-port",
                         "--phase", "network"], capture_output=True, text=True)
    assert ok.returncode == 0 and "rankdir=TB" in ok.stdout


def test_the_host_sits_inside_the_host_namespace() -> None:
    g = topology(run_of("bridge-port"))
    assert g.nodes["host"]["group"] == "host namespace"
