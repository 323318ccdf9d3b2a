"""Small pieces of Go's standard library the start path's checks depend on."""

from __future__ import annotations

from ..scenario.specs import go_clean

__all__ = ["atoi", "go_clean"]


def atoi(s: str) -> int | None:
    """``strconv.Atoi``: an optional sign and decimal digits, or None."""
    body = s[1:] if s[:1] in ("+", "-") else s
    return int(s) if body.isdigit() and body.isascii() else None
