"""Every stage the engine can show, found statically in ``simstart/moby``'s source.

Each simulated Go function is decorated ``@go(symbol, …)`` and yields steps with
``d.emit("<stage id>", <upstream line>, <narration>)``. This module reads those modules with
``ast`` (it imports none of them) and lists every emit site: its stage id, the symbol of the Go
function it runs in, its upstream line, and its narration as templates.

Two indirections are followed:

- a helper without ``@go`` runs inside its caller's frame, so its emits belong to every
  ``@go`` function that calls it (directly or through other helpers);
- a helper that takes the stage id (or the line) as a parameter, such as ``to_disk(d, c, line,
  stage)``, contributes one site per call, with the literal its caller passes.

A narration template is the English text with ``{0}``, ``{1}``… where the f-string formats a
value. A conditional part (``a if x else b``, also through a variable assigned once in the same
function) gives one template per branch, so that each variant can be translated whole.
"""

from __future__ import annotations

import ast
import functools
import itertools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

_Part = str | None  # literal text, or None for a formatted value (a slot)
_MAX_VARIANTS = 64


@dataclass(frozen=True)
class EmitSite:
    """One place that emits a step."""

    stage: str
    symbol: str
    lines: tuple[int, ...]  # the upstream line(s) it names; () when computed
    templates: tuple[str, ...]  # English narration variants, ``{n}`` for formatted values
    where: str  # simstart/moby/<module>.py:<lineno>


@dataclass
class _Func:
    module: str
    name: str
    node: ast.FunctionDef
    symbol: str | None
    params: list[str]


def moby_modules() -> dict[str, tuple[str, bool]]:
    """``simstart.moby`` module name → (source text, is a package); read, not imported."""
    root = resources.files("simstart.moby")
    out: dict[str, tuple[str, bool]] = {}

    def walk(node: Any, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir() and (child / "__init__.py").is_file():
                walk(child, f"{prefix}.{child.name}")
            elif child.name.endswith(".py"):
                mod = prefix if child.name == "__init__.py" else f"{prefix}.{child.name[:-3]}"
                out[mod] = (child.read_text(encoding="utf-8"), child.name == "__init__.py")

    walk(root, "simstart.moby")
    return out


def relative_imports(module: str, tree: ast.Module, is_pkg: bool) -> dict[str, str]:
    """Local alias → what it names, for the relative ``from . import x as y`` imports."""
    out: dict[str, str] = {}
    here = module if is_pkg else module.rsplit(".", 1)[0]
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            up = here.split(".")
            base = ".".join(up[: len(up) - (node.level - 1)])
            src = f"{base}.{node.module}" if node.module else base
            for a in node.names:
                out[a.asname or a.name] = f"{src}.{a.name}"
    return out


def _go_symbol(fn: ast.FunctionDef) -> str | None:
    for dec in fn.decorator_list:
        if (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Name) and dec.func.id == "go"
                and dec.args and isinstance(dec.args[0], ast.Constant)
                and isinstance(dec.args[0].value, str)):
            return dec.args[0].value
    return None


def _callee(call: ast.Call, module: str, imports: dict[str, str]) -> tuple[str, str] | None:
    f = call.func
    if isinstance(f, ast.Name):
        return (module, f.id)
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
        target = imports.get(f.value.id)
        if target is not None:
            return (target, f.attr)
    return None


class _Scanner:
    def __init__(self) -> None:
        self.funcs: dict[tuple[str, str], _Func] = {}
        self.imports: dict[str, dict[str, str]] = {}
        self.callers: dict[tuple[str, str], list[tuple[tuple[str, str], ast.Call]]] = {}
        for module, (text, is_pkg) in moby_modules().items():
            tree = ast.parse(text)
            self.imports[module] = relative_imports(module, tree, is_pkg)
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    params = [a.arg for a in node.args.args]
                    self.funcs[(module, node.name)] = _Func(module, node.name, node,
                                                            _go_symbol(node), params)
        for key, fn in self.funcs.items():
            for call in ast.walk(fn.node):
                if isinstance(call, ast.Call):
                    target = _callee(call, fn.module, self.imports[fn.module])
                    if target in self.funcs:
                        self.callers.setdefault(target, []).append((key, call))

    def frames(self, key: tuple[str, str], seen: frozenset[tuple[str, str]] = frozenset()
               ) -> list[tuple[str, tuple[str, str]]]:
        """(symbol, @go function) pairs whose frame a call of ``key`` runs in."""
        fn = self.funcs[key]
        if fn.symbol is not None:
            return [(fn.symbol, key)]
        out: list[tuple[str, tuple[str, str]]] = []
        for caller, _ in self.callers.get(key, []):
            if caller not in seen:
                out += self.frames(caller, seen | {key})
        return out

    def enclosing_symbols(self, key: tuple[str, str]) -> list[str]:
        return sorted({s for s, _ in self.frames(key)})

    def sites(self) -> list[EmitSite]:
        out: list[EmitSite] = []
        for key, fn in sorted(self.funcs.items()):
            for call in ast.walk(fn.node):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "emit" and len(call.args) == 3):
                    continue
                stage_arg, line_arg, text_arg = call.args
                templates = _templates(text_arg, fn.node)
                where = f"{fn.module.replace('.', '/')}.py:{call.lineno}"
                if isinstance(stage_arg, ast.Constant) and isinstance(stage_arg.value, str):
                    lines = _ints(line_arg)
                    for sym in self.enclosing_symbols(key):
                        out.append(EmitSite(stage_arg.value, sym, lines, templates, where))
                elif isinstance(stage_arg, ast.Name) and stage_arg.id in fn.params:
                    out += self._param_sites(key, stage_arg.id, line_arg, templates)
                else:
                    raise ValueError(f"{where}: a stage id that is neither a literal nor a "
                                     "parameter")
        return out

    def _param_sites(self, key: tuple[str, str], stage_param: str, line_arg: ast.expr,
                     templates: tuple[str, ...]) -> list[EmitSite]:
        fn = self.funcs[key]
        out: list[EmitSite] = []
        for caller, call in self.callers.get(key, []):
            stage = _arg(call, fn.params, stage_param)
            if not (isinstance(stage, ast.Constant) and isinstance(stage.value, str)):
                continue
            if isinstance(line_arg, ast.Name) and line_arg.id in fn.params:
                given = _arg(call, fn.params, line_arg.id)
                lines = _ints(given) if given is not None else ()
            else:
                lines = _ints(line_arg)
            cfn = self.funcs[caller]
            where = f"{cfn.module.replace('.', '/')}.py:{call.lineno}"
            for sym in self.enclosing_symbols(caller):
                out.append(EmitSite(stage.value, sym, lines, templates, where))
        return out


