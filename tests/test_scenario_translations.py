"""A scenario's own text in Chinese (issue 12, "Chinese everywhere"): the ``translations``
key, how the loader checks it, ``Scenario.text(lang)``, and where it is shown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simstart.scenario import load, loads
from simstart.scenario.library import shipped

from .conftest import problems_in_text

BASE = """\
title: Starting web
description: Watch web start.
objectives:
  - Name the first step.
  - Name the last step.
containers:
  - name: web
requests:
  - container: web
"""


def with_block(block: str) -> str:
    return BASE.replace("containers:\n", block + "containers:\n")


ZH = with_block("translations:\n  zh:\n    title: 启动 web\n    description: 看 web 启动。\n"
                "    objectives:\n      - 说出第一步。\n      - 说出最后一步。\n")


def one(text: str) -> str:
    found = [str(e) for e in problems_in_text(text, "s.yaml")]
    assert len(found) == 1, found
    return found[0]


def test_text_picks_the_language_and_falls_back_to_english_part_by_part() -> None:
    sc = loads(ZH, "s.yaml")
    zh = sc.text("zh")
    assert (zh.title, zh.description, zh.objectives) == ("启动 web", "看 web 启动。",
                                                          ("说出第一步。", "说出最后一步。"))
    en = sc.text("en")
    assert (en.title, en.description, en.objectives) == (sc.title, sc.description,
                                                          sc.objectives)
    only_title = loads(with_block("translations: {zh: {title: 启动 web}}\n"), "s.yaml")
    assert only_title.text("zh") == (only_title.text("zh").title, "Watch web start.",
                                     ("Name the first step.", "Name the last step."))
    assert only_title.text("zh").title == "启动 web"
    plain = loads(BASE, "s.yaml")  # a user's own scenario without translations
    assert plain.text("zh") == plain.text("en") == (plain.title, plain.description,
                                                    plain.objectives)


@pytest.mark.parametrize(("block", "expected"), [
    # not a mapping
    ("translations: [zh]\n", "s.yaml:6:1: translations: is a list, expected a mapping"),
    ("translations: {zh: 启动}\n", "s.yaml:6:16: translations.zh: is a string, expected a "
     "mapping"),
    # a wrong type inside
    ("translations: {zh: {title: 12}}\n", "s.yaml:6:21: translations.zh.title: is an integer, "
     "expected a string (put it in quotes)"),
    ("translations: {zh: {objectives: 说出第一步}}\n", "s.yaml:6:21: "
     "translations.zh.objectives: is a string, expected a list"),
    # a typo in the language, and in a key under it
    ("translations: {zh-CN: {title: 启动}}\n", "s.yaml:6:16: translations.zh-CN: unknown key "
     "(did you mean `zh`?); expected one of: zh"),
    ("translations: {zhh: {title: 启动}}\n", "s.yaml:6:16: translations.zhh: unknown key "
     "(did you mean `zh`?); expected one of: zh"),
    ("translations: {zh: {titel: 启动}}\n", "s.yaml:6:21: translations.zh.titel: unknown key "
     "(did you mean `title`?); expected one of: title, description, objectives"),
    # not as many objectives as in English
    ("translations: {zh: {objectives: [说出第一步。]}}\n", "s.yaml:6:21: "
     "translations.zh.objectives: has 1 objective where the English `objectives` has 2; "
     "translate each one, in the same order"),
    ("translations: {zh: {objectives: [一, 二, 三]}}\n", "s.yaml:6:21: "
     "translations.zh.objectives: has 3 objectives where the English `objectives` has 2; "
     "translate each one, in the same order"),
])
def test_a_bad_translation_block_gets_one_located_line(block: str, expected: str) -> None:
    assert one(with_block(block)).startswith(expected)


def sim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simstart", *args], capture_output=True,
                          text=True, check=False)


def test_validate_and_run_say_it_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(with_block("translations: {zh: {objectives: [说出第一步。]}}\n"))
    p = sim("validate", str(bad))
    assert p.returncode == 1  # invalid (2 is for a file that cannot be read)
    assert p.stderr.splitlines() == [
        f"{bad}:6:21: translations.zh.objectives: has 1 objective where the English "
        "`objectives` has 2; translate each one, in the same order"]
    p = sim("run", str(bad), "--lang", "zh")
    assert p.returncode == 2 and p.stdout == ""  # bad input
    assert p.stderr.splitlines() == [
        f"{bad}:6:21: translations.zh.objectives: has 1 objective where the English "
        "`objectives` has 2; translate each one, in the same order"]
    good = tmp_path / "good.yaml"
    good.write_text(ZH)
    assert sim("validate", str(good)).returncode == 0


def test_list_and_run_json_give_the_chinese_title() -> None:
    import json

    path = next(p for p in shipped() if p.stem == "bridge-port")
    sc = load(path, strict=True)
    zh = sc.text("zh").title
    assert zh != sc.title
    p = sim("list", "--lang", "zh")
    assert p.returncode == 0
    assert f"{path.stem} " in p.stdout and [
        line.split(None, 1)[1] for line in p.stdout.splitlines()
        if line.split(None, 1)[0] == path.stem] == [zh]
    p = sim("run", path.stem, "--lang", "zh", "--json")
    assert json.loads(p.stdout.splitlines()[-1])["title"] == zh
    p = sim("run", path.stem, "--json")
    assert json.loads(p.stdout.splitlines()[-1])["title"] == sc.title


HAN = __import__("re").compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.stem)
def test_every_shipped_scenario_has_its_chinese_text(path: Path) -> None:
    """Issue 12: under --lang zh a shipped scenario's title, description and objectives are
    Chinese — none falls back to English."""
    sc = load(path, strict=True)
    zh = sc.text("zh")
    assert zh.title != sc.title and HAN.search(zh.title), "translations.zh.title"
    assert zh.description != sc.description and HAN.search(zh.description), (
        "translations.zh.description")
    assert len(zh.objectives) == len(sc.objectives)
    for en, translated in zip(sc.objectives, zh.objectives, strict=True):
        assert translated != en and HAN.search(translated), f"objective {en!r}"
