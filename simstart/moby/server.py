"""The HTTP side of ``POST /containers/{name}/start``: the request, the middlewares that wrap
the handler, and how a returned error becomes a response (api/server/server.go,
api/server/middleware/version.go)."""

from __future__ import annotations

import functools
from typing import NamedTuple
from urllib.parse import quote_plus

from . import container_routes, httputils, versions
from .context import Daemon, Steps, go
from .errors import GoError, GoPanic, errorf, new_bad_request_error, new_request_not_found_error
from .gostd import unescape
from .mux import Router, clean_path, escape_path
from .routers import ROUTES

DEFAULT_VERSION = "1.29"  # api/common.go L24
MIN_VERSION = "1.12"  # api/common_unix.go L6
SERVER_VERSION = "17.05.0-ce"


ACTIONS = ("start", "stop", "kill", "wait")  # POST /containers/{name}/<action>
# the routes the engine runs (api/server/router/container/container.go L56-62)
HANDLED = {f"/containers/{{name:.*}}/{a}": a for a in ACTIONS}
VERSION_MATCHER = "/v{version:[0-9.]+}"  # api/server/server.go L22
MUX = "vendor/github.com/gorilla/mux/mux.go"


class HTTPRequest(NamedTuple):
    """What reaches dockerd's mux: the method, the request-URI as sent (its path escaped, then
    ``?`` and the raw query), and the body."""

    method: str
    target: str
    body: str | None = None
    content_type: str = ""
    chunked: bool = False

    @property
    def content_length(self) -> int:
        """``r.ContentLength``: -1 for a chunked body."""
        if self.chunked:
            return -1
        return len(self.body.encode()) if self.body is not None else 0

    @property
    def path(self) -> str:
        """``r.URL.Path``: the path unescaped (net/http answered 400 to one that does not
        unescape, before any handler)."""
        return unescape(self.target.partition("?")[0])[0]

    @property
    def raw_query(self) -> str:
        """``r.URL.RawQuery``."""
        return self.target.partition("?")[2]


def target(name: str, action: str = "start", version: str = "",
           query: tuple[tuple[str, str], ...] = ()) -> str:
    """The request-URI a client sends for ``POST [/v{version}]/containers/{name}/{action}``."""
    prefix = f"/v{version}" if version else ""
    uri = escape_path(f"{prefix}/containers/{name}/{action}")
    return uri + "?" + encode_query(query) if query else uri


def encode_query(query: tuple[tuple[str, str], ...]) -> str:
    """``k=v&…`` with each side as ``url.QueryEscape`` writes it, in the order given."""
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in query)


@functools.cache
def create_mux() -> Router:
    """``createMux`` (api/server/server.go L164-185): each route versioned, then bare, in the
    routers' order; then the versioned catch-all, for any method."""
    m = Router()
    for method, template in ROUTES:
        m.path(VERSION_MATCHER + template, method)
        m.path(template, method)
    m.path(VERSION_MATCHER + "/{path:.*}")  # m.HandleFunc(...): no method matcher
    return m


def route(method: str, path: str) -> tuple[str | None, dict[str, str]]:
    """The template (without the version prefix) a request is routed to, and its variables;
    None for the not-found handlers (the versioned catch-all or the router's own)."""
    found, vars_ = create_mux().match(method, path)
    if found is None or not found.method:
        return None, vars_
    return found.template.removeprefix(VERSION_MATCHER), vars_


def redirect_location(r: HTTPRequest) -> str | None:
    """Where ``ServeHTTP`` redirects a path that is not clean (mux.go L77-87): the clean path,
    escaped again, and the query as it came (``URL.String()`` of a copy with the new path);
    None for a clean path."""
    clean = clean_path(r.path)
    if clean == r.path:
        return None
    return escape_path(clean) + ("?" + r.raw_query if "?" in r.target else "")


def routed(r: HTTPRequest) -> tuple[str, str, str]:
    """(action, container name, URL version) of a request the engine runs; action "" when
    it is redirected, not found or not one of ``HANDLED``."""
    if redirect_location(r) is not None:
        return "", "", ""
    template, vars_ = route(r.method, r.path)
    action = HANDLED.get(template or "", "")
    return action, vars_.get("name", "") if action else "", vars_.get("version", "")


