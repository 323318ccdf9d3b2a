"""``simstart tui SCENARIO --listen PATH``: the requests a socket receives show in the TUI."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from simstart.scenario import load
from simstart.scenario.library import resolve
from simstart.tui.listen import ListenApp
from tests.server_helpers import docker_cli

pytestmark = pytest.mark.tui


async def _send(sock: Path, raw: bytes) -> bytes:
    reader, writer = await asyncio.open_unix_connection(str(sock))
    writer.write(raw)
    await writer.drain()
    got = await reader.read()
    writer.close()
    return got


async def _until(pilot, cond, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(400):
        if cond():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_each_start_shows_from_its_first_step(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    sock = run / "docker.sock"
    app = ListenApp(load(resolve("bridge-port")), sock, source_lookup=None)
    async with app.run_test(size=(160, 45)) as pilot:
        await _until(pilot, sock.exists, "the socket")
        assert app.session is None  # nothing to walk before the first request
        got = await _send(sock, b"POST /v1.29/containers/web/start HTTP/1.1\r\nHost: x\r\n"
                          b"Connection: close\r\n\r\n")
        assert got.startswith(b"HTTP/1.1 204 No Content\r\n")
        await pilot.pause()
        s = app.session
        assert s is not None and s.position == 0 and s.step.stage == "http.request"
        assert app.received == ["#1 POST /v1.29/containers/web/start → 204"]
        await pilot.press("space")
        await pilot.press("space")
        assert s.position == 2
        # the learner walked back into the first start: the next request still meets the
        # world as the first left it (running, so 304), and shows from its own first step
        got = await _send(sock, b"POST /containers/web/start HTTP/1.1\r\nHost: x\r\n"
                          b"Connection: close\r\n\r\n")
        assert got.startswith(b"HTTP/1.1 304 Not Modified\r\n")
        await pilot.pause()
        s = app.session
        assert s is not None
        assert s.step.request == 1 and s.step.stage == "http.request"
        assert [r.response.status for r in s.run.results] == [204, 304]
        await pilot.press("end")
        assert s.trace.world.containers.by_id[
            next(iter(s.trace.world.containers.by_id))].state.running
        await pilot.press("q")
    assert not sock.exists()


async def test_the_real_docker_cli_drives_the_tui(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    sock = run / "docker.sock"
    app = ListenApp(load(resolve("paused")), sock, source_lookup=None)
    async with app.run_test(size=(160, 45)) as pilot:
        await _until(pilot, sock.exists, "the socket")
        proc = await asyncio.create_subprocess_exec(
            docker_cli(), "-H", f"unix://{sock}", "start", "web",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env={"DOCKER_CONFIG": str(tmp_path / "cfg"), "PATH": "/usr/bin:/bin"})
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 1 and out == b""
        assert err.decode().startswith("Error response from daemon: Cannot start a paused "
                                       "container, try unpause instead.")
        await pilot.pause()
        assert app.received[:2] == ["#1 HEAD /_ping → 404", "#2 GET /_ping → 200"]
        s = app.session
        assert s is not None and s.step.stage == "http.request"
        await pilot.press("end")
        assert s.run.results[0].response.status == 500


async def test_a_parked_wait_shows_and_a_stop_wakes_it(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    sock = run / "docker.sock"
    app = ListenApp(load(resolve("live-walk")), sock, source_lookup=None)
    async with app.run_test(size=(160, 45)) as pilot:
        await _until(pilot, sock.exists, "the socket")
        got = await _send(sock, b"POST /containers/web/start HTTP/1.1\r\nHost: x\r\n"
                          b"Connection: close\r\n\r\n")
        assert got.startswith(b"HTTP/1.1 204 No Content\r\n")
        await pilot.pause()
        waiting = asyncio.ensure_future(_send(
            sock, b"POST /containers/web/wait HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        await _until(pilot, lambda: app.api.parked == 1, "the wait to park")
        s = app.session
        assert s is not None and s.step.stage == "state.wait_stop"  # as far as it went
        await pilot.press("home")  # the learner walks back meanwhile
        got = await _send(sock, b"POST /containers/web/stop HTTP/1.1\r\nHost: x\r\n"
                          b"Connection: close\r\n\r\n")
        assert got.startswith(b"HTTP/1.1 204 No Content\r\n")
        waited = await asyncio.wait_for(waiting, 30)
        assert waited.startswith(b"HTTP/1.1 200 OK\r\n")
        assert waited.endswith(b'{"StatusCode":143}\n')
        await pilot.pause()
        s = app.session
        assert s is not None
        assert [(r.spec.action, r.response.status) for r in s.run.results] == [
            ("start", 204), ("stop", 204), ("wait", 200)]
        assert app.received[-2:] == ["#2 POST /containers/web/stop → 204",
                                     "#3 POST /containers/web/wait → 200"]
        await pilot.press("end")
        c = next(iter(s.trace.world.containers.by_id.values()))
        assert (c.state.running, c.state.exit_code) == (False, 143)
        await pilot.press("q")
