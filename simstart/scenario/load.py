"""From YAML to a checked ``Scenario``: every mistake is one located line.

The accepted keys are declared once, in ``SCHEMA`` (the JSON Schema for editors is generated
from it), so the loader and the schema cannot disagree.
"""

from __future__ import annotations

import difflib
import hashlib
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .faults import SITES
from .model import (
    ContainerSpec,
    DaemonSpec,
    Expect,
    FaultSpec,
    ImageSpec,
    ListenerSpec,
    NetworkSpec,
    PortSpec,
    RequestSpec,
    Scenario,
    StateExpect,
)
from .yamlsource import KeyPath, Located, ScenarioError, load_file, load_text

STATES = ("created", "running", "exited", "paused", "restarting", "removing", "dead")
EXPECT_STATUSES = ("created", "running", "exited", "paused", "restarting", "removing", "dead",
                   "removed")
FILE_KINDS = ("exec", "file", "dir")
RESOURCE_KINDS = ("mounts", "veths", "endpoints", "sandboxes", "proxies", "ports", "iptables",
                  "netns", "processes", "containerd")
EVENT_RE = re.compile(r"^(container|network|volume) [a-z_-]+$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class F:
    """One key: its JSON type, whether it is required, allowed values, and a description."""

    type: str  # "string" | "integer" | "boolean" | "array" | "object" | "string|object" …
    required: bool = False
    enum: tuple[Any, ...] | None = None
    items: Any = None  # for arrays: a type name, or a dict of F for objects
    fields: dict[str, F] | None = None  # for objects with known keys
    values: str | None = None  # for free-form objects: the type of each value
    doc: str = ""


EXPECT_FIELDS: dict[str, F] = {
    "status": F("integer", doc="HTTP status the client gets (204, 304, 400, 404, 409, 500; 0 "
                "when the connection closes with no response)"),
    "message": F("string", doc="the error message exactly (without the trailing newline)"),
    "state": F("object", fields={
        "status": F("string", enum=EXPECT_STATUSES),
        "exit_code": F("integer"),
        "error": F("string"),
    }, doc="the container's State after the request"),
    "events": F("array", items="string",
                doc="the docker events of this request, in order, as 'type action'"),
    "resources": F("object", values="integer",
                   doc=f"counts left on the host after the request: {', '.join(RESOURCE_KINDS)}"),
    "removed": F("boolean", doc="the container no longer exists (AutoRemove)"),
}

SCHEMA: dict[str, F] = {
    "title": F("string", required=True, doc="one line, shown in lists"),
    "description": F("string", doc="what the scenario teaches, a paragraph"),
    "objectives": F("array", items="string", doc="learning objectives"),
    "seed": F("string", doc="seed for every generated ID (default: the file name)"),
    "daemon": F("object", fields={
        "experimental": F("boolean"),
        "bridge_none": F("boolean", doc="dockerd --bridge=none"),
        "userland_proxy": F("boolean"),
        "hostname": F("string"),
        "apparmor": F("boolean"),
        "runtimes": F("array", items="string"),
        "log_drivers": F("array", items="string"),
    }),
    "host": F("object", fields={
        "listening": F("array", items={
            "port": F("integer", required=True),
            "ip": F("string"),
            "proto": F("string", enum=("tcp", "udp")),
            "process": F("string"),
        }, doc="processes that are not docker's, already bound to host ports"),
    }),
    "images": F("array", items={
        "name": F("string", required=True),
        "files": F("object", values="string", doc="absolute path → exec | file | dir"),
        "path_env": F("string"),
    }),
    "networks": F("array", items={
        "name": F("string", required=True),
        "subnet": F("string"),
        "gateway": F("string"),
        "internal": F("boolean"),
    }),
    "containers": F("array", required=True, items={
        "name": F("string", required=True),
        "id": F("string", doc="64 lower-case hex digits (default: derived from the name)"),
        "image": F("string"),
        "cmd": F("array|string"),
        "hostname": F("string"),
        "state": F("string", enum=STATES),
        "exit_code": F("integer"),
        "network_mode": F("string", doc="default, bridge, host, none, container:<name>, or a "
                          "network name"),
        "ports": F("array", items="string", doc="'[ip:]hostPort:containerPort[/proto]'"),
        "auto_remove": F("boolean"),
        "binds": F("array", items="string"),
        "restart_policy": F("string"),
        "log_driver": F("string"),
        "links": F("array", items="string"),
        "labels": F("object", values="string"),
        "runtime": F("string"),
        "privileged": F("boolean"),
        "ipc_mode": F("string", doc="'', host, or container:<name>"),
        "memory": F("integer", doc="memory limit in bytes"),
        "nano_cpus": F("integer", doc="--cpus × 10⁹"),
        "cpu_period": F("integer"),
        "cpu_quota": F("integer"),
    }),
    "requests": F("array", required=True, items={
        "container": F("string", required=True, doc="name, full ID or ID prefix"),
        "api_version": F("string", doc="the /vX.YY/ URL prefix; empty for none"),
        "checkpoint": F("string"),
        "checkpoint_dir": F("string"),
        "body": F("string|object", doc="request body; a mapping is sent as JSON"),
        "content_type": F("string"),
        "chunked": F("boolean"),
        "query": F("object", values="string"),
        "expect": F("object", fields=EXPECT_FIELDS),
    }),
    "faults": F("array", items={
        "site": F("string", required=True, enum=tuple(sorted(SITES))),
        "error": F("string"),
        "request": F("integer", doc="only during this request (0-based)"),
    }),
}

_PY = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict}


