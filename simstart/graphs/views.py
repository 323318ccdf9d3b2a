"""The three pictures for slides, as ``networkx`` graphs ready for ``export``.

- ``call_graph_view``: the start path's call graph, optionally with one trace's path
  highlighted (the functions its steps ran in, and the calls between them) and the rest dimmed;
- ``state_machine``: a trace as a state machine — a state per stage, a transition per pair of
  consecutive steps, grouped by phase;
- ``topology``: the network of the world at one step — bridges, veth pairs, sandboxes and
  their namespaces, containers and their addresses, published ports and docker-proxy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .callgraph import call_graph

if TYPE_CHECKING:
    import networkx as nx

    from ..engine import Run


def call_graph_view(run: Run | None = None, request: int | None = None,
                    phase: str | None = None) -> nx.DiGraph:
    """The call graph; with ``run``, its path (one request's, or every request's) highlighted.

    With ``request`` or ``phase`` the picture is cut down to fit a slide: only the functions
    that request's steps (or the steps of that phase) ran in, and the calls between them.
    """
    g = call_graph().copy()
    for n, attrs in g.nodes(data=True):
        nb = len(attrs["branches"])
        attrs["label"] = f"{n}\n{attrs['file']}:{attrs['start']}"
        attrs["group"] = attrs["file"].rsplit("/", 1)[0] if "/" in attrs["file"] else ""
        attrs["shape"] = "box"
        attrs["branch_count"] = nb
        del attrs["branches"]
    if run is None:
        return g
    on_path: set[str] = set()
    calls: set[tuple[str, str]] = set()
    for step in run.trace:
        if request is not None and step.request != request:
            continue
        if phase is not None and step.phase != phase:
            continue
        on_path.update(step.stack)
        calls.update(zip(step.stack, step.stack[1:], strict=False))
    if request is not None or phase is not None:
        g = g.subgraph(n for n in g if n in on_path).copy()
        g.remove_edges_from([e for e in g.edges if e not in calls])
    for n, attrs in g.nodes(data=True):
        attrs["highlight"] = n in on_path
        attrs["dim"] = n not in on_path
    for u, v, attrs in g.edges(data=True):
        attrs["highlight"] = (u, v) in calls
        attrs["dim"] = (u, v) not in calls
    return g


def state_machine(run: Run, request: int | None = None) -> nx.DiGraph:
    """States = stages, transitions = consecutive steps (labelled with the step numbers).

    Each phase is a group, and a transition from one phase into another does not constrain
    the layout, so the phases stand side by side as columns, in the order the trace reaches
    them, instead of one column as tall as the trace.
    """
    import networkx as nx

    g = nx.DiGraph()
    g.add_node("start", label="request", shape="circle", group="")
    prev = "start"
    steps = [s for s in run.trace if request is None or s.request == request]
    last_request = steps[0].request if steps else 0
    for s in steps:
        if s.request != last_request:
            g.add_edge(prev, "end", label="")
            prev, last_request = "start", s.request
        if s.stage not in g:
            g.add_node(s.stage, label=f"{s.stage}\n{s.file.rsplit('/', 1)[-1]}:{s.line}",
                       shape="box", group=s.phase)
        if g.has_edge(prev, s.stage):
            g.edges[prev, s.stage]["steps"].append(s.index)
        else:
            g.add_edge(prev, s.stage, steps=[s.index])
        prev = s.stage
    if steps:
        status = {r.index: r.outcome.status for r in run.results}
        g.add_node("end", label="response " + ", ".join(
            str(status[i]) for i in sorted(status) if request is None or i == request),
            shape="doublecircle", group="")
        g.add_edge(prev, "end", steps=[])
    heads: dict[str, str] = {}  # each phase's first stage, in the order the trace reaches them
    for s in steps:
        heads.setdefault(s.phase, s.stage)
    g.graph["columns"] = list(heads.values())
    for u, v, attrs in g.edges(data=True):
        if g.nodes[u]["group"] != g.nodes[v]["group"]:
            attrs["constraint"] = False
        nums = attrs.get("steps") or []
        attrs["label"] = ", ".join(str(n) for n in nums[:4]) + (" …" if len(nums) > 4 else "")
    return g


def topology(run: Run, step: int | None = None) -> nx.Graph:
    """The host's network at ``step`` (default: the last): what is connected to what."""
    import networkx as nx

    trace = run.trace
    if step is not None:
        trace.goto(step)
    w = trace.world
    net = w.network
    g = nx.Graph()
    host = "host"
    g.add_node(host, label=f"host {w.options.hostname}", shape="box",
               group="host namespace")
    # bridges (one per bridge network)
    for n in net.networks.values():
        if n.driver != "bridge":
            continue
        node = f"bridge:{n.name}"
        g.add_node(node, label=f"{n.bridge_iface}\nnetwork {n.name}\n{n.subnet} gw {n.gateway}",
                   shape="ellipse", group="host namespace")
        g.add_edge(host, node, label="")
    # sandboxes and their namespaces
    by_container = {c.id: c for c in w.containers.by_id.values()}
    for sb in net.sandboxes.values():
        c = by_container.get(sb.container_id)
        who = c.name.lstrip("/") if c is not None else sb.container_id[:12]
        ns = sb.netns or ("(no namespace yet)" if sb.external_key else sb.key)
        node = f"sandbox:{sb.id}"
        g.add_node(node, label=f"sandbox {sb.id[:12]} ({who})\nkey {sb.key}\nnetns {ns}",
                   shape="box", group="")
        if sb.key.endswith("/default"):
            g.add_edge(host, node, label="host mode", style="dashed")
    # veth pairs, and the endpoints they belong to
    ep_of_veth = {ep.veth_host: ep for ep in net.endpoints.values() if ep.veth_host}
    for veth in net.veths.values():
        ep = ep_of_veth.get(veth.host_end)
        hnode, pnode = f"veth:{veth.host_end}", f"veth:{veth.peer}"
        g.add_node(hnode, label=veth.host_end, shape="circle", group="host namespace")
        inside = veth.peer_netns != ""
        g.add_node(pnode, label=f"{veth.peer_name or veth.peer}"
                   + (f"\n{ep.ip}" if ep is not None and ep.ip else "")
                   + ("" if inside else "\n(still in the host namespace)"),
                   shape="circle", group="" if inside else "host namespace")
        bridge = next((f"bridge:{n.name}" for n in net.networks.values()
                       if n.bridge_iface == veth.bridge), host)
        g.add_edge(bridge, hnode, label="port")
        g.add_edge(hnode, pnode, label="veth pair")
        sb_node = next((f"sandbox:{sb.id}" for sb in net.sandboxes.values()
                        if ep is not None and ep.id in sb.endpoints), None)
        if sb_node is not None:
            g.add_edge(pnode, sb_node, label="eth0" if inside else "waits for netns",
                       style="" if inside else "dashed")
    for ep in net.endpoints.values():
        if ep.veth_host:
            continue
        n = net.networks.get(ep.network)
        for sb in net.sandboxes.values():
            if ep.id in sb.endpoints:
                g.add_edge(f"sandbox:{sb.id}", f"bridge:{n.name}" if n is not None
                           and n.driver == "bridge" else host,
                           label=f"endpoint {ep.name} ({ep.network})", style="dashed")
    # containers
    for c in w.containers.by_id.values():
        name = c.name.lstrip("/")
        s = c.state
        node = f"container:{name}"
        addrs = [f"{k}: {v.ip_address}" for k, v in sorted(c.network_settings.networks.items())
                 if getattr(v, "ip_address", "")]
        g.add_node(node, label=f"container {name}\n{s.status()}"
                   + (f", pid {s.pid}" if s.pid else "") + "".join(f"\n{a}" for a in addrs),
                   shape="box", group="", highlight=s.running)
        sid = c.network_settings.sandbox_id
        mode = c.host_config.network_mode
        if sid and f"sandbox:{sid}" in g:
            g.add_edge(node, f"sandbox:{sid}", label="SandboxID")
        elif mode.startswith("container:"):
            g.add_edge(node, f"container:{mode.split(':', 1)[1]}",
                       label="shares netns", style="dashed")
    # published ports and proxies
    for key, (ep_id, pid, _rules) in sorted(net.mappings.items()):
        ip_proto, _, port = key.partition(":")
        ip, _, proto = ip_proto.partition("/")
        node = f"port:{key}"
        ep = net.endpoints.get(ep_id)
        g.add_node(node, label=f"{ip}:{port}/{proto}" + (f"\ndocker-proxy pid {pid}" if pid
                                                          else "\niptables only"),
                   shape="diamond", group="host namespace")
        if ep is not None and f"veth:{ep.veth_peer}" in g:
            g.add_edge(node, f"veth:{ep.veth_peer}", label="DNAT")
        else:
            g.add_edge(node, host, label="")
    for key, proc in sorted(net.host_listeners.items()):
        node = f"listener:{key}"
        g.add_node(node, label=f"{key}\n{proc}", shape="diamond", group="host namespace",
                   dim=True)
        g.add_edge(host, node, label="listens")
    return g


__all__ = ["call_graph_view", "state_machine", "topology"]
