"""§5 of the reference: the bugs and oddities on the simulated path, each reproduced.

Test names carry the oddity's number in the reference (moby-v17.05-start-path.md §5).
"""

from __future__ import annotations

from simstart.scenario import load

from .conftest import SCENARIOS, WEB, goto_stage, run, stages, upstream

DB = {"name": "db", "image": "redis", "cmd": ["redis-server"]}


def _shipped(name: str):  # type: ignore[no-untyped-def]
    from simstart.engine import record

    return record(load(SCENARIOS / f"{name}.yaml"))


@upstream("api/server/httputils/errors.go", "L51-74; daemon/start.go L192")
def test_01_a_missing_command_is_404_like_a_missing_container_and_eacces_is_500() -> None:
    assert run([dict(WEB, cmd=["nope"])]).results[0].outcome.status == 404
    assert run([dict(WEB, cmd=["/nope/x"])]).results[0].outcome.status == 404
    assert run([dict(WEB, cmd=["/etc"])]).results[0].outcome.status == 500


@upstream("daemon/daemon_unix.go", "L370; runconfig/errors.go L11-15")
def test_02_conflicting_options_is_409_by_accident_err_conflict_shared_network_is_500() -> None:
    assert run([dict(WEB, nano_cpus=10**9, cpu_period=10**5)]).results[0].outcome.status == 409
    from simstart.moby.errors import errorf
    from simstart.moby.httputils import get_http_error_status_code

    assert get_http_error_status_code(errorf(
        "container sharing network namespace with another container or host cannot be "
        "connected to any other network")) == 500


@upstream("daemon/oci_linux.go", "L717-719; daemon/container_operations.go L922-924")
def test_03_wrapping_turns_the_restarting_409_into_500_for_ipc_but_not_for_net() -> None:
    ipc = run([dict(DB, state="restarting", restart_policy="always"),
               dict(WEB, ipc_mode="container:db")], [{"container": "web"}]).results[0].outcome
    net = run([dict(DB, state="restarting", restart_policy="always"),
               dict(WEB, network_mode="container:db")], [{"container": "web"}]
              ).results[0].outcome
    assert ipc.status == 500 and ipc.message is not None
    assert ipc.message.startswith("linux spec namespaces: Container ")
    assert ipc.message.endswith(" is restarting, wait until the container is running")
    assert net.status == 409


@upstream("api/server/httputils/errors.go", "L91-104; daemon/start.go L31-38")
def test_04_304_has_no_body_and_paused_is_500() -> None:
    o = run([dict(WEB, state="running")]).results[0].outcome
    assert (o.status, o.body, o.content_type) == (304, "", "")
    assert run([dict(WEB, state="paused")]).results[0].outcome.status == 500


@upstream("daemon/start.go", "L162-164")
def test_05_save_apparmor_config_cannot_fail_a_start() -> None:
    r = _shipped("apparmor-error-ignored")
    assert r.ok and "start.apparmor_bug" in stages(r)


@upstream("daemon/container_operations_unix.go", "L59-66")
def test_06_a_removed_ipc_target_panics_no_response_and_no_cleanup() -> None:
    r = _shipped("ipc-target-removed-panic")
    assert r.ok
    assert r.results[0].response.status == 0
    assert not any(s.startswith("cleanup.") for s in stages(r))


@upstream("daemon/start.go", "L167-192")
def test_07_exit_code_heuristics_uppercase_enotdir_and_stale_codes() -> None:
    upper = run([dict(WEB, cmd=["MyApp"])]).results[0].outcome
    assert upper.state is not None and upper.state["exit_code"] == 128
    lower = run([dict(WEB, cmd=["myapp"])]).results[0].outcome
    assert lower.state is not None and lower.state["exit_code"] == 127
    enotdir = _shipped("bind-not-a-directory").results[0].outcome
    assert enotdir.state is not None and enotdir.state["exit_code"] == 127
    assert enotdir.message is not None and enotdir.message.endswith(
        ": Are you trying to mount a directory onto a file (or vice-versa)? Check if the "
        "specified host path exists and is the expected type")
    stale = _shipped("stale-exit-code").results[0].outcome
    assert stale.state is not None and stale.state["exit_code"] == 137


@upstream("pkg/truncindex/truncindex.go", "L107-115")
def test_08_ambiguous_prefix_message_shows_the_second_full_id() -> None:
    o = _shipped("ambiguous-prefix").results[0].outcome
    assert o.message == ("Multiple IDs found with provided prefix: "
                         "ab34000000000000000000000000000000000000000000000000000000000002")


@upstream("libcontainerd/container_unix.go", "L170-174; daemon/monitor.go L108")
def test_09_running_is_set_by_statechanged_not_by_the_containerd_event() -> None:
    r = run([WEB])
    set_running = next(s for s in r.trace if s.stage == "running.set_running")
    assert "libcontainerd.(*container).start" in set_running.stack
    assert "supervisor.(*worker).Start" not in set_running.stack
    dropped = next(s for s in r.trace if s.stage == "runtime.event_dropped")
    assert dropped.index > set_running.index  # it waited for client.Create's lock
    assert any("event unhandled" in x.msg for x in r.trace.world.log)


