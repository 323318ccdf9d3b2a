"""The TUI in a classroom (issue 15): what a closed connection looks like, the scenario's
card, expectations on screen, the quiz, small terminals, and the smaller defects."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from simstart.tui.app import DEFAULT_THEME, SimstartApp
from simstart.tui.panes import Timeline
from simstart.tui.view import outcome_line

pytestmark = pytest.mark.tui


def make_app(ref: str = "bridge-port", **kwargs: object) -> SimstartApp:
    app = SimstartApp(ref, theme=DEFAULT_THEME, **kwargs)  # type: ignore[arg-type]
    app.animation_level = "none"
    return app


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.pause()


def test_a_closed_connection_is_no_response_not_a_status() -> None:
    state = {"status": "created", "exit_code": 0, "error": ""}
    assert outcome_line(0, 0, None, state, False) == (
        "no response (connection closed) · container created, exit code 0")
    assert outcome_line(1, 0, None, state, True).startswith(
        "request 2: no response (connection closed)")


async def test_the_panic_scenario_ends_in_the_warning_colour_not_the_success_one() -> None:
    app = make_app("ipc-target-removed-panic")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        content = app.query_one(Timeline).content
        line = next(x for x in content.split("\n") if "outcome" in x.plain)
        assert "no response (connection closed)" in line.plain
        at = line.plain.index("no response")
        styles = {str(s.style) for s in line.spans if s.start <= at < s.end}
        assert styles == {"bold $text-warning"}, styles  # not the success colour


async def test_u_without_a_checkout_shows_the_install_hint_as_plain_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from simstart.tui import app as app_module

    monkeypatch.setattr(app_module, "install_hint",
                        lambda: "install it with pip install 'simstart[source]'")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        (note,) = list(app._notifications)
        assert "simstart[source]" in note.message and note.markup is False


async def test_the_palette_shows_keys_as_they_read_not_textual_names() -> None:
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        shown = "\n".join(str(o.prompt) for o in
                          app.screen.query_one(OptionList).options)  # type: ignore[attr-defined]
        assert "Phase" in shown and "N  ]" in shown
        assert "right_square_bracket" not in shown and "question_mark" not in shown


async def test_the_screenshot_falls_back_to_the_current_directory(
        monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_downloads_path", lambda: tmp_path / "no-downloads")
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_screenshot()
        await pilot.pause(0.5)
        assert list(tmp_path.glob("*.svg")), list(tmp_path.iterdir())


def test_version_and_the_help_name_the_language_option() -> None:
    import subprocess
    import sys

    import simstart

    v = subprocess.run([sys.executable, "-m", "simstart", "--version"], capture_output=True,
                       text=True, check=False)
    assert v.returncode == 0 and v.stdout.strip() == f"simstart {simstart.__version__}"
    h = subprocess.run([sys.executable, "-m", "simstart", "--help"], capture_output=True,
                       text=True, check=False)
    assert "--lang LANG" in h.stdout and "TOP_LANG" not in h.stdout


async def test_below_150_columns_the_tabs_say_which_pane_this_step_changed() -> None:
    from textual.widgets import Tab

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        s = app.session
        assert s is not None
        world = app.query_one("#tab-world", Tab)
        events = app.query_one("#tab-events", Tab)
        assert world.label.plain == "3·World  " and events.label.plain == "4·Events  "
        s.trace.goto(next(x.index for x in s.trace
                          if x.changes and all(c.path == "events[+]" for c in x.changes)))
        app.refresh_view()
        await settle(pilot)
        assert world.label.plain == "3·World  " and events.label.plain == "4·Events ●"
        s.trace.goto(next(x.index for x in s.trace if any(
            c.path.startswith("mounts") for c in x.changes)))
        app.refresh_view()
        await settle(pilot)
        assert world.label.plain == "3·World ●"


def test_world_paths_break_at_a_slash_never_inside_a_name() -> None:
    from simstart.tui.view import wrap

    text = "overlay overlay on /var/lib/docker/overlay2/15bb5e242aad…/merged"
    lines = wrap(text, 30)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(len(x) <= 30 for x in lines)
    assert all(x.endswith(("/", "overlay")) for x in lines[:-1]), lines
    assert wrap("a" * 70, 30) == ["a" * 30, "a" * 30, "a" * 10]  # a name longer than a line
    assert wrap("中文" * 10, 9, lambda t: 2 * len(t))[0] == "中文中文"  # two cells each


async def test_the_card_says_what_the_scenario_teaches_and_any_key_closes_it() -> None:
    from textual.widgets import Static

    app = make_app(intro=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.intro_open
        sc = app.session.scenario  # type: ignore[union-attr]
        card = app.query_one("#intro")
        text = str(card.query_one("#intro-description", Static).content) + str(
            card.query_one("#intro-objectives", Static).content)
        assert card.query_one("#intro-box").border_title == sc.title
        assert sc.objectives and all(o in text for o in sc.objectives)
        assert "docker start web" in text
        await pilot.press("space")  # closes the card, does not step
        await settle(pilot)
        assert not app.intro_open and app.session.position == 0  # type: ignore[union-attr]
        await pilot.press("i")
        await settle(pilot)
        assert app.intro_open
        await pilot.press("x")
        await settle(pilot)
        assert not app.intro_open


async def test_under_zh_the_card_and_the_title_are_the_scenarios_chinese() -> None:
    from textual.widgets import Static

    app = make_app(intro=True, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.intro_open
        sc = app.session.scenario  # type: ignore[union-attr]
        zh = sc.text("zh")
        assert zh.title != sc.title and zh.objectives != sc.objectives
        card = app.query_one("#intro")
        text = str(card.query_one("#intro-description", Static).content) + str(
            card.query_one("#intro-objectives", Static).content)
        assert card.query_one("#intro-box").border_title == zh.title
        assert all(o in text for o in zh.objectives)
        assert not any(o in text for o in sc.objectives)
        assert zh.description.split()[-1] in text and sc.description.split()[-1] not in text
        await pilot.press("x")
        await settle(pilot)
        first = app.query_one(Timeline).content.plain.splitlines()[0]
        assert zh.title[:10] in first and sc.title[:10] not in first
        await pilot.press("l")  # English again: the title follows
        await settle(pilot)
        first = app.query_one(Timeline).content.plain.splitlines()[0]
        assert sc.title[:10] in first and zh.title[:10] not in first


@pytest.mark.parametrize("size", [(80, 24), (60, 16), (200, 50)])
async def test_the_title_is_on_screen_at_every_size(size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        first = app.query_one(Timeline).content.plain.splitlines()[0]
        title = app.session.scenario.title  # type: ignore[union-attr]
        assert title[:10] in first and len(first) <= size[0] - 2
        assert (title in first) == (size[0] >= 200)  # cut with an ellipsis when narrow


async def test_a_terminal_too_small_gets_one_message_with_the_size_it_needs() -> None:
    from textual.widgets import Static

    app = make_app()
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(pilot)
        msg = app.query_one("#too-small", Static)
        assert msg.display and msg.region.height > 0
        assert "60×16" in str(msg.content) and "40×10" in str(msg.content)
        for other in ("#timeline", "#panes", "#narration", "KeyFooter"):
            assert app.query_one(other).region.height == 0, other
        await pilot.resize_terminal(59, 30)  # too narrow, tall enough
        await settle(pilot)
        assert msg.display and "59×30" in str(msg.content)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert msg.region.height == 0 and app.query_one("#panes").region.height > 0
        await pilot.press("space")  # it still steps
        assert app.session.position == 1  # type: ignore[union-attr]


def test_every_expectation_is_shown_held_or_not_and_agrees_with_the_check() -> None:
    """``compare`` lists what ``check`` tests: its failures are exactly check's sentences,
    for every request of every shipped scenario."""
    from simstart.engine import record
    from simstart.engine.expectations import compare, compare_end
    from simstart.scenario import load
    from simstart.scenario.library import shipped

    seen_held = seen_failed = ends = 0
    for path in shipped():
        run = record(load(path))
        if run.scenario.expect_end is not None and run.end is not None:
            items = compare_end(run.scenario.expect_end, run.end)
            assert len([x for x in items if not x.held]) == len(run.end.failures), path.name
            ends += 1
            seen_held += sum(1 for x in items if x.held)
        for r in run.results:
            items = compare(r.spec.expect, r.outcome)
            failed = [f"{x.key}: expected {x.expected!r}, got {x.happened!r}"
                      for x in items if not x.held]
            assert len(failed) == len(r.failures), (path.name, r.index)
            seen_held += sum(1 for x in items if x.held)
            seen_failed += len(failed)
    assert seen_held > 100 and seen_failed == 0  # the shipped scenarios all hold
    assert ends >= 8  # the scenarios after the 204 say what holds at the end


async def test_the_end_expectations_are_shown_at_the_last_step(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from simstart.tui.panes import EventsPane

    bad = tmp_path / "end.yaml"
    bad.write_text(
        "title: what holds at the end\n"
        "containers:\n  - {name: job, image: busybox, cmd: [sh], process: {exits_after: 1s,"
        " exit_code: 3}}\n"
        "requests:\n  - container: job\n"
        "expect:\n  containers:\n    job: {status: exited, exit_code: 4}\n",
        encoding="utf-8")
    app = make_app(str(bad))
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        text = app.query_one(EventsPane).content().plain
        assert "at the end · 1 of 2 held" in text
        assert "job.exit_code: expected 4, happened 3" in text


async def test_the_events_pane_lists_what_was_expected_and_what_happened(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from simstart.tui.panes import EventsPane

    bad = tmp_path / "wrong.yaml"
    bad.write_text(
        "title: a wrong expectation\n"
        "containers:\n  - {name: web, image: nginx, cmd: [nginx]}\n"
        "requests:\n  - container: web\n    expect: {status: 500, state: {status: running}}\n",
        encoding="utf-8")
    app = make_app(str(bad))
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        pane = app.query_one(EventsPane)
        assert "expected · happened" not in pane.content().plain  # not reached yet
        await pilot.press("end")
        await settle(pilot)
        text = pane.content().plain
        assert "1 of 2 held" in text
        assert "✗   status: expected 500 Internal Server Error, happened 204 No Content" in text
        assert "✓   state.status: 'running'" in text
        outcome = app.query_one(Timeline).content.plain
        assert "✗ 1 not as expected" in outcome


async def test_the_open_dialog_shows_its_path_field_at_80x24() -> None:
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        field = app.screen.query_one("#filter", Input)  # a name to filter by, or a path
        assert field.region.height > 0 and field.region.bottom <= 24
        count = app.screen.query_one("#picker-count")
        assert count.region.height > 0 and count.region.bottom <= 24
