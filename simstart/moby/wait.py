"""``daemon/wait.go``: ``ContainerWait``, what ``docker wait`` (and ``docker run``) block on."""

from __future__ import annotations

from ..world.containers import Container
from . import container, state
from .context import Daemon, Steps, go


@go("daemon.(*Daemon).ContainerWait", "daemon/wait.go", 14, 21)
def container_wait(d: Daemon, name: str) -> Steps:
    """``container.WaitStop(-1)``: the exit code once the container stops."""
    c, err = yield from container.get_container(d, name)
    if err is not None:
        return -1, err
    assert isinstance(c, Container)
    code, err = yield from state.wait_stop(d, c, None)
    return code, err
