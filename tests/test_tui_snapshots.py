"""SVG snapshots of the TUI (pytest-textual-snapshot; baselines in tests/__snapshots__/).

Determinism checklist (STYLE.md §4): a fixed theme passed to the app (not read from the
environment), no clock in the header, animations off, a fixed terminal size per test, no
notifications on screen (cleared before the shot), no text cursor in any shot, and every move
made before the shot is awaited. The source pane uses the anchor-only rendition
(``source_lookup=None``) so that edits to the annotated catalog, which has its own tests, do not
churn these baselines.

Plain ``def`` tests: ``snap_compare`` cannot run inside an event loop. Update the baselines
with ``pytest tests/test_tui_snapshots.py --snapshot-update`` after checking the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from simstart.tui.app import CONTRAST_THEME, DEFAULT_THEME, SimstartApp
from simstart.tui.screens import WhatIfScreen

pytestmark = pytest.mark.tui

PORT = "portallocator.request_port"
WIDE = (200, 50)


def make_app(theme: str = DEFAULT_THEME, lang: str = "en") -> SimstartApp:
    app = SimstartApp("bridge-port", source_lookup=None, theme=theme, lang=lang)
    app.animation_level = "none"
    return app


def at_stage(stage: str, *keys: str, fork: bool = False) -> Callable[[Pilot], Awaitable[None]]:
    """A ``run_before`` that goes to ``stage`` (after a port-conflict what-if if ``fork``)."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app, SimstartApp)
        s = app.opened()  # run_before may run before the first frame has been painted
        assert s is not None
        if fork:
            s.trace.goto(next(x.index for x in s.trace if x.phase == "network"))
            app.refresh_view()
            await pilot.press("w")
            screen = app.screen
            assert isinstance(screen, WhatIfScreen)
            screen.query_one("#whatif-list").highlighted = next(  # type: ignore[attr-defined]
                i for i, c in enumerate(screen.choices) if c.site == PORT)
            await pilot.press("enter", "enter")
            await pilot.pause()
        s.trace.goto(next(x.index for x in s.trace if x.stage == stage))
        app.refresh_view()
        for k in keys:
            await pilot.press(k)
        app.clear_notifications()
        await pilot.pause()

    return run_before


def test_snapshot_first_step(snap_compare):
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=at_stage("http.request"))


def test_snapshot_mid_networking(snap_compare):
    assert snap_compare(make_app(), terminal_size=WIDE,
                        run_before=at_stage("network.port_allocated"))


def test_snapshot_error_path_after_a_fault(snap_compare):
    assert snap_compare(make_app(), terminal_size=WIDE,
                        run_before=at_stage("cleanup.set_error", fork=True))


def test_snapshot_help(snap_compare):
    assert snap_compare(make_app(), terminal_size=(100, 40), press=["question_mark"])


def test_snapshot_80x24_world_tab(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24),
                        run_before=at_stage("network.veth", "3"))


def test_snapshot_80x24_high_contrast_source(snap_compare):
    assert snap_compare(make_app(CONTRAST_THEME), terminal_size=(80, 24),
                        run_before=at_stage("network.port_allocated"))


def test_snapshot_chinese_narration(snap_compare):
    # The narrations (and, anchor-only, the source pane's lines) in Chinese.
    assert snap_compare(make_app(lang="zh"), terminal_size=(120, 36),
                        run_before=at_stage("network.veth"))


def test_snapshot_the_annotated_source_pane(snap_compare):
    """The pane every user sees: the catalog's annotated rendition (containerStart), at 80x24
    (changes to that rendition change this baseline, deliberately)."""
    app = SimstartApp("bridge-port", theme=DEFAULT_THEME)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=at_stage("start.restart_manager"))


def test_snapshot_the_scenario_card(snap_compare):
    """What a newcomer sees first: the scenario's title, description and objectives."""
    app = SimstartApp("bridge-port", theme=DEFAULT_THEME, intro=True)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=(80, 24))


def test_snapshot_wide_layout_with_the_expectations(snap_compare):
    """200x50 at the last step: the source pane 114 wide, the events as tall as they are,
    what was expected and what happened."""
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=at_stage("response.no_content"))


def test_snapshot_a_question_revealed(snap_compare):
    """The quiz at 100x30: port-already-allocated's first question (step 37), answered wrong,
    the right answer marked and why."""
    app = SimstartApp("port-already-allocated", source_lookup=None, theme=DEFAULT_THEME,
                     quiz=True)
    app.animation_level = "none"

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("end")  # stops at the first question
        await pilot.pause()
        await pilot.press("2")  # 304: wrong
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
