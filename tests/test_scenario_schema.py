"""The JSON Schema shipped for editors, the loader, and the shipped scenarios agree."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from simstart.scenario import json_schema, load
from simstart.scenario.library import shipped
from simstart.scenario.loader import EVENTS, problems

SCHEMA_FILE = Path(str(resources.files("simstart.scenario") / "scenario.schema.json"))
SHIPPED = shipped()


def test_the_committed_schema_file_is_what_the_loader_generates() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "regenerate it: python -m simstart schema > simstart/scenario/scenario.schema.json")


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_passes_both_the_schema_and_the_strict_loader(path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(doc, json_schema())
    assert [str(e) for e in problems(path, strict=True)] == []
    sc = load(path, strict=True)
    assert sc.title and sc.description, f"{path.name}: a title and a paragraph are needed"
    assert sc.objectives, f"{path.name}: learning objectives are needed"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_names_the_schema_for_editors(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../simstart/scenario/scenario.schema.json"


def test_expected_events_are_exactly_those_the_start_path_emits() -> None:
    root = resources.files("simstart.moby")
    found: set[str] = set()
    pattern = re.compile(r"log_(container|network|volume)_event\([^)]*?\"([a-z_]+)\"", re.S)

    def walk(node: object) -> None:
        for child in node.iterdir():  # type: ignore[attr-defined]
            if child.is_dir():
                walk(child)
            elif child.name.endswith(".py"):
                for kind, action in pattern.findall(child.read_text(encoding="utf-8")):
                    found.add(f"{kind} {action}")

    walk(root)
    assert found == set(EVENTS)


def test_the_schema_describes_every_key_an_author_can_write() -> None:
    def walk(node: dict[str, object], path: str) -> None:
        for key, sub in (node.get("properties") or {}).items():  # type: ignore[attr-defined]
            assert isinstance(sub, dict)
            walk(sub, f"{path}.{key}")
        items = node.get("items")
        if isinstance(items, dict):
            walk(items, f"{path}[]")

    walk(json_schema(), "")
    top = json_schema()["properties"]
    assert {"title", "containers", "requests", "faults"} <= set(top)
    assert json_schema()["additionalProperties"] is False
