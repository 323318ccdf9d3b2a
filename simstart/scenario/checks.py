"""From a checked YAML document to a ``Scenario``: the values read into the model, and the
checks across keys (names that must exist, values that contradict each other).

``check`` first checks the document against ``schema.SCHEMA`` (types, keys, values), then
reads it and checks what one key alone cannot say. Two levels:

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
from pathlib import Path
from typing import Any

from .faults import SITES
from .model import (
    ContainerExpect,
    ContainerSpec,
    DaemonSpec,
    EndExpect,
    Expect,
    FaultSpec,
    ImageSpec,
    ListenerSpec,
    NetworkSpec,
    PortSpec,
    ProcessSpec,
    QuestionSpec,
    RequestSpec,
    Scenario,
    ScenarioText,
    StateExpect,
)
from .schema import BUILTIN_IMAGES, EVENTS, FILE_KINDS, HOST_PATH_KINDS, SCHEMA
from .schemalang import Checker, short, suggest
from .specs import (
    SIGNAL_MAP,
    go_clean,
    image_name,
    parse_device,
    parse_duration_ms,
    parse_mount_opt,
    parse_mount_raw,
    validate_mount_config,
)
from .yamlsource import KeyPath, Located, ScenarioError


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


DOMAIN = re.compile(r"^(:?(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9])\.)*"
                    r"([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]))$")
JSON_FILE_OPTS = ("max-file", "max-size", "labels", "env", "env-regex")


def _create_time_options(ck: Checker, c: dict[str, Any], path: KeyPath) -> None:
    """What the docker CLI and docker create refuse of the DNS and log options (opts/opts.go
    ValidateIPAddress, ValidateDNSSearch; jsonfilelog.ValidateLogOpt)."""
    for j, ip in enumerate(c.get("dns", [])):
        try:
            ipaddress.ip_address(ip.strip())
        except ValueError:
            ck.add((*path, "dns", j), f"{ip} is not an ip address (the docker CLI refuses it)")
    for j, dom in enumerate(c.get("dns_search", [])):
        d = dom.rstrip(".") if dom != "." else dom
        if dom != "." and (not DOMAIN.match(d) or len(d) > 255):
            ck.add((*path, "dns_search", j), f"{dom} is not a valid domain (the docker CLI "
                   "refuses it)")
    if c.get("log_driver", "json-file") == "json-file":
        for key in c.get("log_opts", {}):
            if key not in JSON_FILE_OPTS:
                ck.add((*path, "log_opts", key), f"unknown log opt '{key}' for json-file log "
                       f"driver (docker create refuses it){suggest(key, list(JSON_FILE_OPTS))}"
                       f"; expected one of: {', '.join(JSON_FILE_OPTS)}")


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
    _create_time_options(ck, c, path)
    seen_targets: dict[str, int] = {}
    bind_dests = set()
    for b in c.get("binds", []):
        bm, _ = parse_mount_raw(b, "") if isinstance(b, str) else (None, None)
        if bm is not None:
            bind_dests.add(bm.destination)
    for j, raw in enumerate(c.get("mounts", [])):
        m, why = parse_mount_opt(raw)
        if m is not None:  # docker create's ParseMountSpec (the host's paths are not known)
            why = validate_mount_config(m, lambda _p: ("dir", None))
        if why is not None or m is None:
            ck.add((*path, "mounts", j), f"{why} (docker refuses it); expected "
                   "'type=bind|volume|tmpfs,source=…,target=…'")
        elif go_clean(m["Target"]) in bind_dests:
            ck.add((*path, "mounts", j), f"Duplicate mount point '{m['Target']}' (also in "
                   "binds; docker create refuses it)")
        elif go_clean(m["Target"]) in seen_targets:
            ck.add((*path, "mounts", j), f"Duplicate mount point '{m['Target']}' (also "
                   f"mounts[{seen_targets[go_clean(m['Target'])]}]; docker create refuses it)")
        else:
            seen_targets[go_clean(m["Target"])] = j
    devices = []
    for j, dev in enumerate(c.get("devices", [])):
        mapping, why = parse_device(dev)
        if why is not None:
            ck.add((*path, "devices", j), f"{why} (the docker CLI refuses it); expected "
                   "'/dev/host[:/dev/in-container][:rwm]'")
        devices.append(mapping)
    for j, e in enumerate(c.get("env", [])):
        if e.startswith("="):
            ck.add((*path, "env", j), f"{short(e)} has an empty variable name (runc's os.Setenv "
                   "would refuse it; not modelled); expected 'NAME=value' or 'NAME'")
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
        user=c.get("user", ""), working_dir=c.get("working_dir", ""),
        env=tuple(c.get("env", [])), tty=c.get("tty", False),
        open_stdin=c.get("open_stdin", False), network_disabled=c.get("network_disabled", False),
        init=c.get("init"), pid_mode=c.get("pid_mode", ""), devices=tuple(devices),
        cpuset_cpus=c.get("cpuset_cpus", ""), cpuset_mems=c.get("cpuset_mems", ""),
        restart_max_retries=c.get("restart_max_retries", 0), dns=tuple(c.get("dns", [])),
        dns_search=tuple(c.get("dns_search", [])), dns_options=tuple(c.get("dns_options", [])),
        log_opts=tuple(sorted(c.get("log_opts", {}).items())), error=c.get("error", ""),
        restart_count=c.get("restart_count", 0), mount_id=c.get("mount_id", ""),
        mounts=tuple(c.get("mounts", [])),
        process=_process(ck, c.get("process", {}), (*path, "process")),
        stop_signal=c.get("stop_signal", ""), stop_timeout=c.get("stop_timeout"),
    )


def _signal_number(name: str) -> int | None:
    """A signal's number as ``ParseSignal`` reads a name (``SIGTERM``, ``term``) or a number."""
    if name.isdigit():
        return int(name) or None
    up = name.upper()
    return SIGNAL_MAP.get(up[3:] if up.startswith("SIG") else up)


