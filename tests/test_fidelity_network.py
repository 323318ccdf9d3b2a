"""§2.F — networking: modes, allocateNetwork, connectToNetwork, Join, ports, releaseNetwork."""

from __future__ import annotations

from simstart.engine import record
from simstart.engine.build import build_world
from simstart.moby import Daemon
from simstart.moby.libnetwork import osl, sandbox
from simstart.scenario import load, loads
from simstart.world.network import Sandbox

from .conftest import SCENARIOS, WEB, goto_stage, run, scenario, stages, upstream

DB = {"name": "db", "image": "redis", "cmd": ["redis-server"]}
LN = "vendor/github.com/docker/libnetwork/"


def _c(r, name):  # type: ignore[no-untyped-def]
    w = r.trace.world
    return w.containers.by_id[w.containers.names["/" + name]]


@upstream("daemon/container_operations.go", "L882-892")
def test_container_mode_copies_paths_and_hostname_and_returns() -> None:
    r = run([dict(DB, state="running", hostname="dbhost"),
             dict(WEB, network_mode="container:db")], [{"container": "web"}])
    web, db = _c(r, "web"), _c(r, "db")
    assert web.config.hostname == "dbhost"
    assert (web.hosts_path, web.resolv_conf_path) == (db.hosts_path, db.resolv_conf_path)
    assert web.network_settings.sandbox_id == ""
    first = stages(r)[stages(r).index("network.share"):]
    assert "network.stale_sandbox" not in first[:2]  # no allocateNetwork


@upstream("daemon/container_operations.go", "L910-926")
def test_getnetworkedcontainer_errors() -> None:
    own = run([dict(WEB, network_mode="container:web")]).results[0].outcome
    assert (own.status, own.message) == (500, "cannot join own network")
    gone = run([dict(WEB, network_mode="container:db"), DB], [{"container": "web"}]
               ).results[0].outcome
    assert (gone.status, gone.message) == (409, "cannot join network of a non running "
                                                "container: db")


@upstream("daemon/container_operations.go", "L894-901")
def test_host_mode_takes_the_host_name_when_none_is_set() -> None:
    r = run([dict(WEB, network_mode="host", hostname="")], daemon={"hostname": "teacher-pc"})
    assert _c(r, "web").config.hostname == "teacher-pc"


@upstream("daemon/container_operations.go", "L503-506; libnetwork controller.go L1079-1096")
def test_allocate_network_destroys_a_stale_sandbox_first() -> None:
    r = run([WEB])
    assert stages(r).index("network.stale_sandbox") < stages(r).index("network.find")


@upstream("daemon/container_operations.go", "L519-530 + L734-793")
def test_bridge_connect_in_source_order() -> None:
    st = stages(run([dict(WEB, ports=["8080:80"])]))
    seq = ["network.find", "network.endpoint", "network.ipam", "network.veth",
           "network.endpoint_settings", "network.sandbox", "network.driver_join",
           "network.hosts", "network.populate_noop", "network.port_allocated",
           "network.iptables", "network.proxy", "network.join_info", "network.connect_event",
           "network.hostname_file"]
    assert [st.index(x) for x in seq] == sorted(st.index(x) for x in seq)


@upstream(LN + "endpoint.go", "L1031-1111 (assignAddress)")
def test_addresses_come_from_the_pool_in_order_and_macs_from_ips() -> None:
    r = run([WEB, dict(DB)], [{"container": "web"}, {"container": "db"}])
    assert _c(r, "web").network_settings.networks["bridge"].ip_address == "172.17.0.2"
    assert _c(r, "db").network_settings.networks["bridge"].ip_address == "172.17.0.3"
    assert _c(r, "db").network_settings.networks["bridge"].mac_address == "02:42:ac:11:00:03"


@upstream(LN + "controller.go", "L929-1038; osl/namespace_linux.go L152-192")
def test_the_sandbox_has_an_external_key_named_after_the_sandbox_id_and_no_netns_yet() -> None:
    r = run([WEB])
    t = r.trace
    t.reset()
    goto_stage(t, "network.sandbox")
    sb = next(iter(t.world.network.sandboxes.values()))
    c = _c(r, "web")
    assert sb.external_key and sb.netns == ""
    assert sb.key == f"/var/run/docker/netns/{sb.id[:12]}"
    assert not sb.key.endswith(c.id[:12])
    assert "127.0.0.1\tlocalhost" in sb.hosts and "172.17.0.2" not in sb.hosts
    assert len(t.world.network.netns) == 1  # only the daemon's own


