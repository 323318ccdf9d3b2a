"""The Textual app: call stack, source, world, events, narration and timeline over a
``Session``. The app turns keys into session calls and pushes the session's view down to the
panes; every computation lives in ``engine.session``, ``engine.fork`` and ``tui.view``.

The scenario is recorded when the app is mounted, before anything is painted: the first frame
is step 1 with the scenario's card in the panes' place. (A placeholder frame painted first
only put step 1 later: Textual's layout and paint of the screen, ~40 ms at 200x50, came
twice.) An action that needs the session before that records it first (``opened``);
reading ``app.session`` never records anything.

A scenario that cannot be opened shows the error screen: with its ``file:line:col`` message
when the scenario is at fault (``ScenarioError``), or saying that simstart has a bug, with the
exception and where it was raised, for anything else."""

from __future__ import annotations

import gc
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Container
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static, Tabs

from .commands import SimstartCommands, bindings
from .panes import (
    EventsPane,
    IntroCard,
    KeyFooter,
    NarrationPane,
    PaneTab,
    SourcePane,
    StackPane,
    Timeline,
    WorldPane,
    help_of,
    translate_bindings,
)
from .sourcecat import (
    UpstreamSource,
    about_lookup,
    catalog_lookup,
    check_lang,
    install_hint,
    narrator,
)
from .words import say
from .words import table as words_table

if TYPE_CHECKING:  # the engine is imported once the first frame is painted, not before
    from ..engine.fork import Choice
    from ..engine.quiz import Asked
    from ..engine.session import Session
    from ..scenario import Scenario
    from .view import About, Entry, SourceLookup, WorldSections

# The dialogs (screens.py: Input, OptionList, SelectionList…) and the view functions (view.py)
# are imported where they are first used: neither is needed to paint the first frame.

DEFAULT_THEME = "textual-dark"
CONTRAST_THEME = "simstart-contrast"

# For projectors: pure black and white, saturated marks, nothing muted into the background.
CONTRAST = Theme(
    name=CONTRAST_THEME,
    primary="#FFFFFF",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    success="#00FF66",
    warning="#FFD000",
    error="#FF4040",
    dark=True,
    text_alpha=1.0,
    variables={"text-muted": "#D0D0D0", "footer-key-foreground": "#FFFF00"},
)

PANES = ("source", "stack", "world", "events")
MIN_SIZE = (60, 16)  # below this the panes would get no rows: one message instead
SPEEDS = (3.0, 2.0, 1.0, 0.5, 0.25, 0.1)  # seconds per step
NEEDS_SESSION = {"intro", "step_forward", "step_back", "first", "last", "next_phase",
                 "prev_phase", "goto", "toggle_breakpoint", "breakpoints", "run_to_breakpoint",
                 "autoplay", "faster", "slower", "what_if", "switch_run", "save_what_if", "reset",
                 "toggle_quiz"}


def pane_title(name: str, lang: str = "en") -> str:
    """A pane's name in ``lang`` (its tab and its border)."""
    return say(f"pane.{name}", lang)


def tab_label(number: int, title: str, changed: bool) -> Content:
    """``3·World ●`` when this step changed the pane; as wide either way, so that marking a
    tab never moves the others."""
    return Content.assemble((f"{number}·{title}", ""),
                            (" ●" if changed else "  ", "bold $text-warning"))


def settle_heap(collect: bool = False) -> None:
    """Take what is alive now out of the cyclic garbage collector's view (``gc.freeze``) and
    let it run again. A recorded scenario is hundreds of thousands of objects that live as
    long as its session; left in view, every full collection walks them all (on bridge-port
    65-75 ms, once every few steps: the slowest steps). ``collect`` first frees what an
    earlier session left (another scenario was opened); the CLI disables the collector until
    the first session is recorded (``_tui``), so the start does not collect either."""
    if collect:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
    gc.enable()


def load_ref(ref: str) -> Scenario:
    """Load a scenario by shipped name or path (raises ``ScenarioError``)."""
    from ..scenario import load
    from ..scenario.library import resolve

    return load(resolve(ref), strict=True)  # exactly `simstart validate`'s checks


