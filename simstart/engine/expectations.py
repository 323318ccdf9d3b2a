"""Each expectation of a request next to what happened, held or not: what the TUI shows per
request. ``outcome.check`` gives the failures as sentences; ``compare`` gives every expectation
the scenario states, the ones that held too (a test keeps the two in agreement)."""

from __future__ import annotations

from typing import Any

from ..scenario.model import Expect
from ..world.journal import struct
from .outcome import Outcome


@struct
class Expectation:
    """One key of ``expect``: what the scenario wants, what the request produced."""

    key: str  # "status", "message", "removed", "state.exit_code", "events", "resources.veths"
    expected: Any
    happened: Any
    held: bool


def compare(e: Expect, o: Outcome) -> list[Expectation]:
    """Every expectation ``e`` states, in the order ``check`` tests them, each with what
    ``o`` shows and whether it held."""
    out: list[Expectation] = []
    if e.status is not None:
        out.append(Expectation("status", e.status, o.status, e.status == o.status))
    if e.message is not None:
        out.append(Expectation("message", e.message, o.message or "",
                               e.message == (o.message or "")))
    if e.removed is not None:
        gone = o.state is None
        out.append(Expectation("removed", e.removed, gone, e.removed == gone))
    if e.state is not None:
        if o.state is None:
            out.append(Expectation("state.status", e.state.status, "removed",
                                   e.state.status == "removed"))
        else:
            for key in ("status", "exit_code", "error"):
                want = getattr(e.state, key)
                if want is not None:
                    out.append(Expectation(f"state.{key}", want, o.state[key],
                                           want == o.state[key]))
    if e.events is not None:
        out.append(Expectation("events", list(e.events), list(o.events),
                               tuple(e.events) == o.events))
    for k, n in e.resources or ():
        got = o.resources.get(k)
        out.append(Expectation(f"resources.{k}", n, got, got == n))
    return out
