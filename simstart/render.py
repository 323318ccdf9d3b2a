"""Plain-text renderings of steps and changes, shared by the CLI and the TUI."""

from __future__ import annotations

import json
from typing import Any

from .engine.trace import Change, Step


def value(v: Any) -> str:
    """A changed value, short."""
    if v is None:
        return "∅"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False) if len(v) < 90 else json.dumps(v[:87] + "…",
                                                                                ensure_ascii=False)
    return json.dumps(v, ensure_ascii=False)


def format_change(c: Change) -> str:
    """``+ path = new`` for additions, ``- path`` for removals, ``~ path: old → new`` otherwise."""
    if c.old is None:
        return f"+ {c.path} = {value(c.new)}"
    if c.new is None:
        return f"- {c.path} (was {value(c.old)})"
    return f"~ {c.path}: {value(c.old)} → {value(c.new)}"


def format_step(s: Step, lang: str = "en") -> str:
    """A step as the ``simstart run`` trace shows it (``s.text`` already in ``lang``)."""
    from .engine.narration import run_text

    head = (f"#{s.index + 1:<4} {s.phase:<8} {s.stage:<30} "
            + run_text("depth", lang, depth=len(s.stack)))
    where = f"      {s.symbol}  {s.file}:{s.line}"
    lines = [head, where, f"      {s.text}"]
    lines += [f"        {format_change(c)}" for c in s.changes]
    return "\n".join(lines)