def _typename(v: Any) -> str:
    if v is None:
        return "nothing (null)"
    for name, t in (("boolean", bool), ("integer", int), ("string", str), ("array", list),
                    ("object", dict)):
        if isinstance(v, t):
            return {"array": "a list", "object": "a mapping", "integer": "an integer",
                    "boolean": "a boolean", "string": "a string"}[name]
    return type(v).__name__


def _is(v: Any, t: str) -> bool:
    return any((isinstance(v, _PY[x]) and not (x == "integer" and isinstance(v, bool)))
               for x in t.split("|"))


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _check(doc: Located, value: Any, spec: F, path: KeyPath) -> None:
    want = " or ".join({"array": "a list", "object": "a mapping"}.get(x, f"a {x}")
                       for x in spec.type.split("|"))
    if not _is(value, spec.type):
        raise doc.error(path, f"is {_typename(value)}, expected {want}")
    if spec.enum is not None and value not in spec.enum:
        sug = _suggest(str(value), [str(e) for e in spec.enum])
        choices = ", ".join(str(e) for e in spec.enum)
        raise doc.error(path, f"{value!r} is not allowed{sug}; expected one of: {choices}")
    if isinstance(value, list) and spec.items is not None:
        for i, item in enumerate(value):
            if isinstance(spec.items, dict):
                _check_fields(doc, item, spec.items, (*path, i))
            else:
                _check(doc, item, F(spec.items), (*path, i))
    if isinstance(value, dict):
        if spec.fields is not None:
            _check_fields(doc, value, spec.fields, path)
        elif spec.values is not None:
            for k, v in value.items():
                if not isinstance(k, str):
                    raise doc.error(path, f"key {k!r} must be a string")
                _check(doc, v, F(spec.values), (*path, k))


def _check_fields(doc: Located, value: Any, fields: dict[str, F], path: KeyPath) -> None:
    if not isinstance(value, dict):
        raise doc.error(path, f"is {_typename(value)}, expected a mapping with keys "
                        f"{', '.join(fields)}")
    for k in value:
        if k not in fields:
            raise doc.error((*path, str(k)), f"unknown key{_suggest(str(k), list(fields))}; "
                            f"expected one of: {', '.join(fields)}")
    for k, f in fields.items():
        if k in value:
            _check(doc, value[k], f, (*path, k))
        elif f.required:
            raise doc.error(path, f"missing required key `{k}`")


def _port(doc: Located, text: str, path: KeyPath) -> PortSpec:
    spec, _, proto = text.partition("/")
    proto = proto or "tcp"
    parts = spec.rsplit(":", 2)
    if proto not in ("tcp", "udp") or not 1 <= len(parts) <= 3:
        raise doc.error(path, f"{text!r} is not a port mapping; expected "
                        "'[ip:]hostPort:containerPort[/tcp|udp]'")
    ip = parts[0] if len(parts) == 3 else ""
    host = parts[-2] if len(parts) >= 2 else ""
    cport = parts[-1]
    if ip:
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            raise doc.error(path, f"{ip!r} is not an IP address") from None
    return PortSpec(ip, host, cport, proto)


