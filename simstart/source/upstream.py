"""The real upstream text, read from a checkout the user points at, found by symbol.

Nothing here is shipped upstream text: it reads the user's own checkout of moby (or containerd,
or runc) at the recorded revision. Definitions are found with tree-sitter-go by symbol —
``daemon.(*Daemon).containerStart`` is the method ``containerStart`` of the pointer receiver
``*Daemon`` in package ``daemon`` — never by line number alone; the recorded lines are then
*checked* against what was found.

tree-sitter comes with the ``source`` extra: ``pip install 'simstart[source]'``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Entry

INSTALL_HINT = ("reading upstream source needs tree-sitter: pip install 'simstart[source]' "
                "(tree-sitter and tree-sitter-go)")

# Go's keywords and predeclared names: a rendition may use them without the function doing so.
_GO_WORDS = frozenset((
    "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
    "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
    "return", "select", "struct", "switch", "type", "var", "append", "bool", "byte", "cap",
    "close", "complex", "copy", "delete", "error", "false", "float32", "float64", "imag", "int",
    "int8", "int16", "int32", "int64", "iota", "len", "make", "new", "nil", "panic", "print",
    "println", "real", "recover", "rune", "string", "true", "uint", "uint8", "uint16", "uint32",
    "uint64", "uintptr",
))
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\'(?:[^\'\\]|\\.)*\'')
_METHOD = re.compile(r"^(?P<pkg>[\w]+)\.\((?P<ptr>\*?)(?P<recv>\w+)\)\.(?P<name>\w+)$")
_VALUE_METHOD = re.compile(r"^(?P<pkg>\w+)\.(?P<recv>[A-Z]\w*)\.(?P<name>\w+)$")
_FUNC = re.compile(r"^(?P<pkg>\w+)\.(?P<name>\w+)$")


class SourceUnavailable(Exception):
    """tree-sitter or its Go grammar is not installed."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


@dataclass(frozen=True)
class GoSymbol:
    """A symbol split into its package, receiver type (if a method) and name."""

    package: str
    receiver: str | None
    pointer: bool
    name: str


_CLOSURE = re.compile(r"^(?P<outer>.+)\.func(?P<n>[0-9]+)$")


def parse_symbol(symbol: str) -> GoSymbol:
    """``pkg.(*T).m``, ``pkg.T.m`` or ``pkg.f`` → its parts (``ValueError`` otherwise). A
    closure, ``<outer>.funcN`` as Go names it, gives its outer function's parts."""
    c = _CLOSURE.match(symbol)
    if c:
        symbol = c["outer"]
    m = _METHOD.match(symbol)
    if m:
        return GoSymbol(m["pkg"], m["recv"], m["ptr"] == "*", m["name"])
    m = _VALUE_METHOD.match(symbol)
    if m:
        return GoSymbol(m["pkg"], m["recv"], False, m["name"])
    m = _FUNC.match(symbol)
    if m:
        return GoSymbol(m["pkg"], None, False, m["name"])
    raise ValueError(f"not a Go symbol: {symbol!r}")


@functools.cache
def _parser() -> Any:
    try:
        import tree_sitter
        import tree_sitter_go
    except ImportError:
        raise SourceUnavailable() from None
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))


def available() -> bool:
    """True when tree-sitter-go can be used."""
    try:
        _parser()
    except SourceUnavailable:
        return False
    return True


@dataclass(frozen=True)
class Definition:
    """A function found in a Go file: its lines (1-based inclusive) and text."""

    start: int
    end: int
    text: str  # exactly the definition's lines, joined with "\n"
    package: str
    # every return and defer statement inside the definition (function literals included), as
    # (line of the statement's first character, "return" or "defer"), in line order
    control: tuple[tuple[int, str], ...] = ()

    def lines(self) -> list[tuple[int, str]]:
        """``(line number, text)`` for each line of the definition."""
        return list(enumerate(self.text.split("\n"), self.start))


def _text(node: Any) -> str:
    return bytes(node.text).decode("utf-8", "replace")


