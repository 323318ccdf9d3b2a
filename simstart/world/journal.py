"""The journal: every change to the simulated world, recorded so it can be undone and redone.

The world is plain data (``Node`` objects, ``JDict`` and ``JList`` collections). A journal is
explicit: ``attach(world, journal)`` gives every record and collection of the world the
journal it writes to, and whatever is stored into an attached record or collection later is
attached in its turn. While the journal is open, each assignment or collection change appends
one ``Op`` to it; a record that is not attached yet (one being built) writes nothing, since
nothing refers to it. Two worlds can record into two journals at the same time.

Every writer is journaled: ``JDict`` and ``JList`` override each method of ``dict`` and
``list`` that changes them (a test fails if Python's ``dict`` or ``list`` has a writer they
do not override). Writing to a world whose journal is closed raises: a change made after the
recording would be lost when the trace steps back.

The engine cuts the op list into one slice per step; going back a step applies that slice's
inverses in reverse order, going forward re-applies it. Neither depends on how long the trace
is. Undo and redo write through ``object.__setattr__`` and the plain ``dict``/``list``
methods, so they are never themselves recorded.
"""

from __future__ import annotations

import sys
import typing
from collections.abc import Callable, Iterable
from typing import (
    Any,
    ClassVar,
    NamedTuple,
    SupportsIndex,
    TypeVar,
    dataclass_transform,
    get_origin,
)

_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()


class JournalClosed(RuntimeError):
    """A write to a recorded world after its recording ended (a simulator bug)."""


class Op(NamedTuple):
    """One recorded change: ``kind`` on ``target`` at ``key`` from ``old`` to ``new``.

    Kinds: ``attr`` (an attribute; ``old`` is missing for a new one), ``item`` (a mapping key;
    ``old`` is missing for a new key), ``insert`` and ``delete`` (a list index, or a mapping
    key for ``delete``), ``replace`` (a list's whole content: ``old`` and ``new`` are copies).
    """

    kind: str
    target: Any
    key: Any
    old: Any
    new: Any

    def undo(self) -> None:
        """Put back what was there before."""
        t = self.target
        if self.kind == "attr":
            if self.old is _MISSING:
                object.__delattr__(t, self.key)
            else:
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
        elif self.kind == "replace":
            list.__setitem__(t, slice(None), self.old)

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
        elif self.kind == "replace":
            list.__setitem__(t, slice(None), self.new)

    @property
    def path(self) -> str:
        """The changed place, such as ``containers[/web].state.running`` (``path_of``); a list
        change names the list."""
        if self.kind == "attr" or isinstance(self.target, dict):
            return path_of(self.target, self.key)
        return path_of(self.target)


class Journal:
    """The op list a world writes to while the engine records a run."""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.open = True

    def mark(self) -> int:
        """The position to cut the op list at."""
        return len(self.ops)

    def close(self) -> None:
        """The recording is over: any later write to the world is an error."""
        self.open = False

    def __enter__(self) -> Journal:
        """Record again (a live session records one request at a time)."""
        self.open = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.open = False

    def __deepcopy__(self, memo: dict[int, Any]) -> Journal:
        """A copy of a world is a snapshot: it gets a closed journal of its own."""
        j = Journal()
        j.open = False
        return j

    def record(self, op: Op) -> None:
        """Append ``op`` (raises ``JournalClosed`` once the journal is closed)."""
        if not self.open:
            raise JournalClosed(f"{op.path} written after the recording ended")
        self.ops.append(op)


def fields_of(obj: Any) -> dict[str, Any]:
    """A record's own state, for ``==``: its attributes without the journal it writes to."""
    return {k: v for k, v in vars(obj).items() if k != "_journal"}


# -- paths: where a record or collection is in the world -------------------------------------
#
# A record or collection is named by the place it is stored in. The world's own collections
# have names of their own (``containers``, ``overlay2.refcount``, ``netns``: a root's name
# holds no ``[``). Whatever is stored into a slot of a collection is named after that slot
# (``netns[/var/run/docker/netns/x]``, a long hex key shown by its 12 first digits), and its
# records and collections after their attributes (``containers[/web].state``), by the journal,
# when it is stored (``_home``). A name with a ``[`` is a home: a record keeps the first one it
# gets. A record not stored anywhere yet (a request's HostConfig) goes by its kind
# (``hostconfig``). Nothing outside this module writes a name; everything that needs one —
# the trace's changes, the TUI's marks — asks ``path_of``.


