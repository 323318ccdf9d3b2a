"""The engine: drive the moby layer over a world built from a scenario, record the trace,
check the outcome (DESIGN.md, layer 4). Imports neither Textual nor Rich."""

from .run import PHASE_ORDER, RequestResult, Run, record
from .trace import Change, Step, Trace

__all__ = ["PHASE_ORDER", "Change", "RequestResult", "Run", "Step", "Trace", "record"]
