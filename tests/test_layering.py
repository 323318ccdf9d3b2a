"""The engine and everything below it import neither Textual nor Rich; the CLI stays light."""

from __future__ import annotations

import subprocess
import sys

from .conftest import SCENARIOS

BRIDGE = str(SCENARIOS / "bridge-port.yaml")


def _modules_after(code: str) -> set[str]:
    prog = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True,
                         check=True)
    return set(out.stdout.split())


def test_engine_and_below_import_neither_textual_nor_rich() -> None:
    mods = _modules_after(
        "import simstart.scenario, simstart.world, simstart.moby, simstart.engine, "
        "simstart.render\n"
        "from simstart.engine import record\nfrom simstart.scenario import load\n"
        f"record(load({BRIDGE!r}))")
    assert not {m for m in mods if m.split(".")[0] in ("textual", "rich")}


def test_running_a_scenario_from_the_cli_imports_no_ui_and_no_networkx() -> None:
    mods = _modules_after(
        "from simstart.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['run', {BRIDGE!r}, '--quiet'])")
    assert not {m for m in mods if m.split(".")[0] in ("textual", "rich", "networkx")}