def _container(doc: Located, c: dict[str, Any], i: int, seed: str) -> ContainerSpec:
    path: KeyPath = ("containers", i)
    name = c["name"].lstrip("/")
    if not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*", name):
        raise doc.error((*path, "name"), f"{c['name']!r} is not a valid container name; "
                        "expected [a-zA-Z0-9][a-zA-Z0-9_.-]*")
    cid = c.get("id") or hashlib.sha256(f"{seed}:container:{name}".encode()).hexdigest()
    if not HEX64.match(cid):
        raise doc.error((*path, "id"), "a container ID is 64 lower-case hex digits")
    cmd = c.get("cmd", ["sh"])
    if isinstance(cmd, str):
        cmd = cmd.split()
    if not cmd:
        raise doc.error((*path, "cmd"), "the command is empty")
    ports = tuple(_port(doc, p, (*path, "ports", j)) for j, p in enumerate(c.get("ports", [])))
    return ContainerSpec(
        name=name, id=cid, image=c.get("image", "busybox"), cmd=tuple(str(x) for x in cmd),
        hostname=c.get("hostname", cid[:12]), state=c.get("state", "created"),
        exit_code=c.get("exit_code", 0), network_mode=c.get("network_mode", "default"),
        ports=ports, auto_remove=c.get("auto_remove", False),
        binds=tuple(c.get("binds", [])), restart_policy=c.get("restart_policy", "no"),
        log_driver=c.get("log_driver", "json-file"), links=tuple(c.get("links", [])),
        labels=tuple(sorted(c.get("labels", {}).items())), runtime=c.get("runtime", ""),
        privileged=c.get("privileged", False), ipc_mode=c.get("ipc_mode", ""),
        memory=c.get("memory", 0), nano_cpus=c.get("nano_cpus", 0),
        cpu_period=c.get("cpu_period", 0), cpu_quota=c.get("cpu_quota", 0),
    )


def _request(doc: Located, r: dict[str, Any], i: int) -> RequestSpec:
    body = r.get("body")
    if isinstance(body, dict):
        body = json.dumps(body, separators=(",", ":"))
    e = r.get("expect", {})
    st = e.get("state")
    expect = Expect(
        status=e.get("status"), message=e.get("message"),
        state=StateExpect(st.get("status"), st.get("exit_code"), st.get("error"))
        if st is not None else None,
        events=tuple(e["events"]) if "events" in e else None,
        resources=tuple(sorted(e["resources"].items())) if "resources" in e else None,
        removed=e.get("removed"),
    )
    for j, ev in enumerate(expect.events or ()):
        if not EVENT_RE.match(ev):
            raise doc.error(("requests", i, "expect", "events", j), f"{ev!r} is not an event; "
                            "expected 'container|network|volume action', e.g. 'network connect'")
    for k, _ in expect.resources or ():
        if k not in RESOURCE_KINDS:
            raise doc.error(("requests", i, "expect", "resources", k), "unknown resource"
                            f"{_suggest(k, list(RESOURCE_KINDS))}; expected one of: "
                            f"{', '.join(RESOURCE_KINDS)}")
    version = str(r.get("api_version", ""))
    if version and not re.fullmatch(r"[0-9.]+", version):
        raise doc.error(("requests", i, "api_version"), f"{version!r} is not an API version "
                        "like 1.29 (the router only matches [0-9.]+)")
    return RequestSpec(
        container=r["container"], api_version=version, checkpoint=r.get("checkpoint", ""),
        checkpoint_dir=r.get("checkpoint_dir", ""), body=body,
        content_type=r.get("content_type", "application/json" if body else ""),
        chunked=r.get("chunked", False),
        query=tuple(sorted((str(k), str(v)) for k, v in r.get("query", {}).items())),
        expect=expect,
    )


