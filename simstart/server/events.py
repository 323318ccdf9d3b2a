"""``GET /events`` (api/server/router/system/system_routes.go L82-158): the events the world's
daemon has sent, then, while the connection lasts, each new one as a request makes it.

Times are the world's virtual clock: ``since`` and ``until`` are compared with it, and an
``until`` still ahead of it ends the stream once the clock has passed it (the clock moves only
as the simulated daemon works, so such a stream ends on a later request, or when the client
goes). The daemon keeps the last 64 events for ``since``/``until`` (daemon/events/events.go
L12, ``eventsLimit``).
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import AsyncIterator
from typing import Any

from ..moby.errors import GoError, errorf, new_bad_request_error
from ..world import World
from ..world.events import Event
from .views import now_ns

EVENTS_LIMIT = 64  # daemon/events/events.go L12


def parse_timestamp(value: str) -> tuple[int | None, GoError | None]:
    """``timetypes.ParseTimestamps(value, -1)`` as ``eventTime`` calls it (system_routes.go
    L177-186; api/types/time/timestamp.go L105-124): ``seconds[.fraction]`` → nanoseconds, or
    None when empty."""
    if value == "":
        return None, None
    sec, dot, frac = value.partition(".")
    try:
        s = int(sec)
    except ValueError:
        return None, errorf('strconv.ParseInt: parsing "%s": invalid syntax', sec)
    if not dot:
        return s * 1_000_000_000, None
    try:
        n = int(frac)
    except ValueError:
        return None, errorf('strconv.ParseInt: parsing "%s": invalid syntax', frac)
    n = int(float(n) * math.pow(10, 9 - len(frac)))
    return s * 1_000_000_000 + n, None


def message(e: Event) -> dict[str, Any]:
    """``events.Message`` as ``Events.Log`` fills it (daemon/events/events.go L83-104): the
    deprecated status/id/from only for container events."""
    out: dict[str, Any] = {}
    if e.type == "container":
        out = {"status": e.action, "id": e.actor_id}
        if e.attributes.get("image"):
            out["from"] = e.attributes["image"]
    out.update({"Type": e.type, "Action": e.action,
                "Actor": {"ID": e.actor_id, "Attributes": dict(sorted(e.attributes.items()))},
                "time": e.time // 1_000_000_000, "timeNano": e.time})
    return out


def _fuzzy(values: list[str], source: str) -> bool:
    """``Args.FuzzyMatch``: exact, or a value that is a prefix."""
    return not values or any(source.startswith(v) for v in values)


def include(flt: dict[str, list[str]], e: Event) -> bool:
    """``Filter.Include`` (daemon/events/filter.go L20-30) for the filters the world's events
    can meet: event, type, container, network, image, label."""
    def exact(k: str, v: str) -> bool:
        return k not in flt or not flt[k] or v in flt[k]

    name = e.attributes.get("name", "")
    actor_match = {t: _fuzzy(flt.get(t, []), e.actor_id) or _fuzzy(flt.get(t, []), name)
                   for t in ("daemon", "container", "plugin", "volume", "network")}
    image = e.attributes.get("image", "")
    labels_ok = True
    for v in flt.get("label", []):
        k, eq, want = v.partition("=")
        if k not in e.attributes or (eq and e.attributes[k] != want):
            labels_ok = False
    return (exact("event", e.action) and exact("type", e.type)
            and all(actor_match[t] if t in flt else True for t in actor_match)
            and (exact("image", e.actor_id) or exact("image", image)
                 or exact("image", image.split(":")[0]))
            and labels_ok)


class Hub:
    """Tells the open event streams that the world has moved on."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[None]] = set()

    def subscribe(self) -> asyncio.Queue[None]:
        q: asyncio.Queue[None] = asyncio.Queue()
        self._queues.add(q)
        return q

    def unsubscribe(self, q: asyncio.Queue[None]) -> None:
        self._queues.discard(q)

    def changed(self) -> None:
        """A request has run: new events, and a later virtual clock."""
        for q in self._queues:
            q.put_nowait(None)

    def __len__(self) -> int:
        return len(self._queues)


def stream(w: World, hub: Hub, since_form: str, until_form: str,
           flt: dict[str, list[str]]) -> tuple[AsyncIterator[bytes] | None, GoError | None,
                                               bytes]:
    """The events body: (a stream that goes on, or None when only past events are asked,
    an error, the buffered events)."""
    since, err = parse_timestamp(since_form)
    if err is not None:
        return None, err, b""
    until, err = parse_timestamp(until_form)
    if err is not None:
        return None, err, b""
    if until is not None and until < (since or 0):
        return None, new_bad_request_error(errorf(
            "`since` time (%s) cannot be after `until` time (%s)", since_form, until_form)), b""
    buffered: list[Event] = []
    if since is not None or until is not None:  # loadBufferedEvents L126-158
        for e in list(w.events)[-EVENTS_LIMIT:]:
            if since is not None and e.time < since:
                continue
            if until is not None and e.time > until:
                continue
            if include(flt, e):
                buffered.append(e)
    first = b"".join(_line(e) for e in buffered)
    if until is not None and until < now_ns(w):  # onlyPastEvents
        return None, None, first
    q = hub.subscribe()
    seen = len(w.events)

    async def more() -> AsyncIterator[bytes]:
        nonlocal seen
        try:
            while until is None or now_ns(w) <= until:
                await q.get()
                events = list(w.events)
                fresh, seen = events[seen:], len(events)
                out = b"".join(_line(e) for e in fresh
                               if include(flt, e) and (until is None or e.time <= until))
                if out:
                    yield out
        finally:
            hub.unsubscribe(q)

    return more(), None, first


def _line(e: Event) -> bytes:
    return (json.dumps(message(e), ensure_ascii=False, separators=(",", ":")) + "\n").encode()
