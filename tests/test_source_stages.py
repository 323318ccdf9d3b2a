"""The static scan of simstart/moby finds every stage the engine can emit, in the right frame;
and every step of every shipped scenario can be narrated in Chinese."""

from __future__ import annotations

import functools

from simstart.source import i18n, stages


def test_literal_helper_and_parameter_stages() -> None:
    sym = stages.stage_symbols()
    assert sym["network.port_allocated"] == ("portmapper.(*PortMapper).MapRange",)
    # a helper without @go (_on_error) runs in its caller's frame
    assert sym["cleanup.set_error"] == ("daemon.(*Daemon).containerStart",)
    # to_disk(d, c, line, stage): one site per call, with the caller's literals
    assert set(sym["legacy.to_disk"]) == {"daemon.(*Daemon).ContainerStart",
                                           "daemon.(*Daemon).setHostConfig"}
    lines = {s.lines for s in stages.emit_sites() if s.stage == "legacy.to_disk"}
    assert lines == {(61,), (215,)}


def test_conditional_text_gives_one_template_per_branch() -> None:
    ts = stages.templates_for("lookup.by_name")
    assert "GetByName finds {0} in the name index." in ts
    assert ("GetByName finds {0} in the name index: it is a link alias, so it names the "
            "linked container {1}.") in ts


@functools.cache
def _all_steps() -> list[dict[str, object]]:
    from simstart.engine import record
    from simstart.scenario import load
    from simstart.scenario.library import shipped

    out: list[dict[str, object]] = []
    for p in shipped():
        for st in record(load(p)).trace:
            out.append(st.as_dict())
    return out


def test_the_scan_knows_every_stage_the_scenarios_emit() -> None:
    known = stages.stage_symbols()
    for d in _all_steps():
        stage, stack = str(d["stage"]), d["stack"]
        assert stage in known, stage
        assert isinstance(stack, list) and stack[-1] in known[stage], (stage, stack[-1])


def test_every_shipped_step_has_a_chinese_narration() -> None:
    for d in _all_steps():
        stage, text = str(d["stage"]), str(d["text"])
        zh = i18n.translate(stage, "zh", text)
        assert zh is not None, (stage, text)
        assert zh != text or not any(c.isalpha() and c.isascii() for c in text), (stage, text)
