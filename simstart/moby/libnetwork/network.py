"""``network.go``: ``network.CreateEndpoint`` (IPAM address, then the driver's endpoint)."""

from __future__ import annotations

from ...world.journal import adopt
from ...world.network import Endpoint, Network
from ..context import LN, Daemon, Steps, go
from ..errors import errorf
from . import bridge, ipam


@go("libnetwork.(*network).CreateEndpoint", LN + "network.go", 889, 990)
def create_endpoint(d: Daemon, n: Network, name: str) -> Steps:
    """Name checks, IPAM, then the driver creates the endpoint."""
    net = d.world.network
    if net.has_endpoint(n.name, name):
        yield d.emit("network.endpoint_exists", 895, name=name, n_name=n.name)
        return None, errorf("endpoint with name %s already exists in network %s", name, n.name)
    ep = Endpoint(id=d.world.ids.hex64("endpoint"), name=name, network=n.name)
    adopt(ep, net.endpoints, ep.id)  # the IPAM and driver steps below write to it
    yield d.emit("network.endpoint", 900, name=name, n_name=n.name, driver=n.driver, id=ep.id[:12])
    if n.driver == "bridge":
        ip, err = yield from ipam.assign_address(d, n, ep.id)
        if err is not None:
            return None, err
        ep.ip, ep.mac = ip, ipam.mac_for(ip)
        err = yield from bridge.create_endpoint(d, n, ep)
        if err is not None:
            ipam.release_address(n, ip)
            yield d.emit("network.endpoint_failed", 950)
            return None, errorf("failed to create endpoint %s on network %s: %s", name,
                                n.name, err.msg)
    else:
        yield d.emit("network.endpoint_special", 941, driver=n.driver)
    net.add_endpoint(ep)
    return ep, None
