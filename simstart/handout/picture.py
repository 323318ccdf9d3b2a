"""The network topology as an inline SVG, drawn by Graphviz's ``dot`` where it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess

from ..engine import Run
from ..graphs.export import to_dot
from ..graphs.views import topology

_PROLOG = re.compile(r"\A.*?(?=<svg)", re.S)


def topology_svg(run: Run) -> str | None:
    """The world's network after the last step, as ``<svg>…</svg>``; None without ``dot``."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    g = topology(run, len(run.trace) - 1)
    run.trace.reset()
    try:
        done = subprocess.run([dot, "-Tsvg"], input=to_dot(g, "network", "LR"),
                              capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return _PROLOG.sub("", done.stdout).strip()


__all__ = ["topology_svg"]
