"""The trace as a state machine: forward, back, goto, stages — and back restores the world."""

from __future__ import annotations

import copy

import pytest

from simstart.engine import PHASE_ORDER, record
from simstart.scenario import load

from .conftest import SCENARIOS


def _trace(name: str):  # type: ignore[no-untyped-def]
    return record(load(SCENARIOS / f"{name}.yaml")).trace


@pytest.mark.parametrize("name", ["bridge-port", "port-already-allocated", "command-not-found",
                                  "db-then-web", "autoremove-after-failure"])
def test_back_then_forward_restores_an_equal_world_at_every_step(name: str) -> None:
    t = _trace(name)
    t.reset()
    snapshots = []
    while True:
        snapshots.append(copy.deepcopy(t.world))
        if not t.forward():
            break
    assert len(snapshots) == len(t)
    # walking back, each step gives exactly the world recorded there
    for i in range(len(t) - 1, -1, -1):
        assert t.position == i
        assert t.world == snapshots[i], f"step {i}"
        t.back()
    # and forward again
    for i in range(len(t)):
        t.goto(i)
        assert t.world == snapshots[i]


def test_a_step_that_changes_nothing_visible_still_round_trips() -> None:
    t = _trace("bridge-port")
    t.goto(10)
    before = copy.deepcopy(t.world)
    t.forward()
    t.back()
    assert t.world == before
    assert t.world is not before


def test_goto_clamps_and_reset_returns_to_the_first_step() -> None:
    t = _trace("bridge-port")
    t.goto(10_000)
    assert t.position == len(t) - 1
    t.goto(-5)
    assert t.position == 0
    t.goto(20)
    t.reset()
    assert t.position == 0
    assert not t.back()


def test_next_and_previous_stage_skip_inner_steps_in_phase_order() -> None:
    t = _trace("bridge-port")
    t.reset()
    seen = [t.current.phase]
    while t.next_phase():
        assert t.current.phase != t.steps[t.position - 1].phase
        seen.append(t.current.phase)
    assert seen == ["http", "checks", "start", "mount", "start", "network", "spec", "start",
                    "runtime", "running", "runtime", "start", "http", "response"] or \
        all(p in PHASE_ORDER for p in seen)
    assert "network" in seen and "runtime" in seen
    last = t.position
    assert t.prev_phase()
    assert t.position < last


def test_run_to_a_breakpoint_on_a_stage_or_a_phase() -> None:
    from simstart.engine.session import Session

    s = Session(load(SCENARIOS / "bridge-port.yaml"))
    s.toggle_breakpoint("network.port_allocated")
    assert s.run_to_breakpoint() and s.step.stage == "network.port_allocated"
    s.toggle_breakpoint("network.port_allocated")
    s.toggle_breakpoint("runtime")
    assert s.run_to_breakpoint() and s.step.phase == "runtime"
    s.trace.goto(len(s.trace) - 2)
    assert not s.run_to_breakpoint()  # none ahead: the last step
    assert s.position == len(s.trace) - 1


def test_stepping_cost_does_not_depend_on_trace_length() -> None:
    """One back or forward applies only that step's ops, never a replay from the start."""
    t = _trace("db-then-web")
    calls = {"n": 0}
    t.goto(len(t) - 1)
    ops_last = len(t.steps[-1].ops)
    from simstart.world.journal import Op

    real_undo = Op.undo

    def counting_undo(self: Op) -> None:
        calls["n"] += 1
        real_undo(self)

    Op.undo = counting_undo  # type: ignore[method-assign]
    try:
        t.back()
    finally:
        Op.undo = real_undo  # type: ignore[method-assign]
    assert calls["n"] == ops_last


def test_every_step_has_a_stage_a_stack_an_anchor_and_narration() -> None:
    from simstart.scenario.library import shipped

    for path in shipped():
        for s in _trace(path.stem):
            assert s.stage and "." in s.stage
            assert s.phase in PHASE_ORDER
            # a request's goroutine starts in the router; the others (containerd's, the
            # event stream, a restart) in the function they were started with
            assert s.stack
            if s.goroutine.startswith("POST "):
                assert s.stack[0] == "mux.(*Router).ServeHTTP"  # the mux, then the handler
            assert s.file and s.start <= s.line <= s.end, (s.stage, s.symbol, s.line)
            assert s.text.strip()
