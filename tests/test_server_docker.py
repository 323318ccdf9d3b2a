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


@upstream("daemon/stop.go", "19-36")
def test_docker_stop_prints_the_name_and_exits_143_then_304(tmp_path: Path) -> None:
    with daemon(tmp_path, "live-walk") as d:
        assert d.docker("start", "web").returncode == 0
        r = d.docker("stop", "web")
        assert (r.returncode, r.stdout, r.stderr) == (0, "web\n", "")
        state = d.docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "web")
        again = d.docker("stop", "web")  # not running: 304, and the CLI prints the name
        ps = d.docker("ps", "-a", "--format", "{{.Names}}|{{.Status}}")
        log = d.log()
    assert state.stdout == "exited 143\n"
    assert (again.returncode, again.stdout, again.stderr) == (0, "web\n", "")
    assert ps.stdout == "web|Exited (143) Less than a second ago\n"
    assert "POST /v1.29/containers/web/stop → 304  (" in log


@upstream("api/server/router/container/container_routes.go", "200-233")
def test_docker_kill_exits_137_and_a_stopped_one_is_an_error(tmp_path: Path) -> None:
    with daemon(tmp_path, "live-walk") as d:
        assert d.docker("start", "web").returncode == 0
        r = d.docker("kill", "web")
        state = d.docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "web")
        cid = d.docker("inspect", "-f", "{{.Id}}", "web").stdout.strip()
        again = d.docker("kill", "web")
    assert (r.returncode, r.stdout, r.stderr) == (0, "web\n", "")
    assert state.stdout == "exited 137\n"
    assert again.returncode == 1
    assert again.stderr == (f"Error response from daemon: Cannot kill container web: Container "
                            f"{cid} is not running\n")


@upstream("daemon/wait.go", "14-21")
def test_docker_wait_blocks_until_docker_stop_and_prints_the_code(tmp_path: Path) -> None:
    import subprocess
    import time

    from tests.server_helpers import docker_cli

    with daemon(tmp_path, "live-walk") as d:
        assert d.docker("start", "web").returncode == 0
        env = {"DOCKER_CONFIG": str(tmp_path / "cfg"), "PATH": "/usr/bin:/bin"}
        waiter = subprocess.Popen([docker_cli(), "-H", d.host, "wait", "web"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=env)
        try:
            pings = d.log().count("GET /_ping")
            deadline = time.monotonic() + 30
            while d.log().count("GET /_ping") == pings:  # the CLI negotiates, then waits
                assert time.monotonic() < deadline, "docker wait did not connect"
                time.sleep(0.05)
            time.sleep(0.5)
            assert waiter.poll() is None  # parked: nginx runs until a signal ends it
            ps = d.docker("ps", "--format", "{{.Names}}")  # the daemon serves meanwhile
            assert ps.stdout == "web\n"
            assert d.docker("stop", "web").returncode == 0
            out, err = waiter.communicate(timeout=30)
        finally:
            if waiter.poll() is None:
                waiter.kill()
        stopped = d.docker("wait", "web")  # stopped already: at once
        lines = d.log().splitlines()
    assert (waiter.returncode, out, err) == (0, "143\n", "")
    assert (stopped.returncode, stopped.stdout) == (0, "143\n")
    # the parked wait is answered after the stop; it blocked in WaitStop, the later one did not
    stop = next(i for i, x in enumerate(lines) if "/containers/web/stop → 204" in x)
    waits = [(i, x) for i, x in enumerate(lines) if "/containers/web/wait → 200" in x]
    assert len(waits) == 2 and waits[0][0] == stop + 1
    assert waits[0][1].split("(")[1] != waits[1][1].split("(")[1]


@upstream("api/server/httputils/write_log_stream.go", "19-70")
def test_docker_logs_prints_the_lines_stdout_and_stderr_apart(tmp_path: Path) -> None:
    with daemon(tmp_path, "live-walk") as d:
        before = d.docker("logs", "web")  # never started: an empty log
        assert d.docker("start", "web").returncode == 0
        r = d.docker("logs", "web")
        stamped = d.docker("logs", "-t", "--tail", "1", "web")
        out_only = d.docker("logs", "web", timeout=30)
        assert d.docker("stop", "web").returncode == 0
        assert d.docker("start", "web").returncode == 0
        twice = d.docker("logs", "web")  # json-file appends: a restart keeps the lines
    assert (before.returncode, before.stdout, before.stderr) == (0, "", "")
    assert (r.returncode, r.stdout, r.stderr) == (
        0, "nginx: ready on port 80\n", "nginx: [notice] start worker processes\n")
    assert stamped.stdout == ""
    assert stamped.stderr.endswith("Z nginx: [notice] start worker processes\n")
    assert stamped.stderr.startswith("2017-05-04T00:00:00.")
    assert out_only.stdout == r.stdout
    assert twice.stdout == "nginx: ready on port 80\n" * 2


@upstream("api/server/router/container/container_routes.go", "78-126")
def test_docker_py_stop_kill_wait_logs(tmp_path: Path) -> None:
    with daemon(tmp_path, "live-walk") as d:
        client = docker.DockerClient(base_url=d.host, version="auto", timeout=20)
        try:
            web = client.containers.get("web")
            web.start()
            assert web.logs() == (b"nginx: ready on port 80\n"
                                  b"nginx: [notice] start worker processes\n")
            assert web.logs(stderr=False) == b"nginx: ready on port 80\n"
            web.stop(timeout=10)
            web.reload()
            assert (web.status, web.attrs["State"]["ExitCode"]) == ("exited", 143)
            assert web.wait() == {"StatusCode": 143}
            web.stop()  # 304: docker-py raises nothing
            web.start()
            web.kill()
            assert web.wait()["StatusCode"] == 137
            with pytest.raises(docker.errors.APIError) as e:
                web.kill()
            assert e.value.status_code == 500
            with pytest.raises(docker.errors.APIError) as bad:
                client.api.logs("web", stdout=False, stderr=False)
            assert bad.value.status_code == 400
            assert bad.value.explanation == "Bad parameters: you must choose at least one stream"
        finally:
            client.close()
