"""DOT and Mermaid text for a ``networkx`` graph, written here (no pydot, no graphviz).

Node attributes used: ``label`` (text, may hold newlines), ``shape`` (box, ellipse, diamond,
circle, cylinder, note), ``group`` (drawn as a cluster / subgraph), ``highlight`` (bool),
``dim`` (bool). Edge attributes: ``label``, ``highlight``, ``style`` ("dashed"),
``constraint`` (False: the edge does not push its head below its tail, so groups joined only
by such edges sit side by side — the state machine's phases become columns). Groups are
drawn in the order their first node was added. A graph attribute ``columns`` (a list of
nodes) puts those nodes at the top of side-by-side columns, left to right in that order (DOT
only; Mermaid lays out on its own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

HIGHLIGHT = "#d62728"
DIM = "#bbbbbb"


def _dot_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(g: nx.DiGraph | nx.Graph, name: str = "simstart", rankdir: str = "TB") -> str:
    """The graph in Graphviz DOT (``dot -Tsvg`` renders it)."""
    directed = g.is_directed()
    ids = {n: f"n{i}" for i, n in enumerate(g.nodes)}
    out = [f"{'digraph' if directed else 'graph'} {_dot_str(name)} {{",
           f"  rankdir={rankdir};",
           '  node [fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9];']
    groups: dict[str, list[Any]] = {}
    for n, attrs in g.nodes(data=True):
        groups.setdefault(str(attrs.get("group") or ""), []).append(n)

    def node_line(n: Any, attrs: dict[str, Any], indent: str) -> str:
        a = [f"label={_dot_str(str(attrs.get('label', n)))}",
             f"shape={attrs.get('shape', 'box')}"]
        if attrs.get("highlight"):
            a += [f'color="{HIGHLIGHT}"', "penwidth=2", 'style="filled"',
                  'fillcolor="#fde0dd"']
        elif attrs.get("dim"):
            a += [f'color="{DIM}"', f'fontcolor="{DIM}"']
        return f"{indent}{ids[n]} [{', '.join(a)}];"

    for i, (group, members) in enumerate(groups.items()):
        if group:
            out.append(f"  subgraph cluster_{i} {{")
            out.append(f"    label={_dot_str(group)};")
            out.append('    style="rounded"; color="#888888";')
            out += [node_line(n, g.nodes[n], "    ") for n in members]
            out.append("  }")
        else:
            out += [node_line(n, g.nodes[n], "  ") for n in members]
    arrow = "->" if directed else "--"
    for u, v, attrs in g.edges(data=True):
        a = []
        if attrs.get("label") not in (None, ""):
            a.append(f"label={_dot_str(str(attrs['label']))}")
        if attrs.get("highlight"):
            a += [f'color="{HIGHLIGHT}"', "penwidth=2"]
        elif attrs.get("dim"):
            a.append(f'color="{DIM}"')
        if attrs.get("style"):
            a.append(f"style={attrs['style']}")
        if attrs.get("constraint") is False:
            a.append("constraint=false")
        out.append(f"  {ids[u]} {arrow} {ids[v]}" + (f" [{', '.join(a)}]" if a else "") + ";")
    columns = [n for n in g.graph.get("columns", ()) if n in ids]
    if len(columns) > 1:
        # A hidden row of points, chained left to right, each pulling one group's first node
        # under it: dot keeps a rank's chained nodes in order, which it does not do for
        # clusters on their own.
        for i, n in enumerate(columns):
            out.append(f"  col{i} [style=invis, shape=point, width=0];")
            out.append(f"  col{i} -> {ids[n]} [style=invis, weight=100];")
        out.append("  { rank=same; " + " -> ".join(f"col{i}" for i in range(len(columns)))
                   + " [style=invis]; }")
    out.append("}")
    return "\n".join(out) + "\n"


_MERMAID_SHAPES = {"box": ("[", "]"), "ellipse": ("([", "])"), "diamond": ("{", "}"),
                   "circle": ("((", "))"), "cylinder": ("[(", ")]"), "note": (">", "]"),
                   "doublecircle": ("(((", ")))")}


def _mermaid_str(s: str) -> str:
    # Mermaid labels go in double quotes; quotes and markup-like characters become entities.
    return ('"' + s.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;").replace("\n", "<br/>") + '"')


def to_mermaid(g: nx.DiGraph | nx.Graph, direction: str = "TB") -> str:
    """The graph as a Mermaid flowchart (it renders in Mermaid's live editor)."""
    ids = {n: f"n{i}" for i, n in enumerate(g.nodes)}
    out = [f"flowchart {direction}"]
    groups: dict[str, list[Any]] = {}
    for n, attrs in g.nodes(data=True):
        groups.setdefault(str(attrs.get("group") or ""), []).append(n)

    def node_line(n: Any, attrs: dict[str, Any], indent: str) -> str:
        left, right = _MERMAID_SHAPES.get(str(attrs.get("shape", "box")), ("[", "]"))
        return f"{indent}{ids[n]}{left}{_mermaid_str(str(attrs.get('label', n)))}{right}"

    for i, (group, members) in enumerate(groups.items()):
        if group:
            out.append(f"  subgraph g{i}[{_mermaid_str(group)}]")
            out += [node_line(n, g.nodes[n], "    ") for n in members]
            out.append("  end")
        else:
            out += [node_line(n, g.nodes[n], "  ") for n in members]
    arrow_plain = "-->" if g.is_directed() else "---"
    highlighted: list[int] = []
    for k, (u, v, attrs) in enumerate(g.edges(data=True)):
        arrow = arrow_plain if attrs.get("style") != "dashed" else (
            "-.->" if g.is_directed() else "-.-")
        label = attrs.get("label")
        text = f"|{_mermaid_str(str(label))}|" if label not in (None, "") else ""
        out.append(f"  {ids[u]} {arrow}{text} {ids[v]}")
        if attrs.get("highlight"):
            highlighted.append(k)
    out.append(f"  classDef hl fill:#fde0dd,stroke:{HIGHLIGHT},stroke-width:2px")
    out.append(f"  classDef dim color:{DIM},stroke:{DIM}")
    hl = [ids[n] for n, a in g.nodes(data=True) if a.get("highlight")]
    dim = [ids[n] for n, a in g.nodes(data=True) if a.get("dim") and not a.get("highlight")]
    if hl:
        out.append(f"  class {','.join(hl)} hl")
    if dim:
        out.append(f"  class {','.join(dim)} dim")
    if highlighted:
        out.append(f"  linkStyle {','.join(map(str, highlighted))} "
                   f"stroke:{HIGHLIGHT},stroke-width:2px")
    return "\n".join(out) + "\n"


def render(g: nx.DiGraph | nx.Graph, fmt: str, name: str = "simstart",
           direction: str = "TB") -> str:
    """``fmt`` is ``dot`` or ``mermaid``."""
    return to_dot(g, name, direction) if fmt == "dot" else to_mermaid(g, direction)


__all__ = ["render", "to_dot", "to_mermaid"]