def _receiver_type(recv: Any) -> tuple[str, bool] | None:
    for p in recv.named_children:
        if p.type == "parameter_declaration":
            t = p.child_by_field_name("type")
            pointer = False
            if t is not None and t.type == "pointer_type":
                pointer = True
                t = t.named_children[0] if t.named_children else None
            if t is not None and t.type == "generic_type":
                t = t.child_by_field_name("type")
            if t is not None:
                return _text(t), pointer
    return None


def _find_in_tree(root: Any, sym: GoSymbol | None, locator: str) -> Any | None:
    if locator:
        var, _, fld = locator.partition(".")
        return _find_field_func(root, var, fld)
    assert sym is not None
    for node in root.named_children:
        if sym.receiver is None and node.type == "function_declaration":
            name = node.child_by_field_name("name")
            if name is not None and _text(name) == sym.name:
                return node
        if sym.receiver is not None and node.type == "method_declaration":
            name = node.child_by_field_name("name")
            recv = node.child_by_field_name("receiver")
            if name is None or recv is None or _text(name) != sym.name:
                continue
            rt = _receiver_type(recv)
            if rt is not None and rt == (sym.receiver, sym.pointer):
                return node
    return None


def _find_field_func(root: Any, var: str, fld: str) -> Any | None:
    """The function literal of field ``fld`` in the composite literal assigned to ``var``."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "var_spec":
            names = [c for c in node.named_children if c.type == "identifier"]
            if names and _text(names[0]) == var:
                for sub in _walk(node):
                    if sub.type == "keyed_element" and sub.named_child_count >= 2:
                        key, value = sub.named_children[0], sub.named_children[-1]
                        if _text(key) == fld:
                            inner = value.named_children[0] if value.type == "literal_element" \
                                and value.named_children else value
                            if inner.type == "func_literal":
                                return inner
        stack.extend(reversed(node.named_children))
    return None


def _walk(node: Any) -> list[Any]:
    out = [node]
    for c in node.named_children:
        out += _walk(c)
    return out


def _package(root: Any) -> str:
    for node in root.named_children:
        if node.type == "package_clause":
            for c in node.named_children:
                if c.type == "package_identifier":
                    return _text(c)
    return ""


def find_definition(path: Path, symbol: str, locator: str = "") -> Definition | None:
    """The definition of ``symbol`` in the Go file ``path`` (None if it has none).

    Raises ``SourceUnavailable`` without tree-sitter, ``OSError`` if the file cannot be read.
    """
    data = path.read_bytes()
    tree = _parser().parse(data)
    sym = None if locator else parse_symbol(symbol)
    node = _find_in_tree(tree.root_node, sym, locator)
    closure = None if locator else _CLOSURE.match(symbol)
    if node is not None and closure:
        node = _nth_func_literal(node, int(closure["n"]))
    if node is None:
        return None
    start, end = node.start_point[0] + 1, node.end_point[0] + 1
    lines = data.decode("utf-8", "replace").split("\n")
    control = sorted({(n.start_point[0] + 1, _CONTROL[n.type]) for n in _walk(node)
                      if n.type in _CONTROL})
    return Definition(start, end, "\n".join(lines[start - 1:end]), _package(tree.root_node),
                      tuple(control))


_CONTROL = {"return_statement": "return", "defer_statement": "defer"}


def _nth_func_literal(node: Any, n: int) -> Any:
    """The ``n``-th function literal directly inside ``node``, in source order: Go's
    ``funcN`` (a literal nested in another is ``funcN.M``, and not counted here)."""
    found: list[Any] = []

    def walk(x: Any) -> None:
        for c in x.named_children:
            if c.type == "func_literal":
                found.append(c)
            else:
                walk(c)

    walk(node)
    return found[n - 1] if 0 < n <= len(found) else None


def function_lines(root: Path, e: Entry) -> list[tuple[int, str]] | None:
    """The real lines of ``e``'s function in the checkout at ``root``, or None if the file or
    the definition is missing there. For the TUI's "upstream" view of the source pane."""
    path = root / e.file
    if not path.is_file():
        return None
    d = find_definition(path, e.symbol, e.locator)
    return None if d is None else d.lines()


