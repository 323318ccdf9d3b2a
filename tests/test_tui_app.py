"""Pilot tests: every binding, the what-if fork and back, resizing, bad scenarios."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, SelectionList

from simstart.tui.app import CONTRAST_THEME, DEFAULT_THEME, SPEEDS, SimstartApp
from simstart.tui.commands import COMMANDS
from simstart.tui.panes import NarrationPane, Timeline
from simstart.tui.screens import (
    BreakpointsScreen,
    ErrorScreen,
    GoToScreen,
    HelpScreen,
    PickerScreen,
    WhatIfScreen,
)

pytestmark = pytest.mark.tui

PORT = "portallocator.request_port"


def make_app() -> SimstartApp:
    app = SimstartApp("bridge-port", source_lookup=None, theme=DEFAULT_THEME)
    app.animation_level = "none"
    return app


def pos(app: SimstartApp) -> int:
    assert app.session is not None
    return app.session.position


def stage(app: SimstartApp) -> str:
    assert app.session is not None
    return app.session.step.stage


async def to_stage(pilot: Pilot, app: SimstartApp, phase: str) -> None:
    while app.session is not None and app.session.step.phase != phase:
        await pilot.press("N")


async def fork_port(pilot: Pilot, app: SimstartApp) -> None:
    """At the networking stage, inject a port conflict through the what-if dialog."""
    await to_stage(pilot, app, "network")
    await pilot.press("w")
    screen = app.screen
    assert isinstance(screen, WhatIfScreen)
    index = next(i for i, c in enumerate(screen.choices) if c.site == PORT)
    ol = screen.query_one("#whatif-list", OptionList)
    ol.highlighted = index
    await pilot.press("enter")
    assert screen.chosen is not None and screen.chosen.site == PORT
    await pilot.press("enter")  # the first error: the port is already allocated
    await pilot.pause()


# -- every binding ----------------------------------------------------------------------------

Check = Callable[[Pilot, SimstartApp], Awaitable[None]]


async def _forward(pilot: Pilot, app: SimstartApp) -> None:
    for key in ("space", "n", "right"):
        before = pos(app)
        await pilot.press(key)
        assert pos(app) == before + 1, key


async def _back(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("space", "space", "space")
    for key in ("p", "left"):
        before = pos(app)
        await pilot.press(key)
        assert pos(app) == before - 1, key
    await pilot.press("home", "p")  # at the first step: stays there, no crash
    assert pos(app) == 0


async def _next_phase(pilot: Pilot, app: SimstartApp) -> None:
    for key in ("N", "right_square_bracket"):
        before = app.session.step.phase  # type: ignore[union-attr]
        await pilot.press(key)
        assert app.session.step.phase != before, key  # type: ignore[union-attr]


async def _prev_phase(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("N", "N", "N")
    for key in ("P", "left_square_bracket"):
        before = pos(app)
        await pilot.press(key)
        assert pos(app) < before, key
        steps = app.session.trace.steps  # type: ignore[union-attr]
        assert pos(app) == 0 or steps[pos(app) - 1].phase != steps[pos(app)].phase, key


async def _first(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("end", "home")
    assert pos(app) == 0


async def _last(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("end")
    assert pos(app) == len(app.session.trace) - 1  # type: ignore[union-attr]
    assert "204 No Content" in str(app.query_one(Timeline).render())


async def _goto(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("g")
    assert isinstance(app.screen, GoToScreen)
    await pilot.press("9", "9", "9", "enter")  # out of range: stays open, says why
    assert isinstance(app.screen, GoToScreen)
    app.screen.query_one(Input).value = ""
    await pilot.press("3", "6", "enter")
    assert pos(app) == 35 and not isinstance(app.screen, GoToScreen)
    await pilot.press("g", "escape")
    assert pos(app) == 35 and not isinstance(app.screen, GoToScreen)


async def _toggle_breakpoint(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("N", "N", "b")
    here = stage(app)
    assert here in app.session.breakpoints  # type: ignore[union-attr]
    await pilot.press("b")
    assert here not in app.session.breakpoints  # type: ignore[union-attr]


async def _breakpoints(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("B")
    assert isinstance(app.screen, BreakpointsScreen)
    sl = app.screen.query_one(SelectionList)
    sl.select("network")
    await pilot.press("enter")
    assert app.session.breakpoints == {"network"}  # type: ignore[union-attr]
    await pilot.press("B", "escape")  # cancel keeps them
    assert app.session.breakpoints == {"network"}  # type: ignore[union-attr]


async def _run_to_breakpoint(pilot: Pilot, app: SimstartApp) -> None:
    app.session.breakpoints = {"network.proxy", "runtime"}  # type: ignore[union-attr]
    await pilot.press("c")
    assert stage(app) == "network.proxy"
    await pilot.press("c")
    assert stage(app) == "runtime.create"
    await pilot.press("c")  # no more: the last step
    assert pos(app) == len(app.session.trace) - 1  # type: ignore[union-attr]


async def _autoplay(pilot: Pilot, app: SimstartApp) -> None:
    app.speed = len(SPEEDS) - 1  # the fastest
    app.session.breakpoints = {"mount"}  # type: ignore[union-attr]
    await pilot.press("a")
    assert app._timer is not None
    for _ in range(100):
        await pilot.pause(0.05)
        if app._timer is None:
            break
    assert app._timer is None and app.session.step.phase == "mount"  # stopped at the breakpoint
    await pilot.press("a")
    assert app._timer is not None
    await pilot.press("a")
    assert app._timer is None


async def _faster(pilot: Pilot, app: SimstartApp) -> None:
    s = app.speed
    await pilot.press("plus")
    assert app.speed == s + 1
    await pilot.press("equals_sign")
    assert app.speed == s + 2


async def _slower(pilot: Pilot, app: SimstartApp) -> None:
    s = app.speed
    await pilot.press("minus")
    assert app.speed == s - 1
    for _ in range(10):
        await pilot.press("minus")
    assert app.speed == 0


async def _what_if(pilot: Pilot, app: SimstartApp) -> None:
    await fork_port(pilot, app)
    assert app.session.on_fork  # type: ignore[union-attr]


async def _switch_run(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("x")  # no fork yet: a notice, nothing else
    assert not app.session.on_fork  # type: ignore[union-attr]
    await fork_port(pilot, app)
    await pilot.press("x")
    assert not app.session.on_fork  # type: ignore[union-attr]
    await pilot.press("x")
    assert app.session.on_fork  # type: ignore[union-attr]


async def _save_what_if(pilot: Pilot, app: SimstartApp) -> None:
    import shutil
    import tempfile

    from simstart.engine import record
    from simstart.scenario import load

    s = app.session
    assert s is not None
    folder = Path(tempfile.mkdtemp())
    copy = folder / "bridge-port.yaml"
    shutil.copy(s.scenario.file, copy)
    s.scenario = s.scenario._replace(file=str(copy))  # save beside a copy, not the repo's
    await pilot.press("W")  # no fork yet: a notice, no file
    assert sorted(p.name for p in folder.iterdir()) == ["bridge-port.yaml"]
    await fork_port(pilot, app)
    await pilot.press("W", "W")
    saved = sorted(p.name for p in folder.iterdir())
    assert saved == ["bridge-port-what-if-portallocator-request-port-2.yaml",
                     "bridge-port-what-if-portallocator-request-port.yaml", "bridge-port.yaml"]
    assert copy.read_text(encoding="utf-8") == Path(
        "scenarios/bridge-port.yaml").read_text(encoding="utf-8")
    import subprocess
    import sys

    valid = subprocess.run([sys.executable, "-m", "simstart", "validate", str(folder / saved[1])],
                           capture_output=True, text=True)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    replay = record(load(folder / saved[1]))
    assert replay.ok  # its expectations are what the what-if produced
    fork = s.fork
    assert fork is not None
    assert [(x.stage, x.text) for x in replay.trace] == \
        [(x.stage, x.text) for x in fork.run.trace]


async def _reset(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("N", "N", "a", "r")
    assert pos(app) == 0 and app._timer is None


async def _open(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("o")
    assert isinstance(app.screen, PickerScreen)
    ol = app.screen.query_one(OptionList)
    names = [o.id for o in ol.options]
    target = next(i for i, p in enumerate(names) if p and Path(p).stem == "port-already-allocated")
    ol.highlighted = target
    await pilot.press("enter")
    await pilot.pause()
    assert app.session is not None
    assert Path(app.session.scenario.file).stem == "port-already-allocated"
    assert pos(app) == 0


async def _contrast(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("h")
    assert app.theme == CONTRAST_THEME
    await pilot.press("h")
    assert app.theme == DEFAULT_THEME


async def _language(pilot: Pilot, app: SimstartApp) -> None:
    narration = app.query_one(NarrationPane)
    english = str(narration.body.content)
    await pilot.press("l")
    assert app.lang == "zh"
    assert str(narration.body.content) != english and narration.border_subtitle.startswith("中文")
    await pilot.press("l")
    assert app.lang == "en" and str(narration.body.content) == english


async def _upstream(pilot: Pilot, app: SimstartApp) -> None:
    # Started without --moby-src: the key says how to get the real source, and nothing moves.
    await pilot.press("u")
    assert not app.show_upstream
    assert any("--moby-src DIR" in str(n.message) for n in app._notifications)


async def _show_pane(name: str, key: str) -> Check:
    async def check(pilot: Pilot, app: SimstartApp) -> None:
        await pilot.press(key)
        assert app.active_pane == name
        assert app.query_one(f"#{name}").has_class("-active")
        assert app.query_one(f"#{name}").display

    return check


async def _help(pilot: Pilot, app: SimstartApp) -> None:
    for key in ("question_mark", "f1"):
        await pilot.press(key)
        assert isinstance(app.screen, HelpScreen), key
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def _quit(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("q")
    await pilot.pause()
    assert app._exit  # the app is exiting


async def _intro(pilot: Pilot, app: SimstartApp) -> None:
    await pilot.press("i")
    assert app.intro_open and type(app.focused).__name__ == "IntroCard"
    await pilot.press("space")  # any key closes it, and does not step
    assert not app.intro_open and pos(app) == 0


async def _quiz(pilot: Pilot, app: SimstartApp) -> None:
    from simstart.tui.quiz import QuestionScreen

    await pilot.press("t")  # bridge-port asks its first question at step 1: at once
    await pilot.pause()
    assert app.quiz and isinstance(app.screen, QuestionScreen)
    assert app.screen.asked.answer == "204"
    await pilot.press(str(app.screen.asked.choices.index("204") + 1), "space")
    await pilot.pause()
    assert app.answers == {1: "204"} and not isinstance(app.screen, QuestionScreen)
    await pilot.press("t")
    assert not app.quiz


CHECKS: dict[str, Check] = {
    "step-forward": _forward, "step-back": _back, "next-phase": _next_phase,
    "prev-phase": _prev_phase, "first-step": _first, "last-step": _last, "go-to-step": _goto,
    "toggle-breakpoint": _toggle_breakpoint, "breakpoints": _breakpoints,
    "run-to-breakpoint": _run_to_breakpoint, "autoplay": _autoplay, "faster": _faster,
    "slower": _slower, "what-if": _what_if, "switch-run": _switch_run, "reset": _reset,
    "save-what-if": _save_what_if,
    "open-scenario": _open, "high-contrast": _contrast, "help": _help, "quit": _quit,
    "language": _language, "upstream-source": _upstream, "intro": _intro, "quiz": _quiz,
}
PANE_KEYS = {"show-source": ("source", "1"), "show-stack": ("stack", "2"),
             "show-world": ("world", "3"), "show-events": ("events", "4")}


def test_every_command_has_a_pilot_test():
    assert set(CHECKS) | set(PANE_KEYS) == {c.id for c in COMMANDS}


@pytest.mark.parametrize("binding_id", sorted(CHECKS))
async def test_binding(binding_id: str):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await CHECKS[binding_id](pilot, app)


@pytest.mark.parametrize("binding_id", sorted(PANE_KEYS))
async def test_pane_binding(binding_id: str):
    name, key = PANE_KEYS[binding_id]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await (await _show_pane(name, key))(pilot, app)
        others = [p for p in ("source", "stack", "world", "events") if p != name]
        assert not any(app.query_one(f"#{p}").display for p in others)


async def test_ctrl_q_quits_and_ctrl_c_does_not():
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app._exit
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app._exit


async def test_the_palette_offers_every_command():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"what-if")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WhatIfScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"step forward")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert pos(app) == 1


async def test_escape_dismisses_every_dialog():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        for key, kind in (("question_mark", HelpScreen), ("o", PickerScreen), ("w", WhatIfScreen),
                          ("g", GoToScreen), ("B", BreakpointsScreen)):
            await pilot.press(key)
            assert isinstance(app.screen, kind)
            await pilot.press("escape")
            assert not isinstance(app.screen, kind)
        assert pos(app) == 0


# -- the what-if fork and back ----------------------------------------------------------------


async def test_what_if_port_conflict_walks_the_cleanup_and_switches_back():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await to_stage(pilot, app, "network")
        forked_at = pos(app)
        await fork_port(pilot, app)
        s = app.session
        assert s is not None and s.on_fork and s.fork is not None
        assert pos(app) == forked_at  # the same step, now on the fork
        assert "WHAT-IF" in str(app.query_one(Timeline).render())
        # walk the error path to its end, through the cleanup
        phases = []
        while s.trace.forward():
            phases.append(s.step.phase)
        await pilot.press("end")
        assert "cleanup" in phases and phases[-1] == "response"
        text = str(app.query_one(Timeline).render())
        assert "500" in text and "port is already allocated" in text
        assert "exit code 128" in text
        # back to the original run, where the two part
        await pilot.press("x")
        assert not s.on_fork and pos(app) == s.fork.diverges
        assert stage(app) == "network.port_allocated"
        await pilot.press("end")
        assert "204 No Content" in str(app.query_one(Timeline).render())
        await pilot.press("x")
        assert s.on_fork and pos(app) == s.fork.diverges
        await pilot.press("r")
        assert not s.on_fork and pos(app) == 0


async def test_what_if_at_the_last_step_offers_nothing_and_escape_goes_back():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("end", "w")
        assert isinstance(app.screen, WhatIfScreen) and app.screen.choices == []
        await pilot.press("escape")
        await pilot.press("home", "w")
        screen = app.screen
        assert isinstance(screen, WhatIfScreen)
        await pilot.press("enter")  # a site: now its errors
        assert screen.chosen is not None
        await pilot.press("escape")  # back to the sites
        assert screen.chosen is None and app.screen is screen
        await pilot.press("escape")
        assert not isinstance(app.screen, WhatIfScreen) and not app.session.on_fork  # type: ignore[union-attr]


# -- resizing ---------------------------------------------------------------------------------


def visible_panes(app: SimstartApp) -> list[str]:
    return [p for p in ("source", "stack", "world", "events")
            if app.query_one(f"#{p}").display]


async def test_resizing_collapses_the_panes_into_tabs_and_back():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N", "N", "N", "N")
        assert app.query_one("#pane-tabs").display
        assert visible_panes(app) == ["source"]
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert not app.query_one("#pane-tabs").display
        assert visible_panes(app) == ["source", "stack", "world", "events"]
        for p in ("source", "stack", "world", "events"):
            region = app.query_one(f"#{p}").region
            assert region.width >= 40 and region.height >= 3, p
        # a 100-column Go line fits the source pane; the world gets what the others leave
        assert app.query_one("#source").region.width >= 114
        assert app.query_one("#world").region.height >= 20
        await pilot.press("space")  # still steps after the resize
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert visible_panes(app) == ["source"]
        await pilot.press("3")
        assert visible_panes(app) == ["world"]
        await pilot.resize_terminal(60, 20)  # smaller than the smallest supported: no crash
        await pilot.pause()
        await pilot.press("space", "p")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.query_one("#narration").region.height >= 3


# -- bad scenarios ----------------------------------------------------------------------------


async def test_a_bad_scenario_opens_the_error_screen(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nbogus: 1\n", encoding="utf-8")
    app = SimstartApp(str(bad), source_lookup=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert f"{bad}:2:1" in app.screen.message
        await pilot.press("space", "w", "g")  # no scenario: stepping does nothing, no crash
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press("o")
        assert isinstance(app.screen, PickerScreen)
        app.screen.query_one(Input).value = "bridge-port"
        app.screen.query_one(Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None and pos(app) == 0


async def test_opening_a_bad_file_from_the_picker_shows_where_and_keeps_the_session(
        tmp_path: Path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("title: broken\ncontainers:\n  - name: web\n    image: 3\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "o")
        assert isinstance(app.screen, PickerScreen)
        app.screen.query_one(Input).focus()
        app.screen.query_one(Input).value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert app.screen.message.startswith(f"{bad}:")
        await pilot.press("escape")
        assert pos(app) == 1  # the scenario that was open is still there
        await pilot.press("o")
        app.screen.query_one(Input).focus()
        app.screen.query_one(Input).value = str(tmp_path / "missing.yaml")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert "missing.yaml" in app.screen.message


async def test_a_scenario_by_name_is_loaded_after_the_first_frame(tmp_path: Path):
    app = SimstartApp("bridge-port", source_lookup=None)
    assert app._session is None  # nothing loaded or recorded before the app runs
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session is not None and pos(app) == 0
        assert "step 1 of" in str(app.query_one(Timeline).render())
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nbogus: 1\n", encoding="utf-8")
    app = SimstartApp(str(bad), source_lookup=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen) and f"{bad}:2:1" in app.screen.message
        assert app.session is None


async def test_a_bug_in_the_simulator_is_reported_as_one_not_as_the_scenarios_fault(
        monkeypatch: pytest.MonkeyPatch):
    """An exception inside simstart (here an assertion while building the world) is shown as
    a bug in simstart, with the exception and the simstart line it came through — never as a
    mistake at line 1 of the user's file."""
    import simstart.engine.run

    def broken(_sc: object) -> None:
        raise AssertionError("the world is inconsistent")

    monkeypatch.setattr(simstart.engine.run, "build_world", broken)
    app = SimstartApp("bridge-port", source_lookup=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen) and app.screen.bug
        msg = app.screen.message
        assert "bug in simstart" in msg and ":1:1" not in msg
        assert "AssertionError: the world is inconsistent" in msg
        assert "simstart/engine/run.py:" in msg  # where it was raised, inside simstart
        assert app.failure is not None and app.failure.bug and app.session is None


