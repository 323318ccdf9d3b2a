"""The dialogs: help, error, scenario picker, what-if, go to step, breakpoints. Each returns
its answer through ``dismiss``, typed per dialog (``Dialog[int]``: a step index, or None when
escape closed it); the app decides what to do with it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from .commands import key_table
from .words import say

if TYPE_CHECKING:  # the engine is not on the first frame's path
    from ..engine.fork import Choice
    from .view import Entry


def help_markdown(lang: str = "en") -> str:
    """``help.md`` (``help.zh.md`` in Chinese) with the key table filled in."""
    # a plain path: importlib.resources.files() would import zipfile on the start path
    name = "help.md" if lang == "en" else f"help.{lang}.md"
    text = (Path(__file__).parent / name).read_text(encoding="utf-8")
    return text.replace("{{KEYS}}", key_table(lang))


Answer = TypeVar("Answer")


class Dialog(ModalScreen[Answer | None]):
    """A modal dialog answering an ``Answer``, or None when escape dismisses it. Its
    bindings' words are strings.json's ``binding.<id>`` in the app's language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_dialog", id="dismiss"),
    ]

    def on_mount(self) -> None:
        """The bindings' words in the app's language."""
        from .panes import translate_bindings

        translate_bindings(self, getattr(self.app, "lang", "en"))

    def action_dismiss_dialog(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


class HelpScreen(Dialog[None]):
    """The keys and how to read the screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "dismiss_dialog", id="close-help"),
    ]

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        """The help text."""
        # Markdown imports markdown_it and pygments (~35 ms): only when help is opened
        from textual.widgets import Markdown

        with Vertical(id="dialog", classes="help") as v:
            v.border_title = say("help.title", self.lang)
            v.border_subtitle = say("help.close", self.lang)
            with VerticalScroll(id="help-scroll"):
                yield Markdown(help_markdown(self.lang), id="help-text")


class ErrorScreen(Dialog[bool]):
    """A scenario that cannot be opened or run: the ``file:line:col`` message and what to do,
    or (``bug``) the line saying simstart has a bug. Answers True to open another."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open", id="error-open"),
        Binding("q", "app.quit", id="error-quit"),
    ]

    def __init__(self, message: str, bug: bool = False, lang: str = "en") -> None:
        super().__init__()
        self.message = message
        self.bug = bug
        self.lang = lang

    def compose(self) -> ComposeResult:
        """The message."""
        with Vertical(id="dialog", classes="error") as v:
            v.border_title = say("error.bug_title" if self.bug else "error.title", self.lang)
            v.border_subtitle = say("error.keys", self.lang)
            yield Static(self.message, id="error-message", markup=False)
            yield Label(say("error.bug_hint" if self.bug else "error.hint", self.lang),
                        classes="hint")

    def action_open(self) -> None:
        """Close, then open the scenario picker."""
        self.dismiss(True)


