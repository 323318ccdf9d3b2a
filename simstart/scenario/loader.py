"""From YAML to a checked ``Scenario``: every mistake is one located line.

The accepted keys are declared once, in ``SCHEMA`` (the JSON Schema for editors is generated
from it), so the loader and the schema cannot disagree. Checking collects every problem it
can find instead of stopping at the first: ``problems()`` returns them all (for ``simstart
validate``), ``load()`` raises the first.

Two levels of checking:

- what the engine needs to run the scenario (types, keys, values, the cross-references it
  follows): always;
- ``strict``: also that every name a request, an ``--ipc`` or a link mentions is declared in
  the scenario (a container that existed once and was removed is declared with ``state:
  removed``), and that a request for a container that does not exist says it expects the 404.
  ``simstart validate`` and the shipped library use it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

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
from .specs import parse_mount_raw
from .yamlsource import KeyPath, Located, ScenarioError, load_file, load_text

STATES = ("created", "running", "exited", "paused", "restarting", "removing", "dead", "removed")
EXPECT_STATUSES = ("created", "running", "exited", "paused", "restarting", "removing", "dead",
                   "removed")
FILE_KINDS = ("exec", "file", "dir")
RESOURCE_KINDS = ("mounts", "veths", "endpoints", "sandboxes", "proxies", "ports", "iptables",
                  "netns", "processes", "containerd")
# The docker events the start path can emit (a test checks this against simstart/moby).
EVENTS = ("container start", "container destroy", "network connect", "network disconnect",
          "volume mount")
# The HTTP statuses a start can end with: 204, 304, the typed errors and the keyword table of
# api/server/httputils/errors.go; 0 when the connection closes with no response (a panic).
HTTP_STATUSES = (0, 204, 304, 400, 401, 403, 404, 406, 409, 500, 503)
HEX64 = re.compile(r"^[0-9a-f]{64}$")
NAME_RE = r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$"
PORT_RE = r"^(?:[^:/]*:)?(?:[^:/]*:)?[^:/]+(?:/(?:tcp|udp))?$"


class F(NamedTuple):
    """One key: its JSON type, whether it is required, allowed values, and a description."""

    type: str  # "string" | "integer" | "boolean" | "array" | "object" | "array|string" …
    required: bool = False
    enum: tuple[Any, ...] | None = None
    items: Any = None  # for arrays: a type name, or a dict of F for objects
    fields: dict[str, F] | None = None  # for objects with known keys
    values: str | None = None  # for free-form objects: the type of each value
    doc: str = ""
    pattern: str | None = None  # for strings (and string items): a regular expression
    expected: str = ""  # what a value that does not match ``pattern`` should look like
    minimum: int | None = None  # for integers
    maximum: int | None = None
    min_items: int | None = None  # for arrays


EXPECT_FIELDS: dict[str, F] = {
    "status": F("integer", enum=HTTP_STATUSES,
                doc="HTTP status the client gets (204, 304, 400, 404, 409, 500, …; 0 when the "
                "connection closes with no response)"),
    "message": F("string", doc="the error message exactly (without the trailing newline)"),
    "state": F("object", fields={
        "status": F("string", enum=EXPECT_STATUSES),
        "exit_code": F("integer", minimum=0, maximum=255),
        "error": F("string"),
    }, doc="the container's State after the request"),
    "events": F("array", items=F("string", enum=EVENTS),
                doc="the docker events of this request, in order, as 'type action'"),
    "resources": F("object", fields={k: F("integer", minimum=0) for k in RESOURCE_KINDS},
                   doc="counts left on the host after the request"),
    "removed": F("boolean", doc="the container no longer exists (AutoRemove)"),
}

SCHEMA: dict[str, F] = {
    "title": F("string", required=True, doc="one line, shown in lists"),
    "description": F("string", doc="what the scenario teaches, a paragraph"),
    "objectives": F("array", items="string", doc="learning objectives"),
    "seed": F("string", doc="seed for every generated ID (default: the file name)"),
    "daemon": F("object", fields={
        "experimental": F("boolean", doc="dockerd --experimental (checkpoints)"),
        "bridge_none": F("boolean", doc="dockerd --bridge=none"),
        "userland_proxy": F("boolean", doc="dockerd --userland-proxy (default true)"),
        "hostname": F("string", doc="the host's name (host networking takes it)"),
        "apparmor": F("boolean", doc="AppArmor is enabled on the host (default true)"),
        "runtimes": F("array", items="string", doc="configured runtimes (default [runc])"),
        "log_drivers": F("array", items="string", doc="registered log drivers"),
        "cpus": F("integer", minimum=1, maximum=1024, doc="the host's CPUs (sysinfo.NumCPU; "
                  "the cpuset cgroup offers 0 to cpus-1); default 2"),
        "mems": F("string", pattern=r"^[0-9]+(?:-[0-9]+)?(?:,[0-9]+(?:-[0-9]+)?)*$",
                  expected="a list like 0 or 0-1", doc="the memory nodes of the cpuset cgroup "
                  "(cpuset.mems); default 0"),
    }, doc="the dockerd options and the host it runs on"),
    "host": F("object", fields={
        "listening": F("array", items={
            "port": F("integer", required=True, minimum=1, maximum=65535),
            "ip": F("string", doc="default 0.0.0.0"),
            "proto": F("string", enum=("tcp", "udp")),
            "process": F("string", doc="its name, for the narration"),
        }, doc="processes that are not docker's, already bound to host ports"),
        "stale_endpoints": F("array", items={
            "name": F("string", required=True, doc="the endpoint's name (a container's name)"),
            "network": F("string", doc="default bridge"),
        }, doc="endpoints an unclean daemon shutdown left in libnetwork's store"),
    }, doc="the host outside docker"),
    "images": F("array", items={
        "name": F("string", required=True),
        "files": F("object", values="string", doc="absolute path → exec | file | dir"),
        "path_env": F("string", doc="the image's PATH"),
    }, doc="images beyond the built-in busybox, alpine, nginx, redis, postgres"),
    "networks": F("array", items={
        "name": F("string", required=True, pattern=NAME_RE,
                  expected="a name like backend ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"),
        "subnet": F("string", doc="default 172.18.0.0/16, 172.19.0.0/16, …"),
        "gateway": F("string", doc="default: the subnet's first address"),
        "internal": F("boolean"),
        "removed": F("boolean", doc="the network was removed after the containers were "
                     "created: containers may still name it"),
    }, doc="user-defined bridge networks"),
    "containers": F("array", required=True, items={
        "name": F("string", required=True, pattern=NAME_RE,
                  expected="a name like web ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"),
        "id": F("string", pattern=HEX64.pattern,
                expected="64 lower-case hex digits (default: derived from the name)",
                doc="64 lower-case hex digits (default: derived from the name)"),
        "image": F("string", doc="default busybox"),
        "cmd": F("array|string", doc="the command, a list or a string split on spaces"),
        "hostname": F("string", doc="default: the first 12 digits of the ID"),
        "state": F("string", enum=STATES, doc="before the first request (default created); "
                   "removed: it existed, references to it dangle"),
        "exit_code": F("integer", minimum=0, maximum=255, doc="of its last run"),
        "network_mode": F("string", doc="default, bridge, host, none, container:<name>, or a "
                          "network name"),
        "ports": F("array", items=F("string", pattern=PORT_RE,
                                    expected="'[ip:]hostPort:containerPort[/tcp|udp]'"),
                   doc="'[ip:]hostPort:containerPort[/proto]'"),
        "auto_remove": F("boolean", doc="--rm"),
        "binds": F("array", items="string", doc="'/host/path:/container/path'"),
        "restart_policy": F("string", doc="no, always, unless-stopped, on-failure"),
        "log_driver": F("string", doc="default json-file"),
        "links": F("array", items="string", doc="'name:alias'"),
        "labels": F("object", values="string"),
        "runtime": F("string"),
        "privileged": F("boolean"),
        "ipc_mode": F("string", doc="'', host, or container:<name>"),
        "memory": F("integer", minimum=0, doc="memory limit in bytes"),
        "nano_cpus": F("integer", minimum=0, doc="--cpus × 10⁹"),
        "cpu_period": F("integer", minimum=0),
        "cpu_quota": F("integer", minimum=0),
    }, doc="the containers that exist before the first request"),
    "requests": F("array", required=True, min_items=1, items={
        "container": F("string", required=True, doc="name, full ID or ID prefix"),
        "api_version": F("string", doc="the /vX.YY/ URL prefix; empty for none (write it in "
                         "quotes: '1.24')"),
        "checkpoint": F("string"),
        "checkpoint_dir": F("string"),
        "body": F("string|object", doc="request body; a mapping is sent as JSON"),
        "content_type": F("string"),
        "chunked": F("boolean"),
        "query": F("object", values="string"),
        "races_previous": F("boolean", doc="sent while the previous request is still starting: "
                            "both pass ContainerStart's IsRunning check, then one waits for "
                            "the container's lock"),
        "expect": F("object", fields=EXPECT_FIELDS, doc="what this request should produce"),
    }, doc="POST /containers/{name}/start requests, in order"),
    "faults": F("array", items={
        "site": F("string", required=True, enum=tuple(sorted(SITES))),
        "error": F("string", doc="the error text (default: a realistic one for the site)"),
        "request": F("integer", minimum=0, doc="only during this request (0-based)"),
    }, doc="make a step of the start path fail"),
}

_PY = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict}
_WANT = {"array": "a list", "object": "a mapping", "integer": "an integer",
         "boolean": "a boolean (true or false)", "string": "a string"}


def _typename(v: Any) -> str:
    if v is None:
        return "nothing (null)"
    for name, t in (("boolean", bool), ("integer", int), ("string", str), ("array", list),
                    ("object", dict)):
        if isinstance(v, t):
            return {"array": "a list", "object": "a mapping", "integer": "an integer",
                    "boolean": "a boolean", "string": "a string"}[name]
    if isinstance(v, float):
        return "a number"
    return {"datetime": "a date and time", "date": "a date", "bytes": "binary data"}.get(
        type(v).__name__, type(v).__name__)


def _is(v: Any, t: str) -> bool:
    return any((isinstance(v, _PY[x]) and not (x == "integer" and isinstance(v, bool)))
               for x in t.split("|"))


def _suggest(word: str, choices: list[str]) -> str:
    import difflib  # only when there is a typo to suggest for: keeps `simstart run` light

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "…"


class Checker:
    """Collects the problems of one document."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[ScenarioError] = []

    def add(self, path: KeyPath, message: str) -> None:
        """Record a problem at ``path``."""
        self.problems.append(self.doc.error(path, message))

    # -- the schema --------------------------------------------------------------------------

    def value(self, value: Any, spec: F, path: KeyPath) -> bool:
        """Check ``value`` against ``spec``; True when it (and all below it) is fine."""
        if not _is(value, spec.type):
            want = " or ".join(_WANT[x] for x in spec.type.split("|"))
            quotable = (isinstance(value, (int, float, bool))
                        or type(value).__name__ in ("date", "datetime"))
            hint = " (put it in quotes)" if "string" in spec.type.split("|") and quotable else ""
            self.add(path, f"is {_typename(value)}, expected {want}{hint}")
            return False
        if spec.enum is not None and value not in spec.enum:
            sug = _suggest(str(value), [str(e) for e in spec.enum])
            choices = ", ".join(str(e) for e in spec.enum)
            self.add(path, f"{_short(value)} is not allowed{sug}; expected one of: {choices}")
            return False
        if isinstance(value, str) and spec.pattern is not None and not re.search(spec.pattern,
                                                                                value):
            self.add(path, f"{_short(value)} is not valid; expected {spec.expected}")
            return False
        if isinstance(value, int) and not isinstance(value, bool):
            lo, hi = spec.minimum, spec.maximum
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                rng = (f"from {lo} to {hi}" if lo is not None and hi is not None
                       else f"at least {lo}" if lo is not None else f"at most {hi}")
                self.add(path, f"{value} is out of range; expected an integer {rng}")
                return False
        ok = True
        if isinstance(value, list):
            if spec.min_items is not None and len(value) < spec.min_items:
                self.add(path, f"is empty; expected at least {spec.min_items} item")
                ok = False
            if spec.items is not None:
                for i, item in enumerate(value):
                    if isinstance(spec.items, dict):
                        ok = self.fields(item, spec.items, (*path, i)) and ok
                    else:
                        item_spec = spec.items if isinstance(spec.items, F) else F(spec.items)
                        ok = self.value(item, item_spec, (*path, i)) and ok
        if isinstance(value, dict):
            if spec.fields is not None:
                ok = self.fields(value, spec.fields, path) and ok
            elif spec.values is not None:
                for k, v in value.items():
                    if not isinstance(k, str):
                        self.add((*path, str(k)), f"key {_short(k)} is {_typename(k)}, "
                                 "expected a string (put it in quotes)")
                        ok = False
                        continue
                    ok = self.value(v, F(spec.values), (*path, k)) and ok
        return ok

    def fields(self, value: Any, fields: dict[str, F], path: KeyPath) -> bool:
        """Check a mapping with known keys: unknown keys, types, required keys."""
        if not isinstance(value, dict):
            self.add(path, f"is {_typename(value)}, expected a mapping with keys "
                     f"{', '.join(fields)}")
            return False
        ok = True
        for k in value:
            if not isinstance(k, str) or k not in fields:
                self.add((*path, str(k)), f"unknown key{_suggest(str(k), list(fields))}; "
                         f"expected one of: {', '.join(fields)}")
                ok = False
        for k, f in fields.items():
            if k in value:
                ok = self.value(value[k], f, (*path, k)) and ok
            elif f.required:
                self.add(path, f"missing required key `{k}`")
                ok = False
        return ok