async def test_a_bug_during_a_what_if_is_reported_and_the_run_stays(
        monkeypatch: pytest.MonkeyPatch):
    import simstart.engine.session

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")

        def broken(*_args: object) -> None:
            raise KeyError("site")

        monkeypatch.setattr(simstart.engine.session, "sites_ahead", broken)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen) and app.screen.bug
        assert "KeyError: 'site'" in app.screen.message
        await pilot.press("escape")
        assert pos(app) == 1  # the run that was open is still there


async def test_the_footer_is_one_widget_with_its_keys_in_the_first_frame() -> None:
    """The footer is one widget drawn from the screen's bindings, so its keys are on the first
    frame (Textual's Footer built a widget per key once that frame was painted, ~0.1 s later,
    and again on every focus change and dialog); each action shows once, with its first key;
    switching the language changes its words; a click on a key presses it."""
    from textual.widget import Widget

    from simstart.tui.panes import KeyFooter

    app = SimstartApp("bridge-port", source_lookup=None, intro=True)
    app.animation_level = "none"
    async with app.run_test(size=(200, 50)) as pilot:
        footer = app.query_one(KeyFooter)
        assert not list(footer.query(Widget))  # no widget per key
        first = footer.render().plain
        assert first.startswith(" space Step  p Back  N Phase▸") and "^p palette" in first
        assert first.count("Step") == 1  # space, n and right step: shown once
        await pilot.press("enter")  # the card closes
        await pilot.pause()
        x = footer.render().plain.index(" p ")
        await pilot.click(KeyFooter, offset=(x + 1, 0))  # "p": back, at step 1: nothing
        await pilot.click(KeyFooter, offset=(1, 0))  # "space": a step
        await pilot.pause()
        assert pos(app) == 1
        await pilot.press("l")
        await pilot.pause()
        assert "前进" in footer.render().plain


