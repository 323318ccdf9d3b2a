"""The static scan of simstart/moby finds every stage the engine can emit, in the right frame,
with the variant(s) and values each site names."""

from __future__ import annotations

import functools

from simstart.source import stages


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


def test_a_conditional_variant_gives_both_names_and_the_values_are_named() -> None:
    (site,) = [s for s in stages.emit_sites() if s.stage == "lookup.by_name"]
    assert set(site.variants) == {"alias", "name"}
    assert set(site.variants) == {"alias", "name"}
    assert "name" in site.values
    (plain,) = [s for s in stages.emit_sites() if s.stage == "checks.paused"]
    assert plain.variants == ("",) and plain.values == ("name",)


def test_phrases_are_found_with_their_values() -> None:
    keys = {p.key: p.values for p in stages.phrase_sites()}
    assert keys["status.keyword"] == ("keyword",) and keys["status.default"] == ()


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
