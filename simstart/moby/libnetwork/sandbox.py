"""``sandbox.go`` and ``sandbox_dns_unix.go``: the container's network stack in libnetwork.

With an *external key* (every mode but host), the sandbox has no network namespace until
runc's prestart hook calls back with one (``SetKey``); until then ``populateNetworkResources``
returns at once, and the veth peer waits in the host namespace.
"""

from __future__ import annotations

from ...world.layers import Mount
from ...world.network import Endpoint, Sandbox
from ..context import LN, Daemon, Steps, go
from ..errors import errorf
from . import endpoint as endpoint_mod
from . import osl

HOSTS_DEFAULT = ("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                 "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
                 "ff02::2\tip6-allrouters\n")


@go("libnetwork.(*sandbox).updateHostsFile", LN + "sandbox_dns_unix.go", 103, 129)
def update_hosts_file(d: Daemon, sb: Sandbox, ip: str, hostname: str) -> Steps:
    """Add ``<ip>\\t<hostname>`` to the container's hosts file."""
    sb.hosts = sb.hosts + f"{ip}\t{hostname}\n"
    path = f"/var/lib/docker/containers/{sb.container_id}/hosts"
    d.world.files[path] = sb.hosts
    yield d.emit("network.hosts", 120, path=path, ip=ip, hostname=hostname)
    return None


@go("libnetwork.(*sandbox).populateNetworkResources", LN + "sandbox.go", 793, 870)
def populate_network_resources(d: Daemon, sb: Sandbox, ep: Endpoint) -> Steps:
    """Move the interface into the namespace — if there is a namespace yet."""
    if sb.netns == "":
        yield d.emit("network.populate_noop", 795)
        return None
    veth = d.world.network.veths.get(ep.veth_host)
    if veth is None:
        yield d.emit("network.populate_host", 799)
        return None
    err = d.fault("netlink.add_interface")
    if err is not None:
        yield d.emit("runtime.add_interface_failed", 830)
        return errorf("failed to add interface %s to sandbox: %s", ep.veth_peer, err.msg)
    veth.peer_netns = sb.netns
    veth.peer_name = "eth0"
    yield d.emit("runtime.add_interface", 829, veth_peer=ep.veth_peer, netns=sb.netns, ip=ep.ip)
    if ep is get_gateway_endpoint(d, sb):
        return (yield from update_gateway(d, sb, ep))
    return None


def get_gateway_endpoint(d: Daemon, sb: Sandbox) -> Endpoint | None:
    """``getGatewayEndpoint`` (default_gateway.go L191-201): the first connected endpoint on a
    network that is neither null nor host and whose Join gave a gateway. libnetwork keeps the
    endpoints in a heap that puts internal networks last (sandbox.go L1142-1168); the other
    tie-breaks (IPv6 gateways, priorities) never apply to what a scenario can build, so join
    order decides the rest."""
    net = d.world.network
    eps: list[Endpoint] = [net.endpoints[e] for e in sb.endpoints]
    for ep in sorted(eps, key=lambda e: net.networks[e.network].internal):
        n = net.networks[ep.network]
        if n.driver not in ("null", "host") and n.gateway:
            return ep
    return None


@go("libnetwork.(*sandbox).updateGateway", LN + "sandbox.go", 385, 412)
def update_gateway(d: Daemon, sb: Sandbox, ep: Endpoint) -> Steps:
    """Replace the namespace's default route with one via the gateway the driver's Join gave."""
    gateway = d.world.network.networks[ep.network].gateway
    err = d.fault("netlink.set_gateway")
    if err is not None:
        yield d.emit("runtime.gateway_failed", 404, gateway=gateway)
        return errorf("failed to set gateway while updating gateway: %s", err.msg)
    yield d.emit("runtime.gateway", 403, gateway=gateway, netns=sb.netns)
    return None


@go("libnetwork.(*sandbox).SetKey", LN + "sandbox.go", 618, 668)
def set_key(d: Daemon, sb: Sandbox, pid: int) -> Steps:
    """Adopt runc's new network namespace; then populate every endpoint into it."""
    key = sb.key
    # osl.GetSandboxForExternalKey: the namespace file first (createNamespaceFile), then the
    # bind mount of the hook's /proc/<pid>/ns/net on it
    yield from osl.create_namespace_file(d, key)
    d.world.network.netns[key] = f"bind mount of /proc/{pid}/ns/net"
    d.world.mounts.mount(Mount(key, "nsfs", f"/proc/{pid}/ns/net", "bind", sb.container_id))
    sb.netns = key
    yield d.emit("runtime.setkey", 645, pid=pid, key=key)
    for ep_id in list(sb.endpoints):
        err = yield from populate_network_resources(d, sb, d.world.network.endpoints[ep_id])
        if err is not None:
            return err
    return None


@go("libnetwork.(*sandbox).delete", LN + "sandbox.go", 185, 261)
def delete(d: Daemon, sb: Sandbox) -> Steps:
    """Leave and delete every endpoint, release the namespace, forget the sandbox."""
    net = d.world.network
    yield d.emit("cleanup.sandbox", 186, id=sb.id[:12])
    for ep_id in list(sb.endpoints):
        ep = net.endpoints[ep_id]
        yield from endpoint_mod.sb_leave(d, ep, sb)
        yield from endpoint_mod.delete(d, ep)
    if sb.netns and not sb.key.endswith("/default"):  # an osSbox, not the host's default one
        yield from osl.destroy(d, sb.netns)  # L246: sb.osSbox.Destroy(), its error dropped
    del net.sandboxes[sb.id]
    net.sandbox_by_container.pop(sb.container_id, None)
    yield d.emit("cleanup.sandbox_gone", 257)
    return None