async def test_a_step_within_a_function_repaints_only_the_source_rows_that_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps 3 and 4 of bridge-port stay in the same function and move its current line: the
    source pane repaints those few rows (it repainted all 41 before), and what it then shows
    is exactly what a full repaint draws."""
    from textual.geometry import Region
    from textual.strip import Strip

    from simstart.tui.panes import SourcePane

    rows: list[int] = []
    render_line = SourcePane.render_line

    def counted(self: SourcePane, y: int) -> Strip:
        rows.append(y)
        return render_line(self, y)

    monkeypatch.setattr(SourcePane, "render_line", counted)
    app = SimstartApp("bridge-port", intro=False)
    app.animation_level = "none"
    async with app.run_test(size=(200, 50)) as pilot:
        pane = app.query_one(SourcePane)
        for key in ("", "space", "space", "space", "space"):
            if key:
                await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            if pos(app) == 2:
                title = pane.border_title
                rows.clear()
        assert pos(app) == 4 and pane.border_title == title  # the same function
        assert 0 < len(rows) <= 12, rows  # two steps, each a line or two and their notes
        assert "▶" in pane.current.plain
        box = Region(0, 0, *pane.outer_size)
        shown = [list(strip) for strip in pane.render_lines(box)]
        pane.refresh()  # everything again
        assert [list(strip) for strip in pane.render_lines(box)] == shown


async def test_the_next_steps_source_and_stack_are_rendered_while_a_step_is_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a step is on screen, the next step's source lines and call stack are measured and
    rendered into the panes' caches: the key that shows them renders none of their lines,
    and the panes then show exactly what a full repaint draws."""
    from textual.content import Content
    from textual.geometry import Region

    from simstart.tui.panes import LineKey, LinePane, SourcePane, StackPane

    rendered: list[str] = []  # the panes a line was rendered for (wrapped: a cache miss)
    warming = [False]
    for cls in (SourcePane, StackPane):
        wrapped = cls.wrapped

        def counted(self: LinePane, key: LineKey, width: int,
                    wrapped: Callable[[LinePane, LineKey, int], Content] = wrapped) -> Content:
            if not warming[0]:
                rendered.append(str(self.id))
            return wrapped(self, key, width)

        monkeypatch.setattr(cls, "wrapped", counted)
    warm_next = SimstartApp._warm_next

    def warm(self: SimstartApp) -> None:  # its renders are not the key's
        warming[0] = True
        try:
            warm_next(self)
        finally:
            warming[0] = False

    monkeypatch.setattr(SimstartApp, "_warm_next", warm)
    app = SimstartApp("bridge-port", intro=False)
    app.animation_level = "none"
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        titles = set()
        for _ in range(12):
            await pilot.pause()
            rendered.clear()
            before = app.query_one(SourcePane).border_title
            await pilot.press("space")
            await pilot.pause()
            titles.add(before != app.query_one(SourcePane).border_title)
            assert "source" not in rendered and "stack" not in rendered, (pos(app), rendered)
        assert titles == {True, False}  # steps into other functions, and within one
        for pane in (app.query_one(SourcePane), app.query_one(StackPane)):
            box = Region(0, 0, *pane.outer_size)
            shown = [list(strip) for strip in pane.render_lines(box)]
            pane._strips.clear()
            pane.refresh()
            assert [list(strip) for strip in pane.render_lines(box)] == shown


