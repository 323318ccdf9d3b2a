"""``pkg/signal`` (signal.go, signal_linux.go): signal names, ``ParseSignal`` and
``ValidSignalForPlatform`` as v17.05 has them on linux."""

from __future__ import annotations

from ..scenario.specs import SIGNAL_MAP
from .errors import GoError, errorf
from .gostd import atoi

SIGKILL, SIGTERM = 9, 15
DEFAULT_STOP_SIGNAL = "SIGTERM"  # signal_unix.go


def parse_signal(raw: str) -> tuple[int, GoError | None]:
    """``ParseSignal``: a number (any but 0, negative ones too), or a name with or without
    ``SIG`` in any case."""
    n = atoi(raw)
    if n is not None:
        if n == 0:
            return -1, errorf("Invalid signal: %s", raw)
        return n, None
    name = raw.upper()
    name = name[3:] if name.startswith("SIG") else name
    sig = SIGNAL_MAP.get(name)
    if sig is None:
        return -1, errorf("Invalid signal: %s", raw)
    return sig, None


def valid_signal_for_platform(sig: int) -> bool:
    """``ValidSignalForPlatform``: the number is one of SignalMap's."""
    return sig in SIGNAL_MAP.values()


def name_of(sig: int) -> str:
    """``SIGTERM`` for 15, for the narration (the first name SignalMap has for it)."""
    for name, n in SIGNAL_MAP.items():
        if n == sig:
            return "SIG" + name
    return str(sig)
