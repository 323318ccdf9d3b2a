"""``drivers/bridge/bridge.go``: the veth pair, its place on the bridge, and external
connectivity (published ports)."""

from __future__ import annotations

from ...world.containers import PortBinding
from ...world.network import Endpoint, Network, Veth
from ..context import LN, Daemon, Steps, go
from ..errors import errorf
from . import portmapper


@go("bridge.(*driver).CreateEndpoint", LN + "drivers/bridge/bridge.go", 902, 1081)
def create_endpoint(d: Daemon, n: Network, ep: Endpoint) -> Steps:
    """Create the veth pair, attach the host end to the bridge, bring it up."""
    host_end = "veth" + d.world.ids.short("veth", 7)
    peer = "veth" + d.world.ids.short("veth", 7)
    err = d.fault("bridge.create_veth")
    if err is not None:
        yield d.emit("network.veth_failed", 979)
        return errorf("failed to add the host (%s) <=> sandbox (%s) pair interfaces: %s",
                      host_end, peer, err.msg)
    d.world.network.veths[host_end] = Veth(host_end, peer, n.bridge_iface, up=True)
    ep.veth_host, ep.veth_peer = host_end, peer
    yield d.emit("network.veth", 978, host_end=host_end, peer=peer, bridge_iface=n.bridge_iface)
    return None


@go("bridge.(*driver).DeleteEndpoint", LN + "drivers/bridge/bridge.go", 1083, 1145)
def delete_endpoint(d: Daemon, ep: Endpoint) -> Steps:
    """Delete the veth pair (both ends go together)."""
    if ep.veth_host and ep.veth_host in d.world.network.veths:
        del d.world.network.veths[ep.veth_host]
        yield d.emit("cleanup.veth", 1136, veth_host=ep.veth_host, veth_peer=ep.veth_peer)
    return None


@go("bridge.(*driver).Join", LN + "drivers/bridge/bridge.go", 1204, 1247)
def join(d: Daemon, n: Network, ep: Endpoint) -> Steps:
    """Tell the sandbox which interface to move in and rename, and the gateway."""
    yield d.emit("network.driver_join", 1231, veth_peer=ep.veth_peer, gateway=n.gateway)
    return None


@go("bridge.(*driver).ProgramExternalConnectivity", LN + "drivers/bridge/bridge.go", 1276, 1323)
def program_external_connectivity(
    d: Daemon, n: Network, ep: Endpoint, bindings: list[PortBinding]
) -> Steps:
    """``allocatePorts`` for the endpoint's port bindings."""
    yield d.emit("network.external", 1300)
    return (yield from portmapper.allocate_ports(d, n, ep, bindings))


@go("bridge.(*driver).RevokeExternalConnectivity", LN + "drivers/bridge/bridge.go", 1325, 1361)
def revoke_external_connectivity(d: Daemon, ep: Endpoint) -> Steps:
    """``releasePorts``."""
    return (yield from portmapper.release_ports(d, ep))