def path_of(obj: Any, key: Any = _MISSING) -> str:
    """The path of a record or collection of the world, as the trace's changes name it
    (``containers[/web].state``); with ``key``, the path of ``obj[key]`` (a collection's entry,
    the key in full, as an ``item`` change names it) or of ``obj.key`` (a record's attribute).
    """
    lab = getattr(obj, "label", None)
    base = lab if isinstance(lab, str) else type(obj).__name__
    if key is _MISSING:
        return base
    if isinstance(obj, dict):
        return f"{base}[{key}]"
    return f"{base}.{key}"


def _home(value: Any, path: str) -> None:
    """``value`` is stored at ``path``: name it so, and its parts after their attributes and
    slots, unless it has a home already."""
    if not isinstance(value, (Node, JDict, JList)) or "[" in value.label:
        return
    object.__setattr__(value, "label", path)
    if isinstance(value, Node):
        for attr, v in value.__dict__.items():
            if attr != "_journal":
                _home(v, f"{path}.{attr}")
    elif isinstance(value, JDict):
        for k, v in dict.items(value):
            _home(v, value._slot(k, v))
    else:
        for i, v in enumerate(list.__iter__(value)):
            _home(v, f"{path}[{i}]")


def attach(obj: Any, journal: Journal) -> None:
    """Make ``obj`` and every record and collection under it write to ``journal``."""
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, (Node, JDict, JList)):
            if x.__dict__.get("_journal") is journal:
                continue
            object.__setattr__(x, "_journal", journal)
            if isinstance(x, Node):
                stack.extend(v for k, v in x.__dict__.items() if k != "_journal")
            elif isinstance(x, JDict):
                stack.extend(dict.values(x))
            else:
                stack.extend(list.__iter__(x))
        elif isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())


def _attached(value: Any, journal: Journal | None) -> None:
    """``value`` is being stored into a record of ``journal``'s world: attach it too."""
    if journal is not None and isinstance(value, (Node, JDict, JList, list, tuple, dict)):
        attach(value, journal)


class Node:
    """Base of every world record: attribute assignment is journaled once it is attached.

    Subclasses are ``struct``s (or define ``__eq__``), so two worlds compare equal field by
    field.
    """

    label: str = ""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, (Node, JDict, JList)) and "[" in self.label:
            _home(value, f"{self.label}.{name}")
        j: Journal | None = self.__dict__.get("_journal")
        if j is not None:
            old = self.__dict__.get(name, _MISSING)
            if old is not value:
                _attached(value, j)
                j.record(Op("attr", self, name, old, value))
        object.__setattr__(self, name, value)


def _short(key: Any) -> str:
    """Long hex IDs are shown by their first 12 digits, as docker does."""
    k = str(key)
    return k[:12] if len(k) == 64 and all(ch in "0123456789abcdef" for ch in k) else k


def attach_to(record: Any, owner: Any) -> None:
    """Record ``record``'s writes in the journal ``owner`` writes to (if any)."""
    j: Journal | None = owner.__dict__.get("_journal")
    if j is not None:
        attach(record, j)


def adopt(record: Node, into: JDict, key: Any) -> None:
    """``record`` is the world's from now on, to be stored at ``into[key]``: name it after that
    slot (and its parts after their attributes), and record its writes in ``into``'s journal,
    before it is stored."""
    _home(record, into._slot(key, record))
    j: Journal | None = into.__dict__.get("_journal")
    if j is not None:
        attach(record, j)


ShowKey = Callable[[Any, Any], str]  # (key, value) -> how the key reads in the value's name


