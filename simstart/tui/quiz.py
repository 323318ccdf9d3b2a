"""The quiz's dialogs: a question (choose, then the reveal and its explanation) and the score.

A ``QuestionScreen`` answers the value chosen (``None`` when skipped with escape); the app
keeps the score. Every word comes from ``strings.json`` (``say``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from .words import say

if TYPE_CHECKING:
    from ..engine.quiz import Asked


def shorten(text: str) -> str:
    """64-hex identifiers cut to 12 digits, as every pane shows them."""
    from .view import short

    return short(text)


class QuestionScreen(ModalScreen[str | None]):
    """One question: the choices (a number key or enter picks one, escape skips), then the
    right answer, whether the learner had it, and why; any key goes on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "skip", show=False, id="quiz-skip"),  # words: binding.quiz-skip
    ]
    LIST_KEYS = frozenset({"up", "down", "home", "end", "pageup", "pagedown", "enter",
                           "escape"})

    def __init__(self, asked: Asked, total: int, lang: str) -> None:
        super().__init__()
        self.asked = asked
        self.total = total
        self.lang = lang
        self.chosen: str | None = None
        self.revealed = False
        self._dismissed = False

    def compose(self) -> ComposeResult:
        """The question and its choices."""
        a, lang = self.asked, self.lang
        with Vertical(id="dialog", classes="quiz") as v:
            v.border_title = say("quiz.title", lang, number=a.number, total=self.total,
                                 step=a.step + 1)
            v.border_subtitle = say("quiz.hint", lang, last=len(a.choices))
            yield Static(Content(a.prompt(lang)), id="quiz-prompt")
            yield OptionList(*[Option(self._choice(i, c), id=c)
                               for i, c in enumerate(a.choices)], id="quiz-choices")
            with VerticalScroll(id="quiz-reveal"):
                yield Label("", id="quiz-verdict")
                yield Static("", id="quiz-explanation")

    def _choice(self, i: int, value: str, mark: str = " ") -> Content:
        style = {"✓": "bold $text-success", "✗": "bold $text-error"}.get(mark, "")
        return Content.assemble((f"{mark} {i + 1}  ", style or "$text-muted"),
                                (self.asked.label(value, self.lang), style))

    def on_mount(self) -> None:
        """The first choice highlighted; the escape binding's word in the language."""
        from .panes import translate_bindings

        translate_bindings(self, self.lang)
        self.query_one("#quiz-choices", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#quiz-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.revealed and event.option.id is not None:
            self.reveal(event.option.id)

    def reveal(self, value: str) -> None:
        """Show whether ``value`` is right, the right answer, and the explanation."""
        a, lang = self.asked, self.lang
        self.chosen, self.revealed = value, True
        ol = self.query_one("#quiz-choices", OptionList)
        ol.clear_options()
        ol.add_options([Option(self._choice(i, c, "✓" if c == a.answer else
                                            "✗" if c == value else " "), id=c, disabled=True)
                        for i, c in enumerate(a.choices)])
        right = value == a.answer
        verdict = self.query_one("#quiz-verdict", Label)
        verdict.update(say("quiz.right", lang) if right else
                       say("quiz.wrong", lang, answer=a.label(a.answer, lang)))
        verdict.set_class(right, "-right")
        verdict.set_class(not right, "-wrong")
        self.query_one("#quiz-explanation", Static).update(
            Content(shorten(a.explanation(lang))))
        self.query_one("#dialog").border_subtitle = say("quiz.continue", lang)
        self.query_one("#dialog").add_class("-revealed")

    def on_key(self, event: events.Key) -> None:
        """A number picks that choice; the list's own keys move in it; every other key is
        swallowed (the walk behind must not move while the learner predicts). Once revealed,
        any key goes on."""
        if event.key in self.LIST_KEYS and not self.revealed:
            return
        event.stop()
        event.prevent_default()
        if self.revealed:
            self._finish(self.chosen)
        elif event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= len(self.asked.choices):
                self.reveal(self.asked.choices[n - 1])

    def action_skip(self) -> None:
        """Escape: leave the question unanswered (it is not asked again); after the reveal,
        go on."""
        self._finish(self.chosen if self.revealed else None)

    def _finish(self, answer: str | None) -> None:
        """Dismiss once (a key typed before the dialog is gone must not pop another)."""
        if not self._dismissed:
            self._dismissed = True
            self.dismiss(answer)


class ScoreScreen(ModalScreen[None]):
    """The end of a quiz walk: the score, and each question with the learner's answer. Any
    key closes it."""

    def __init__(self, rows: list[tuple[Asked, str | None]], lang: str) -> None:
        super().__init__()
        self.rows = rows
        self.lang = lang
        self._dismissed = False

    def compose(self) -> ComposeResult:
        """The score and one line per question."""
        lang = self.lang
        right = sum(1 for a, c in self.rows if c == a.answer)
        lines = []
        for a, chosen in self.rows:
            if chosen is None:
                mark, style, said = "·", "$text-muted", say("quiz.skipped", lang)
            elif chosen == a.answer:
                mark, style, said = "✓", "bold $text-success", a.label(chosen, lang)
            else:
                mark, style, said = "✗", "bold $text-error", say(
                    "quiz.you_said", lang, chosen=a.label(chosen, lang),
                    answer=a.label(a.answer, lang))
            lines.append(Content.assemble(
                (f"{mark} ", style), (say("quiz.score_row", lang, number=a.number,
                                          step=a.step + 1, prompt=a.prompt(lang)), ""),
                ("\n    ", ""), (said, style)))
        with Vertical(id="dialog", classes="quiz score") as v:
            v.border_title = say("quiz.score_title", lang)
            v.border_subtitle = say("quiz.score_close", lang)
            yield Label(say("quiz.score", lang, right=right, total=len(self.rows)),
                        id="quiz-score")
            with VerticalScroll(id="quiz-rows"):
                yield Static(Content("\n").join(lines), id="quiz-score-rows")

    def on_key(self, event: events.Key) -> None:
        """Any key closes it (once)."""
        event.stop()
        event.prevent_default()
        if not self._dismissed:
            self._dismissed = True
            self.dismiss(None)
