"""``libcontainerd``: dockerd's client of containerd (client_unix.go, container_unix.go).

The log driver starts *before* the CreateContainer RPC, and ``StateChanged(StateStart)`` is
called synchronously right after the RPC returns — that, not containerd's own event, is what
sets the container Running.
"""

from __future__ import annotations

import re
from typing import Any

from ..world.containers import Container
from . import containerd, monitor
from .context import Daemon, Steps, go
from .errors import GoError, errorf, go_quote
from .gostd import atoi

BUNDLES = "/var/run/docker/libcontainerd"


@go("libcontainerd.(*client).Create", "libcontainerd/client_unix.go", 45, 88)
def create(d: Daemon, c: Container, checkpoint: str, checkpoint_dir: str,
                  spec: dict[str, Any], options: dict[str, Any]) -> Steps:
    """Prepare the bundle, write config.json, then ``container.start``."""
    lc = d.world.containerd.libcontainerd
    yield d.emit("runtime.create", 46)
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
            for f in [p for p in d.world.files if p.startswith(bundle + "/")]:
                del d.world.files[f]
            yield d.emit("runtime.create_cleanup", 67)


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
    if err is not None:
        yield d.emit("runtime.rpc_failed", 163)
        return err
    yield d.emit("runtime.system_pid", 167, pid=pid)
    return (yield from monitor.state_changed(d, c, pid))


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
        d.world.files[f"{c.croot()}/{c.id}-json.log"] = ""
    yield d.emit("runtime.logging", 903, "started", driver=driver)
    return None
