"""The journal records every write, by construction; going back gives the world that was built.

``structure`` turns a world into nested plain data — every record's type and every attribute
(labels included, the journal it writes to excluded), every collection's content — so two
worlds that differ anywhere compare unequal, whatever each class's ``__eq__`` says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
