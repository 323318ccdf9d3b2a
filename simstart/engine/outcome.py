"""What a request produced, and whether it matches the scenario's expectations."""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from ..moby import HTTPResponse
from ..scenario.model import EndExpect, Expect, RequestSpec, Scenario
from ..world import EPOCH, World
from ..world.containers import Container
from ..world.events import Event
from ..world.journal import struct


def resources(w: World) -> dict[str, int]:
    """How much of each host resource is in use."""
    net = w.network
    return {
        "mounts": len(w.mounts.table),
        "veths": len(net.veths),
        "endpoints": len(net.endpoints),
        "sandboxes": len(net.sandboxes),
        "proxies": len(net.proxies),
        "ports": len(net.ports),
        "iptables": len(net.iptables),
        "netns": len(net.netns) - 1,  # not counting the daemon's own namespace
        "netns_garbage": len(net.garbage_paths),  # files of destroyed ones, not yet collected
        "processes": len(w.containerd.processes) - 2,  # not counting dockerd and containerd
        "containerd": len(w.containerd.containers),
    }


def _resolve(w: World, ref: str) -> Container | None:
    """The container a request names, the way GetContainer would find it (no errors)."""
    store = w.containers
    cid: str | None = ref if ref in store.by_id else \
        store.names.get(ref if ref.startswith("/") else "/" + ref)
    if cid is None:
        m = store.id_index.matches(ref, 2) if ref else []
        cid = m[0] if len(m) == 1 else None
    found: Container | None = store.by_id[cid] if cid is not None else None
    return found


@struct
class Outcome:
    """The response, the container's State afterwards, the events and the resources."""

    status: int
    body: str
    content_type: str
    message: str | None
    container: str | None
    state: dict[str, Any] | None
    events: tuple[str, ...]
    event_lines: tuple[str, ...]
    resources: dict[str, int]
    location: str | None = None  # a redirect's Location header

    def as_dict(self) -> dict[str, Any]:
        """JSON form (``location`` only for a redirect)."""
        out = {"status": self.status, "body": self.body, "content_type": self.content_type,
               "message": self.message, "container": self.container, "state": self.state,
               "events": list(self.events), "resources": self.resources}
        return out if self.location is None else {**out, "location": self.location}


def observe(w: World, req: RequestSpec, resp: HTTPResponse, new_events: list[Event]) -> Outcome:
    """Read the outcome of one request off the world."""
    ctype = resp.headers.get("Content-Type", "")
    message: str | None = None
    if resp.status >= 300 and resp.body:
        if ctype == "application/json":
            message = json.loads(resp.body)["message"]
        else:
            message = resp.body.rstrip("\n")
    c = _resolve(w, req.container)
    state = None
    if c is not None:
        s = c.state
        state = {"status": s.status(), "running": s.running, "paused": s.paused,
                 "restarting": s.restarting, "pid": s.pid, "exit_code": s.exit_code,
                 "error": s.error}
    return Outcome(
        status=resp.status, body=resp.body, content_type=ctype, message=message,
        container=c.name if c is not None else None, state=state,
        events=tuple(f"{e.type} {e.action}" for e in new_events),
        event_lines=tuple(e.line() for e in new_events), resources=resources(w),
        location=resp.headers.get("Location"))


def check(e: Expect, o: Outcome) -> list[str]:
    """Each way the outcome differs from the expectation, as a sentence."""
    bad: list[str] = []
    if e.status is not None and e.status != o.status:
        bad.append(f"status: expected {e.status}, got {o.status}")
    if e.message is not None and e.message != (o.message or ""):
        bad.append(f"message: expected {e.message!r}, got {o.message!r}")
    if e.message_pattern is not None and not re.fullmatch(e.message_pattern, o.message or ""):
        bad.append(f"message: expected to match {e.message_pattern!r}, got {o.message!r}")
    if e.location is not None and e.location != o.location:
        bad.append(f"location: expected {e.location!r}, got {o.location!r}")
    if e.removed is not None and e.removed != (o.state is None):
        bad.append(f"removed: expected {e.removed}, got {o.state is None}")
    if e.state is not None:
        if o.state is None:
            if e.state.status != "removed":
                bad.append("state: the container no longer exists")
        else:
            for key in ("status", "exit_code", "error"):
                want = getattr(e.state, key)
                if want is not None and want != o.state[key]:
                    bad.append(f"state.{key}: expected {want!r}, got {o.state[key]!r}")
    if e.events is not None and tuple(e.events) != o.events:
        bad.append(f"events: expected {list(e.events)}, got {list(o.events)}")
    for k, n in e.resources or ():
        if o.resources.get(k) != n:
            bad.append(f"resources.{k}: expected {n}, got {o.resources.get(k)}")
    return bad


