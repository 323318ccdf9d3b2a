"""What the panes show, computed without Textual (simstart.tui.view, simstart.tui.sourcecat)."""

from __future__ import annotations

import pytest

from simstart.engine.session import Session
from simstart.scenario import load
from simstart.scenario.library import DEFAULT, resolve
from simstart.tui import sourcecat
from simstart.tui.view import (
    WorldSections,
    change_keys,
    changed_rows,
    current_index,
    events_rows,
    mark_of,
    root_of,
    section_of_root,
    sections_touched,
    short,
    source_view,
    stack_rows,
    timeline_view,
    trace_lines,
    upstream_view,
    world_sections,
)

PORT = "portallocator.request_port"
TAKEN = "Bind for 0.0.0.0:8080 failed: port is already allocated"


@pytest.fixture
def session() -> Session:
    return Session(load(resolve(DEFAULT)))


def goto_stage(s: Session, stage: str) -> None:
    s.trace.goto(next(x.index for x in s.trace if x.stage == stage))


def rows_of(s: Session) -> dict[str, list[tuple[str, str]]]:
    secs = world_sections(s.trace.world, s.step.changes)
    return {sec.title: [(r.mark, r.text) for r in sec.rows] for sec in secs}


def test_short_cuts_64_hex_ids():
    full = "86695b302db4cd128175c62ec37813218b41148e972421b6817e90826b1d0e66"
    assert short(f"/x/{full}/hosts") == "/x/86695b302db4…/hosts"
    assert short("abc") == "abc"


def test_marks_added_changed_and_untouched():
    from simstart.engine.trace import Change

    ch = change_keys([Change("veths[v1]", None, "x"), Change("containers[/web].state.pid", 0, 9),
                      Change("iptables[+]", None, "-t nat -A X")])
    assert mark_of(["veths[v1]"], ch) == "+"
    assert mark_of(["containers[/web]"], ch) == "~"
    assert mark_of(["containers[/web].state"], ch) == "~"
    assert mark_of(["containers[/webby]"], ch) == ""
    assert mark_of(["iptables[+]=-t nat -A X"], ch) == "+"
    assert mark_of(["iptables[+]=-t nat -A Y"], ch) == ""


def test_the_world_marks_what_each_networking_step_changed(session):
    goto_stage(session, "network.veth")
    net = rows_of(session)["Network"]
    assert any(m == "+" and t.startswith("veth ") for m, t in net)
    goto_stage(session, "network.endpoint_settings")
    net = rows_of(session)["Network"]
    assert any(m == "+" and t.startswith("endpoint web") for m, t in net)
    goto_stage(session, "network.port_allocated")
    net = rows_of(session)["Network"]
    assert ("+", "port 0.0.0.0/tcp:8080 reserved by web") in net
    assert all(m == "" for m, t in net if t.startswith("veth "))
    goto_stage(session, "network.iptables")
    assert sum(1 for m, t in rows_of(session)["Network"] if t.startswith("iptables") and m == "+") \
        == 3


def test_the_world_at_the_end_shows_state_containerd_and_mounts(session):
    session.trace.goto(len(session.trace) - 1)
    rows = rows_of(session)
    texts = [t for _m, t in rows["Containers"]]
    assert any("status running" in t for t in texts)
    assert any(t.startswith("Running=true") for t in texts)
    assert any("nsfs" in t for _m, t in rows["Mounts"])
    assert any(t.startswith("container ") and "(running)" in t for _m, t in rows["containerd"])
    assert any(t.startswith("pid ") and "nginx" in t for _m, t in rows["containerd"])
    assert any(t.startswith("docker-proxy") for _m, t in rows["Network"])


def test_the_world_lists_a_destroyed_namespaces_file_until_the_collector_removes_it():
    s = Session(load(resolve("netns-garbage-collected")))
    goto_stage(s, "cleanup.netns_garbage")
    (path,) = s.trace.world.network.garbage_paths
    want = f"netns file {path}: unmounted (MNT_DETACH), on garbagePathMap; the collector " \
           "removes it at 60 s"
    assert ("+", want) in rows_of(s)["Network"]
    zh = world_sections(s.trace.world, s.step.changes, lang="zh")[2]
    assert any("延迟卸载（MNT_DETACH）" in r.text and path in r.text for r in zh.rows)
    goto_stage(s, "cleanup.netns_removed")
    assert not any(path in t for _m, t in rows_of(s)["Network"])
    # the row's section is rebuilt when only that entry changes
    assert sections_touched(s.step.changes, section_of_root(s.trace.world)) == {2}


def test_changed_rows_include_removals(session):
    choice = next(c for c in session.what_if_choices() if c.site == PORT)
    session.what_if(choice, TAKEN)
    goto_stage(session, "cleanup.veth")
    rows = changed_rows(session.step.changes)
    assert [r.mark for r in rows] == ["-"]
    assert rows[0].text.startswith("veths[")