def _port(ck: Checker, text: str, path: KeyPath) -> PortSpec:
    spec, _, proto = text.partition("/")
    proto = proto or "tcp"
    parts = spec.rsplit(":", 2)
    ip = parts[0] if len(parts) == 3 else ""
    host = parts[-2] if len(parts) >= 2 else ""
    cport = parts[-1]
    if ip:
        try:
            ipaddress.ip_address(ip.strip("[]"))
        except ValueError:
            ck.add(path, f"{ip!r} is not an IP address; expected "
                   "'[ip:]hostPort:containerPort[/tcp|udp]'")
    for what, p in (("host port", host), ("container port", cport)):
        for n in p.split("-") if p else ():
            if n.isdigit() and not 0 < int(n) <= 65535:
                ck.add(path, f"{what} {n} is out of range; expected 1 to 65535")
    return PortSpec(ip, host, cport, proto)


def _container(ck: Checker, c: dict[str, Any], i: int, seed: str) -> ContainerSpec:
    path: KeyPath = ("containers", i)
    name = c["name"].lstrip("/")
    cid = c.get("id") or hashlib.sha256(f"{seed}:container:{name}".encode()).hexdigest()
    cmd = c.get("cmd", ["sh"])
    if isinstance(cmd, str):
        cmd = cmd.split()
    if not cmd:
        ck.add((*path, "cmd"), "the command is empty; expected a list like [nginx, -g, "
               "daemon off;] or a string like 'top'")
        cmd = ["sh"]
    ports = tuple(_port(ck, p, (*path, "ports", j)) for j, p in enumerate(c.get("ports", [])))
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


