"""The scenario picker (issue 15): the shipped scenarios grouped by topic in lesson order,
filtered as you type; enter opens the highlighted one, or what was typed as a path."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label, OptionList

from simstart.scenario.schema import TOPICS
from simstart.tui.app import DEFAULT_THEME, SimstartApp, shipped_entries
from simstart.tui.screens import ErrorScreen, PickerScreen
from simstart.tui.view import Entry, picker_groups
from simstart.tui.words import say

pytestmark = pytest.mark.tui


def title(topic: str) -> str:
    return say(f"topic.{topic}")


def test_groups_follow_the_topics_and_the_lessons_and_the_filter_matches_every_word() -> None:
    entries = [Entry("b", "b.yaml", "Second", "refused", 2),
               Entry("a", "a.yaml", "First", "refused", 1),
               Entry("z", "z.yaml", "No lesson", "refused"),
               Entry("w", "w.yaml", "Works", "whole-path", 1),
               Entry("mine", "mine.yaml", "A file of mine", "")]
    groups = picker_groups(entries, "", title, TOPICS)
    assert [(t, [e.name for e in g]) for t, g in groups] == [
        ("whole-path", ["w"]), ("refused", ["a", "b", "z"]), ("", ["mine"])]
    assert [[e.name for e in g] for _, g in picker_groups(entries, "REFUSED sec", title,
                                                          TOPICS)] == [["b"]]
    assert picker_groups(entries, "nothing like it", title, TOPICS) == []


def test_every_shipped_scenario_is_listed_once_under_its_topic() -> None:
    entries = shipped_entries()
    groups = picker_groups(entries, "", title, TOPICS)
    assert [t for t, _ in groups] == list(TOPICS)  # every topic has scenarios, in order
    assert sorted(e.name for _, g in groups for e in g) == sorted(e.name for e in entries)
    assert groups[0][1][0].name == "bridge-port"  # the lesson begins with the default


def make_app() -> SimstartApp:
    app = SimstartApp("bridge-port", source_lookup=None, theme=DEFAULT_THEME)
    app.animation_level = "none"
    return app


def listed(screen: PickerScreen) -> list[str | None]:
    """The ids of the options shown (None for a topic's heading)."""
    ol = screen.query_one("#scenarios", OptionList)
    return [o.id for o in ol.options]


async def test_typing_filters_and_enter_opens_the_first_match() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        everything = listed(screen)
        assert everything.count(None) == len(TOPICS) and everything[0] is None
        await pilot.press(*"Port ALLOCATED")
        await pilot.pause()
        ids = listed(screen)
        assert [Path(i).stem for i in ids if i] == ["port-already-allocated"]
        count = str(screen.query_one("#picker-count", Label).render())
        assert count == f"1 of {len(everything) - len(TOPICS)} scenarios"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None
        assert Path(app.session.scenario.file).stem == "port-already-allocated"


async def test_under_zh_the_picker_lists_the_chinese_titles() -> None:
    from simstart.scenario import load

    app = SimstartApp("bridge-port", source_lookup=None, theme=DEFAULT_THEME, lang="zh")
    app.animation_level = "none"
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        ol = screen.query_one("#scenarios", OptionList)
        shown = {o.id: str(o.prompt) for o in ol.options if o.id}
        sc = load(next(p for p in shown if Path(p).stem == "bridge-port"))
        zh = sc.text("zh").title
        assert zh != sc.title
        row = shown[sc.file]
        assert zh in row and sc.title not in row
        for path, prompt in shown.items():  # each row is its scenario's title in Chinese
            assert load(path).text("zh").title in prompt
        await pilot.press(*zh.split()[0][:4])  # the filter finds it by its Chinese title
        await pilot.pause()
        assert sc.file in listed(screen)


async def test_arrows_move_in_the_list_while_typing_and_skip_the_headings() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        await pilot.press(*"restart")
        await pilot.pause()
        ol = screen.query_one("#scenarios", OptionList)
        names = [Path(i).stem if i else None for i in listed(screen)]
        assert None in names and names[0] is None  # headings between the groups
        await pilot.press("down", "down")
        await pilot.pause()
        chosen = ol.highlighted_option
        assert chosen is not None and chosen.id is not None
        assert screen.query_one("#filter", Input).has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None and app.session.scenario.file == chosen.id


async def test_with_no_match_enter_opens_what_was_typed_as_a_path(tmp_path: Path) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text("title: mine\nbogus: 1\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        screen.query_one("#filter", Input).value = str(bad)
        await pilot.pause()
        assert listed(screen) == []
        assert str(screen.query_one("#picker-count", Label).render()).startswith(
            "No shipped scenario matches")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen) and f"{bad}:2:1" in app.screen.message


async def test_the_picker_in_chinese() -> None:
    app = SimstartApp("bridge-port", source_lookup=None, theme=DEFAULT_THEME, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        ol = screen.query_one("#scenarios", OptionList)
        first = ol.options[0].prompt
        assert "完整的启动路径" in str(first)
        assert screen.query_one("#dialog").border_title == "打开场景"
