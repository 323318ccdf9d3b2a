"""The Engine API of simstart daemon, routed and answered as dockerd v17.05.0-ce does.

Pure: requests go through ``server.api.Api`` with no socket (the real clients are in
``test_server_docker.py``)."""

from __future__ import annotations

import asyncio
import json

from simstart.engine.live import Live
from simstart.moby.mux import clean_path
from simstart.scenario import load
from simstart.scenario.library import resolve
from simstart.server.api import Api, Request
from tests.conftest import upstream

HEADERS = {"Api-Version": "1.29", "Docker-Experimental": "false", "Ostype": "linux",
           "Server": "Docker/17.05.0-ce (linux)"}


def api(name: str = "bridge-port") -> Api:
    return Api(Live(load(resolve(name))))


def get(a: Api, target: str, method: str = "GET", body: bytes = b"", **h: str) -> tuple[
        int, dict[str, str], bytes]:
    r = a.handle(Request(method, target, tuple((k.replace("_", "-"), v) for k, v in h.items()),
                         body))
    return r.status, dict(r.headers), r.body


@upstream("api/server/router/system/system.go", "25")
def test_head_ping_is_the_not_found_handler() -> None:
    # 17.05 registers /_ping for GET only; gorilla's methodMatcher does not let HEAD match a GET
    # route (vendor/github.com/gorilla/mux/route.go L280-284), so HEAD reaches m.NotFoundHandler
    # (api/server/server.go L179-182), which no middleware wraps: no version headers.
    status, headers, body = get(api(), "/_ping", "HEAD")
    assert status == 404
    assert headers == {"Content-Type": "application/json"}
    assert body == b'{"message":"page not found"}\n'  # the transport sends no body for HEAD


@upstream("api/server/middleware/version.go", "43-46")
def test_get_ping_carries_the_middleware_headers() -> None:
    for target in ("/_ping", "/v1.29/_ping", "/v1.12/_ping", "/v1.99/_ping"):
        status, headers, body = get(api(), target)
        assert (status, body) == (200, b"OK")
        assert headers == {**HEADERS, "Content-Type": "text/plain; charset=utf-8"}


@upstream("api/server/middleware/experimental.go", "16-28")
def test_experimental_header_follows_the_daemon() -> None:
    _, headers, _ = get(api("checkpoint-restore"), "/_ping")
    assert headers["Docker-Experimental"] == "true"


@upstream("api/server/middleware/version.go", "39-41")
def test_too_old_version_has_no_middleware_headers_and_plain_text() -> None:
    status, headers, body = get(api(), "/v1.11/version")
    assert status == 400
    assert headers == {"Content-Type": "text/plain; charset=utf-8"}
    assert body == (b"client version 1.11 is too old. Minimum supported API version is 1.12, "
                    b"please upgrade your client to a newer version\n")


@upstream("api/server/httputils/errors.go", "84-104")
def test_page_not_found_json_or_plain_by_url_version() -> None:
    a = api()
    assert get(a, "/nothing")[::2] == (404, b'{"message":"page not found"}\n')
    assert get(a, "/v1.24/nothing")[::2] == (404, b'{"message":"page not found"}\n')
    status, headers, body = get(a, "/v1.23/nothing")
    assert (status, body) == (404, b"page not found\n")
    assert headers == {"Content-Type": "text/plain; charset=utf-8"}
    # a route with the wrong method is not found either (no 405 in this gorilla/mux)
    assert get(a, "/v1.29/containers/web/start")[0] == 404
    assert get(a, "/v1.29/info", "POST")[0] == 404


@upstream("api/server/router/system/system_routes.go", "23-26")
def test_options_any_route_is_200_with_no_body() -> None:
    status, headers, body = get(api(), "/v1.29/anything/at/all", "OPTIONS")
    assert (status, body) == (200, b"")
    assert headers == HEADERS


@upstream("vendor/github.com/gorilla/mux/mux.go", "76-89")
def test_unclean_paths_are_redirected() -> None:
    assert clean_path("/a/../_ping") == "/_ping" and clean_path("/x/") == "/x/"
    status, headers, body = get(api(), "//v1.29//containers/json?all=1")
    assert (status, headers, body) == (301, {"Location": "/v1.29/containers/json?all=1"}, b"")


@upstream("api/server/router/system/system_routes.go", "66-71")
def test_version() -> None:
    status, headers, body = get(api(), "/v1.29/version")
    v = json.loads(body)
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert (v["Version"], v["ApiVersion"], v["MinAPIVersion"], v["Os"]) == (
        "17.05.0-ce", "1.29", "1.12", "linux")


