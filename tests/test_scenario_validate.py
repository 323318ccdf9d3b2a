"""`simstart validate`: every mistake an author can make gets one located line that says how
to fix it; exit 0 valid, 1 invalid, 2 unreadable."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from simstart.scenario import ScenarioError, loads

from .conftest import problems_in_text

OK = """\
title: ok
containers:
  - name: web
    image: nginx
    cmd: [nginx]
requests:
  - container: web
"""


def lines(text: str) -> list[str]:
    return [str(e) for e in problems_in_text(text, "s.yaml")]


def one(text: str) -> str:
    found = lines(text)
    assert len(found) == 1, found
    return found[0]


def test_a_valid_scenario_has_no_problems() -> None:
    assert lines(OK) == []


@pytest.mark.parametrize(("text", "expected"), [
    # a typo in a key, with the closest valid key
    (OK.replace("    image: nginx", "    imgae: nginx"),
     "s.yaml:4:5: containers[0].imgae: unknown key (did you mean `image`?)"),
    (OK.replace("    cmd: [nginx]", "    cmd: [nginx]\n    netwrk_mode: host"),
     "s.yaml:6:5: containers[0].netwrk_mode: unknown key (did you mean `network_mode`?)"),
    # a typo in a value from a fixed list
    (OK.replace("    cmd: [nginx]", "    cmd: [nginx]\n    state: runing"),
     "s.yaml:6:5: containers[0].state: 'runing' is not allowed (did you mean `running`?)"),
    # a wrong type, with the hint to quote
    (OK + "    api_version: 1.24\n",
     "s.yaml:8:5: requests[0].api_version: is a number, expected a string (put it in quotes)"),
    # an ID that is not 64 hex digits
    (OK.replace("    image: nginx", "    id: abc\n    image: nginx"),
     "s.yaml:4:5: containers[0].id: 'abc' is not valid; expected 64 lower-case hex digits"),
    # a fault site that does not exist
    (OK + "faults:\n  - site: runc.star\n",
     "s.yaml:9:5: faults[0].site: 'runc.star' is not allowed (did you mean `runc.start`?)"),
    # an event that cannot occur
    (OK + "    expect: {events: [container explode]}\n",
     "s.yaml:8:23: requests[0].expect.events[0]: 'container explode' is not allowed"),
    # a missing required key
    ("title: t\nrequests: [{container: web}]\n",
     "s.yaml:1:1: missing required key `containers`"),
])
def test_schema_mistakes(text: str, expected: str) -> None:
    assert one(text).startswith(expected)


@pytest.mark.parametrize(("text", "expected"), [
    (OK.replace("    cmd: [nginx]", "    cmd: [nginx]\n    network_mode: container:wbe"),
     "s.yaml:6:5: containers[0].network_mode: no container 'wbe' in this scenario (did you "
     "mean `web`?)"),
    (OK.replace("    cmd: [nginx]", "    cmd: [nginx]\n    network_mode: brige"),
     "s.yaml:6:5: containers[0].network_mode: no network 'brige' (did you mean `bridge`?)"),
    (OK.replace("  - container: web", "  - container: wbe"),
     "s.yaml:7:5: requests[0].container: no container 'wbe' in this scenario (did you mean "
     "`web`?); if the request is meant to fail, say so: `expect: {status: 404}`"),
    (OK.replace("    cmd: [nginx]", "    cmd: [nginx]\n    ipc_mode: container:db"),
     "s.yaml:6:5: containers[0].ipc_mode: no container 'db' in this scenario"),
    (OK.replace("    cmd: [nginx]", "    cmd: [nginx]\n  - name: web"),
     "s.yaml:6:5: containers[1].name: duplicate container name 'web' (also containers[0])"),
    (OK + "    expect: {status: 204, message: boom}\n",
     "s.yaml:8:27: requests[0].expect.message: a 204 response has no body"),
    (OK + "    expect: {removed: true}\n",
     "s.yaml:8:14: requests[0].expect.removed: cannot occur: web has no auto_remove"),
    (OK + "    expect: {state: {status: paused}}\n",
     "s.yaml:8:22: requests[0].expect.state.status: cannot occur: a start never makes a "
     "container paused"),
    (OK + "faults:\n  - {site: runc.start, request: 3}\n",
     "s.yaml:9:24: faults[0].request: there are 1 requests (0 to 0)"),
    (OK.replace("  - container: web", "  - container: ''"),
     "s.yaml:7:5: requests[0].container: is empty"),
])
def test_cross_reference_mistakes(text: str, expected: str) -> None:
    assert one(text).startswith(expected)


def test_every_problem_is_reported_in_file_order() -> None:
    text = OK.replace("    image: nginx", "    imgae: nginx").replace(
        "title: ok", "title: ok\nsead: x") + "    chunkd: true\n"
    found = lines(text)
    assert [f.split(": ")[1] for f in found] == ["sead", "containers[0].imgae",
                                                 "requests[0].chunkd"]


def test_an_intended_404_and_a_removed_container_are_fine() -> None:
    assert lines(OK.replace("  - container: web", "  - container: wbe\n"
                            "    expect: {status: 404}")) == []
    gone = OK.replace("    cmd: [nginx]", "    cmd: [nginx]\n    ipc_mode: container:db\n"
                      "  - name: db\n    state: removed")
    assert lines(gone) == []
    assert [c.name for c in loads(gone).containers] == ["web"]


def test_anchors_and_aliases_work() -> None:
    text = ("title: t\ncontainers:\n  - &web {name: web, image: nginx, cmd: [nginx]}\n"
            "  - <<: *web\n    name: web2\nrequests:\n  - container: web\n"
            "  - container: web2\n")
    sc = loads(text)
    assert [c.image for c in sc.containers] == ["nginx", "nginx"]


def test_only_safe_yaml() -> None:
    found = one(OK + "seed: !!python/object/apply:os.system ['echo pwned']\n")
    assert found.startswith("s.yaml:8:7: seed: the tag tag:yaml.org,2002:python/object/apply:"
                            "os.system is not allowed: a scenario is plain YAML")
    found = one(OK + "seed: !!python/name:os.system ''\n")
    assert found.startswith("s.yaml:8:7: seed: bad value: could not determine a constructor")
    assert "\n" not in found


def test_a_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_text(OK + "description: " + "x" * (1 << 20) + "\n")
    t = time.perf_counter()
    with pytest.raises(ScenarioError, match="larger than 1 MiB"):
        loads(f.read_text(), str(f))
    assert time.perf_counter() - t < 1.0


def test_an_alias_bomb_is_refused_quickly() -> None:
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        bomb.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = "title: t\n" + "\n".join(bomb) + "\ncontainers: []\nrequests: [{container: x}]\n"
    t = time.perf_counter()
    found = one(text)
    assert time.perf_counter() - t < 1.0  # 10^10 values if it were expanded
    assert "alias bomb" in found


def test_deep_nesting_is_refused_not_a_crash() -> None:
    assert "nested too deeply" in one("title: " + "[" * 5000 + "]" * 5000 + "\n")


def sim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simstart", *args], capture_output=True,
                          text=True, check=False)


def test_validate_exit_statuses(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(OK)
    bad = tmp_path / "bad.yaml"
    bad.write_text(OK.replace("image:", "imgae:").replace("cmd:", "cmnd:"))
    p = sim("validate", str(good), "bridge-port")
    assert (p.returncode, p.stderr) == (0, "")
    p = sim("validate", str(good), str(bad))
    assert p.returncode == 1
    from simstart.scenario.schema import SCHEMA

    keys = ", ".join(SCHEMA["containers"].items)  # every container key, in declaration order
    assert keys.startswith("name, id, image, cmd, hostname, state, exit_code, network_mode, ")
    assert p.stderr.splitlines() == [
        f"{bad}:4:5: containers[0].imgae: unknown key (did you mean `image`?); expected one "
        f"of: {keys}",
        f"{bad}:5:5: containers[0].cmnd: unknown key (did you mean `cmd`?); expected one of: "
        f"{keys}"]
    p = sim("validate", str(bad), str(tmp_path / "missing.yaml"), str(tmp_path))
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert f"{tmp_path / 'missing.yaml'}:1:1: cannot read the file: no such file" in p.stderr
    assert f"{tmp_path}:1:1: is a directory" in p.stderr


def test_validate_never_writes(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(OK)
    before = sorted(tmp_path.iterdir())
    sim("validate", str(f))
    assert sorted(tmp_path.iterdir()) == before and f.read_text() == OK


def test_create_time_state_that_contradicts_itself() -> None:
    mid = "ab" * 32
    text = ("title: t\ncontainers:\n"
            f"  - {{name: a, mount_id: '{mid}'}}\n"
            f"  - {{name: b, mount_id: '{mid}'}}\n"
            "  - {name: c, state: running, error: boom}\n"
            "  - {name: d, env: ['=x']}\n"
            "requests: [{container: a}]\n")
    found = [str(p) for p in problems_in_text(text, "t.yaml")]
    assert found == [
        "t.yaml:4:15: containers[1].mount_id: the RW layer of containers[0] too; each container "
        "has its own",
        "t.yaml:5:31: containers[2].error: a running container's State.Error is empty "
        "(SetRunning clears it); give it `state: exited` or `created`, or drop error",
        "t.yaml:6:21: containers[3].env[0]: '=x' has an empty variable name (runc's os.Setenv "
        "would refuse it; not modelled); expected 'NAME=value' or 'NAME'"]


def test_the_built_in_images_are_the_ones_the_loader_knows() -> None:
    from simstart.engine.build import BUILTIN_IMAGES, BUILTIN_USERS
    from simstart.scenario.schema import BUILTIN_IMAGES as NAMES

    assert tuple(BUILTIN_IMAGES) == NAMES == tuple(BUILTIN_USERS)
