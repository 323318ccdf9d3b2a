"""The journal records every write, by construction; going back gives the world that was built.

``structure`` turns a world into nested plain data — every record's type and every attribute
(labels included, the journal it writes to excluded), every collection's content — so two
worlds that differ anywhere compare unequal, whatever each class's ``__eq__`` says.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any, ClassVar

import pytest

from simstart.engine import record
from simstart.engine.build import build_world
from simstart.scenario import load
from simstart.scenario.library import shipped
from simstart.world.journal import (
    JDict,
    JList,
    Journal,
    JournalClosed,
    Node,
    attach,
    field,
    fields_of,
    struct,
)

from .conftest import SCENARIOS


def structure(x: Any, depth: int = 0) -> Any:
    """Nested plain data standing for ``x``, deep (mappings compared without their order)."""
    assert depth < 60, "a cycle in the world"
    if isinstance(x, Node):
        return (type(x).__qualname__,
                tuple(sorted((k, structure(v, depth + 1)) for k, v in fields_of(x).items())))
    if isinstance(x, dict):
        return (type(x).__qualname__, getattr(x, "label", None),
                tuple(sorted(((repr(k), structure(v, depth + 1)) for k, v in x.items()),
                             key=lambda kv: kv[0])))
    if isinstance(x, (list, tuple)):
        return (type(x).__qualname__, getattr(x, "label", None),
                tuple(structure(v, depth + 1) for v in x))
    assert isinstance(x, (str, int, float, bool, type(None))), f"unexpected {type(x)}"
    return x


# -- every writer is journaled ----------------------------------------------------------------

# The methods of dict and list that only read. Every other method Python defines on them is a
# writer, and JDict / JList must override it (a new Python that adds a writer fails here).
DICT_READERS = {"__contains__", "__getitem__", "__iter__", "__len__", "__reversed__", "copy",
                "get", "items", "keys", "values", "fromkeys", "__or__", "__ror__", "__eq__",
                "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__repr__", "__sizeof__",
                "__class_getitem__", "__getattribute__", "__hash__", "__new__", "__doc__",
                "__init__"}
LIST_READERS = {"__contains__", "__getitem__", "__iter__", "__len__", "__reversed__", "copy",
                "count", "index", "__add__", "__mul__", "__rmul__", "__eq__", "__ne__", "__lt__",
                "__le__", "__gt__", "__ge__", "__repr__", "__sizeof__", "__class_getitem__",
                "__getattribute__", "__hash__", "__new__", "__doc__", "__init__"}


@pytest.mark.parametrize(("base", "cls", "readers"), [(dict, JDict, DICT_READERS),
                                                       (list, JList, LIST_READERS)])
def test_every_writer_of_the_builtin_is_overridden(base: type, cls: type,
                                                    readers: set[str]) -> None:
    writers = set(vars(base)) - readers
    assert writers, "the reader list swallowed everything"
    missing = sorted(w for w in writers if w not in vars(cls))
    assert not missing, f"{cls.__name__} inherits writers that bypass the journal: {missing}"


def _journaled(make: Any, change: Any) -> None:
    """``change`` on an attached collection is recorded, and undoing it restores it exactly."""
    obj = make()
    before = structure(obj)
    j = Journal()
    attach(obj, j)
    change(obj)
    after = structure(obj)
    assert after != before, "the change changed nothing: a useless case"
    assert j.ops, "the change was not recorded"
    for op in reversed(j.ops):
        op.undo()
    assert structure(obj) == before
    for op in j.ops:
        op.redo()
    assert structure(obj) == after


DICT_CHANGES = {
    "setitem": lambda d: d.__setitem__("c", 3),
    "replace": lambda d: d.__setitem__("a", 9),
    "delitem": lambda d: d.__delitem__("a"),
    "pop": lambda d: d.pop("a"),
    "popitem": lambda d: d.popitem(),
    "clear": lambda d: d.clear(),
    "update": lambda d: d.update({"a": 5, "z": 6}, y=7),
    "setdefault": lambda d: d.setdefault("n", []),
    "ior": lambda d: d.__ior__({"q": 1}),
}
LIST_CHANGES = {
    "append": lambda lst: lst.append(4),
    "insert": lambda lst: lst.insert(1, 9),
    "insert_negative": lambda lst: lst.insert(-1, 9),
    "extend": lambda lst: lst.extend([7, 8]),
    "iadd": lambda lst: lst.__iadd__([7]),
    "imul": lambda lst: lst.__imul__(2),
    "pop": lambda lst: lst.pop(),
    "pop_index": lambda lst: lst.pop(0),
    "remove": lambda lst: lst.remove(2),
    "clear": lambda lst: lst.clear(),
    "setitem": lambda lst: lst.__setitem__(0, 5),
    "setslice": lambda lst: lst.__setitem__(slice(0, 2), [8, 8, 8]),
    "delitem": lambda lst: lst.__delitem__(1),
    "delslice": lambda lst: lst.__delitem__(slice(0, 2)),
    "sort": lambda lst: lst.sort(reverse=True),
    "reverse": lambda lst: lst.reverse(),
}


@pytest.mark.parametrize("name", sorted(DICT_CHANGES))
def test_every_dict_writer_is_recorded_and_undone(name: str) -> None:
    _journaled(lambda: JDict("d", [("a", 1), ("b", 2)]), DICT_CHANGES[name])


@pytest.mark.parametrize("name", sorted(LIST_CHANGES))
def test_every_list_writer_is_recorded_and_undone(name: str) -> None:
    _journaled(lambda: JList("l", [3, 1, 2]), LIST_CHANGES[name])


@struct
class _Rec(Node):
    a: int
    items: JList = field(default_factory=lambda: JList("items"))
    label: str = field(default="rec", compare=False)


def test_a_record_stored_later_is_attached_and_its_writes_recorded() -> None:
    j = Journal()
    parent = JDict("parent")
    attach(parent, j)
    child = _Rec(1)
    child.a = 2  # not attached yet: construction, nothing recorded
    assert j.ops == []
    parent["x"] = child
    child.a = 3
    child.items.append("y")
    assert [op.kind for op in j.ops] == ["item", "attr", "insert"]
    for op in reversed(j.ops):
        op.undo()
    assert parent == {} and child.a == 2 and child.items == []


def test_a_new_attribute_is_recorded_and_undone() -> None:
    j = Journal()
    r = _Rec(1)
    attach(r, j)
    r.extra = 5  # type: ignore[attr-defined]
    j.ops[-1].undo()
    assert "extra" not in vars(r)


def test_two_worlds_record_into_their_own_journals_at_once() -> None:
    a, b = _Rec(1), _Rec(1)
    ja, jb = Journal(), Journal()
    attach(a, ja)
    attach(b, jb)
    a.a = 2
    b.a = 3
    b.items.append(1)
    assert [op.new for op in ja.ops] == [2]
    assert [op.new for op in jb.ops] == [3, 1]


def test_a_write_after_the_recording_is_an_error() -> None:
    r = _Rec(1)
    j = Journal()
    attach(r, j)
    j.close()
    with pytest.raises(JournalClosed):
        r.a = 2
    with pytest.raises(JournalClosed):
        r.items.append(1)


def test_a_recorded_world_refuses_writes_outside_its_trace() -> None:
    run = record(load(SCENARIOS / "bridge-port.yaml"))
    with pytest.raises(JournalClosed):
        run.trace.world.files["/etc/motd"] = "hello"


# -- going back gives exactly the world that was built ----------------------------------------


def _before_first_step(trace: Any) -> None:
    """From step 0, undo step 0 too: the world before the first request."""
    assert trace.position == 0
    for op in reversed(trace.steps[0].ops):
        op.undo()


def _redo_first_step(trace: Any) -> None:
    for op in trace.steps[0].ops:
        op.redo()


def _check_returns_to_the_built_world(path: Path) -> None:
    sc = load(path)
    fresh = structure(build_world(sc))
    t = record(sc).trace
    t.reset()
    _before_first_step(t)
    assert structure(t.world) == fresh, f"{path.stem}: reset() is not the world built"
    _redo_first_step(t)
    t.goto(len(t) - 1)
    while t.back():
        pass
    _before_first_step(t)
    assert structure(t.world) == fresh, f"{path.stem}: back from the end is not the world built"


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.stem)
def test_reset_and_back_from_the_end_give_the_world_that_was_built(path: Path) -> None:
    _check_returns_to_the_built_world(path)


def test_the_comparison_catches_a_write_that_bypasses_the_journal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The bug the journal had: `files.update({...})` went past it. Put it back for `files`.
    real = JDict.__setitem__

    def leaky(self: JDict, key: Any, value: Any) -> None:
        if self.label == "files":
            dict.update(self, {key: value})
        else:
            real(self, key, value)

    monkeypatch.setattr(JDict, "__setitem__", leaky)
    with pytest.raises(AssertionError, match="is not the world built"):
        _check_returns_to_the_built_world(SCENARIOS / "bridge-port.yaml")


# -- names: the journal names what is stored after where it is stored ------------------------


@struct
class _Part(Node):
    n: int = 0
    label: str = field(default="part", compare=False)


@struct
class _Whole(Node):
    part: _Part = field(default_factory=_Part)
    items: JList = field(default_factory=lambda: JList("items"))
    plain: dict[str, _Part] = field(default_factory=dict)
    label: str = field(default="whole", compare=False)


def test_a_record_is_named_after_its_slot_and_its_parts_after_their_attributes() -> None:
    from simstart.world.journal import path_of

    table = JDict("wholes")
    w = _Whole(plain={"k": _Part()})
    assert path_of(w) == "whole"  # not stored anywhere yet: its kind
    table["a" * 64] = w
    assert path_of(w) == f"wholes[{'a' * 12}]"  # a long hex key by its first 12 digits
    assert path_of(w.part) == f"wholes[{'a' * 12}].part"
    assert path_of(w.items) == f"wholes[{'a' * 12}].items"
    assert path_of(w.plain["k"]) == "part"  # a plain dict's values are no slots of the journal
    assert path_of(table, "a" * 64) == f"wholes[{'a' * 64}]"  # the entry: its key in full
    assert path_of(w.part, "n") == f"wholes[{'a' * 12}].part.n"


def test_a_record_keeps_its_first_home_and_a_part_stored_later_is_named() -> None:
    from simstart.world.journal import path_of

    table, other = JDict("wholes"), JList("others")
    w = _Whole()
    table["x"] = w
    other.append(w)  # referred to from a second place: still named after its home
    assert path_of(w) == "wholes[x]"
    p = _Part()
    w.part = p  # stored into a record that has a home: named after the attribute
    assert path_of(p) == "wholes[x].part"
    loose = _Whole()
    loose.part = _Part()  # a record without a home names nothing
    assert path_of(loose.part) == "part"


def test_a_collection_can_name_its_entries_by_their_value() -> None:
    from simstart.world.journal import path_of

    table = JDict("byid", show=lambda _key, value: f"/{value.n}")
    p = _Part(7)
    table["0" * 64] = p
    assert path_of(p) == "byid[/7]"
    j = Journal()
    attach(table, j)
    p.n = 8
    assert [op.path for op in j.ops] == ["byid[/7].n"]


def test_a_journaled_world_names_containers_after_their_names() -> None:
    from simstart.world.journal import path_of

    w = build_world(load(SCENARIOS / "db-then-web.yaml"))
    for c in w.containers.all():
        assert path_of(c) == f"containers[{c.name}]"
        assert path_of(c.network_settings.networks) == \
            f"containers[{c.name}].network_settings.networks"
    for name, n in w.network.networks.items():
        assert path_of(n.ipam) == f"networks[{name}].ipam"


def test_no_module_writes_a_name_but_the_journal() -> None:
    """A name written by hand outside the journal is the bug this replaced: renaming one
    place would silently disagree with what the view and the trace call it."""
    import ast

    root = Path(__file__).resolve().parent.parent / "simstart"
    found = []
    # the layers that hold or write the world (the TUI's labels are Textual's tab labels)
    files = [p for layer in ("world", "moby", "engine", "server", "graphs")
             for p in sorted((root / layer).rglob("*.py"))]
    assert len(files) > 40
    for path in files:
        if path == root / "world" / "journal.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Assign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found += [f"{path.name}:{node.lineno}" for t in targets
                          if isinstance(t, ast.Attribute) and t.attr == "label"]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "__setattr__" and len(node.args) >= 2
                  and isinstance(node.args[1], ast.Constant) and node.args[1].value == "label"):
                found.append(f"{path.name}:{node.lineno}")
    assert not found, found


# -- struct: the records' __init__, ==, repr ---------------------------------------------------


class ClassVarish:
    """A type whose name merely contains "ClassVar"."""


@struct
class _P:
    a: int
    b: int = 2
    c: list[int] = field(default_factory=list)
    hidden: str = field(default="h", repr=False)
    ignored: int = field(default=0, compare=False)
    kind: ClassVar[str] = "p"
    other: typing.ClassVar[int] = 1
    looks_like: ClassVarish | None = None


def test_struct_takes_its_fields_as_parameters_and_nothing_else() -> None:
    p = _P(1, 3, c=[4])
    assert (p.a, p.b, p.c, p.hidden) == (1, 3, [4], "h")
    with pytest.raises(TypeError):
        _P(1, 2, b=3)  # b twice
    with pytest.raises(TypeError):
        _P(1, 2, [], "h", 0, None, 9)  # one positional too many
    with pytest.raises(TypeError):
        _P(1, d=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _P()  # type: ignore[call-arg]


def test_struct_skips_class_variables_and_only_those() -> None:
    p = _P(1, looks_like=ClassVarish())
    assert _P.kind == "p" and _P.other == 1
    with pytest.raises(TypeError):
        _P(1, kind="q")  # type: ignore[call-arg]
    assert isinstance(p.looks_like, ClassVarish)  # a field, though its type says ClassVar


def test_struct_compares_and_shows_the_fields_it_is_told_to() -> None:
    assert _P(1, ignored=5) == _P(1, ignored=6)
    assert _P(1) != _P(1, c=[1])
    assert _P(1).c is not _P(1).c  # a fresh default per record
    assert repr(_P(1)) == "_P(a=1, b=2, c=[], ignored=0, looks_like=None)"
    assert _P.__hash__ is None


def test_struct_refuses_what_dataclasses_refuses() -> None:
    with pytest.raises(TypeError, match="has no default"):
        @struct
        class Bad:
            a: int = 1
            b: int
    with pytest.raises(ValueError, match="not both"):
        field(default=1, default_factory=list)


def test_struct_sees_class_variables_without_postponed_annotations() -> None:
    ns: dict[str, Any] = {}
    source = ("import typing\nfrom typing import ClassVar\n"
              "class Q:\n    a: int\n    k: ClassVar[int] = 3\n    t: typing.ClassVar = 4\n")
    exec(compile(source, "<q>", "exec", dont_inherit=True), ns)  # not this file's __future__
    assert not isinstance(ns["Q"].__annotations__["k"], str)
    q = struct(ns["Q"])(1)
    assert q.a == 1 and repr(q) == "Q(a=1)"