def test_events_marks_the_lines_written_at_this_step(session):
    goto_stage(session, "network.connect_event")
    ev, _log = events_rows(session.trace.world, session.step.changes)
    assert [r.mark for r in ev] == ["+"]
    # the simulated time it was sent at, then the line docker events prints
    assert ev[0].text.startswith("  0.001s network connect ")
    session.trace.forward()
    ev, _ = events_rows(session.trace.world, session.step.changes)
    assert [r.mark for r in ev] == [""]


def test_stack_marks_the_innermost_frame(session):
    goto_stage(session, "network.port_allocated")
    rows = stack_rows(session.step)
    assert [r.text for r in rows[:2]] == ["mux.(*Router).ServeHTTP",
                                          "server.(*Server).makeHTTPHandler"]
    assert [r.mark for r in rows].count("▶") == 1 and rows[-1].mark == "▶"
    assert rows[-1].text == session.step.symbol


def test_source_view_without_the_catalog_lists_the_lines_this_call_visits(session):
    goto_stage(session, "start.defer")
    v = source_view(session.trace, session.position, None)
    assert not v.from_catalog
    assert v.title == "daemon/start.go:98-198 @ v17.05.0-ce" or v.title.startswith(
        "daemon/start.go:")
    assert v.lines[v.current][0] == session.step.line
    assert v.annotation == short(session.step.text)
    assert [n for n, _t, _a in trace_lines(session.trace, session.position)][:2] == [
        s.line for s in session.trace if s.symbol == session.step.symbol][:2]


def test_source_view_with_a_lookup_highlights_the_nearest_line(session):
    goto_stage(session, "start.defer")
    line = session.step.line

    def lookup(symbol, _line):
        assert symbol == session.step.symbol
        return [(line - 3, "func f() {", ""), (None, "…", ""), (line - 1, "x := 1", "sets x"),
                (line + 4, "return", "")]

    v = source_view(session.trace, session.position, lookup)
    assert v.from_catalog and v.current == 2 and v.annotation == "sets x"
    assert current_index([(None, "…", "")], 5) == -1


def test_the_upstream_view_maps_the_line_and_keeps_the_annotations(session):
    goto_stage(session, "start.defer")
    step, line = session.step, session.step.line

    def lookup(_symbol, _line):
        return [(line - 1, "x := 1", "sets x"), (line, "defer f()", "the cleanup")]

    base = source_view(session.trace, session.position, lookup, about=lambda _s: "summary")
    assert base.kind == "rendition" and base.title.startswith("rendition · ")
    real = [(line - 2, "func f() {"), (line - 1, "\tx := 1"), (line, "\tdefer f()"),
            (line + 1, "}")]
    v = upstream_view(base, step, real)
    assert v.kind == "upstream" and v.current == 2 and v.annotation == "the cleanup"
    assert v.title.startswith(f"upstream · {step.file}:{line - 2}-{line + 1} @ ")
    assert v.lines[1] == (line - 1, "    x := 1", "sets x") and v.about == "summary"
    # a step line outside what was found is clamped into it; no real lines: the note, as is
    assert upstream_view(base, step, real[:2]).current == 1
    missing = upstream_view(base, step, None, "no checkout")
    assert missing.kind == "rendition" and missing.note == "no checkout"


def test_a_failing_lookup_is_not_hidden(session):
    """The catalog is simstart's own: a bug in it surfaces, it does not turn into the
    anchor-only pane."""
    def broken(_symbol, _line):
        raise RuntimeError("catalog bug")

    with pytest.raises(RuntimeError, match="catalog bug"):
        source_view(session.trace, 0, broken)


def test_the_catalog_plug_answers_or_declines(session):
    lookup = sourcecat.catalog_lookup()
    assert lookup("no.such.Symbol", 1) is None
    for step in session.trace:
        lines = lookup(step.symbol, step.line)
        if lines:
            assert all(isinstance(t, str) for _n, t, _a in lines)
            break


def test_timeline_shows_position_stages_breakpoints_and_outcome(session):
    session.toggle_breakpoint("network")
    t = timeline_view(session)
    assert (t.position, t.total) == (0, len(session.trace))
    assert t.phases[0].state == "current" and t.phases[0].name == "http"
    assert next(c for c in t.phases if c.name == "network").breakpoint
    assert t.breakpoints == 1 and not t.breakpoint_here
    session.toggle_breakpoint("http.request")
    assert timeline_view(session).breakpoint_here
    session.toggle_breakpoint("http.request")
    assert t.outcomes == () and t.fork == ""
    session.trace.goto(len(session.trace) - 1)
    t = timeline_view(session)
    assert t.outcomes[0][0] == 204 and t.outcomes[0][1].startswith("204 No Content")
    assert all(c.state == "done" for c in t.phases if c.name != session.step.phase)
    assert t.time_ms == session.step.time_ms > 0


def _modules_after(code: str) -> set[str]:
    import subprocess
    import sys

    prog = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True,
                         check=True)
    return set(out.stdout.split())