def _process(ck: Checker, p: dict[str, Any], path: KeyPath) -> ProcessSpec:
    signals: list[tuple[int, int]] = []
    for name, code in p.get("signals", {"SIGTERM": 143, "SIGINT": 130}).items():
        n = _signal_number(str(name))
        if n is None:
            ck.add((*path, "signals", str(name)), f"{name!r} is not a signal"
                   f"{suggest(str(name).upper(), ['SIG' + k for k in SIGNAL_MAP])}; expected "
                   "a name like SIGTERM or a number")
        elif n == 9:
            ck.add((*path, "signals", str(name)), "SIGKILL cannot be handled: it always "
                   "ends the process (exit status 137)")
        else:
            signals.append((n, code))
    after = p.get("exits_after")
    return ProcessSpec(
        exit_after_ms=parse_duration_ms(after) if after is not None else -1,  # type: ignore
        exit_code=p.get("exit_code", 0), stdout=tuple(p.get("stdout", [])),
        stderr=tuple(p.get("stderr", [])), signals=tuple(sorted(signals)))


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
        message_pattern=e.get("message_pattern"),
        state=StateExpect(st.get("status"), st.get("exit_code"), st.get("error"))
        if st is not None else None,
        events=tuple(e["events"]) if "events" in e else None,
        resources=tuple(sorted(e["resources"].items())) if "resources" in e else None,
        removed=e.get("removed"),
        location=e.get("location"),
    )
    if "location" in e and e.get("status") != 301:
        ck.add(("requests", i, "expect", "location"), "only a 301 has a Location; expect "
               "`status: 301` with it, or drop it")
    if e.get("status") == 301 and "message" in e:
        ck.add(("requests", i, "expect", "message"), "a 301 from the router has no body, so "
               "no message; drop it (a redirect says where in `location`)")
    raw_path = r.get("path", "")
    if "path" in r:
        for key in ("container", "api_version", "action"):
            if key in r:
                ck.add(("requests", i, key), "conflicts with path: the router reads the "
                       f"container, the action and the version from the path; drop {key}, or "
                       "drop path")
        bad = re.search(r"%(?![0-9A-Fa-f]{2})", raw_path.partition("?")[0])
        if bad is not None:
            ck.add(("requests", i, "path"), f"{raw_path[bad.start():bad.start() + 3]!r} is "
                   "not an escape (% and two hex digits): Go's net/http answers 400 Bad "
                   "Request before the router sees it; write %25 for a %")
    elif "container" not in r:
        ck.add(("requests", i), "needs container (name, ID or ID prefix), or path (the "
               "request-URI as sent)")
    version = str(r.get("api_version", ""))
    if version and not re.fullmatch(r"[0-9.]+", version):
        ck.add(("requests", i, "api_version"), f"{version!r} is not an API version like 1.29 "
               "(the router only matches [0-9.]+)")
    return RequestSpec(
        container=r.get("container", ""), api_version=version, checkpoint=r.get("checkpoint", ""),
        checkpoint_dir=r.get("checkpoint_dir", ""), body=body,
        content_type=r.get("content_type", "application/json" if body else ""),
        chunked=r.get("chunked", False),
        query=tuple(sorted((str(k), str(v)) for k, v in r.get("query", {}).items())),
        expect=expect, action=r.get("action", "" if raw_path else "start"),
        after_ms=parse_duration_ms(r["after"]) or 0 if "after" in r else 0,
        races=r.get("races", ""), method=r.get("method", "POST"), path=raw_path,
    )


