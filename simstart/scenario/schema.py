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

# The images every scenario can use (engine.build says what their root filesystems hold).
BUILTIN_IMAGES = ("busybox", "alpine", "nginx", "redis", "postgres")
STATES = ("created", "running", "exited", "paused", "restarting", "removing", "dead", "removed")
EXPECT_STATUSES = ("created", "running", "exited", "paused", "restarting", "removing", "dead",
                   "removed")
FILE_KINDS = ("exec", "file", "dir")
HOST_PATH_KINDS = ("dir", "file", "exec", "char", "block", "absent")
RESOURCE_KINDS = ("mounts", "veths", "endpoints", "sandboxes", "proxies", "ports", "iptables",
                  "netns", "netns_garbage", "processes", "containerd")
# The docker events the start path can emit (a test checks this against simstart/moby).
EVENTS = ("container start", "container die", "container kill", "container stop",
          "container destroy", "network connect", "network disconnect", "volume mount",
          "volume unmount")
ACTIONS = ("start", "stop", "kill", "wait")
DURATION_RE = r"^(?:[0-9]+(?:ms|h|m|s))+$"
DURATION = "a duration like 2s, 1m30s or 250ms"
# The HTTP statuses a start can end with: 204, 304, the typed errors and the keyword table of
# api/server/httputils/errors.go; 0 when the connection closes with no response (a panic).
HTTP_STATUSES = (0, 200, 204, 301, 304, 400, 401, 403, 404, 406, 409, 500, 503)
HEX64 = re.compile(r"^[0-9a-f]{64}$")
CPUSET_RE = r"^[0-9]+(?:-[0-9]+)?(?:,[0-9]+(?:-[0-9]+)?)*$"
NAME_RE = r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$"
PORT_RE = r"^(?:[^:/]*:)?(?:[^:/]*:)?[^:/]+(?:/(?:tcp|udp))?$"
# The topics of the shipped library, in the order a lesson walks them (their titles, in
# English and Chinese, are the TUI's words: simstart/tui/strings.json, ``topic.<id>``).
TOPICS = ("whole-path", "refused", "http-layer", "legacy-hostconfig", "create-settings",
          "network-fails", "runtime-fails", "state", "after-the-204", "ending-a-run",
          "oddities")
# What a question can ask: its answer is read off the recorded trace, never written down.
QUESTION_KINDS = ("status", "next_phase", "released", "defer", "event")
STAGE_RE = r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$"


def _texts(doc: str) -> F:
    """A text in English (required) and Chinese."""
    return F("object", fields={"en": F("string", required=True), "zh": F("string")}, doc=doc)


# The languages a scenario's own text can be translated into (English is the text itself).
TRANSLATIONS = {"zh": "the Chinese: title, description and objectives, as in English"}
SCENARIO_TEXT: dict[str, F] = {
    "title": F("string", doc="the title, one line"),
    "description": F("string", doc="the description, a paragraph"),
    "objectives": F("array", items="string", doc="the objectives, as many as in English and "
                    "in the same order"),
}