@upstream("daemon/info.go", "62-80")
def test_info_counts_what_the_world_has() -> None:
    a = api("port-already-allocated")
    i = json.loads(get(a, "/info")[2])
    assert (i["Containers"], i["ContainersRunning"], i["ContainersStopped"]) == (2, 1, 1)
    assert i["Driver"] == "overlay2" and i["ServerVersion"] == "17.05.0-ce"
    assert i["Runtimes"] == {"runc": {"path": "docker-runc"}} and i["DefaultRuntime"] == "runc"
    a.handle(Request("POST", "/v1.29/containers/web/start"))  # fails: nothing changes
    assert json.loads(get(a, "/info")[2])["ContainersRunning"] == 1


@upstream("daemon/list.go", "386-460")
def test_list_all_and_filters() -> None:
    a = api("port-already-allocated")
    names = lambda t: [c["Names"] for c in json.loads(get(a, t)[2])]  # noqa: E731
    assert names("/v1.29/containers/json") == [["/api"]]
    assert names("/v1.29/containers/json?all=1") == [["/web"], ["/api"]]  # newest first
    # the CLI's format, and the deprecated one (api/types/filters/parse.go L96-118)
    assert names('/v1.29/containers/json?filters={"status":{"created":true}}') == [["/web"]]
    assert names('/v1.29/containers/json?filters={"status":["created"]}') == [["/web"]]
    assert names('/v1.29/containers/json?all=1&filters={"name":{"^/a":true}}') == [["/api"]]
    assert names("/v1.29/containers/json?limit=1") == [["/web"]]  # limit lists stopped too


@upstream("daemon/list.go", "240-264")
def test_list_filter_errors() -> None:
    a = api()
    s, _, b = get(a, '/containers/json?filters={"bogus":{"x":true}}')
    assert (s, json.loads(b)) == (500, {"message": "Invalid filter 'bogus'"})
    s, _, b = get(a, '/containers/json?filters={"status":{"asleep":true}}')
    assert (s, json.loads(b)) == (500, {"message": "Unrecognised filter value for status: "
                                                   "asleep"})


@upstream("daemon/list.go", "548-647")
def test_list_summary_fields() -> None:
    a = api()
    a.handle(Request("POST", "/containers/web/start"))
    c = json.loads(get(a, "/containers/json")[2])[0]
    assert c["Command"] == "nginx -g 'daemon off;'"  # an argument with a space is quoted
    assert c["State"] == "running" and c["Status"] == "Up Less than a second"
    assert c["Ports"] == [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080,
                           "Type": "tcp"}]
    assert c["HostConfig"] == {"NetworkMode": "default"}


@upstream("daemon/inspect.go", "125-194")
def test_inspect_reads_the_world() -> None:
    a = api()
    status, _, body = get(a, "/v1.29/containers/web/json")
    j = json.loads(body)
    assert status == 200 and j["State"]["Status"] == "created" and j["Name"] == "/web"
    assert j["State"]["StartedAt"] == "0001-01-01T00:00:00Z"
    prefix = j["Id"][:5]
    assert json.loads(get(a, f"/containers/{prefix}/json")[2])["Id"] == j["Id"]
    status, _, body = get(a, "/v1.29/containers/nope/json")
    assert (status, json.loads(body)) == (404, {"message": "No such container: nope"})


@upstream("api/server/router/container/container_routes.go", "133-172")
def test_start_is_a_run_of_the_engine() -> None:
    a = api()
    r = a.handle(Request("POST", "/v1.29/containers/web/start"))
    assert r.status == 204 and r.body == b"" and dict(r.headers) == HEADERS
    assert r.result is not None and r.result.outcome.state["status"] == "running"
    stages = [s.stage for s in r.steps]
    assert stages[0] == "http.request" and "start.lock" in stages
    # the response, then libcontainerd's event goroutine, which runs at the same instant
    assert stages[-2:] == ["response.no_content", "runtime.event_dropped"]
    again = a.handle(Request("POST", "/containers/web/start"))
    assert again.status == 304 and again.body == b""
    body = a.handle(Request("POST", "/v1.29/containers/web/start", (("content-type",
                            "application/json"),), b'{"Binds":["/a:/b"]}'))
    assert body.status == 400 and b"non-empty request body" in body.body


