"""Deterministic identifiers: every ID, name and pid in the world comes from here.

Each kind of identifier has its own counter, and each value is a hash of the scenario's seed,
the kind and the counter, so adding a veth never shifts the next container ID.
"""

from __future__ import annotations

import hashlib

from .journal import Node, fields_of


class Ids(Node):
    """The world's seeded identifier source (journaled, so going back rewinds it too)."""

    label = "ids"

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self.counters: dict[str, int] = {}
        self.next_pid = 4000

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ids) and fields_of(self) == fields_of(other)

    def _next(self, kind: str) -> int:
        n = self.counters.get(kind, 0) + 1
        counters = dict(self.counters)
        counters[kind] = n
        self.counters = counters  # assignment, so the journal sees it
        return n

    def hex64(self, kind: str) -> str:
        """A 64-hex-digit ID, like moby's stringid.GenerateRandomID."""
        n = self._next(kind)
        return hashlib.sha256(f"{self.seed}:{kind}:{n}".encode()).hexdigest()

    def hex_for(self, kind: str, name: str) -> str:
        """A stable 64-hex-digit ID derived from a name (for containers given without an ID)."""
        return hashlib.sha256(f"{self.seed}:{kind}:{name}".encode()).hexdigest()

    def short(self, kind: str, length: int) -> str:
        """``length`` hex characters, like libnetwork's random interface-name suffix."""
        return self.hex64(kind)[:length]

    def pid(self) -> int:
        """The next process ID on the simulated host."""
        self.next_pid = self.next_pid + 1 + self._next("pid") % 7
        return self.next_pid
