"""Every key a scenario file accepts, declared once: **add a scenario key here**.

``SCHEMA`` is the top level; each ``F`` says a key's type, whether it is required, its allowed
values and what it means (the ``doc`` becomes the key's description in the JSON Schema for
editors, ``simstart schema``). The loader (``checks``) reads the checked values into the
frozen ``model`` objects: a new key needs its line here, its field in ``model``, and the line
in ``checks`` that reads it. After a change, regenerate the committed JSON Schema:
``simstart schema > simstart/scenario/scenario.schema.json`` (a test compares them).
"""

from __future__ import annotations

import re

from .faults import SITES
from .schemalang import F

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
# The topics of the shipped library, in the order a lesson walks them (their titles, in
# English and Chinese, are the TUI's words: simstart/tui/strings.json, ``topic.<id>``).
TOPICS = ("whole-path", "refused", "http-layer", "legacy-hostconfig", "network-fails",
          "runtime-fails", "state", "oddities")
# What a question can ask: its answer is read off the recorded trace, never written down.
QUESTION_KINDS = ("status", "next_phase", "released", "defer", "event")
STAGE_RE = r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$"


def _texts(doc: str) -> F:
    """A text in English (required) and Chinese."""
    return F("object", fields={"en": F("string", required=True), "zh": F("string")}, doc=doc)


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
    "topic": F("string", enum=TOPICS, doc="what part of a lesson it belongs to: the TUI's "
               "scenario picker groups the shipped scenarios by topic, in this order"),
    "lesson": F("integer", minimum=1, doc="its place within its topic (1 first); scenarios "
                "without one come after, by name"),
    "daemon": F("object", fields={
        "experimental": F("boolean", doc="dockerd --experimental (checkpoints)"),
        "bridge_none": F("boolean", doc="dockerd --bridge=none"),
        "userland_proxy": F("boolean", doc="dockerd --userland-proxy (default true)"),
        "hostname": F("string", doc="the host's name (host networking takes it)"),
        "apparmor": F("boolean", doc="AppArmor is enabled on the host (default true)"),
        "runtimes": F("array", items="string", doc="configured runtimes (default [runc])"),
        "log_drivers": F("array", items="string", doc="registered log drivers (default: the "
                          "nine compiled into dockerd on linux: awslogs, fluentd, gcplogs, "
                          "gelf, journald, json-file, logentries, splunk, syslog)"),
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
    "questions": F("array", items={
        "at": F("string", required=True, pattern=STAGE_RE,
                expected="a stage id like network.port_taken (simstart run shows them)",
                doc="the stage id the question is asked at: the first step of that stage "
                "(in request `request` if given); the learner predicts what comes after it"),
        "ask": F("string", required=True, enum=QUESTION_KINDS,
                 doc="status: the HTTP status the request gets; next_phase: the phase the "
                 "start path enters next; released: the resource the next release frees; "
                 "defer: the function whose deferred cleanup runs next; event: the next "
                 "docker event (or none). The answer and the choices come from the trace"),
        "request": F("integer", minimum=0, doc="the request (0-based, as for faults) whose "
                     "step it is asked at (default: the first that reaches the stage)"),
        "prompt": _texts("the question as the learner reads it (default: the kind's own)"),
        "explain": _texts("why the answer is what it is, shown once the learner has answered"),
    }, doc="questions asked at steps of the trace (simstart tui --quiz; simstart export)"),
}
