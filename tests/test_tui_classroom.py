"""The TUI in a classroom (issue 15): what a closed connection looks like, the scenario's
card, expectations on screen, the quiz, small terminals, and the smaller defects."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from simstart.tui.app import DEFAULT_THEME, SimstartApp, create_app
from simstart.tui.panes import Timeline
from simstart.tui.view import outcome_line

pytestmark = pytest.mark.tui


def make_app(ref: str = "bridge-port", **kwargs: object) -> SimstartApp:
    app = create_app(ref, theme=DEFAULT_THEME, **kwargs)  # type: ignore[arg-type]
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
        styles = {str(s.style) for s in line.spans}
        assert any("$text-warning" in s for s in styles), styles
        assert not any("$text-success" in s for s in styles), styles


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
        assert "Stage" in shown and "N  ]" in shown
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
