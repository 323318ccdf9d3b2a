"""Fuzzing the loader: whatever the text, the answer is a valid scenario or located, one-line
problems — never a traceback. 2,200 cases in all."""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simstart.scenario import Scenario, ScenarioError, json_schema, loads
from simstart.scenario.library import shipped
from simstart.scenario.loader import problems_in_text

LINE = re.compile(r"^f\.yaml:\d+:\d+: [^\n]+$")
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema())


@cache
def _shipped() -> list[tuple[str, Any]]:
    return [(p.read_text(encoding="utf-8"), yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in shipped()]


def answer(text: str) -> tuple[Scenario | None, list[str]]:
    """Load ``text`` both ways; check every problem is one located line."""
    found = [str(e) for e in problems_in_text(text, "f.yaml", strict=True)]
    for f in found:
        assert LINE.match(f), f
    try:
        sc = loads(text, "f.yaml")
    except ScenarioError as e:
        assert LINE.match(str(e)), str(e)
        assert found, "the lenient loader refused what the strict check accepted"
        return None, found
    return sc, found


YAMLISH = st.text(alphabet=st.sampled_from(list("abcxyz019 :-[]{},&*!|>'\"#\n\t<%@`?.\\/"
                                                "ñ€😀")), max_size=200)


@settings(FAST, max_examples=600)
@given(YAMLISH)
def test_arbitrary_text(text: str) -> None:
    answer(text)


SCALARS = (st.none() | st.booleans() | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=True) | st.text(max_size=20))
KEYS = st.sampled_from(["title", "containers", "requests", "name", "image", "container",
                        "expect", "status", "ports", "faults", "site", "state", "x", ""])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(KEYS, inner, max_size=4), max_leaves=20)


@settings(FAST, max_examples=500)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_arbitrary_documents(doc: dict[str, Any]) -> None:
    answer(yaml.safe_dump(doc, allow_unicode=True))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for p in path[:-1]:
        doc = doc[p]
    return doc


REPLACEMENTS = st.sampled_from([None, 0, -1, 1.5, True, "", "x", "web", [], {}, [1, "a"],
                                {"a": 1}, "container:nope", "2001-01-01", 10**30])


@settings(FAST, max_examples=1000)
@given(st.data())
def test_mutations_of_every_shipped_scenario(data: st.DataObject) -> None:
    texts = _shipped()
    text, original = texts[data.draw(st.integers(0, len(texts) - 1), label="scenario")]
    doc = copy.deepcopy(original)
    paths = _paths(doc)
    how = data.draw(st.sampled_from(["delete", "rename", "retype", "duplicate", "twice"]))
    for _ in range(2 if how == "twice" else 1):
        paths = _paths(doc)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="path")
        parent = _parent(doc, path)
        key = path[-1]
        kind = how if how != "twice" else data.draw(st.sampled_from(["delete", "rename",
                                                                      "retype"]))
        if kind == "delete":
            del parent[key]
        elif kind == "rename" and isinstance(parent, dict):
            new = data.draw(st.sampled_from([str(key)[:-1], str(key) + "s", str(key).upper(),
                                             "x" + str(key)[1:], "unknown"]))
            parent[new] = parent.pop(key)
        elif kind in ("retype", "rename"):
            parent[key] = data.draw(REPLACEMENTS)
    if how == "duplicate":
        lines = text.splitlines()
        keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*[a-z_]+:", line)]
        i = data.draw(st.sampled_from(keyed), label="line")
        mutated = "\n".join([*lines[: i + 1], lines[i].replace("- ", "  ", 1), *lines[i + 1:]])
    else:
        mutated = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    _, found = answer(mutated)
    if how != "duplicate":
        schema_errors = list(_validator().iter_errors(doc))
        if schema_errors:
            assert found, ("the schema refuses it but the loader accepts it: "
                           f"{schema_errors[0].message}")


@settings(FAST, max_examples=100)
@given(st.integers(1, 12), st.integers(2, 30))
def test_alias_expansion_is_bounded(depth: int, width: int) -> None:
    lines = ["a0: &a0 [x]"]
    for i in range(1, depth):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    text = "title: t\n" + "\n".join(lines) + "\ncontainers: []\nrequests: [{container: x}]\n"
    sc, found = answer(text)
    assert sc is None and found
