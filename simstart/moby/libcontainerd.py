"""``libcontainerd``: dockerd's client of containerd (client_unix.go, container_unix.go).

The log driver starts *before* the CreateContainer RPC, and ``StateChanged(StateStart)`` is
called synchronously right after the RPC returns — that, not containerd's own event, is what
sets the container Running.
"""

from __future__ import annotations

import re
from typing import Any

from ..world.containerd import ContainerdEvent
from ..world.containers import Container
from . import containerd, gosync, monitor
from .context import Daemon, Steps, go
from .errors import GoError, errorf, go_quote
from .gostd import atoi
from .monitor import StateInfo

BUNDLES = "/var/run/docker/libcontainerd"


@go("libcontainerd.(*client).Create", "libcontainerd/client_unix.go", 45, 88)
def create(d: Daemon, c: Container, checkpoint: str, checkpoint_dir: str,
                  spec: dict[str, Any], options: dict[str, Any]) -> Steps:
    """Under the client's lock for this container: prepare the bundle, write config.json,
    then ``container.start``."""
    lc = d.world.containerd.libcontainerd
    yield from client_lock(d, c.id, "client.Create")
    yield d.emit("runtime.create", 46)
    try:  # defer clnt.unlock(containerID)
        if c.id in lc:
            yield d.emit("runtime.already_active", 50)
            return errorf("Container %s is already active", c.id)
        bundle = f"{BUNDLES}/{c.id}"
        lc[c.id] = bundle
        d.world.files[f"{bundle}/config.json"] = _render_spec(spec)
        yield d.emit("runtime.bundle", 78, bundle=bundle)
        err: GoError | None = None
        try:
            err = yield from start(d, c, checkpoint, checkpoint_dir, bundle, options)
            return err
        finally:
            if err is not None:
                del lc[c.id]
                _clean(d, bundle)
                yield d.emit("runtime.create_cleanup", 67)
    finally:
        gosync.unlock(d, _client_key(c.id))


def _client_key(cid: str) -> str:
    return f"libcontainerd/{cid}"


def client_lock(d: Daemon, cid: str, holder: str) -> gosync.Blocks:
    """``clnt.lock(containerID)``: libcontainerd's own lock for one container."""
    return (yield from gosync.lock(d, _client_key(cid), holder))


def _clean(d: Daemon, bundle: str) -> None:
    """``ctr.clean()``: remove the bundle directory."""
    for f in [p for p in d.world.files if p.startswith(bundle + "/")]:
        del d.world.files[f]


@go("libcontainerd.(*client).Signal", "libcontainerd/client_unix.go", 90, 99)
def signal(d: Daemon, cid: str, sig: int) -> Steps:
    """The Signal RPC for the container's init process, under the client's lock."""
    yield from client_lock(d, cid, "client.Signal")
    try:
        yield d.emit("kill.signal_rpc", 93, signal=sig)
        return (yield from containerd.signal(d, cid, sig))
    finally:
        gosync.unlock(d, _client_key(cid))


@go("libcontainerd.(*remote).handleEventStream", "libcontainerd/remote_unix.go", 291, 334)
def handle_event_stream(d: Daemon) -> Steps:
    """Read containerd's events one by one; each goes to the container it names."""
    cd = d.world.containerd
    while cd.events:
        ev: ContainerdEvent = cd.events.pop(0)
        d.logf("debug", f"libcontainerd: received containerd event: type:{ev.type!r} "
               f"id:{ev.id!r}")
        if ev.id not in cd.libcontainerd:
            d.logf("warning", f"libcontainerd: unknown container {ev.id}")
            yield d.emit("events.unknown", 318, type=ev.type, id=ev.id[:12])
            continue
        yield d.emit("events.received", 305, type=ev.type, id=ev.id[:12])
        yield from handle_event(d, ev)
    cd.reading_events = False
    return None


@go("libcontainerd.(*container).handleEvent", "libcontainerd/container_unix.go", 188, 234)
def handle_event(d: Daemon, ev: ContainerdEvent) -> Steps:
    """Under the client's lock: an exit forgets the container and queues StateChanged; an
    event it has no case for (start-container) is only logged."""
    holder = d.world.locks.get(_client_key(ev.id))
    if holder is not None:
        yield d.emit("events.lock_wait", 189, holder=holder, type=ev.type)
    yield from client_lock(d, ev.id, "handleEvent")
    try:
        if ev.type == "exit" and ev.pid == "init":
            lc = d.world.containerd.libcontainerd
            bundle = lc.pop(ev.id, None)
            if bundle is not None:
                _clean(d, bundle)
            yield d.emit("events.exit", 211, id=ev.id[:12], status=ev.status)
            d.go("libcontainerd: queue", _queued, ev.id, StateInfo("exit", 0, ev.status))
            yield d.emit("events.queued", 216)
            return None
        d.logf("debug", f"libcontainerd: event unhandled: type:\"{ev.type}\" id:\"{ev.id}\"")
        yield d.emit("runtime.event_dropped", 231, type=ev.type)
        return None
    finally:
        gosync.unlock(d, _client_key(ev.id))


@go("libcontainerd.(*queue).append.func1", "libcontainerd/queue_unix.go", 24, 30)
def _queued(d: Daemon, cid: str, st: StateInfo) -> Steps:
    """One container's state changes run one after the other, each in its own goroutine."""
    key = f"libcontainerd-queue/{cid}"
    yield from gosync.lock(d, key, "queue")
    try:
        c = d.world.containers.by_id.get(cid)
        if c is None:
            err: GoError | None = errorf("no such container: %s", cid)
        else:
            err = yield from monitor.state_changed(d, c, st)
        if err is not None:
            d.logf("error", f"libcontainerd: backend.StateChanged(): {err.msg}")
            yield d.emit("events.state_changed_failed", 28, msg=err.msg)
    finally:
        gosync.unlock(d, key)
    return None


