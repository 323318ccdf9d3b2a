"""``simstart export``: a handout of one scenario, as Markdown or one self-contained HTML file."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from simstart.engine import record
from simstart.handout.document import handout, words
from simstart.handout.html import to_html
from simstart.handout.markdown import to_markdown
from simstart.scenario import load
from simstart.scenario.library import resolve
from simstart.source import catalog


def export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simstart", "export", *args],
                          capture_output=True, text=True)


def run_of(name: str):  # type: ignore[no-untyped-def]
    return record(load(resolve(name)))


def test_the_handout_walks_every_step_once_grouped_by_phase() -> None:
    r = run_of("bridge-port")
    h = handout(r, "bridge-port")
    numbers = [s.number for g in h.walk for s in g.steps]
    assert numbers == list(range(len(r.trace)))
    for g in h.walk:  # a group is a run of one request's steps in one phase
        assert {r.trace.steps[s.number].phase for s in g.steps} == {g.phase}
    assert [g.phase for g in h.walk][:3] == ["http", "checks", "start"]
    assert h.title == r.scenario.title and h.objectives == tuple(r.scenario.objectives)
    assert h.outcomes[0].status == 204 and h.outcomes[0].expectations == "hold"


def test_each_step_shows_the_rendition_line_it_stands_on() -> None:
    r = run_of("paused")
    h = handout(r, "paused")
    step = next(s for g in h.walk for s in g.steps if s.stage == "checks.paused")
    assert step.rendition is not None and step.rendition.upstream == 31  # start.go L31
    line = catalog.entry("daemon.(*Daemon).ContainerStart").lines
    assert step.rendition.text in [ln.text for ln in line if ln.upstream_lineno == 31]


def test_markdown_parses_with_one_heading_per_phase_group() -> None:
    r = run_of("port-already-allocated")
    h = handout(r, "port-already-allocated")
    md = to_markdown(h)
    tokens = MarkdownIt("commonmark").parse(md)
    h3 = [t for t in tokens if t.type == "heading_open" and t.tag == "h3"]
    assert len(h3) == len(h.walk)
    assert md.count("```") % 2 == 0
    assert "port is already allocated" in md
    assert words("en")["walk"] in md


def test_html_is_one_self_contained_file(tmp_path: Path) -> None:
    out = tmp_path / "h.html"
    done = export("bridge-port", "--format", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    for fetch in ("<script", "<link", "src=", "url(", "@import", "http://", "https://"):
        # the SVG's xmlns names a namespace, nothing is fetched
        assert fetch not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")\
            .replace('xmlns:xlink="http://www.w3.org/1999/xlink"', ""), fetch
    assert "<svg" in text and "@media print" in text

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in ("meta", "br", "img", "path", "polygon", "ellipse", "polyline"):
                self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if tag in ("path", "polygon", "ellipse", "polyline"):
                return
            assert self.open and self.open[-1] == tag, (self.open[-3:], tag)
            self.open.pop()

    p = Tags()
    p.feed(text)
    assert p.open == []


def test_html_without_graphviz_leaves_the_picture_out_with_a_note() -> None:
    h = handout(run_of("bridge-port"), "bridge-port")
    text = to_html(h, None)
    assert "<svg" not in text and words("en")["no_graphviz"] in text


def test_chinese_handout_has_chinese_headings_and_narration() -> None:
    done = export("bridge-port", "--lang", "zh")
    assert done.returncode == 0, done.stderr
    assert words("zh")["walk"] in done.stdout and words("en")["walk"] not in done.stdout
    assert "收到" in done.stdout or "请求" in done.stdout


def test_the_chinese_handout_has_the_scenarios_own_text_in_chinese() -> None:
    run = run_of("bridge-port")
    sc, zh = run.scenario, run.scenario.text("zh")
    assert zh.title != sc.title
    h = handout(run, "bridge-port", "zh")
    assert (h.title, h.description, h.objectives) == (zh.title, zh.description, zh.objectives)
    md = to_markdown(h)
    assert md.startswith(f"# {zh.title}\n") and all(o in md for o in zh.objectives)
    assert sc.title not in md and not any(o in md for o in sc.objectives)
    page = to_html(h, None)
    assert f"<h1>{zh.title}</h1>" in page and sc.title not in page
    en = handout(run_of("bridge-port"), "bridge-port", "en")
    assert (en.title, en.objectives) == (sc.title, sc.objectives)


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    out = tmp_path / "mine.md"
    out.write_text("my notes", encoding="utf-8")
    done = export("bridge-port", "-o", str(out))
    assert done.returncode == 2
    assert done.stderr.strip() == f"{out}: already exists (use --force to overwrite it)"
    assert out.read_text(encoding="utf-8") == "my notes"
    forced = export("bridge-port", "-o", str(out), "--force")
    assert forced.returncode == 0 and out.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("args, where", [
    (("no-such-scenario",), "no-such-scenario"),
    (("bridge-port", "--format", "pdf"), "--format"),
    (("bridge-port", "--lang", "fr"), "--lang"),
])
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], where: str) -> None:
    done = export(*args)
    assert done.returncode == 2 and where in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_closed_connection_is_not_shown_as_success() -> None:
    h = handout(run_of("ipc-target-removed-panic"), "ipc-target-removed-panic")
    assert h.outcomes[0].connection_closed
    assert words("en")["connection_closed"] in to_markdown(h)


def test_the_questions_are_in_the_handout_and_the_answers_only_when_asked() -> None:
    r = run_of("port-already-allocated")
    plain = handout(r, "port-already-allocated")
    asked = handout(r, "port-already-allocated", answers=True)
    assert len(plain.questions) == len(r.scenario.questions) >= 3
    assert all(q.answer is None and q.explanation is None for q in plain.questions)
    status = asked.questions[0]
    assert status.step == 37 and status.answer == "500 Internal Server Error"
    # the answer's step is read off the trace: the request's response step, numbered from 1
    shown = f"step {r.results[0].last_step + 1}"
    assert status.answer in status.choices and shown in (status.explanation or "")
    md_plain, md_asked = to_markdown(plain), to_markdown(asked)
    assert status.prompt in md_plain and "500 Internal Server Error" in md_plain  # a choice
    assert f"**{words('en')['answer']}:**" not in md_plain
    assert "The trace, step" not in md_plain and f"The trace, {shown}" in md_asked
    html_plain = to_html(plain, None)
    assert status.prompt in html_plain and 'class="answer"' not in html_plain
    assert 'class="answer"' in to_html(asked, None)


def test_the_chinese_handout_asks_in_chinese() -> None:
    done = export("command-not-found", "--lang", "zh", "--answers")
    assert done.returncode == 0, done.stderr
    assert "客户端会收到哪个状态码" in done.stdout and "404 Not Found（未找到）" in done.stdout
    assert "What status" not in done.stdout


def test_a_question_the_trace_cannot_place_is_one_line_and_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "q.yaml"
    text = (Path(__file__).parent.parent / "scenarios" / "bridge-port.yaml").read_text(
        encoding="utf-8").split("\nquestions:\n")[0]
    f.write_text(text + "\nquestions:\n  - {at: checks.paused, ask: status}\n",
                 encoding="utf-8")
    done = export(str(f))
    assert done.returncode == 2 and "questions[0].at: the trace never reaches" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