def state_of(c: Container) -> dict[str, Any]:
    """A container's State as an outcome shows it."""
    s = c.state
    return {"status": s.status(), "running": s.running, "paused": s.paused,
            "restarting": s.restarting, "pid": s.pid, "exit_code": s.exit_code,
            "error": s.error, "restart_count": c.restart_count}


def event_text(e: Event) -> str:
    """``type action key=value …``: the form an expectation names an event in."""
    attrs = " ".join(f"{k}={v}" for k, v in sorted(e.attributes.items()))
    return f"{e.type} {e.action}" + (f" {attrs}" if attrs else "")


def event_matches(want: str, e: Event) -> bool:
    """``want`` names ``e``'s type and action, and each ``key=value`` it lists holds."""
    kind, _, rest = want.partition(" ")
    action, _, attrs = rest.partition(" ")
    if (kind, action) != (e.type, e.action):
        return False
    for pair in attrs.split():
        k, _, v = pair.partition("=")
        if e.attributes.get(k) != v:
            return False
    return True


class End(NamedTuple):
    """What holds at the end: every container of the scenario, the whole events stream, the
    clock; and how it differs from the scenario's ``expect_end``."""

    containers: dict[str, dict[str, Any] | None]  # name → State, None once removed
    events: tuple[Event, ...]
    time_ms: int
    failures: list[str]

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"time_ms": self.time_ms, "containers": self.containers,
                "events": [{"time_ms": e.time // 1_000_000 - EPOCH * 1000, "type": e.type,
                            "action": e.action, "actor": e.actor_id,
                            "attributes": dict(sorted(e.attributes.items()))}
                           for e in self.events],
                "expectations_hold": not self.failures, "failures": self.failures}


def observe_end(w: World, sc: Scenario) -> End:
    """Read the end off the world, and check it against ``sc.expect_end``."""
    containers: dict[str, dict[str, Any] | None] = {}
    for spec in sc.containers:
        c = _resolve(w, spec.name)
        containers[spec.name] = state_of(c) if c is not None else None
    events = tuple(w.events)
    failures = check_end(sc.expect_end, containers, events) if sc.expect_end else []
    return End(containers, events, w.clock, failures)


def check_end(e: EndExpect, containers: dict[str, dict[str, Any] | None],
              events: tuple[Event, ...]) -> list[str]:
    """Each way the end differs from what the scenario expects, as a sentence."""
    bad: list[str] = []
    for ce in e.containers:
        st = containers.get(ce.name)
        if ce.removed is not None and ce.removed != (st is None):
            bad.append(f"{ce.name}: removed: expected {ce.removed}, got {st is None}")
        if st is None:
            if any(v is not None for v in (ce.status, ce.exit_code, ce.error,
                                           ce.restart_count)) and not ce.removed:
                bad.append(f"{ce.name}: the container no longer exists")
            continue
        for key in ("status", "exit_code", "error", "restart_count"):
            want = getattr(ce, key)
            if want is not None and want != st[key]:
                bad.append(f"{ce.name}: {key}: expected {want!r}, got {st[key]!r}")
    if e.events is not None:
        got = [event_text(ev) for ev in events]
        if len(e.events) != len(events) or not all(
                event_matches(w, ev) for w, ev in zip(e.events, events, strict=True)):
            bad.append(f"events: expected {list(e.events)}, got {got}")
    return bad
