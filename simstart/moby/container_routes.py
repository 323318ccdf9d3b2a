"""``api/server/router/container/container_routes.go``: the start handler.

The body rules live here: at API 1.24 and above any body longer than 7 bytes (or a chunked
one) is refused; below 1.24 it is a deprecated HostConfig that is applied and persisted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..world.containers import HostConfig
from . import httputils, start, versions
from .context import Daemon, Steps, go
from .errors import GoError
from .runconfig import decode_host_config

if TYPE_CHECKING:  # server imports this module: the request type is only named here
    from .server import HTTPRequest


@go("container.(*containerRouter).postContainersStart",
    "api/server/router/container/container_routes.go", 133, 172)
def post_containers_start(d: Daemon, r: HTTPRequest, version: str) -> Steps:
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

    checkpoint = r.form("checkpoint")
    checkpoint_dir = r.form("checkpoint-dir")
    # only our narration lists the ignored parameters (r.Form is a Go map): sorted, not random
    others = sorted({k for k, _ in r.query} - {"checkpoint", "checkpoint-dir"})
    yield d.emit("http.form", 164, "ignored" if others else "read", checkpoint=checkpoint,
                 checkpoint_dir=checkpoint_dir, others=', '.join(others) if others else None)
    err = yield from start.container_start(d, r.name, host_config, checkpoint, checkpoint_dir)
    if err is not None:
        return err
    yield d.emit("http.no_content", 170)
    return None


