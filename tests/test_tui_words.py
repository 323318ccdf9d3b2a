"""Every word the TUI shows comes from data, in English and Chinese (issue 12 item 7, issue 15).

Three checks, each able to fail on its own:

- ``strings.json`` has every entry in both languages, with the same ``{fields}``, and every
  key the code names (literally, or by a family: commands, topics, panes) exists;
- no user-facing literal is left in ``simstart/tui/*.py`` (an AST scan: any string with a
  word next to a space, or a capitalised word, that is not a docstring, an id, a key, a style
  or one of the few technical literals listed here with the reason they stay);
- the screens rendered under Pilot in Chinese — the main screen at several steps and sizes,
  a what-if fork, every dialog, the palette, a question and the score — show none of the
  English strings of ``strings.json``.
"""

from __future__ import annotations

import ast
import html
import re
import string
from pathlib import Path

import pytest
from textual.pilot import Pilot

from simstart.scenario.faults import SITES
from simstart.scenario.schema import TOPICS
from simstart.tui.app import PANES, SimstartApp
from simstart.tui.commands import COMMANDS
from simstart.tui.words import LANGS, table

pytestmark = pytest.mark.tui

TUI = Path(__file__).resolve().parent.parent / "simstart" / "tui"

# -- the data ------------------------------------------------------------------------------


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_string_is_in_both_languages_with_the_same_fields() -> None:
    for key, entry in table().items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key
        assert fields(entry["en"]) == fields(entry["zh"]), key
        if re.search(r"[A-Za-z]{3}", entry["en"]) and not key.startswith(("world.section",)):
            assert re.search(r"[\u4e00-\u9fff]", entry["zh"]) or entry["zh"] == entry["en"], key


# The functions that look a key up, and the prefix each puts before it.
LOOKUPS = {"say": "", "help_of": "help."}
METHOD_LOOKUPS = {"say": "world."}  # RowMaker.say: row.say("endpoint", …) is world.endpoint


def literal_keys() -> set[str]:
    """The keys the code names literally anywhere in simstart/tui."""
    out = set()
    for f in TUI.glob("*.py"):
        for n in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if not (isinstance(n, ast.Call) and n.args and isinstance(n.args[0], ast.Constant)):
                continue
            if isinstance(n.func, ast.Name) and n.func.id in LOOKUPS:
                out.add(LOOKUPS[n.func.id] + str(n.args[0].value))
            elif isinstance(n.func, ast.Attribute) and n.func.attr in METHOD_LOOKUPS:
                out.add(METHOD_LOOKUPS[n.func.attr] + str(n.args[0].value))
    return out


def test_every_key_the_code_names_is_there() -> None:
    named = literal_keys()
    assert len(named) > 100  # the scan finds the lookups
    named |= {f"cmd.{c.id}" for c in COMMANDS} | {f"cmd.{c.id}.help" for c in COMMANDS}
    named |= {f"topic.{t}" for t in TOPICS} | {f"pane.{p}" for p in (*PANES, "narration")}
    named |= {f"help.{p}" for p in (*PANES, "narration", "timeline")}
    named |= {f"world.section.{s}" for s in ("containers", "mounts", "network", "containerd")}
    named |= {f"site.{name}" for name in SITES}
    assert named - set(table()) == set()


def test_a_fault_sites_english_is_the_sites_own_description() -> None:
    """The what-if dialog names each site in the TUI's language; its English is the one the
    fault table keeps (scenario/faults.py), so the two cannot drift apart."""
    for name, site in SITES.items():
        assert table()[f"site.{name}"]["en"] == site.where, name


# -- no literal left in the code -----------------------------------------------------------

WORDY = re.compile(r"[A-Za-z]{2,} | [A-Za-z]{2,}|^[A-Z][a-z]+")
STYLE = re.compile(r"^(?:(?:bold|italic|underline|reverse|dim|not|on|\$[a-z-]+|#[0-9a-fA-F]+"
                   r"|[0-9]+%)\s*)+$")