class PickerScreen(Dialog[str]):
    """Open another scenario: the shipped ones grouped by topic in lesson order, filtered as
    you type (name, title or topic); enter opens the highlighted one — or, when nothing
    matches, what was typed, as a file's path."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", show=False, id="picker-down"),
        Binding("up", "move(-1)", show=False, id="picker-up"),
        Binding("pagedown", "move(8)", show=False, id="picker-pagedown"),
        Binding("pageup", "move(-8)", show=False, id="picker-pageup"),
    ]

    def __init__(self, entries: list[Entry], lang: str = "en") -> None:
        """``entries``: every shipped scenario."""
        super().__init__()
        self.entries = entries
        self.lang = lang

    def compose(self) -> ComposeResult:
        """The filter field and the grouped list."""
        lang = self.lang
        with Vertical(id="dialog", classes="picker") as v:
            v.border_title = say("picker.title", lang)
            v.border_subtitle = say("picker.subtitle", lang)
            yield Input(placeholder=say("picker.filter", lang), id="filter")
            yield OptionList(id="scenarios")
            yield Label("", id="picker-count", classes="hint")

    def on_mount(self) -> None:
        """Every scenario, the filter focused."""
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _topic(self, topic: str) -> str:
        return say(f"topic.{topic}", self.lang) if topic else say("topic.other", self.lang)

    def _fill(self, query: str) -> None:
        from ..scenario.schema import TOPICS
        from .view import picker_groups

        groups = picker_groups(self.entries, query, self._topic, TOPICS)
        width = min(26, max((len(e.name) for e in self.entries), default=0))
        options: list[Option] = []
        for topic, entries in groups:
            options.append(Option(Content.assemble((self._topic(topic), "bold $text-primary")),
                                  disabled=True))
            options += [Option(Content.assemble((f"  {e.name:{width}} ", "bold"), (e.title, "")),
                               id=e.path) for e in entries]
        ol = self.query_one("#scenarios", OptionList)
        ol.clear_options()
        ol.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        ol.highlighted = first
        shown = sum(len(g) for _, g in groups)
        self.query_one("#picker-count", Label).update(
            say("picker.count", self.lang, shown=shown, total=len(self.entries)) if shown
            else say("picker.none", self.lang))

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, by: int) -> None:
        """Move the highlight in the list while the filter keeps the focus."""
        ol = self.query_one("#scenarios", OptionList)
        for _ in range(abs(by)):
            if by > 0:
                ol.action_cursor_down()
            else:
                ol.action_cursor_up()

    @on(OptionList.OptionSelected, "#scenarios")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # a scenario (topic headings have no id)
            self.dismiss(event.option.id)

    @on(Input.Submitted, "#filter")
    def _typed(self, event: Input.Submitted) -> None:
        ol = self.query_one("#scenarios", OptionList)
        chosen = ol.highlighted_option if ol.highlighted is not None else None
        if chosen is not None and chosen.id is not None:
            self.dismiss(chosen.id)
        elif event.value.strip():
            self.dismiss(event.value.strip())  # no match: a file's path


class WhatIfScreen(Dialog["tuple[Choice, str]"]):
    """Pick a fault site still ahead, then the error it raises."""

    def __init__(self, choices: list[Choice], many_requests: bool, lang: str = "en") -> None:
        super().__init__()
        self.choices = choices
        self.many = many_requests
        self.chosen: Choice | None = None
        self.lang = lang

    def label(self, c: Choice) -> str:
        """One line for a site: where it is and what runs there now."""
        req = say("whatif.request", self.lang, n=c.request + 1) if self.many else ""
        return say("whatif.site", self.lang, site=c.site, request=req, step=c.step + 1,
                   stage=c.stage, where=say(f"site.{c.site}", self.lang))

    def compose(self) -> ComposeResult:
        """The sites list (the errors replace it once a site is chosen)."""
        with Vertical(id="dialog", classes="whatif") as v:
            v.border_title = say("whatif.title_sites", self.lang)
            v.border_subtitle = say("whatif.keys", self.lang)
            yield Label(say("whatif.sites", self.lang), id="whatif-prompt")
            if self.choices:
                yield OptionList(*[Option(self.label(c), id=str(i))
                                   for i, c in enumerate(self.choices)], id="whatif-list")
            else:
                yield Label(say("whatif.no_sites", self.lang), classes="hint")

    @on(OptionList.OptionSelected, "#whatif-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.chosen is None:
            self.chosen = self.choices[int(event.option.id or 0)]
            ol = self.query_one("#whatif-list", OptionList)
            ol.clear_options()
            ol.add_options([Option(e, id=str(i)) for i, e in enumerate(self.chosen.errors)])
            ol.highlighted = 0
            self.query_one("#whatif-prompt", Label).update(
                say("whatif.fails_with", self.lang, site=self.chosen.site,
                    where=say(f"site.{self.chosen.site}", self.lang)))
            self.query_one("#dialog").border_title = say("whatif.title_error", self.lang)
            return
        self.dismiss((self.chosen, self.chosen.errors[int(event.option.id or 0)]))

    def action_dismiss_dialog(self) -> None:
        """Back to the sites from the errors; close from the sites."""
        if self.chosen is None:
            self.dismiss(None)
            return
        self.chosen = None
        ol = self.query_one("#whatif-list", OptionList)
        ol.clear_options()
        ol.add_options([Option(self.label(c), id=str(i))
                        for i, c in enumerate(self.choices)])
        ol.highlighted = 0
        self.query_one("#whatif-prompt", Label).update(say("whatif.sites", self.lang))
        self.query_one("#dialog").border_title = say("whatif.title_sites", self.lang)


class GoToScreen(Dialog[int]):
    """Go to a step by number (1 to N)."""

    def __init__(self, total: int, lang: str = "en") -> None:
        super().__init__()
        self.total = total
        self.lang = lang

    def compose(self) -> ComposeResult:
        """A number field."""
        with Vertical(id="dialog", classes="goto") as v:
            v.border_title = say("goto.title", self.lang)
            v.border_subtitle = say("goto.keys", self.lang)
            yield Input(placeholder=say("goto.range", self.lang, total=self.total),
                        type="integer", id="step-number")
            yield Label("", id="goto-hint", classes="hint")

    @on(Input.Submitted, "#step-number")
    def _go(self, event: Input.Submitted) -> None:
        try:
            n = int(event.value)
        except ValueError:
            n = 0
        if 1 <= n <= self.total:
            self.dismiss(n - 1)
        else:
            self.query_one("#goto-hint", Label).update(say("goto.hint", self.lang,
                                                           total=self.total))


class BreakpointsScreen(Dialog[set[str]]):
    """Choose breakpoints: whole phases (their first step) and stage ids."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", id="breakpoints-done", priority=True),
    ]

    def __init__(self, phases: list[tuple[str, str]], stages: list[str],
                 selected: set[str], lang: str = "en") -> None:
        super().__init__()
        self.phases = phases
        self.stages = stages
        self.selected = selected
        self.lang = lang

    def compose(self) -> ComposeResult:
        """One selection list: phases first, then every stage id of the run."""
        items: list[Selection[str]] = [
            Selection(say("bp.phase", self.lang, title=title), name, name in self.selected)
            for name, title in self.phases]
        items += [Selection(f"  {s}", s, s in self.selected) for s in self.stages]
        with Vertical(id="dialog", classes="breakpoints") as v:
            v.border_title = say("bp.title", self.lang)
            v.border_subtitle = say("bp.keys", self.lang)
            yield SelectionList[str](*items, id="breakpoint-list")

    def action_done(self) -> None:
        """Answer the selected breakpoints."""
        chosen: SelectionList[str] = self.query_one("#breakpoint-list", SelectionList)
        self.dismiss(set(chosen.selected))
