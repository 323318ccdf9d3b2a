"""The real docker CLI (Debian's docker.io client in CI) and docker-py against simstart daemon.

Each test starts ``simstart daemon`` on a socket in its own tmp directory and stops it. The
CLI negotiates its API version through ``_ping`` itself (no DOCKER_API_VERSION): its HEAD gets
17.05's 404, it falls back to GET, reads ``Api-Version: 1.29`` and sends /v1.29/ paths.
"""

from __future__ import annotations

import json
from pathlib import Path

import docker
import docker.errors
import pytest

from tests.conftest import upstream
from tests.server_helpers import daemon

pytestmark = pytest.mark.slow


@upstream("api/server/router/container/container_routes.go", "133-172")
def test_docker_start_prints_the_name_and_the_trace_is_recorded(tmp_path: Path) -> None:
    with daemon(tmp_path) as d:
        r = d.docker("start", "web")
        assert (r.returncode, r.stdout, r.stderr) == (0, "web\n", "")
        log = d.log()
    # the CLI's negotiation: HEAD first (404, as 17.05 routes only GET), then GET
    lines = log.splitlines()
    assert "#1 HEAD /_ping → 404" in lines and "#2 GET /_ping → 200" in lines
    start = next(x for x in lines if "/containers/web/start" in x)
    assert start.startswith("#3 POST /v1.29/containers/web/start → 204  (")
    assert int(start.split("(")[1].split()[0]) > 50  # the whole start path was recorded


@upstream("daemon/container.go", "30-56")
def test_docker_start_unknown_name(tmp_path: Path) -> None:
    with daemon(tmp_path) as d:
        r = d.docker("start", "nope")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr == ("Error response from daemon: No such container: nope\n"
                        "Error: failed to start containers: nope\n")


@upstream("daemon/start.go", "31-33")
def test_docker_start_paused_container(tmp_path: Path) -> None:
    with daemon(tmp_path, "paused") as d:
        r = d.docker("start", "web")
    assert r.returncode == 1
    assert r.stderr == ("Error response from daemon: Cannot start a paused container, try "
                        "unpause instead.\nError: failed to start containers: web\n")


@upstream("vendor/github.com/docker/libnetwork/portallocator/portallocator.go", "59-61")
def test_docker_start_port_conflict_and_ps(tmp_path: Path) -> None:
    with daemon(tmp_path, "port-already-allocated") as d:
        r = d.docker("start", "web")
        assert r.returncode == 1
        first = r.stderr.splitlines()[0]
        assert first.startswith("Error response from daemon: driver failed programming "
                                "external connectivity on endpoint web (")
        assert first.endswith("Bind for 0.0.0.0:8080 failed: port is already allocated")
        ps = d.docker("ps", "-a", "--format", "{{.Names}}|{{.Status}}|{{.Ports}}")
        running = d.docker("ps", "--format", "{{.Names}}")
    assert ps.returncode == 0
    rows = sorted(ps.stdout.splitlines())
    # web was never started: the failed start left exit code 128 but StartedAt zero
    assert rows == ["api|Up Less than a second|0.0.0.0:8080->80/tcp", "web|Created|"]
    assert running.stdout.split() == ["api"]


@upstream("daemon/inspect.go", "32-194")
def test_docker_inspect_after_start(tmp_path: Path) -> None:
    with daemon(tmp_path) as d:
        before = json.loads(d.docker("inspect", "web").stdout)[0]
        assert d.docker("start", "web").returncode == 0
        after = json.loads(d.docker("inspect", "web").stdout)[0]
        fmt = d.docker("inspect", "-f", "{{.State.Status}} {{.State.Pid}} "
                       "{{.NetworkSettings.IPAddress}}", "web")
        missing = d.docker("inspect", "nope")
    assert before["State"]["Status"] == "created" and before["State"]["Pid"] == 0
    assert after["Name"] == "/web" and after["State"]["Running"] is True
    assert after["NetworkSettings"]["Ports"] == {"80/tcp": [{"HostIp": "0.0.0.0",
                                                              "HostPort": "8080"}]}
    status, pid, ip = fmt.stdout.split()
    assert status == "running" and int(pid) == after["State"]["Pid"] > 0
    assert ip == after["NetworkSettings"]["Networks"]["bridge"]["IPAddress"]
    assert ip.startswith("172.17.0.")
    assert missing.returncode == 1 and "No such object: nope" in missing.stderr


