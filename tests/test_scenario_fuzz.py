"""Fuzzing the loader: whatever the text, the answer is a valid scenario or located, one-line
problems — never a traceback. 2,800 generated cases, and a bad value of each create-time key
through `simstart run` and `validate`."""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simstart.scenario import Scenario, ScenarioError, json_schema, loads
from simstart.scenario.library import shipped

from .conftest import problems_in_text

LINE = re.compile(r"^f\.yaml:\d+:\d+: [^\n]+$")
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema())


@cache
def _shipped() -> list[tuple[str, Any]]:
    return [(p.read_text(encoding="utf-8"), yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in shipped()]


def answer(text: str) -> tuple[Scenario | None, list[str]]:
    """Load ``text`` both ways; check every problem is one located line."""
    found = [str(e) for e in problems_in_text(text, "f.yaml", strict=True)]
    for f in found:
        assert LINE.match(f), f
    try:
        sc = loads(text, "f.yaml")
    except ScenarioError as e:
        assert LINE.match(str(e)), str(e)
        assert found, "the lenient loader refused what the strict check accepted"
        return None, found
    return sc, found


YAMLISH = st.text(alphabet=st.sampled_from(list("abcxyz019 :-[]{},&*!|>'\"#\n\t<%@`?.\\/"
                                                "ñ€😀")), max_size=200)


@settings(FAST, max_examples=600)
@given(YAMLISH)
def test_arbitrary_text(text: str) -> None:
    answer(text)


SCALARS = (st.none() | st.booleans() | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=True) | st.text(max_size=20))
KEYS = st.sampled_from(["title", "containers", "requests", "name", "image", "container",
                        "expect", "status", "ports", "faults", "site", "state", "x", ""])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(KEYS, inner, max_size=4), max_leaves=20)


@settings(FAST, max_examples=500)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_arbitrary_documents(doc: dict[str, Any]) -> None:
    answer(yaml.safe_dump(doc, allow_unicode=True))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for p in path[:-1]:
        doc = doc[p]
    return doc


REPLACEMENTS = st.sampled_from([None, 0, -1, 1.5, True, "", "x", "web", [], {}, [1, "a"],
                                {"a": 1}, "container:nope", "2001-01-01", 10**30])


@settings(FAST, max_examples=1000)
@given(st.data())
def test_mutations_of_every_shipped_scenario(data: st.DataObject) -> None:
    texts = _shipped()
    text, original = texts[data.draw(st.integers(0, len(texts) - 1), label="scenario")]
    doc = copy.deepcopy(original)
    paths = _paths(doc)
    how = data.draw(st.sampled_from(["delete", "rename", "retype", "duplicate", "twice"]))
    for _ in range(2 if how == "twice" else 1):
        paths = _paths(doc)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="path")
        parent = _parent(doc, path)
        key = path[-1]
        kind = how if how != "twice" else data.draw(st.sampled_from(["delete", "rename",
                                                                      "retype"]))
        if kind == "delete":
            del parent[key]
        elif kind == "rename" and isinstance(parent, dict):
            new = data.draw(st.sampled_from([str(key)[:-1], str(key) + "s", str(key).upper(),
                                             "x" + str(key)[1:], "unknown"]))
            parent[new] = parent.pop(key)
        elif kind in ("retype", "rename"):
            parent[key] = data.draw(REPLACEMENTS)
    if how == "duplicate":
        lines = text.splitlines()
        keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*[a-z_]+:", line)]
        i = data.draw(st.sampled_from(keyed), label="line")
        mutated = "\n".join([*lines[: i + 1], lines[i].replace("- ", "  ", 1), *lines[i + 1:]])
    else:
        mutated = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    _, found = answer(mutated)
    if how != "duplicate":
        schema_errors = list(_validator().iter_errors(doc))
        if schema_errors:
            assert found, ("the schema refuses it but the loader accepts it: "
                           f"{schema_errors[0].message}")


@settings(FAST, max_examples=100)
@given(st.integers(1, 12), st.integers(2, 30))
def test_alias_expansion_is_bounded(depth: int, width: int) -> None:
    lines = ["a0: &a0 [x]"]
    for i in range(1, depth):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    text = "title: t\n" + "\n".join(lines) + "\ncontainers: []\nrequests: [{container: x}]\n"
    sc, found = answer(text)
    assert sc is None and found


# --- the keys of what a container carries from create (issue 11), and of the host ----------

TEXTS = st.sampled_from(["", "/", "//a/../b", "/etc/passwd", "/etc/passwd/x", "/bin/cat",
                         "rel/dir", "root", "nobody", "1000", "-1", "0:0", "root:nogroup",
                         "2147483648", "a:b:c", "container:", "container:db", "container:db:x",
                         "host", "PATH", "PATH=", "=x", "A=1", "/dev/fuse", "/dev/nope:rw",
                         "/dev/a:/dev/b:q", "8.8.8.8", "corp.example", ".", "ndots:2", "10x",
                         "0-1", "1-0", "9", "ab" * 32, "ñ€😀", "type=bind,source=/etc,target=/x",
                         "type=tmpfs,target=/run", "target=/v,volume-label=a", 'a"b',
                         "type=volume,source=v,target=/"]) | st.text(max_size=12)
ODD = (SCALARS | TEXTS | st.lists(TEXTS | SCALARS, max_size=3)
       | st.dictionaries(TEXTS, TEXTS | SCALARS, max_size=3))
CONTAINER_KEYS = ["user", "working_dir", "env", "tty", "open_stdin", "network_disabled", "init",
                  "pid_mode", "devices", "cpuset_cpus", "cpuset_mems", "restart_max_retries",
                  "dns", "dns_search", "dns_options", "log_opts", "error", "restart_count",
                  "mount_id", "image", "mounts"]


