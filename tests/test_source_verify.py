"""``sources verify`` and the upstream reader, on a small Go tree written for the tests (no
upstream code: a few Go functions of our own)."""

from __future__ import annotations

from pathlib import Path

import pytest
import tree_sitter  # noqa: F401  (the test extra installs it; a missing one must fail)
import tree_sitter_go  # noqa: F401

from simstart.cli import main
from simstart.source import catalog, real_index, real_lines, upstream
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


GOOD = [
    _entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [
        (6, "func (d *Daemon) Boot(name string) error {"),
        (7, '    if name == "" {'),
        (8, '        return fmt.Errorf("no name")'),
        (None, "    }"),  # type: ignore[list-item]
        (10, "    d.count++"),
    ]),
    _entry("daemon.helper", "daemon/start.go", 14, 16, [(14, "func helper(x int) int {")]),
    _entry("daemon.Server.Handle", "daemon/start.go", 18, 20, [(19, "    s.serve()")]),
    _entry("run", "main.go", 5, 8, [(6, "id := context.Args().First()")],
           locator="runCommand.Action"),
]


def test_every_kind_of_hit(tree: Path) -> None:
    r = upstream.verify(GOOD, {"moby/moby": tree})
    assert (r.checked, r.ok, r.mismatches, r.skipped) == (4, 4, [], [])


@pytest.mark.parametrize(("entry", "kind"), [
    (_entry("daemon.(*Daemon).Boot", "daemon/gone.go", 6, 12, []), "file"),
    (_entry("daemon.(*Daemon).Reboot", "daemon/start.go", 6, 12, []), "symbol"),
    (_entry("daemon.Daemon.Boot", "daemon/start.go", 6, 12, []), "symbol"),  # not a value recv
    (_entry("daemon.(*Daemon).Boot", "daemon/start.go", 5, 12, []), "start"),
    (_entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 13, []), "end"),
    (_entry("other.helper", "daemon/start.go", 14, 16, []), "package"),
    (_entry("daemon.helper", "daemon/start.go", 14, 16, [(15, "return helper2(x)")]), "names"),
    (_entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [(8, "d.count++")]), "line"),
    (_entry("run", "main.go", 5, 8, [], locator="runCommand.Usage"), "symbol"),
])
def test_each_kind_of_miss(tree: Path, entry: Entry, kind: str) -> None:
    found = upstream.check_entry(tree, entry)
    assert [m.kind for m in found] == [kind], [str(m) for m in found]


def test_names_in_comments_and_strings_do_not_count(tree: Path) -> None:
    e = _entry("daemon.(*Daemon).Boot", "daemon/start.go", 6, 12, [
        (8, '        return fmt.Errorf("no name at all") // … whatever else happens'),
    ])
    assert upstream.check_entry(tree, e) == []


def test_repositories_without_a_checkout_are_skipped(tree: Path) -> None:
    other = _entry("x.f", "f.go", 1, 2, [], repo="docker/runc@9c2d8d1")
    r = upstream.verify([*GOOD, other], {"moby/moby": tree})
    assert r.checked == 4 and r.skipped == ["docker/runc"]


def test_real_lines_and_index(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # real_lines looks the entry up in simstart.source.catalog when it is called
    monkeypatch.setattr(catalog, "get", lambda s: GOOD[0] if s == GOOD[0].symbol else None)
    lines = real_lines("daemon.(*Daemon).Boot", {"moby/moby": tree})
    assert lines is not None and lines[0] == (6, "func (d *Daemon) Boot(name string) error {")
    assert lines[-1] == (12, "}")
    assert lines[real_index(lines, 10)] == (10, "\td.count++")
    assert real_index(lines, 999) == len(lines) - 1
    assert real_lines("daemon.(*Daemon).Boot", {}) is None


def _use_entries(monkeypatch: pytest.MonkeyPatch, entries: list[Entry]) -> None:
    monkeypatch.setattr(catalog, "entries", lambda: tuple(entries))


def test_cli_verify_all_hold(tree: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    _use_entries(monkeypatch, GOOD)
    assert main(["sources", "verify", "--moby-src", str(tree)]) == 0
    out = capsys.readouterr().out
    assert "4 functions checked: 4 hold, 0 with mismatches (0 mismatches)" in out


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
    assert out[-1] == ("3 functions checked: 1 hold, 2 with mismatches (3 mismatches); 1 "
                       "skipped (no checkout given: docker/runc --runc-src)")


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

    from simstart.source.stages import stage_ids

    assert main(["sources", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["stage"] for r in rows if r["stage"]} == set(stage_ids())
    row = next(r for r in rows if r["stage"] == "start.apparmor_bug")
    assert row == {"stage": "start.apparmor_bug", "symbol": "daemon.(*Daemon).containerStart",
                   "repo": "moby/moby@v17.05.0-ce", "file": "daemon/start.go",
                   "start_line": 98, "end_line": 198}
    assert main(["sources", "list"]) == 0
    first = capsys.readouterr().out.splitlines()[0].split("\t")
    assert len(first) == 5