@upstream("container/state.go", "297-302; daemon/start.go L29, L100-105")
def test_two_concurrent_starts_meet_at_the_lock() -> None:
    a = api()

    async def both() -> list[int]:
        rs = await asyncio.gather(
            a.handle_async(Request("POST", "/v1.29/containers/web/start")),
            a.handle_async(Request("POST", "/v1.29/containers/web/start")))
        return [r.status for r in rs]

    # the second arrives while the first holds the container lock: IsPaused waits for it,
    # then IsRunning is true
    assert asyncio.run(both()) == [204, 304]
    second = a.live.requests[1]
    assert second.races == "lock"
    stages = [s.stage for s in a.live.run().trace if s.request == 1]
    assert "state.lock_wait" in stages and "checks.running" in stages
    assert a.handle(Request("POST", "/v1.29/containers/web/start")).status == 304


@upstream("api/server/router/system/system_routes.go", "100-113")
def test_events_until_in_the_past_returns_what_was_buffered() -> None:
    a = api()
    a.handle(Request("POST", "/v1.29/containers/web/start"))  # connect at +1 ms, start at +3
    r = a.handle(Request("GET", "/v1.29/events?since=1493856000&until=1493856000.002"))
    assert r.status == 200 and r.stream is None  # onlyPastEvents: the response ends
    lines = [json.loads(x) for x in r.body.splitlines()]
    assert [(m["Type"], m["Action"]) for m in lines] == [("network", "connect")]
    assert lines[0]["timeNano"] == 1493856000001000000 and lines[0]["time"] == 1493856000
    everything = a.handle(Request("GET", "/events?since=1493856000&until=1493856000.009"))
    start = json.loads(everything.body.splitlines()[-1])
    # the deprecated status/id/from are filled for container events only (events.go L97-104)
    assert (start["status"], start["id"], start["Action"]) == ("start", start["Actor"]["ID"],
                                                               "start")
    assert "status" not in lines[0]


@upstream("api/server/router/system/system_routes.go", "100-103")
def test_events_since_after_until_is_a_bad_request() -> None:
    status, _, body = get(api(), "/v1.29/events?since=1493856010&until=1493856000")
    assert (status, json.loads(body)) == (400, {
        "message": "`since` time (1493856010) cannot be after `until` time (1493856000)"})


@upstream("daemon/events/filter.go", "20-30")
def test_events_filters() -> None:
    a = api()
    a.handle(Request("POST", "/v1.29/containers/web/start"))
    q = "since=1493856000&until=1493856000.009&filters="

    def actions(f: str) -> list[str]:
        body = a.handle(Request("GET", f"/events?{q}{f}")).body
        return [json.loads(x)["Action"] for x in body.splitlines()]

    assert actions('{"type":{"container":true}}') == ["start"]
    assert actions('{"event":{"connect":true}}') == ["connect"]
    assert actions('{"container":{"web":true}}') == ["start"]  # by the name attribute
    assert actions('{"network":{"bridge":true}}') == ["connect"]


@upstream("api/server/router/system/system_routes.go", "120-158")
def test_events_stream_what_later_requests_do() -> None:
    a = api()

    async def watch() -> list[str]:
        r = a.handle(Request("GET", "/v1.29/events"))
        assert r.status == 200 and r.body == b"" and r.stream is not None
        it = r.stream.__aiter__()
        nxt = asyncio.ensure_future(it.__anext__())
        await asyncio.sleep(0)
        a.handle(Request("POST", "/v1.29/containers/web/start"))
        chunk = await asyncio.wait_for(nxt, 5)
        await it.aclose()  # type: ignore[attr-defined]
        assert len(a.hub) == 0  # the subscription ends with the stream
        return [json.loads(x)["Action"] for x in chunk.splitlines()]

    assert asyncio.run(watch()) == ["connect", "start"]


def _walk(driver: str = "json-file", tty: bool = False) -> Api:
    sc = load(resolve("live-walk"))
    c = sc.containers[0]
    return Api(Live(sc._replace(containers=(c._replace(log_driver=driver, tty=tty),))))


