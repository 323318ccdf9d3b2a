"""``controller.go``: ``NewSandbox`` and ``SandboxDestroy``."""

from __future__ import annotations

from ...world.journal import adopt
from ...world.network import Sandbox
from ..context import LN, Daemon, Steps, go
from ..errors import errorf
from . import sandbox as sandbox_mod

NETNS_DIR = "/var/run/docker/netns"


@go("libnetwork.(*controller).SandboxDestroy", LN + "controller.go", 1079, 1096)
def sandbox_destroy(d: Daemon, container_id: str) -> Steps:
    """Remove a stale sandbox an unclean shutdown left behind."""
    sb_id = d.world.network.sandbox_by_container.get(container_id)
    if sb_id is None:
        yield d.emit("network.stale_sandbox", 1091, "none")
        return None
    yield d.emit("network.stale_sandbox", 1095, "stale", sb_id=sb_id[:12])
    return (yield from sandbox_mod.delete(d, d.world.network.sandboxes[sb_id]))


def _resolv_fields(content: str, key: str) -> list[str]:
    """``resolvconf.GetNameservers`` (every nameserver) or ``GetSearchDomains`` /
    ``GetOptions`` (the last such line's words)."""
    out: list[str] = []
    for line in content.splitlines():
        words = line.split("#", 1)[0].split()
        if words[:1] == [key]:
            out = out + words[1:2] if key == "nameserver" else words[1:]
    return out


def build_resolv_conf(host: str, dns: list[str], search: list[str], options: list[str]) -> str:
    """``setupDNS`` with DNS options (sandbox_dns_unix.go L210–229): the host's values where
    none is given, then ``resolvconf.Build`` (resolvconf.go L226–254)."""
    dns = dns or _resolv_fields(host, "nameserver")
    search = search or _resolv_fields(host, "search")
    options = options or _resolv_fields(host, "options")
    out = ""
    if search and " ".join(search).strip(" ") != ".":
        out += "search " + " ".join(search) + "\n"
    out += "".join(f"nameserver {ns}\n" for ns in dns)
    if options and " ".join(options).strip(" ") != "":
        out += "options " + " ".join(options) + "\n"
    return out


@go("libnetwork.(*controller).NewSandbox", LN + "controller.go", 929, 1038)
def new_sandbox(d: Daemon, container_id: str, host_mode: bool, extra_hosts: str = "",
                dns: tuple[list[str], list[str], list[str]] = ([], [], [])) -> Steps:
    """A sandbox with a random ID, its hosts and resolv.conf — and, unless host mode, no netns."""
    net = d.world.network
    if container_id in net.sandbox_by_container:
        sb_id = net.sandbox_by_container[container_id]
        yield d.emit("network.sandbox_exists", 942)
        return None, errorf("container %s is already present in sandbox %s", container_id, sb_id)
    sb_id = d.world.ids.hex64("sandbox")
    croot = f"/var/lib/docker/containers/{container_id}"
    if host_mode:
        key = f"{NETNS_DIR}/default"
        hosts = d.world.files.get("/etc/hosts", "127.0.0.1\tlocalhost\n")
        resolv = d.world.files.get("/etc/resolv.conf", "")
    else:
        key = f"{NETNS_DIR}/{sb_id[:12]}"
        hosts = sandbox_mod.HOSTS_DEFAULT + extra_hosts
        resolv = d.world.files.get("/etc/resolv.conf", "")
    if any(dns):  # OptionDNS, OptionDNSSearch, OptionDNSOptions: built, not copied
        resolv = build_resolv_conf(d.world.files.get("/etc/resolv.conf", ""), *dns)
        yield d.emit("network.resolv_conf", 998, resolv=resolv)
    sb = Sandbox(sb_id, container_id, key, external_key=not host_mode,
                 netns=key if host_mode else "", hosts=hosts, resolv_conf=resolv)
    adopt(sb, net.sandboxes, sb_id)
    net.sandboxes[sb_id] = sb
    net.sandbox_by_container[container_id] = sb_id
    d.world.files[f"{croot}/hosts"] = hosts
    d.world.files[f"{croot}/resolv.conf"] = resolv
    if host_mode:
        yield d.emit("network.sandbox", 1012, "default", sb_id=sb_id[:12], key=key)
    else:
        yield d.emit("network.sandbox", 1015, "external_key", sb_id=sb_id[:12], key=key)
    return sb, None