@upstream(LN + "sandbox_dns_unix.go", "L103-129")
def test_join_adds_the_container_ip_line_to_hosts() -> None:
    r = run([dict(WEB, hostname="web1")])
    c = _c(r, "web")
    assert "172.17.0.2\tweb1\n" in r.trace.world.files[f"{c.croot()}/hosts"]


@upstream(LN + "portmapper/mapper.go", "L72-168; iptables/iptables.go L238-284")
def test_a_published_port_is_allocator_then_three_rules_then_proxy() -> None:
    r = run([dict(WEB, ports=["127.0.0.1:8080:80/tcp"])])
    net = r.trace.world.network
    assert "127.0.0.1/tcp:8080" in net.ports
    assert len(net.iptables) == 3
    assert any("DNAT --to-destination 172.17.0.2:80" in rule for rule in net.iptables)
    (proxy,) = net.proxies.values()
    assert proxy.argv == ("docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 8080 "
                          "-container-ip 172.17.0.2 -container-port 80")
    assert _c(r, "web").network_settings.ports == {"80/tcp": ["127.0.0.1:8080"]}


@upstream(LN + "portallocator/portallocator.go", "L119-154")
def test_an_ephemeral_host_port_comes_from_the_local_port_range() -> None:
    r = run([dict(WEB, ports=["80"])])
    assert "0.0.0.0/tcp:32768" in r.trace.world.network.ports


@upstream(LN + "portallocator/portallocator.go", "L119-154 (pools keyed by IP string)")
def test_different_host_ips_never_collide_in_the_allocator() -> None:
    r = run([dict(WEB, ports=["127.0.0.1:8080:80"]), dict(DB, ports=["0.0.0.0:8080:6379"])],
            [{"container": "web"}, {"container": "db"}])
    assert [x.outcome.status for x in r.results] == [204, 204]


@upstream(LN + "portmapper/mapper.go", "L159-164; portmapper/proxy.go L43-51")
def test_a_host_process_on_the_port_fails_the_proxy_and_the_rules_are_removed() -> None:
    r = run([dict(WEB, ports=["8080:80"])], host={"listening": [{"port": 8080}]})
    o = r.results[0].outcome
    assert o.status == 500
    assert o.message is not None and o.message.endswith(
        "Error starting userland proxy: listen tcp 0.0.0.0:8080: bind: address already in use")
    assert o.resources["iptables"] == 0 and o.resources["ports"] == 0


@upstream(LN + "endpoint.go", "L563-567; daemon/container_operations.go L739-745")
def test_a_port_conflict_rolls_back_the_endpoint_then_cleanup_deletes_the_sandbox() -> None:
    r = run([dict(DB, ports=["8080:6379"], state="running"), dict(WEB, ports=["8080:80"])],
            [{"container": "web"}])
    st = stages(r)
    assert st.index("network.join_rollback") < st.index("network.rollback") < \
        st.index("cleanup.set_error") < st.index("cleanup.sandbox")
    o = r.results[0].outcome
    ep = _c(r, "web").network_settings.networks["bridge"]
    assert ep.endpoint_id == ""  # cleanOperationalData
    assert o.message is not None and o.message.startswith(
        "driver failed programming external connectivity on endpoint web (")
    assert o.message.endswith("): Bind for 0.0.0.0:8080 failed: port is already allocated")


@upstream("daemon/container_operations.go", "L689-693")
def test_bridge_none_disables_networking_and_persists_it() -> None:
    r = run([WEB], daemon={"bridge_none": True})
    c = _c(r, "web")
    assert c.config.network_disabled
    assert r.results[0].outcome.status == 204
    assert "network.sandbox_only" in stages(r)


@upstream("daemon/container_operations.go", "L698-701 (findAndAttachNetwork)")
def test_a_user_defined_network_gets_its_own_subnet_and_bridge() -> None:
    r = run([dict(WEB, network_mode="appnet")], networks=[{"name": "appnet",
                                                         "subnet": "172.20.0.0/16"}])
    c = _c(r, "web")
    assert c.network_settings.networks["appnet"].ip_address == "172.20.0.2"
    (veth,) = r.trace.world.network.veths.values()
    assert veth.bridge.startswith("br-")


@upstream("daemon/container_operations.go", "L928-972")
def test_release_network_sends_disconnect_for_each_network() -> None:
    r = run([dict(WEB, cmd=["nope"])])
    assert r.results[0].outcome.events == ("network connect", "network disconnect")


# -- tearing the namespace down: a lazy detach now, the file at the collector's next tick ------

OSL = LN + "osl/namespace_linux.go"


