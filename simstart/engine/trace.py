"""The trace: the recorded steps of a run, and a cursor that walks the world through them.

Each step owns the slice of the journal written while it ran. Moving the cursor one step
applies or undoes that slice only, so stepping costs the same at step 10 and at step 10,000.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..world import World
from ..world.ids import Ids
from ..world.journal import _MISSING, JDict, JList, Node, Op, field, path_of, struct


def show(v: Any) -> Any:
    """A JSON-ready, deterministic rendering of a world value for diffs."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    summary = getattr(v, "summary", None)
    if callable(summary):
        return summary()
    if isinstance(v, Node):
        return path_of(v)
    if isinstance(v, (JDict, JList)):
        return f"<{len(v)} entries>"
    if isinstance(v, dict):
        return {str(k): show(x) for k, x in sorted(v.items(), key=lambda kv: str(kv[0]))}
    if isinstance(v, (list, tuple)):
        return [show(x) for x in v]
    return repr(v) if not hasattr(v, "__dict__") else type(v).__name__


@struct
class Change:
    """What one step changed at one place of the world."""

    path: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"path": self.path, "old": self.old, "new": self.new}


def summarize(ops: list[Op]) -> list[Change]:
    """Readable changes, one per place, first old value to last new value, in order."""
    order: list[str] = []
    merged: dict[str, list[Any]] = {}
    for op in ops:
        if isinstance(op.target, Ids) or (op.target.__class__ is World and op.key == "clock"):
            continue  # identifier counters and the clock are bookkeeping, not teaching
        if op.kind == "attr" and op.key.startswith("_"):
            continue  # a record's private cache (journaled, so going back restores it too)
        path = op.path
        if op.kind == "insert":
            path = f"{path}[+]"
            order.append(f"{path}#{len(order)}")
            merged[order[-1]] = [None, show(op.new)]
            continue
        if op.kind == "delete" and not isinstance(op.target, dict):
            order.append(f"{path}[-]#{len(order)}")
            merged[order[-1]] = [show(op.old), None]
            continue
        old = None if op.old is _MISSING else op.old
        new = None if op.kind == "delete" else op.new
        if path in merged:
            merged[path][1] = show(new)
        else:
            order.append(path)
            merged[path] = [show(old), show(new)]
    out = []
    for key in order:
        old, new = merged[key]
        if old == new:
            continue
        out.append(Change(key.split("#")[0], old, new))
    return out


@struct
class Step:
    """One step of the trace."""

    index: int
    request: int
    stage: str  # stable id, e.g. "network.port_allocated"
    phase: str  # the stage group: http, checks, mount, network, spec, runtime, …
    stack: tuple[str, ...]  # moby symbols, outermost first
    repo: str
    file: str
    start: int
    end: int
    line: int
    text: str  # the narration in English, from the data (see ``narration``)
    variant: str = ""  # which text of the stage narrates it ("" when it has one)
    values: tuple[tuple[str, Any], ...] = ()  # the named values the narration shows
    ops: list[Op] = field(repr=False, default_factory=list)
    time_ms: int = 0  # the virtual clock when it happened (ms since the scenario began)
    goroutine: str = ""  # which goroutine took it ("POST /containers/web/start", …)
    _changes: list[Change] | None = field(default=None, repr=False)

    @property
    def changes(self) -> list[Change]:
        """What this step changed (computed on first use)."""
        if self._changes is None:
            self._changes = summarize(self.ops)
        return self._changes

    def narration(self, lang: str = "en") -> str:
        """The narration of this step in ``lang`` (a lookup of its stage and variant)."""
        if lang == "en":
            return self.text
        from .narration import render

        return render(self.stage, self.variant, self.values, lang)

    @property
    def symbol(self) -> str:
        """The innermost moby function."""
        return self.stack[-1] if self.stack else ""

    def as_dict(self) -> dict[str, Any]:
        """JSON form (stable field order). Steps and requests are numbered from 1, as
        everywhere a user reads them (``run``, ``graph --step``, the TUI)."""
        return {
            "step": self.index + 1, "request": self.request + 1, "stage": self.stage,
            "phase": self.phase, "stack": list(self.stack),
            "anchor": {"repo": self.repo, "file": self.file, "start": self.start,
                       "end": self.end, "line": self.line},
            "time_ms": self.time_ms, "goroutine": self.goroutine,
            "text": self.text, "changes": [c.as_dict() for c in self.changes],
        }


class Trace:
    """The steps of a run, and a cursor over the world they change."""

    def __init__(self, world: World, steps: list[Step]) -> None:
        self.world = world
        self.steps = steps
        self._at = len(steps) - 1  # after recording, the world holds every step's changes
        # a phase starts where a goroutine's step is in another phase than its previous one:
        # goroutines interleave, and another's steps in between do not end this one's phase
        self._phase_starts: list[int] = []
        last: dict[tuple[int, str], str] = {}
        for st in steps:
            key = (st.request, st.goroutine)
            if last.get(key) != st.phase:
                self._phase_starts.append(st.index)
            last[key] = st.phase
        self._starts = frozenset(self._phase_starts)
        self._phases = tuple(dict.fromkeys(s.phase for s in steps))

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    @property
    def position(self) -> int:
        """The index of the current step."""
        return self._at

    @property
    def current(self) -> Step:
        """The current step."""
        return self.steps[self._at]

    def forward(self) -> bool:
        """Apply the next step; False at the end."""
        if self._at + 1 >= len(self.steps):
            return False
        self._at += 1
        for op in self.steps[self._at].ops:
            op.redo()
        return True

    def back(self) -> bool:
        """Undo the current step; False at the first."""
        if self._at <= 0:
            return False
        for op in reversed(self.steps[self._at].ops):
            op.undo()
        self._at -= 1
        return True

    def goto(self, n: int) -> None:
        """Go to step ``n`` (clamped to the trace)."""
        n = max(0, min(n, len(self.steps) - 1))
        while self._at < n:
            self.forward()
        while self._at > n:
            self.back()

    def reset(self) -> None:
        """Back to the first step."""
        self.goto(0)

    def next_phase(self) -> bool:
        """Forward to the first step of the next phase (a new request starts a new one)."""
        for i in self._phase_starts:
            if i > self._at:
                self.goto(i)
                return True
        return False

    def prev_phase(self) -> bool:
        """Back to the first step of this phase, or of the previous one if already there."""
        for i in reversed(self._phase_starts):
            if i < self._at:
                self.goto(i)
                return True
        return False

    def phases(self) -> list[str]:
        """The phases this trace goes through, each once, in first-reached order."""
        return list(self._phases)

    def starts_phase(self, i: int) -> bool:
        """Step ``i`` is the first of a phase (for its goroutine)."""
        return i in self._starts
