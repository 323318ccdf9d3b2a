"""§2.G–§2.I — createSpec, the hand-off to containerd and runc, and StateChanged."""

from __future__ import annotations

from .conftest import WEB, goto_stage, run, stages, upstream

DB = {"name": "db", "image": "redis", "cmd": ["redis-server"]}


def _c(r, name="web"):  # type: ignore[no-untyped-def]
    w = r.trace.world
    return w.containers.by_id[w.containers.names["/" + name]]


@upstream("daemon/oci_linux.go", "L757-771")
def test_the_prestart_hook_is_set_only_for_a_new_network_namespace() -> None:
    assert "spec.hook" in stages(run([WEB]))
    assert "spec.no_hook" in stages(run([dict(WEB, network_mode="host")]))
    r = run([dict(DB, state="running"), dict(WEB, network_mode="container:db")],
            [{"container": "web"}])
    assert "spec.no_hook" in stages(r)


@upstream("daemon/oci_linux.go", "L282-296")
def test_container_mode_namespace_path_is_the_targets_pid() -> None:
    r = run([dict(DB, state="running"), dict(WEB, network_mode="container:db")],
            [{"container": "web"}])
    db = _c(r, "db")
    bundle = r.trace.world.files[f"/var/run/docker/libcontainerd/{_c(r).id}/config.json"]
    assert f"netns=/proc/{db.state.pid}/ns/net" in bundle


@upstream("daemon/container_operations_unix.go", "L91-138")
def test_setup_ipc_dirs_mounts_a_64m_shm_tmpfs() -> None:
    r = run([WEB])
    c = _c(r)
    m = r.trace.world.mounts.table[f"{c.croot()}/shm"]
    assert m.fstype == "tmpfs" and "size=67108864" in m.options


@upstream("daemon/start.go", "L162-164")
def test_save_apparmor_config_errors_are_ignored() -> None:
    r = run([WEB], faults=[{"site": "apparmor.parse"}])
    assert r.results[0].outcome.status == 204
    assert _c(r).apparmor_profile == "docker-default"


@upstream("libcontainerd/container_unix.go", "L157-160 + container/container.go L890-911")
def test_the_log_driver_starts_before_the_rpc() -> None:
    st = stages(run([WEB]))
    assert st.index("runtime.logging") < st.index("runtime.rpc")
    o = run([dict(WEB, log_driver="gelf")], daemon={"log_drivers": ["json-file"]}
            ).results[0].outcome
    assert o.message == ("failed to initialize logging driver: failed to get logging factory: "
                         "logger: no log driver named 'gelf' is registered")
    assert o.resources["containerd"] == 0


@upstream("libcontainerd/client_unix.go", "L45-88")
def test_create_writes_the_bundle_and_removes_it_on_error() -> None:
    ok = run([WEB])
    cid = _c(ok).id
    assert f"/var/run/docker/libcontainerd/{cid}/config.json" in ok.trace.world.files
    bad = run([dict(WEB, cmd=["nope"])])
    cid = _c(bad).id
    assert not any(p.startswith(f"/var/run/docker/libcontainerd/{cid}/")
                   for p in bad.trace.world.files)
    assert cid not in bad.trace.world.containerd.libcontainerd


@upstream("runc@9c2d8d1:libcontainer/process_linux.go", "L323-334 (procHooks); libnetwork "
          "sandbox.go L618-668")
def test_runc_creates_the_netns_and_the_hook_adopts_it_and_moves_eth0_in() -> None:
    r = run([WEB])
    t = r.trace
    t.reset()
    goto_stage(t, "runtime.hook")
    assert len(t.world.network.netns) == 1
    goto_stage(t, "runtime.add_interface")
    (veth,) = t.world.network.veths.values()
    sb = next(iter(t.world.network.sandboxes.values()))
    assert veth.peer_netns == sb.key and veth.peer_name == "eth0"
    st = stages(r)
    assert st.index("runtime.setkey") < st.index("runtime.lookpath") < st.index(
        "runtime.runc_start")


@upstream("vendor/github.com/docker/libnetwork/sandbox.go", "L385-412, L843-846; "
          "default_gateway.go L191-201")
def test_the_default_route_is_set_by_update_gateway_after_eth0_moves_in() -> None:
    r = run([WEB])
    (gw,) = [s for s in r.trace if s.stage == "runtime.gateway"]
    assert gw.stack[-1] == "libnetwork.(*sandbox).updateGateway" and gw.line == 403
    assert gw.stack[-2] == "libnetwork.(*sandbox).populateNetworkResources"
    st = stages(r)
    assert st.index("runtime.add_interface") < st.index("runtime.gateway") < st.index(
        "runtime.lookpath")
    # getGatewayEndpoint skips host and null networks: nothing moves in, no route is set
    for mode in ("host", "none"):
        assert "runtime.gateway" not in stages(run([dict(WEB, network_mode=mode)])), mode


@upstream("vendor/github.com/docker/libnetwork/sandbox_externalkey_unix.go", "L29-33, L64-66")
def test_a_hook_that_cannot_dial_the_daemon_fails_before_setkey_touches_a_namespace() -> None:
    r = run([WEB], faults=[{"site": "hook.setkey"}])
    st = stages(r)
    assert "runtime.setkey_dial_failed" in st and "runtime.setkey" not in st
    assert st.index("runtime.setkey_dial_failed") < st.index("runtime.setkey_fatal")
    o = r.results[0].outcome
    assert o.resources["netns_garbage"] == 0 and o.resources["netns"] == 0
    sock = f"/run/docker/libnetwork/{r.trace.world.network.controller_id}.sock"
    assert o.message is not None
    assert f'msg=\\\\\\"dial unix {sock}: connect: connection refused\\\\\\" \\\\n' \
        in o.message