def _failed_after_setkey(**top):  # type: ignore[no-untyped-def]
    return run([WEB], faults=[{"site": "runc.start"}], **top)


@upstream(LN + "sandbox.go", "L245-246; osl/namespace_linux.go L414-426")
def test_delete_destroys_the_namespace_lazily_and_lists_its_file() -> None:
    r = _failed_after_setkey()
    t = r.trace
    t.reset()
    goto_stage(t, "runtime.setkey")
    key = next(iter(t.world.network.sandboxes.values())).key
    assert key in t.world.network.netns and key in t.world.mounts.table
    goto_stage(t, "cleanup.netns")
    step = t.steps[t.position]
    assert step.stack[-2:] == ("libnetwork.(*sandbox).delete",
                               "osl.(*networkNamespace).Destroy")
    assert "libnetwork.(*sandbox).releaseOSSbox" not in step.stack
    assert (step.file, step.line) == (OSL, 420)
    net = t.world.network
    assert key not in net.netns and key not in t.world.mounts.table  # MNT_DETACH: at once
    assert key not in net.garbage_paths
    goto_stage(t, "cleanup.netns_garbage")
    assert t.steps[t.position].line == 425
    assert dict(net.garbage_paths) == {key: 60_000}  # the file stays, for the next tick
    o = r.results[0].outcome
    assert (o.resources["netns"], o.resources["netns_garbage"]) == (0, 1)


@upstream(OSL, "L36 (gpmCleanupPeriod) + L81-116 (removeUnusedPaths, os.Remove at L108)")
def test_the_collector_removes_the_file_at_its_next_60_second_tick() -> None:
    r = _failed_after_setkey()
    (gc,) = [s for s in r.trace if s.stage == "cleanup.netns_removed"]
    assert (gc.file, gc.line, gc.time_ms) == (OSL, 108, 60_000)
    assert gc.goroutine == "osl.removeUnusedPaths" and gc.stack == ("osl.removeUnusedPaths",)
    assert not r.trace.world.network.garbage_paths
    # nothing is collected before the tick: a tick is a multiple of 60 s of simulated time
    late = run([WEB], [{"container": "web", "after": "70s"}], faults=[{"site": "runc.start"}])
    (gc,) = [s for s in late.trace if s.stage == "cleanup.netns_removed"]
    assert gc.time_ms == 120_000


@upstream(OSL, "L36 + L81-116; libnetwork sandbox.go L618-668")
def test_a_new_sandbox_is_not_confused_by_a_listed_file() -> None:
    r = record(load(SCENARIOS / "netns-garbage-collected.yaml"))
    assert all(not x.failures for x in r.results)
    first, second, third = (x.outcome.resources for x in r.results)
    assert (first["netns"], first["netns_garbage"]) == (0, 1)
    assert (second["netns"], second["netns_garbage"]) == (1, 1)  # 20 s on: both files there
    assert (third["netns"], third["netns_garbage"]) == (1, 0)  # the 60 s tick has run
    keys = [dict(s.values)["key"] for s in r.trace if s.stage == "runtime.setkey"]
    (gone,) = [dict(s.values)["path"] for s in r.trace if s.stage == "cleanup.netns_removed"]
    assert gone == keys[0] != keys[1]  # the collector took the old file, not the new one
    assert keys[1] in r.trace.world.network.netns


@upstream(OSL, "L330-349 (createNamespaceFile: removeFromGarbagePaths at L335)")
def test_recreating_a_listed_path_takes_it_off_the_list_first() -> None:
    w = build_world(loads(scenario([WEB], [{"container": "web"}]), "t.yaml"))
    key = "/var/run/docker/netns/0123456789ab"
    w.network.garbage_paths[key] = 60_000
    sb = Sandbox("0123456789ab" + "0" * 52, "c" * 64, key, external_key=True)
    w.network.sandboxes[sb.id] = sb
    got = [e.stage for e in sandbox.set_key(Daemon(w), sb, 4242)]  # type: ignore[union-attr]
    assert got == ["runtime.netns_unlisted", "runtime.setkey"]
    assert key not in w.network.garbage_paths and key in w.network.netns
    w.clock = 60_000
    assert list(osl.remove_unused_paths(Daemon(w))) == []  # the tick finds nothing to remove
    assert key in w.network.netns


@upstream(OSL, "L36 (60 s)")
def test_the_next_tick_is_the_next_multiple_of_60_seconds() -> None:
    assert [osl.next_tick(t) for t in (0, 1, 59_999, 60_000, 60_001)] == [
        60_000, 60_000, 60_000, 120_000, 120_000]
