"""Frozen scenario objects: what a YAML scenario says, checked and typed.

They are named tuples, not frozen dataclasses: as immutable, and about seven times cheaper to
define, which counts on the start-up path of every ``simstart run``.
"""

from __future__ import annotations

from typing import NamedTuple


class ImageSpec(NamedTuple):
    """An image and what its root filesystem holds (``path`` → exec | file | dir)."""

    name: str
    files: tuple[tuple[str, str], ...]
    path_env: str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    passwd: tuple[str, ...] | None = None  # the lines of /etc/passwd (None: the default)
    group: tuple[str, ...] | None = None  # the lines of /etc/group (None: the default)
    user: str = ""  # USER


class NetworkSpec(NamedTuple):
    """A user-defined bridge network."""

    name: str
    subnet: str
    gateway: str
    internal: bool = False


class PortSpec(NamedTuple):
    """``-p [ip:]hostPort:containerPort[/proto]``."""

    host_ip: str
    host_port: str
    container_port: str
    proto: str


class ProcessSpec(NamedTuple):
    """What a container's command does once it runs."""

    exit_after_ms: int = -1
    exit_code: int = 0
    stdout: tuple[str, ...] = ()
    stderr: tuple[str, ...] = ()
    signals: tuple[tuple[int, int], ...] = ((15, 143), (2, 130))


class ContainerSpec(NamedTuple):
    """A container as ``docker create`` left it, and the state it is in."""

    name: str
    id: str
    image: str
    cmd: tuple[str, ...]
    hostname: str
    state: str
    exit_code: int
    network_mode: str
    ports: tuple[PortSpec, ...]
    auto_remove: bool
    binds: tuple[str, ...]
    restart_policy: str
    log_driver: str
    links: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    runtime: str
    privileged: bool
    ipc_mode: str = ""
    memory: int = 0
    nano_cpus: int = 0
    cpu_period: int = 0
    cpu_quota: int = 0
    user: str = ""  # Config.User
    working_dir: str = ""  # Config.WorkingDir
    env: tuple[str, ...] = ()  # Config.Env as docker create was given it (the image's added)
    tty: bool = False
    open_stdin: bool = False
    network_disabled: bool = False
    init: bool | None = None  # HostConfig.Init (unset: the daemon's --init)
    pid_mode: str = ""
    devices: tuple[str, ...] = ()  # "PathOnHost:PathInContainer:CgroupPermissions"
    cpuset_cpus: str = ""
    cpuset_mems: str = ""
    restart_max_retries: int = 0
    dns: tuple[str, ...] = ()
    dns_search: tuple[str, ...] = ()
    dns_options: tuple[str, ...] = ()
    log_opts: tuple[tuple[str, str], ...] = ()
    error: str = ""  # State.Error
    restart_count: int = 0
    mount_id: str = ""  # the RW layer's mount ID (empty: derived)
    mounts: tuple[str, ...] = ()  # --mount, as written (the loader checked it parses)
    process: ProcessSpec = ProcessSpec()
    stop_signal: str = ""
    stop_timeout: int | None = None


class StateExpect(NamedTuple):
    """What the container's State should be after the request."""

    status: str | None = None
    exit_code: int | None = None
    error: str | None = None


class Expect(NamedTuple):
    """What one request should produce."""

    status: int | None = None
    message: str | None = None
    message_pattern: str | None = None  # a regular expression the whole message matches
    state: StateExpect | None = None
    events: tuple[str, ...] | None = None
    resources: tuple[tuple[str, int], ...] | None = None
    removed: bool | None = None
    location: str | None = None  # a 301's Location header


class RequestSpec(NamedTuple):
    """One request: ``POST /containers/{name}/<action>``, or ``method`` and a raw ``path``
    (the request-URI, query included), which the router resolves."""

    container: str
    api_version: str
    checkpoint: str
    checkpoint_dir: str
    body: str | None
    content_type: str
    chunked: bool
    query: tuple[tuple[str, str], ...]
    expect: Expect
    action: str = "start"  # start | stop | kill | wait
    after_ms: int = 0  # sent this long after the previous response (simulated time)
    races: str = ""  # "checks" or "lock": sent while the previous request is still starting
    method: str = "POST"
    path: str = ""  # the request-URI as sent, when the scenario gives it; "" builds it


