"""After the 204: the exit path, the restart manager, stop, kill, wait and AutoRemove, each
checked against the v17.05.0-ce (and containerd 9048e5e) lines it models."""

from __future__ import annotations

from typing import Any

from simstart.engine.run import Run

from .conftest import WEB, run, stages, upstream

SH = {"name": "job", "image": "busybox", "cmd": ["sh", "-c", "exit 1"]}


def exiting(code: int = 1, after: str = "1s", **more: Any) -> dict[str, Any]:
    return dict(SH, process={"exits_after": after, "exit_code": code}, **more)


def end(r: Run, name: str = "job") -> dict[str, Any]:
    assert r.end is not None
    st = r.end.containers[name]
    assert st is not None
    return st


def events(r: Run) -> list[str]:
    assert r.end is not None
    return [f"{e.type} {e.action}" for e in r.end.events]


@upstream("containerd@9048e5e:containerd-shim/main.go", "L112-132; supervisor/exit.go L16-59")
def test_the_shim_reaps_then_containerd_deletes_and_publishes_the_exit() -> None:
    st = stages(run([exiting(3)]))
    st = st[st.index("exit.process"):]
    order = ["exit.process", "exit.shim", "exit.supervisor", "runtime.delete_task",
             "exit.notify", "events.received", "events.exit", "events.queued", "exit.lock"]
    idx = [st.index(x) for x in order]
    assert idx == sorted(idx)


@upstream("daemon/monitor.go", "L44-88")
def test_state_changed_exit_in_the_real_order() -> None:
    r = run([exiting(3)])
    st = stages(r)
    order = ["exit.lock", "exit.reset", "exit.should_restart", "exit.set_stopped",
             "exit.stop_healthchecks", "exit.die_event", "cleanup.begin", "exit.to_disk",
             "exit.post_run"]
    idx = [st.index(x) for x in order]
    assert idx == sorted(idx)
    assert end(r)["status"] == "exited" and end(r)["exit_code"] == 3
    die = next(e for e in r.end.events if e.action == "die")  # type: ignore[union-attr]
    assert die.attributes == {"exitCode": "3", "image": "busybox", "name": "job"}


@upstream("daemon/monitor.go", "L51; container/state.go L277-287")
def test_set_restarting_keeps_running_true() -> None:
    r = run([exiting(1, restart_policy="always")], until="1050ms")
    assert end(r)["status"] == "restarting" and end(r)["running"] and end(r)["pid"] == 0


@upstream("restartmanager/restartmanager.go", "L71-82, L90-94")
def test_on_failure_counts_and_the_backoff_doubles() -> None:
    r = run([exiting(1, restart_policy="on-failure:2")])
    assert end(r)["restart_count"] == 2 and end(r)["status"] == "exited"
    timers = [dict(s.values)["timeout_ms"] for s in r.trace if s.stage == "restart.timer"]
    assert timers == [100, 200]
    assert any(s.variant == "retries_exhausted" for s in r.trace
               if s.stage == "exit.should_restart")


@upstream("restartmanager/restartmanager.go", "L71-73; container/state.go L258-260")
def test_a_run_of_ten_seconds_resets_the_backoff() -> None:
    # time.Since(StartedAt): StartedAt is set when the RPC has returned, a moment after the
    # process started, so a process that exits 10 s after it started ran a little less
    r = run([exiting(1, after="10s", restart_policy="on-failure:3")])
    timers = [dict(s.values)["timeout_ms"] for s in r.trace if s.stage == "restart.timer"]
    assert timers == [100, 200, 400]
    r = run([exiting(1, after="11s", restart_policy="on-failure:3")])
    timers = [dict(s.values)["timeout_ms"] for s in r.trace if s.stage == "restart.timer"]
    assert timers == [100, 100, 100]


@upstream("restartmanager/restartmanager.go", "L76-82")
def test_always_backs_off_up_to_a_minute() -> None:
    r = run([exiting(2, after="2s", restart_policy="always")], until="10m")
    timers = [dict(s.values)["timeout_ms"] for s in r.trace if s.stage == "restart.timer"]
    assert timers[:4] == [100, 200, 400, 800] and max(timers) == 60_000
    assert timers[-1] == 60_000


@upstream("restartmanager/restartmanager.go", "L90-94")
def test_on_failure_does_not_restart_a_clean_exit() -> None:
    r = run([exiting(0, restart_policy="on-failure")])
    assert end(r)["restart_count"] == 0 and end(r)["status"] == "exited"


@upstream("daemon/monitor.go", "L33-42, L54; daemon/delete.go L116-128")
def test_auto_remove_runs_after_the_unlock_and_sends_destroy() -> None:
    r = run([exiting(0, auto_remove=True)])
    assert r.end is not None and r.end.containers["job"] is None
    st = stages(r)
    assert st.index("exit.post_run") < st.index("exit.auto_remove") < st.index("remove.destroy")
    assert events(r)[-1] == "container destroy"