def _request(ck: Checker, r: dict[str, Any], i: int) -> RequestSpec:
    body = r.get("body")
    if isinstance(body, dict):
        try:
            body = json.dumps(body, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):
            ck.add(("requests", i, "body"), "cannot be sent as JSON (it holds a value JSON has "
                   "no form for, such as a date or a non-string key); write the body as a "
                   "string instead")
            body = "{}"
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
    version = str(r.get("api_version", ""))
    if version and not re.fullmatch(r"[0-9.]+", version):
        ck.add(("requests", i, "api_version"), f"{version!r} is not an API version like 1.29 "
               "(the router only matches [0-9.]+)")
    return RequestSpec(
        container=r["container"], api_version=version, checkpoint=r.get("checkpoint", ""),
        checkpoint_dir=r.get("checkpoint_dir", ""), body=body,
        content_type=r.get("content_type", "application/json" if body else ""),
        chunked=r.get("chunked", False),
        query=tuple(sorted((str(k), str(v)) for k, v in r.get("query", {}).items())),
        expect=expect, races_previous=r.get("races_previous", False),
    )


def _resolve(ref: str, containers: list[ContainerSpec]) -> list[ContainerSpec]:
    """What ``GetContainer(ref)`` can find among ``containers``: ID, name, then ID prefixes."""
    if not ref:
        return []
    for c in containers:
        if c.id == ref:
            return [c]
    name = ref.lstrip("/")
    for c in containers:
        if c.name == name:
            return [c]
    return [c for c in containers if c.id.startswith(ref)]