class ContainerExpect(NamedTuple):
    """What one container's State should be at the end."""

    name: str
    status: str | None = None
    exit_code: int | None = None
    error: str | None = None
    restart_count: int | None = None
    removed: bool | None = None


class EndExpect(NamedTuple):
    """What holds once every process that ends by itself has ended."""

    containers: tuple[ContainerExpect, ...] = ()
    events: tuple[str, ...] | None = None  # the whole stream: "type action [key=value …]"


class FaultSpec(NamedTuple):
    """Make ``site`` fail with ``error`` (during every request, or only request ``request``)."""

    site: str
    error: str
    request: int | None = None


class QuestionSpec(NamedTuple):
    """A question asked at the first step of stage ``at``: what kind of value the learner
    predicts (its answer is read off the trace), and the texts by language."""

    at: str
    ask: str  # one of schema.QUESTION_KINDS
    request: int | None = None
    prompt: tuple[tuple[str, str], ...] = ()  # (lang, text)
    explain: tuple[tuple[str, str], ...] = ()
    place: int = 0  # its index among the file's questions
    where: tuple[int, int] = (1, 1)  # line and column of its ``at``, for located errors


class DaemonSpec(NamedTuple):
    """The dockerd options the scenario sets; the defaults are dockerd's, defined here only."""

    experimental: bool = False
    bridge_none: bool = False
    userland_proxy: bool = True
    hostname: str = "docker-host"
    apparmor: bool = True
    runtimes: tuple[str, ...] = ("runc",)
    # The log drivers compiled into dockerd on linux (daemon/logdrivers_linux.go, v17.05.0-ce):
    # each registers itself with the logger factory. "none" is not one of them: startLogging
    # returns before asking the factory (container/container.go:891).
    log_drivers: tuple[str, ...] = ("awslogs", "fluentd", "gcplogs", "gelf", "journald",
                                    "json-file", "logentries", "splunk", "syslog")
    cpus: int = 2
    mems: str = "0"
    init: bool = False
    init_path: str = ""


class ListenerSpec(NamedTuple):
    """A process that is not docker's, already listening on a host port."""

    ip: str
    port: int
    proto: str
    process: str


class ScenarioText(NamedTuple):
    """A scenario's own words in one language: what its card, the picker and handouts show."""

    title: str
    description: str
    objectives: tuple[str, ...]


class Scenario(NamedTuple):
    """A whole scenario: the world before, the requests, the faults and the expectations."""

    file: str
    title: str
    description: str
    objectives: tuple[str, ...]
    seed: str
    daemon: DaemonSpec
    listening: tuple[ListenerSpec, ...]
    images: tuple[ImageSpec, ...]
    networks: tuple[NetworkSpec, ...]
    containers: tuple[ContainerSpec, ...]
    requests: tuple[RequestSpec, ...]
    faults: tuple[FaultSpec, ...] = ()
    stale_endpoints: tuple[tuple[str, str], ...] = ()  # (name, network) left in the store
    volumes: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (name, labels)
    host_paths: tuple[tuple[str, str], ...] = ()  # (path, dir | file | exec | char | block |
    #                                                absent) on the host
    until_ms: int = 3_600_000  # how long the simulation goes on after the last response
    expect_end: EndExpect | None = None
    topic: str = ""  # one of schema.TOPICS ("" for none)
    lesson: int | None = None  # its place within the topic
    questions: tuple[QuestionSpec, ...] = ()
    # (lang, its text): only the parts the file translates; the rest is empty (English shown)
    translations: tuple[tuple[str, ScenarioText], ...] = ()

    def text(self, lang: str = "en") -> ScenarioText:
        """Its title, description and objectives in ``lang``: each part the file translates,
        English for the others (and for every part of a scenario without translations)."""
        own = dict(self.translations).get(lang)
        if own is None:
            return ScenarioText(self.title, self.description, self.objectives)
        return ScenarioText(own.title or self.title, own.description or self.description,
                            own.objectives or self.objectives)
