"""Narration as data: the text of every stage lives in narrations/<lang>.yaml, keyed by stage
id (and variant); the moby layer passes named values; another language is a lookup."""

from __future__ import annotations

import functools
import re
import string

import pytest

from simstart.engine import Step, record
from simstart.engine.narration import (
    LANGS,
    NarrationError,
    entries,
    render,
    render_phrase,
    stage_template,
    table,
)
from simstart.moby.context import Phrase, phrase
from simstart.scenario import load
from simstart.scenario.library import shipped
from simstart.source import stages
from simstart.source.stages import emit_sites, phrase_sites

from .conftest import SCENARIOS, upstream

CJK = re.compile(r"[\u4e00-\u9fff]")


# -- the narration data against what the moby layer can emit (found statically: stages) ------

def fields(template: str) -> set[str]:
    """The names of the values ``template`` shows (``{pid}``, ``{name!r}`` → pid, name)."""
    out: set[str] = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            out.add(name.split(".")[0].split("[")[0])
    return out


def missing(lang: str) -> list[str]:
    """``stage`` or ``stage/variant`` that the moby layer emits and ``lang`` has no text for,
    and phrases it uses without a text."""
    have = {(st, v) for st, v, _ in entries(lang)}
    out: list[str] = []
    for s in emit_sites():
        for v in s.variants:
            name = f"{s.stage}/{v}" if v else s.stage
            if (s.stage, v) not in have and name not in out:
                out.append(name)
    phrases = table(lang)["phrases"]
    for p in phrase_sites():
        if p.key not in phrases and f"phrase {p.key}" not in out:
            out.append(f"phrase {p.key}")
    return out


def unused(lang: str) -> list[str]:
    """Texts of ``lang`` that no emit site (or phrase) uses."""
    emitted = {(s.stage, v) for s in emit_sites() for v in s.variants}
    out = [f"{st}/{v}" if v else st for st, v, _ in entries(lang) if (st, v) not in emitted]
    used = {p.key for p in phrase_sites()}
    out += [f"phrase {k}" for k in table(lang)["phrases"] if k not in used]
    return out


def unfilled() -> list[str]:
    """``where: stage/variant (lang) names {value}, not passed`` for every value a text names
    that its emit site (or phrase call) does not pass; and every value passed that the English
    text does not show."""
    out: list[str] = []
    for lang in LANGS:
        texts = {(st, v): t for st, v, t in entries(lang)}
        for s in emit_sites():
            for v in s.variants:
                t = texts.get((s.stage, v))
                if t is None:
                    continue
                name = f"{s.stage}/{v}" if v else s.stage
                for f in sorted(fields(t) - set(s.values)):
                    out.append(f"{s.where}: {name} ({lang}) names {{{f}}}, not passed")
        phrases = table(lang)["phrases"]
        for p in phrase_sites():
            if p.key in phrases:
                for f in sorted(fields(str(phrases[p.key])) - set(p.values)):
                    out.append(f"{p.where}: phrase {p.key} ({lang}) names {{{f}}}, not passed")
    return out


def mismatched() -> list[str]:
    """Texts whose translation does not show the same values as the English text."""
    en = {(st, v): t for st, v, t in entries("en")}
    out: list[str] = []
    for lang in LANGS[1:]:
        for st, v, t in entries(lang):
            if (st, v) in en and fields(t) != fields(en[(st, v)]):
                out.append(f"{st}/{v} ({lang}): {sorted(fields(t))} != "
                           f"{sorted(fields(en[(st, v)]))}")
    return out




@functools.cache
def _steps() -> list[Step]:
    return [st for p in shipped() for st in record(load(p)).trace]


def test_every_stage_emitted_has_an_english_and_a_chinese_text() -> None:
    assert missing("en") == []
    assert missing("zh") == []


def test_every_text_is_emitted_somewhere() -> None:
    assert unused("en") == []
    assert unused("zh") == []


def test_every_value_a_text_names_is_passed_at_each_emit_site() -> None:
    assert unfilled() == []


def test_each_translation_shows_the_values_of_the_english_text() -> None:
    assert mismatched() == []


def test_both_languages_have_the_same_keys() -> None:
    en, zh = table("en"), table("zh")
    for section in ("stages", "phrases", "run"):
        assert set(en[section]) == set(zh[section]), section
    assert {(s, v) for s, v, _ in entries("en")} == {(s, v) for s, v, _ in entries("zh")}


def test_every_shipped_step_renders_in_both_languages_from_its_own_key() -> None:
    emitted = {(s.stage, v) for s in stages.emit_sites() for v in s.variants}
    seen: set[tuple[str, str]] = set()
    for st in _steps():
        assert (st.stage, st.variant) in emitted, (st.stage, st.variant)
        seen.add((st.stage, st.variant))
        assert st.text == render(st.stage, st.variant, st.values)
        assert st.narration("zh") == render(st.stage, st.variant, st.values, "zh")
    assert len(seen) > 150  # the shipped scenarios reach most of the texts