async def test_the_panes_keep_their_height_and_the_screen_is_rarely_laid_out_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The call stack, the events and the narration keep the height of the most they have
    held, so that stepping lays the screen out again only when one of them grows (it did so
    at more than every step: each change of height, the source pane's scrollbar coming and
    going, a tab's mark). Another scenario starts the heights over."""
    from textual.screen import Screen

    from simstart.tui.panes import EventsPane, NarrationPane, StackPane

    layouts: list[bool] = []
    refresh_layout = Screen._refresh_layout

    def counted(self: Screen[object], size: object = None, scroll: bool = False) -> None:
        layouts.append(scroll)
        refresh_layout(self, size, scroll)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    for size in ((200, 50), (80, 24)):
        app = SimstartApp("bridge-port", intro=False)
        app.animation_level = "none"
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            panes = [app.query_one(StackPane), app.query_one(EventsPane),
                     app.query_one(NarrationPane)]
            heights: list[list[int]] = [[] for _ in panes]
            layouts.clear()
            for _ in range(60):
                await pilot.press("space")
                await pilot.pause()
                for h, pane in zip(heights, panes, strict=True):
                    h.append(pane.outer_size.height)
            full = layouts.count(False)
            assert full <= 15, (size, full)  # 78 and 77 at 200x50 before, for 60 steps
            for h in heights:
                assert h == sorted(h), (size, h)  # never shorter than it was
            if size == (200, 50):
                tall = panes[0].outer_size.height
                assert app.open_ref("already-running")
                await pilot.pause()
                await pilot.pause()
                assert panes[0].outer_size.height < tall  # starts over


async def test_the_call_stack_is_as_tall_as_the_deepest_stack_from_step_1() -> None:
    """The call stack keeps, from step 1, the rows of the scenario's deepest stack (no more
    than its max-height), so it does not grow on the way down; its frames are at the top,
    in view, also when the card was over the panes when they were filled."""
    from simstart.tui.panes import StackPane

    app = SimstartApp("bridge-port", intro=True)
    app.animation_level = "none"
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # closes the card: the panes are shown
        await pilot.pause()
        await pilot.pause()
        stack = app.query_one(StackPane)
        assert pos(app) == 0 and stack.scroll_y == 0
        assert stack.outer_size.height == 14  # its max-height: bridge-port goes 16 deep
        top = [str(stack.render_line(y).text) for y in range(2)]
        assert "ServeHTTP" in top[0] and "makeHTTPHandler" in top[1]


async def test_a_recorded_session_is_kept_out_of_the_collectors_way() -> None:
    """What is alive once a scenario is recorded is frozen out of the cyclic collector's view
    (its full collections walked the whole trace, ~70 ms, every few steps); opening another
    scenario frees the last one first; closing the app gives it all back."""
    import gc

    app = SimstartApp("bridge-port", intro=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = gc.get_freeze_count()
        assert first > 10_000 and gc.isenabled()
        assert app.open_ref("already-running")
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0


async def test_a_stack_deeper_than_its_pane_keeps_the_current_frame_in_view() -> None:
    """At 200x50 the call stack is at most 14 rows; runc's hook is 16 frames deep, and the
    current frame (the last) is what the pane must show."""
    from simstart.tui.panes import StackPane

    app = SimstartApp("runtime-faults", source_lookup=None, intro=False)
    app.animation_level = "none"
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("g", *"159", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.session is not None and app.session.step.stage == "runtime.setkey_fatal"
        stack = app.query_one(StackPane)
        assert stack.max_scroll_y > 0 and stack.scroll_y == stack.max_scroll_y
        last_row = stack.scroll_y + stack.scrollable_content_region.height - 1
        assert stack.line_y(len(stack._keys) - 1) == last_row
