"""The ``docker events`` stream and the daemon's log, as the start path writes them."""

from __future__ import annotations

from .journal import JList, Node, field, struct


@struct
class Event(Node):
    """One ``docker events`` message (``events.Message``)."""

    type: str  # "container" | "network" | "volume"
    action: str
    actor_id: str
    attributes: dict[str, str]
    time: int
    label: str = field(default="event", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return self.line()

    def line(self) -> str:
        """The line ``docker events`` prints."""
        attrs = ", ".join(f"{k}={v}" for k, v in sorted(self.attributes.items()))
        return f"{self.type} {self.action} {self.actor_id[:12]} ({attrs})"


@struct
class LogLine(Node):
    """One line of the daemon's log (logrus)."""

    level: str
    msg: str
    label: str = field(default="log", compare=False, repr=False)

    def summary(self) -> str:
        """For diffs."""
        return f"level={self.level} msg={self.msg!r}"


def new_event_stream() -> JList:
    """An empty events stream."""
    return JList("events")


def new_log() -> JList:
    """An empty daemon log."""
    return JList("daemon-log")