def test_every_chinese_text_is_chinese() -> None:
    en = {(s, v): t for s, v, t in entries("en")}
    for s, v, zh in entries("zh"):
        prose = re.sub(r"\{[^{}]*\}", "", en[(s, v)])
        if re.search(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b", prose):  # English prose, not a name
            assert CJK.search(zh) and zh != en[(s, v)], (s, v, zh)
    for key, zh in table("zh")["phrases"].items():
        assert CJK.search(zh), key


def test_a_translation_is_a_lookup_with_the_same_values() -> None:
    r = record(load(SCENARIOS / "bridge-port.yaml"))
    (st,) = [s for s in r.trace if s.stage == "checks.lookup"]
    assert st.values == (("name", "web"),)
    assert st.narration("zh") == stage_template("checks.lookup", "", "zh").format(name="web")
    with pytest.raises(NarrationError, match="unknown language 'xx'"):
        st.narration("xx")


def test_a_phrase_value_is_rendered_in_the_language_of_the_narration() -> None:
    p = phrase("status.keyword", keyword="no such")
    assert p == Phrase("status.keyword", (("keyword", "no such"),))
    assert render_phrase(p) == 'keyword "no such" in the lower-cased message'
    assert render_phrase(p, "zh") == '小写化后的消息里有关键词 “no such”'
    zh = render("response.status", "", {"msg": "x", "status": 500,
                                         "reason": phrase("status.default")}.items(), "zh")
    assert zh.endswith("没有匹配到任何关键词，所以用默认值。") and "'x'" in zh


def test_a_missing_text_or_value_is_an_error_naming_it() -> None:
    with pytest.raises(NarrationError, match=r"no text for stage checks\.running/nope"):
        stage_template("checks.running", "nope")
    with pytest.raises(NarrationError, match=r"no text for stage checks\.running"):
        stage_template("checks.running")  # it has variants: one must be named
    with pytest.raises(NarrationError, match=r"stages.checks.paused.*\['other'\]"):
        render("checks.paused", "", [("other", 1)])
    with pytest.raises(NarrationError, match="no phrase nope"):
        render_phrase(Phrase("nope"))


def test_fields_are_the_names_a_template_shows() -> None:
    assert fields("{name!r} (pid {pid:>5}) {{literal}}") == {"name", "pid"}


def test_the_moby_layer_holds_no_narration_text() -> None:
    # every emit names a literal variant (or none) and passes values by name: the scan refuses
    # anything else, so emit_sites() succeeding over the whole layer is the check
    sites = stages.emit_sites()
    assert len(sites) > 200
    for s in sites:
        assert all(re.fullmatch(r"[a-z0-9_]*", v) for v in s.variants), (s.where, s.variants)


# -- statements review found false (issue 12, item 5), each against the upstream source --------

def _says(stage: str, variant: str, *phrases: str) -> None:
    for lang_phrases, lang in ((phrases, "en"),):
        t = stage_template(stage, variant, lang)
        for p in lang_phrases:
            assert p in t, (stage, variant, p, t)


@upstream("vendor/github.com/docker/libnetwork/osl/namespace_linux.go", "420-425")
def test_cleanup_netns_unmounts_lazily_and_leaves_removal_to_gc() -> None:
    _says("cleanup.netns", "", "osSbox.Destroy()", "MNT_DETACH", "garbage collection")
    assert "removed." not in stage_template("cleanup.netns")
    assert "延迟卸载（MNT_DETACH）" in stage_template("cleanup.netns", "", "zh")


@upstream("daemon/exec_linux.go", "29-30")
def test_start_apparmor_profile_is_read_by_exec_and_the_next_create_spec() -> None:
    # and daemon/oci_linux.go L775-776: createSpec prefers c.AppArmorProfile when it is set
    for v in ("saved", "parse_error"):
        _says("start.apparmor", v, "docker exec", "next createSpec")
        assert "only what inspect shows" not in stage_template("start.apparmor", v)


@upstream("daemon/container_operations_unix.go", "280-284")
def test_network_mounts_are_the_targets_paths_with_container_mode() -> None:
    _says("spec.network_mounts", "", "container:<x>", "target's", "initializeNetworkingPaths")


@upstream("daemon/oci_linux.go", "752")
def test_only_the_containers_own_mounts_are_sorted() -> None:
    _says("spec.set_mounts", "", "Only the container's own mounts are sorted")


@upstream("layer/layer_store.go", "507-512")
def test_the_init_layer_is_under_the_container_layer() -> None:
    _says("mount.overlay", "", "-init layer", "read-only, under the container's own")
    assert "以只读方式叠在" in stage_template("mount.overlay", "", "zh")


@upstream("containerd@9048e5e:runtime/container.go", "254-258")
def test_delete_task_removes_the_state_directory_of_exited_processes() -> None:
    _says("runtime.delete_task", "no_event", "already exited", "state directory is removed")


@upstream("containerd@9048e5e:containerd-shim/process.go", "162-164")
def test_runc_create_gets_console() -> None:
    _says("runtime.runc_create", "", "create --bundle <bundle> --console")


@upstream("vendor/github.com/docker/libnetwork/sandbox.go", "843-846")
def test_the_default_route_is_set_by_update_gateway() -> None:
    _says("runtime.add_interface", "", "updateGateway")
    assert "and a default route via the gateway" not in stage_template("runtime.add_interface")


def test_headless_run_in_chinese_has_chinese_headings_and_outcome(capsys: pytest.CaptureFixture[str]
                                                                   ) -> None:
    from simstart.cli import main

    main(["run", str(SCENARIOS / "bridge-port.yaml"), "--lang", "zh"])
    zh = capsys.readouterr().out
    assert "深度 " in zh and "请求 1：POST /containers/web/start → 204" in zh
    assert "预期全部成立" in zh and "depth" not in zh and "expectations hold" not in zh
    main(["run", str(SCENARIOS / "bridge-port.yaml")])
    en = capsys.readouterr().out
    assert "request 1: POST /containers/web/start → 204" in en and "  expectations hold" in en
