"""``ipams/builtin`` + ``ipam/allocator.go``: the lowest free address of a network's pool."""

from __future__ import annotations

import ipaddress

from ...world.network import Network
from ..context import LN, Daemon, Steps, go
from ..errors import errorf


@go("libnetwork.(*endpoint).assignAddress", LN + "endpoint.go", 1031, 1111)
def assign_address(d: Daemon, n: Network, ep_id: str) -> Steps:
    """``ipam.RequestAddress`` on the network's pool: the lowest address not yet taken."""
    err = d.fault("ipam.request_address")
    net = ipaddress.ip_network(n.subnet)
    if err is None:
        for host in net.hosts():
            ip = str(host)
            if ip == n.gateway or ip in n.allocated:
                continue
            n.allocated[ip] = ep_id
            yield d.emit("network.ipam", 1090, f"IPAM gives {ip}/{net.prefixlen} from "
                         f"{n.subnet} (the gateway {n.gateway} is the bridge's).")
            return ip, None
        err = errorf("no available IPv4 addresses on this network's address pools: %s (%s)",
                     n.name, n.id)
    yield d.emit("network.ipam_failed", 1105, f"IPAM cannot give an address: {err.msg}.")
    return "", err


def release_address(n: Network, ip: str) -> None:
    """``ipam.ReleaseAddress``."""
    if ip in n.allocated:
        del n.allocated[ip]


def mac_for(ip: str) -> str:
    """``netutils.GenerateMACFromIP``: 02:42 followed by the four bytes of the IPv4 address."""
    b = ipaddress.ip_address(ip).packed
    return "02:42:" + ":".join(f"{x:02x}" for x in b)
