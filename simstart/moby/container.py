"""``daemon/container.go``: finding a container, and the settings checks every start re-runs."""

from __future__ import annotations

import ipaddress

from ..scenario.specs import image_name
from ..world import World
from ..world.containers import Container, HostConfig
from . import daemon_unix, runconfig, volumes
from .context import Daemon, Steps, go
from .errors import errorf, go_quote, new_bad_request_error, new_request_not_found_error


def _parse_uint16(s: str) -> bool:
    """``strconv.ParseUint(s, 10, 16)`` succeeds."""
    return s.isascii() and s.isdigit() and int(s) <= 65535


def split_proto_port(raw: str) -> tuple[str, str]:
    """``nat.SplitProtoPort``: "80/udp" → ("udp", "80"); a bare port is tcp."""
    parts = raw.split("/")
    if raw == "" or parts[0] == "":
        return "", ""
    if len(parts) == 1:
        return "tcp", raw
    return (parts[1] or "tcp"), parts[0]


def parse_port(raw: str) -> bool:
    """``nat.ParsePort``: empty, or one number (a range does not parse here)."""
    return raw == "" or _parse_uint16(raw)


def new_port(port: str) -> bool:
    """``nat.NewPort`` → ``ParsePortRangeToInt``: empty, a number, or ``start-end``.

    Only the first two parts of a range are read, so ``1-2-3`` passes.
    """
    if port == "":
        return True
    if "-" not in port:
        return _parse_uint16(port)
    parts = port.split("-")
    return _parse_uint16(parts[0]) and _parse_uint16(parts[1]) and int(parts[1]) >= int(parts[0])


def _parse_ipv4(s: str) -> bool:
    """Go 1.7's ``parseIPv4``: four decimal parts up to 255 (leading zeros allowed)."""
    parts = s.split(".")
    return len(parts) == 4 and all(p.isascii() and p.isdigit() and len(p) <= 7
                                   and int(p) <= 255 for p in parts)


def parse_ip(s: str) -> bool:
    """``net.ParseIP`` succeeds."""
    if _parse_ipv4(s):
        return True
    try:
        ipaddress.IPv6Address(s)
    except ValueError:
        return False
    return ":" in s


def validate_extra_host(val: str) -> str | None:
    """``opts.ValidateExtraHost`` (opts/hosts.go L155–165): ``host:ip``."""
    name, sep, ip = val.partition(":")
    if not sep or name == "":
        return f"bad format for add-host: {go_quote(val)}"
    if not parse_ip(ip.strip(" \t\n\r\v\f")):
        return f"invalid IP address in add-host: {go_quote(ip)}"
    return None


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
        yield d.emit("validate.autoremove", 270)
        return errorf("can't create 'AutoRemove' container with restart policy")
    for extra in host_config.extra_hosts:
        msg = validate_extra_host(extra)
        if msg is not None:
            yield d.emit("validate.extra_hosts", 275, extra=extra)
            return errorf("%s", msg)
    seen: set[str] = set()
    for pb in host_config.port_bindings:  # a Go map upstream: its order is random
        if pb.container_port not in seen:
            seen.add(pb.container_port)
            _, port = split_proto_port(pb.container_port)
            if not parse_port(port):
                yield d.emit("validate.ports", 282, "container_port", port=port)
                return errorf("invalid port specification: %s", go_quote(port))
        if not new_port(split_proto_port(pb.host_port)[1]):
            yield d.emit("validate.ports", 287, "host_port", host_port=pb.host_port)
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
    """registerMountPoints (unlocked), then under the lock registerLinks, then the new
    HostConfig replaces the old one and is written to disk."""
    err = yield from volumes.register_mount_points(d, c, hc)
    if err is not None:
        return err
    yield d.emit("legacy.set_host_config", 206)
    err = yield from daemon_unix.register_links(d, c, hc)
    if err is not None:
        return err
    runconfig.set_default_net_mode_if_blank(hc)
    c.host_config = hc
    yield from to_disk(d, c, 215, "legacy.to_disk")
    return None


def upper_dir(w: World, c: Container) -> str:
    """The RW layer's ``diff`` directory: what the container writes to its root filesystem."""
    return f"{w.layers.dir(c.rw_layer)}/diff"


def rootfs_files(w: World, c: Container) -> dict[str, str]:
    """The merged root filesystem as ``path → exec | file | dir``: the image's files, and
    what the RW layer holds (overlay's upper directory wins)."""
    image = w.layers.images.get(image_name(c.config.image))
    files = dict(image.files) if image is not None else {}
    if c.rw_layer not in w.layers.written:  # nothing written: no need to look at every file
        return files
    upper = upper_dir(w, c)
    for path, content in w.files.items():
        if path.startswith(upper + "/"):
            files[path[len(upper):]] = "dir" if content == "<directory>" else "file"
    return files


def rootfs_kind(files: dict[str, str], path: str) -> str | None:
    """What ``path`` is in ``files`` (a directory also when something lies below it)."""
    if path == "/":
        return "dir"
    kind = files.get(path)
    if kind is not None:
        return kind
    return "dir" if any(p.startswith(path + "/") for p in files) else None


def rootfs_write(w: World, c: Container, path: str, content: str) -> None:
    """Create ``path`` in the container's root filesystem (in its RW layer)."""
    w.files[f"{upper_dir(w, c)}{path}"] = content
    w.layers.written[c.rw_layer] = True


def to_disk(d: Daemon, c: Container, line: int, stage: str) -> Steps:
    """``container.ToDisk``: write ``<croot>/config.v2.json`` and ``hostconfig.json``."""
    c.disk_writes = c.disk_writes + 1
    d.world.files[f"{c.croot()}/config.v2.json"] = (
        f"State: {c.state.status()} (Running={c.state.running}, Pid={c.state.pid}, "
        f"ExitCode={c.state.exit_code}, Error={c.state.error!r})")
    yield d.emit(stage, line, name=c.name)
