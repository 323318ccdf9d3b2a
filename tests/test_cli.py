"""The command line: exit statuses, one clear line on bad input, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SCENARIOS


def sim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simstart", *args], capture_output=True,
                          text=True, cwd=cwd, check=False)


def test_run_prints_a_readable_trace_and_exits_0_when_expectations_hold() -> None:
    p = sim("run", "bridge-port")
    assert p.returncode == 0, p.stderr
    assert "network.port_allocated" in p.stdout
    assert "daemon.(*Daemon).containerStart" in p.stdout
    assert "expectations hold" in p.stdout


def test_run_json_is_one_object_per_step_then_the_outcome() -> None:
    p = sim("run", str(SCENARIOS / "paused.yaml"), "--json")
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert all("stage" in x and "anchor" in x and "changes" in x for x in lines[:-1])
    assert lines[-1]["ok"] is True
    assert lines[-1]["requests"][0]["outcome"]["status"] == 500


def test_run_exits_1_when_an_expectation_fails(tmp_path: Path) -> None:
    f = tmp_path / "wrong.yaml"
    f.write_text("title: wrong\ncontainers: [{name: web, image: nginx, cmd: [nginx]}]\n"
                 "requests: [{container: web, expect: {status: 500}}]\n")
    p = sim("run", str(f))
    assert p.returncode == 1
    assert "EXPECTATION FAILED: status: expected 500, got 204" in p.stdout


@pytest.mark.parametrize(("text", "needle"), [
    ("title: x\ncontainers: [{name: web, netwrk_mode: host}]\nrequests: [{container: web}]\n",
     ":2:"),
    ("title: [unclosed\n", "YAML syntax error"),
    ("", "the file is empty"),
    ("- just\n- a list\n", "expected a mapping"),
])
def test_bad_scenarios_get_one_line_exit_2_and_no_traceback(tmp_path: Path, text: str,
                                                             needle: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    before = f.read_bytes()
    p = sim("run", str(f))
    assert p.returncode == 2
    assert p.stdout == ""
    assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert "Traceback" not in p.stderr
    assert p.stderr.startswith(str(f) + ":")
    assert needle in p.stderr
    assert f.read_bytes() == before


def test_a_typo_gets_a_suggestion(tmp_path: Path) -> None:
    f = tmp_path / "typo.yaml"
    f.write_text("title: x\ncontainers:\n  - name: web\n    netwrk_mode: host\n"
                 "requests: [{container: web}]\n")
    p = sim("run", str(f))
    from simstart.scenario.schema import SCHEMA

    keys = ", ".join(SCHEMA["containers"].items)  # every container key, in declaration order
    assert p.stderr.strip() == (f"{f}:4:5: containers[0].netwrk_mode: unknown key (did you mean "
                                f"`network_mode`?); expected one of: {keys}")


def test_an_unknown_image_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    f = tmp_path / "image.yaml"
    f.write_text("title: x\ncontainers:\n  - {name: web, image: 'ngnix:1.13'}\n"
                 "requests: [{container: web}]\n")
    for cmd in ("run", "tui", "export"):
        p = sim(cmd, str(f))
        assert p.returncode == 2, cmd
        assert p.stderr.strip() == (
            f"{f}:3:17: containers[0].image: no image 'ngnix' (did you mean `nginx`?); declare "
            "it under images, or use a built-in one: busybox, alpine, nginx, redis, postgres")
    ok = tmp_path / "tagged.yaml"
    ok.write_text("title: x\nimages: [{name: 'localhost:5000/app', files: {/bin/top: exec}}]\n"
                  "containers:\n  - {name: a, image: 'localhost:5000/app:v2', cmd: [top]}\n"
                  "  - {name: b, image: 'nginx@sha256:0123', cmd: [nginx]}\n"
                  "requests: [{container: a, expect: {status: 204}}, "
                  "{container: b, expect: {status: 204}}]\n")
    assert sim("run", str(ok)).returncode == 0


@pytest.mark.parametrize("cmd", [["run"], ["tui"], ["export"], ["graph", "states"]])
def test_every_command_applies_exactly_validates_checks(tmp_path: Path, cmd: list[str]) -> None:
    f = tmp_path / "strict.yaml"
    # checks only `validate` used to make: an undeclared link target, a request that names no
    # container without saying it expects the 404
    f.write_text("title: x\ncontainers:\n  - {name: web, links: ['ghost:g']}\n"
                 "requests: [{container: wbe}]\n")
    v = sim("validate", str(f))
    assert v.returncode == 1
    first = v.stderr.splitlines()[0]
    assert first == (f"{f}:3:25: containers[0].links[0]: no container 'ghost' to link to; "
                     "expected 'name:alias'")
    p = sim(*cmd, str(f))
    assert (p.returncode, p.stdout) == (2, "")
    assert p.stderr.strip() in v.stderr.splitlines()
    assert "Traceback" not in p.stderr


@pytest.mark.parametrize("args", [["run"], ["run", "/no/such/file.yaml"], ["frobnicate"],
                                  ["run", "bridge-port", "--colour"], ["run", "nosuchname"]])
def test_bad_arguments_exit_2_with_one_line(args: list[str]) -> None:
    p = sim(*args)
    assert p.returncode == 2
    assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert "Traceback" not in p.stderr


def test_list_shows_the_shipped_scenarios_with_titles() -> None:
    p = sim("list")
    assert p.returncode == 0
    assert "bridge-port" in p.stdout and "Bridge network with a published port" in p.stdout
    assert len(p.stdout.splitlines()) >= 16


def test_python_dash_m_and_the_console_script_agree() -> None:
    script = Path(sys.executable).with_name("simstart")
    assert script.exists(), "pip install -e . installs the simstart console script"
    a = subprocess.run([str(script), "run", "paused", "--json"], capture_output=True,
                       text=True, check=False).stdout
    assert a == sim("run", "paused", "--json").stdout