def test_the_view_and_fork_logic_import_no_textual():
    mods = _modules_after("import simstart.tui.view, simstart.tui.sourcecat, "
                          "simstart.engine.session, simstart.engine.fork")
    assert not {m for m in mods if m.split(".")[0] in ("textual", "rich")}


def test_the_tui_start_path_imports_no_networkx():
    mods = _modules_after("from simstart.tui.app import SimstartApp\n"
                          "assert SimstartApp('bridge-port').opened() is not None")
    assert "textual" in mods
    assert not {m for m in mods if m.split(".")[0] == "networkx"}


def _shipped_ids() -> list[str]:
    from simstart.scenario.library import shipped

    return [p.stem for p in shipped()]


@pytest.mark.parametrize("name", _shipped_ids())
def test_every_step_of_every_shipped_scenario_renders(name):
    s = Session(load(resolve(name)))  # every shipped scenario loads (test_scenarios_shipped)
    lookup = sourcecat.catalog_lookup()
    for i in range(len(s.trace)):
        s.trace.goto(i)
        step = s.step
        world_sections(s.trace.world, step.changes)
        changed_rows(step.changes)
        events_rows(s.trace.world, step.changes)
        stack_rows(step)
        v = source_view(s.trace, i, lookup)
        assert v.title and v.symbol == step.symbol
        t = timeline_view(s)
        assert t.position == i
    assert len(timeline_view(s).outcomes) == len(s.scenario.requests)


@pytest.mark.parametrize("name", _shipped_ids())
def test_world_sections_rebuilt_per_step_match_a_full_rebuild(name):
    """The TUI rebuilds only the sections a one-step move touched: forward through every
    step, back to the start, jumps, and a what-if fork give what a full rebuild gives."""
    import random

    s = Session(load(resolve(name)))  # every shipped scenario loads (test_scenarios_shipped)
    cached = WorldSections()

    def check() -> None:
        assert cached(s.trace) == world_sections(s.trace.world, s.step.changes), s.position

    n = len(s.trace)
    moves = list(range(n)) + list(range(n - 2, -1, -1))
    rng = random.Random(name)
    moves += [rng.randrange(n) for _ in range(20)]
    for i in moves:
        s.trace.goto(i)
        check()
    choices = s.what_if_choices()
    if choices:
        s.what_if(choices[0], choices[0].errors[0])
        for i in range(len(s.trace)):
            s.trace.goto(i)
            check()
        s.switch()
        check()


def test_every_change_of_the_shipped_scenarios_has_a_known_label():
    """An unknown label only costs a full rebuild, but it should be a deliberate one."""
    seen: set[str] = set()
    feeds: dict[str, int | None] = {}
    for name in _shipped_ids():
        try:
            s = Session(load(resolve(name)))
        except Exception:
            continue
        feeds = section_of_root(s.trace.world)
        for step in s.trace:
            seen.update(root_of(c.path) for c in step.changes)
    assert seen <= set(feeds), seen - set(feeds)
    assert sections_touched([], feeds) == frozenset()


# -- the view asks the journal for paths ------------------------------------------------------


def _everything_shown(s: Session) -> list[object]:
    """Every row of the World and Events panes with its mark, and the tabs' marks, at every
    step of ``s``."""
    from simstart.tui.view import tabs_changed

    out: list[object] = []
    cached = WorldSections()
    for i in range(len(s.trace)):
        s.trace.goto(i)
        w, changes = s.trace.world, s.step.changes
        out.append([(sec.title, r.mark, r.text) for sec in world_sections(w, changes)
                    for r in sec.rows])
        out.append([(sec.title, r.mark, r.text) for sec in cached(s.trace) for r in sec.rows])
        out.append(events_rows(w, changes))
        out.append(tabs_changed(w, changes))
    return out


@pytest.mark.parametrize("name", ["bridge-port", "legacy-volumes", "db-then-web",
                                  "container-network-running"])
def test_renaming_the_worlds_collections_keeps_every_mark(name, monkeypatch):
    """The marks come from the paths the journal gives, not from names the view spells out:
    rename every collection of the world and every row keeps its +/~ mark."""
    from simstart.world import World
    from simstart.world.journal import JDict, JList, Node

    sc = load(resolve(name))
    before = Session(sc)
    paths_before = {c.path for step in before.trace for c in step.changes}
    shown_before = _everything_shown(before)
    assert any(r[1] for rows in shown_before[::4] for r in rows), "no mark at all: useless"

    real_init = World.__init__

    def renamed(self: World, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        stack: list[object] = [self]
        while stack:
            x = stack.pop()
            if isinstance(x, (JDict, JList)):
                x.label = f"renamed-{x.label}"
            elif isinstance(x, Node):
                stack.extend(v for k, v in vars(x).items() if k != "_journal")

    monkeypatch.setattr(World, "__init__", renamed)
    after = Session(sc)
    paths_after = {c.path for step in after.trace for c in step.changes}
    assert not paths_before & {p for p in paths_after if "[" in p}, "nothing was renamed"
    assert _everything_shown(after) == shown_before
