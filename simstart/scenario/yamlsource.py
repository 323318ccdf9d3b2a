"""Reading YAML safely, keeping the line and column of every node.

``yaml.compose`` with the safe loader gives the node tree with marks; ``to_python`` turns it
into plain values (exactly what ``yaml.safe_load`` would) while recording, for each key path,
where it was written. Aliases are followed, but the number of nodes built is capped, so an
alias-expansion bomb is refused quickly instead of eating memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1 << 20  # 1 MiB
MAX_NODES = 20_000  # a scenario has a few hundred values

KeyPath = tuple[str | int, ...]
_TOO_DEEP = ("the YAML is nested too deeply to be a scenario (a scenario is a few levels of "
             "mappings and lists)")


class ScenarioError(Exception):
    """A problem in a scenario file, located: ``file:line:col: key.path: message``."""

    def __init__(self, file: str, line: int, col: int, path: str, message: str) -> None:
        super().__init__(file, line, col, path, message)
        self.file, self.line, self.col, self.path, self.message = file, line, col, path, message

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ScenarioError) and self.args == other.args

    def __hash__(self) -> int:
        return hash(self.args)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


def dotted(path: KeyPath) -> str:
    """``("containers", 0, "name")`` → ``containers[0].name``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


class Located:
    """Plain values plus the (line, column) of every key path, both 1-based."""

    def __init__(self, file: str, value: Any, marks: dict[KeyPath, tuple[int, int]]) -> None:
        self.file = file
        self.value = value
        self.marks = marks

    def where(self, path: KeyPath) -> tuple[int, int]:
        """The position of ``path``, or of its nearest written ancestor."""
        p = tuple(path)
        while p and p not in self.marks:
            p = p[:-1]
        return self.marks.get(p, (1, 1))

    def error(self, path: KeyPath, message: str) -> ScenarioError:
        """A ``ScenarioError`` at ``path``."""
        line, col = self.where(path)
        return ScenarioError(self.file, line, col, dotted(path), message)


_MERGE = "tag:yaml.org,2002:merge"
_PLAIN = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _problem(exc: yaml.YAMLError) -> str:
    """One line: the problem, without PyYAML's multi-line marks."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return " ".join(str(exc.problem or exc.context or "invalid YAML").split())
    return " ".join(str(exc).split())


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _compose(text: str) -> yaml.Node | None:
    """``yaml.compose`` with the safe loader: libyaml's parser when PyYAML has it (the same
    nodes and marks, ten times faster), and the pure-Python one for any text libyaml refuses,
    so that an error is reported in the words it always was."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def load_text(text: str, file: str) -> Located:
    """Parse ``text`` (the contents of ``file``) into a ``Located``."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScenarioError(file, 1, 1, "", f"the file is larger than 1 MiB ({MAX_BYTES} bytes); "
                            "a scenario is a few kilobytes")
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = _problem(exc)
        raise ScenarioError(file, line, col, "", f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(file, 1, 1, "", f"YAML error: {_problem(exc)}") from None
    except RecursionError:
        raise ScenarioError(file, 1, 1, "", _TOO_DEEP) from None
    if root is None:
        raise ScenarioError(file, 1, 1, "", "the file is empty; a scenario is a YAML mapping")
    marks: dict[KeyPath, tuple[int, int]] = {}
    own_keys: dict[int, set[int]] = {}  # mapping node → its own (not merged) key nodes
    owner: dict[KeyPath, int] = {}  # key path → the key node that set it
    budget = [MAX_NODES]
    constructor = yaml.SafeLoader("")

    def build(node: yaml.Node, path: KeyPath) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            line, col = _mark(node)
            raise ScenarioError(file, line, col, dotted(path), "too many values once aliases "
                                f"are expanded (more than {MAX_NODES}; a scenario has a few "
                                "hundred): is this an alias bomb?")
        marks.setdefault(path, _mark(node))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN:
            line, col = _mark(node)
            raise ScenarioError(file, line, col, dotted(path), f"the tag {node.tag} is not "
                                "allowed: a scenario is plain YAML (lists, mappings, strings, "
                                "numbers, booleans)")
        if isinstance(node, yaml.MappingNode):
            if id(node) not in own_keys:
                own_keys[id(node)] = {id(k) for k, _ in node.value if k.tag != _MERGE}
                try:
                    constructor.flatten_mapping(node)
                except yaml.YAMLError as exc:
                    line, col = _mark(node)
                    raise ScenarioError(file, line, col, dotted(path),
                                        f"bad merge (<<): {_problem(exc)}") from None
            own = own_keys[id(node)]
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                key = build(knode, (*path, "<key>"))
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    line, col = _mark(knode)
                    raise ScenarioError(file, line, col, dotted(path),
                                        "a mapping key must be a plain value")
                kp = (*path, str(key))
                if key in out and id(knode) in own and owner.get(kp) in own:
                    line, col = _mark(knode)
                    raise ScenarioError(file, line, col, dotted(kp), "duplicate key")
                owner[kp] = id(knode)
                marks[kp] = _mark(knode)
                out[key] = build(vnode, kp)  # a key written here overrides a merged one
            marks.pop((*path, "<key>"), None)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            line, col = _mark(node)
            raise ScenarioError(file, line, col, dotted(path),
                                f"bad value: {_problem(exc)}") from None

    try:
        value = build(root, ())
    except RecursionError:
        raise ScenarioError(file, 1, 1, "", _TOO_DEEP) from None
    return Located(file, value, marks)


def load_file(path: str | Path) -> Located:
    """Read and parse a scenario file; unreadable files are a ``ScenarioError`` too."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise ScenarioError(name, 1, 1, "", "is a directory, not a scenario file")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(name, 1, 1, "", f"the file is larger than 1 MiB ({size} bytes); "
                                "a scenario is a few kilobytes")
        raw = p.read_bytes()
    except FileNotFoundError:
        hint = "" if ("/" in name or name.endswith((".yaml", ".yml"))) else (
            ", and no shipped scenario has that name (see `simstart list`)")
        raise ScenarioError(name, 1, 1, "", f"cannot read the file: no such file{hint}"
                            ) from None
    except OSError as exc:
        raise ScenarioError(name, 1, 1, "", f"cannot read the file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(name, 1, 1, "", f"not UTF-8 text (byte {exc.start})") from None
    return load_text(text, name)