def shipped_entries(lang: str = "en") -> list[Entry]:
    """Every shipped scenario, with its title in ``lang`` and its topic; an invalid one says
    so in its title."""
    from ..scenario import ScenarioError, load
    from ..scenario.library import shipped
    from .view import Entry

    out = []
    for p in shipped():
        try:
            sc = load(p)
        except ScenarioError as e:
            out.append(Entry(p.stem, str(p), f"(invalid: {e.message})"))
            continue
        out.append(Entry(p.stem, str(p), sc.text(lang).title, sc.topic, sc.lesson))
    return out


@dataclass(frozen=True)
class Failure:
    """Why a scenario could not be opened or run: ``bug`` when simstart is at fault, not the
    scenario."""

    message: str
    bug: bool = False


def describe_failure(ref: str, e: Exception, lang: str = "en") -> Failure:
    """The scenario's ``file:line:col`` message for a ``ScenarioError``; for any other
    exception, one line saying that it is a bug in simstart, with the exception and the
    simstart line that raised it."""
    from ..scenario import ScenarioError

    if isinstance(e, ScenarioError):
        return Failure(str(e))
    package = Path(__file__).resolve().parent.parent
    where = "?"
    for frame in traceback.extract_tb(e.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(package):
            where = f"{path.relative_to(package.parent)}:{frame.lineno}"
    return Failure(say("error.bug", lang, ref=ref, error=f"{type(e).__name__}: {e}",
                       where=where), bug=True)


class SimstartApp(App[int]):
    """Step through a scenario: keys drive the session, the panes show it."""

    CSS_PATH = "app.tcss"
    TITLE = "simstart"
    BINDINGS: ClassVar[list[BindingType]] = bindings()  # type: ignore[assignment]
    COMMANDS = App.COMMANDS | {SimstartCommands}
    # Below MIN_SIZE one message replaces the screen (on_resize); from 150x40 every pane
    # shows at once; from 200 columns the source pane takes a 100-column Go line unwrapped.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide"), (200, "-wider")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # noqa: RUF012

    active_pane: reactive[str] = reactive("source")

    def __init__(self, scenario: Scenario | str | None = None, *,
                 source_lookup: SourceLookup | bool | None = True,
                 theme: str = DEFAULT_THEME, lang: str = "en",
                 roots: Mapping[str, Path] | None = None, intro: bool = False,
                 quiz: bool = False) -> None:
        """Open ``scenario`` (None: no scenario, or one that failed: set ``failure``).

        Args:
            scenario: the scenario to walk, or a shipped name or path to load once the first
                frame is painted (its errors then go to the error screen).
            source_lookup: the source catalog's ``(symbol, line)`` lookup; True to find
                ``simstart.source`` at run time, None or False for the anchor-only pane.
            theme: the theme to start with.
            lang: the language of the narrations and annotations, ``en`` or ``zh``
                (``UnknownLanguage``, a ``ValueError``, for any other).
            roots: checkouts (``"moby/moby"``, ``"containerd/containerd"``, ``"docker/runc"``
                → directory) to read the real functions from; ``u`` then shows them.
            intro: open each scenario on its card (title, description, objectives); the
                command line does, tests mostly do not.
            quiz: start in quiz mode: the walk stops at each of the scenario's questions.
        """
        super().__init__()
        self.register_theme(CONTRAST)
        self.theme = theme
        self.lang = check_lang(lang)
        self._catalog = source_lookup is True
        self._custom_lookup = None if source_lookup is True else (source_lookup or None)
        self.lookup: SourceLookup | None = None
        self.about: About | None = None
        self.narrate = narrator("en")
        self._lang_ready = False  # the catalog is looked up with the session, not before
        self.upstream = UpstreamSource(roots) if roots else None
        self.show_upstream = False
        self._session: Session | None = None
        self._pending: Scenario | str | None = scenario
        self.failure: Failure | None = None  # why no scenario is open, if one failed
        self.intro = intro
        self.speed = 2  # index into SPEEDS
        self._timer: Timer | None = None
        self._world_sections: WorldSections | None = None  # made with the first step
        self.quiz = quiz
        self.questions: list[Asked] = []  # the scenario's, placed on the original run
        self.answers: dict[int, str | None] = {}  # question number -> the choice (None: skipped)
        self._quiz_seen = -1  # the last position of the original run the quiz looked at
        self._asking = False  # a question is on screen
        self._score_shown = False
        self._focus_before: Widget | None = None  # focused before the card opened
        self._panes_due = False  # the card is up: the panes are filled after its frame
        self._warmed: tuple[object, int, str] | None = None  # the step _warm_next rendered

    # -- the session, recorded once the first frame is up ----------------------------------

    @property
    def session(self) -> Session | None:
        """The session, or None when no scenario is open (or it is not recorded yet)."""
        return self._session

    @session.setter
    def session(self, value: Session | None) -> None:
        self._pending = None
        self._session = value

    @property
    def error(self) -> str | None:
        """Why no scenario is open: the message of the failure, if there was one."""
        return self.failure.message if self.failure is not None else None

    def opened(self) -> Session | None:
        """The session, after recording the scenario still waiting for the first frame to be
        painted (if one is)."""
        if self._pending is not None:
            self._open_pending()
        return self._session

    def _open_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            scenario = load_ref(pending) if isinstance(pending, str) else pending
            from ..engine.session import Session

            if not self._lang_ready:
                self._use_lang(self.lang)
            session = Session(scenario)
            self._place_questions(session)
            self._session = session
        except Exception as e:  # the scenario's fault, or a bug in simstart: describe_failure
            self.failure = describe_failure(
                pending if isinstance(pending, str) else pending.file, e, self.lang)

    def _open_at_mount(self) -> None:
        """Record the scenario, show the scenario's card and its first step (or why it
        cannot be shown)."""
        had_failure = self.failure is not None
        if (s := self.opened()) is not None:
            self._reserve(s)
            if self.intro:
                self.action_intro()  # first: a question at step 1 waits for the card
        if self.intro_open and (s is None or self.too_small()):
            self.close_intro()  # the class compose set ahead of the card: no card after all
        self.refresh_view()
        settle_heap()
        if self.failure is not None and not had_failure:
            self._show_failure(self.failure)

    def _show_failure(self, failure: Failure) -> None:
        """The error screen for ``failure``; its ``o`` opens the picker."""
        from .screens import ErrorScreen

        self.push_screen(ErrorScreen(failure.message, failure.bug, self.lang),
                         self._after_error)

    def too_small(self) -> bool:
        """The terminal is below ``MIN_SIZE``: one message says so, nothing else shows."""
        return self.size.width < MIN_SIZE[0] or self.size.height < MIN_SIZE[1]

    def action_intro(self) -> None:
        """The scenario's card: title, description, objectives (not in a terminal too
        small to read it: ``i`` shows it once the window is larger)."""
        s = self.opened()
        if s is not None and not self.too_small() and self.screen_stack:
            t = s.scenario.text(self.lang)
            card = self.query_one(IntroCard)
            card.show(t.title, t.description, t.objectives, self.lang)
            main = self.screen_stack[0]
            if not main.has_class("-intro"):
                self._focus_before = main.focused
            main.add_class("-intro")
            card.focus(scroll_visible=False)

    @property
    def intro_open(self) -> bool:
        """The scenario's card is shown."""
        return bool(self.screen_stack) and self.screen_stack[0].has_class("-intro")

    def on_intro_card_closed(self, _: IntroCard.Closed) -> None:
        """A key or a click closed the card."""
        self.close_intro()

    def close_intro(self) -> None:
        """Close the card: the panes show, and a question waiting at this step is asked."""
        if self.intro_open:
            self.screen_stack[0].remove_class("-intro")
            self.call_after_refresh(self._refocus)  # once the panes are shown again
            self.refresh_view()

    def _refocus(self) -> None:
        """Focus what had it before the card opened, or (when the card opened with the
        scenario) what Textual would have focused first."""
        main = self.screen_stack[0]
        before, self._focus_before = self._focus_before, None
        if main.focused is not None and not isinstance(main.focused, IntroCard):
            return  # something took the focus meanwhile (a dialog closing gives it back)
        if before is not None and before.is_attached and before.focusable:
            main.set_focus(before)
        else:
            main.set_focus(None)
            main.focus_next()

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Timeline on top, the panes (tabs when small), narration, footer; the scenario's
        card in the panes' place when the app opens on it."""
        if self.intro and self._pending is not None:
            # before the screen is first styled: a class added later restyles every widget
            # on it, which held back the first frame by ~10 ms
            self.screen.add_class("-intro")
        yield Timeline(id="timeline")
        lang = self.lang
        tabs = Tabs(*[PaneTab(tab_label(i, pane_title(p, lang), False), id=f"tab-{p}")
                      for i, p in enumerate(PANES, 1)], id="pane-tabs")
        tabs.can_focus = False
        yield tabs
        with Container(id="panes"):
            yield SourcePane(pane_title("source", lang), id="source")
            yield StackPane(pane_title("stack", lang), id="stack")
            yield WorldPane(pane_title("world", lang), id="world")
            yield EventsPane(pane_title("events", lang), id="events")
        yield NarrationPane(pane_title("narration", lang), id="narration")
        yield IntroCard(id="intro")
        yield Static(say("empty", lang), id="empty")
        yield Static("", id="too-small", markup=False)
        yield KeyFooter()

    def on_resize(self, event: events.Resize) -> None:
        """Below ``MIN_SIZE``: the main screen shows one message saying the size it needs,
        and the scenario's card closes. (A class of our own on the main screen, not a
        breakpoint class: Textual gives those only to the screen on top.)"""
        w, h = event.size
        small = w < MIN_SIZE[0] or h < MIN_SIZE[1]
        if self.screen_stack:
            self.screen_stack[0].set_class(small, "-too-small")
            if small:
                self.close_intro()
        if small:
            self.query_one("#too-small", Static).update(say(
                "too_small", self.lang, need_w=MIN_SIZE[0], need_h=MIN_SIZE[1], w=w, h=h))

    def on_mount(self) -> None:
        """Record the scenario and show its card and first step (or the error) in the first
        frame."""
        self.watch_active_pane(self.active_pane)
        self._words_in(self.lang)
        self._open_at_mount()

    async def on_unmount(self) -> None:
        """The app is closing: what settle_heap froze is the collector's again (an app run
        in a process that goes on, such as a test's, must not keep it forever)."""
        gc.unfreeze()

    def watch_active_pane(self, name: str) -> None:
        """Show the chosen pane when the panes are tabs."""
        for p in PANES:
            self.query_one(f"#{p}").set_class(p == name, "-active")
        tabs = self.query_one("#pane-tabs", Tabs)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        """A tab was clicked."""
        if event.tab.id:
            self.active_pane = event.tab.id.removeprefix("tab-")

    # -- pushing the session down to the panes ---------------------------------------------

    def refresh_view(self) -> None:
        """Show the session's current step in every pane. While the card hides the panes,
        the timeline only: the panes are filled once the card's frame has been painted."""
        from .view import timeline_view

        s = self.session
        if self.screen_stack:
            self.screen_stack[0].set_class(s is None, "-empty")
        if s is None:
            self.sub_title = say("no_scenario", self.lang)
            return
        due = self._question_due(s)  # may move to the step of a question passed over
        lang = self.lang
        self.sub_title = s.scenario.text(lang).title
        playing = say("timeline.autoplay", lang, speed=f"{SPEEDS[self.speed]:g}") \
            if self._timer is not None else ""
        self.query_one(Timeline).show(timeline_view(s, lang), playing,
                                      s.scenario.text(lang).title,
                                      self._quiz_label(), lang)
        if not self.intro_open:
            self._show_panes(s)
        elif not self._panes_due:
            self._panes_due = True
            self.call_after_refresh(self._fill_panes)
        if due is not None:
            self._ask(due)
        elif self._score_due(s):
            self._show_score()

    def _fill_panes(self) -> None:
        """The panes of the current step, filled while the card is read."""
        self._panes_due = False
        if self._session is not None:
            self._show_panes(self._session)

    def _show_panes(self, s: Session) -> None:
        """Show the current step in the call stack, source, world, events and narration."""
        from .view import (
            WorldSections,
            changed_rows,
            events_rows,
            expectation_rows,
            short,
            source_view,
            stack_rows,
            tabs_changed,
            upstream_view,
        )

        step, lang = s.step, self.lang
        self.query_one(StackPane).show(stack_rows(step), lang)
        v = source_view(s.trace, s.position, self.lookup, self.narrate, self.about, lang)
        if self.show_upstream and self.upstream is not None:
            real, note = self.upstream.lines(step.symbol, lang)
            v = upstream_view(v, step, real, note, self.narrate, lang)
        self.query_one(SourcePane).show(v, lang)
        w = s.trace.world
        if self._world_sections is None:
            self._world_sections = WorldSections()  # rebuilds only what a step touched
        self.query_one(WorldPane).show(changed_rows(step.changes),
                                       self._world_sections(s.trace, lang), lang)
        ev, lg = events_rows(w, step.changes)
        self.query_one(EventsPane).show(ev, lg, expectation_rows(s, lang), lang)
        self._mark_tabs(*tabs_changed(w, step.changes))
        self.query_one(NarrationPane).show(step.stage, short(self.narrate(step)),
                                           step.symbol, self.lang)
        self.call_after_refresh(self._warm_next)

    def _reserve(self, s: Session) -> None:
        """The call stack as tall as the deepest stack of the scenario from step 1: it does
        not grow (and lay the screen out again) on the way down."""
        self.query_one(StackPane).reserve(max((len(st.stack) for st in s.trace.steps),
                                              default=0))

    def _warm_next(self) -> None:
        """Once this step is on screen and while it is read: the next step's source and call
        stack, measured and rendered into the panes' caches, so that the key that shows it
        does not wait for them (on the default scenario, about a third of a step's work)."""
        from .view import source_view, stack_rows

        s = self._session
        if s is None or self.intro_open or self.show_upstream:
            return
        nxt = s.position + 1
        if nxt >= len(s.trace) or self._warmed == (s.trace, nxt, self.lang):
            return
        self._warmed = (s.trace, nxt, self.lang)
        self.query_one(SourcePane).warm_view(
            source_view(s.trace, nxt, self.lookup, self.narrate, self.about, self.lang),
            self.lang)
        self.query_one(StackPane).warm_rows(stack_rows(s.trace.steps[nxt]))

    def _mark_tabs(self, world: bool, events: bool) -> None:
        """Mark the World and Events tabs when this step changed them (the tabs show when
        the terminal is too small for every pane at once)."""
        for i, (name, changed) in enumerate((("world", world), ("events", events)), 3):
            self.query_one(f"#tab-{name}", PaneTab).relabel(
                tab_label(i, pane_title(name, self.lang), changed))

    # -- which actions apply ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Stepping needs a scenario (one still being recorded counts); the rest always
        applies."""
        return not (action in NEEDS_SESSION and self._session is None and self._pending is None)

    # -- stepping --------------------------------------------------------------------------

    def _move(self, moved: bool, at_edge: str) -> None:
        if not moved:
            self.bell()
            self.notify(at_edge, timeout=2)
        self.refresh_view()

    def action_step_forward(self) -> None:
        """One step forward."""
        if (s := self.opened()) is not None:
            self._move(s.trace.forward(), say("edge.last_step", self.lang))

    def action_step_back(self) -> None:
        """One step back."""
        if (s := self.opened()) is not None:
            self._move(s.trace.back(), say("edge.first_step", self.lang))

    def action_first(self) -> None:
        """The first step."""
        if (s := self.opened()) is not None:
            s.trace.goto(0)
            self.refresh_view()

    def action_last(self) -> None:
        """The last step."""
        if (s := self.opened()) is not None:
            s.trace.goto(len(s.trace) - 1)
            self.refresh_view()

    def action_next_phase(self) -> None:
        """The first step of the next phase."""
        if (s := self.opened()) is not None:
            self._move(s.trace.next_phase(), say("edge.last_phase", self.lang))

    def action_prev_phase(self) -> None:
        """The start of this phase, or of the previous one."""
        if (s := self.opened()) is not None:
            self._move(s.trace.prev_phase(), say("edge.first_phase", self.lang))

    def action_goto(self) -> None:
        """Ask for a step number, then go there."""
        if (s := self.opened()) is not None:
            from .screens import GoToScreen

            self.push_screen(GoToScreen(len(s.trace), self.lang), self._after_goto)

    def _after_goto(self, n: int | None) -> None:
        if n is not None and self._session is not None:
            self._session.trace.goto(n)
            self.refresh_view()

    def action_reset(self) -> None:
        """The original run's first step; autoplay stops."""
        if (s := self.opened()) is not None:
            self._stop()
            s.reset()
            self.refresh_view()

    # -- breakpoints and autoplay ------------------------------------------------------------

    def action_toggle_breakpoint(self) -> None:
        """A breakpoint on the current step's stage id, or none."""
        s = self.opened()
        if s is None:
            return
        stage = s.step.stage
        on = s.toggle_breakpoint(stage)
        self.notify(say("bp.set" if on else "bp.cleared", self.lang, stage=stage), timeout=3)
        self.refresh_view()

    def action_breakpoints(self) -> None:
        """Choose breakpoints from every phase and stage id."""
        s = self.opened()
        if s is None:
            return
        from .screens import BreakpointsScreen
        from .view import phase_title

        phases = [(p, phase_title(p, self.lang)) for p in s.phases()]
        self.push_screen(BreakpointsScreen(phases, s.stages(), set(s.breakpoints), self.lang),
                         self._after_breakpoints)

    def _after_breakpoints(self, chosen: set[str] | None) -> None:
        if chosen is not None and self._session is not None:
            self._session.breakpoints = set(chosen)
            self.notify(say("bp.count" if len(chosen) != 1 else "bp.one", self.lang,
                            count=len(chosen)), timeout=2)
            self.refresh_view()

    def action_run_to_breakpoint(self) -> None:
        """Forward to the next breakpoint, or to the end."""
        s = self.opened()
        if s is None:
            return
        if not s.run_to_breakpoint():
            self.notify(say("bp.none_ahead", self.lang), timeout=3)
        self.refresh_view()

    def action_autoplay(self) -> None:
        """Start or stop stepping by itself."""
        if self._timer is not None:
            self._stop()
        else:
            self._timer = self.set_interval(SPEEDS[self.speed], self._tick)
        self.refresh_view()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        s = self.opened()
        if s is None or not s.trace.forward():
            self._stop()
        elif s.breakpoint_hit(s.position):
            self._stop()
            self.notify(say("bp.hit", self.lang, stage=s.step.stage), timeout=3)
        self.refresh_view()

    def _set_speed(self, index: int) -> None:
        self.speed = max(0, min(len(SPEEDS) - 1, index))
        if self._timer is not None:
            self._stop()
            self._timer = self.set_interval(SPEEDS[self.speed], self._tick)
        self.notify(say("autoplay.speed", self.lang, speed=f"{SPEEDS[self.speed]:g}"),
                    timeout=2)
        self.refresh_view()

    def action_faster(self) -> None:
        """Shorter pause between autoplay steps."""
        self._set_speed(self.speed + 1)

    def action_slower(self) -> None:
        """Longer pause between autoplay steps."""
        self._set_speed(self.speed - 1)

    # -- what-if ---------------------------------------------------------------------------

    def action_what_if(self) -> None:
        """Choose a fault site still ahead and an error to inject there."""
        s = self.opened()
        if s is None:
            return
        self._stop()
        try:
            choices = s.what_if_choices()
        except Exception as e:  # the scenario loaded and ran: this is simstart's fault
            self._show_failure(describe_failure(s.scenario.file, e, self.lang))
            return
        from .screens import WhatIfScreen

        self.push_screen(WhatIfScreen(choices, len(s.scenario.requests) > 1, self.lang),
                         self._after_what_if)

    def _after_what_if(self, answer: tuple[Choice, str] | None) -> None:
        s = self._session
        if s is None or answer is None:
            return
        choice, error = answer
        try:
            f = s.what_if(choice, error)
        except Exception as e:  # as above: a bug in simstart
            self._show_failure(describe_failure(s.scenario.file, e, self.lang))
            return
        self.notify(say("whatif.forked", self.lang, site=choice.site, step=f.diverges + 1),
                    timeout=6)
        self.refresh_view()

    def action_switch_run(self) -> None:
        """Original run ⇄ what-if fork."""
        s = self.opened()
        if s is None:
            return
        if not s.switch():
            self.notify(say("whatif.none", self.lang), timeout=3)
            return
        self.notify(say("whatif.showing_fork" if s.on_fork else "whatif.showing_original",
                        self.lang), timeout=2)
        self.refresh_view()

    def action_save_what_if(self) -> None:
        """Keep the what-if: a new scenario file beside the original (never overwriting)."""
        s = self.opened()
        if s is None:
            return
        if s.fork is None:
            self.notify(say("whatif.none_to_save", self.lang), timeout=3)
            return
        from pathlib import Path

        from ..engine.whatif import free_path, what_if_yaml

        original = Path(s.scenario.file)
        try:
            text = what_if_yaml(original.read_text(encoding="utf-8"), s.fork)
        except OSError as e:
            self.notify(say("whatif.cannot_read", self.lang, file=original, why=e.strerror),
                        severity="error", timeout=6)
            return
        for folder in (original.parent, Path.cwd()):  # a shipped scenario may be read-only
            target = free_path(folder / original.name, s.fork.fault.site)
            try:
                with target.open("x", encoding="utf-8") as f:
                    f.write(text)
            except OSError:
                continue
            self.notify(say("whatif.saved", self.lang, file=target, name=target.name),
                        timeout=8)
            return
        self.notify(say("whatif.cannot_write", self.lang, file=original, cwd=Path.cwd()),
                    severity="error", timeout=6)

    # -- scenarios -------------------------------------------------------------------------

    def action_open_scenario(self) -> None:
        """Pick a shipped scenario or type a path."""
        from .screens import PickerScreen

        self.push_screen(PickerScreen(shipped_entries(self.lang), self.lang), self._after_pick)

    def _after_pick(self, ref: str | None) -> None:
        if ref is not None:
            self.open_ref(ref)

    def _after_error(self, open_another: bool | None) -> None:
        if open_another:
            self.action_open_scenario()

    def open_ref(self, ref: str) -> bool:
        """Open the scenario ``ref`` (a shipped name or a path); the error screen if it
        cannot be opened. True if it opened."""
        from ..engine.session import Session

        if not self._lang_ready:
            self._use_lang(self.lang)
        try:
            session = Session(load_ref(ref))
            self._place_questions(session)
            self.session = session
        except Exception as e:  # the scenario's fault, or a bug in simstart: describe_failure
            self._show_failure(describe_failure(ref, e, self.lang))
            return False
        for pane in (self.query_one(StackPane), self.query_one(EventsPane),
                     self.query_one(NarrationPane)):
            pane.forget_height()
        self._reserve(session)
        self._warmed = None  # it held the last trace, which the collection below frees
        settle_heap(collect=True)
        self._stop()
        self.failure = None
        if self.intro:
            self.action_intro()
        self.refresh_view()
        return True

    # -- the quiz --------------------------------------------------------------------------

    def _place_questions(self, session: Session) -> None:
        """Place the scenario's questions on its original run (a located ``ScenarioError``
        for one the trace cannot answer) and start a fresh score."""
        from ..engine.quiz import resolve

        self.questions = resolve(session.original) if session.scenario.questions else []
        self.answers = {}
        self._quiz_seen = session.position - 1 if self.quiz else session.position
        self._score_shown = False

    def _question_due(self, s: Session) -> Asked | None:
        """In quiz mode, on the original run: the first question not yet asked whose step
        the walk has just reached or passed. The walk stops there (so a jump never skips a
        question); going back asks nothing, and no question is asked twice."""
        if self._asking or self.intro_open:  # asked once the card is closed
            return None
        pos, seen = s.position, self._quiz_seen
        self._quiz_seen = pos
        if not self.quiz or s.on_fork or pos <= seen:
            return None
        due = next((a for a in self.questions
                    if seen < a.step <= pos and a.number not in self.answers), None)
        if due is not None and due.step != pos:
            s.trace.goto(due.step)
            self._quiz_seen = due.step
        return due

    def _quiz_label(self) -> str:
        """``quiz 2/3`` on the timeline while the quiz is on."""
        if not self.quiz or not self.questions:
            return ""
        right = sum(1 for a in self.questions if self.answers.get(a.number) == a.answer)
        return say("quiz.timeline", self.lang, right=right, asked=len(self.answers),
                   total=len(self.questions))

    def _ask(self, asked: Asked) -> None:
        from .quiz import QuestionScreen

        self._stop()
        self._asking = True
        self.push_screen(QuestionScreen(asked, len(self.questions), self.lang),
                         lambda chosen: self._after_answer(asked, chosen))

    def _after_answer(self, asked: Asked, chosen: str | None) -> None:
        self._asking = False
        self.answers[asked.number] = chosen
        self._quiz_seen = asked.step - 1  # another question at this step is asked next
        self.refresh_view()

    def _score_due(self, s: Session) -> bool:
        return (self.quiz and bool(self.answers) and not self._score_shown
                and not self._asking and not s.on_fork and s.position == len(s.trace) - 1)

    def _show_score(self) -> None:
        from .quiz import ScoreScreen

        self._score_shown = True
        self.push_screen(ScoreScreen([(a, self.answers.get(a.number)) for a in self.questions
                                      if a.number in self.answers], self.lang))

    def action_toggle_quiz(self) -> None:
        """Quiz mode on or off: on, the walk stops at each question still ahead."""
        s = self.session
        if s is None:
            return
        if not self.questions:
            self.notify(say("quiz.none", self.lang), timeout=3)
            return
        self.quiz = not self.quiz
        self._quiz_seen = s.position - 1  # a question at this very step is asked now
        self._score_shown = False
        self.notify(say("quiz.on", self.lang, total=len(self.questions)) if self.quiz
                    else say("quiz.off", self.lang), timeout=3)
        self.refresh_view()

    # -- the rest --------------------------------------------------------------------------

    def action_show_pane(self, name: str) -> None:
        """Show (small terminals) or focus (large ones) a pane."""
        if name in PANES:
            self.active_pane = name
            self.query_one(f"#{name}").focus()

    def action_high_contrast(self) -> None:
        """The high-contrast theme, or back to the default."""
        self.theme = DEFAULT_THEME if self.theme == CONTRAST_THEME else CONTRAST_THEME

    def _use_lang(self, lang: str) -> None:
        self._lang_ready = True
        self.lang = lang
        self.narrate = narrator(lang)
        if self._catalog:
            self.lookup = catalog_lookup(lang)
            self.about = about_lookup(lang)
        else:
            self.lookup = self._custom_lookup

    def _words_in(self, lang: str) -> None:
        """The screen's own words in ``lang``: the tabs, the panes' titles and help, the
        footer and the keys of the palette, the message with no scenario open."""
        translate_bindings(self, lang)
        self.refresh_bindings()
        for name in PANES:
            pane = self.query_one(f"#{name}")
            pane.border_title = pane_title(name, lang)
            setattr(pane, "HELP", help_of(name, lang))  # noqa: B010 (a class variable)
        for name in ("narration", "timeline"):
            setattr(self.query_one(f"#{name}"), "HELP", help_of(name, lang))  # noqa: B010
        self.query_one("#narration").border_title = pane_title("narration", lang)
        self.query_one("#empty", Static).update(say("empty", lang))
        for i, name in enumerate(PANES, 1):
            tab = self.query_one(f"#tab-{name}", PaneTab)
            tab.relabel(tab_label(i, pane_title(name, lang), tab.label.plain.endswith("●")))

    def action_toggle_lang(self) -> None:
        """English ⇄ Chinese: narrations, annotations, the functions' summaries and every
        word of the screen."""
        self._use_lang("zh" if self.lang == "en" else "en")
        self._words_in(self.lang)
        self.notify(say("lang.now", self.lang), timeout=2)
        self.refresh_view()

    def action_toggle_upstream(self) -> None:
        """The source pane: the annotated rendition ⇄ the real function from the checkout."""
        if self.upstream is None:
            msg = say("upstream.how", self.lang)
            if install_hint():
                msg += say("upstream.install", self.lang)
            # markup=False: the hint's "simstart[source]" is not a style tag
            self.notify(msg, title=say("upstream.none_title", self.lang), severity="warning",
                        timeout=6, markup=False)
            return
        self.show_upstream = not self.show_upstream
        self.notify(say("upstream.on" if self.show_upstream else "upstream.off", self.lang),
                    timeout=2)
        self.refresh_view()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """The palette's screenshot: into ~/Downloads when there is one, else the current
        directory (Textual would fail on a missing Downloads directory)."""
        if path is None:
            from platformdirs import user_downloads_path

            downloads = user_downloads_path()
            path = str(downloads if downloads.is_dir() else Path.cwd())
        self.deliver_screenshot(filename, path)

    def action_help(self) -> None:
        """The help screen."""
        from .screens import HelpScreen

        self.push_screen(HelpScreen(self.lang))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands in the palette (theme, quit, keys, screenshot…), with their
        names in the app's language."""
        for c in super().get_system_commands(screen):
            hide = "hide" in getattr(c.callback, "__name__", "")  # Keys: hide, or show
            key = f"system.{c.title.lower()}{'_hide' if hide else ''}"
            if key in words_table():
                yield SystemCommand(say(key, self.lang), say(f"{key}.help", self.lang),
                                    c.callback, c.discover)
            else:
                yield c

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the app's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(CommandPalette(placeholder=say("palette.placeholder", self.lang),
                                            id="--command-palette"))