def _render_spec(spec: dict[str, Any]) -> str:
    ns = spec["namespaces"]["network"] or "(new)"
    hooks = "; ".join(spec["hooks"]) or "none"
    proc = spec["process"]
    # what differs from the defaults only: the working directory, a user other than root, a
    # PID namespace that is not a new one, devices
    extra = f" cwd={proc['cwd']}" if proc["cwd"] != "/" else ""
    pid = spec["namespaces"].get("pid", "host")
    extra += f" pidns={pid}" if pid else ""
    extra += f" devices={','.join(spec['devices'])}" if spec.get("devices") else ""
    user = proc["user"]
    if user["uid"] or user["gid"] or user["additionalGids"]:
        extra += f" user={user['uid']}:{user['gid']}" + "".join(
            f",{g}" for g in user["additionalGids"])
    return (f"args={proc['args']} root={spec['root']['path']} "
            f"netns={ns} prestart={hooks} mounts={len(spec['mounts'])}{extra}")


@go("libcontainerd.(*container).start", "libcontainerd/container_unix.go", 93, 175)
def start(d: Daemon, c: Container, checkpoint: str, checkpoint_dir: str,
                    bundle: str, options: dict[str, Any]) -> Steps:
    """FIFOs, the log driver, the CreateContainer RPC, then StateChanged(StateStart)."""
    for name in ("init-stdin", "init-stdout", "init-stderr"):
        d.world.files[f"{bundle}/{name}"] = "<fifo>"
    yield d.emit("runtime.fifos", 110)
    err = yield from initialize_stdio(d, c)
    if err is not None:
        return err
    pid, err = yield from containerd.create_container(
        d, c, bundle, checkpoint, checkpoint_dir, options)
    # the reply crosses containerd's socket: meanwhile containerd's own goroutines go on
    yield from gosync.sleep(d, 1)
    if err is not None:
        yield d.emit("runtime.rpc_failed", 163)
        return err
    yield d.emit("runtime.system_pid", 167, pid=pid)
    return (yield from monitor.state_changed(d, c, StateInfo("start", pid)))


@go("container.(*Container).InitializeStdio", "container/container.go", 934, 951)
def initialize_stdio(d: Daemon, c: Container) -> Steps:
    """attachStdio: start logging, then copy the fifos."""
    yield d.emit("runtime.attach_stdio", 935)
    err = yield from start_logging(d, c)
    if err is not None:
        return err
    if c.config.open_stdin or c.config.tty:  # otherwise the init's stdin is closed at once
        yield d.emit("runtime.stdin_open", 942, "tty" if c.config.tty else "open_stdin")
    return None


SIZE = re.compile(r"^([0-9]+(\.[0-9]+)*) ?([kKmMgGtTpP])?[bB]?$")  # go-units sizeRegex


def json_file_options(opts: dict[str, str]) -> str | None:
    """What ``jsonfilelog.New`` (daemon/logger/jsonfilelog/jsonfilelog.go L43–61) says of
    max-size (``units.FromHumanSize``) and max-file (``strconv.Atoi``, Go 1.7's error text),
    or None."""
    if "max-size" in opts:
        size = opts["max-size"]
        m = SIZE.match(size)
        if m is None:
            return f"invalid size: '{size}'"
        if m.group(2) is not None and m.group(1).count(".") > 1:
            return f"strconv.ParseFloat: parsing {go_quote(m.group(1))}: invalid syntax"
    if "max-file" in opts:
        n = atoi(opts["max-file"])
        if n is None or not -2**63 <= n < 2**63:
            why = "invalid syntax" if n is None else "value out of range"
            return f"strconv.ParseInt: parsing {go_quote(opts['max-file'])}: {why}"
        if n < 1:
            return "max-file cannot be less than 1"
    return None


@go("container.(*Container).startLogging", "container/container.go", 890, 911)
def start_logging(d: Daemon, c: Container) -> Steps:
    """``StartLogger``: the log driver starts before any process exists."""
    driver = c.host_config.log_driver or "json-file"
    if driver == "none":
        yield d.emit("runtime.logging", 891, "none")
        return None
    if driver not in d.world.options.log_drivers:
        yield d.emit("runtime.logging_failed", 897, "no_driver", driver=driver)
        return errorf("failed to initialize logging driver: failed to get logging factory: "
                      "logger: no log driver named '%s' is registered", driver)
    err = d.fault("logdriver.start")
    if err is not None:
        yield d.emit("runtime.logging_failed", 897, "start_failed", driver=driver, msg=err.msg)
        return errorf("failed to initialize logging driver: %s", err.msg)
    if driver == "json-file":
        msg = json_file_options(c.host_config.log_opts)
        if msg is not None:
            yield d.emit("runtime.logging_failed", 897, "bad_option", driver=driver, msg=msg)
            return errorf("failed to initialize logging driver: %s", msg)
        log = f"{c.croot()}/{c.id}-json.log"
        if log not in d.world.files:  # O_APPEND|O_CREATE: a restart keeps the earlier lines
            d.world.files[log] = ""  # (daemon/logger/loggerutils/rotatefilewriter.go L23)
    yield d.emit("runtime.logging", 903, "started", driver=driver)
    return None
