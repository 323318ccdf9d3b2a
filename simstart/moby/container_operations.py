"""``daemon/container_operations.go``: networking for the start path.

``initializeNetworking`` → ``allocateNetwork`` → ``connectToNetwork`` for each network →
endpoint, sandbox, ``Join`` → the ``connect`` event; and ``releaseNetwork`` for Cleanup.
"""

from __future__ import annotations

from ..world.containers import Container, EndpointSettings
from ..world.journal import adopt
from ..world.network import Sandbox
from . import container as container_mod
from . import events, runconfig
from .context import Daemon, Steps, go
from .errors import GoError, errorf, new_request_conflict_error
from .libnetwork import controller, endpoint
from .libnetwork import network as ln_network
from .libnetwork import sandbox as ln_sandbox


@go("daemon.(*Daemon).initializeNetworking", "daemon/container_operations.go", 879, 908)
def initialize_networking(d: Daemon, c: Container) -> Steps:
    """Share another container's stack, or allocate our own; then write the hostname file."""
    mode = c.host_config.network_mode
    yield d.emit("network.begin", 882, mode=mode)
    if runconfig.is_container(mode):
        ref = runconfig.connected_container(mode)
        nc, err = yield from get_networked_container(d, c.id, ref)
        if err is not None:
            return err
        c.hostname_path, c.hosts_path, c.resolv_conf_path = (
            nc.hostname_path, nc.hosts_path, nc.resolv_conf_path)
        c.config.hostname = nc.config.hostname
        c.config.domainname = nc.config.domainname
        yield d.emit("network.share", 888, name=c.name, nc_name=nc.name)
        return None
    if runconfig.is_host(mode) and c.config.hostname == "":
        c.config.hostname = d.world.options.hostname
        yield d.emit("network.host_hostname", 896, hostname=d.world.options.hostname)
    err = yield from allocate_network(d, c)
    if err is not None:
        return err
    return (yield from build_hostname_file(d, c))


@go("container.(*Container).BuildHostnameFile", "container/container_unix.go", 93, 100)
def build_hostname_file(d: Daemon, c: Container) -> Steps:
    """``<croot>/hostname`` = Hostname + newline, mode 0644."""
    path = f"{c.croot()}/hostname"
    c.hostname_path = path
    d.world.files[path] = c.config.hostname + "\n"
    yield d.emit("network.hostname_file", 98, path=path, hostname=c.config.hostname)
    return None


@go("daemon.(*Daemon).getNetworkedContainer", "daemon/container_operations.go", 910, 926)
def get_networked_container(d: Daemon, container_id: str, ref: str) -> Steps:
    """The container whose namespace we join: it must exist, be another, and be running."""
    nc, err = yield from container_mod.get_container(d, ref)
    if err is not None:
        return None, err
    if container_id == nc.id:
        yield d.emit("network.own", 915)
        return None, errorf("cannot join own network")
    if not nc.state.running:
        yield d.emit("network.not_running", 918, name=nc.name)
        return None, new_request_conflict_error(errorf(
            "cannot join network of a non running container: %s", ref))
    if nc.state.restarting:
        yield d.emit("network.restarting", 922, name=nc.name)
        return None, GoError(f"Container {ref} is restarting, wait until the container is "
                             "running", status=409)
    yield d.emit("network.networked", 925, name=nc.name, pid=nc.state.pid)
    return nc, None


@go("daemon.(*Daemon).allocateNetwork", "daemon/container_operations.go", 495, 576)
def allocate_network(d: Daemon, c: Container) -> Steps:
    """Destroy a stale sandbox, then connect the default bridge first, then the others."""
    yield from controller.sandbox_destroy(d, c.id)
    if c.config.network_disabled or runconfig.is_container(c.host_config.network_mode):
        yield d.emit("network.disabled", 508)
        return None
    update_settings = False
    if len(c.network_settings.networks) == 0:
        yield from update_container_network_settings(d, c)
        update_settings = True
    if "bridge" in c.network_settings.networks:
        yield d.emit("network.default_first", 524)
        err = yield from connect_to_network(d, c, "bridge", update_settings)
        if err is not None:
            return err
    # Go ranges over a map here (daemon/container_operations.go:542), in a random order at
    # every start; sorted() stands in for it so that the trace is the same on every run.
    others = sorted(n for n in c.network_settings.networks if n != "bridge")
    for name in others:
        err = yield from connect_to_network(d, c, name, update_settings)
        if err is not None:
            return err
    if not others and _network_sandbox(d, c) is None:
        yield d.emit("network.sandbox_only", 551)
        hc = c.host_config
        sb, err = yield from controller.new_sandbox(
            d, c.id, host_mode=False,
            dns=(list(hc.dns or []), list(hc.dns_search or []), list(hc.dns_options or [])))
        if err is not None:
            return err
        c.network_settings.sandbox_id, c.network_settings.sandbox_key = sb.id, sb.key
    yield d.emit("network.write_hostconfig", 571)
    return None


