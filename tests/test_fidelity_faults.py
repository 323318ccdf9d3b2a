"""Every fault site: the error is wrapped the way the Go code wraps it, the status follows,
and the deferred cleanup leaves nothing of the container behind."""

from __future__ import annotations

import pytest

from simstart.scenario.faults import SITES

from .conftest import WEB, run, stages, upstream

PORTED = dict(WEB, ports=["8080:80"])
NOTHING_LEFT = {"mounts": 0, "veths": 0, "endpoints": 0, "sandboxes": 0, "proxies": 0,
                "ports": 0, "iptables": 0, "netns": 0, "netns_garbage": 0, "processes": 0,
                "containerd": 0}
# Sites that fail once SetKey has bind-mounted the namespace: Destroy detaches it, but its file
# waits for osl's collector (osl/namespace_linux.go L414-426), so one is left at the response.
AFTER_THE_NETNS = {"netlink.add_interface", "netlink.set_gateway", "runc.start"}
HOOK = ('oci runtime error: container_linux.go:247: starting container process caused '
        '"process_linux.go:334: running prestart hook 0 caused \\"error running hook: exit '
        'status 1, stdout: , stderr: time=\\\\\\"2017-05-04T00:00:00Z\\\\\\" level=fatal '
        'msg=\\\\\\"{msg}\\\\\\" \\\\n\\""')

# site → (the error the client sees, given the fault's error text "E", its status, upstream)
CASES = {
    "overlay2.stat": ("E", None, ("daemon/graphdriver/overlay2/overlay.go", "L478-480")),
    "overlay2.mount": ("error creating overlay mount to {merged}: E", 500,
                       ("daemon/graphdriver/overlay2/overlay.go", "L543-545")),
    "ipam.request_address": ("E", 500, ("vendor/github.com/docker/libnetwork/endpoint.go",
                                        "L1031-1111")),
    "bridge.create_veth": (
        "failed to create endpoint web on network bridge: failed to add the host ({veth}) <=> "
        "sandbox ({peer}) pair interfaces: E", 500,
        ("vendor/github.com/docker/libnetwork/network.go", "L950 + drivers/bridge/bridge.go")),
    "portallocator.request_port": (
        "driver failed programming external connectivity on endpoint web ({ep}): E", 500,
        ("vendor/github.com/docker/libnetwork/endpoint.go", "L563-567")),
    "proxy.start": ("driver failed programming external connectivity on endpoint web ({ep}): E",
                    500, ("vendor/github.com/docker/libnetwork/portmapper/mapper.go",
                          "L159-164")),
    "oci.set_user": ("linux spec user: E", 500, ("daemon/oci_linux.go", "L714-716")),
    "ipc.mount_shm": ("mounting shm tmpfs: E", 500,
                      ("daemon/container_operations_unix.go", "L91-138")),
    "apparmor.parse": (None, 204, ("daemon/start.go", "L162-164")),
    "logdriver.start": ("failed to initialize logging driver: E", 500,
                        ("container/container.go", "L890-911")),
    "containerd.create_container": ("E", None, ("libcontainerd/container_unix.go", "L162-166")),
    "runc.create": ('oci runtime error: container_linux.go:247: starting container process '
                    'caused "E"', None, ("containerd@9048e5e:runtime/container.go", "L637")),
    # the hook's stderr is its logrus.Fatalf line (text_formatter.go L59-100), quoted by
    # Command.Run (config.go L314), by initProcess.start (process_linux.go L334) and again at
    # container_linux.go L247
    "hook.setkey": (HOOK.format(msg="dial unix /run/docker/libnetwork/{ctrl}.sock: E"), None,
                    ("vendor/github.com/docker/libnetwork/sandbox_externalkey_unix.go",
                     "L29-33, L64-66")),
    "netlink.add_interface": (None, 500, ("vendor/github.com/docker/libnetwork/sandbox.go",
                                          "L826-831")),
    "netlink.set_gateway": (HOOK.format(msg="failed to set gateway while updating gateway: E"),
                            500, ("vendor/github.com/docker/libnetwork/sandbox.go",
                                  "L403-405, L843-846")),
    "runc.start": ('exit status 1: "E\\n"', 500, ("containerd@9048e5e:runtime/process.go",
                                                 "L436")),
}


@upstream("daemon/start.go", "L113-134 (every site's error reaches this defer)")
def test_every_fault_site_has_a_case() -> None:
    assert set(CASES) == set(SITES)


@upstream("daemon/start.go", "L113-134 (the deferred cleanup) and each site's own lines")
@pytest.mark.parametrize("site", sorted(SITES))
def test_a_fault_travels_the_real_error_path(site: str) -> None:
    error = "boom: E1"
    r = run([PORTED], faults=[{"site": site, "error": error}])
    o = r.results[0].outcome
    want, status, _where = CASES[site]
    c = next(iter(r.trace.world.containers.by_id.values()))
    if site == "apparmor.parse":
        assert o.status == 204
        return
    assert o.state is not None and o.state["status"] == "created"
    assert o.state["error"] == o.message
    if want is not None and "{ep}" in want:
        # the endpoint's full ID sits between the parentheses
        head = want.split(" ({ep}): ")[0]
        assert o.message is not None
        assert o.message.startswith(head + " (") and o.message.endswith("): " + error)
    elif want is not None and "{veth}" in want:
        assert o.message is not None
        assert o.message.startswith("failed to create endpoint web on network bridge: failed "
                                    "to add the host (veth")
        assert o.message.endswith(") pair interfaces: " + error)
    elif want is not None:
        merged = f"/var/lib/docker/overlay2/{c.rw_layer}/merged"
        ctrl = r.trace.world.network.controller_id
        assert o.message == want.replace("E", error).format(merged=merged, ctrl=ctrl)
    if status is not None:
        assert o.status == status
    left = dict(NOTHING_LEFT, netns_garbage=int(site in AFTER_THE_NETNS))
    assert o.resources == left, (site, o.resources)
    assert "cleanup.set_error" in stages(r)
    assert o.state["exit_code"] == 128