@upstream("vendor/github.com/docker/libnetwork/sandbox.go", "L403-405; osl namespace_linux.go "
          "L414-426")
def test_a_gateway_failure_comes_after_the_namespace_is_mounted_and_leaves_its_file() -> None:
    r = run([WEB], faults=[{"site": "netlink.set_gateway"}])
    st = stages(r)
    assert st.index("runtime.setkey") < st.index("runtime.add_interface") < st.index(
        "runtime.gateway_failed") < st.index("runtime.setkey_failed")
    o = r.results[0].outcome
    assert o.status == 500 and o.resources["netns_garbage"] == 1
    assert o.message is not None and "failed to set gateway while updating gateway: file " \
        "exists" in o.message


@upstream("runc@9c2d8d1:libcontainer/container_linux.go", "L1026-1036 (criuNotifications)")
def test_a_restore_runs_the_prestart_hook_in_criu_notifications() -> None:
    r = run([dict(WEB, state="exited")], [{"container": "web", "checkpoint": "cp"}],
            daemon={"experimental": True})
    (hook,) = [s for s in r.trace if s.stage == "runtime.hook"]
    assert hook.variant == "restore"
    assert hook.stack[-1] == "libcontainer.(*linuxContainer).criuNotifications"
    assert (hook.file, hook.line) == ("libcontainer/container_linux.go", 1034)
    assert r.results[0].outcome.status == 204


@upstream("runc@9c2d8d1:libcontainer/container_linux.go", "L1036; restore.go L113-117")
def test_a_restores_hook_error_names_container_linux_1036_and_is_not_rewrapped() -> None:
    r = run([dict(WEB, state="exited")], [{"container": "web", "checkpoint": "cp"}],
            daemon={"experimental": True}, faults=[{"site": "hook.setkey", "error": "E"}])
    o = r.results[0].outcome
    sock = f"/run/docker/libnetwork/{r.trace.world.network.controller_id}.sock"
    want = ('container_linux.go:1036: running prestart hook 0 caused "error running hook: '
            'exit status 1, stdout: , stderr: time=\\"2017-05-04T00:00:00Z\\" level=fatal '
            f'msg=\\"dial unix {sock}: E\\" \\n"')
    assert o.message == "oci runtime error: " + want
    assert o.status == 500 and o.state is not None and o.state["exit_code"] == 128
    assert "runtime.runc_restore_failed" in stages(r)
    assert "process_linux.go" not in o.message  # a create's hook error, not this one


@upstream("runc@9c2d8d1:libcontainer/standard_init_linux.go", "L154")
def test_exec_lookup_fails_at_create_so_runc_start_never_runs() -> None:
    r = run([dict(WEB, cmd=["nope"])])
    st = stages(r)
    assert "runtime.lookpath_failed" in st and "runtime.runc_start" not in st
    o = r.results[0].outcome
    assert o.message == ('oci runtime error: container_linux.go:247: starting container process '
                         'caused "exec: \\"nope\\": executable file not found in $PATH"')


@upstream("containerd@9048e5e:supervisor/worker.go", "L78-90")
def test_a_runc_start_failure_deletes_the_task() -> None:
    o = run([WEB], faults=[{"site": "runc.start", "error": "boom"}]).results[0].outcome
    assert o.status == 500 and o.message == 'exit status 1: "boom\\n"'
    assert o.resources["containerd"] == 0 and o.resources["processes"] == 0


@upstream("libcontainerd/container_unix.go", "L170-174; daemon/monitor.go L107-117")
def test_running_is_set_synchronously_and_the_start_event_precedes_the_204() -> None:
    st = stages(run([WEB]))
    assert st.index("running.set_running") < st.index("running.start_event") < \
        st.index("http.no_content")


@upstream("libcontainerd/client_unix.go", "L46-47; container_unix.go L189, L231")
def test_event_unhandled_comes_after_state_changed_since_create_holds_the_client_lock() -> None:
    r = run([WEB])
    st = stages(r)
    wait = next(s for s in r.trace if s.stage == "events.lock_wait")
    assert dict(wait.values)["holder"] == "client.Create"
    assert st.index("running.start_event") < st.index("runtime.event_dropped")


@upstream("containerd@9048e5e:supervisor/worker.go", "L52, L58")
def test_the_worker_answers_the_rpc_before_it_sends_the_delete_task() -> None:
    st = stages(run([WEB], faults=[{"site": "runc.start", "error": "boom"}]))
    assert st.index("runtime.worker_failed") < st.index("runtime.delete_task")


@upstream("daemon/start.go", "L100-101")
def test_container_start_unlocks_before_the_response_is_written() -> None:
    st = stages(run([WEB]))
    assert st.index("start.done") < st.index("start.unlock") < st.index("http.no_content")


@upstream("daemon/monitor.go", "L109-111 + container/state.go L252-261")
def test_set_running_clears_error_and_exit_code() -> None:
    r = run([dict(WEB, state="exited", exit_code=2)])
    s = _c(r).state
    assert (s.running, s.exit_code, s.error) == (True, 0, "")
    assert s.pid > 0 and r.trace.world.containerd.processes[s.pid].argv == "nginx -g daemon off;"
    assert _c(r).has_been_started_before


@upstream("daemon/events.go", "L15-32 + L88-96")
def test_event_attributes() -> None:
    r = run([dict(WEB, labels={"tier": "front"})])
    net_ev, start_ev = r.trace.world.events
    assert (net_ev.type, net_ev.action) == ("network", "connect")
    assert net_ev.attributes == {"container": _c(r).id, "name": "bridge", "type": "bridge"}
    assert start_ev.attributes == {"tier": "front", "image": "nginx", "name": "web"}
