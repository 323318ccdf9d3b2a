"""§2.A — the router before the handler: gorilla mux's redirect of a path that is not clean,
its two not-found handlers, and ``ParseForm`` as Go 1.7 runs it (issue 11, item 6)."""

from __future__ import annotations

from typing import Any

import pytest

from simstart.moby import HTTPRequest, routed
from simstart.moby.gostd import parse_query, unescape
from simstart.moby.httputils import parse_form
from simstart.moby.mux import clean_path, escape_path

from .conftest import WEB, problems_in_text, run, scenario, stages, upstream


def one(request: dict[str, Any], containers: list[dict[str, Any]] | None = None) -> Any:
    """The result of a single request against a created nginx ``web``."""
    return run(containers or [WEB], [request]).results[0]


@upstream("vendor/github.com/gorilla/mux/mux.go", "L77-87 (cleanPath L347-360)")
@pytest.mark.parametrize(("path", "location"), [
    ("/containers//start", "/containers/start"),
    ("/containers/web/./start", "/containers/web/start"),
    ("/v1.24/containers/x/../web/start?t=1;u=%zz", "/v1.24/containers/web/start?t=1;u=%zz"),
    ("//containers/web/start", "/containers/web/start"),
    ("/containers/web/start/", None),  # a trailing slash is put back: clean, and no route
    ("/containers/a%20b/..//web/start?", "/containers/web/start?"),  # ForceQuery kept
])
def test_a_path_that_is_not_clean_is_a_301_with_no_handler(path: str, location: str | None
                                                           ) -> None:
    r = one({"path": path})
    o = r.outcome
    if location is None:
        assert o.status == 404
        return
    assert (o.status, o.location, o.body) == (301, location, "")
    assert r.response.headers == {"Location": location}  # no middleware ran: no version headers
    assert "http.redirect" in stages(run([WEB], [{"path": path}]))
    assert "http.request" not in stages(run([WEB], [{"path": path}]))


@upstream("vendor/github.com/gorilla/mux/mux.go", "L347-360")
def test_clean_path_is_go_path_clean_with_the_trailing_slash_kept() -> None:
    assert [clean_path(p) for p in ("", "a", "/a/../../b", "/a//b/", "/.", "//")] == [
        "/", "/a", "/b", "/a/b/", "/", "/"]


@upstream("go1.7.5 net/url/url.go", "shouldEscape(encodePath), EscapedPath")
def test_the_location_is_escaped_again() -> None:
    assert escape_path("/containers/a b/é?#") == "/containers/a%20b/%C3%A9%3F%23"
    assert escape_path("/a:b;c,d@e$f&g=h+i") == "/a:b;c,d@e$f&g=h+i"
    o = one({"path": "/containers//a%20b/start"}).outcome
    assert (o.status, o.location) == (301, "/containers/a%20b/start")


@upstream("api/server/server.go", "L178-181; vendor/github.com/gorilla/mux/mux.go L56-69")
def test_an_unknown_route_unversioned_is_the_routers_json_404() -> None:
    r = one({"path": "/containers/web/begin"})
    assert (r.outcome.status, r.outcome.content_type, r.outcome.body) == (
        404, "application/json", '{"message":"page not found"}\n')
    assert "Server" not in r.response.headers and "API-Version" not in r.response.headers
    assert [s.variant for s in run([WEB], [{"path": "/containers/web/begin"}]).trace
            if s.stage == "http.not_found"] == ["no_route"]


@upstream("api/server/server.go", "L181 (catch-all); api/server/httputils/errors.go L84-104")
def test_the_versioned_catch_all_writes_plain_text_below_1_24() -> None:
    o = one({"path": "/v1.23/containers/web/begin"}).outcome
    assert (o.status, o.content_type, o.body) == (404, "text/plain; charset=utf-8",
                                                  "page not found\n")
    o = one({"path": "/v1.24/containers/web/begin"}).outcome
    assert (o.status, o.content_type) == (404, "application/json")
    steps = run([WEB], [{"path": "/v1.23/containers/web/begin"}]).trace
    assert [(s.variant, s.line) for s in steps if s.stage == "http.not_found"] == [
        ("catch_all", 58)]


@upstream("api/server/server.go", "L181; api/server/middleware/version.go L39-41")
def test_too_old_a_version_is_404_off_a_route_and_400_on_one() -> None:
    assert one({"path": "/v1.11/containers/web/begin"}).outcome.status == 404
    assert one({"path": "/v1.11/containers/web/start"}).outcome.status == 400


@upstream("vendor/github.com/gorilla/mux/route.go", "L282-294 (methodMatcher)")
def test_a_wrong_method_matches_no_route_and_is_404_not_405() -> None:
    for method in ("GET", "PUT", "post"):
        r = one({"method": method, "path": "/containers/web/start"})
        assert (r.outcome.status, r.outcome.message) == (404, "page not found")
        assert r.outcome.state is None  # a request no route takes addresses no container


@upstream("api/server/router/container/container.go", "L56-62")
def test_the_router_finds_name_and_version_in_a_raw_path() -> None:
    assert routed(HTTPRequest("POST", "/v1.24/containers/web/database/stop")) == (
        "stop", "web/database", "1.24")
    assert routed(HTTPRequest("POST", "/containers/a%2Fb/start")) == ("start", "a/b", "")
    assert routed(HTTPRequest("GET", "/containers/web/start")) == ("", "", "")
    assert routed(HTTPRequest("POST", "/containers//start")) == ("", "", "")
    r = one({"path": "/v1.24/containers/web/start"})
    assert r.outcome.status == 204 and r.spec.container == "web" and r.spec.action == "start"