def rendition_names(e: Entry) -> set[str]:
    """The Go names the rendition uses in its code (not in comments or strings).

    A rendition is an outline: Go names among words of our own (``container.IsPaused()? →
    plain error "…" (500)``). A word counts as a Go name when it is written as code: joined to
    a dot (``container.IsPaused``), called (``createSpec(``), or spelled like an identifier
    rather than a word (an inner capital, a digit or an underscore: ``checkpointDir``,
    ``IsPaused``, ``s1``). Plain words (``plain``, ``paused``) and acronyms (``DNS``) are the
    outline's prose.
    """
    out: set[str] = set()
    for ln in e.lines:
        out |= _code_names(ln.text)
    return out


def _code_only(text: str) -> str:
    return _STRING.sub('""', text).split("//", 1)[0]


def _line_names(text: str) -> set[str]:
    """Every word of a rendition line outside strings and comments (prose included)."""
    return {w for w in _IDENT.findall(_code_only(text)) if w not in _GO_WORDS}


def _code_names(text: str) -> set[str]:
    code = _code_only(text)
    out: set[str] = set()
    for m in _IDENT.finditer(code):
        w = m.group(0)
        if w in _GO_WORDS:
            continue
        a, b = m.start(), m.end()
        selected = a >= 2 and code[a - 1] == "." and (code[a - 2].isalnum() or code[a - 2] in
                                                      "_)]")
        selects = code[b:b + 1] == "." and (code[b + 1:b + 2].isalpha() or
                                             code[b + 1:b + 2] == "_")
        if (selected or selects or code[b:b + 1] == "(" or "_" in w
                or any(c.isdigit() for c in w)
                or (any(c.isupper() for c in w[1:]) and not w.isupper())):
            out.add(w)
    return out


@dataclass(frozen=True)
class Mismatch:
    """One way an entry disagrees with the checkout."""

    symbol: str
    kind: str  # file, symbol, package, start, end, names, line
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.symbol}: {self.detail}"


@dataclass(frozen=True)
class Hidden:
    """A ``return`` or ``defer`` of the real function that the rendition does not show."""

    file: str
    symbol: str
    line: int
    kind: str  # return or defer

    def __str__(self) -> str:
        return f"{self.kind} not shown: {self.file}:{self.symbol}:{self.line}"


@dataclass
class Verbatim:
    """How many non-trivial lines of one file's renditions are an upstream line of that file."""

    repo: str
    file: str
    lines: int = 0  # non-trivial rendition lines
    copied: list[tuple[int | None, str]] = field(default_factory=list)  # (upstream no, text)

    @property
    def same(self) -> int:
        return len(self.copied)


@dataclass
class Report:
    """What ``verify`` found."""

    checked: int = 0
    ok: int = 0
    skipped: list[str] = field(default_factory=list)  # repositories with no checkout given
    mismatches: list[Mismatch] = field(default_factory=list)
    control: int = 0  # return and defer statements of the checked functions
    hidden: list[Hidden] = field(default_factory=list)
    verbatim: list[Verbatim] = field(default_factory=list)  # one per file, in catalog order

    @property
    def verbatim_share(self) -> float:
        """The share (0–1) of non-trivial rendition lines identical to an upstream line."""
        total = sum(v.lines for v in self.verbatim)
        return sum(v.same for v in self.verbatim) / total if total else 0.0


VERBATIM_LIMIT = 0.10  # the most of the rendition lines that may be upstream lines
_TRIVIAL = re.compile(r"[{}()\[\];,.\s…|]*")


def normalize(text: str) -> str:
    """A line with its whitespace collapsed, as the verbatim comparison sees it."""
    return " ".join(text.split())


def nontrivial(text: str) -> bool:
    """Is a (normalized) rendition line long enough to count: 15 characters or more, not
    braces and punctuation only."""
    return len(text) >= 15 and not _TRIVIAL.fullmatch(text)