def _ref_problem(ref: str, containers: list[ContainerSpec]) -> str:
    return (f"no container {ref!r} in this scenario"
            f"{_suggest(ref.lstrip('/'), [c.name for c in containers])}")


def _check_world(ck: Checker, top: dict[str, Any], containers: list[ContainerSpec],
                 removed: set[str], networks: list[NetworkSpec], gone_networks: set[str],
                 strict: bool) -> None:
    seen_names: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for i, c in enumerate(containers):
        if c.name in seen_names:
            ck.add(("containers", i, "name"), f"duplicate container name {c.name!r} (also "
                   f"containers[{seen_names[c.name]}]); each container needs its own name")
        if c.id in seen_ids and c.name not in seen_names:
            ck.add(("containers", i, "id"), f"duplicate container ID (also containers"
                   f"[{seen_ids[c.id]}]); each container needs its own ID")
        seen_names.setdefault(c.name, i)
        seen_ids.setdefault(c.id, i)
    seen_nets: dict[str, int] = {}
    for i, n in enumerate(top.get("networks", [])):
        if n["name"] in seen_nets:
            ck.add(("networks", i, "name"), f"duplicate network name {n['name']!r} (also "
                   f"networks[{seen_nets[n['name']]}])")
        seen_nets.setdefault(n["name"], i)
    live = [c for c in containers if c.name not in removed]
    net_names = {"default", "bridge", "host", "none"} | {n.name for n in networks} | gone_networks
    for i, c in enumerate(containers):
        if c.name in removed:
            continue
        path: KeyPath = ("containers", i)
        mode = c.network_mode
        if mode.startswith("container:"):
            ref = mode.split(":", 1)[1]
            if not _resolve(ref, containers):
                ck.add((*path, "network_mode"), _ref_problem(ref, containers) +
                       "; declare it (with `state: removed` if it is gone)")
        elif mode not in net_names:
            ck.add((*path, "network_mode"), f"no network {mode!r}"
                   f"{_suggest(mode, sorted(net_names))}; define it under networks "
                   "or use default, bridge, host, none or container:<name>")
        ipc = c.ipc_mode
        if ipc.startswith("container:"):
            ref = ipc.split(":", 1)[1]
            if strict and not _resolve(ref, containers):
                ck.add((*path, "ipc_mode"), _ref_problem(ref, containers) +
                       "; declare it (with `state: removed` if it is gone)")
        elif ipc not in ("", "host", "private", "shareable", "none"):
            ck.add((*path, "ipc_mode"), f"{ipc!r} is not an IPC mode; expected '', host or "
                   "container:<name>")
        for j, link in enumerate(c.links):
            target = link.partition(":")[0].lstrip("/")
            if strict and target not in {x.name for x in live}:
                ck.add((*path, "links", j), f"no container {target!r} to link to"
                       f"{_suggest(target, [x.name for x in live])}; expected 'name:alias'")
        for j, b in enumerate(c.binds):
            _mp, why = parse_mount_raw(b, "")
            if why is not None:
                ck.add((*path, "binds", j), f"{why}; expected '/host/path:/container/path[:ro]' "
                       "or 'volume-name:/container/path'")
        if c.exit_code and c.state == "running":
            ck.add((*path, "exit_code"), "a running container's exit code is 0 (SetRunning "
                   "resets it); give it `state: exited`, or drop exit_code")