def _replay(doc: dict[str, Any]) -> None:
    """Load ``doc``; when it is valid, replay it: a valid scenario never raises but a located
    ScenarioError (a container declared running that cannot start)."""
    from simstart.engine import record

    sc, _found = answer(yaml.safe_dump(doc, allow_unicode=True))
    if sc is not None:
        try:
            record(sc)
        except ScenarioError as e:
            assert LINE.match(str(e)), str(e)


def _base(**app: Any) -> dict[str, Any]:
    return {"title": "t", "images": [{"name": "img", "files": {"/bin/top": "exec"},
                                      "passwd": ["root:x:0:0::/:/bin/sh"]}],
            "containers": [{"name": "db", "image": "redis", "cmd": ["redis-server"],
                            "state": "running"},
                           {"name": "app", "image": "busybox", "cmd": ["top"], **app}],
            "requests": [{"container": "app"}]}


@settings(FAST, max_examples=400)
@given(st.sampled_from(CONTAINER_KEYS), ODD, st.sampled_from(CONTAINER_KEYS), ODD)
def test_arbitrary_create_time_values(key: str, value: Any, key2: str, value2: Any) -> None:
    _replay(_base(**{key: value, key2: value2}))


@settings(FAST, max_examples=200)
@given(ODD, ODD, ODD, ODD, ODD)
def test_arbitrary_host_daemon_image_and_volume_values(paths: Any, init: Any, init_path: Any,
                                                       passwd: Any, volumes: Any) -> None:
    doc = _base(init=True, devices=["/dev/fuse"], user="root")
    doc["host"] = {"paths": paths}
    doc["daemon"] = {"init": init, "init_path": init_path}
    doc["images"][0]["passwd"] = passwd
    doc["images"][0]["group"] = passwd
    doc["volumes"] = volumes
    _replay(doc)
    doc2 = _base(image="img", user="root", binds=["data:/data"])
    doc2["host"] = {"paths": {"/usr/bin/docker-init": "absent", "/dev/shm": "absent"}}
    doc2["volumes"] = [{"name": "data", "labels": volumes}] if isinstance(volumes, dict) else []
    _replay(doc2)


def _sim(*args: str) -> Any:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "simstart", *args], capture_output=True,
                          text=True, check=False, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(("key", "value"), [
    ("working_dir", "relative"), ("env", "A=1"), ("init", "yes"), ("pid_mode", "container"),
    ("devices", ["dev/fuse"]), ("cpuset_cpus", "0-"), ("restart_max_retries", -1),
    ("dns", ["8.8"]), ("dns_search", ["-x"]), ("log_opts", {"max_size": "1m"}),
    ("restart_count", "3"), ("mount_id", "abc"), ("image", "nginxx"), ("user", 1000),
    ("mounts", ["type=bind,target=/x"]),
])
def test_a_bad_create_time_value_is_one_line_and_exit_2(tmp_path: Any, key: str,
                                                         value: Any) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump(_base(**{key: value}), sort_keys=False))
    for cmd in ("run", "validate"):
        p = _sim(cmd, str(f))
        lines = p.stderr.splitlines()
        assert "Traceback" not in p.stderr
        assert len(lines) == 1 and lines[0].startswith(f"{f}:"), p.stderr
        assert f"containers[1].{key}" in lines[0]
        assert p.returncode == (2 if cmd == "run" else 1)


REQUEST_TEXTS = st.sampled_from(["/", "//", "/containers//start", "/containers/app/start",
                                 "/v1.23/containers/app/begin", "/containers/app/stop?t=%zz",
                                 "/containers/%", "/containers/app/kill?signal=;;&=",
                                 "/v1.11/x", "/containers/app/wait?x=%e4%b8%ad", "GET", "post",
                                 "OPTIONS", "/a b", "/#", ""]) | st.text(max_size=16)
REQUEST_KEYS = ["method", "path", "container", "api_version", "action", "query", "body",
                "content_type"]


@settings(FAST, max_examples=300)
@given(st.sampled_from(REQUEST_KEYS), REQUEST_TEXTS | ODD, st.sampled_from(REQUEST_KEYS),
       REQUEST_TEXTS | ODD)
def test_arbitrary_request_values(key: str, value: Any, key2: str, value2: Any) -> None:
    """The router's keys (issue 11 item 6): any method and raw path either load with one
    located line or replay through the router without a traceback."""
    doc = _base()
    doc["requests"] = [{"path": "/containers/app/start", key: value, key2: value2},
                       {key: value}]
    _replay(doc)


@pytest.mark.parametrize(("request_", "where"), [
    ({"path": "/containers/app%zz/start"}, "requests[0].path"),
    ({"path": "containers/app/start"}, "requests[0].path"),
    ({"method": "GE T", "path": "/containers/app/start"}, "requests[0].method"),
    ({"path": "/containers/app/start", "container": "app"}, "requests[0].container"),
    ({"container": "app", "expect": {"status": 204, "location": "/x"}},
     "requests[0].expect.location"),
])
def test_a_bad_request_value_is_one_line_and_exit_2(tmp_path: Any, request_: dict[str, Any],
                                                     where: str) -> None:
    f = tmp_path / "bad.yaml"
    doc = _base()
    doc["requests"] = [request_]
    f.write_text(yaml.safe_dump(doc, sort_keys=False))
    for cmd in ("run", "validate"):
        p = _sim(cmd, str(f))
        lines = p.stderr.splitlines()
        assert "Traceback" not in p.stderr
        assert len(lines) == 1 and lines[0].startswith(f"{f}:"), p.stderr
        assert where in lines[0], lines[0]
        assert p.returncode == (2 if cmd == "run" else 1)