IDENTIFIER = re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z]*)+$")  # CamelCase: a class's name
GO_FIELD = re.compile(r"^ ?[A-Z][A-Za-z]*=$")  # Running=, ExitCode=: a State field, by its Go name
# Arguments that are names, not words: (function, how many leading positional arguments).
NAMES_AT = {"say": 1, "help_of": 1, "query_one": 1, "query": 1, "set_class": 2,
            "add_class": 1, "remove_class": 1, "Binding": 2, "Command": 3, "cast": 1,
            "TypeVar": 1}
NAME_KEYWORDS = {"id", "classes", "name", "display", "key_display"}
# Kept in the code on purpose, with the reason.
TECHNICAL = {
    # HTTP's own reason phrases, shown beside a status in both languages (a fact of HTTP)
    "No Content", "Not Modified", "Bad Request", "Not Found", "Conflict",
    "Internal Server Error",
    " msg=",  # a daemon log line as dockerd writes it (level=… msg=…)
}


def user_facing_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for n in ast.walk(tree):
        body = getattr(n, "body", None)
        if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
                and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))  # a docstring
        if isinstance(n, ast.Call):
            fn = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
            for a in n.args[:NAMES_AT.get(fn, 0)]:
                skip.update(id(x) for x in ast.walk(a))
            for k in n.keywords:
                if k.arg in NAME_KEYWORDS:
                    skip.update(id(x) for x in ast.walk(k.value))
        if isinstance(n, ast.Subscript):  # a type written as a string: Callable[["Step"], …]
            skip.update(id(x) for x in ast.walk(n.slice))
        for ann in (getattr(n, "annotation", None), getattr(n, "returns", None)):
            if ann is not None:
                skip.update(id(x) for x in ast.walk(ann))
    out = []
    for n in ast.walk(tree):
        if not (isinstance(n, ast.Constant) and isinstance(n.value, str)) or id(n) in skip:
            continue
        v = n.value
        if v in TECHNICAL or STYLE.match(v.strip()) or IDENTIFIER.match(v) or GO_FIELD.match(v):
            continue
        if WORDY.search(v):
            out.append((n.lineno, v))
    return out


@pytest.mark.parametrize("path", sorted(TUI.glob("*.py")), ids=lambda p: p.name)
def test_no_user_facing_literal_is_left_in_the_code(path: Path) -> None:
    found = user_facing_literals(path)
    assert found == [], "move these to strings.json (en and zh): " + "; ".join(
        f"{path.name}:{line}: {text!r}" for line, text in found)


def test_the_scan_catches_a_literal(tmp_path: Path) -> None:
    """The scan is not blind: it flags the kinds of literal a change could leave behind,
    and not the docstrings, the keys or the styles."""
    probe = tmp_path / "probe.py"
    probe.write_text('"""Doc, with words."""\n\ndef f(app, n):\n    """Doc, with words."""\n'
                     '    app.notify("This is the last step.")\n'
                     '    x = f"step {n} of {n}"\n'
                     '    return "Source", say("edge.last_step"), ("bold $text-accent", x)\n',
                     encoding="utf-8")
    assert [text for _, text in user_facing_literals(probe)] == [
        "This is the last step.", "step ", " of ", "Source"]


# -- the screens, in Chinese ---------------------------------------------------------------


