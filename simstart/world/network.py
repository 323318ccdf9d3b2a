"""libnetwork's state inside dockerd, and the host's network objects it creates.

Networks and their IPAM pools, sandboxes (with the *external key*: no network namespace until
runc's prestart hook hands one over), endpoints and their veth pairs, the bridge's ports, the
port allocator (pools keyed by host IP string and protocol), iptables rules, docker-proxy
processes, the network namespaces bind-mounted under ``<exec-root>/netns``, and the namespace
files there whose mount is gone but which wait for osl's collector (``garbage_paths``).
"""

from __future__ import annotations

import ipaddress

from .journal import JDict, JList, Node, field, fields_of, struct


@struct
class Network(Node):
    """A libnetwork network: ``bridge``, ``host``, ``none`` or a user-defined bridge."""

    name: str
    id: str
    driver: str  # "bridge" | "host" | "null"
    subnet: str = ""
    gateway: str = ""
    bridge_iface: str = ""
    internal: bool = False
    user_defined: bool = False
    ipam: JDict = field(default_factory=lambda: JDict("ipam"))  # IP -> endpoint ID
    # A search hint (no address below it is free): not journaled, not compared, not shown.
    _lowest_free: int = field(default=0, compare=False, repr=False)
    label: str = field(default="network", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"network {self.name} ({self.driver})"

    def prefix_len(self) -> int:
        """The subnet's prefix length (0 when the network has no subnet)."""
        return ipaddress.ip_network(self.subnet).prefixlen if self.subnet else 0


@struct
class Endpoint(Node):
    """A libnetwork endpoint: one container's attachment to one network."""

    id: str
    name: str
    network: str
    ip: str = ""
    mac: str = ""
    veth_host: str = ""
    veth_peer: str = ""
    sandbox_id: str = ""
    port_mappings: JList = field(default_factory=lambda: JList("port-mappings"))
    label: str = field(default="endpoint", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"endpoint {self.name} on {self.network}" + (f", {self.ip}" if self.ip else "")


@struct
class Sandbox(Node):
    """A libnetwork sandbox (the container's network stack): its key and, later, its netns."""

    id: str
    container_id: str
    key: str
    external_key: bool
    netns: str = ""  # the bind-mounted namespace file once SetKey ran ("" until then)
    endpoints: JList = field(default_factory=lambda: JList("sandbox.endpoints"))
    hosts: str = ""
    resolv_conf: str = ""
    label: str = field(default="sandbox", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"sandbox {self.id[:12]} key {self.key}"


@struct
class Veth(Node):
    """A veth pair: the host end on the bridge, the peer in the host until moved into a netns."""

    host_end: str
    peer: str
    bridge: str
    peer_netns: str = ""  # "" while the peer is still in the host namespace
    peer_name: str = ""  # renamed to eth0 once inside the container's namespace
    up: bool = False
    label: str = field(default="veth", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"{self.host_end} (on {self.bridge}) <=> {self.peer}"


@struct
class Proxy(Node):
    """A ``docker-proxy`` process holding a published host port."""

    pid: int
    argv: str
    endpoint: str
    label: str = field(default="docker-proxy", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"pid {self.pid}: {self.argv}"


class NetworkState(Node):
    """Everything network-shaped on the simulated host."""

    label = "network"

    def __init__(self) -> None:
        self.networks: JDict = JDict("networks")  # name -> Network
        self.endpoints: JDict = JDict("endpoints")  # ID -> Endpoint
        self.endpoint_names: JDict = JDict("endpoint_names")  # "network/name" -> endpoint ID
        self.sandboxes: JDict = JDict("sandboxes")  # ID -> Sandbox
        self.sandbox_by_container: JDict = JDict("sandbox_by_container")
        self.veths: JDict = JDict("veths")  # host end name -> Veth
        self.ports: JDict = JDict("portallocator")  # "0.0.0.0/tcp:8080" -> owner
        self.host_listeners: JDict = JDict("host_listeners")  # "0.0.0.0/tcp:8080" -> process
        self.iptables: JList = JList("iptables")
        # portmapper.currentMappings: "0.0.0.0/tcp:8080" -> (endpoint ID, proxy pid, rules)
        self.mappings: JDict = JDict("portmapper")
        self.proxies: JDict = JDict("docker-proxy")  # pid -> Proxy
        self.netns: JDict = JDict("netns")  # path -> what it holds
        # osl's garbagePathMap: namespace files whose mount is detached but which are still on
        # disk, path -> the clock (ms) of the collector's tick that removes them
        self.garbage_paths: JDict = JDict("garbagePathMap")
        self.controller_id = ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NetworkState) and fields_of(self) == fields_of(other)

    def add_endpoint(self, ep: Endpoint) -> None:
        """Record ``ep``, indexed by ID and by network and name."""
        self.endpoints[ep.id] = ep
        self.endpoint_names[f"{ep.network}/{ep.name}"] = ep.id

    def remove_endpoint(self, ep: Endpoint) -> None:
        """Forget ``ep``."""
        del self.endpoints[ep.id]
        self.endpoint_names.pop(f"{ep.network}/{ep.name}", None)

    def has_endpoint(self, network: str, name: str) -> bool:
        """An endpoint named ``name`` exists in ``network``."""
        return f"{network}/{name}" in self.endpoint_names

    def find(self, name_or_id: str) -> list[Network]:
        """``FindNetwork``: by exact name first, then by ID prefix (all matches)."""
        if name_or_id in self.networks:
            return [self.networks[name_or_id]]
        return [n for n in self.networks.values() if n.id.startswith(name_or_id)]