def _network_sandbox(d: Daemon, c: Container) -> Sandbox | None:
    """``getNetworkSandbox``: the sandbox whose container ID is ours."""
    sb_id = d.world.network.sandbox_by_container.get(c.id)
    return d.world.network.sandboxes.get(sb_id) if sb_id else None


@go("daemon.(*Daemon).updateContainerNetworkSettings", "daemon/container_operations.go",
    424, 493)
def update_container_network_settings(d: Daemon, c: Container) -> Steps:
    """No networks recorded yet: the network mode names the one network to connect."""
    mode = c.host_config.network_mode
    name = runconfig.network_name(mode)
    c.network_settings.networks[name] = EndpointSettings()
    yield d.emit("network.settings", 462, mode=mode, name=name)


@go("daemon.(*Daemon).connectToNetwork", "daemon/container_operations.go", 684, 796)
def connect_to_network(d: Daemon, c: Container, id_or_name: str, update_settings: bool) -> Steps:
    """Find the network, create the endpoint, the sandbox (first time), Join, event."""
    if runconfig.is_container(c.host_config.network_mode):
        return errorf("container sharing network namespace with another container or host "
                      "cannot be connected to any other network")
    if runconfig.is_bridge(id_or_name) and d.world.options.bridge_none:
        c.config.network_disabled = True
        yield d.emit("network.bridge_none", 691)
        return None
    found = d.world.network.find(id_or_name)
    if not found:
        yield d.emit("network.not_found", 699, id_or_name=id_or_name)
        return errorf("network %s not found", id_or_name)
    if len(found) > 1:
        yield d.emit("network.ambiguous", 699, id_or_name=id_or_name)
        return errorf("invalid id: %s", id_or_name)
    n = found[0]
    yield d.emit("network.find", 698, name=n.name, id=n.id[:12], driver=n.driver)
    settings = c.network_settings.networks.get(n.name) or EndpointSettings()
    ep, err = yield from ln_network.create_endpoint(d, n, c.short_name)
    if err is not None:
        return err
    err = None
    try:
        c.network_settings.networks[n.name] = settings
        adopt(settings, c.network_settings.networks, n.name)
        settings.network_id, settings.endpoint_id = n.id, ep.id
        settings.gateway = n.gateway if ep.ip else ""
        settings.ip_address, settings.mac_address = ep.ip, ep.mac
        settings.ip_prefix_len = n.prefix_len() if ep.ip else 0
        if runconfig.is_default(c.host_config.network_mode) or n.name == "bridge":
            c.network_settings.bridge = n.bridge_iface
        yield d.emit("network.endpoint_settings", 754, ip=ep.ip or '(none)')
        sb = _network_sandbox(d, c)
        if sb is None:
            c.hosts_path = f"{c.croot()}/hosts"
            c.resolv_conf_path = f"{c.croot()}/resolv.conf"
            yield d.emit("network.sandbox_options", 759,
                         ("host" if runconfig.is_host( c.host_config.network_mode)
                          else "external_key"))
            hc = c.host_config
            sb, err = yield from controller.new_sandbox(
                d, c.id, host_mode=runconfig.is_host(hc.network_mode),
                dns=(list(hc.dns or []), list(hc.dns_search or []), list(hc.dns_options or [])))
            if err is not None:
                return err
            c.network_settings.sandbox_id = sb.id
            c.network_settings.sandbox_key = sb.key
            yield d.emit("network.sandbox_settings", 768, id=sb.id[:12], key=sb.key)
        hostname = c.config.hostname
        err = yield from endpoint.sb_join(d, ep, sb, n, list(c.host_config.port_bindings), hostname)
        if err is not None:
            return err
        ports: dict[str, list[str]] = {}
        for m in ep.port_mappings:
            host, _, cport = m.partition("->")
            ports.setdefault(cport, []).append(host)
        c.network_settings.ports = ports or None
        yield d.emit("network.join_info", 791, ports=ports or 'none')
        events.log_network_event(d, n, "connect", c.id)
        yield d.emit("network.connect_event", 793, name=n.name)
        return None
    finally:
        if err is not None:
            yield d.emit("network.rollback", 741, name=ep.name)
            yield from endpoint.delete(d, ep)


@go("daemon.(*Daemon).releaseNetwork", "daemon/container_operations.go", 928, 972)
def release_network(d: Daemon, c: Container) -> Steps:
    """Delete the sandbox and send ``disconnect`` for every recorded network."""
    if runconfig.is_container(c.host_config.network_mode) or c.config.network_disabled:
        yield d.emit("cleanup.network_skip", 933)
        return None
    sid = c.network_settings.sandbox_id
    c.network_settings.ports = None
    if sid == "":
        yield d.emit("cleanup.network_none", 941)
        return None
    # releaseNetwork ranges over the Networks map (container_operations.go:946): random order
    # in Go; sorted() stands in for it.
    names = sorted(c.network_settings.networks)
    for name in names:
        s = c.network_settings.networks[name]
        s.endpoint_id, s.gateway, s.ip_address, s.ip_prefix_len, s.mac_address = "", "", "", 0, ""
    yield d.emit("cleanup.network_settings", 955)
    sb = d.world.network.sandboxes.get(sid)
    if sb is None:
        d.logf("warning", f"error locating sandbox id {sid}: sandbox {sid} not found")
        yield d.emit("cleanup.sandbox_missing", 960)
        return None
    yield from ln_sandbox.delete(d, sb)
    for name in names:
        n = d.world.network.networks.get(name)
        if n is not None:
            events.log_network_event(d, n, "disconnect", c.id)
            yield d.emit("cleanup.disconnect_event", 969, name=name)
    return None


