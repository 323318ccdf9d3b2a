"""``api/types/versions``: compare API versions the way moby does (dot-separated integers)."""

from __future__ import annotations


def compare(v1: str, v2: str) -> int:
    """-1, 0 or 1, as ``versions.compare`` (a missing or non-numeric part counts as 0)."""
    a, b = v1.split("."), v2.split(".")
    for i in range(max(len(a), len(b))):
        x = int(a[i]) if i < len(a) and a[i].isdigit() else 0
        y = int(b[i]) if i < len(b) and b[i].isdigit() else 0
        if x != y:
            return 1 if x > y else -1
    return 0


def less_than(v: str, other: str) -> bool:
    """``versions.LessThan``."""
    return compare(v, other) < 0


def greater_than(v: str, other: str) -> bool:
    """``versions.GreaterThan``."""
    return compare(v, other) > 0


def greater_than_or_equal_to(v: str, other: str) -> bool:
    """``versions.GreaterThanOrEqualTo``."""
    return compare(v, other) >= 0
