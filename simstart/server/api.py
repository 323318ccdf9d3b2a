"""The Engine API of dockerd v17.05.0-ce (API 1.29), for one shared simulated world.

Pure: a ``Request`` in, a ``Response`` out, no I/O. The transport (``http.py``) parses the
bytes; this module routes as gorilla/mux does in ``createMux`` (api/server/server.go
L164-185), wraps the handlers in the global middlewares (api/server/middleware.go L12-24:
authz outermost, then the version middleware, then the experimental one) and writes errors as
``httputils.MakeErrorHandler`` does (api/server/httputils/errors.go L84-104).

``POST /containers/{name}/start``, ``/stop``, ``/kill`` and ``/wait`` are sent through the
moby layer as runs of the engine (``engine.live.Live``): their steps are recorded as for any
scenario's request, and each runs until its response is written, the virtual clock jumping
over the timers it waits for (a 10 s stop grace period passes at once). A wait that only
another request can end (its container's process never exits by itself) is parked until one
does: the server goes on serving meanwhile. The read-only routes, ``GET
/containers/{name}/logs`` among them, are answered from the world as it is (``views``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any, NamedTuple

from ..engine.build import _drive
from ..engine.live import Live, request_spec
from ..engine.run import RequestResult
from ..engine.trace import Step
from ..moby.container import get_container
from ..moby.errors import GoError, errorf, new_bad_request_error, new_request_not_found_error
from ..moby.gostd import parse_query
from ..moby.httputils import error_body, get_http_error_status_code
from ..moby.server import HANDLED, HTTPRequest, redirect_location, route
from ..moby.versions import less_than
from ..scenario.model import RequestSpec
from . import events, logs, views

DEFAULT_VERSION = views.API_VERSION
MIN_VERSION = views.MIN_API_VERSION
READ = {"GET /_ping", "GET /info", "GET /version", "GET /containers/json",
        "GET /containers/{name:.*}/json", "OPTIONS /{anyroute:.*}", "GET /events",
        "GET /containers/{name:.*}/logs"}  # answered from the world (views)
LOCK_STOPS = frozenset({"start.lock", "start.lock_wait"})
YIELDS = 3  # event-loop turns a start gives the others at the lock


class Request(NamedTuple):
    """One HTTP request as the transport received it (header names lower-cased)."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    chunked: bool = False

    def header(self, name: str) -> str:
        """The first value of header ``name``, or ""."""
        for k, v in self.headers:
            if k == name:
                return v
        return ""


