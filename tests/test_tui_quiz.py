"""The quiz in the TUI (issue 15): the walk stops at each question, the learner chooses, the
answer and why are revealed, the score is kept and shown at the end; going back never asks
twice."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Label, Static

from simstart.tui.app import DEFAULT_THEME, SimstartApp
from simstart.tui.panes import Timeline
from simstart.tui.quiz import QuestionScreen, ScoreScreen

pytestmark = pytest.mark.tui

SCENARIO = "port-already-allocated"  # questions at steps 37, 37, 37 and 41 (1-based)


def make_app(ref: str = SCENARIO, **kwargs: object) -> SimstartApp:
    app = SimstartApp(ref, theme=DEFAULT_THEME, source_lookup=None, **kwargs)  # type: ignore[arg-type]
    app.animation_level = "none"
    return app


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.pause()


def question(app: SimstartApp) -> QuestionScreen:
    assert isinstance(app.screen, QuestionScreen), type(app.screen).__name__
    return app.screen


def text_of(screen: QuestionScreen, selector: str) -> str:
    w = screen.query_one(selector)
    assert isinstance(w, (Label, Static))
    return str(w.render())


async def test_a_jump_stops_at_the_first_question_it_passes() -> None:
    app = make_app(quiz=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.session is not None and not isinstance(app.screen, QuestionScreen)
        await pilot.press("end")  # past every question: stops at the first one
        await settle(pilot)
        q = question(app)
        assert app.session.position == 36 and q.asked.number == 1
        assert q.asked.kind == "status" and q.asked.answer == "500"
        n = len(app.session.trace)  # type: ignore[union-attr]
        assert f"step 37 of {n} " in app.query_one(Timeline).content.plain


async def test_answering_reveals_right_or_wrong_and_why_and_keeps_the_score() -> None:
    app = make_app(quiz=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        q = question(app)
        await pilot.press(str(q.asked.choices.index("500") + 1))  # right
        await settle(pilot)
        assert q.revealed and text_of(q, "#quiz-verdict") == "✓ Right."
        last = app.session.run.results[0].last_step + 1  # type: ignore[union-attr]
        assert f"The trace, step {last}" in text_of(q, "#quiz-explanation")
        await pilot.press("space")  # any key goes on: the next question, at the same step
        await settle(pilot)
        q2 = question(app)
        assert q2.asked.number == 2 and app.answers == {1: "500"}
        assert "quiz 1/1 of 4" in app.query_one(Timeline).content.plain
        wrong = next(c for c in q2.asked.choices if c != q2.asked.answer)
        await pilot.press(str(q2.asked.choices.index(wrong) + 1))
        await settle(pilot)
        verdict = text_of(q2, "#quiz-verdict")
        assert verdict == "✗ Not this time: the answer is libnetwork.(*endpoint).sbJoin."
        assert "endpoint.go L503" in text_of(q2, "#quiz-explanation")
        await pilot.press("enter")
        await settle(pilot)
        assert app.answers == {1: "500", 2: wrong}
        assert "quiz 1/2 of 4" in app.query_one(Timeline).content.plain


async def test_escape_skips_a_question_and_going_back_never_asks_twice() -> None:
    app = make_app(quiz=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s = app.session
        assert s is not None
        s.trace.goto(35)  # step 36, just before the three questions
        app.refresh_view()
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        for _ in range(3):  # skip all three at step 37
            question(app)
            await pilot.press("escape")
            await settle(pilot)
        assert app.answers == {1: None, 2: None, 3: None}
        assert not isinstance(app.screen, QuestionScreen)
        await pilot.press("left", "left", "right", "right")  # back over them and forward again
        await settle(pilot)
        assert not isinstance(app.screen, QuestionScreen) and s.position == 36
        await pilot.press("g")
        await settle(pilot)
        await pilot.press(*"1", "enter")  # to step 1, then a long jump forward
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert question(app).asked.number == 4 and s.position == 40  # only the one not asked


async def test_the_score_shows_at_the_end() -> None:
    app = make_app(quiz=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(4):
            await pilot.press("end")
            await settle(pilot)
            q = question(app)
            await pilot.press(str(q.asked.choices.index(q.asked.answer) + 1), "space")
            await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert isinstance(app.screen, ScoreScreen)
        assert str(app.screen.query_one("#quiz-score", Label).render()) == "4 of 4 right"
        await pilot.press("x")  # any key closes it, and does nothing else
        await settle(pilot)
        assert not isinstance(app.screen, ScoreScreen) and app.session is not None
        assert not app.session.on_fork


async def test_t_turns_the_quiz_on_and_off() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert not isinstance(app.screen, QuestionScreen)  # the quiz is off
        await pilot.press("home", "t")
        await settle(pilot)
        assert app.quiz and "quiz 0/0 of 4" in app.query_one(Timeline).content.plain
        await pilot.press("end")
        await settle(pilot)
        question(app)
        await pilot.press("t", "n", "space")  # swallowed while a question is on screen
        await settle(pilot)
        assert app.quiz and question(app).asked.number == 1 and app.session is not None
        assert app.session.position == 36
        for _ in range(3):  # the three questions of step 37, skipped
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert not app.quiz and "quiz" not in app.query_one(Timeline).content.plain


async def test_a_scenario_without_questions_says_so() -> None:
    app = make_app("paused", quiz=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end", "t")
        await settle(pilot)
        assert not isinstance(app.screen, QuestionScreen)
        assert [n.message for n in app._notifications] == ["This scenario asks no questions."]


async def test_the_quiz_in_chinese() -> None:
    app = make_app(quiz=True, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        q = question(app)
        assert text_of(q, "#quiz-prompt") == "端口分配器拒绝了 8080。客户端会收到哪个状态码？"
        await pilot.press("1")
        await settle(pilot)
        assert text_of(q, "#quiz-verdict").startswith("✗ 这次没答对：答案是 500")
        last = app.session.run.results[0].last_step + 1  # type: ignore[union-attr]
        assert f"轨迹第 {last} 步" in text_of(q, "#quiz-explanation")


async def test_a_second_key_before_a_dialog_is_gone_closes_nothing_more() -> None:
    """In a real terminal two keys can reach a question before it is off the stack (tmux:
    Enter, then End): the second must not dismiss again, which would pop the main screen
    (ScreenStackError). The card is part of the main screen: Enter closes it, and End
    then walks to the first question (step 37), once."""
    app = make_app(intro=True, quiz=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.intro_open and not isinstance(app.screen, QuestionScreen)
        await pilot.press("enter", "end")
        await settle(pilot)
        assert not app.intro_open and app.session.position == 36  # type: ignore[union-attr]
        q = question(app)
        assert q.asked.number == 1
        q._finish(None)
        q._finish(None)
        await settle(pilot)
        assert len(app.screen_stack) == 2 and question(app).asked.number == 2
