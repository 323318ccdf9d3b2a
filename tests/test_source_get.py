"""``simstart sources get``: a shallow fetch of the pinned commit and a sparse checkout of the
catalog's files, from git repositories made here (never the network); then ``sources verify``
and the TUI find the checkouts without options."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import tree_sitter  # noqa: F401  (the test extra installs it; a missing one must fail)

from simstart.cli import _tui_setup, main
from simstart.source import catalog, fetch


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(cwd), "-c", "user.name=t", "-c",
                           "user.email=t@example.invalid", *args], check=True,
                          capture_output=True, text=True).stdout.strip()


@pytest.fixture
def remotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """One repository per pinned one, holding the catalog's files (Go of our own, a line
    each) and a file nobody needs; the commit pinned is the first, a second one follows."""
    shas: dict[str, str] = {}
    for repo, files in fetch.needed_files().items():
        r = tmp_path / "remotes" / repo
        r.mkdir(parents=True)
        _git(r, "init", "-q")
        _git(r, "config", "uploadpack.allowFilter", "true")
        _git(r, "config", "uploadpack.allowAnySHA1InWant", "true")
        for f in files:
            (r / f).parent.mkdir(parents=True, exist_ok=True)
            (r / f).write_text("package test\n", encoding="utf-8")
        (r / "NOT-NEEDED.md").write_text("not asked for\n", encoding="utf-8")
        _git(r, "add", "-A")
        _git(r, "commit", "-q", "-m", "pinned")
        shas[repo] = _git(r, "rev-parse", "HEAD")
        (r / "LATER.md").write_text("after the pin\n", encoding="utf-8")
        _git(r, "add", "-A")
        _git(r, "commit", "-q", "-m", "later")
        monkeypatch.setitem(fetch.PINS, repo, (fetch.PINS[repo][0], shas[repo]))
    monkeypatch.setenv(fetch.REMOTE_ENV, f"file://{tmp_path}/remotes/{{repo}}")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return shas


def _files(d: Path) -> set[str]:
    return {str(p.relative_to(d)) for p in d.rglob("*") if p.is_file() and ".git" not in p.parts}


def test_get_checks_out_exactly_the_catalog_files_at_the_pinned_commit(
        remotes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "src"
    assert main(["sources", "get", "--dir", str(out)]) == 0
    printed = capsys.readouterr().out
    for repo, files in fetch.needed_files().items():
        d = out / catalog.REPO_DIRS[repo]
        assert _files(d) == set(files), repo
        assert _git(d, "rev-parse", "HEAD") == remotes[repo]
        assert _git(d, "rev-parse", "--is-shallow-repository") == "true"
        assert f"{repo} {fetch.PINS[repo][0]}: {len(files)} files in {d} (fetched)" in printed
    assert "--moby-src " + str(out / "moby") in printed  # not the cache: say which flags
    # every file a catalog entry lives in, and nothing else
    assert sum(len(f) for f in fetch.needed_files().values()) == \
        len({(e.repo_name, e.file) for e in catalog.entries()})


def test_get_into_the_cache_then_verify_and_the_tui_find_it(
        remotes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "get"]) == 0
    cache = tmp_path / "cache" / "simstart" / "sources"
    assert fetch.cache_dir() == cache
    assert (cache / "moby" / "daemon" / "start.go").is_file()
    capsys.readouterr()
    # verify, no options: our one-line Go files disagree with every entry, but all are checked
    assert main(["sources", "verify"]) == 1
    out = capsys.readouterr().out
    n = len(catalog.entries())
    assert f"{n} functions checked: 0 hold" in out and "skipped" not in out
    # an option still wins over the cache
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert main(["sources", "verify", "--moby-src", str(other)]) == 1
    assert "does not exist in " + str(other) in capsys.readouterr().out
    # the TUI's u: roots from the cache, an option overriding one of them
    _, roots = _tui_setup("en", {"moby_src": None, "containerd_src": None, "runc_src": None})
    assert roots == {repo: cache / catalog.REPO_DIRS[repo] for repo in fetch.PINS}
    _, roots = _tui_setup("en", {"moby_src": str(other), "containerd_src": None,
                                 "runc_src": None})
    assert roots["moby/moby"] == other and roots["docker/runc"] == cache / "runc"


def test_a_second_get_fetches_nothing(remotes: dict[str, str], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "get"]) == 0
    capsys.readouterr()
    # the remotes gone: a second run needs nothing from them
    for repo in fetch.PINS:
        (tmp_path / "remotes" / repo / ".git" / "HEAD").unlink()
    assert main(["sources", "get"]) == 0
    assert capsys.readouterr().out.count("(already there)") == len(fetch.PINS)


def test_offline_it_says_so_in_one_line_and_exits_2(
        remotes: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(fetch.REMOTE_ENV, f"file://{tmp_path}/nowhere/{{repo}}")
    assert main(["sources", "get"]) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"simstart sources get: cannot fetch moby/moby v17.05.0-ce from "
                               f"file://{tmp_path}/nowhere/moby/moby (offline?): ")
    # the empty repository the failed fetch left is not taken for a checkout…
    assert (tmp_path / "cache" / "simstart" / "sources" / "moby" / ".git").is_dir()
    assert fetch.cached_root("moby/moby") is None
    assert main(["sources", "verify"]) == 2
    # …and, back online, the next get completes it
    monkeypatch.setenv(fetch.REMOTE_ENV, f"file://{tmp_path}/remotes/{{repo}}")
    assert main(["sources", "get"]) == 0
    assert fetch.cached_root("moby/moby") == tmp_path / "cache" / "simstart" / "sources" / "moby"


def test_without_git_it_says_so_in_one_line_and_exits_2(
        remotes: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(fetch.shutil, "which", lambda name: None)
    assert main(["sources", "get"]) == 2
    err = capsys.readouterr().err
    assert err == "simstart sources get: git is not installed: it is what fetches the " \
                  "upstream files\n"


def test_a_directory_that_is_not_a_checkout_is_left_alone(
        remotes: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "src" / "moby"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("my own\n", encoding="utf-8")
    assert main(["sources", "get", "--dir", str(tmp_path / "src")]) == 2
    assert capsys.readouterr().err == (f"simstart sources get: {mine} exists and is not a "
                                       "checkout made by sources get: remove it or choose "
                                       "another --dir\n")
    assert _files(mine) == {"notes.txt"}


def test_verify_with_no_checkout_anywhere_points_at_sources_get(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty"))
    assert main(["sources", "verify"]) == 2
    assert capsys.readouterr().err == ("simstart sources verify: no moby checkout: run "
                                       "simstart sources get, or give --moby-src DIR\n")