@upstream("daemon/monitor.go", "L67-80; daemon/start.go L103")
def test_a_restart_calls_container_start_without_resetting_the_manager() -> None:
    r = run([exiting(1, restart_policy="on-failure:1")])
    restart = next(s for s in r.trace if s.stage == "restart.start")
    nxt = [s.stage for s in r.trace if s.index > restart.index][:3]
    assert "start.lock" in nxt and "start.raced" not in stages(r)
    assert events(r).count("container start") == 2


@upstream("daemon/stop.go", "L24-27")
def test_stop_of_a_stopped_container_is_304() -> None:
    r = run([dict(SH, state="exited")], [{"container": "job", "action": "stop"}])
    assert r.results[0].outcome.status == 304


@upstream("daemon/stop.go", "L50-81; daemon/kill.go L79-84")
def test_stop_sends_sigterm_cancels_the_restart_manager_and_waits() -> None:
    r = run([dict(WEB, state="running", restart_policy="always")],
            [{"container": "web", "action": "stop"}])
    o = r.results[0].outcome
    assert o.status == 204 and o.state is not None and o.state["exit_code"] == 143
    assert o.events == ("container kill", "container die", "network disconnect",
                        "container stop")
    assert end(r, "web")["status"] == "exited"  # always, but stopped by hand: no restart
    assert any(s.stage == "exit.should_restart" and s.variant == "canceled" for s in r.trace)


@upstream("daemon/stop.go", "L71-79; daemon/kill.go L113-148")
def test_a_pid_1_that_ignores_sigterm_is_killed_after_the_timeout() -> None:
    r = run([dict(WEB, state="running", process={"signals": {}})],
            [{"container": "web", "action": "stop", "query": {"t": "3"}}])
    assert r.results[0].outcome.state["exit_code"] == 137  # type: ignore[index]
    grace = next(s for s in r.trace if s.stage == "stop.grace_over")
    assert grace.time_ms >= 3000


@upstream("daemon/kill.go", "L113-116; api/server/router/container/container_routes.go L216-228")
def test_kill_of_a_stopped_container_is_500_from_api_1_20_and_204_before() -> None:
    r = run([dict(SH, state="exited")], [
        {"container": "job", "action": "kill"},
        {"container": "job", "action": "kill", "api_version": "1.19"}])
    new, old = (x.outcome for x in r.results)
    assert new.status == 500 and new.message is not None
    assert new.message.startswith("Cannot kill container job: Container ")
    assert new.message.endswith(" is not running")  # errNotRunning names the ID
    assert old.status == 204


@upstream("pkg/signal/signal.go", "L37-52; daemon/kill.go L41-43")
def test_signals_are_parsed_as_pkg_signal_does() -> None:
    from simstart.moby.signal import parse_signal, valid_signal_for_platform

    assert parse_signal("SIGTERM") == (15, None) and parse_signal("term") == (15, None)
    assert parse_signal("9") == (9, None) and parse_signal("-1")[0] == -1
    assert parse_signal("0")[1] is not None and parse_signal("0")[1].msg == "Invalid signal: 0"
    assert not valid_signal_for_platform(99) and valid_signal_for_platform(34)


@upstream("daemon/wait.go", "L14-21; container/state.go L179-221")
def test_wait_answers_when_the_container_stops_with_its_code() -> None:
    r = run([exiting(5, after="2s")], [{"container": "job"},
                                       {"container": "job", "action": "wait"}])
    w = r.results[1]
    assert w.outcome.status == 200 and w.response.body == '{"StatusCode":5}\n'
    last = r.trace.steps[w.last_step]
    assert last.time_ms >= 2000


@upstream("daemon/kill.go", "L87-92; daemon/monitor.go L74-79")
def test_stop_during_a_backoff_cancels_the_pending_restart_quietly() -> None:
    r = run([exiting(1, restart_policy="always")],
            [{"container": "job"}, {"container": "job", "action": "stop", "after": "1050ms"}])
    st = stages(r)
    assert "kill.restarting" in st and "restart.canceled" in st
    assert "restart.wait_error" not in st and end(r)["status"] == "exited"


@upstream("daemon/logger/copier.go", "L45-123; daemon/logger/jsonfilelog/jsonfilelog.go L91")
def test_what_the_process_writes_lands_in_the_json_file_log() -> None:
    r = run([dict(SH, process={"exits_after": "1s", "stdout": ["hello"],
                               "stderr": ["oops"]})])
    w = r.trace.world
    c = next(iter(w.containers.by_id.values()))
    log = w.files[f"{c.croot()}/{c.id}-json.log"]
    assert '"log":"hello\\n","stream":"stdout"' in log and '"stream":"stderr"' in log
