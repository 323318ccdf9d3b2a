"""The call graph of the start path, read statically from ``simstart/moby`` (DESIGN.md, layer 6).

Each simulated Go function is a generator decorated ``@go(symbol, file, start, end)``; it calls
the next one with ``yield from module.func(...)``. This module parses those modules with
``ast`` (it imports none of them) and builds a ``networkx.DiGraph``:

- a node per Go symbol, with its upstream file and lines, and the branches (emit sites) that
  run in its frame;
- an edge caller → callee for every call, looking through helpers without ``@go`` (they run in
  their caller's frame), in source order (``order`` on the edge).

A *branch* is one emit site: the Go symbol it runs in, its stage id and the upstream line it
names. A branch is an *error branch* when, right after the step, the simulated function returns
an error (or panics); the emit sites themselves come from ``simstart.source.stages``.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..source.stages import emit_sites, moby_modules, relative_imports

if TYPE_CHECKING:
    import networkx as nx

ENTRY = "mux.(*Router).ServeHTTP"


@dataclass(frozen=True, order=True)
class Branch:
    """One emit site: ``stage`` at upstream ``line`` (0 when computed) of ``symbol``."""

    symbol: str
    stage: str
    line: int
    error: bool = False

    @property
    def key(self) -> str:
        """``stage@line`` (``stage`` alone when the line is computed), unique per symbol."""
        return f"{self.stage}@{self.line}" if self.line else self.stage

    @property
    def id(self) -> str:
        """Unique over the whole start path: ``symbol: stage@line``."""
        return f"{self.symbol}: {self.key}"


@dataclass
class _Fn:
    module: str
    node: ast.FunctionDef
    symbol: str | None
    decorator: dict[str, Any]


def _decorator(fn: ast.FunctionDef) -> dict[str, Any] | None:
    for dec in fn.decorator_list:
        if (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Name) and dec.func.id == "go"
                and len(dec.args) >= 4):
            vals = [a.value if isinstance(a, ast.Constant) else None for a in dec.args[:4]]
            if isinstance(vals[0], str):
                return {"symbol": vals[0], "file": _file(dec.args[1]), "start": vals[2],
                        "end": vals[3]}
    return None


def _file(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (isinstance(node, ast.BinOp) and isinstance(node.right, ast.Constant)
            and isinstance(node.right.value, str)):
        return f"vendor/github.com/docker/libnetwork/{node.right.value}"
    return ""


def _is_error_return(stmt: ast.stmt) -> bool:
    """``return <an error>`` or ``raise``: not ``return None`` nor ``return x, None``."""
    if isinstance(stmt, ast.Raise):
        return True
    if not isinstance(stmt, ast.Return) or stmt.value is None:
        return False
    v = stmt.value
    if isinstance(v, ast.Constant) and v.value is None:
        return False
    if isinstance(v, ast.YieldFrom):  # a tail call: whatever the callee returns
        return False
    if (isinstance(v, ast.Call) and isinstance(v.func, ast.Name)
            and v.func.id == "HTTPResponse"):  # the response, not an error
        return False
    if isinstance(v, ast.Tuple):
        last = v.elts[-1]
        return not (isinstance(last, ast.Constant) and last.value is None)
    return True


class _Scan:
    def __init__(self) -> None:
        self.fns: dict[tuple[str, str], _Fn] = {}
        self.imports: dict[str, dict[str, str]] = {}
        self.error_emits: set[tuple[str, int]] = set()  # (module, lineno of the emit call)
        for module, (text, is_pkg) in moby_modules().items():
            tree = ast.parse(text)
            self.imports[module] = relative_imports(module, tree, is_pkg)
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    dec = _decorator(node)
                    self.fns[(module, node.name)] = _Fn(
                        module, node, dec["symbol"] if dec else None, dec or {})
            for any_node in ast.walk(tree):
                for field in ("body", "orelse", "finalbody"):
                    block = getattr(any_node, field, None)
                    if not isinstance(block, list):
                        continue
                    for i, stmt in enumerate(block[:-1]):
                        call = _emit_call(stmt)
                        if call is not None and _is_error_return(block[i + 1]):
                            self.error_emits.add((module, call.lineno))

    def callees(self, key: tuple[str, str], seen: frozenset[tuple[str, str]] = frozenset()
                ) -> list[str]:
        """The ``@go`` symbols a function calls, in source order, through helpers."""
        fn = self.fns[key]
        out: list[str] = []
        calls = sorted((n for n in ast.walk(fn.node) if isinstance(n, ast.Call)),
                       key=lambda n: (n.lineno, n.col_offset))
        for call in calls:
            target = self._target(call, fn.module)
            if target is None or target not in self.fns or target in seen:
                continue
            callee = self.fns[target]
            if callee.symbol is not None:
                out.append(callee.symbol)
            else:
                out += self.callees(target, seen | {key})
        return out

    def _target(self, call: ast.Call, module: str) -> tuple[str, str] | None:
        f = call.func
        if isinstance(f, ast.Name):
            imported = self.imports[module].get(f.id)
            if imported is not None:
                mod, _, name = imported.rpartition(".")
                return (mod, name)
            return (module, f.id)
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            target = self.imports[module].get(f.value.id)
            if target is not None:
                return (target, f.attr)
        return None


def _emit_call(stmt: ast.stmt) -> ast.Call | None:
    if (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield)
            and isinstance(stmt.value.value, ast.Call)):
        call = stmt.value.value
        if isinstance(call.func, ast.Attribute) and call.func.attr == "emit":
            return call
    return None


@functools.cache
def branches() -> tuple[Branch, ...]:
    """Every branch of the start path, sorted."""
    scan = _Scan()
    out: set[Branch] = set()
    for site in emit_sites():
        module_path, _, lineno = site.where.rpartition(":")
        module = module_path.removesuffix(".py").replace("/", ".")
        error = (module, int(lineno)) in scan.error_emits
        for line in site.lines or (0,):
            out.add(Branch(site.symbol, site.stage, line, error))
    return tuple(sorted(out))


@functools.cache
def _graph_data() -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, int]]]:
    scan = _Scan()
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], int] = {}
    for key, fn in sorted(scan.fns.items()):
        if fn.symbol is None:
            continue
        nodes[fn.symbol] = {"file": fn.decorator["file"], "start": fn.decorator["start"],
                            "end": fn.decorator["end"], "module": fn.module,
                            "python": f"{fn.module}.{fn.node.name}"}
        for order, callee in enumerate(scan.callees(key)):
            edges.setdefault((fn.symbol, callee), order)
    return nodes, [(a, b, o) for (a, b), o in sorted(edges.items())]


def call_graph() -> nx.DiGraph:
    """The start path's call graph: Go symbols, calls, and each symbol's branches."""
    import networkx as nx

    nodes, edges = _graph_data()
    g = nx.DiGraph(entry=ENTRY)
    by_symbol: dict[str, list[Branch]] = {}
    for b in branches():
        by_symbol.setdefault(b.symbol, []).append(b)
    for sym, attrs in nodes.items():
        g.add_node(sym, **attrs, branches=tuple(by_symbol.get(sym, ())))
    for caller, callee, order in edges:
        g.add_edge(caller, callee, order=order)
    return g


__all__ = ["ENTRY", "Branch", "branches", "call_graph"]
