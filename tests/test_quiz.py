"""Predict, then reveal (issue 15): questions are data in the scenario, their answers are read
off the recorded trace, and the texts are in English and Chinese."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from simstart.engine import record
from simstart.engine.quiz import CHOICES, data, resolve
from simstart.scenario import ScenarioError, load, loads
from simstart.scenario.library import shipped
from simstart.scenario.schema import QUESTION_KINDS, TOPICS

ROOT = Path(__file__).resolve().parent.parent
WITH_QUESTIONS = [p for p in shipped() if load(p).questions]
# The suggested walk of the README's "For a class" and the first scenario of each topic.
LESSONS = {"bridge-port", "port-already-allocated", "command-not-found",
           "ipc-target-removed-panic", "already-running", "body-api-1.24",
           "legacy-settings-rechecked", "user-lookup", "start-twice", "rm-prints-and-exits",
           "stop-running", "apparmor-error-ignored"}


def test_the_first_scenario_of_every_topic_asks() -> None:
    first: dict[str, tuple[int, str]] = {}
    for p in shipped():
        sc = load(p)
        first[sc.topic] = min(first.get(sc.topic, (10**6, "")), (sc.lesson or 10**6, p.stem))
    assert {name for _, name in first.values()} <= LESSONS


def with_questions(path: str, questions: str, extra: str = "") -> str:
    """A shipped scenario's text with its questions replaced (and ``extra`` added)."""
    text = (ROOT / "scenarios" / path).read_text(encoding="utf-8")
    text = text.split("\nquestions:\n")[0] + "\n"
    return text + extra + "questions:\n" + questions


def test_the_lesson_scenarios_ask_questions_in_english_and_chinese() -> None:
    assert {p.stem for p in WITH_QUESTIONS} >= LESSONS
    for p in WITH_QUESTIONS:
        for q in load(p).questions:
            for texts, what in ((q.prompt, "prompt"), (q.explain, "explain")):
                langs = dict(texts)
                assert set(langs) == {"en", "zh"}, f"{p.stem} question {q.place}: {what}"
                assert re.search(r"[\u4e00-\u9fff]", langs["zh"]), f"{p.stem}: {langs['zh']}"


@pytest.mark.parametrize("path", WITH_QUESTIONS, ids=[p.stem for p in WITH_QUESTIONS])
def test_each_answer_is_one_of_its_choices_and_what_the_trace_shows(path: Path) -> None:
    r = record(load(path))
    asked = resolve(r)
    assert [a.number for a in asked] == list(range(1, len(asked) + 1))
    assert [a.step for a in asked] == sorted(a.step for a in asked)
    for a in asked:
        assert a.answer in a.choices and len(set(a.choices)) == len(a.choices)
        assert 2 <= len(a.choices) <= CHOICES + 2
        step = r.trace.steps[a.step]
        assert step.stage == a.spec.at
        assert a.evidence >= a.step, "the answer lies ahead of the question"
        later = [s for s in r.trace.steps[a.step + 1:] if s.request == step.request]
        if a.kind == "status":
            assert a.answer == str(r.results[step.request].outcome.status)
        elif a.kind == "next_phase":
            assert a.answer == next(s.phase for s in later if s.phase != step.phase)
        elif a.kind == "event" and a.answer != "none":
            assert any(str(c.new).startswith(a.answer + " ")
                       for c in r.trace.steps[a.evidence].changes if c.path == "events[+]")
        elif a.kind == "defer" and a.answer != "none":
            assert r.trace.steps[a.evidence].symbol == a.answer
        for lang in ("en", "zh"):
            assert a.prompt(lang) and a.explanation(lang)
            assert all(a.label(c, lang) for c in a.choices)


def test_the_answers_follow_the_trace_when_a_fault_changes_it() -> None:
    """The same questions on bridge-port, with the port taken by a fault: every answer changes
    with the trace — nothing about them is written in the scenario."""
    qs = ("  - {at: network.external, ask: status}\n"
          "  - {at: network.external, ask: event}\n"
          "  - {at: network.external, ask: next_phase}\n"
          "  - {at: network.external, ask: defer}\n"
          "  - {at: network.external, ask: released}\n")
    plain = resolve(record(loads(with_questions("bridge-port.yaml", qs), "a.yaml")))
    fault = "faults:\n  - {site: portallocator.request_port}\n"
    text = with_questions("bridge-port.yaml", qs, fault).replace(
        "status: 204", "status: 500").replace("state: {status: running, exit_code: 0, "
                                              'error: ""}', "state: {status: created}")
    text = text.replace("events: [network connect, container start]",
                        "events: [network disconnect]")
    text = re.sub(r"      resources: \{.*\}\n", "", text)
    failed = resolve(record(loads(text, "b.yaml")))
    got = {a.kind: a.answer for a in plain}
    assert got == {"status": "204", "event": "network connect", "next_phase": "spec",
                   "defer": "none", "released": "none"}
    assert {a.kind: a.answer for a in failed} == {
        "status": "500", "event": "network disconnect", "next_phase": "cleanup",
        "defer": "libnetwork.(*endpoint).sbJoin", "released": "veths"}