def copied_lines(e: Entry, upstream_text: str) -> tuple[int, list[tuple[int | None, str]]]:
    """How many non-trivial lines ``e``'s rendition has, and which of them are identical (once
    whitespace is collapsed) to a line anywhere in the upstream file's text."""
    real = {normalize(x) for x in upstream_text.split("\n")}
    n = 0
    out: list[tuple[int | None, str]] = []
    for ln in e.lines:
        t = normalize(ln.text)
        if not nontrivial(t):
            continue
        n += 1
        if t in real:
            out.append((ln.upstream_lineno, t))
    return n, out


def hidden_control(e: Entry, d: Definition) -> list[Hidden]:
    """The return and defer lines of the real definition ``d`` that no numbered line of
    ``e``'s rendition stands for."""
    shown = {ln.upstream_lineno for ln in e.lines}
    return [Hidden(e.file, e.symbol, no, kind) for no, kind in d.control if no not in shown]


def _check(root: Path, e: Entry) -> tuple[list[Mismatch], Definition | None]:
    path = root / e.file
    if not path.is_file():
        return [Mismatch(e.symbol, "file", f"{e.file} does not exist in {root}")], None
    d = find_definition(path, e.symbol, e.locator)
    if d is None:
        what = f"no {e.locator} function literal" if e.locator else "no definition"
        return [Mismatch(e.symbol, "symbol", f"{what} in {e.file}")], None
    out: list[Mismatch] = []
    if not e.locator:
        pkg = parse_symbol(e.symbol).package
        if d.package != pkg:
            out.append(Mismatch(e.symbol, "package", f"{e.file} is package {d.package}, the "
                                f"symbol says {pkg}"))
    if d.start != e.start:
        out.append(Mismatch(e.symbol, "start", f"starts at {e.file}:{d.start}, recorded "
                            f"{e.start}"))
    if d.end != e.end:
        out.append(Mismatch(e.symbol, "end", f"ends at {e.file}:{d.end}, recorded {e.end}"))
    real_names = set(_IDENT.findall(d.text))
    absent = sorted(rendition_names(e) - real_names)
    if absent:
        out.append(Mismatch(e.symbol, "names", f"the rendition uses {', '.join(absent)}, "
                            "which the real function does not"))
    real = dict(d.lines())
    for ln in e.lines:
        no = ln.upstream_lineno
        names = _line_names(ln.text)
        if no is None or not names:
            continue
        text = real.get(no, "")
        there = set(_IDENT.findall(_code_only(text)))
        if not there - _GO_WORDS and _IDENT.search(text):
            continue  # keywords and strings only (return nil, case "no":): the outline's words
        if not names & there:
            out.append(Mismatch(e.symbol, "line", f"rendition line {no} ({ln.text.strip()!r}) "
                                f"shares no name with {e.file}:{no}"))
    return out, d


def verify(entries: list[Entry] | tuple[Entry, ...], roots: dict[str, Path]) -> Report:
    """Check each entry against the checkout of its repository (``owner/name`` → directory).

    Entries of a repository with no checkout in ``roots`` are skipped and named in
    ``Report.skipped``. Raises ``SourceUnavailable`` without tree-sitter.
    """
    _parser()
    r = Report()
    files: dict[tuple[str, str], Verbatim] = {}
    for e in entries:
        root = roots.get(e.repo_name)
        if root is None:
            if e.repo_name not in r.skipped:
                r.skipped.append(e.repo_name)
            continue
        r.checked += 1
        found, d = _check(root, e)
        if found:
            r.mismatches += found
        else:
            r.ok += 1
        if d is None:
            continue
        r.control += len(d.control)
        r.hidden += hidden_control(e, d)
        v = files.get((e.repo_name, e.file))
        if v is None:
            v = files[(e.repo_name, e.file)] = Verbatim(e.repo_name, e.file)
            r.verbatim.append(v)
        n, copied = copied_lines(e, (root / e.file).read_text(encoding="utf-8",
                                                              errors="replace"))
        v.lines += n
        v.copied += copied
    return r