class Response(NamedTuple):
    """What to send back; ``status`` 0 closes the connection with no response at all."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    result: RequestResult | None = None  # when the request was a run of the engine
    steps: tuple[Step, ...] = ()
    stream: AsyncIterator[bytes] | None = None  # more body, as it comes (GET /events)


def _json(v: Any) -> bytes:
    """``WriteJSON``'s encoder: no HTML escaping, a trailing newline."""
    return (json.dumps(v, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _error(err: GoError, version: str, headers: dict[str, str]) -> Response:
    """``MakeErrorHandler`` with the status ``GetHTTPErrorStatusCode`` gives."""
    status = get_http_error_status_code(err)
    body, ctype = error_body(err, version)
    return _respond(status, {**headers, "Content-Type": ctype}, body.encode())


def _respond(status: int, headers: dict[str, str], body: bytes, result: RequestResult | None =
             None, steps: tuple[Step, ...] = (),
             stream: AsyncIterator[bytes] | None = None) -> Response:
    """Go writes header names canonicalized (``API-Version`` → ``Api-Version``), sorted."""
    canon = {"-".join(w.capitalize() for w in k.split("-")): v for k, v in headers.items()}
    return Response(status, tuple(sorted(canon.items())), body, result, steps, stream)


class Api:
    """The routes, over one ``Live`` session. ``on_start`` hears of every recorded run once
    it is answered; ``on_park`` of a run that has gone as far as it can before another ends
    it."""

    def __init__(self, live: Live,
                 on_start: Callable[[Request, RequestResult, list[Step]], None] | None = None
                 ) -> None:
        self.live = live
        self.on_start = on_start
        self.on_park: Callable[[], None] | None = None  # a request waits for another one
        self.served = 0
        self.hub = events.Hub()  # the open GET /events streams
        self._parked: set[Any] = set()  # requests that wait for another one (docker wait)
        self._moved: asyncio.Event | None = None  # set when a request has been answered

    @property
    def world(self) -> Any:
        """The shared world."""
        return self.live.world

    def handle(self, req: Request) -> Response:
        """Route ``req`` and answer it (a start runs to its end at once). A wait that only a
        later request could end cannot be answered here: ``handle_async`` parks it."""
        d = self._dispatch(req)
        if isinstance(d, Response):
            return d
        r = self.live.open(d)
        if not self.live.advance(r):
            raise RuntimeError(f"{req.method} {req.target}: blocks until another request "
                               "ends it (serve it with handle_async)")
        return self._finish(req, r)

    async def handle_async(self, req: Request, cooperative: bool = True) -> Response:
        """Route ``req`` and answer it; a start lets other requests run while it holds the
        container's lock or waits for it, so two concurrent starts meet at ``container.Lock()``
        as they do in dockerd (daemon/start.go L100). ``cooperative=False`` runs each request
        as far as it goes before anything else does (the TUI's keys move the same world).

        A request that nothing running can move on (``docker wait`` on a container whose
        process never exits by itself: WaitStop blocks on its channel, container/state.go
        L186-L206) is parked: the event loop serves the others, and each answered request
        runs it on; a stop or a kill of the container wakes it, as in dockerd.
        """
        d = self._dispatch(req)
        if isinstance(d, Response):
            return d
        live = self.live
        r = live.open(d)
        while not live.advance(r, LOCK_STOPS if cooperative else None):
            if r.g.park is None or any(o is not r and o not in self._parked
                                       for o in live.open_requests):
                # holding the lock, or blocked on it: let the event loop serve the others
                for _ in range(YIELDS):
                    await asyncio.sleep(0)
                continue
            if live.advance(r):  # alone: on, the clock jumping to each timer it waits for
                break
            self._parked.add(r)
            if self.on_park is not None:
                self.on_park()
            try:
                await self._moved_on()
            finally:
                self._parked.discard(r)
        return self._finish(req, r)

    async def _moved_on(self) -> None:
        """Returns once another request has been answered."""
        if self._moved is None:
            self._moved = asyncio.Event()
        await self._moved.wait()

    @property
    def parked(self) -> int:
        """How many requests wait for another one to end them."""
        return len(self._parked)

    def _dispatch(self, req: Request) -> Response | RequestSpec:
        """The response, or the start request to run through the engine."""
        self.served += 1
        uri = req.target
        if "://" in uri.partition("?")[0]:  # an absolute URI: the router reads its path
            uri = "/" + uri.split("://", 1)[1].partition("/")[2]
        hr = HTTPRequest(req.method, uri)
        location = redirect_location(hr)  # mux.ServeHTTP: a 301 to the clean path
        if location is not None:
            return _respond(301, {"Location": location}, b"")
        template, vars_ = route(req.method, hr.path)
        version = vars_.get("version", "")
        if template is None:
            # the not-found handler is not wrapped in the middlewares: no version headers
            return _error(new_request_not_found_error(errorf("page not found")), version, {})
        if template in HANDLED:  # the engine runs it, router and middlewares included
            body = req.body.decode("utf-8", "replace") if req.body or req.chunked else None
            return request_spec(vars_["name"], version, body, req.header("content-type"),
                                req.chunked, action=HANDLED[template], method=req.method,
                                path=uri)
        api_version = version or DEFAULT_VERSION
        if less_than(api_version, MIN_VERSION):  # middleware/version.go L39-41
            return _error(new_bad_request_error(errorf(
                "client version %s is too old. Minimum supported API version is %s, please "
                "upgrade your client to a newer version", api_version, MIN_VERSION)),
                version, {})
        headers = {"Server": f"Docker/{views.SERVER_VERSION} (linux)",
                   "API-Version": DEFAULT_VERSION, "OSType": "linux",
                   "Docker-Experimental": "true" if self.world.options.experimental
                   else "false"}
        if f"{req.method} {template}" not in READ:
            return _error(new_request_not_found_error(errorf(
                "simstart does not model %s %s (dockerd v17.05 has it)", req.method,
                template)), version, headers)
        query, err = parse_query(hr.raw_query)  # httputils.ParseForm: the first error
        if err is not None:
            return _error(err, version, headers)
        form = dict(reversed(query))  # r.Form.Get: the first value
        try:
            return self._read(template, vars_, api_version, form, headers, version)
        except _Fail as f:
            return _error(f.err, version, headers)

    def _read(self, template: str, vars_: dict[str, str], api_version: str,
              form: dict[str, str], headers: dict[str, str], version: str) -> Response:
        w = self.world
        if template == "/{anyroute:.*}":  # optionsHandler: 200, no body
            return _respond(200, headers, b"")
        if template == "/_ping":  # pingHandler writes "OK"; net/http sniffs its type
            return _respond(200, {**headers, "Content-Type": "text/plain; charset=utf-8"},
                            b"OK")
        if template == "/version":
            return _respond(200, {**headers, "Content-Type": "application/json"},
                            _json(views.version(w)))
        if template == "/events":
            flt, err = views.parse_filters(form.get("filters", ""))
            _check(err)
            more, err, first = events.stream(w, self.hub, form.get("since", ""),
                                             form.get("until", ""), flt)
            _check(err)
            return _respond(200, {**headers, "Content-Type": "application/json"}, first,
                            stream=more)
        if template == "/info":
            return _respond(200, {**headers, "Content-Type": "application/json"},
                            _json(views.info(w)))
        if template == "/containers/json":
            flt, err = views.parse_filters(form.get("filters", ""))
            _check(err)
            limit = 0
            if form.get("limit", ""):
                try:
                    limit = int(form["limit"])
                except ValueError:
                    _check(errorf('strconv.ParseInt: parsing "%s": invalid syntax', form["limit"]))
            listed, err = views.containers(w, _bool(form.get("all", "")), limit, flt)
            _check(err)
            return _respond(200, {**headers, "Content-Type": "application/json"}, _json(listed))
        if template == "/containers/{name:.*}/logs":
            return self._logs(vars_["name"], form, headers)
        assert template == "/containers/{name:.*}/json"
        c, err = _drive(w, get_container, vars_["name"])
        _check(err)
        return _respond(200, {**headers, "Content-Type": "application/json"},
                        _json(views.inspect(w, c)))

    def _logs(self, name: str, form: dict[str, str], headers: dict[str, str]) -> Response:
        """``getContainersLogs`` (container_routes.go L78-L126) over ``ContainerLogs``
        (daemon/logs.go L25-L70): 200 and the lines, multiplexed (pkg/stdcopy) unless the
        container has a TTY; no Content-Type (the handler flushes before it writes a byte)."""
        w = self.world
        show_out, show_err = _bool(form.get("stdout", "")), _bool(form.get("stderr", ""))
        if not (show_out or show_err):  # L88-L91
            _check(errorf("Bad parameters: you must choose at least one stream"))
        c, err = _drive(w, get_container, name)  # ContainerInspect, L106-L109
        _check(err)
        plan, err = logs.read_config(c, form)
        _check(err)
        assert plan is not None
        first, more = logs.body(w, c, plan, self.hub)
        return _respond(200, headers, first, stream=more)

    def _finish(self, req: Request, r: Any) -> Response:
        result, steps = self.live.close(r)
        if self._moved is not None:  # the parked requests look again
            self._moved.set()
            self._moved = None
        self.hub.changed()
        if self.on_start is not None:
            self.on_start(req, result, steps)
        resp = result.response
        if resp.status == 0:  # a panic: net/http closes the connection, no response at all
            return Response(0, (), b"", result, tuple(steps))
        return _respond(resp.status, resp.headers, resp.body.encode(), result, tuple(steps))


class _Fail(Exception):
    def __init__(self, err: GoError) -> None:
        self.err = err


def _check(err: GoError | None) -> None:
    if err is not None:
        raise _Fail(err)


def _bool(v: str) -> bool:
    """``httputils.BoolValue``: anything but "", "0", "no", "false", "none" is true."""
    return v.strip().lower() not in ("", "0", "no", "false", "none")
