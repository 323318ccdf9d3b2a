"""The Chinese text uses one word for one thing (a small glossary, checked over all the zh data).

Every Chinese string simstart ships is gathered here — the narrations, the renditions' notes and
abouts, the scenarios' translations and questions, the TUI's strings and help, the quiz's words,
the handout's labels — each with its English twin where there is one, and its file and key.
Each entry of ``GLOSSARY`` is then checked over all of them; a failure names the file, the key
and the text. ``test_the_check_flags_…`` runs the same checks over a few made-up strings, so a
gatherer that found nothing, or a rule that matches nothing, cannot pass unnoticed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "simstart"


@dataclass(frozen=True)
class Text:
    """One Chinese string, where it is, and the English it says the same as ("" if none)."""

    file: str
    key: str
    zh: str
    en: str = ""

    def where(self) -> str:
        return f"{self.file} [{self.key}]"


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _pairs(node: Any, key: str) -> Iterator[tuple[str, str, str]]:
    """(key, zh, en) for every mapping below node that has a string ``zh``."""
    if isinstance(node, dict):
        zh = node.get("zh")
        if isinstance(zh, str):
            en = node.get("en")
            yield key, zh, en if isinstance(en, str) else ""
        for k, v in node.items():
            if k not in ("zh", "en"):
                yield from _pairs(v, f"{key}.{k}" if key else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            name = v.get("symbol", i) if isinstance(v, dict) else i
            yield from _pairs(v, f"{key}[{name}]")


Path_ = tuple[str | int, ...]


def _walk_strings(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """(path, text) for every string leaf below node; a path is the keys and indexes down."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk_strings(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk_strings(v, (*path, i))
    elif isinstance(node, str):
        yield path, node


def _lookup(node: Any, path: Path_) -> str:
    """The string at path in node, or "" if there is none."""
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, str) else ""


def _show(path: Path_) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _narrations() -> Iterator[Text]:
    here = PKG / "engine" / "narrations"
    zh, en = _load_yaml(here / "zh.yaml"), _load_yaml(here / "en.yaml")
    for path, text in _walk_strings(zh):
        yield Text(_rel(here / "zh.yaml"), _show(path), text, _lookup(en, path))


def _paired_files() -> Iterator[Text]:
    """Data files whose text is in ``{en: …, zh: …}`` mappings."""
    files = sorted((PKG / "source" / "renditions").rglob("*.yaml"))
    files += [PKG / "tui" / "strings.json", PKG / "engine" / "quiz.yaml",
              PKG / "handout" / "text.yaml"]
    for path in files:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" \
            else _load_yaml(path)
        for key, zh, en in _pairs(raw, ""):
            yield Text(_rel(path), key, zh, en)


def _scenarios() -> Iterator[Text]:
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        raw = _load_yaml(path)
        zh = (raw.get("translations") or {}).get("zh") or {}
        for where, text in _walk_strings(zh):
            yield Text(_rel(path), "translations.zh." + _show(where), text, _lookup(raw, where))
        rest = {k: v for k, v in raw.items() if k != "translations"}
        for key, text, en in _pairs(rest, ""):
            yield Text(_rel(path), key, text, en)


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def _help() -> Iterator[Text]:
    """help.zh.md by paragraph, each beside the paragraph of help.md in the same place."""
    zh_path, en_path = PKG / "tui" / "help.zh.md", PKG / "tui" / "help.md"
    zh, en = _blocks(zh_path.read_text(encoding="utf-8")), _blocks(en_path.read_text("utf-8"))
    for i, block in enumerate(zh):
        yield Text(_rel(zh_path), f"paragraph {i + 1}", block,
                   en[i] if len(zh) == len(en) else "")


def gather() -> list[Text]:
    return [*_narrations(), *_paired_files(), *_scenarios(), *_help()]


# -- the glossary ----------------------------------------------------------------------------

# What is not prose in a Chinese string: code in backticks, text already in Chinese quotes (an
# error string quoted whole may hold ASCII quotes of its own), a Go call with its arguments,
# a JSON object, a str.format field, and the ASCII quotes runc's own messages put after
# "caused" (container_linux.go: `… caused "exec: …"`), which are part of the quoted text.
_NOT_PROSE = re.compile(
    r"`[^`]*`"                              # code
    r"|“[^”]*”"                             # quoted already
    r"|\b[A-Za-z_][\w.]*\((?:[^()]|\([^()]*\))*\)"  # a Go call: fmt.Errorf("…", err)
    r"|\{\{?\"[^{}]*(?:\{\w+\}[^{}]*)*\}\}?"  # a JSON object: {"StatusCode": n}
    r"|\{[\w.!:<>^ ]*\}"                    # a str.format field
    r"|caused \"[^\"]*\""                    # runc's "caused" text
    r"|\"\{ip\}\\t\{hostname\}\""            # a line of /etc/hosts, as written
    r"|pip install \S+"                      # a command
)


