"""``daemon/container.go``: finding a container, and the settings checks every start re-runs."""

from __future__ import annotations

from ..world.containers import Container, HostConfig
from . import daemon_unix
from .context import Daemon, Steps, go
from .errors import errorf, go_quote, new_bad_request_error, new_request_not_found_error


def _parse_port(s: str) -> bool:
    """``nat.ParsePort`` / ``nat.NewPort``: empty, a number, or a ``start-end`` range."""
    if s == "":
        return True
    parts = s.split("-")
    return len(parts) <= 2 and all(p.isdigit() and int(p) <= 65535 for p in parts)


@go("daemon.(*Daemon).GetContainer", "daemon/container.go", 30, 56)
def get_container(d: Daemon, prefix_or_name: str) -> Steps:
    """Full ID, then exact name (link aliases included), then a unique ID prefix."""
    store = d.world.containers
    if len(prefix_or_name) == 0:
        yield d.emit("lookup.empty", 31)
        return None, new_bad_request_error(errorf("No container name or ID supplied"))
    c = store.by_id.get(prefix_or_name)
    if c is not None:
        yield d.emit("lookup.by_id", 35, prefix_or_name=prefix_or_name[:12], name=c.name)
        return c, None
    name = prefix_or_name if prefix_or_name.startswith("/") else "/" + prefix_or_name
    cid = store.names.get(name)
    if cid is not None:
        c = store.by_id[cid]
        alias = name != c.name
        yield d.emit("lookup.by_name", 41, "alias" if alias else "name", name=name,
                     c_name=c.name if alias else None)
        return c, None
    matches = store.id_index.matches(prefix_or_name, limit=2)
    if not matches:
        yield d.emit("lookup.not_found", 49, prefix_or_name=prefix_or_name)
        return None, new_request_not_found_error(errorf("No such container: %s", prefix_or_name))
    if len(matches) > 1:
        yield d.emit("lookup.ambiguous", 53, prefix_or_name=prefix_or_name)
        return None, errorf("Multiple IDs found with provided prefix: %s", matches[1])
    c = store.by_id[matches[0]]
    yield d.emit("lookup.by_prefix", 55, prefix_or_name=prefix_or_name, id=c.id[:12], name=c.name)
    return c, None


@go("daemon.(*Daemon).verifyContainerSettings", "daemon/container.go", 220, 311)
def verify_container_settings(d: Daemon, host_config: HostConfig | None) -> Steps:
    """Re-validate the HostConfig against today's host; warnings are thrown away."""
    if host_config is None:
        return None
    if host_config.auto_remove and host_config.restart_policy not in ("no", ""):
        yield d.emit("validate.autoremove", 269)
        return errorf("can't create 'AutoRemove' container with restart policy")
    for pb in host_config.port_bindings:
        port = pb.container_port.split("/")[0]
        if not _parse_port(port):
            yield d.emit("validate.ports", 281, "container_port", port=port)
            return errorf("invalid port specification: %s", go_quote(port))
        if not _parse_port(pb.host_port.split("/")[0]):
            yield d.emit("validate.ports", 285, "host_port", host_port=pb.host_port)
            return errorf("invalid port specification: %s", go_quote(pb.host_port))
    p, n = host_config.restart_policy, host_config.restart_max_retries
    if p in ("always", "unless-stopped", "no") and n != 0:
        yield d.emit("validate.restart", 296, "retries_not_on_failure")
        return errorf("maximum retry count cannot be used with restart policy '%s'", p)
    if p == "on-failure" and n < 0:
        yield d.emit("validate.restart", 300, "negative_retries")
        return errorf("maximum retry count cannot be negative")
    if p not in ("always", "unless-stopped", "no", "on-failure", ""):
        yield d.emit("validate.restart", 306, "unknown_policy", p=p)
        return errorf("invalid restart policy '%s'", p)
    yield d.emit("validate.settings", 310)
    return (yield from daemon_unix.verify_platform_container_settings(d, host_config))


@go("daemon.(*Daemon).setHostConfig", "daemon/container.go", 198, 216)
def set_host_config(d: Daemon, c: Container, hc: HostConfig) -> Steps:
    """Register mount points and links from the legacy HostConfig, then persist it."""
    yield d.emit("legacy.set_host_config", 201)
    if hc.links and hc.network_mode == "host":
        yield d.emit("legacy.links", 209, "host_network")
        return errorf("conflicting options: host type networking can't be used with links. "
                      "This would result in undefined behavior")
    for link in hc.links:
        child, _, alias = link.partition(":")
        child_c = d.world.containers.names.get("/" + child.lstrip("/"))
        if child_c is None:
            yield d.emit("legacy.links", 209, "no_target", child=child)
            return errorf("Could not get container for %s", child)
        d.world.containers.register_link(c.name, alias or child, child_c)
    if hc.network_mode == "":
        hc.network_mode = "default"
    c.host_config = hc
    object.__setattr__(hc, "label", f"{c.label}.host_config")
    yield from to_disk(d, c, 215, "legacy.to_disk")
    return None


def to_disk(d: Daemon, c: Container, line: int, stage: str) -> Steps:
    """``container.ToDisk``: write ``<croot>/config.v2.json`` and ``hostconfig.json``."""
    c.disk_writes = c.disk_writes + 1
    d.world.files[f"{c.croot()}/config.v2.json"] = (
        f"State: {c.state.status()} (Running={c.state.running}, Pid={c.state.pid}, "
        f"ExitCode={c.state.exit_code}, Error={c.state.error!r})")
    yield d.emit(stage, line, name=c.name)
