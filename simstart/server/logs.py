"""``GET /containers/{name}/logs``: what the json-file driver wrote, as dockerd v17.05 reads it.

``ContainerLogs`` (daemon/logs.go L25-L70) checks the container and its driver and builds a
``logger.ReadConfig``; the json-file reader (daemon/logger/jsonfilelog/read.go L48-L114)
decodes ``<id>-json.log`` line by line (the last ``tail`` lines when ``tail`` > 0, none when it
is 0, all when it is not a number), skipping lines older than ``since``, and, with ``follow``
on a running container, goes on with the lines written later. ``WriteLogStream``
(api/server/httputils/write_log_stream.go L19-L70) writes each line, its timestamp first when
asked, through a ``stdcopy.StdWriter`` unless the container has a TTY: an 8-byte header (the
stream, 1 stdout or 2 stderr, three zero bytes, the length as a big-endian uint32) before each.
"""

from __future__ import annotations

import json
import struct
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, NamedTuple

from ..moby.errors import GoError, errorf
from ..world import World
from ..world.containers import Container
from . import events
from .views import _parse_time

# daemon/logger/logger.go L20
ERR_READ_LOGS_NOT_SUPPORTED = "configured logging driver does not support reading"
STDOUT, STDERR = 1, 2  # pkg/stdcopy/stdcopy.go L18-L22


class Plan(NamedTuple):
    """What ``ContainerLogs`` asks the reader for, and how ``WriteLogStream`` writes it."""

    stdout: bool
    stderr: bool
    timestamps: bool
    details: bool  # the message's attributes first ("key=value,…", then a space)
    tail: int  # -1: every line
    since_ns: int | None
    follow: bool  # asked for, and the container runs (logs.go L56)
    mux: bool  # no TTY: stdcopy frames


def _bool(v: str) -> bool:
    """``httputils.BoolValue``."""
    return v.strip().lower() not in ("", "0", "no", "false", "none")


def read_config(c: Container, form: dict[str, str]) -> tuple[Plan | None, GoError | None]:
    """The checks of ``ContainerLogs`` in its order, then the ReadConfig (logs.go L33-L70)."""
    if c.state.removal_in_progress or c.state.dead:  # L41-L43
        return None, errorf("can not get logs from container which is dead or marked for "
                            "removal")
    # "none" (L45-L47); every other driver but json-file: what getLogger gives is no
    # logger.LogReader (L54-L57). journald reads only in a dynamic build with the journald
    # tag (daemon/logger/journald/read_unsupported.go): simstart models the static build.
    if c.host_config.log_driver != "json-file":
        return None, errorf(ERR_READ_LOGS_NOT_SUPPORTED)
    try:
        tail = int(form.get("tail", ""))  # strconv.Atoi; an error means every line (L60-L62)
    except ValueError:
        tail = -1
    since_ns: int | None = None
    since = form.get("since", "")
    if since:  # timetypes.ParseTimestamps(since, 0) (L65-L70)
        since_ns, err = events.parse_timestamp(since)
        if err is not None:
            return None, err
    return Plan(_bool(form.get("stdout", "")), _bool(form.get("stderr", "")),
                _bool(form.get("timestamps", "")), _bool(form.get("details", "")), tail, since_ns,
                _bool(form.get("follow", "")) and c.state.running, not c.config.tty), None


def _records(w: World, c: Container) -> list[dict[str, Any]]:
    """The decoded lines of ``<id>-json.log`` (a container never started has none)."""
    text = w.files.get(f"{c.croot()}/{c.id}-json.log", "")
    return [json.loads(line) for line in text.splitlines() if line] if isinstance(
        text, str) else []


def _fixed(stamp: str) -> str:
    """``jsonlog.RFC3339NanoFixed``: nine digits of fraction, always."""
    ns = _parse_time(stamp)
    if ns is None:
        return stamp
    secs = datetime.fromtimestamp(ns // 1_000_000_000, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{secs}.{ns % 1_000_000_000:09d}Z"


def frame(stream: int, payload: bytes) -> bytes:
    """One ``StdWriter.Write``: the 8-byte header, then the payload."""
    return struct.pack(">BxxxI", stream, len(payload)) + payload


def _write(plan: Plan, records: list[dict[str, Any]]) -> bytes:
    """``WriteLogStream``'s loop over the messages (write_log_stream.go L43-L69)."""
    out = bytearray()
    for rec in records:
        ns = _parse_time(rec.get("time", ""))
        if plan.since_ns is not None and ns is not None and ns < plan.since_ns:
            continue  # msg.Timestamp.Before(since) (read.go L137)
        line = rec.get("log", "").encode()
        if plan.details:  # stringAttrs: sorted by key (write_log_stream.go L54-L56, L73-L92)
            attrs = sorted(f"{k}={v}" for k, v in rec.get("attrs", {}).items())
            line = (",".join(attrs) + " ").encode() + line
        if plan.timestamps:
            line = f"{_fixed(rec.get('time', ''))} ".encode() + line
        src = rec.get("stream", "")
        if (src == "stdout" and plan.stdout) or (src == "stderr" and plan.stderr):
            out += frame(STDOUT if src == "stdout" else STDERR, line) if plan.mux else line
    return bytes(out)


def body(w: World, c: Container, plan: Plan, hub: events.Hub
         ) -> tuple[bytes, AsyncIterator[bytes]]:
    """What is there now, and the rest: nothing more unless ``follow``, then each line as it is
    written, until the container stops."""
    records = _records(w, c)
    seen = len(records)
    if plan.tail == 0:
        now: list[dict[str, Any]] = []
    elif plan.tail > 0:
        now = records[-plan.tail:]
    else:
        now = records
    q = hub.subscribe() if plan.follow else None

    async def more() -> AsyncIterator[bytes]:
        nonlocal seen
        if q is None:
            return
        try:
            while c.state.running:
                await q.get()
                fresh = _records(w, c)
                out, seen = _write(plan, fresh[seen:]), len(fresh)
                if out:
                    yield out
        finally:
            hub.unsubscribe(q)

    return _write(plan, now), more()