def prose(text: str) -> str:
    """text with every part that is not Chinese prose blanked out (see _NOT_PROSE)."""
    return _NOT_PROSE.sub(" ", text)


@dataclass(frozen=True)
class Term:
    """One row of the glossary: when ``applies`` (to the zh and en of a Text), the Chinese
    must match ``use``; wherever ``wrong`` matches the Chinese prose, it is an error."""

    name: str
    use: str | Callable[[Text], str]          # a regex the zh must match where it applies
    wrong: str = ""                           # a regex the zh prose must not match…
    allowed: str = ""                         # …unless the English matches this one
    applies: Callable[[Text], bool] = lambda t: False


def _en(pattern: str) -> Callable[[Text], bool]:
    return lambda t: re.search(pattern, t.en, re.IGNORECASE) is not None


def _en_prose(pattern: str) -> Callable[[Text], bool]:
    """Whether pattern is in the English, leaving out what is not prose (quoted text too)."""
    return lambda t: re.search(pattern, re.sub(r'"[^"]*"', " ", prose(t.en))) is not None


def _exit_status(t: Text) -> str | None:
    """The N of an English "exits with status N" ("exits N", "ends … with exit status N")."""
    n = r"(\d+|\{\w+\})"
    m = re.search(rf"\bexit(?:s|ed)?(?: with (?:exit )?(?:status|code))? {n}"
                  rf"|\bends? \w+ with exit (?:status|code) {n}", t.en)
    return next((g for g in m.groups() if g), None) if m else None


GLOSSARY: tuple[Term, ...] = (
    # libnetwork's MASQUERADE rule for traffic that leaves a container and comes back to it
    # through a published port: hairpin NAT, 发夹. 回环 is loopback, a different thing.
    Term("hairpin", use=r"发夹", wrong=r"回环", allowed=r"\bloopback",
         applies=_en(r"\bhairpin")),
    # "exits with status 1", "exited with code 137": 以退出码 1 退出.
    Term("exits with status",
         use=lambda t: rf"以退出码 {re.escape(_exit_status(t) or '')}(?:（[^）]*）)? ?退出",
         wrong=r"以退出码 \S+ 结束|退出代码|以状态 \S+ 退出",
         applies=lambda t: _exit_status(t) is not None),
    # MNT_DETACH, a lazy unmount: 延迟卸载 (its first use may add （MNT_DETACH）).
    Term("MNT_DETACH", use=r"延迟卸载", wrong=r"(?i)lazy",
         applies=lambda t: "MNT_DETACH" in t.zh or re.search(
             r"\blaz(?:y|ily)\b", t.en, re.IGNORECASE) is not None),
    # The words httputils/errors.go looks for in an error's text: 关键词.
    Term("keyword", use=r"关键词", wrong=r"关键字", applies=_en(r"\bkeyword")),
    # The OCI runtime spec createSpec builds: OCI 规范 (OCI 运行时规范), 规范 alone after. The
    # Go names (createSpec, `spec`, {spec!r}) are not prose; a volume's mount spec
    # (ParseMountRaw's text) is another thing, 挂载 spec.
    Term("OCI spec", use=r"OCI (?:运行时)?规范",
         wrong=r"(?<![\w.])(?<!挂载 )spec(?![\w(])", applies=_en(r"\bOCI (?:runtime )?spec\b")),
    Term("the spec", use=r"规范",
         applies=lambda t: "挂载 spec" not in t.zh
         and _en_prose(r"(?<![\w.-])(?<!mount )(?<!user )spec(?![\w(])")(t)),
    # Quoted text in Chinese prose (an event name, an error string): “…”, not "…" or '…'.
    Term("quotes", use=r"", wrong=r"\"|(?<![A-Za-z])'[^'\n]+'(?![A-Za-z])"),
)