def screen_text(app: SimstartApp) -> str:
    """What the terminal shows, one line per row (read off Textual's SVG screenshot)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>',
                         svg):
        rows.setdefault(float(m.group(2)), []).append(
            (float(m.group(1)), html.unescape(m.group(3)).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(r)) for _, r in sorted(rows.items()))


def english_fragments() -> set[str]:
    """The English words of strings.json that a Chinese screen must not show: each stretch
    of an English template between its ``{fields}`` that has two words or more, unless the
    Chinese template keeps it (a command, a file name)."""
    out = set()
    for entry in table().values():
        zh = entry["zh"]
        for literal, *_ in string.Formatter().parse(entry["en"]):
            for part in re.split(r"[\n·]", literal):
                part = part.strip(" .,:;()—–-")
                if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2 and part not in zh:
                    out.add(part)
    return out


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text.lower()))


def prose_words(app: SimstartApp, screen: str) -> set[str]:
    """The Latin words the scenarios' own Chinese keeps (names and commands such as
    ``createSpec`` or ``docker run``): its title on the timeline, its card, and the titles
    the picker lists. A UI fragment made of such words alone is not counted on that screen.
    Every shipped scenario has its Chinese (tests/test_scenario_translations.py), so its
    English is not excused."""
    from simstart.tui.app import shipped_entries

    assert app.session is not None
    zh = app.session.scenario.text("zh")
    out = words(zh.title)
    if screen == "card":
        out |= words(zh.description) | words(" ".join(zh.objectives))
    if screen == "picker":
        out |= words(" ".join(e.title for e in shipped_entries("zh")))
    if screen == "what-if errors":  # the errors a site can raise are Go's and the kernel's
        from simstart.scenario.faults import SITES

        out |= words(" ".join(e for site in SITES.values() for e in site.errors))
    return out


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.pause()


async def shots(app: SimstartApp, pilot: Pilot) -> dict[str, str]:
    """The screens a class sees, by name."""
    out: dict[str, str] = {}

    async def shot(name: str, *keys: str) -> None:
        if keys:
            await pilot.press(*keys)
        await settle(pilot)
        out[name] = screen_text(app)
        app.clear_notifications()

    await settle(pilot)
    out["card"] = screen_text(app)
    await shot("first step", "space")
    await shot("network", "N", "N", "N", "N", "space")
    await shot("help", "question_mark")
    await shot("picker", "escape", "o")
    await shot("what-if", "escape", "w")
    await shot("what-if errors", "enter")
    await shot("forked", "enter", "space")
    await shot("goto", "g")
    await shot("breakpoints", "escape", "B")
    await shot("breakpoint set", "escape", "b")
    await shot("palette", "ctrl+p")
    await shot("end", "escape", "x", "end")
    await shot("question", "t", "home", "end")
    await shot("revealed", "1")
    return out


@pytest.mark.parametrize("size", [(200, 50), (80, 24)])
async def test_every_screen_in_chinese_shows_no_english_words_of_the_ui(size) -> None:
    app = SimstartApp("port-already-allocated", lang="zh", source_lookup=None, intro=True)
    app.animation_level = "none"
    english = english_fragments()
    async with app.run_test(size=size) as pilot:
        seen = await shots(app, pilot)
    # each shot is what its name says (so the check below looks at every dialog)
    marks = {"card": "学习目标", "help": "simstart — 帮助", "picker": "打开场景",
             "what-if": "选择在哪里失败", "what-if errors": "选择错误", "forked": "假如",
             "goto": "跳到某一步", "breakpoints": "空格切换", "palette": "前进",
             "end": "符合预期", "question": "第 1 题", "revealed": "按任意键继续"}
    for name, mark in marks.items():
        assert mark in seen[name], f"{name}: {mark!r} not on screen\n{seen[name]}"
    for name, text in seen.items():
        assert re.search(r"[\u4e00-\u9fff]", text), f"{name}: no Chinese at all"
        prose = prose_words(app, name)
        left = sorted(e for e in english if e in text and not words(e) <= prose)
        assert left == [], f"{name} at {size}: English left: {left}\n{text}"
    # nor the scenario's own English: its title anywhere, its description on the card
    assert app.session is not None
    sc = app.session.scenario
    for name, text in seen.items():
        assert sc.title[:24] not in text, f"{name}: the English title is on screen"
    assert " ".join(sc.description.split())[:30] not in " ".join(seen["card"].split())
    assert sc.text("zh").title[:8] in seen["card"]


async def test_the_same_screens_in_english_do_show_those_words() -> None:
    """The check above is not vacuous: in English, the screens show many of the strings."""
    app = SimstartApp("port-already-allocated", lang="en", source_lookup=None, intro=True)
    app.animation_level = "none"
    english = english_fragments()
    async with app.run_test(size=(200, 50)) as pilot:
        seen = await shots(app, pilot)
    shown = {e for e in english for text in seen.values() if e in text}
    assert len(shown) >= 40, sorted(shown)


async def test_switching_with_l_changes_every_word_back_and_forth() -> None:
    app = SimstartApp("bridge-port", lang="en", source_lookup=None)
    app.animation_level = "none"
    english = english_fragments()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "l")
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        zh = screen_text(app)
        assert [e for e in english if e in zh] == []
        assert "前进" in zh and "调用栈" in zh
        await pilot.press("l")
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        en = screen_text(app)
        assert "Step" in en and "Call stack" in en and "调用栈" not in en
