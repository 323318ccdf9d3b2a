"""``ipams/builtin`` + ``ipam/allocator.go``: the lowest free address of a network's pool."""

from __future__ import annotations

import ipaddress

from ...world.network import Network
from ..context import LN, Daemon, Steps, go
from ..errors import errorf


@go("libnetwork.(*endpoint).assignAddress", LN + "endpoint.go", 1031, 1052)
def assign_address(d: Daemon, n: Network, ep_id: str) -> Steps:
    """IPv4 now (IPv6 only where the network has it): ``assignAddressVersion(4)``."""
    return (yield from assign_address_version(d, n, ep_id))


@go("libnetwork.(*endpoint).assignAddressVersion", LN + "endpoint.go", 1054, 1111)
def assign_address_version(d: Daemon, n: Network, ep_id: str) -> Steps:
    """``ipam.RequestAddress`` on the network's pool: the lowest address not yet taken."""
    err = d.fault("ipam.request_address")
    if err is None:
        ip = take_lowest_free(n, ep_id)
        if ip is not None:
            yield d.emit("network.ipam", 1095, ip=ip, prefix_len=n.prefix_len(), subnet=n.subnet,
                         gateway=n.gateway)
            return ip, None
        err = errorf("no available IPv4 addresses on this network's address pools: %s (%s)",
                     n.name, n.id)
    yield d.emit("network.ipam_failed", 1110, msg=err.msg)
    return "", err


def take_lowest_free(n: Network, ep_id: str) -> str | None:
    """Allocate the lowest free address of ``n``'s pool to ``ep_id`` (bitseq's first unset
    bit); None when the pool is full. ``_lowest_free`` is only a hint that no address below it
    is free, so a search never rescans the taken ones."""
    net = ipaddress.ip_network(n.subnet)
    last = int(net.broadcast_address)
    i = max(n._lowest_free, int(net.network_address) + 1)
    while i < last:
        ip = str(ipaddress.IPv4Address(i))
        if ip != n.gateway and ip not in n.ipam:
            n.ipam[ip] = ep_id
            n._lowest_free = i + 1
            return ip
        i += 1
    return None


def release_address(n: Network, ip: str) -> None:
    """``ipam.ReleaseAddress``."""
    if ip in n.ipam:
        del n.ipam[ip]
        n._lowest_free = min(n._lowest_free, int(ipaddress.IPv4Address(ip)))


def mac_for(ip: str) -> str:
    """``netutils.GenerateMACFromIP``: 02:42 followed by the four bytes of the IPv4 address."""
    b = ipaddress.ip_address(ip).packed
    return "02:42:" + ":".join(f"{x:02x}" for x in b)