@upstream("daemon/list.go", "240-264")
def test_docker_ps_filters_as_the_cli_sends_them(tmp_path: Path) -> None:
    with daemon(tmp_path, "port-already-allocated") as d:
        by_status = d.docker("ps", "-a", "--filter", "status=created", "--format",
                             "{{.Names}}")
        by_name = d.docker("ps", "-a", "--filter", "name=ap", "--format", "{{.Names}}")
        bad = d.docker("ps", "--filter", "status=sleeping")
    assert by_status.stdout.split() == ["web"]
    assert by_name.stdout.split() == ["api"]
    assert bad.returncode == 1
    assert "Unrecognised filter value for status: sleeping" in bad.stderr


@upstream("api/server/router/system/system_routes.go", "33-71")
def test_docker_version_and_info(tmp_path: Path) -> None:
    with daemon(tmp_path, "port-already-allocated") as d:
        v = d.docker("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} "
                     "{{.Client.APIVersion}}")
        i = d.docker("info", "--format", "{{.Containers}} {{.ContainersRunning}} "
                     "{{.Driver}} {{.ServerVersion}}")
    assert v.stdout.split() == ["17.05.0-ce", "1.29", "1.29"]  # negotiated down to 1.29
    assert i.stdout.split() == ["2", "1", "overlay2", "17.05.0-ce"]


@upstream("api/server/httputils/errors.go", "32-82")
def test_docker_py_start_reload_and_errors(tmp_path: Path) -> None:
    with daemon(tmp_path) as d:
        client = docker.DockerClient(base_url=d.host, version="auto", timeout=20)
        try:
            assert client.api.api_version == "1.29"
            web = client.containers.get("web")
            assert web.status == "created"
            web.start()
            web.reload()
            assert web.status == "running" and web.attrs["State"]["Pid"] > 0
            with pytest.raises(docker.errors.NotFound) as nf:
                client.containers.get("nope")
            assert nf.value.status_code == 404
            assert nf.value.explanation == "No such container: nope"
            with pytest.raises(docker.errors.APIError) as again:
                client.api.start("nope")
            assert again.value.status_code == 404
        finally:
            client.close()


@upstream("daemon/start.go", "31-33")
def test_docker_py_api_error_carries_the_status(tmp_path: Path) -> None:
    with daemon(tmp_path, "paused") as d:
        client = docker.DockerClient(base_url=d.host, version="auto", timeout=20)
        try:
            with pytest.raises(docker.errors.APIError) as e:
                client.containers.get("web").start()
            assert not isinstance(e.value, docker.errors.NotFound)
            assert e.value.status_code == 500
            assert e.value.explanation == "Cannot start a paused container, try unpause instead."
        finally:
            client.close()


@upstream("api/server/router/system/system_routes.go", "82-158")
def test_docker_events_since_until_and_streaming(tmp_path: Path) -> None:
    import subprocess
    import time

    from tests.server_helpers import docker_cli

    with daemon(tmp_path) as d:
        env = {"DOCKER_CONFIG": str(tmp_path / "cfg"), "PATH": "/usr/bin:/bin"}
        watcher = subprocess.Popen([docker_cli(), "-H", d.host, "events", "--filter",
                                    "type=container", "--format", "{{.Type}} {{.Action}} "
                                    "{{.Actor.Attributes.name}}"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=env)
        try:
            deadline = time.monotonic() + 30
            while d.log().count("/events") < 1:
                assert time.monotonic() < deadline, "docker events did not connect"
                time.sleep(0.05)
            assert d.docker("start", "web").returncode == 0
            line = watcher.stdout.readline() if watcher.stdout else ""
        finally:
            watcher.terminate()
            watcher.wait(10)
        assert line == "container start web\n"
        # the simulated clock: connect at +1 ms, start at +3 ms after 2017-05-04T00:00:00Z
        past = d.docker("events", "--since", "1493856000", "--until", "1493856000.002",
                        "--format", "{{.Type}} {{.Action}}")
        iso = d.docker("events", "--since", "2017-05-04T00:00:00Z", "--until",
                       "2017-05-04T00:00:00.0025Z", "--format", "{{.Type}} {{.Action}}")
    assert (past.returncode, past.stdout) == (0, "network connect\n")
    assert (iso.returncode, iso.stdout) == (0, "network connect\n")
