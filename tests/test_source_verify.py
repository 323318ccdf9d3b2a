"""``sources verify`` and the upstream reader, on a small Go tree written for the tests (no
upstream code: a few Go functions of our own)."""

from __future__ import annotations

from pathlib import Path

import pytest
import tree_sitter  # noqa: F401  (the test extra installs it; a missing one must fail)
import tree_sitter_go  # noqa: F401

from simstart.cli import main
from simstart.source import catalog, real_lines, upstream
from simstart.source.model import Entry, Line

START_GO = """package daemon

import "fmt"

// Boot is a function of our own, for the tests.
func (d *Daemon) Boot(name string) error {
	if name == "" {
		return fmt.Errorf("no name")
	}
	d.count++
	return nil
}

func helper(x int) int {
	return x + 1
}

func (s Server) Handle() {
	s.serve()
}

func (d *Daemon) Serve() (err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	check := func(s string) bool {
		return s != ""
	}
	if !check(d.name) {
		return fmt.Errorf("nameless")
	}
	return nil
}
"""

MAIN_GO = """package main

var runCommand = cli.Command{
	Name: "run",
	Action: func(context *cli.Context) error {
		id := context.Args().First()
		return start(id)
	},
}
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "daemon").mkdir()
    (tmp_path / "daemon" / "start.go").write_text(START_GO)
    (tmp_path / "main.go").write_text(MAIN_GO)
    return tmp_path


def _entry(symbol: str, file: str, start: int, end: int, lines: list[tuple[int, str]],
           locator: str = "", repo: str = "moby/moby@v17.05.0-ce") -> Entry:
    return Entry(symbol, repo, file, start, end, "about", "关于",
                 tuple(Line(no, text, "note", "注释") for no, text in lines), locator)


# renditions in the outline style: Go names and strings kept, the rest our own words
GOOD = [
    _entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [
        (6, "Boot(name) on d *Daemon, gives an error"),
        (7, "  name empty?"),
        (8, '    → return fmt.Errorf("no name")'),
        (10, "  d.count++ (one more boot)"),
        (11, "  → return nil"),
    ]),
    _entry("daemon.helper", "daemon/start.go", 14, 16, [(14, "helper(x), an int"),
                                                        (15, "  → return x + 1")]),
    _entry("daemon.Server.Handle", "daemon/start.go", 18, 20, [(19, "    s.serve()")]),
    _entry("run", "main.go", 5, 8, [(6, "id ← context.Args().First()"),
                                    (7, "→ return start(id)")],
           locator="runCommand.Action"),
]


def test_every_kind_of_hit(tree: Path) -> None:
    r = upstream.verify(GOOD, {"moby/moby": tree})
    assert (r.checked, r.ok, r.mismatches, r.skipped) == (4, 4, [], [])
    assert (r.control, r.hidden) == (4, [])
    assert [(v.file, v.lines, v.same) for v in r.verbatim] == [("daemon/start.go", 4, 0),
                                                               ("main.go", 2, 0)]


def test_every_return_and_defer_is_found_closures_included(tree: Path) -> None:
    d = upstream.find_definition(tree / "daemon" / "start.go", "daemon.(*Daemon).Serve")
    assert d is not None and (d.start, d.end) == (22, 32)
    assert d.control == ((24, "defer"), (26, "return"), (29, "return"), (31, "return"))


def test_a_rendition_that_hides_a_return_or_a_defer(tree: Path) -> None:
    e = _entry("daemon.(*Daemon).Serve", "daemon/start.go", 22, 32, [
        (22, "Serve() on d, named result err"),
        (23, "  d.mu.Lock()"),
        (28, "  !check(d.name)?"),
        (29, '    → return fmt.Errorf("nameless")'),
    ])
    r = upstream.verify([e], {"moby/moby": tree})
    assert r.mismatches == [] and r.control == 4
    assert [str(h) for h in r.hidden] == [
        "defer not shown: daemon/start.go:daemon.(*Daemon).Serve:24",
        "return not shown: daemon/start.go:daemon.(*Daemon).Serve:26",
        "return not shown: daemon/start.go:daemon.(*Daemon).Serve:31",
    ]


def test_verbatim_lines_are_counted_whitespace_collapsed(tree: Path) -> None:
    text = (tree / "daemon" / "start.go").read_text()
    e = _entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [
        (6, "func (d *Daemon) Boot(name string) error {"),  # a copy
        (7, '    if   name ==  ""    {'),  # a copy once whitespace is collapsed
        (8, '        return fmt.Errorf("no name") // no'),  # not the same line
        (10, "    d.count++"),  # too short to count
        (None, "    }"),  # type: ignore[list-item]
    ])
    n, copied = upstream.copied_lines(e, text)
    assert n == 3
    assert copied == [(6, "func (d *Daemon) Boot(name string) error {"), (7, 'if name == "" {')]


def test_prose_words_are_not_go_names() -> None:
    names = upstream._code_names  # the rule behind the names check
    assert names('container.IsPaused()? → plain error "a paused one." (500)') == \
        {"container", "IsPaused"}
    assert names("the lock is held. checkpointDir and s1 stay") == {"checkpointDir", "s1"}
    assert names("createSpec(container) fails? → return err") == {"createSpec"}
    assert names("x().Err and a[0].Name") == {"x", "Err", "Name"}
    assert names("nil DNS lists, 64 MB, via syscall.EACCES") == {"syscall", "EACCES"}


def check_entry(tree: Path, e: Entry) -> list[upstream.Mismatch]:
    """What ``simstart sources verify`` finds wrong with ``e`` alone."""
    return upstream.verify([e], {e.repo_name: tree}).mismatches


@pytest.mark.parametrize(("entry", "kind"), [
    (_entry("daemon.(*Daemon).Boot", "daemon/gone.go", 6, 12, []), "file"),
    (_entry("daemon.(*Daemon).Reboot", "daemon/start.go", 6, 12, []), "symbol"),
    (_entry("daemon.Daemon.Boot", "daemon/start.go", 6, 12, []), "symbol"),  # not a value recv
    (_entry("daemon.(*Daemon).Boot", "daemon/start.go", 5, 12, []), "start"),
    (_entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 13, []), "end"),
    (_entry("other.helper", "daemon/start.go", 14, 16, []), "package"),
    (_entry("daemon.helper", "daemon/start.go", 14, 16, [(15, "return helper2(x)")]), "names"),
    (_entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [(8, "d.count++")]), "line"),
    (_entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [(10, "d.Reboot()")]), "names"),
    (_entry("run", "main.go", 5, 8, [], locator="runCommand.Usage"), "symbol"),
])
def test_each_kind_of_miss(tree: Path, entry: Entry, kind: str) -> None:
    found = check_entry(tree, entry)
    assert [m.kind for m in found] == [kind], [str(m) for m in found]


def test_a_line_of_keywords_takes_any_words_a_blank_line_none(tree: Path) -> None:
    e = _entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [
        (11, "  → return nil, nothing more to do"),  # the real line is `return nil`
    ])
    assert check_entry(tree, e) == []
    e = _entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [(12, "d.count is done")])
    assert [m.kind for m in check_entry(tree, e)] == ["line"]  # the real line is `}`


def test_names_in_comments_and_strings_do_not_count(tree: Path) -> None:
    e = _entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [
        (8, '        return fmt.Errorf("no name at all") // … whatever else happens'),
    ])
    assert check_entry(tree, e) == []


def test_repositories_without_a_checkout_are_skipped(tree: Path) -> None:
    other = _entry("x.f", "f.go", 1, 2, [], repo="docker/runc@9c2d8d1")
    r = upstream.verify([*GOOD, other], {"moby/moby": tree})
    assert r.checked == 4 and r.skipped == ["docker/runc"]


def test_real_lines(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # real_lines looks the entry up in simstart.source.catalog when it is called
    monkeypatch.setattr(catalog, "get", lambda s: GOOD[0] if s == GOOD[0].symbol else None)
    lines = real_lines("daemon.(*Daemon).Boot", {"moby/moby": tree})
    assert lines is not None and lines[0] == (6, "func (d *Daemon) Boot(name string) error {")
    assert lines[-1] == (12, "}")
    assert dict(lines)[10] == "\td.count++"
    assert real_lines("daemon.(*Daemon).Boot", {}) is None


def _use_entries(monkeypatch: pytest.MonkeyPatch, entries: list[Entry]) -> None:
    monkeypatch.setattr(catalog, "entries", lambda: tuple(entries))


def test_cli_verify_all_hold(tree: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    _use_entries(monkeypatch, GOOD)
    assert main(["sources", "verify", "--moby-src", str(tree)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "verbatim: moby/moby daemon/start.go: 0 of 4 lines (0.0%)",
        "verbatim: moby/moby main.go: 0 of 2 lines (0.0%)",
        "4 functions checked: 4 hold, 0 with mismatches (0 mismatches)",
        "return/defer: 4 of 4 shown in the renditions, 0 not shown",
        "verbatim: 0 of 6 rendition lines are upstream lines (0.0%; at most 10% allowed)",
    ]


def test_cli_verify_prints_every_mismatch(tree: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad = [GOOD[0], _entry("daemon.helper", "daemon/start.go", 13, 17, []),
           _entry("x.y", "nope.go", 1, 2, []),
           _entry("r.f", "f.go", 1, 2, [], repo="docker/runc@9c2d8d1")]
    _use_entries(monkeypatch, bad)
    assert main(["sources", "verify", "--moby-src", str(tree)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "start: daemon.helper: starts at daemon/start.go:14, recorded 13" in out
    assert "end: daemon.helper: ends at daemon/start.go:16, recorded 17" in out
    assert any(line.startswith("file: x.y: nope.go does not exist") for line in out)
    assert ("3 functions checked: 1 hold, 2 with mismatches (3 mismatches); 1 "
            "skipped (no checkout given: docker/runc --runc-src)") in out
    # helper's definition was found: its return counts, and is not shown
    assert "return not shown: daemon/start.go:daemon.helper:15" in out
    assert out[-2] == "return/defer: 2 of 3 shown in the renditions, 1 not shown"


def test_cli_verify_fails_above_a_tenth_verbatim(tree: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    ours = [(None, f"an outline line of ours, number {i}") for i in range(7)]
    lines = [(6, "Boot(name) on d *Daemon, gives an error"),
             (7, '    if name == "" {'),  # a copy of the real line 7
             (8, '    → return fmt.Errorf("no name")'), (11, "  → return nil")]
    at_limit = _entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, lines + ours)
    _use_entries(monkeypatch, [at_limit])  # 1 copy among 3 + 7 = 10 lines: allowed
    assert main(["sources", "verify", "--moby-src", str(tree)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == ("verbatim: 1 of 10 rendition lines are upstream lines (10.0%; at most "
                       "10% allowed)")
    over = _entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, lines + ours[:-1])
    _use_entries(monkeypatch, [over])  # 1 of 9
    assert main(["sources", "verify", "--moby-src", str(tree), "--show-verbatim"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "verbatim: moby/moby daemon/start.go: 1 of 9 lines (11.1%)"
    assert out[1] == '  7 | if name == "" {'
    assert out[-1] == ("verbatim: 1 of 9 rendition lines are upstream lines (11.1%; at most "
                       "10% allowed, too many)")


def test_cli_verify_bad_input(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "verify", "--moby-src", str(tree / "absent")]) == 2
    assert "no such directory" in capsys.readouterr().err
    assert main(["sources", "verify"]) == 2  # --moby-src is required
    assert main(["sources"]) == 2


def test_cli_verify_without_tree_sitter(tree: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    def unavailable() -> None:
        raise upstream.SourceUnavailable()

    monkeypatch.setattr(upstream, "_parser", unavailable)
    assert main(["sources", "verify", "--moby-src", str(tree)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'simstart[source]'" in err[0]


def test_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from simstart.source.stages import emit_sites

    assert main(["sources", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["stage"] for r in rows if r["stage"]} == {s.stage for s in emit_sites()}
    row = next(r for r in rows if r["stage"] == "start.apparmor_bug")
    assert row == {"stage": "start.apparmor_bug", "symbol": "daemon.(*Daemon).containerStart",
                   "repo": "moby/moby@v17.05.0-ce", "file": "daemon/start.go",
                   "start_line": 98, "end_line": 198}
    assert main(["sources", "list"]) == 0
    first = capsys.readouterr().out.splitlines()[0].split("\t")
    assert len(first) == 5