def _arg(call: ast.Call, params: list[str], name: str) -> ast.expr | None:
    i = params.index(name)
    if i < len(call.args):
        return call.args[i]
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def _ints(node: ast.expr | None) -> tuple[int, ...]:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return (node.value,)
    if isinstance(node, ast.IfExp):
        return tuple(sorted(set(_ints(node.body) + _ints(node.orelse))))
    return ()


def _single_assignments(fn: ast.FunctionDef) -> dict[str, ast.expr]:
    """Names assigned exactly once in ``fn`` by a plain ``name = expr``."""
    counts: dict[str, int] = {}
    value: dict[str, ast.expr] = {}
    for node in ast.walk(fn):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For | ast.comprehension
                        | ast.NamedExpr):
            targets = [node.target]
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    counts[n.id] = counts.get(n.id, 0) + 1
            if isinstance(node, ast.Assign) and isinstance(t, ast.Name):
                value[t.id] = node.value
    for a in fn.args.args:
        counts[a.arg] = counts.get(a.arg, 0) + 1
    return {k: v for k, v in value.items() if counts.get(k) == 1}


def _variants(node: ast.expr, env: dict[str, ast.expr], depth: int = 0
              ) -> list[list[_Part]]:
    """Each way ``node`` can read, as literal parts and slots."""
    if depth > 8:
        return [[None]]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [[node.value]]
    if isinstance(node, ast.JoinedStr):
        pieces: list[list[list[_Part]]] = []
        for v in node.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                pieces.append([[v.value]])
            elif isinstance(v, ast.FormattedValue):
                inner = v.value
                if v.conversion == -1 and v.format_spec is None and _is_textual(inner, env):
                    pieces.append(_variants(inner, env, depth + 1))
                else:
                    pieces.append([[None]])
        return _product(pieces)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _product([_variants(node.left, env, depth + 1),
                         _variants(node.right, env, depth + 1)])
    if isinstance(node, ast.IfExp):
        return _variants(node.body, env, depth + 1) + _variants(node.orelse, env, depth + 1)
    if isinstance(node, ast.Name) and node.id in env and _is_textual(env[node.id], env):
        return _variants(env[node.id], env, depth + 1)
    return [[None]]


def _is_textual(node: ast.expr, env: dict[str, ast.expr], depth: int = 0) -> bool:
    """True when ``node`` is built only of string literals, f-strings, ``+`` and ``if``."""
    if depth > 8:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_textual(node.left, env, depth + 1) and _is_textual(node.right, env, depth + 1)
    if isinstance(node, ast.IfExp):
        return _is_textual(node.body, env, depth + 1) and _is_textual(node.orelse, env, depth + 1)
    if isinstance(node, ast.Name) and node.id in env:
        return _is_textual(env[node.id], env, depth + 1)
    return False


def _product(pieces: list[list[list[_Part]]]) -> list[list[_Part]]:
    out: list[list[_Part]] = []
    for combo in itertools.product(*pieces):
        out.append([p for part in combo for p in part])
        if len(out) > _MAX_VARIANTS:
            raise ValueError("too many narration variants")
    return out


def _template(parts: list[_Part]) -> str:
    out: list[str] = []
    n = 0
    for p in parts:
        if p is None:
            if out and out[-1].endswith("}") and re.search(r"\{\d+\}$", out[-1]):
                continue  # two adjacent slots read as one
            out.append(f"{{{n}}}")
            n += 1
        else:
            out.append(p.replace("{", "{{").replace("}", "}}"))
    return "".join(out)


def _templates(node: ast.expr, fn: ast.FunctionDef) -> tuple[str, ...]:
    env = _single_assignments(fn)
    seen: dict[str, None] = {}
    for parts in _variants(node, env):
        seen[_template(parts)] = None
    return tuple(seen)


@functools.cache
def emit_sites() -> tuple[EmitSite, ...]:
    """Every emit site in ``simstart/moby``, ordered by stage id."""
    return tuple(sorted(_Scanner().sites(), key=lambda s: (s.stage, s.symbol, s.where)))


def stage_ids() -> frozenset[str]:
    """Every stage id the engine can emit."""
    return frozenset(s.stage for s in emit_sites())


def stage_symbols() -> dict[str, tuple[str, ...]]:
    """Stage id → the symbols of the Go functions it can be emitted in."""
    out: dict[str, set[str]] = {}
    for s in emit_sites():
        out.setdefault(s.stage, set()).add(s.symbol)
    return {k: tuple(sorted(v)) for k, v in sorted(out.items())}


def templates_for(stage: str) -> tuple[str, ...]:
    """The English narration templates of ``stage``, over all its emit sites."""
    seen: dict[str, None] = {}
    for s in emit_sites():
        if s.stage == stage:
            for t in s.templates:
                seen[t] = None
    return tuple(seen)
