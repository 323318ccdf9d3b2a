"""No stray spaces in the Chinese text: the ones YAML folding (``>``) leaves where a line broke.

A folded scalar joins its lines with a space. Between a Chinese word and a Latin one that space
belongs ("在 createSpec 之后", "退出码 128"); between two Chinese characters ("容器 的") or
next to full-width punctuation ("失败： 命名") it is a mistake a Chinese reader sees at once.
The strings are the ones ``test_zh_terms.gather`` finds, checked after YAML parsing; code in
backticks and ``{format}`` fields are left out. A failure names the file, the key and the text
around the space. ``test_the_check_…`` runs the check over a few made-up strings, so a rule
that matches nothing cannot pass unnoticed.
"""

from __future__ import annotations

import re

from tests.test_zh_terms import Text, gather

_HAN = "\u4e00-\u9fff\u3400-\u4dbf"
# Full-width punctuation: a space on either side of it is always wrong.
_FULL = "，。：；！？、（）《》「」【】\u3000-\u303f\uff00-\uffef"
# Marks Chinese shares with Latin text: “…” quote Latin as often as Chinese ("包装成 “Cannot
# start”", the house style), and an ellipsis may end a Latin word ("{id}… 的"); so these count
# as Chinese only on the side that faces Chinese (see _bad_spaces).
_QUOTES_OPEN, _QUOTES_CLOSE = "“‘", "”’"
_SHARED = "(?:——|…)+"

# Not prose: code in backticks, a str.format field (each kept as long as it was, so that the
# positions in a failure are the text's own).
_NOT_PROSE = re.compile(r"`[^`]*`|\{[\w.!:<>^ ]*\}")
_SPACE = re.compile(r"[ \t\u3000]+")


def _is_cjk(ch: str) -> bool:
    return bool(ch) and re.match(f"[{_HAN}{_FULL}]", ch) is not None


def _bad_spaces(text: Text) -> list[tuple[int, int, str]]:
    """(start, end, why) for every stray run of spaces in text's Chinese."""
    body = _NOT_PROSE.sub(lambda m: "\0" * len(m.group(0)), text.zh)
    out = []
    for m in _SPACE.finditer(body):
        i, j = m.start(), m.end()
        if i == 0 or body[i - 1] == "\n" or j == len(body) or body[j] == "\n":
            continue                                   # an indent, or the end of a line
        if j - i > 1 and "  " in text.en:
            continue                                   # columns, laid out as the English's
        before, after = body[i - 1], body[j]
        why = ""
        if re.match(f"[{_HAN}]", before) and re.match(f"[{_HAN}]", after):
            why = "a space between two Chinese characters"
        elif re.match(f"[{_FULL}]", before) or re.match(f"[{_FULL}]", after):
            why = "a space beside full-width punctuation"
        elif before in _QUOTES_OPEN or after in _QUOTES_CLOSE:
            why = "a space inside quotation marks"
        elif (_is_cjk(after) and re.search(f"[{_HAN}{_FULL}]{_SHARED}$", body[:i])) \
                or (_is_cjk(before) and re.match(f"{_SHARED}[{_HAN}{_FULL}]", body[j:])):
            why = "a space beside a Chinese dash or ellipsis"
        elif j - i > 1:
            why = "a double space"
        if why:
            out.append((i, j, why))
    return out


def problems(texts: list[Text]) -> list[str]:
    """One line per stray space: file, key, what is wrong, and the text around it."""
    out = []
    for t in texts:
        for i, j, why in _bad_spaces(t):
            around = t.zh[max(0, i - 15):i] + "⟨" + t.zh[i:j] + "⟩" + t.zh[j:j + 15]
            out.append(f"{t.where()}: {why}: …{around}…")
    return out


def test_no_chinese_string_has_a_stray_space() -> None:
    texts = gather()
    assert len(texts) > 1500                 # the gatherer found the data (see test_zh_terms)
    found = problems(texts)
    assert not found, f"{len(found)} stray space(s) in the Chinese text:\n" + "\n".join(found)


def _one(zh: str, en: str = "") -> list[str]:
    return problems([Text("made-up.yaml", "k", zh, en)])


def test_the_check_flags_stray_spaces_and_passes_the_right_ones() -> None:
    assert _one("容器 的名字。")
    assert _one("启动失败： 命名空间没了。")
    assert _one("成功， 用的是新的沙箱。")
    assert _one("a  b")
    assert _one("包装成 “ Cannot start”。")
    assert _one("只是占位…… 之后再说。")
    # a space between Chinese and Latin, numbers or code is right
    assert not _one("在 createSpec 之后")
    assert not _one("以退出码 128 退出。")
    assert not _one("包装成 “Cannot start” 返回；ID {id}… 的前缀。")
    assert not _one("defaultSpec() —— /proc、/dev。")
    # code and format fields are not prose; indents and the English's columns are layout
    assert not _one("见 `a  b` 和 {x!r}。")
    assert not _one("  {count} 个断点", "  {count} bp")
    assert not _one("{name}  {id}  镜像 {image}", "{name}  {id}  image {image}")
    assert not _one("下层 {n} 层  引用计数 {refs}", "lower {n}  refs {refs}")
    assert _one("下层 {n} 层  引用计数 {refs}", "lower {n} refs {refs}")
    line = _one("容器 的名字。")[0]
    assert "made-up.yaml [k]: a space between two Chinese characters" in line
    assert "容器⟨ ⟩的名字。" in line