def _check_requests(ck: Checker, requests: list[RequestSpec], containers: list[ContainerSpec],
                    removed: set[str], strict: bool) -> None:
    live = [c for c in containers if c.name not in removed]
    aliases = {f"{c.name}/{(lk.partition(':')[2] or lk.partition(':')[0]).lstrip('/')}"
               for c in live for lk in c.links}
    for i, r in enumerate(requests):
        path: KeyPath = ("requests", i)
        e = r.expect
        found = _resolve(r.container, live)
        target = found[0] if len(found) == 1 else None
        is_alias = r.container.lstrip("/") in aliases
        if r.container == "":
            ck.add((*path, "container"), "is empty; the router never passes an empty name to "
                   "GetContainer (it answers 404 page not found); expected a name or an ID")
        elif strict and not found and not is_alias and (e.status is None or e.status < 400):
            gone = r.container.lstrip("/") in removed
            ck.add((*path, "container"), (
                f"{r.container!r} was removed" if gone else _ref_problem(r.container, live))
                + "; if the request is meant to fail, say so: `expect: {status: 404}`")
        if e.status in (204, 304, 0) and e.message:
            ck.add((*path, "expect", "message"), f"a {e.status or 'closed connection'} "
                   "response has no body, so no message; drop it or expect an error status")
        if e.status == 204 and e.state is not None and e.state.status not in (None, "running"):
            ck.add((*path, "expect", "state", "status"), f"cannot be {e.state.status!r} after "
                   "a 204: a successful start leaves the container running")
        if e.state is not None and e.state.status == "removed" and e.removed is False:
            ck.add((*path, "expect", "removed"), "contradicts state.status: removed")
        if target is not None:
            want_removed = e.removed or (e.state is not None and e.state.status == "removed")
            if want_removed and not target.auto_remove:
                ck.add((*path, "expect", "removed" if e.removed else "state"), f"cannot occur: "
                       f"{target.name} has no auto_remove, and nothing else removes a "
                       "container during a start")
            before = {target.state}
            if e.state is not None and e.state.status in ("paused", "restarting", "removing",
                                                          "dead") and e.state.status not in before:
                ck.add((*path, "expect", "state", "status"), f"cannot occur: a start never "
                       f"makes a container {e.state.status}, and {target.name} is "
                       f"{target.state} before the requests")
        elif not found and not is_alias and e.state is not None and e.state.status != "removed":
            ck.add((*path, "expect", "state"), f"cannot occur: {r.container!r} names no "
                   "container, so there is no state to check")