@upstream("vendor/github.com/docker/libnetwork/sandbox.go", "L618-668, L793-799")
def test_10_the_netns_is_created_by_runc_and_adopted_through_the_hook() -> None:
    t = run([dict(WEB, ports=["80:80"])]).trace
    t.reset()
    goto_stage(t, "network.connect_event")
    w = t.world
    assert len(w.network.proxies) == 1 and len(w.network.iptables) == 3
    assert len(w.network.netns) == 1  # ports and veth exist, but no container namespace
    goto_stage(t, "runtime.setkey")
    assert len(t.world.network.netns) == 2
    assert any("runc init" in p.argv for p in t.world.containerd.processes.values())


@upstream("runc@9c2d8d1:libcontainer/standard_init_linux.go", "L154")
def test_11_exec_errors_surface_from_runc_create() -> None:
    r = run([dict(WEB, cmd=["nope"])])
    failed = next(s for s in r.trace if s.stage == "runtime.lookpath_failed")
    assert "runc create" in failed.stack


@upstream("libcontainerd/container_unix.go", "L157-160")
def test_12_the_log_driver_fails_before_any_process_exists() -> None:
    r = _shipped("log-driver-failure")
    assert r.ok and "runtime.rpc" not in stages(r)


@upstream("api/server/router/container/container_routes.go", "L143-158")
def test_13_body_rules() -> None:
    assert _shipped("body-rules").ok
    assert _shipped("legacy-hostconfig-1.23").ok
    assert _shipped("legacy-network-mode-change").ok


@upstream("api/server/middleware/version.go", "L39-41; api/server/httputils/errors.go L84-87")
def test_14_no_upper_bound_and_text_errors_at_1_23() -> None:
    assert _shipped("api-version-bounds").ok
    r = _shipped("plain-text-errors")
    assert [x.outcome.content_type for x in r.results] == [
        "application/json", "application/json", "text/plain; charset=utf-8"]


@upstream("volume/volume.go", "L157-167")
def test_17_a_missing_bind_source_is_created() -> None:
    r = _shipped("bind-source-created")
    assert r.ok and r.trace.world.files["/srv/data"] == "<directory>"


@upstream("daemon/daemon.go", "L422-433")
def test_18_link_aliases_are_names() -> None:
    r = _shipped("link-alias")
    assert r.ok and r.results[0].outcome.container == "/db"


@upstream("daemon/start.go", "L103-105")
def test_19_a_duplicate_start_that_finds_running_under_the_lock_is_204() -> None:
    from .test_fidelity_start import (
        test_a_start_that_finds_the_container_running_under_the_lock_returns_nil as check,
    )

    check()
    r = _shipped("racing-starts")  # the same, as two requests racing through the engine
    assert r.ok and [x.outcome.status for x in r.results] == [204, 204, 304]
    seq = [(s.request, s.stage) for s in r.trace if s.stage.startswith("start.lock")
           or s.stage in ("start.raced", "running.set_running", "checks.verify")]
    # both pass the checks before either holds the lock; then the second waits for it
    assert seq == [(0, "checks.verify"), (1, "checks.verify"), (0, "start.lock"),
                   (1, "start.lock_wait"), (0, "running.set_running"),
                   (1, "start.lock"), (1, "start.raced")]


@upstream("container/state.go", "L297-302; daemon/start.go L29, L100")
def test_19b_a_start_that_arrives_while_the_lock_is_held_waits_in_is_paused_and_gets_304(
) -> None:
    r = _shipped("racing-starts-after-lock")
    assert r.ok and [x.outcome.status for x in r.results] == [204, 304]
    wait = next(s for s in r.trace if s.stage == "state.lock_wait")
    assert wait.request == 1 and wait.symbol == "container.(*State).IsPaused"
    assert dict(wait.values)["holder"] == "containerStart"
    unlock = next(s for s in r.trace if s.stage == "start.unlock" and s.request == 0)
    assert unlock.index < next(s.index for s in r.trace
                               if s.request == 1 and s.stage == "checks.running")


@upstream("daemon/container_operations.go", "L746-793")
def test_20_failed_starts_emit_network_events_and_a_lone_disconnect() -> None:
    assert run([dict(WEB, cmd=["nope"])]).results[0].outcome.events == (
        "network connect", "network disconnect")
    port = _shipped("port-already-allocated").results[0].outcome
    assert port.events == ("network disconnect",)
    rm = _shipped("autoremove-after-failure").results[0].outcome
    assert rm.events[-1] == "container destroy" and rm.status == 404


@upstream("daemon/container_operations.go", "L689-693; L551-569")
def test_21_bridge_none_persists_network_disabled_and_still_makes_a_sandbox() -> None:
    r = _shipped("bridge-none")
    assert r.ok and "network.sandbox_only" in stages(r)
