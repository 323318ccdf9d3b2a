"""Each expectation of a request next to what happened, held or not: what the TUI shows per
request. ``outcome.check`` gives the failures as sentences; ``compare`` gives every expectation
the scenario states, the ones that held too (a test keeps the two in agreement)."""

from __future__ import annotations

import re
from typing import Any

from ..scenario.model import EndExpect, Expect
from ..world.journal import struct
from .outcome import End, Outcome, event_matches, event_text


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
    if e.message_pattern is not None:
        out.append(Expectation("message_pattern", e.message_pattern, o.message or "",
                               re.fullmatch(e.message_pattern, o.message or "") is not None))
    if e.location is not None:
        out.append(Expectation("location", e.location, o.location or "",
                               e.location == o.location))
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


def compare_end(e: EndExpect, end: End) -> list[Expectation]:
    """Every expectation of the scenario's top-level ``expect``, in the order
    ``outcome.check_end`` tests them, each with what the end shows and whether it held."""
    out: list[Expectation] = []
    for ce in e.containers:
        st = end.containers.get(ce.name)
        if ce.removed is not None:
            out.append(Expectation(f"{ce.name}.removed", ce.removed, st is None,
                                   ce.removed == (st is None)))
        for key in ("status", "exit_code", "error", "restart_count"):
            want = getattr(ce, key)
            if want is not None:
                got = "removed" if st is None else st[key]
                out.append(Expectation(f"{ce.name}.{key}", want, got, want == got))
    if e.events is not None:
        got = [event_text(ev) for ev in end.events]
        held = len(e.events) == len(end.events) and all(
            event_matches(w, ev) for w, ev in zip(e.events, end.events, strict=True))
        out.append(Expectation("events", list(e.events), got, held))
    return out
