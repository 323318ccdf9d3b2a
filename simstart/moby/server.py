"""The HTTP side of ``POST /containers/{name}/start``: the request, the middlewares that wrap
the handler, and how a returned error becomes a response (api/server/server.go,
api/server/middleware/version.go)."""

from __future__ import annotations

from typing import NamedTuple

from . import container_routes, httputils, versions
from .context import Daemon, Steps, go
from .errors import GoError, GoPanic, errorf, new_bad_request_error

DEFAULT_VERSION = "1.29"  # api/common.go L24
MIN_VERSION = "1.12"  # api/common_unix.go L6
SERVER_VERSION = "17.05.0-ce"


ACTIONS = ("start", "stop", "kill", "wait")  # POST /containers/{name}/<action>


class HTTPRequest(NamedTuple):
    """What reaches dockerd's mux for one ``POST /containers/{name}/<action>``."""

    name: str
    version: str = ""  # the /v1.xx/ prefix of the URL; "" when unversioned
    body: str | None = None
    content_type: str = ""
    chunked: bool = False
    query: tuple[tuple[str, str], ...] = ()
    action: str = "start"

    @property
    def content_length(self) -> int:
        """``r.ContentLength``: -1 for a chunked body."""
        if self.chunked:
            return -1
        return len(self.body.encode()) if self.body is not None else 0

    @property
    def path(self) -> str:
        """The URL path, as the client sent it."""
        prefix = f"/v{self.version}" if self.version else ""
        return f"{prefix}/containers/{self.name}/{self.action}"

    def form(self, key: str) -> str:
        """``r.Form.Get(key)``: the first value, or ""."""
        for k, v in self.query:
            if k == key:
                return v
        return ""


class HTTPResponse(NamedTuple):
    """What the client receives."""

    status: int
    body: str
    headers: dict[str, str]


@go("server.(*Server).makeHTTPHandler", "api/server/server.go", 123, 148)
def make_http_handler(d: Daemon, r: HTTPRequest) -> Steps:
    """Run the handler chain; turn a returned error into a status and a body."""
    yield d.emit("http.request", 132, path=r.path)
    headers: dict[str, str] = {}
    try:
        err = yield from wrap_handler(d, r, headers)
    except GoPanic as panic:
        d.logf("error", f"http: panic serving @: {panic}")
        yield d.emit("response.panic", 147)
        return HTTPResponse(0, "", {})
    if isinstance(err, httputils.WriteJSON):
        yield d.emit("response.json", 140, status=err.status)
        return HTTPResponse(err.status, err.body(),
                            {**headers, "Content-Type": "application/json"})
    if err is None:
        yield d.emit("response.no_content", 140)
        return HTTPResponse(204, "", headers)
    status, reason = httputils.status_and_reason(err)
    yield d.emit("response.status", 141, msg=err.msg, status=status, reason=reason)
    if status >= 500:
        d.logf("error", f"Handler for POST {r.path} returned error: {err.msg}")
        yield d.emit("response.log", 143)
    return (yield from make_error_handler(d, r, err, status, headers))


@go("httputils.MakeErrorHandler", "api/server/httputils/errors.go", 91, 104)
def make_error_handler(
    d: Daemon, r: HTTPRequest, err: GoError, status: int, headers: dict[str, str]
) -> Steps:
    """JSON for an unversioned URL or one above 1.23, plain text below; 304 loses its body."""
    body, ctype = httputils.error_body(err, r.version)
    if status == 304:
        yield d.emit("response.not_modified", 99)
        return HTTPResponse(304, "", headers)
    yield d.emit("response.error", 95 if ctype == "application/json" else 101,
                 "json" if ctype == "application/json" else "plain", status=status)
    return HTTPResponse(status, body, {**headers, "Content-Type": ctype})


@go("middleware.VersionMiddleware.WrapHandler", "api/server/middleware/version.go", 32, 51)
def wrap_handler(d: Daemon, r: HTTPRequest, headers: dict[str, str]) -> Steps:
    """Default the API version to 1.29 and refuse clients older than 1.12 (no upper bound)."""
    api_version = r.version or DEFAULT_VERSION
    if versions.less_than(api_version, MIN_VERSION):
        yield d.emit("http.version", 39, "too_old", api_version=api_version,
                     min_version=MIN_VERSION)
        return new_bad_request_error(errorf(
            "client version %s is too old. Minimum supported API version is %s, please "
            "upgrade your client to a newer version", api_version, MIN_VERSION))
    headers["Server"] = f"Docker/{SERVER_VERSION} (linux)"
    headers["API-Version"] = DEFAULT_VERSION
    headers["OSType"] = "linux"
    headers["Docker-Experimental"] = "true" if d.world.options.experimental else "false"
    yield d.emit("http.version", 47, "default" if not r.version else "given",
                 api_version=api_version)
    # the router (api/server/router/container/container.go initRoutes) picked the handler
    if r.action == "stop":
        return (yield from container_routes.post_containers_stop(d, r, api_version))
    if r.action == "kill":
        return (yield from container_routes.post_containers_kill(d, r, api_version))
    if r.action == "wait":
        return (yield from container_routes.post_containers_wait(d, r, api_version))
    return (yield from container_routes.post_containers_start(d, r, api_version))