def test_none_is_an_answer_when_nothing_follows() -> None:
    r = record(load(ROOT / "scenarios" / "ipc-target-removed-panic.yaml"))
    got = {a.kind: a.answer for a in resolve(r)}
    assert got == {"status": "0", "defer": "none", "released": "none"}


def test_resolving_leaves_the_trace_where_it_was() -> None:
    r = record(load(ROOT / "scenarios" / "port-already-allocated.yaml"))
    r.trace.goto(12)
    before = r.trace.world
    resolve(r)
    assert r.trace.position == 12 and r.trace.world is before


def test_a_stage_the_trace_never_reaches_is_one_located_line() -> None:
    text = with_questions("bridge-port.yaml", "  - at: network.port_taken\n    ask: status\n")
    r = record(loads(text, "q.yaml"))
    line = text.split("\n").index("  - at: network.port_taken") + 1
    with pytest.raises(ScenarioError) as e:
        resolve(r)
    assert str(e.value).startswith(f"q.yaml:{line}:5: questions[0].at: the trace never "
                                   "reaches stage 'network.port_taken'")


def test_validate_reports_it_and_exit_1(tmp_path: Path) -> None:
    f = tmp_path / "q.yaml"
    f.write_text(with_questions("bridge-port.yaml", "  - {at: spec.default, ask: status}\n"
                                "  - {at: checks.paused, ask: event}\n"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "simstart", "validate", str(f)],
                         capture_output=True, text=True)
    assert out.returncode == 1, out
    last = len(f.read_text(encoding="utf-8").splitlines())  # `at` of the second question
    assert out.stderr.startswith(f"{f}:{last}:6: questions[1].at: the trace never reaches "
                                 "stage 'checks.paused'"), out.stderr
    assert out.stderr.rstrip().endswith("; simstart run lists the stages it reaches")
    assert len(out.stderr.splitlines()) == 1


@pytest.mark.parametrize(("question", "problem"), [
    ("{at: network.veth, ask: guess}", "questions[0].ask: 'guess' is not allowed"),
    ("{at: Network veth, ask: status}", "questions[0].at: 'Network veth' is not valid; "
     "expected a stage id"),
    ("{at: network.veth, ask: status, request: 3}", "questions[0].request: there are 1 "
     "requests (0 to 0)"),
    ("{at: network.veth, ask: status, prompt: {zh: 只有中文}}", "questions[0].prompt: missing "
     "required key `en`"),
])
def test_a_bad_question_is_refused_where_it_is_written(question: str, problem: str) -> None:
    with pytest.raises(ScenarioError) as e:
        loads(with_questions("bridge-port.yaml", f"  - {question}\n"), "q.yaml")
    assert problem in str(e.value), str(e.value)


def test_the_quiz_data_has_every_word_in_both_languages() -> None:
    d = data()
    assert set(d["ask"]) == set(QUESTION_KINDS)
    entries = [*d["ask"].values(), *d["lines"].values()]
    entries += [v for kind in d["values"].values() for v in kind.values()]
    for e in entries:
        assert set(e) == {"en", "zh"} and all(e.values()), e


def test_every_event_and_phase_reads_in_both_languages() -> None:
    from simstart.engine.run import PHASE_ORDER
    from simstart.scenario.schema import EVENTS

    values = data()["values"]
    assert set(EVENTS) | {"none"} <= set(values["event"])
    assert set(PHASE_ORDER) <= set(values["next_phase"])


def test_the_defers_are_stages_the_moby_layer_emits_in_those_functions() -> None:
    from simstart.source.stages import emit_sites

    sites = {(s.stage, s.symbol) for s in emit_sites()}
    for stage, symbol in data()["defers"].items():
        assert (stage, symbol) in sites, (stage, symbol)


def test_every_shipped_scenario_has_a_topic_and_the_readme_table_agrees() -> None:
    by_topic: dict[str, list[tuple[int, str]]] = {t: [] for t in TOPICS}
    for p in shipped():
        sc = load(p)
        assert sc.topic in TOPICS, p.stem
        by_topic[sc.topic].append((sc.lesson or 10**6, p.stem))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = next(b for b in readme.split("## For a class")[1].split("\n\n")
                 if b.startswith("| topic |"))
    rows = table.splitlines()[2:]
    assert len(rows) == len(TOPICS)
    for row, topic in zip(rows, TOPICS, strict=True):
        named = re.findall(r"`([a-z0-9.-]+)`", row.split("|")[2])
        assert named == [n for _, n in sorted(by_topic[topic])], topic
