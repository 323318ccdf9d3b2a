"""Every stage the engine can show, found statically in ``simstart/moby``'s source.

Each simulated Go function is decorated ``@go(symbol, …)`` and yields steps with
``d.emit("<stage id>", <upstream line>[, "<variant>"], name=value, …)``: which stage, which
line, which of the stage's texts and which values — the text itself is data
(``simstart/engine/narrations``). This module reads those modules with ``ast`` (it imports none
of them) and lists every emit site: its stage id, the symbol of the Go function it runs in, its
upstream line(s), the variant(s) it can name and the names of the values it passes; and every
``phrase("<key>", …)`` (a value that is itself text).

Two indirections are followed:

- a helper without ``@go`` runs inside its caller's frame, so its emits belong to every
  ``@go`` function that calls it (directly or through other helpers);
- a helper that takes the stage id (or the line, or the variant) as a parameter, such as
  ``to_disk(d, c, line, stage)``, contributes one site per call, with the literal its caller
  passes.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class EmitSite:
    """One place that emits a step."""

    stage: str
    symbol: str
    lines: tuple[int, ...]  # the upstream line(s) it names; () when computed
    variants: tuple[str, ...]  # the variant(s) of the stage's text it names ("" for none)
    values: tuple[str, ...]  # the names of the values it passes
    where: str  # simstart/moby/<module>.py:<lineno>


@dataclass(frozen=True)
class PhraseSite:
    """One ``phrase("<key>", …)``: a value of a narration that is itself text."""

    key: str
    values: tuple[str, ...]
    where: str


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
                        and call.func.attr == "emit" and 2 <= len(call.args) <= 3):
                    continue
                where = f"{fn.module.replace('.', '/')}.py:{call.lineno}"
                values = _values(call, where)
                stage_arg, line_arg = call.args[0], call.args[1]
                variant_arg = call.args[2] if len(call.args) == 3 else None
                literal = (isinstance(stage_arg, ast.Constant)
                           and isinstance(stage_arg.value, str))
                if not literal and not (isinstance(stage_arg, ast.Name)
                                        and stage_arg.id in fn.params):
                    raise ValueError(f"{where}: a stage id that is neither a literal nor a "
                                     "parameter")
                out += self._sites_of(key, stage_arg, line_arg, variant_arg, values, where)
        return out

    def _sites_of(self, key: tuple[str, str], stage_arg: ast.expr, line_arg: ast.expr,
                  variant_arg: ast.expr | None, values: tuple[str, ...], where: str
                  ) -> list[EmitSite]:
        """The sites of one emit: itself, or one per call of a helper that takes its stage id,
        line or variant as a parameter (with the literal its caller passes)."""
        fn = self.funcs[key]
        params = [a for a in (stage_arg, line_arg, variant_arg)
                  if isinstance(a, ast.Name) and a.id in fn.params]
        calls: list[tuple[tuple[str, str], ast.Call | None]] = (
            list(self.callers.get(key, [])) if params else [(key, None)])
        out: list[EmitSite] = []
        for caller, call in calls:
            def given(a: ast.expr | None, call: ast.Call | None = call) -> ast.expr | None:
                if call is not None and isinstance(a, ast.Name) and a.id in fn.params:
                    return _arg(call, fn.params, a.id)
                return a

            stage = given(stage_arg)
            if not (isinstance(stage, ast.Constant) and isinstance(stage.value, str)):
                if call is None:
                    raise ValueError(f"{where}: a stage id that is not a literal")
                continue
            variants = _strs(given(variant_arg)) if variant_arg is not None else ("",)
            if variants is None:
                raise ValueError(f"{where}: the variant of a narration is a literal (or a "
                                 "parameter its callers give a literal), not text: the text "
                                 "is data")
            cfn = self.funcs[caller]
            cwhere = where if call is None else f"{cfn.module.replace('.', '/')}.py:{call.lineno}"
            for sym in self.enclosing_symbols(caller):
                out.append(EmitSite(stage.value, sym, _ints(given(line_arg)), variants, values,
                                    cwhere))
        return out

    def phrases(self) -> list[PhraseSite]:
        """Every ``phrase("key", …)`` call in the moby layer."""
        out: list[PhraseSite] = []
        for module, (text, _) in moby_modules().items():
            for call in ast.walk(ast.parse(text)):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                        and call.func.id == "phrase"):
                    where = f"{module.replace('.', '/')}.py:{call.lineno}"
                    keys = _strs(call.args[0]) if call.args else None
                    if keys is None:
                        raise ValueError(f"{where}: a phrase key that is not a literal")
                    for k in keys:
                        out.append(PhraseSite(k, _values(call, where), where))
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


def _strs(node: ast.expr | None) -> tuple[str, ...] | None:
    """The string literals ``node`` can be (through ``a if x else b``); None if not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.IfExp):
        a, b = _strs(node.body), _strs(node.orelse)
        return None if a is None or b is None else tuple(dict.fromkeys(a + b))
    return None


def _values(call: ast.Call, where: str) -> tuple[str, ...]:
    names: list[str] = []
    for kw in call.keywords:
        if kw.arg is None:
            raise ValueError(f"{where}: pass the narration's values by name, not with **")
        names.append(kw.arg)
    return tuple(names)


@functools.cache
def emit_sites() -> tuple[EmitSite, ...]:
    """Every emit site in ``simstart/moby``, ordered by stage id."""
    return tuple(sorted(_Scanner().sites(), key=lambda s: (s.stage, s.symbol, s.where)))


def stage_symbols() -> dict[str, tuple[str, ...]]:
    """Stage id → the symbols of the Go functions it can be emitted in."""
    out: dict[str, set[str]] = {}
    for s in emit_sites():
        out.setdefault(s.stage, set()).add(s.symbol)
    return {k: tuple(sorted(v)) for k, v in sorted(out.items())}


@functools.cache
def phrase_sites() -> tuple[PhraseSite, ...]:
    """Every ``phrase(…)`` call in ``simstart/moby``, ordered by key."""
    return tuple(sorted(_Scanner().phrases(), key=lambda s: (s.key, s.where)))