class JDict(dict[Any, Any]):
    """A journaled ``dict``: every writer of ``dict`` is overridden and goes through
    ``__setitem__`` or ``__delitem__``.

    ``label`` is its name; what is stored in it is named ``label[key]`` (a long hex key by its
    first 12 digits), or, with ``show``, ``label[show(key, value)]`` (the container store keys
    its containers by ID and names them by name).
    """

    _show: ShowKey | None = None

    def __init__(self, label: str = "", items: Iterable[tuple[Any, Any]] = (), *,
                 show: ShowKey | None = None) -> None:
        super().__init__(items)
        self.label = label
        if show is not None:
            self._show = show

    def _slot(self, key: Any, value: Any) -> str:
        """The name of what is stored at ``key``."""
        return f"{self.label}[{_short(key) if self._show is None else self._show(key, value)}]"

    def __setitem__(self, key: Any, value: Any) -> None:
        old = dict.get(self, key, _MISSING)
        if old is value:
            return
        _home(value, self._slot(key, value))
        j: Journal | None = self.__dict__.get("_journal")
        if j is not None:
            _attached(value, j)
            j.record(Op("item", self, key, old, value))
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        old = dict.__getitem__(self, key)
        j: Journal | None = self.__dict__.get("_journal")
        if j is not None:
            j.record(Op("delete", self, key, old, _MISSING))
        dict.__delitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self:
            value = self[key]
            del self[key]
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def popitem(self) -> tuple[Any, Any]:
        if not self:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(dict.keys(self)))
        return key, self.pop(key)

    def clear(self) -> None:
        for key in list(self):
            del self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for k, v in dict(*args, **kwargs).items():
            self[k] = v

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def __ior__(self, other: Any) -> JDict:  # type: ignore[misc]
        self.update(other)
        return self

    def __reduce__(self) -> Any:
        return (_rebuild_jdict, (self.label, list(dict.items(self)), self._show))

    def __eq__(self, other: object) -> bool:
        return dict.__eq__(self, other)

    __hash__ = None


def _rebuild_jdict(label: str, items: list[tuple[Any, Any]], show: ShowKey | None = None
                   ) -> JDict:
    d = JDict(label, show=show)
    for k, v in items:
        dict.__setitem__(d, k, v)
    return d


