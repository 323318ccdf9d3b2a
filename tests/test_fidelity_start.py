"""§2.B — ContainerStart, containerStart, the deferred cleanup and Cleanup."""

from __future__ import annotations

from simstart.engine.build import build_world
from simstart.moby import Daemon, start
from simstart.scenario import loads

from .conftest import WEB, run, scenario, stages, upstream


@upstream("daemon/start.go", "L22-24")
def test_the_experimental_check_comes_before_the_lookup() -> None:
    r = run([WEB], [{"container": "ghost", "checkpoint": "cp"}])
    o = r.results[0].outcome
    assert (o.status, o.message) == (400, "checkpoint is only supported in experimental mode")
    assert "checks.lookup" not in stages(r)


@upstream("daemon/start.go", "L22-24")
def test_an_experimental_daemon_accepts_a_checkpoint() -> None:
    r = run([WEB], [{"container": "web", "checkpoint": "cp"}], daemon={"experimental": True})
    assert r.results[0].outcome.status == 204


@upstream("daemon/start.go", "L31-33")
def test_paused_is_a_500_checked_before_running() -> None:
    r = run([dict(WEB, state="paused")])
    o = r.results[0].outcome
    assert (o.status, o.message) == (500, "Cannot start a paused container, try unpause instead.")
    assert "checks.running" not in stages(r)


@upstream("daemon/start.go", "L35-38")
def test_running_and_restarting_are_304() -> None:
    for state in ("running", "restarting"):
        o = run([dict(WEB, state=state)]).results[0].outcome
        assert o.status == 304
        assert o.body == ""


@upstream("daemon/start.go", "L44-66")
def test_a_legacy_hostconfig_is_applied_persisted_and_logged_as_deprecated() -> None:
    r = run([WEB], [{"container": "web", "api_version": "1.23",
                     "body": {"PortBindings": {"80/tcp": [{"HostPort": "9000"}]}}}])
    w = r.trace.world
    c = w.containers.by_id[next(iter(w.containers.by_id))]
    assert [(b.container_port, b.host_port) for b in c.host_config.port_bindings] == [
        ("80/tcp", "9000")]
    assert c.host_config.network_mode == "default"  # SetDefaultNetModeIfBlank
    assert any(x.msg.startswith("DEPRECATED: Setting host configuration options") for x in w.log)
    assert "legacy.to_disk" in stages(r)
    assert any(k.endswith(":9000") for k in w.network.ports)


@upstream("daemon/start.go", "L56-64")
def test_a_changed_network_mode_wipes_the_recorded_networks() -> None:
    r = run([WEB], [{"container": "web", "api_version": "1.23",
                     "body": {"HostConfig": {"NetworkMode": "host"}}}])
    assert "legacy.network_mode" in stages(r)
    assert r.results[0].outcome.status == 204
    assert r.results[0].outcome.resources["veths"] == 0


@upstream("daemon/start.go", "L75-77")
def test_settings_are_verified_on_every_start() -> None:
    o = run([dict(WEB, auto_remove=True, restart_policy="always")]).results[0].outcome
    assert (o.status, o.message) == (500, "can't create 'AutoRemove' container with restart "
                                          "policy")


@upstream("daemon/start.go", "L103-105")
def test_a_start_that_finds_the_container_running_under_the_lock_returns_nil() -> None:
    """Two racing starts both get 204: the second passed IsRunning before the first finished."""
    sc = loads(scenario([dict(WEB, state="running")], [{"container": "web"}]), "t.yaml")
    w = build_world(sc)
    c = next(iter(w.containers.by_id.values()))
    gen = start._container_start(Daemon(w), c, "", "", True)
    emitted = []
    try:
        while True:
            emitted.append(next(gen).stage)
    except StopIteration as stop:
        assert stop.value is None
    assert emitted == ["start.lock", "start.raced", "start.unlock"]


@upstream("daemon/start.go", "L107-109")
def test_removal_in_progress_and_dead_are_refused_before_any_cleanup_is_registered() -> None:
    for state in ("removing", "dead"):
        r = run([dict(WEB, state=state, exit_code=0)])
        o = r.results[0].outcome
        assert (o.status, o.message) == (500, "Container is marked for removal and cannot be "
                                              "started.")
        assert o.state is not None and o.state["exit_code"] == 0 and o.state["error"] == ""
        assert not any(s.startswith("cleanup.") for s in stages(r))


@upstream("daemon/start.go", "L113-134")
def test_the_deferred_cleanup_order() -> None:
    r = run([dict(WEB, cmd=["nosuchcmd"])])
    cleanup = [s for s in stages(r) if s.startswith("cleanup.")]
    # the 127 was set before the defer ran, so the exit code is kept
    order = ["cleanup.set_error", "cleanup.exit_kept", "cleanup.to_disk", "cleanup.reset",
             "cleanup.begin"]
    positions = [cleanup.index(x) for x in order]
    assert positions == sorted(positions)


@upstream("daemon/start.go", "L117-120")
def test_exit_code_128_only_when_it_was_0() -> None:
    fresh = run([WEB], faults=[{"site": "overlay2.mount"}]).results[0].outcome
    assert fresh.state is not None and fresh.state["exit_code"] == 128
    stale = run([dict(WEB, state="exited", exit_code=3)], faults=[{"site": "overlay2.mount"}]
                ).results[0].outcome
    assert stale.state is not None and stale.state["exit_code"] == 3


@upstream("daemon/start.go", "L127-133")
def test_autoremove_removes_after_cleanup_and_the_client_gets_the_start_error() -> None:
    r = run([dict(WEB, cmd=["nope"], auto_remove=True)])
    o = r.results[0].outcome
    assert o.status == 404 and o.state is None
    assert o.events[-1] == "container destroy"
    assert stages(r).index("cleanup.autoremove") > stages(r).index("cleanup.attach")


@upstream("daemon/start.go", "L202-229")
def test_cleanup_steps_run_in_source_order() -> None:
    r = run([dict(WEB, ports=["8080:80"], cmd=["nope"])])
    st = stages(r)
    seq = ["cleanup.begin", "cleanup.sandbox", "cleanup.disconnect_event", "cleanup.ipc",
           "cleanup.unmount", "cleanup.secrets", "cleanup.volumes", "cleanup.attach"]
    assert [st.index(x) for x in seq] == sorted(st.index(x) for x in seq)
    # the LookPath failure comes after SetKey: the namespace's file waits for the collector
    assert r.results[0].outcome.resources == {
        "mounts": 0, "veths": 0, "endpoints": 0, "sandboxes": 0, "proxies": 0, "ports": 0,
        "iptables": 0, "netns": 0, "netns_garbage": 1, "processes": 0, "containerd": 0}


@upstream("daemon/start.go", "L136-164")
def test_containerstart_phases_run_in_order() -> None:
    r = run([WEB])
    st = stages(r)
    seq = ["mount.begin", "network.begin", "spec.default", "spec.create_options",
           "start.restart_manager", "start.checkpoint_dir", "start.apparmor", "runtime.create",
           "start.done"]
    assert [st.index(x) for x in seq] == sorted(st.index(x) for x in seq)
