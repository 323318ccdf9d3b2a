"""``endpoint.go``: ``Join`` (with ``sbJoin``), ``Leave`` and ``Delete``."""

from __future__ import annotations

from ...world.containers import PortBinding
from ...world.network import Endpoint, Network, Sandbox
from ..context import LN, Daemon, Steps, go
from ..errors import GoError, errorf
from . import bridge, ipam, sandbox


@go("libnetwork.(*endpoint).sbJoin", LN + "endpoint.go", 430, 580)
def sb_join(d: Daemon, ep: Endpoint, sb: Sandbox, n: Network,
         bindings: list[PortBinding], hostname: str) -> Steps:
    """Attach the endpoint to the sandbox: driver Join, hosts file, DNS, published ports."""
    if ep.sandbox_id != "":
        yield d.emit("network.join_taken", 442)
        return errorf("another container is attached to the same network endpoint")
    ep.sandbox_id = sb.id
    err: GoError | None = None
    try:
        if n.driver == "bridge":
            yield from bridge.join(d, n, ep)
        if ep.ip and not sb.key.endswith("/default"):
            yield from sandbox.update_hosts_file(d, sb, ep.ip, hostname)
        sb.endpoints.append(ep.id)
        yield d.emit("network.join_heap", 502)
        yield from sandbox.populate_network_resources(d, sb, ep)
        if n.driver == "bridge" and not n.internal:
            err = yield from bridge.program_external_connectivity(d, n, ep, bindings)
            if err is not None:
                err = GoError(f"driver failed programming external connectivity on endpoint "
                              f"{ep.name} ({ep.id}): {err.msg}")
                yield d.emit("network.join_failed", 564)
                return err
        return None
    finally:
        if err is not None:
            sb.endpoints.remove(ep.id)
            ep.sandbox_id = ""
            yield d.emit("network.join_rollback", 505)


@go("libnetwork.(*endpoint).sbLeave", LN + "endpoint.go", 682, 788)
def sb_leave(d: Daemon, ep: Endpoint, sb: Sandbox) -> Steps:
    """Revoke external connectivity, leave the sandbox."""
    if ep.port_mappings:
        yield from bridge.revoke_external_connectivity(d, ep)
    if ep.id in sb.endpoints:
        sb.endpoints.remove(ep.id)
    ep.sandbox_id = ""
    yield d.emit("cleanup.leave", 712, name=ep.name, id=sb.id[:12])
    return None


@go("libnetwork.(*endpoint).Delete", LN + "endpoint.go", 790, 846)
def delete(d: Daemon, ep: Endpoint) -> Steps:
    """The driver deletes the interface; IPAM takes the address back."""
    net = d.world.network
    n = net.networks[ep.network]
    if n.driver == "bridge":
        yield from bridge.delete_endpoint(d, ep)
        ipam.release_address(n, ep.ip)
    net.remove_endpoint(ep)
    yield d.emit("cleanup.endpoint", 835, "released" if ep.ip else "no_address", name=ep.name,
                 id=ep.id[:12], ip=ep.ip if ep.ip else None)
    return None
