"""``api/server/router/container/container_routes.go``: the start, stop, kill and wait
handlers.

The body rules live here: at API 1.24 and above any body longer than 7 bytes (or a chunked
one) is refused; below 1.24 it is a deprecated HostConfig that is applied and persisted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..world.containers import HostConfig
from . import httputils, kill, start, stop, versions, wait
from .context import Daemon, Steps, go
from .errors import GoError, errorf, go_quote
from .gostd import atoi
from .runconfig import decode_host_config

if TYPE_CHECKING:  # server imports this module: the request type is only named here
    from .server import HTTPRequest


@go("container.(*containerRouter).postContainersStart",
    "api/server/router/container/container_routes.go", 133, 172)
def post_containers_start(d: Daemon, r: HTTPRequest, name: str, version: str) -> Steps:
    """The route handler for ``POST /containers/{name}/start``."""
    yield d.emit("http.route", 141, version=version)
    host_config: HostConfig | None = None
    length = r.content_length
    # A non-nil json object is at least 7 characters.
    if length > 7 or length == -1:
        if versions.greater_than_or_equal_to(version, "1.24"):
            yield d.emit("http.body", 145, "refused_chunked" if length == -1 else "refused_sized",
                         version=version, length=None if length == -1 else length)
            return GoError(
                "starting container with non-empty request body was deprecated since v1.10 "
                "and removed in v1.12", validation=True)
        yield d.emit("http.body", 149, "legacy_chunked" if length == -1 else "legacy_sized",
                     version=version, length=None if length == -1 else length)
        err = yield from httputils.check_for_json(d, r.content_type, length)
        if err is not None:
            return err
        hc, err = decode_host_config(r.body or "")
        yield d.emit("http.decode_host_config", 153, "decoded" if err is None else "failed",
                     msg=None if err is None else err.msg)
        if err is not None:
            return err
        host_config = hc
    else:
        yield d.emit("http.body", 144, "none" if length == 0 else "small",
                     length=None if length == 0 else length)

    form, err = httputils.parse_form(r, body_read=host_config is not None)
    if err is not None:
        yield d.emit("http.parse_form", 155, msg=err.msg)
        return err
    checkpoint = form.get("checkpoint")
    checkpoint_dir = form.get("checkpoint-dir")
    # only our narration lists the ignored parameters (r.Form is a Go map): sorted, not random
    others = [k for k in form.names() if k not in ("checkpoint", "checkpoint-dir")]
    yield d.emit("http.form", 164, "ignored" if others else "read", checkpoint=checkpoint,
                 checkpoint_dir=checkpoint_dir, others=', '.join(others) if others else None)
    err = yield from start.container_start(d, name, host_config, checkpoint, checkpoint_dir)
    if err is not None:
        return err
    yield d.emit("http.no_content", 170)
    return None


@go("container.(*containerRouter).postContainersStop",
    "api/server/router/container/container_routes.go", 174, 194)
def post_containers_stop(d: Daemon, r: HTTPRequest, name: str, version: str) -> Steps:
    """``POST /containers/{name}/stop[?t=seconds]``: 204, or 304 when it is not running."""
    form, err = httputils.parse_form(r)
    if err is not None:
        yield d.emit("http.parse_form", 175, msg=err.msg)
        return err
    raw = form.get("t")
    seconds: int | None = None
    if raw != "":
        seconds = atoi(raw)
        if seconds is None:
            yield d.emit("http.stop_form", 182, "bad", t=raw)
            return errorf('strconv.ParseInt: parsing %s: invalid syntax', go_quote(raw))
    yield d.emit("http.stop_form", 180, "given" if raw else "none", t=raw or None)
    err = yield from stop.container_stop(d, name, seconds)
    if err is not None:
        return err
    yield d.emit("http.no_content", 191)
    return None


@go("container.(*containerRouter).postContainersKill",
    "api/server/router/container/container_routes.go", 200, 233)
def post_containers_kill(d: Daemon, r: HTTPRequest, name: str, version: str) -> Steps:
    """``POST /containers/{name}/kill[?signal=…]``: a stopped container is an error from API
    1.20 on (500: nothing in its text maps to a status)."""
    form, err = httputils.parse_form(r)
    if err is not None:
        yield d.emit("http.parse_form", 201, msg=err.msg)
        return err
    raw = form.get("signal")
    sig, err = kill.parse_form_signal(raw)
    if err is not None:
        yield d.emit("http.kill_form", 211, "bad", signal=raw)
        return err
    yield d.emit("http.kill_form", 209, "given" if raw else "none", signal=raw or None)
    err = yield from kill.container_kill(d, name, sig)
    if err is not None:
        is_stopped = err.kind == "errNotRunning"  # errContainerIsRunning, answering false
        if versions.greater_than_or_equal_to(version, "1.20") or not is_stopped:
            yield d.emit("http.kill_failed", 227)
            return errorf("Cannot kill container %s: %s", name, err.msg)
        yield d.emit("http.kill_old_api", 226, version=version)
    yield d.emit("http.no_content", 231)
    return None


@go("container.(*containerRouter).postContainersWait",
    "api/server/router/container/container_routes.go", 286, 295)
def post_containers_wait(d: Daemon, r: HTTPRequest, name: str, version: str) -> Steps:
    """``POST /containers/{name}/wait``: blocks until the container stops; 200 with its
    StatusCode."""
    code, err = yield from wait.container_wait(d, name)
    if err is not None:
        return err
    yield d.emit("http.wait_done", 292, exit_code=code)
    return httputils.WriteJSON(200, {"StatusCode": code})