def problems(texts: list[Text], terms: tuple[Term, ...] = GLOSSARY) -> list[str]:
    """One line per string that breaks a row of the glossary: file, key, term, text."""
    out = []
    for t in texts:
        body = prose(t.zh)
        for term in terms:
            why = ""
            bad = re.search(term.wrong, body) if term.wrong else None
            if bad and not (term.allowed and re.search(term.allowed, t.en, re.IGNORECASE)):
                why = f"has {bad.group(0)!r}"
            elif term.applies(t):
                use = term.use(t) if callable(term.use) else term.use
                if not re.search(use, t.zh):
                    why = f"lacks {use!r}"
            if why:
                out.append(f"{t.where()}: {term.name}: {why}\n    zh: {t.zh}\n    en: {t.en}")
    return out


# -- the tests -------------------------------------------------------------------------------


def test_every_chinese_string_follows_the_glossary() -> None:
    texts = gather()
    # every source answered: a loader that silently found nothing would pass below
    files = {t.file.split("/")[0] if t.file.startswith("scenarios/") else t.file for t in texts}
    for name in ("scenarios", "simstart/engine/narrations/zh.yaml", "simstart/tui/strings.json",
                 "simstart/tui/help.zh.md", "simstart/engine/quiz.yaml",
                 "simstart/handout/text.yaml"):
        assert name in files, name
    assert any("/renditions/" in f for f in files)
    assert len(texts) > 1500
    found = problems(texts)
    assert not found, f"{len(found)} Chinese string(s) break the glossary:\n" + "\n".join(found)


def _one(zh: str, en: str = "") -> list[str]:
    return problems([Text("made-up.yaml", "k", zh, en)])


def test_the_check_flags_each_wrong_term_and_passes_the_right_one() -> None:
    hairpin = "MASQUERADE for hairpin traffic."
    assert _one("用于回环流量的 MASQUERADE。", hairpin)           # 回环 for hairpin
    assert _one("用于 hairpin 流量的 MASQUERADE。", hairpin)      # no 发夹 at all
    assert not _one("用于 hairpin（发夹）流量的 MASQUERADE。", hairpin)
    assert not _one("回环接口 lo。", "the loopback interface lo.")  # 回环 is loopback
    status = "An error ends runc with exit status 1."
    assert _one("出错时 runc 以退出码 1 结束。", status)
    assert _one("出错时 runc 以状态 1 退出。", status)
    assert _one("它的退出代码是 1。", "Its exit code is 1.")
    assert not _one("出错时 runc 以退出码 1 退出。", status)
    assert not _one("程序以退出码 130（128 + 2）退出。", "The program exits 130 (128 + 2).")
    assert _one("一次 lazy 卸载（MNT_DETACH）。", "a lazy unmount (MNT_DETACH).")
    assert _one("说出 MNT_DETACH 移除了什么。", "Say what MNT_DETACH removes.")
    assert not _one("延迟卸载（MNT_DETACH）。", "a lazy unmount (MNT_DETACH).")
    assert _one("没有关键字：500。", "No keyword: 500.")
    assert not _one("没有关键词：500。", "No keyword: 500.")
    assert _one("生成 OCI spec。", "builds the OCI spec.")
    removed = "the ipc namespace is removed from the spec."
    assert _one("从 spec 中移除 ipc 命名空间。", removed)
    assert _one("从 OCI 规格中移除 ipc 命名空间。", removed)           # no 规范
    assert not _one("从 OCI 规范中移除 ipc 命名空间。", removed)
    # Go names and quoted error strings keep their "spec"
    assert not _one("createSpec 返回 `spec`：{spec!r}。", "createSpec returns `spec`: {spec!r}.")
    assert not _one("包装成 “linux spec namespaces: …”。", 'wrapped as "linux spec namespaces: …".')
    event = 'a "network connect" event'
    assert _one('先有一个 "network connect" 事件。', event)
    assert _one("日志驱动为 'none'。", "The log driver is 'none'.")
    assert not _one("先有一个 “network connect” 事件。", event)
    # code keeps its ASCII quotes: backticks, a Go call, JSON, runc's "caused"
    assert not _one('`fmt.Errorf("x")`；fmt.Errorf("linux spec namespaces: %v", err)；'
                    '{"StatusCode": {code}}；caused "exec: …"；pip install \'simstart[source]\'')
    # and a failure says where, which term and what the text is
    line = _one("用于回环流量。", hairpin)[0]
    assert "made-up.yaml [k]: hairpin: has '回环'" in line and "用于回环流量。" in line