class JList(list[Any]):
    """A journaled ``list``: every writer of ``list`` is overridden and goes through
    ``insert``, ``pop`` or (for whole-list changes: slices, ``sort``, ``reverse``, ``*=``) one
    ``replace``."""

    def __init__(self, label: str = "", items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self.label = label

    def append(self, value: Any) -> None:
        self.insert(len(self), value)

    def insert(self, index: SupportsIndex, value: Any) -> None:
        i = index.__index__()
        n = len(self)
        i = max(0, min(n, i if i >= 0 else n + i))  # where list.insert puts it
        _home(value, f"{self.label}[{i}]")
        j: Journal | None = self.__dict__.get("_journal")
        if j is not None:
            _attached(value, j)
            j.record(Op("insert", self, i, _MISSING, value))
        list.insert(self, i, value)

    def extend(self, values: Iterable[Any]) -> None:
        for v in list(values):
            self.append(v)

    def __iadd__(self, values: Iterable[Any]) -> JList:  # type: ignore[misc]
        self.extend(values)
        return self

    def pop(self, index: SupportsIndex = -1) -> Any:
        i = index.__index__()
        if i < 0:
            i += len(self)
        value = list.__getitem__(self, i)
        j: Journal | None = self.__dict__.get("_journal")
        if j is not None:
            j.record(Op("delete", self, i, value, _MISSING))
        list.__delitem__(self, i)
        return value

    def remove(self, value: Any) -> None:
        self.pop(self.index(value))

    def clear(self) -> None:
        while self:
            self.pop()

    def _replace(self, change: Callable[[list[Any]], None]) -> None:
        """A change of the whole list, recorded as its content before and after."""
        old = list(self)
        new = list(self)
        change(new)
        j: Journal | None = self.__dict__.get("_journal")
        if j is not None:
            for v in new:
                _attached(v, j)
            j.record(Op("replace", self, None, old, list(new)))
        list.__setitem__(self, slice(None), new)

    def __setitem__(self, index: Any, value: Any) -> None:
        def change(content: list[Any]) -> None:
            content[index] = value
        self._replace(change)

    def __delitem__(self, index: Any) -> None:
        def change(content: list[Any]) -> None:
            del content[index]
        self._replace(change)

    def __imul__(self, n: SupportsIndex) -> JList:
        def change(content: list[Any]) -> None:
            content *= n
        self._replace(change)
        return self

    def sort(self, *, key: Any = None, reverse: bool = False) -> None:
        self._replace(lambda content: content.sort(key=key, reverse=reverse))

    def reverse(self) -> None:
        self._replace(lambda content: content.reverse())

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
# ``struct`` gives a class what the world's records use of ``dataclasses.dataclass(eq=True)``:
# an ``__init__`` with the annotated fields as parameters (a field with a default or a default
# factory after those without), ``==`` on the fields that compare, a ``repr`` of the fields
# shown. Like ``dataclasses`` it compiles the ``__init__`` and ``__eq__`` of each class from
# generated source, so constructing a record costs what a hand-written ``__init__`` costs; it
# does not import ``dataclasses`` and ``inspect``, whose import and class building cost
# ``simstart run`` more than struct (README, "Benchmarks": ``benchmarks/records.py``).

_T = TypeVar("_T")


class _Field:
    __slots__ = ("compare", "default", "factory", "repr")

    def __init__(self, default: Any, factory: Callable[[], Any] | None, compare: bool,
                 repr: bool) -> None:
        self.default, self.factory, self.compare, self.repr = default, factory, compare, repr


def field(default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None,
          compare: bool = True, repr: bool = True) -> Any:
    """Like ``dataclasses.field``: a default or a default factory, whether ``==`` compares the
    field, whether ``repr`` shows it."""
    if default is not _MISSING and default_factory is not None:
        raise ValueError("a field has a default or a default factory, not both")
    return _Field(default, default_factory, compare, repr)


def _is_classvar(cls: type, annotation: Any) -> bool:
    """``annotation`` is ``typing.ClassVar`` or ``ClassVar[...]``. A string annotation (under
    ``from __future__ import annotations``) is resolved in the class's module, as
    ``dataclasses`` does: ``ClassVar[int]`` or ``typing.ClassVar[int]`` when the name there
    is ``typing.ClassVar`` (or ``typing``); ``list[MyClassVar]`` is no class variable."""
    if not isinstance(annotation, str):
        return annotation is ClassVar or get_origin(annotation) is ClassVar
    head = annotation.split("[", 1)[0].strip()
    module = sys.modules.get(cls.__module__)
    namespace = vars(module) if module is not None else {}
    first, _, rest = head.partition(".")
    obj = namespace.get(first)
    if rest:
        obj = getattr(obj, rest, None) if obj is typing else None
    return obj is ClassVar


@dataclass_transform(field_specifiers=(field,))
def struct(cls: type[_T]) -> type[_T]:
    """Give ``cls`` an ``__init__``, ``__eq__`` and ``__repr__`` from its annotated fields."""
    qualname = cls.__qualname__
    params: list[str] = []
    body: list[str] = []
    compared: list[str] = []
    shown: list[str] = []
    env: dict[str, Any] = {"_MISSING": _MISSING}
    defaulted = ""
    # not inspect.get_annotations: importing inspect is what this avoids
    for name, ann in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063
        if _is_classvar(cls, ann):
            continue
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, _Field) else _Field(value, None, True, True)
        if spec.factory is not None:
            env[f"_factory_{name}"] = spec.factory
            params.append(f"{name}=_MISSING")
            body.append(f"self.{name} = _factory_{name}() if {name} is _MISSING else {name}")
        elif spec.default is not _MISSING:
            env[f"_default_{name}"] = spec.default
            params.append(f"{name}=_default_{name}")
            body.append(f"self.{name} = {name}")
        else:
            if defaulted:
                raise TypeError(f"{qualname}: field {name!r} has no default and follows "
                                f"{defaulted!r}, which has one")
            params.append(name)
            body.append(f"self.{name} = {name}")
        if spec.factory is not None or spec.default is not _MISSING:
            defaulted = defaulted or name
        if spec.default is not _MISSING:
            setattr(cls, name, spec.default)
        elif name in cls.__dict__:
            delattr(cls, name)
        if spec.compare:
            compared.append(name)
        if spec.repr:
            shown.append(name)
    mine = ", ".join(f"self.{n}" for n in compared)
    theirs = ", ".join(f"other.{n}" for n in compared)
    same = f"({mine},) == ({theirs},)" if compared else "True"
    source = (f"def __init__(self, {', '.join(params)}) -> None:\n"
              + "".join(f"    {line}\n" for line in body or ["pass"])
              + "def __eq__(self, other):\n"
              "    if other.__class__ is not self.__class__:\n"
              "        return NotImplemented\n"
              f"    return {same}\n")
    made: dict[str, Any] = {}
    exec(compile(source, f"<struct {qualname}>", "exec", dont_inherit=True), env, made)

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        return f"{qualname}({inner})"

    for fn_name, fn in (*made.items(), ("__repr__", __repr__)):
        fn.__qualname__ = f"{qualname}.{fn_name}"
        fn.__module__ = cls.__module__
        setattr(cls, fn_name, fn)
    cls.__hash__ = None  # type: ignore[assignment]
    return cls