EXPECT_FIELDS: dict[str, F] = {
    "status": F("integer", enum=HTTP_STATUSES,
                doc="HTTP status the client gets (204, 304, 400, 404, 409, 500, …; 0 when the "
                "connection closes with no response)"),
    "message": F("string", doc="the error message exactly (without the trailing newline)"),
    "location": F("string", doc="the Location header of a 301 (the router's redirect of a "
                  "path that is not clean)"),
    "message_pattern": F("string", doc="a regular expression the whole error message matches "
                         "(for a message that names a generated ID)"),
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

END_FIELDS: dict[str, F] = {
    "containers": F("object", values={
        "status": F("string", enum=EXPECT_STATUSES),
        "exit_code": F("integer", minimum=0, maximum=255),
        "error": F("string"),
        "restart_count": F("integer", minimum=0),
        "removed": F("boolean"),
    }, doc="container name → what its State is at the end"),
    "events": F("array", items=F("string", pattern=r"^[a-z]+ [a-z_]+(?: [^ =]+=[^ ]*)*$",
                                 expected="'type action [key=value …]'"),
                doc="every docker event, in order: 'type action' and any attributes that must "
                "match, like 'container die exitCode=1'"),
}

SCHEMA: dict[str, F] = {
    "title": F("string", required=True, doc="one line, shown in lists"),
    "description": F("string", doc="what the scenario teaches, a paragraph"),
    "objectives": F("array", items="string", doc="learning objectives"),
    "translations": F("object", fields={lang: F("object", fields=SCENARIO_TEXT, doc=name)
                                        for lang, name in TRANSLATIONS.items()},
                      doc="the scenario's own text in other languages, keyed by language: "
                      "what simstart shows with --lang (the TUI's card and picker, simstart "
                      "run, handouts); a text left out is shown in English"),
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
        "init": F("boolean", doc="dockerd --init: containers that leave init unset get "
                  "docker-init as their PID 1"),
        "init_path": F("string", pattern=r"^/", expected="an absolute path like "
                       "/usr/local/bin/tini", doc="dockerd --init-path: the init binary, "
                       "instead of looking docker-init up in dockerd's PATH"),
    }, doc="the dockerd options and the host it runs on"),
    "host": F("object", fields={
        "listening": F("array", items={
            "port": F("integer", required=True, minimum=1, maximum=65535),
            "ip": F("string", doc="default 0.0.0.0"),
            "proto": F("string", enum=("tcp", "udp")),
            "process": F("string", doc="its name, for the narration"),
        }, doc="processes that are not docker's, already bound to host ports"),
        "paths": F("object", values="string", doc="absolute path → dir | file | exec | "
                   "char | block | absent: what exists on the host (bind sources, --device "
                   "nodes, docker-init in dockerd's PATH /usr/local/sbin:…:/bin); absent "
                   "removes a path the host has by default (/usr/bin/docker-init, /dev/shm, "
                   "/dev/null, /dev/zero, /dev/random, /dev/urandom, /dev/tty, /dev/fuse, "
                   "/dev/sda)"),
        "stale_endpoints": F("array", items={
            "name": F("string", required=True, doc="the endpoint's name (a container's name)"),
            "network": F("string", doc="default bridge"),
        }, doc="endpoints an unclean daemon shutdown left in libnetwork's store"),
    }, doc="the host outside docker"),
    "images": F("array", items={
        "name": F("string", required=True),
        "files": F("object", values="string", doc="absolute path → exec | file | dir"),
        "path_env": F("string", doc="the image's PATH"),
        "user": F("string", doc="its USER: a container created without --user gets it"),
        "passwd": F("array", items="string", doc="the lines of its /etc/passwd, "
                    "name:password:uid:gid:gecos:home:shell; default: root only, if `files` "
                    "has /etc/passwd (a built-in image has it); no file is read as empty"),
        "group": F("array", items="string", doc="the lines of its /etc/group, "
                   "name:password:gid:user,user; default: root only, if `files` has "
                   "/etc/group (a built-in image has it)"),
    }, doc="images beyond the built-in busybox, alpine, nginx, redis, postgres"),
    "volumes": F("array", items={
        "name": F("string", required=True, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$",
                  expected="a volume name like data ([a-zA-Z0-9][a-zA-Z0-9_.-]+)"),
        "labels": F("object", values="string"),
    }, doc="volumes of the local driver that exist already (docker volume create)"),
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
        "image": F("string", doc="default busybox; a built-in image (busybox, alpine, nginx, "
                   "redis, postgres) or one declared under images, with any tag"),
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
        "user": F("string", doc="--user: name, uid, name:group or uid:gid; looked up in the "
                  "image's /etc/passwd and /etc/group when the spec is made"),
        "working_dir": F("string", pattern=r"^/", expected="an absolute path like /app (docker "
                         "create refuses a relative one)", doc="--workdir: created in the "
                         "root filesystem at start; the process starts there"),
        "env": F("array", items="string", doc="--env 'NAME=value', in order; the image's "
                 "variables (its PATH) are added after them unless named here"),
        "tty": F("boolean", doc="--tty: a terminal, TERM=xterm, and stdin stays open"),
        "open_stdin": F("boolean", doc="--interactive: stdin stays open"),
        "network_disabled": F("boolean", doc="Config.NetworkDisabled: no network at all"),
        "init": F("boolean", doc="--init (true) or --init=false; unset, the daemon's --init "
                  "decides"),
        "pid_mode": F("string", doc="--pid: '', host, or container:<name>"),
        "cpuset_cpus": F("string", pattern=CPUSET_RE, expected="a list like 0-1,3",
                         doc="--cpuset-cpus; re-checked against the host's CPUs at every start"),
        "cpuset_mems": F("string", pattern=CPUSET_RE, expected="a list like 0",
                         doc="--cpuset-mems; re-checked against the host's memory nodes"),
        "restart_max_retries": F("integer", minimum=0, doc="--restart on-failure:N: "
                                 "RestartPolicy.MaximumRetryCount"),
        "dns": F("array", items="string", doc="--dns: the nameservers of its resolv.conf"),
        "dns_search": F("array", items="string", doc="--dns-search: its search domains ('.' "
                        "for none)"),
        "dns_options": F("array", items="string", doc="--dns-opt: its resolv.conf options"),
        "log_opts": F("object", values="string", doc="--log-opt key=value; json-file's "
                      "max-size and max-file are parsed only when logging starts"),
        "error": F("string", doc="State.Error left by an earlier failed start"),
        "restart_count": F("integer", minimum=0, doc="RestartCount before the first request"),
        "mount_id": F("string", pattern=HEX64.pattern, expected="64 lower-case hex digits",
                      doc="the layer store's mount ID of its RW layer (default: derived from "
                      "the name)"),
        "mounts": F("array", items="string", doc="--mount "
                    "'type=bind|volume|tmpfs,source=…,target=…[,readonly][,…]' as the docker "
                    "CLI reads it"),
        "devices": F("array", items="string", doc="--device "
                     "'/dev/host[:/dev/in-container][:rwm]'; the host path must be a device "
                     "node (or a directory of them) when the spec is made"),
        "stop_signal": F("string", doc="Config.StopSignal (default SIGTERM)"),
        "stop_timeout": F("integer", doc="Config.StopTimeout in seconds (default 10)"),
        "process": F("object", fields={
            "exits_after": F("string", pattern=DURATION_RE, expected=DURATION,
                             doc="it ends by itself this long after it starts (default: it "
                             "runs until a signal ends it)"),
            "exit_code": F("integer", minimum=0, maximum=255, doc="the status it then exits "
                           "with (default 0)"),
            "stdout": F("array", items="string", doc="lines it writes to stdout first"),
            "stderr": F("array", items="string", doc="lines it writes to stderr first"),
            "signals": F("object", values=F("integer", minimum=0, maximum=255),
                         doc="the signals it handles → the status it exits with (default "
                         "SIGTERM: 143, SIGINT: 130); as PID 1 it ignores any other but "
                         "SIGKILL"),
        }, doc="what the command does once it runs (simstart runs no real program)"),
    }, doc="the containers that exist before the first request"),
    "requests": F("array", required=True, min_items=1, items={
        "container": F("string", doc="name, full ID or ID prefix (or give `path`)"),
        "method": F("string", pattern=r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
                    expected="an HTTP method like POST or GET",
                    doc="the HTTP method (default POST); the router matches it exactly"),
        "path": F("string", pattern=r"^/[^\s#]*$",
                  expected="a request-URI like /v1.24/containers/web/start?t=5",
                  doc="the request-URI as the client sends it, escaped, query included, instead "
                  "of container, action and api_version: the router reads it, so an unclean "
                  "path is redirected (301) and one no route takes is 404 page not found"),
        "api_version": F("string", doc="the /vX.YY/ URL prefix; empty for none (write it in "
                         "quotes: '1.24')"),
        "checkpoint": F("string"),
        "checkpoint_dir": F("string"),
        "body": F("string|object", doc="request body; a mapping is sent as JSON"),
        "content_type": F("string"),
        "chunked": F("boolean"),
        "query": F("object", values="string"),
        "action": F("string", enum=ACTIONS, doc="POST /containers/{name}/<action> (default "
                    "start)"),
        "after": F("string", pattern=DURATION_RE, expected=DURATION,
                   doc="sent this long after the previous response (simulated time; default "
                   "at once)"),
        "races": F("string", enum=("checks", "lock"), doc="sent while the previous start is "
                   "still running: 'checks', both have passed ContainerStart's checks before "
                   "either takes the container lock; 'lock', the previous one holds the lock"),
        "expect": F("object", fields=EXPECT_FIELDS, doc="what this request should produce"),
    }, doc="POST /containers/{name}/start (or stop, kill, wait) requests, in order"),
    "until": F("string", pattern=DURATION_RE, expected=DURATION,
               doc="how long the simulation goes on after the last response at most (default "
               "1h): every process that ends by itself has ended by then, or a restart loop "
               "is cut off"),
    "expect": F("object", fields=END_FIELDS, doc="what holds at the end"),
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