@go("daemon.(*Daemon).setupLinkedContainers", "daemon/container_operations_unix.go", 26, 57)
def setup_linked_containers(d: Daemon, c: Container) -> Steps:
    """Only on the default bridge: every link's target must be running and on the bridge too;
    each gives the environment variables of ``links.Link.ToEnv``."""
    children = d.world.containers.children(c.name)
    bridge = c.network_settings.networks.get("bridge")
    if bridge is None:
        if children:
            yield d.emit("spec.links", 31, "not_on_bridge", len_children=len(children))
        return [], None
    env: list[str] = []
    for alias, child_id in children:  # a Go map upstream: sorted here
        child = d.world.containers.by_id[child_id]
        if not child.state.running:
            yield d.emit("spec.link", 37, "not_running", alias=alias, name=child.name)
            return None, errorf("Cannot link to a non running container: %s AS %s", child.name,
                                alias)
        child_bridge = child.network_settings.networks.get("bridge")
        if child_bridge is None:
            yield d.emit("spec.link", 42, "not_on_bridge", alias=alias, name=child.name)
            return None, errorf("container %s not attached to default bridge network", child.id)
        exposed = sorted({pb.container_port for pb in child.host_config.port_bindings})
        link_env = link_to_env(alias, child_bridge.ip_address, child.config.env, exposed)
        env += link_env
        yield d.emit("spec.link", 53, "env", alias=alias, name=child.name,
                     ip=child_bridge.ip_address, len_env=len(link_env))
    return env, None


def _port_int(port: str) -> int:
    """``nat.Port.Int``: the number before the protocol (the start of a range)."""
    digits = port.split("/")[0].split("-")[0]
    return int(digits) if digits.isdigit() else 0


def link_to_env(name: str, child_ip: str, child_env: list[str], exposed: list[str]
                ) -> list[str]:
    """``links.Link.ToEnv`` (daemon/links/links.go L48–121): ``<ALIAS>_PORT…``, ``_NAME``,
    ``_ENV_…`` for the child's variables but HOME and PATH."""
    alias = name.rsplit("/", 1)[-1].upper().replace("-", "_")
    ports = sorted(exposed, key=lambda p: (_port_int(p), p.split("/")[-1].lower() != "tcp"))

    def parts(p: str) -> tuple[str, str, str]:
        port, _, proto = p.partition("/")
        proto = proto or "tcp"
        return port, proto, proto.upper()

    env = []
    if ports:
        port, proto, _ = parts(ports[0])
        env.append(f"{alias}_PORT={proto}://{child_ip}:{port}")
    i = 0
    while i < len(ports):
        j = _next_contiguous(ports, _port_int(ports[i]), i)
        if j > i + 1:
            port, proto, up = parts(ports[i])
            qport, qproto, qup = parts(ports[j])
            env += [f"{alias}_PORT_{port}_{up}_START={proto}://{child_ip}:{port}",
                    f"{alias}_PORT_{port}_{up}_ADDR={child_ip}",
                    f"{alias}_PORT_{port}_{up}_PROTO={proto}",
                    f"{alias}_PORT_{port}_{up}_PORT_START={port}",
                    f"{alias}_PORT_{port}_{qup}_END={qproto}://{child_ip}:{qport}",
                    f"{alias}_PORT_{port}_{qup}_PORT_END={qport}"]
            i = j + 1
        else:
            i += 1
    for p in ports:
        port, proto, up = parts(p)
        env += [f"{alias}_PORT_{port}_{up}={proto}://{child_ip}:{port}",
                f"{alias}_PORT_{port}_{up}_ADDR={child_ip}",
                f"{alias}_PORT_{port}_{up}_PORT={port}",
                f"{alias}_PORT_{port}_{up}_PROTO={proto}"]
    env.append(f"{alias}_NAME={name}")
    for v in child_env:
        key, sep, value = v.partition("=")
        if sep and key not in ("HOME", "PATH"):
            env.append(f"{alias}_ENV_{key}={value}")
    return env


def _next_contiguous(ports: list[str], value: int, index: int) -> int:
    """``nextContiguous`` (links.go L123–136)."""
    if index + 1 == len(ports):
        return index
    for i in range(index + 1, len(ports)):
        if _port_int(ports[i]) > value + 1:
            return i - 1
        value += 1
    return len(ports) - 1
