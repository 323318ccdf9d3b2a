"""Publishing a port: ``drivers/bridge/port_mapping.go`` → ``portmapper/mapper.go`` →
``portallocator`` → ``iptables`` → ``docker-proxy`` (in that order: the iptables rules exist
before the proxy tries to bind)."""

from __future__ import annotations

from ...world.containers import PortBinding
from ...world.network import Endpoint, Network, Proxy
from ..context import LN, Daemon, Steps, go
from ..errors import GoError, errorf


def _pool_key(ip: str, proto: str, port: int) -> str:
    return f"{ip}/{proto}:{port}"


@go("bridge.(*bridgeNetwork).allocatePorts", LN + "drivers/bridge/port_mapping.go", 17, 28)
def allocate_ports(d: Daemon, n: Network, ep: Endpoint, bindings: list[PortBinding]) -> Steps:
    """Nothing to do without bindings; the default host IP is 0.0.0.0."""
    if not bindings:
        yield d.emit("network.ports_none", 18)
        return None
    return (yield from allocate_ports_internal(d, n, ep, bindings))


@go("bridge.(*bridgeNetwork).allocatePortsInternal", LN + "drivers/bridge/port_mapping.go",
    30, 44)
def allocate_ports_internal(d: Daemon, n: Network, ep: Endpoint,
                            bindings: list[PortBinding]) -> Steps:
    """Map each binding; if one fails, release the ones already mapped."""
    for b in bindings:
        err = yield from allocate_port(d, n, ep, b)
        if err is not None:
            if ep.port_mappings:  # the bindings this call already mapped
                yield from release_ports_internal(d, ep)
                yield d.emit("network.ports_rollback", 36)
            return err
    return None


@go("bridge.(*bridgeNetwork).allocatePort", LN + "drivers/bridge/port_mapping.go", 46, 99)
def allocate_port(d: Daemon, n: Network, ep: Endpoint, b: PortBinding) -> Steps:
    """Ten tries for an ephemeral host port, one for an explicit one."""
    host_ip = b.host_ip or "0.0.0.0"
    port_s, _, proto = b.container_port.partition("/")
    proto = proto or "tcp"
    host_port = int(b.host_port.split("-")[0]) if b.host_port else 0
    attempts = 1 if host_port else 10
    err: GoError | None = None
    for i in range(attempts):
        _, err = yield from map_range(d, n, ep, host_ip, proto, host_port, ep.ip, int(port_s))
        if err is None:
            return None
        if host_port != 0:
            d.logf("warning", f"Failed to allocate and map port {host_port}-{host_port}: "
                   f"{err.msg}")
            yield d.emit("network.port_warn", 78)
            break
        d.logf("warning", f"Failed to allocate and map port: {err.msg}, retry: {i + 1}")
    return err


@go("portmapper.(*PortMapper).MapRange", LN + "portmapper/mapper.go", 72, 168)
def map_range(d: Daemon, n: Network, ep: Endpoint, host_ip: str, proto: str, host_port: int,
              container_ip: str, container_port: int) -> Steps:
    """Allocator, then iptables, then the proxy; undo in reverse if the proxy fails."""
    net = d.world.network
    # PortAllocator.RequestPortInRange: pools are keyed by the host IP *string*.
    if host_port:
        key = _pool_key(host_ip, proto, host_port)
        owner = net.ports.get(key)
        err = d.fault("portallocator.request_port")
        if owner is not None or err is not None:
            yield d.emit("network.port_taken", 85, "held" if owner else "taken", host_ip=host_ip,
                         proto=proto, host_port=host_port, owner=owner if owner else None)
            return 0, err or errorf("Bind for %s:%d failed: port is already allocated",
                                    host_ip, host_port)
    else:
        lo, hi = d.world.options.ip_local_port_range
        host_port = next((p for p in range(lo, hi + 1)
                          if _pool_key(host_ip, proto, p) not in net.ports), 0)
        if host_port == 0:
            yield d.emit("network.port_taken", 85, "exhausted")
            return 0, errorf("all ports are allocated")
        key = _pool_key(host_ip, proto, host_port)
    net.ports[key] = ep.name
    yield d.emit("network.port_allocated", 85, host_ip=host_ip, host_port=host_port, proto=proto)
    dest = "0/0" if host_ip == "0.0.0.0" else host_ip
    rules = [
        f"-t nat -A DOCKER -p {proto} -d {dest} --dport {host_port} -j DNAT --to-destination "
        f"{container_ip}:{container_port} ! -i {n.bridge_iface}",
        f"-t filter -A DOCKER ! -i {n.bridge_iface} -o {n.bridge_iface} -p {proto} -d "
        f"{container_ip} --dport {container_port} -j ACCEPT",
        f"-t nat -A POSTROUTING -p {proto} -s {container_ip} -d {container_ip} --dport "
        f"{container_port} -j MASQUERADE",
    ]
    for r in rules:
        net.iptables.append(r)
    yield d.emit("network.iptables", 141, host_port=host_port, container_ip=container_ip,
                 container_port=container_port)
    pid = 0
    if d.world.options.userland_proxy:
        argv = (f"docker-proxy -proto {proto} -host-ip {host_ip} -host-port {host_port} "
                f"-container-ip {container_ip} -container-port {container_port}")
        listener = net.host_listeners.get(key) or net.host_listeners.get(
            _pool_key("0.0.0.0", proto, host_port))
        err = d.fault("proxy.start")
        if listener is not None and err is None:
            err = errorf("Error starting userland proxy: listen %s %s:%d: bind: address already "
                         "in use", proto, host_ip, host_port)
        if err is not None:
            yield d.emit("network.proxy_failed", 159, "listener" if listener else "failed",
                         proto=proto, host_ip=host_ip, host_port=host_port,
                         container_ip=container_ip, container_port=container_port,
                         listener=listener if listener else None)
            for r in rules:
                net.iptables.remove(r)
            del net.ports[key]
            return 0, err
        pid = d.world.ids.pid()
        net.proxies[pid] = Proxy(pid, argv, ep.id)
        yield d.emit("network.proxy", 159, "started", proto=proto, host_ip=host_ip,
                     host_port=host_port, container_ip=container_ip, container_port=container_port,
                     pid=pid)
    else:
        yield d.emit("network.proxy", 101, "disabled")
    net.mappings[key] = (ep.id, pid, tuple(rules))
    ep.port_mappings.append(f"{host_ip}:{host_port}->{container_port}/{proto}")
    return host_port, None


@go("bridge.(*bridgeNetwork).releasePorts", LN + "drivers/bridge/port_mapping.go", 101, 103)
def release_ports(d: Daemon, ep: Endpoint) -> Steps:
    """``releasePortsInternal(ep.portMapping)``."""
    return (yield from release_ports_internal(d, ep))


@go("bridge.(*bridgeNetwork).releasePortsInternal", LN + "drivers/bridge/port_mapping.go",
    105, 119)
def release_ports_internal(d: Daemon, ep: Endpoint) -> Steps:
    """``PortMapper.Unmap`` for every mapping of ``ep``: proxy, rules, then the allocator."""
    net = d.world.network
    for m in list(ep.port_mappings):
        host, _, rest = m.partition("->")
        ip, _, port = host.rpartition(":")
        key = _pool_key(ip, rest.split("/")[1], int(port))
        _, pid, rules = net.mappings.pop(key)
        if pid:
            net.proxies.pop(pid, None)
        for r in rules:
            net.iptables.remove(r)
        net.ports.pop(key, None)
        ep.port_mappings.remove(m)
        yield d.emit("cleanup.port_released", 110, host=host)
    return None
