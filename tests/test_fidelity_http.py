"""§2.A — the HTTP layer: versions, body rules, query, status mapping, error bodies."""

from __future__ import annotations

import json

import pytest

from simstart.moby.errors import GoError, errorf
from simstart.moby.httputils import KEYWORDS, get_http_error_status_code

from .conftest import WEB, run, stages, upstream


@upstream("api/server/middleware/version.go", "L39-41")
def test_a_client_older_than_1_12_gets_a_typed_400_in_plain_text() -> None:
    r = run([WEB], [{"container": "web", "api_version": "1.11"}])
    o = r.results[0].outcome
    assert o.status == 400
    assert o.message == ("client version 1.11 is too old. Minimum supported API version is "
                         "1.12, please upgrade your client to a newer version")
    assert o.content_type == "text/plain; charset=utf-8"
    assert "checks.lookup" not in stages(r)


@upstream("api/server/middleware/version.go", "L34-41")
def test_there_is_no_upper_version_bound() -> None:
    r = run([WEB], [{"container": "web", "api_version": "9.99"}])
    assert r.results[0].outcome.status == 204


@upstream("api/server/middleware/version.go", "L35-37; api/common.go L24")
def test_an_unversioned_url_uses_1_29() -> None:
    r = run([WEB])
    step = next(s for s in r.trace if s.stage == "http.route")
    assert "1.29" in step.text


@upstream("api/server/router/container/container_routes.go", "L144-147")
@pytest.mark.parametrize("version", ["1.24", "1.29", "9.99", ""])
def test_a_body_over_7_bytes_at_1_24_or_later_is_a_400_validation_error(version: str) -> None:
    req = {"container": "web", "body": '{"HostConfig":{}}'}
    if version:
        req["api_version"] = version
    o = run([WEB], [req]).results[0].outcome
    assert o.status == 400
    assert o.message == ("starting container with non-empty request body was deprecated since "
                         "v1.10 and removed in v1.12")


@upstream("api/server/router/container/container_routes.go", "L143-144")
@pytest.mark.parametrize("body", ["{}", "null", "{ }   "])
def test_a_body_of_7_bytes_or_fewer_is_ignored(body: str) -> None:
    assert len(body) <= 7
    o = run([WEB], [{"container": "web", "body": body}]).results[0].outcome
    assert o.status == 204


@upstream("api/server/router/container/container_routes.go", "L144 (ContentLength == -1)")
def test_a_chunked_request_counts_as_a_body_even_when_empty() -> None:
    o = run([WEB], [{"container": "web", "chunked": True}]).results[0].outcome
    assert o.status == 400


@upstream("api/server/httputils/httputils.go", "L47-62")
def test_a_legacy_body_must_be_json() -> None:
    o = run([WEB], [{"container": "web", "api_version": "1.23",
                     "body": '{"NetworkMode":"host"}', "content_type": "text/plain"}]
            ).results[0].outcome
    assert o.status == 500
    assert o.message == "Content-Type specified (text/plain) must be 'application/json'"


@upstream("runconfig/hostconfig.go", "L14-24 (raw encoding/json error, Go 1.7 scanner)")
def test_a_legacy_body_that_is_not_valid_json_returns_the_raw_decoder_error() -> None:
    o = run([WEB], [{"container": "web", "api_version": "1.23", "body": "{not json at all}"}]
            ).results[0].outcome
    assert o.status == 500
    # after '{' the scanner wants a key: Go's message names that state, not "beginning of value"
    assert o.message == "invalid character 'n' looking for beginning of object key string"


@upstream("api/server/router/container/container_routes.go", "L164-165")
def test_only_checkpoint_and_checkpoint_dir_are_read_from_the_query() -> None:
    r = run([WEB], [{"container": "web", "query": {"detachKeys": "ctrl-x"}}])
    assert r.results[0].outcome.status == 204
    form = next(s for s in r.trace if s.stage == "http.form")
    assert "Ignored query parameters: detachKeys" in form.text


@upstream("api/server/router/container/container_routes.go", "L170")
def test_success_is_204_with_no_body() -> None:
    r = run([WEB])
    assert r.results[0].response.status == 204
    assert r.results[0].response.body == ""


@upstream("api/server/httputils/errors.go", "L52-69")
def test_the_keyword_table_is_the_v17_05_one_in_order() -> None:
    assert [k for k, _ in KEYWORDS] == [
        "not found", "cannot find", "no such", "bad parameter", "no command", "conflict",
        "impossible", "wrong login/password", "unauthorized", "hasn't been activated",
        "this node", "needs to be unlocked", "certificates have expired"]


@upstream("api/server/httputils/errors.go", "L41-79")
@pytest.mark.parametrize(("err", "status"), [
    (errorf("No such container: x"), 404),
    (errorf("executable file not found"), 404),
    (errorf("permission denied"), 500),
    (errorf("Conflicting options: Nano CPUs and CPU Period cannot both be set"), 409),
    (errorf("container sharing network namespace with another container or host cannot be "
            "connected to any other network"), 500),
    (errorf("no such thing, and a conflict"), 404),  # first keyword in table order wins
    (GoError("whatever", status=304), 304),
    (GoError("not found but typed", status=409), 409),  # the type beats the keywords
    (GoError("anything", validation=True), 400),
])
def test_status_comes_from_the_type_or_else_from_the_first_keyword(err: GoError,
                                                                   status: int) -> None:
    assert get_http_error_status_code(err) == status


@upstream("api/server/httputils/errors.go", "L84-104")
@pytest.mark.parametrize(("version", "ctype"), [
    ("", "application/json"), ("1.24", "application/json"), ("1.23", "text/plain; charset=utf-8"),
    ("1.12", "text/plain; charset=utf-8")])
def test_error_bodies_follow_the_url_version(version: str, ctype: str) -> None:
    req = {"container": "nope"}
    if version:
        req["api_version"] = version
    o = run([WEB], [req]).results[0].outcome
    assert o.content_type == ctype
    if ctype == "application/json":
        assert json.loads(o.body) == {"message": "No such container: nope"}
        assert o.body.endswith("}\n")
    else:
        assert o.body == "No such container: nope\n"


@upstream("api/server/server.go", "L141-144")
def test_only_statuses_of_500_and_up_are_logged() -> None:
    r404 = run([WEB], [{"container": "nope"}])
    assert not any("Handler for" in line.msg for line in r404.trace.world.log)
    r500 = run([dict(WEB, state="paused")])
    assert any(line.msg.startswith("Handler for POST /containers/web/start returned error:")
               for line in r500.trace.world.log)