class HTTPResponse(NamedTuple):
    """What the client receives."""

    status: int
    body: str
    headers: dict[str, str]


@go("mux.(*Router).ServeHTTP", MUX, 75, 104)
def serve_http(d: Daemon, r: HTTPRequest) -> Steps:
    """An unclean path is redirected, query kept; otherwise the matched route's handler runs,
    or the not-found handler."""
    location = redirect_location(r)
    if location is not None:
        yield d.emit("http.redirect", 87, path=r.path, location=location)
        return HTTPResponse(301, "", {"Location": location})
    template, vars_ = yield from match(d, r)
    if template is None:
        err = new_request_not_found_error(errorf("page not found"))
        return (yield from make_error_handler(d, err, 404, vars_.get("version", ""), {}))
    return (yield from make_http_handler(d, r, template, vars_))


@go("mux.(*Router).Match", MUX, 56, 69)
def match(d: Daemon, r: HTTPRequest) -> Steps:
    """The first route whose method and path match; else the ``NotFoundHandler``."""
    template, vars_ = route(r.method, r.path)
    if template is None:
        yield d.emit("http.not_found", 58 if vars_ else 65,
                     "catch_all" if vars_ else "no_route", method=r.method, path=r.path)
    return template, vars_


@go("server.(*Server).makeHTTPHandler", "api/server/server.go", 123, 148)
def make_http_handler(d: Daemon, r: HTTPRequest, template: str, vars_: dict[str, str]
                      ) -> Steps:
    """Run the handler chain; turn a returned error into a status and a body."""
    yield d.emit("http.request", 132, method=r.method, path=r.path)
    headers: dict[str, str] = {}
    version = vars_.get("version", "")
    try:
        err = yield from wrap_handler(d, r, template, vars_, headers)
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
        d.logf("error", f"Handler for {r.method} {r.path} returned error: {err.msg}")
        yield d.emit("response.log", 143)
    return (yield from make_error_handler(d, err, status, version, headers))


@go("httputils.MakeErrorHandler", "api/server/httputils/errors.go", 91, 104)
def make_error_handler(
    d: Daemon, err: GoError, status: int, url_version: str, headers: dict[str, str]
) -> Steps:
    """JSON for an unversioned URL or one above 1.23, plain text below; 304 loses its body."""
    body, ctype = httputils.error_body(err, url_version)
    if status == 304:
        yield d.emit("response.not_modified", 99)
        return HTTPResponse(304, "", headers)
    yield d.emit("response.error", 95 if ctype == "application/json" else 101,
                 "json" if ctype == "application/json" else "plain", status=status)
    return HTTPResponse(status, body, {**headers, "Content-Type": ctype})


@go("middleware.VersionMiddleware.WrapHandler", "api/server/middleware/version.go", 32, 51)
def wrap_handler(d: Daemon, r: HTTPRequest, template: str, vars_: dict[str, str],
                 headers: dict[str, str]) -> Steps:
    """Default the API version to 1.29 and refuse clients older than 1.12 (no upper bound)."""
    url_version = vars_.get("version", "")
    api_version = url_version or DEFAULT_VERSION
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
    yield d.emit("http.version", 47, "default" if not url_version else "given",
                 api_version=api_version)
    name = vars_.get("name", "")
    action = HANDLED.get(template)
    if action == "stop":
        return (yield from container_routes.post_containers_stop(d, r, name, api_version))
    if action == "kill":
        return (yield from container_routes.post_containers_kill(d, r, name, api_version))
    if action == "wait":
        return (yield from container_routes.post_containers_wait(d, r, name, api_version))
    if action == "start":
        return (yield from container_routes.post_containers_start(d, r, name, api_version))
    # a route dockerd has and simstart does not run (the scenario loader refuses these)
    return new_request_not_found_error(errorf(
        "simstart does not model %s %s (dockerd v17.05 has it)", r.method, template))