@upstream("daemon/container.go", "L41-44; vendor/github.com/gorilla/mux/mux.go L77-87")
def test_a_name_with_its_slash_never_reaches_get_container() -> None:
    """GetContainer strips a leading slash, but ``docker start /web`` sends
    /containers//web/start, which the router redirects first."""
    r = run([WEB], [{"container": "/web"}])
    assert (r.results[0].outcome.status, r.results[0].outcome.location) == (
        301, "/containers/web/start")
    assert "lookup.by_name" not in stages(r)


@upstream("go1.7.5 net/url/url.go", "parseQuery, unescape")
def test_go_1_7_parse_query() -> None:
    assert parse_query("a=1;b=2&&c&d=x+y%21") == (
        (("a", "1"), ("b", "2"), ("c", ""), ("d", "x y!")), None)
    pairs, err = parse_query("a=%zz&b=1&c=%4")
    assert pairs == (("b", "1"),) and err is not None
    assert err.msg == 'invalid URL escape "%zz"'  # the first error, the pair dropped
    assert unescape("%e4%B8%AD")[0] == "中"
    assert unescape("a+b")[0] == "a+b" and unescape("a+b", query=True)[0] == "a b"
    assert unescape("%")[1] is not None and unescape("%")[1].msg == 'invalid URL escape "%"'


@upstream("api/server/router/container/container_routes.go", "L155, L175, L201")
@pytest.mark.parametrize(("action", "line"), [("start", 155), ("stop", 175), ("kill", 201)])
def test_a_query_that_does_not_unescape_is_a_500_before_the_backend(action: str, line: int
                                                                   ) -> None:
    r = run([dict(WEB, state="running")] if action != "start" else [WEB],
            [{"path": f"/containers/web/{action}?x=%zz"}])
    o = r.results[0].outcome
    assert (o.status, o.message) == (500, 'invalid URL escape "%zz"')
    assert [s.line for s in r.trace if s.stage == "http.parse_form"] == [line]
    assert not any(s.stage.startswith("lookup.") for s in r.trace)  # no GetContainer


@upstream("api/server/httputils/httputils.go", "L66-74 (a mime: error is dropped)")
def test_a_content_type_mime_cannot_parse_masks_the_query_error() -> None:
    r = HTTPRequest("POST", "/containers/web/stop?t=%zz&t=3", content_type="text/")
    form, err = parse_form(r)
    assert err is None and form.get("t") == "3"
    form, err = parse_form(r._replace(content_type="text/plain"))
    assert err is not None and err.msg == 'invalid URL escape "%zz"'


@upstream("go1.7.5 net/http/request.go", "ParseForm, parsePostForm")
def test_a_form_encoded_body_comes_before_the_query() -> None:
    r = run([dict(WEB, state="running")], [
        {"path": "/containers/web/stop?t=soon", "body": "t=0",
         "content_type": "application/x-www-form-urlencoded"}])
    assert r.results[0].outcome.status == 204
    # without the body, t=soon is strconv.Atoi's error (container_routes.go L180-183)
    r = run([dict(WEB, state="running")], [{"path": "/containers/web/stop?t=soon"}])
    assert r.results[0].outcome.status == 500
    # a JSON body is never read as a form
    form, err = parse_form(HTTPRequest("POST", "/x?t=1", "t=2", "application/json"))
    assert (form.get("t"), err) == ("1", None)


@upstream("api/server/router/container/container_routes.go", "L149-155")
def test_a_start_body_taken_by_the_decoder_is_not_read_again_as_a_form() -> None:
    form, _ = parse_form(HTTPRequest("POST", "/x", "checkpoint=c1",
                                     "application/x-www-form-urlencoded"), body_read=True)
    assert form.pairs == ()


@upstream("go1.7.5 net/http/server.go", "readRequest → 400; mux.go L77-87; route.go L282-294")
def test_the_loader_refuses_what_the_router_could_not_take() -> None:
    def said(request: dict[str, Any]) -> list[str]:
        return [str(p) for p in problems_in_text(scenario([WEB], [request]), "s.yaml")]

    assert any("requests[0].container: conflicts with path" in m or
               "conflicts with path" in m for m in said({"path": "/containers/web/start",
                                                        "container": "web"}))
    assert any("Go's net/http answers 400 Bad Request" in m
               for m in said({"path": "/containers/we%zb/start"}))
    assert any("only a 301 has a Location" in m
               for m in said({"container": "web", "expect": {"status": 204,
                                                             "location": "/x"}}))
    assert any("a 301 from the router has no body" in m
               for m in said({"path": "/containers//start",
                              "expect": {"status": 301, "message": "moved"}}))
    assert any("needs container" in m for m in said({"expect": {"status": 204}}))
    assert any("an HTTP method like POST" in m
               for m in said({"method": "GE T", "path": "/containers/web/start"}))
    assert any("a request-URI like" in m for m in said({"path": "containers/web/start"}))
    assert any("write that request as `path: /containers//start`" in m
               for m in said({"container": ""}))
