"""The journal: every change to the simulated world, recorded so it can be undone and redone.

The world is plain data (``Node`` objects, ``JDict`` and ``JList`` collections). While a journal
is *active*, each assignment or collection change appends one ``Op`` to it. The engine cuts the
op list into one slice per step; going back a step applies that slice's inverses in reverse
order, going forward re-applies it. Neither depends on how long the trace is.

Undo and redo write through ``object.__setattr__`` and the plain ``dict``/``list`` methods, so
they are never themselves recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, NamedTuple, TypeVar, dataclass_transform

_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()


class Op(NamedTuple):
    """One recorded change: ``kind`` on ``target`` at ``key`` from ``old`` to ``new``."""

    kind: str  # "attr" | "item" | "insert" | "delete"
    target: Any
    key: Any
    old: Any
    new: Any

    def undo(self) -> None:
        """Put back what was there before."""
        t = self.target
        if self.kind == "attr":
            object.__setattr__(t, self.key, self.old)
        elif self.kind == "item":
            if self.old is _MISSING:
                dict.__delitem__(t, self.key)
            else:
                dict.__setitem__(t, self.key, self.old)
        elif self.kind == "insert":
            list.__delitem__(t, self.key)
        elif self.kind == "delete":
            if isinstance(t, dict):
                dict.__setitem__(t, self.key, self.old)
            else:
                list.insert(t, self.key, self.old)

    def redo(self) -> None:
        """Apply the change again."""
        t = self.target
        if self.kind == "attr":
            object.__setattr__(t, self.key, self.new)
        elif self.kind == "item":
            dict.__setitem__(t, self.key, self.new)
        elif self.kind == "insert":
            list.insert(t, self.key, self.new)
        elif self.kind == "delete":
            if isinstance(t, dict):
                dict.__delitem__(t, self.key)
            else:
                list.__delitem__(t, self.key)

    @property
    def path(self) -> str:
        """A readable path for the changed place, such as ``containers[/web].state.running``."""
        base = label_of(self.target)
        if self.kind == "attr":
            return f"{base}.{self.key}"
        if isinstance(self.target, dict):
            return f"{base}[{self.key}]"
        return base


class Journal:
    """The op list the world writes to while the engine records a run."""

    active: ClassVar[Journal | None] = None

    def __init__(self) -> None:
        self.ops: list[Op] = []

    def __enter__(self) -> Journal:
        Journal.active = self
        return self

    def __exit__(self, *exc: object) -> None:
        Journal.active = None

    def mark(self) -> int:
        """The position to cut the op list at."""
        return len(self.ops)


def _record(op: Op) -> None:
    j = Journal.active
    if j is not None:
        j.ops.append(op)


def label_of(obj: Any) -> str:
    """The display label of a world object (its ``label`` attribute), or its type name."""
    lab = getattr(obj, "label", None)
    if isinstance(lab, str):
        return lab
    return type(obj).__name__


class Node:
    """Base of every world record: attribute assignment is journaled.

    Subclasses are dataclasses with ``eq=True``, so two worlds compare equal field by field.
    """

    label: str = ""

    def __setattr__(self, name: str, value: Any) -> None:
        if Journal.active is not None and not name.startswith("_"):
            old = self.__dict__.get(name, _MISSING)
            # A first assignment is construction: nothing refers to the object yet.
            if old is not _MISSING and old is not value:
                _record(Op("attr", self, name, old, value))
        object.__setattr__(self, name, value)


def _short(key: Any) -> str:
    """Long hex IDs are shown by their first 12 digits, as docker does."""
    k = str(key)
    return k[:12] if len(k) == 64 and all(ch in "0123456789abcdef" for ch in k) else k


def _adopt(value: Any, label: str) -> None:
    """Name a record after the place it is stored, unless it already has a name of its own."""
    if isinstance(value, Node) and "[" not in value.label:
        object.__setattr__(value, "label", label)


class JDict(dict[Any, Any]):
    """A journaled ``dict``. Only ``[]=``, ``del``, ``pop`` and ``clear`` are supported writers."""

    def __init__(self, label: str = "", items: Iterable[tuple[Any, Any]] = ()) -> None:
        super().__init__(items)
        self.label = label

    def __setitem__(self, key: Any, value: Any) -> None:
        old = dict.get(self, key, _MISSING)
        if old is value:
            return
        _adopt(value, f"{self.label}[{_short(key)}]")
        _record(Op("item", self, key, old, value))
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        old = dict.__getitem__(self, key)
        _record(Op("delete", self, key, old, _MISSING))
        dict.__delitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self:
            value = self[key]
            del self[key]
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def clear(self) -> None:
        for key in list(self):
            del self[key]

    def __reduce__(self) -> Any:
        return (_rebuild_jdict, (self.label, list(dict.items(self))))

    def __eq__(self, other: object) -> bool:
        return dict.__eq__(self, other)

    __hash__ = None


def _rebuild_jdict(label: str, items: list[tuple[Any, Any]]) -> JDict:
    d = JDict(label)
    for k, v in items:
        dict.__setitem__(d, k, v)
    return d


class JList(list[Any]):
    """A journaled ``list``. Writers: ``append``, ``insert``, ``remove``, ``pop``, ``clear``."""

    def __init__(self, label: str = "", items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self.label = label

    def append(self, value: Any) -> None:
        self.insert(len(self), value)

    def insert(self, index: Any, value: Any) -> None:
        _adopt(value, f"{self.label}[{index if index >= 0 else len(self) + index}]")
        _record(Op("insert", self, index, _MISSING, value))
        list.insert(self, index, value)

    def pop(self, index: Any = -1) -> Any:
        if index < 0:
            index += len(self)
        value = list.__getitem__(self, index)
        _record(Op("delete", self, index, value, _MISSING))
        list.__delitem__(self, index)
        return value

    def remove(self, value: Any) -> None:
        self.pop(self.index(value))

    def clear(self) -> None:
        while self:
            self.pop()

    def __reduce__(self) -> Any:
        return (_rebuild_jlist, (self.label, list(self)))

    def __eq__(self, other: object) -> bool:
        return list.__eq__(self, other)

    __hash__ = None


def _rebuild_jlist(label: str, items: list[Any]) -> JList:
    lst = JList(label)
    list.extend(lst, items)
    return lst


# -- records: the world's data classes, without the dataclasses module -----------------------
#
# ``dataclasses`` (and the ``inspect`` it imports) costs ~15 ms of every ``simstart run``, and
# each class it builds compiles generated code. ``struct`` gives the world's classes what they
# use of it — an ``__init__`` from the annotated fields, ``==`` on the fields that compare, a
# ``repr`` — built from closures.

_T = TypeVar("_T")


class _Field:
    __slots__ = ("compare", "default", "factory")

    def __init__(self, default: Any, factory: Callable[[], Any] | None, compare: bool) -> None:
        self.default, self.factory, self.compare = default, factory, compare


def field(default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None,
          compare: bool = True, repr: bool = True) -> Any:
    """Like ``dataclasses.field``: a default, a default factory, and whether ``==`` uses it."""
    del repr  # every field is shown; kept for the dataclass-like signature
    return _Field(default, default_factory, compare)


@dataclass_transform(field_specifiers=(field,))
def struct(cls: type[_T]) -> type[_T]:
    """Give ``cls`` an ``__init__``, ``__eq__`` and ``__repr__`` from its annotated fields."""
    specs: list[tuple[str, Any, Callable[[], Any] | None]] = []
    compared: list[str] = []
    # not inspect.get_annotations: importing inspect is what this avoids
    for name, ann in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063
        if "ClassVar" in str(ann):
            continue
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, _Field):
            specs.append((name, value.default, value.factory))
            if value.compare:
                compared.append(name)
            if value.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, value.default)
        else:
            specs.append((name, value, None))
            compared.append(name)
    names = [n for n, _, _ in specs]
    qualname = cls.__qualname__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(specs):
            raise TypeError(f"{qualname}() takes {len(specs)} arguments, {len(args)} given")
        for i, (name, default, factory) in enumerate(specs):
            if i < len(args):
                value = args[i]
                if name in kwargs:
                    raise TypeError(f"{qualname}() got {name!r} twice")
            elif name in kwargs:
                value = kwargs.pop(name)
            elif factory is not None:
                value = factory()
            elif default is not _MISSING:
                value = default
            else:
                raise TypeError(f"{qualname}() missing argument {name!r}")
            setattr(self, name, value)
        if len(args) < len(specs) and kwargs:
            raise TypeError(f"{qualname}() got unexpected arguments {sorted(kwargs)}")

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in compared)

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{qualname}({inner})"

    cls.__init__ = __init__  # type: ignore[method-assign]
    cls.__eq__ = __eq__  # type: ignore[method-assign]
    cls.__repr__ = __repr__  # type: ignore[method-assign]
    cls.__hash__ = None  # type: ignore[assignment]
    return cls