@upstream("pkg/stdcopy/stdcopy.go", "18-22")
def test_logs_are_framed_by_stdcopy_without_a_tty() -> None:
    a = _walk()
    a.handle(Request("POST", "/v1.29/containers/web/start"))
    r = a.handle(Request("GET", "/v1.29/containers/web/logs?stdout=1&stderr=1"))
    out, err = b"nginx: ready on port 80\n", b"nginx: [notice] start worker processes\n"
    assert r.status == 200 and r.stream is not None
    assert dict(r.headers) == HEADERS  # no Content-Type: the handler flushes first
    assert r.body == (b"\x01\x00\x00\x00" + len(out).to_bytes(4, "big") + out
                      + b"\x02\x00\x00\x00" + len(err).to_bytes(4, "big") + err)
    only_err = a.handle(Request("GET", "/containers/web/logs?stderr=1&tail=1")).body
    assert only_err == b"\x02\x00\x00\x00" + len(err).to_bytes(4, "big") + err
    assert a.handle(Request("GET", "/containers/web/logs?stdout=1&tail=0")).body == b""
    stamped = a.handle(Request("GET", "/containers/web/logs?stdout=1&timestamps=1")).body
    logged = next(v for k, v in a.world.files.items() if k.endswith("-json.log"))
    first = json.loads(logged.splitlines()[0])  # what the copier wrote
    assert first["stream"] == "stdout"
    assert stamped[8:].decode().split(" ", 1) == [first["time"], out.decode()]
    assert len(first["time"]) == len("2017-05-04T00:00:00.000000000Z")  # RFC3339NanoFixed
    # details: the attributes (none here) and a space, before the timestamp is put first
    both = a.handle(Request("GET", "/containers/web/logs?stdout=1&details=1&timestamps=1")).body
    assert both[8:] == f"{first['time']}  ".encode() + out


@upstream("api/server/router/container/container_routes.go", "121-125")
def test_logs_of_a_tty_container_are_not_multiplexed() -> None:
    a = _walk(tty=True)
    a.handle(Request("POST", "/v1.29/containers/web/start"))
    r = a.handle(Request("GET", "/v1.29/containers/web/logs?stdout=1&stderr=1"))
    assert r.body == b"nginx: ready on port 80\nnginx: [notice] start worker processes\n"


@upstream("daemon/logs.go", "33-57")
def test_logs_errors_in_their_order() -> None:
    a = _walk("syslog")
    status, _, body = get(a, "/v1.29/containers/nope/logs")
    assert (status, body) == (400, b'{"message":"Bad parameters: you must choose at least '
                                   b'one stream"}\n')
    status, _, body = get(a, "/v1.29/containers/nope/logs?stdout=1")
    assert (status, body) == (404, b'{"message":"No such container: nope"}\n')
    status, _, body = get(a, "/v1.29/containers/web/logs?stdout=1")
    assert (status, body) == (500, b'{"message":"configured logging driver does not support '
                                   b'reading"}\n')
    status, _, body = get(_walk("none"), "/v1.29/containers/web/logs?stdout=1")
    assert status == 500 and b"does not support reading" in body


@upstream("daemon/stop.go", "24-26")
def test_stop_of_a_stopped_container_is_304_with_no_body() -> None:
    a = _walk()
    status, headers, body = get(a, "/v1.29/containers/web/stop", "POST")
    assert (status, headers, body) == (304, HEADERS, b"")


@upstream("container/state.go", "186-206")
def test_a_wait_is_parked_until_a_stop_ends_the_container() -> None:
    a = _walk()

    async def walk() -> tuple[bytes, bytes, int, bytes]:
        await a.handle_async(Request("POST", "/v1.29/containers/web/start"))
        waiting = asyncio.ensure_future(a.handle_async(Request("POST",
                                                               "/v1.29/containers/web/wait")))
        for _ in range(10):
            await asyncio.sleep(0)
        assert not waiting.done() and a.parked == 1
        ps = await a.handle_async(Request("GET", "/v1.29/containers/json"))
        assert b'"web"' not in ps.body and b"/web" in ps.body  # served meanwhile
        before = a.world.clock
        stop = await a.handle_async(Request("POST", "/v1.29/containers/web/stop?t=10"))
        wait = await waiting
        kill = await a.handle_async(Request("POST", "/v1.29/containers/web/kill"))
        assert a.world.clock - before < 10_000  # SIGTERM ended it: no grace period spent
        return stop.body, wait.body, kill.status, kill.body

    stop, wait, kill_status, kill_body = asyncio.run(walk())
    assert stop == b"" and wait == b'{"StatusCode":143}\n'
    assert kill_status == 500 and kill_body.startswith(b'{"message":"Cannot kill container '
                                                       b'web: Container ')


@upstream("daemon/stop.go", "66-79")
def test_a_stop_grace_period_passes_at_once_on_the_virtual_clock() -> None:
    sc = load(resolve("live-walk"))
    c = sc.containers[0]
    ignores = c._replace(process=c.process._replace(signals=()))  # SIGTERM does nothing
    a = Api(Live(sc._replace(containers=(ignores,))))
    a.handle(Request("POST", "/v1.29/containers/web/start"))
    before = a.world.clock
    assert a.handle(Request("POST", "/v1.29/containers/web/stop?t=10")).status == 204
    assert a.world.clock - before >= 10_000
    r = a.handle(Request("POST", "/v1.29/containers/web/wait"))
    assert r.body == b'{"StatusCode":137}\n'