def _question(ck: Checker, q: dict[str, Any], i: int, requests: int) -> QuestionSpec:
    """A question as the model holds it; where its ``at`` is, for the errors only the
    recorded trace can find (a stage the trace never reaches)."""
    path: KeyPath = ("questions", i)
    if "request" in q and not 0 <= q["request"] < requests:
        ck.add((*path, "request"), f"there are {requests} requests (0 to {requests - 1})")
    return QuestionSpec(
        at=q["at"], ask=q["ask"], request=q.get("request"),
        prompt=tuple(sorted(q.get("prompt", {}).items())),
        explain=tuple(sorted(q.get("explain", {}).items())), place=i,
        where=ck.doc.where((*path, "at")))


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
            f"{suggest(ref.lstrip('/'), [c.name for c in containers])}")


def _check_world(ck: Checker, top: dict[str, Any], containers: list[ContainerSpec],
                 removed: set[str], networks: list[NetworkSpec], gone_networks: set[str],
                 strict: bool, images: list[ImageSpec]) -> None:
    seen_names: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    seen_layers: dict[str, int] = {}
    for i, c in enumerate(containers):
        if c.name in seen_names:
            ck.add(("containers", i, "name"), f"duplicate container name {c.name!r} (also "
                   f"containers[{seen_names[c.name]}]); each container needs its own name")
        if c.id in seen_ids and c.name not in seen_names:
            ck.add(("containers", i, "id"), f"duplicate container ID (also containers"
                   f"[{seen_ids[c.id]}]); each container needs its own ID")
        seen_names.setdefault(c.name, i)
        seen_ids.setdefault(c.id, i)
        if c.mount_id and c.mount_id in seen_layers and c.name not in removed:
            ck.add(("containers", i, "mount_id"), f"the RW layer of containers"
                   f"[{seen_layers[c.mount_id]}] too; each container has its own")
        if c.name not in removed:
            seen_layers.setdefault(c.mount_id, i)
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
        known = [*BUILTIN_IMAGES, *(im.name for im in images)]
        if image_name(c.image) not in known:
            ck.add((*path, "image"), f"no image {image_name(c.image)!r}"
                   f"{suggest(image_name(c.image), known)}; declare it under images, or use "
                   f"a built-in one: {', '.join(BUILTIN_IMAGES)}")
        mode = c.network_mode
        if mode.startswith("container:"):
            ref = mode.split(":", 1)[1]
            if not _resolve(ref, containers):
                ck.add((*path, "network_mode"), _ref_problem(ref, containers) +
                       "; declare it (with `state: removed` if it is gone)")
        elif mode not in net_names:
            ck.add((*path, "network_mode"), f"no network {mode!r}"
                   f"{suggest(mode, sorted(net_names))}; define it under networks "
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
        pid = c.pid_mode
        parts = pid.split(":")
        if parts[0] == "container" and len(parts) == 2 and parts[1]:
            if strict and not _resolve(parts[1], containers):
                ck.add((*path, "pid_mode"), _ref_problem(parts[1], containers) +
                       "; declare it (with `state: removed` if it is gone)")
        elif pid not in ("", "host"):  # PidMode.Valid, which docker create checks
            ck.add((*path, "pid_mode"), f"{short(pid)} is not a PID mode (docker create "
                   "refuses it: invalid --pid); expected '', host or container:<name>")
        for j, link in enumerate(c.links):
            target = link.partition(":")[0].lstrip("/")
            if strict and target not in {x.name for x in live}:
                ck.add((*path, "links", j), f"no container {target!r} to link to"
                       f"{suggest(target, [x.name for x in live])}; expected 'name:alias'")
        for j, b in enumerate(c.binds):
            _mp, why = parse_mount_raw(b, "")
            if why is not None:
                ck.add((*path, "binds", j), f"{why}; expected '/host/path:/container/path[:ro]' "
                       "or 'volume-name:/container/path'")
        if c.error and c.state in ("running", "paused", "restarting"):
            ck.add((*path, "error"), f"a {c.state} container's State.Error is empty (SetRunning "
                   "clears it); give it `state: exited` or `created`, or drop error")
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
        if e.status in (204, 304, 0) and e.message:
            ck.add((*path, "expect", "message"), f"a {e.status or 'closed connection'} "
                   "response has no body, so no message; drop it or expect an error status")
        if r.path:  # the router finds what it names, when the request is recorded
            continue
        found = _resolve(r.container, live)
        target = found[0] if len(found) == 1 else None
        is_alias = r.container.lstrip("/") in aliases
        if r.container == "":
            ck.add((*path, "container"), "is empty; the router never passes an empty name to "
                   "GetContainer (/containers//start is not clean: it answers 301); expected a "
                   "name or an ID, or write that request as `path: /containers//start`")
        elif strict and not found and not is_alias and (e.status is None or e.status < 400):
            gone = r.container.lstrip("/") in removed
            ck.add((*path, "container"), (
                f"{r.container!r} was removed" if gone else _ref_problem(r.container, live))
                + "; if the request is meant to fail, say so: `expect: {status: 404}`")
        if (r.action == "start" and e.status == 204 and e.state is not None
                and e.state.status not in (None, "running")):
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
            # only a start, in a scenario with nothing after the 204 (no process that ends,
            # no stop or kill), cannot change these
            static = all(x.action == "start" for x in requests) and not any(
                c.process.exit_after_ms >= 0 for c in containers)
            if static and e.state is not None and e.state.status in (
                    "paused", "restarting", "removing", "dead") and e.state.status not in before:
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
    # dockerd's defaults are DaemonSpec's: a key the scenario leaves out keeps its default
    given: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                             for k, v in top.get("daemon", {}).items()}
    daemon = DaemonSpec()._replace(**given)
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
                       f"{', '.join(FILE_KINDS)}{suggest(kind, list(FILE_KINDS))}")
        files = dict(im.get("files", {}))
        for key in ("passwd", "group"):
            if key in im:  # the lines given are the file's: it exists
                files.setdefault(f"/etc/{key}", "file")
                if files[f"/etc/{key}"] != "file":
                    ck.add(("images", i, key), f"the image's files say /etc/{key} is a "
                           f"{files[f'/etc/{key}']}, so it has no lines; drop one of them")
        images.append(ImageSpec(im["name"], tuple(sorted(files.items())),
                                im.get("path_env", ImageSpec("", ()).path_env),
                                tuple(im["passwd"]) if "passwd" in im else None,
                                tuple(im["group"]) if "group" in im else None,
                                im.get("user", "")))
    volumes = []
    seen_volumes: set[str] = set()
    for i, v in enumerate(top.get("volumes", [])):
        if v["name"] in seen_volumes:
            ck.add(("volumes", i, "name"), f"duplicate volume name {v['name']!r}")
        seen_volumes.add(v["name"])
        volumes.append((v["name"], tuple(sorted(v.get("labels", {}).items()))))
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
    _check_world(ck, top, all_containers, removed, networks, gone_networks, strict, images)
    requests = [_request(ck, r, i) for i, r in enumerate(top["requests"])]
    for i, r in enumerate(requests):
        if r.races and (i == 0 or requests[i - 1].races):
            ck.add(("requests", i, "races"), "races the request before it, so it "
                   "needs one that does not race itself" if i else "the first request has "
                   "no previous request to race")
        elif r.races and (r.action != "start" or requests[i - 1].action != "start"):
            ck.add(("requests", i, "races"), "only a start can race a start (the race is "
                   "for the container lock containerStart takes)")
        elif r.races and r.after_ms:
            ck.add(("requests", i, "after"), "a racing request is sent while the previous "
                   "one runs: it cannot also wait")
    _check_requests(ck, requests, all_containers, removed, strict)
    faults = []
    for i, f in enumerate(top.get("faults", [])):
        if "request" in f and not 0 <= f["request"] < len(requests):
            ck.add(("faults", i, "request"), f"there are {len(requests)} requests (0 to "
                   f"{len(requests) - 1})")
        faults.append(FaultSpec(f["site"], f.get("error") or SITES[f["site"]].errors[0],
                                f.get("request")))
    host_paths = []
    for p, kind in top.get("host", {}).get("paths", {}).items():
        if not p.startswith("/") or kind not in HOST_PATH_KINDS:
            ck.add(("host", "paths", p), "expected an absolute path mapped to one of: "
                   f"{', '.join(HOST_PATH_KINDS)}{suggest(kind, list(HOST_PATH_KINDS))}")
        host_paths.append((go_clean(p), kind))
    stale = []
    bridges = {"bridge"} | {n.name for n in networks}
    for i, x in enumerate(top.get("host", {}).get("stale_endpoints", [])):
        net = x.get("network", "bridge")
        if net not in bridges:
            ck.add(("host", "stale_endpoints", i, "network"), f"no bridge network {net!r}"
                   f"{suggest(net, sorted(bridges))}; expected bridge or a declared network")
        stale.append((x["name"], net))
    questions = [_question(ck, q, i, len(requests))
                 for i, q in enumerate(top.get("questions", []))]
    translations = _translations(ck, top)
    if ck.problems:
        return None, _ordered(ck.problems)
    return Scenario(
        file=doc.file, title=top["title"], description=top.get("description", ""),
        objectives=tuple(top.get("objectives", [])), seed=seed, daemon=daemon,
        listening=tuple(listening), images=tuple(images), networks=tuple(networks),
        containers=tuple(c for c in all_containers if c.name not in removed),
        requests=tuple(requests), faults=tuple(faults), stale_endpoints=tuple(stale),
        until_ms=parse_duration_ms(top["until"]) or 0 if "until" in top else 3_600_000,
        expect_end=_end(ck, top["expect"], all_containers) if "expect" in top else None,
        host_paths=tuple(host_paths), volumes=tuple(volumes),
        topic=top.get("topic", ""), lesson=top.get("lesson"), questions=tuple(questions),
        translations=translations,
    ), []


