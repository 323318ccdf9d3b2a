"""The TUI in Chinese and with the real upstream source (Pilot), on a small Go tree written
here: one function of our own at the path and lines the catalog records for
``daemon.(*Daemon).containerStart`` (no upstream code), read through real tree-sitter."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from simstart.source import entry
from simstart.tui.app import DEFAULT_THEME, SimstartApp
from simstart.tui.panes import NarrationPane, SourcePane
from simstart.tui.sourcecat import UpstreamSource

pytestmark = pytest.mark.tui

START = "daemon.(*Daemon).containerStart"


def go_tree(root: Path) -> Path:
    """``daemon/start.go`` with a ``containerStart`` spanning the recorded lines, each body
    line saying its own number (tab-indented, as gofmt writes)."""
    e = entry(START)
    head = ["package daemon", ""] + ["// padding"] * (e.start - 3)
    body = ["func (daemon *Daemon) containerStart(c *Container, resetRestartManager bool) "
            "(err error) {"]
    body += [f"\tstep{n}()" for n in range(e.start + 1, e.end)] + ["}"]
    assert len(head) + 1 == e.start and len(head) + len(body) == e.end
    (root / "daemon").mkdir(parents=True)
    (root / "daemon" / "start.go").write_text("\n".join(head + body) + "\n")
    return root


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The symbols whose function is read from a checkout, one entry per read (the checkout
    is read through ``simstart.source.real_lines``)."""
    import simstart.source

    reads: list[str] = []
    real = simstart.source.real_lines

    def counted(symbol: str, roots: dict[str, Path]) -> object:
        reads.append(symbol)
        return real(symbol, roots)

    monkeypatch.setattr(simstart.source, "real_lines", counted)
    return reads


def make_app(**kwargs: object) -> SimstartApp:
    app = SimstartApp("bridge-port", theme=DEFAULT_THEME, **kwargs)  # type: ignore[arg-type]
    app.animation_level = "none"
    return app


async def goto(pilot: Pilot, app: SimstartApp, stage: str) -> None:
    s = app.session
    assert s is not None
    s.trace.goto(next(x.index for x in s.trace if x.stage == stage))
    app.refresh_view()
    await pilot.pause()


def text(part: object) -> str:
    """The text of a Static, or of a part of a pane (already Content)."""
    return str(getattr(part, "content", part))


async def test_u_switches_to_the_real_function_with_the_current_line_mapped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    reads = count_reads(monkeypatch)
    app = make_app(roots={"moby/moby": go_tree(tmp_path)})
    async with app.run_test(size=(120, 40)) as pilot:
        await goto(pilot, app, "start.lock")
        pane = app.query_one(SourcePane)
        assert pane.border_title.startswith("rendition · daemon/start.go:98-198")
        line = app.session.step.line  # type: ignore[union-attr]

        await pilot.press("u")
        assert app.show_upstream
        assert pane.border_title == "upstream · daemon/start.go:98-198 @ v17.05.0-ce"
        assert f"{line:>5}      step{line}()" in text(pane.current)  # the real line, tab → 4
        assert "\t" not in text(pane.before) + text(pane.after)
        # the rendition's annotation of that line rides along
        assert entry(START).lines[1].annotation_en[:30] in text(pane.current)

        # a later step in the same function: same file read once, the highlight follows
        await goto(pilot, app, "start.defer")
        later = app.session.step.line  # type: ignore[union-attr]
        assert later != line and f"step{later}()" in text(pane.current)
        assert reads == [START]

        # a function the tree does not define: the rendition, with a note saying why
        await goto(pilot, app, "checks.lookup")
        assert pane.border_title.startswith("rendition · daemon/start.go:")
        assert "has no daemon.(*Daemon).ContainerStart" in str(pane.border_subtitle)

        # containerd without --containerd-src: the rendition, and which option gives it
        await goto(pilot, app, "runtime.rpc")
        assert "--containerd-src DIR" in str(pane.border_subtitle)
        assert pane.border_title.startswith("rendition · containerd/containerd ")

        await pilot.press("u")
        assert not app.show_upstream
        await goto(pilot, app, "start.lock")
        assert pane.border_title.startswith("rendition · ")


async def test_l_switches_narration_annotations_and_summary_to_chinese():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto(pilot, app, "start.lock")
        step = app.session.step  # type: ignore[union-attr]
        e = entry(step.symbol)
        pane, narr = app.query_one(SourcePane), app.query_one(NarrationPane)
        assert e.about_en[:20] in text(pane.body)

        await pilot.press("l")
        zh = step.narration("zh")
        assert zh != step.text and zh[:10] in text(narr.body)
        assert e.about_zh[:10] in text(pane.body) and e.about_en[:20] not in text(pane.body)
        assert e.lines[1].annotation_zh[:10] in text(pane.current)

        await pilot.press("l")
        assert step.text[:20] in text(narr.body)
        assert e.lines[1].annotation_en[:20] in text(pane.current)


async def test_started_in_chinese_with_the_upstream_view_keeps_both(tmp_path: Path):
    app = make_app(lang="zh", roots={"moby/moby": go_tree(tmp_path)})
    async with app.run_test(size=(120, 40)) as pilot:
        await goto(pilot, app, "start.lock")
        await pilot.press("u")
        pane = app.query_one(SourcePane)
        assert pane.border_title.startswith("上游 · ")  # the title in Chinese too
        assert entry(START).lines[1].annotation_zh[:10] in text(pane.current)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        make_app(lang="fr")


def test_upstream_source_caches_and_explains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    reads = count_reads(monkeypatch)
    up = UpstreamSource({"moby/moby": go_tree(tmp_path)})
    lines, note = up.lines(START)
    assert lines is not None and note == "" and lines[0][0] == entry(START).start
    assert up.lines(START)[0] is lines and reads == [START]
    assert up.lines("no.such.Symbol") == (None, "not in the source catalog · showing what "
                                          "there is")
    none, why = up.lines("runc create")
    assert none is None and "--runc-src DIR" in why
