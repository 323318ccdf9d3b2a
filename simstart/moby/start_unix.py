"""``daemon/start_unix.go``: which runtime binary libcontainerd will ask containerd to use."""

from __future__ import annotations

from ..world.containers import Container
from .context import Daemon, Steps, go
from .errors import errorf


@go("daemon.(*Daemon).getLibcontainerdCreateOptions", "daemon/start_unix.go", 12, 31)
def get_libcontainerd_create_options(d: Daemon, c: Container) -> Steps:
    """``WithRuntime("docker-runc", args)``."""
    if c.host_config.runtime == "":
        c.host_config.runtime = d.world.options.default_runtime
    if c.host_config.runtime not in d.world.options.runtimes:
        yield d.emit("spec.runtime_unknown", 23)
        return None, errorf("no such runtime '%s'", c.host_config.runtime)
    yield d.emit("spec.create_options", 30, runtime=c.host_config.runtime)
    return {"runtime": "docker-runc", "runtime_args": []}, None
