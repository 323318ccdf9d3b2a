"""``simstart tui`` (and ``simstart`` alone): ``--lang`` and the checkout options. A bad one is
one line on stderr and status 2, before any screen opens; never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from simstart import cli
from simstart.source import INSTALL_HINT


def sim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simstart", *args], capture_output=True,
                          text=True, check=False, stdin=subprocess.DEVNULL)


def one_line(p: subprocess.CompletedProcess[str]) -> str:
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    return lines[0]


@pytest.mark.parametrize("argv", [["tui", "--lang", "fr"], ["--lang", "fr"],
                                  ["tui", "bridge-port", "--lang", "fr"]])
def test_an_unknown_language_is_one_line_and_status_2(argv: list[str]) -> None:
    assert one_line(sim(*argv)) == ("simstart tui: --lang: unknown language 'fr': choose one "
                                    "of en, zh")


@pytest.mark.parametrize("flag", ["--moby-src", "--containerd-src", "--runc-src"])
def test_a_missing_checkout_is_one_line_and_status_2(tmp_path: Path, flag: str) -> None:
    missing = tmp_path / "nowhere"
    assert one_line(sim("tui", flag, str(missing))) == (
        f"simstart tui: {flag}: {missing}: no such directory")


def test_a_checkout_without_tree_sitter_says_how_to_install_it(tmp_path: Path) -> None:
    prog = ("import sys; sys.modules['tree_sitter'] = None; sys.modules['tree_sitter_go'] = None\n"
            "from simstart.cli import main\n"
            f"sys.exit(main(['tui', '--moby-src', {str(tmp_path)!r}]))")
    p = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True,
                       check=False, stdin=subprocess.DEVNULL)
    assert one_line(p) == f"simstart tui: --moby-src: {INSTALL_HINT}"


def test_tui_options_before_another_command_are_refused() -> None:
    line = one_line(sim("--lang", "zh", "run", "bridge-port"))
    assert line.startswith("simstart: --lang before a command is for the TUI")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What ``_tui`` would open with, instead of opening it."""
    calls: list[dict[str, Any]] = []

    def fake(ref: str | None, **kw: Any) -> int:
        calls.append({"ref": ref, **kw})
        return 0

    monkeypatch.setattr(cli, "_tui", fake)
    return calls


def test_the_options_reach_the_tui_with_or_without_the_command(
        opened: list[dict[str, Any]], tmp_path: Path) -> None:
    assert cli.main(["tui", "paused", "--lang", "zh", "--moby-src", str(tmp_path)]) == 0
    assert cli.main(["--lang", "zh", "--runc-src", str(tmp_path)]) == 0
    assert cli.main(["--lang", "zh", "tui"]) == 0
    assert cli.main([]) == 0
    assert cli.main(["tui", "paused", "--quiz"]) == 0
    none = {"moby_src": None, "containerd_src": None, "runc_src": None}
    assert opened == [
        {"ref": "paused", "lang": "zh", **none, "moby_src": str(tmp_path), "quiz": False},
        {"ref": None, "lang": "zh", **none, "runc_src": str(tmp_path), "quiz": False},
        {"ref": None, "lang": "zh", **none, "quiz": False},
        {"ref": None, "lang": None, **none, "quiz": False},
        {"ref": "paused", "lang": None, **none, "quiz": True},
    ]


def test_setup_checks_the_language_and_maps_each_checkout_to_its_repository(
        tmp_path: Path) -> None:
    lang, roots = cli._tui_setup("zh", {"moby_src": str(tmp_path), "containerd_src": None,
                                        "runc_src": str(tmp_path)})
    assert lang == "zh" and roots == {"moby/moby": tmp_path, "docker/runc": tmp_path}
    assert cli._tui_setup(None, {}) == ("en", {})


@pytest.mark.parametrize("argv", [[], ["tui"], ["tui", "mount-failure"]])
def test_without_a_terminal_the_tui_says_so_and_suggests_run(argv: list[str]) -> None:
    """``simstart </dev/null >out``: one line, status 2, at once (no escape codes, no wait)."""
    p = subprocess.run([sys.executable, "-m", "simstart", *argv], capture_output=True,
                       text=True, check=False, stdin=subprocess.DEVNULL, timeout=20)
    ref = argv[1] if len(argv) > 1 else "bridge-port"
    assert one_line(p) == ("simstart: the TUI needs a terminal (stdin and stdout); without "
                           f"one, replay the scenario with: simstart run {ref}")