def _translations(ck: Checker, top: dict[str, Any]) -> tuple[tuple[str, ScenarioText], ...]:
    """Each language's text; its objectives must match the English ones one for one."""
    out = []
    english = top.get("objectives", [])
    for lang, t in top.get("translations", {}).items():
        own = t.get("objectives")
        if own is not None and len(own) != len(english):
            ck.add(("translations", lang, "objectives"), f"has {len(own)} objective"
                   f"{'s' if len(own) != 1 else ''} where the English `objectives` has "
                   f"{len(english)}; translate each one, in the same order")
        out.append((lang, ScenarioText(t.get("title", ""), t.get("description", ""),
                                       tuple(own or ()))))
    return tuple(out)


def _end(ck: Checker, e: dict[str, Any], containers: list[ContainerSpec]) -> EndExpect:
    names = [c.name for c in containers]
    out = []
    for name, want in e.get("containers", {}).items():
        if name not in names:
            ck.add(("expect", "containers", str(name)), f"no container {name!r} in this "
                   f"scenario{suggest(str(name), names)}")
            continue
        out.append(ContainerExpect(str(name), want.get("status"), want.get("exit_code"),
                                   want.get("error"), want.get("restart_count"),
                                   want.get("removed")))
    for i, ev in enumerate(e.get("events", [])):
        head = " ".join(str(ev).split()[:2])
        if head not in EVENTS:
            ck.add(("expect", "events", i), f"{head!r} is not an event the daemon sends here"
                   f"{suggest(head, list(EVENTS))}; expected one of: {', '.join(EVENTS)}")
    return EndExpect(tuple(out), tuple(e["events"]) if "events" in e else None)


def _ordered(problems: list[ScenarioError]) -> list[ScenarioError]:
    """Without repeats, in the order found (unknown keys before what is missing)."""
    seen: dict[str, ScenarioError] = {}
    for p in problems:
        seen.setdefault(str(p), p)
    return list(seen.values())