def check(doc: Located, strict: bool = False) -> tuple[Scenario | None, list[ScenarioError]]:
    """Every problem of ``doc`` (empty when it is valid), and the ``Scenario`` when there are
    none."""
    ck = Checker(doc)
    top = doc.value
    if not ck.fields(top, SCHEMA, ()):
        return None, _ordered(ck.problems)
    seed = top.get("seed") or Path(doc.file).stem
    d = top.get("daemon", {})
    defaults = DaemonSpec()
    daemon = DaemonSpec(
        experimental=d.get("experimental", False), bridge_none=d.get("bridge_none", False),
        userland_proxy=d.get("userland_proxy", True), hostname=d.get("hostname", "docker-host"),
        apparmor=d.get("apparmor", True),
        runtimes=tuple(d.get("runtimes", defaults.runtimes)),
        log_drivers=tuple(d.get("log_drivers", defaults.log_drivers)),
        cpus=d.get("cpus", defaults.cpus), mems=d.get("mems", defaults.mems),
    )
    listening = []
    for i, x in enumerate(top.get("host", {}).get("listening", [])):
        ip = x.get("ip", "0.0.0.0")
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            ck.add(("host", "listening", i, "ip"), f"{ip!r} is not an IP address like 0.0.0.0")
        listening.append(ListenerSpec(ip, x["port"], x.get("proto", "tcp"),
                                      x.get("process", "a host process")))
    images = []
    seen_images: set[str] = set()
    for i, im in enumerate(top.get("images", [])):
        if im["name"] in seen_images:
            ck.add(("images", i, "name"), f"duplicate image name {im['name']!r}")
        seen_images.add(im["name"])
        for p, kind in im.get("files", {}).items():
            if not p.startswith("/") or kind not in FILE_KINDS:
                ck.add(("images", i, "files", p), "expected an absolute path mapped to one of: "
                       f"{', '.join(FILE_KINDS)}{_suggest(kind, list(FILE_KINDS))}")
        images.append(ImageSpec(im["name"], tuple(sorted(im.get("files", {}).items())),
                                im.get("path_env", ImageSpec("", ()).path_env)))
    networks = []
    gone_networks: set[str] = set()
    for i, n in enumerate(top.get("networks", [])):
        subnet = n.get("subnet", f"172.{18 + i}.0.0/16")
        if n["name"] in ("bridge", "host", "none", "default"):
            ck.add(("networks", i, "name"), f"{n['name']!r} is predefined; choose another name")
            continue
        if n.get("removed", False):
            gone_networks.add(n["name"])
            continue
        try:
            net = ipaddress.IPv4Network(subnet)
        except ValueError:
            ck.add(("networks", i, "subnet"), f"{subnet!r} is not an IPv4 subnet like "
                   "172.18.0.0/16 (host bits must be zero)")
            continue
        if net.num_addresses < 4:
            ck.add(("networks", i, "subnet"), f"{subnet} is too small for a bridge network: "
                   "expected /30 or larger")
            continue
        gateway = n.get("gateway", str(net[1]))
        try:
            if ipaddress.ip_address(gateway) not in net:
                ck.add(("networks", i, "gateway"), f"{gateway} is not in {subnet}")
        except ValueError:
            ck.add(("networks", i, "gateway"), f"{gateway!r} is not an IP address")
        networks.append(NetworkSpec(n["name"], str(net), gateway, n.get("internal", False)))
    all_containers = [_container(ck, c, i, seed) for i, c in enumerate(top["containers"])]
    removed = {c.name for c in all_containers if c.state == "removed"}
    _check_world(ck, top, all_containers, removed, networks, gone_networks, strict)
    requests = [_request(ck, r, i) for i, r in enumerate(top["requests"])]
    for i, r in enumerate(requests):
        if r.races_previous and (i == 0 or requests[i - 1].races_previous):
            ck.add(("requests", i, "races_previous"), "races the request before it, so it "
                   "needs one that does not race itself" if i else "the first request has "
                   "no previous request to race")
    _check_requests(ck, requests, all_containers, removed, strict)
    faults = []
    for i, f in enumerate(top.get("faults", [])):
        if "request" in f and not 0 <= f["request"] < len(requests):
            ck.add(("faults", i, "request"), f"there are {len(requests)} requests (0 to "
                   f"{len(requests) - 1})")
        faults.append(FaultSpec(f["site"], f.get("error") or SITES[f["site"]].errors[0],
                                f.get("request")))
    stale = []
    bridges = {"bridge"} | {n.name for n in networks}
    for i, x in enumerate(top.get("host", {}).get("stale_endpoints", [])):
        net = x.get("network", "bridge")
        if net not in bridges:
            ck.add(("host", "stale_endpoints", i, "network"), f"no bridge network {net!r}"
                   f"{_suggest(net, sorted(bridges))}; expected bridge or a declared network")
        stale.append((x["name"], net))
    if ck.problems:
        return None, _ordered(ck.problems)
    return Scenario(
        file=doc.file, title=top["title"], description=top.get("description", ""),
        objectives=tuple(top.get("objectives", [])), seed=seed, daemon=daemon,
        listening=tuple(listening), images=tuple(images), networks=tuple(networks),
        containers=tuple(c for c in all_containers if c.name not in removed),
        requests=tuple(requests), faults=tuple(faults), stale_endpoints=tuple(stale),
    ), []