def build(doc: Located) -> Scenario:
    """Check ``doc`` against ``SCHEMA`` and the cross-references; build the ``Scenario``."""
    top = doc.value
    _check_fields(doc, top, SCHEMA, ())
    seed = top.get("seed") or Path(doc.file).stem
    d = top.get("daemon", {})
    defaults = DaemonSpec()
    daemon = DaemonSpec(
        experimental=d.get("experimental", False), bridge_none=d.get("bridge_none", False),
        userland_proxy=d.get("userland_proxy", True), hostname=d.get("hostname", "docker-host"),
        apparmor=d.get("apparmor", True),
        runtimes=tuple(d.get("runtimes", defaults.runtimes)),
        log_drivers=tuple(d.get("log_drivers", defaults.log_drivers)),
    )
    listening = tuple(
        ListenerSpec(x.get("ip", "0.0.0.0"), x["port"], x.get("proto", "tcp"),
                     x.get("process", "a host process"))
        for x in top.get("host", {}).get("listening", []))
    images = []
    for i, im in enumerate(top.get("images", [])):
        for p, kind in im.get("files", {}).items():
            if not p.startswith("/") or kind not in FILE_KINDS:
                raise doc.error(("images", i, "files", p), "expected an absolute path mapped "
                                f"to one of: {', '.join(FILE_KINDS)}")
        images.append(ImageSpec(im["name"], tuple(sorted(im.get("files", {}).items())),
                                im.get("path_env", ImageSpec("", ()).path_env)))
    networks = []
    for i, n in enumerate(top.get("networks", [])):
        subnet = n.get("subnet", f"172.{18 + i}.0.0/16")
        try:
            net = ipaddress.ip_network(subnet)
        except ValueError:
            raise doc.error(("networks", i, "subnet"), f"{subnet!r} is not a subnet like "
                            "172.18.0.0/16") from None
        if n["name"] in ("bridge", "host", "none"):
            raise doc.error(("networks", i, "name"), f"{n['name']!r} is predefined")
        networks.append(NetworkSpec(n["name"], subnet, n.get("gateway", str(net[1])),
                                    n.get("internal", False)))
    containers = [_container(doc, c, i, seed) for i, c in enumerate(top["containers"])]
    seen_names: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for i, c in enumerate(containers):
        if c.name in seen_names:
            raise doc.error(("containers", i, "name"), f"duplicate container name {c.name!r} "
                            f"(also containers[{seen_names[c.name]}])")
        if c.id in seen_ids:
            raise doc.error(("containers", i, "id"), f"duplicate container ID (also "
                            f"containers[{seen_ids[c.id]}])")
        seen_names[c.name], seen_ids[c.id] = i, i
    net_names = {"default", "bridge", "host", "none"} | {n.name for n in networks}
    for i, c in enumerate(containers):
        mode = c.network_mode
        if mode.startswith("container:"):
            ref = mode.split(":", 1)[1]
            if ref not in seen_names and not any(x.id.startswith(ref) for x in containers if ref):
                raise doc.error(("containers", i, "network_mode"), f"no container {ref!r} in "
                                f"this scenario{_suggest(ref, list(seen_names))}")
        elif mode not in net_names:
            raise doc.error(("containers", i, "network_mode"), f"no network {mode!r}"
                            f"{_suggest(mode, sorted(net_names))}; define it under networks "
                            "or use default, bridge, host, none or container:<name>")
    requests = [_request(doc, r, i) for i, r in enumerate(top["requests"])]
    if not requests:
        raise doc.error(("requests",), "at least one request is needed")
    faults = []
    for i, f in enumerate(top.get("faults", [])):
        if "request" in f and not 0 <= f["request"] < len(requests):
            raise doc.error(("faults", i, "request"), f"there are {len(requests)} requests "
                            f"(0 to {len(requests) - 1})")
        faults.append(FaultSpec(f["site"], f.get("error") or SITES[f["site"]].errors[0],
                                f.get("request")))
    return Scenario(
        file=doc.file, title=top["title"], description=top.get("description", ""),
        objectives=tuple(top.get("objectives", [])), seed=seed, daemon=daemon,
        listening=listening, images=tuple(images), networks=tuple(networks),
        containers=tuple(containers), requests=tuple(requests), faults=tuple(faults),
    )


def load(path: str | Path) -> Scenario:
    """Load and check a scenario file (raises ``ScenarioError``)."""
    return build(load_file(path))


def loads(text: str, file: str = "<string>") -> Scenario:
    """Load and check scenario text (raises ``ScenarioError``)."""
    return build(load_text(text, file))


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) equivalent to ``SCHEMA``, for editors."""
    def conv(f: F) -> dict[str, Any]:
        types = [{"string": "string", "integer": "integer", "boolean": "boolean",
                  "array": "array", "object": "object"}[t] for t in f.type.split("|")]
        out: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
        if f.doc:
            out["description"] = f.doc
        if f.enum is not None:
            out["enum"] = list(f.enum)
        if f.items is not None:
            out["items"] = obj(f.items) if isinstance(f.items, dict) else {"type": f.items}
        if f.fields is not None:
            out.update(obj(f.fields))
        elif f.values is not None:
            out["additionalProperties"] = {"type": f.values}
        return out

    def obj(fields: dict[str, F]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False,
                "properties": {k: conv(v) for k, v in fields.items()},
                "required": [k for k, v in fields.items() if v.required]}

    schema = obj(SCHEMA)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "simstart scenario"
    return schema


Loader = Callable[[str | Path], Scenario]
__all__ = ["Loader", "Scenario", "ScenarioError", "json_schema", "load", "loads"]
