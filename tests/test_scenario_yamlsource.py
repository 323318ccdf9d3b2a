"""The scenario parser: libyaml when PyYAML has it, the pure-Python parser otherwise; the
two must give every scenario the same values and the same line and column for every key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simstart.scenario import yamlsource
from simstart.scenario.yamlsource import ScenarioError

SHIPPED = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


def pure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)


def test_libyaml_is_there_to_be_used() -> None:
    assert getattr(yaml, "CSafeLoader", None) is not None  # PyYAML's wheels ship it


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_both_parsers_locate_every_key_of_a_shipped_scenario_alike(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yamlsource.load_text(text, str(path))
    pure(monkeypatch)
    slow = yamlsource.load_text(text, str(path))
    assert fast.value == slow.value
    assert fast.marks == slow.marks


@pytest.mark.parametrize("text", [
    "title: x\n  bad: indent\n",
    "title: [unclosed\n",
    "a: 1\na: {b: \x07}\n",
    "- a\nb: c\n",
])
def test_a_syntax_error_reads_as_the_pure_parser_words_it(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ScenarioError) as fast:
        yamlsource.load_text(text, "s.yaml")
    pure(monkeypatch)
    with pytest.raises(ScenarioError) as slow:
        yamlsource.load_text(text, "s.yaml")
    assert str(fast.value) == str(slow.value)