def _ordered(problems: list[ScenarioError]) -> list[ScenarioError]:
    """Without repeats, in the order found (unknown keys before what is missing)."""
    seen: dict[str, ScenarioError] = {}
    for p in problems:
        seen.setdefault(str(p), p)
    return list(seen.values())


def build(doc: Located, strict: bool = False) -> Scenario:
    """Check ``doc`` against ``SCHEMA`` and the cross-references; build the ``Scenario``
    (raises the first problem)."""
    sc, problems = check(doc, strict)
    if problems:
        raise problems[0]
    assert sc is not None
    return sc


def load(path: str | Path, strict: bool = False) -> Scenario:
    """Load and check a scenario file (raises ``ScenarioError``)."""
    return build(load_file(path), strict)


def loads(text: str, file: str = "<string>", strict: bool = False) -> Scenario:
    """Load and check scenario text (raises ``ScenarioError``)."""
    return build(load_text(text, file), strict)


def problems(path: str | Path, strict: bool = True) -> list[ScenarioError]:
    """Every problem of a scenario file, in file order (empty when it is valid)."""
    try:
        found = check(load_file(path), strict)[1]
    except ScenarioError as e:
        return [e]
    return sorted(found, key=lambda p: (p.line, p.col))


def problems_in_text(text: str, file: str = "<string>", strict: bool = True
                     ) -> list[ScenarioError]:
    """Every problem of scenario text, in file order (empty when it is valid)."""
    try:
        found = check(load_text(text, file), strict)[1]
    except ScenarioError as e:
        return [e]
    return sorted(found, key=lambda p: (p.line, p.col))


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) equivalent to ``SCHEMA``, for editors."""
    def conv(f: F) -> dict[str, Any]:
        types = f.type.split("|")
        out: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
        if f.doc:
            out["description"] = f.doc
        if f.enum is not None:
            out["enum"] = list(f.enum)
        if f.pattern is not None:
            out["pattern"] = f.pattern
        if f.minimum is not None:
            out["minimum"] = f.minimum
        if f.maximum is not None:
            out["maximum"] = f.maximum
        if f.min_items is not None:
            out["minItems"] = f.min_items
        if f.items is not None:
            out["items"] = (obj(f.items) if isinstance(f.items, dict)
                            else conv(f.items) if isinstance(f.items, F) else {"type": f.items})
        if f.fields is not None:
            out.update(obj(f.fields))
        elif f.values is not None:
            out["additionalProperties"] = {"type": f.values}
        return out

    def obj(fields: dict[str, F]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False,
                "properties": {k: conv(v) for k, v in fields.items()},
                "required": [k for k, v in fields.items() if v.required]}

    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://simstart.invalid/scenario.schema.json",
        "title": "simstart scenario",
        "description": "A simstart scenario: the world before, the start requests, faults and "
                       "expectations. Generated from simstart.scenario.loader.SCHEMA.",
    }
    schema.update(obj(SCHEMA))
    return schema


Loader = Callable[[str | Path], Scenario]
__all__ = ["Loader", "Scenario", "ScenarioError", "check", "json_schema", "load", "loads",
           "problems", "problems_in_text"]
