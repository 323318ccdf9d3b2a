"""What-if forks and the study session (simstart.engine.fork, simstart.engine.session)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simstart.engine import record
from simstart.engine.fork import counterpart, divergence, fork, sites_ahead, with_fault
from simstart.engine.session import Session
from simstart.scenario import load
from simstart.scenario.library import DEFAULT, resolve
from simstart.scenario.model import FaultSpec

PORT = "portallocator.request_port"
TAKEN = "Bind for 0.0.0.0:8080 failed: port is already allocated"


@pytest.fixture(scope="module")
def scenario():
    return load(resolve(DEFAULT))


def index_of(trace, stage):
    return next(s.index for s in trace if s.stage == stage)


def test_a_run_does_not_diverge_from_itself(scenario):
    assert divergence(record(scenario).trace, record(scenario).trace) is None


def test_sites_ahead_from_the_first_step_are_ordered_and_ahead(scenario):
    run = record(scenario)
    choices = sites_ahead(scenario, run.trace, 0)
    assert choices, "the default scenario reaches fault sites"
    assert [c.step for c in choices] == sorted(c.step for c in choices)
    assert all(c.step > 0 for c in choices)
    port = next(c for c in choices if c.site == PORT)
    # the port allocator is asked where the original run reserves the port
    assert port.step == index_of(run.trace, "network.port_allocated")
    assert port.phase == "network"
    assert TAKEN in port.errors


def test_sites_behind_are_not_offered(scenario):
    run = record(scenario)
    after_port = index_of(run.trace, "network.port_allocated")
    names = {c.site for c in sites_ahead(scenario, run.trace, after_port)}
    assert PORT not in names
    assert "overlay2.mount" not in names
    assert "runc.create" in names
    assert sites_ahead(scenario, run.trace, len(run.trace) - 1) == []


def test_fork_is_the_same_run_up_to_the_site_then_the_error_path(scenario):
    original = record(scenario).trace
    k = index_of(original, "network.begin")
    choice = next(c for c in sites_ahead(scenario, original, k) if c.site == PORT)
    f = fork(scenario, original, k, choice, TAKEN)
    assert f.diverges == choice.step
    assert f.run.trace.position == k
    for a, b in zip(original.steps[: f.diverges], f.run.trace.steps, strict=False):
        assert (a.stage, a.stack, a.line, a.text) == (b.stage, b.stack, b.line, b.text)
    original.goto(k)
    assert original.world == f.run.trace.world  # the same world where the fork starts
    out = f.run.results[0].outcome
    assert out.status == 500
    assert out.message is not None and TAKEN in out.message
    assert out.state is not None and out.state["exit_code"] == 128
    assert "cleanup" in {s.phase for s in f.run.trace}
    assert out.resources["veths"] == 0 and out.resources["ports"] == 0


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_any_fork_lands_on_the_same_step_and_world(scenario, data):
    original = record(scenario).trace
    k = data.draw(st.integers(0, len(original) - 2), label="position")
    choices = sites_ahead(scenario, original, k)
    if not choices:
        return
    choice = data.draw(st.sampled_from(choices), label="site")
    error = data.draw(st.sampled_from(choice.errors), label="error")
    f = fork(scenario, original, k, choice, error)
    original.goto(k)
    assert f.diverges > k
    assert f.run.trace.current.stage == original.current.stage
    assert f.run.trace.world == original.world


def test_with_fault_replaces_the_same_site_and_request():
    a = FaultSpec(PORT, "x", 0)
    b = FaultSpec(PORT, "y", 0)
    c = FaultSpec("runc.start", "z", 0)
    assert with_fault((a, c), b) == (c, b)


def test_counterpart():
    assert counterpart(3, 10) == 3
    assert counterpart(10, 10) == 10
    assert counterpart(40, 10) == 10


def test_session_switches_between_the_runs(scenario):
    s = Session(scenario)
    assert s.position == 0
    s.trace.goto(index_of(s.trace, "network.begin"))
    k = s.position
    choice = next(c for c in s.what_if_choices() if c.site == PORT)
    f = s.what_if(choice, TAKEN)
    assert s.on_fork and s.position == k
    s.trace.goto(len(s.trace) - 1)
    assert s.run.results[0].outcome.status == 500
    assert s.switch() and not s.on_fork
    assert s.position == f.diverges  # where the two runs part
    assert s.step.stage == "network.port_allocated"
    assert s.switch() and s.on_fork
    assert s.position == f.diverges
    s.reset()
    assert not s.on_fork and s.position == 0
    s.drop_fork()
    assert s.fork is None and not s.switch()


def test_a_fork_of_a_fork_keeps_both_faults(scenario):
    s = Session(scenario)
    first = next(c for c in s.what_if_choices() if c.site == "runc.start")
    s.what_if(first, first.errors[0])
    second = next(c for c in s.what_if_choices() if c.site == PORT)
    f = s.what_if(second, TAKEN)
    assert {x.site for x in f.faults} == {"runc.start", PORT}
    assert f.diverges == second.step


def test_breakpoints_on_stages_and_phases(scenario):
    s = Session(scenario)
    assert s.next_breakpoint() is None
    assert not s.run_to_breakpoint() and s.position == len(s.trace) - 1
    s.reset()
    assert s.toggle_breakpoint("network")
    assert s.toggle_breakpoint("runtime.runc_start")
    assert s.run_to_breakpoint() and s.step.stage == "network.begin"
    assert s.run_to_breakpoint() and s.step.stage == "runtime.runc_start"
    assert not s.toggle_breakpoint("network")
    assert s.phases()[0] == "http" and "network" in s.phases()
    assert s.stages()[0] == "http.request"


def test_outcomes_are_reached_only_at_the_end_of_a_request(scenario):
    s = Session(scenario)
    assert s.reached() == []
    s.trace.goto(len(s.trace) - 1)
    assert [r.outcome.status for r in s.reached()] == [204]
