"""``runconfig``: decoding the deprecated start-time HostConfig (runconfig/hostconfig.go L14–24,
runconfig/config_unix.go L22–59), and the network-mode helpers of ``container.NetworkMode``."""

from __future__ import annotations

import json
from typing import Any

from ..world.containers import HostConfig, PortBinding
from ..world.journal import attach_to
from .errors import GoError, errorf


def _go_json_error(body: str, exc: json.JSONDecodeError) -> GoError:
    """The text Go's encoding/json gives for the same mistake (the common cases)."""
    if not body.strip():
        return errorf("EOF")
    if exc.pos >= len(body.rstrip()):
        return errorf("unexpected EOF")
    ch = body[exc.pos]
    return errorf("invalid character '%s' looking for beginning of value", ch)


def _host_config(obj: dict[str, Any]) -> HostConfig:
    bindings: list[PortBinding] = []
    # PortBindings is a Go map (nat.PortMap): no order of its own; sorted() stands in for it.
    for port, hosts in sorted((obj.get("PortBindings") or {}).items()):
        for h in hosts or []:
            bindings.append(PortBinding(str(port), str(h.get("HostIp", "")),
                                        str(h.get("HostPort", ""))))
    restart = obj.get("RestartPolicy") or {}
    log = obj.get("LogConfig") or {}
    return HostConfig(
        network_mode=str(obj.get("NetworkMode", "")),
        port_bindings=bindings,
        auto_remove=bool(obj.get("AutoRemove", False)),
        binds=[str(b) for b in obj.get("Binds") or []],
        restart_policy=str(restart.get("Name", "")),
        restart_max_retries=int(restart.get("MaximumRetryCount", 0)),
        runtime=str(obj.get("Runtime", "")),
        log_driver=str(log.get("Type", "")),
        links=[str(x) for x in obj.get("Links") or []],
        privileged=bool(obj.get("Privileged", False)),
    )


_HOSTCONFIG_KEYS = {"NetworkMode", "PortBindings", "AutoRemove", "Binds", "RestartPolicy",
                    "Runtime", "LogConfig", "Links", "Privileged"}


def decode_host_config(body: str, world: Any = None
                       ) -> tuple[HostConfig | None, GoError | None]:
    """``DecodeHostConfig`` + ``getHostConfig``: the nested ``HostConfig`` wins over flat fields.

    Returns ``(None, None)`` when the body names no HostConfig field at all (Go leaves the
    embedded pointer nil), so nothing is applied. The decoded HostConfig is to become the
    container's: its changes from here on are recorded with ``world``'s, so the trace shows
    what the defaults fill in.
    """
    try:
        w = json.loads(body)
    except json.JSONDecodeError as exc:
        return None, _go_json_error(body, exc)
    if w is None:
        return None, None
    if not isinstance(w, dict):
        return None, errorf("json: cannot unmarshal %s into Go value of type "
                            "runconfig.ContainerConfigWrapper", _go_type(w))
    inner = w.get("HostConfig")
    if isinstance(inner, dict):
        hc = _host_config(inner)
    elif _HOSTCONFIG_KEYS & w.keys():
        hc = _host_config(w)
    else:
        return None, None
    if world is not None:
        attach_to(hc, world)
    set_default_net_mode_if_blank(hc)
    return hc, None


def _go_type(v: object) -> str:
    return {list: "array", str: "string", bool: "bool", int: "number", float: "number"}.get(
        type(v), "value")


def set_default_net_mode_if_blank(hc: HostConfig) -> None:
    """``SetDefaultNetModeIfBlank``: "" becomes "default"."""
    if hc.network_mode == "":
        hc.network_mode = "default"


def is_container(mode: str) -> bool:
    """``NetworkMode.IsContainer``."""
    return mode.startswith("container:")


def connected_container(mode: str) -> str:
    """``NetworkMode.ConnectedContainer``: what follows ``container:``."""
    return mode.split(":", 1)[1] if is_container(mode) else ""


def is_host(mode: str) -> bool:
    """``NetworkMode.IsHost``."""
    return mode == "host"


def is_default(mode: str) -> bool:
    """``NetworkMode.IsDefault``."""
    return mode == "default"


def is_bridge(mode: str) -> bool:
    """``NetworkMode.IsBridge``."""
    return mode == "bridge"


def network_name(mode: str) -> str:
    """``NetworkMode.NetworkName``: default maps to the daemon's default network, bridge."""
    if mode in ("default", "bridge", ""):
        return "bridge"
    if is_container(mode):
        return "container"
    return mode
