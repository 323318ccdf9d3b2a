"""The annotated source catalog: one YAML file per upstream Go file, under ``renditions/``.

A newcomer finds the rendition of ``daemon/start.go`` in
``simstart/source/renditions/moby/daemon/start.go.yaml`` (``containerd/…`` and ``runc/…`` for the
other two repositories). Each file names its repository and path and lists functions::

    repo: moby/moby@v17.05.0-ce
    file: daemon/start.go
    functions:
    - symbol: daemon.(*Daemon).ContainerStart
      lines: [21, 87]            # the definition upstream, 1-based inclusive
      about: {en: …, zh: …}      # what the function is for
      code: |                    # the outline, upstream line number in the gutter
        21 | ContainerStart(name, hostConfig, checkpoint, checkpointDir) on *Daemon → error
        22 |   a checkpoint asked for, but !daemon.HasExperimental()?
        23 |     → return NewBadRequestError(Errorf "checkpoint is only …") (400)
      notes:                     # annotations, keyed by the upstream line they explain
        22: {en: …, zh: …, oddity: 15}   # oddity: the item of the reference's §5 it calls out

The renditions are teaching outlines in simstart's own words (DESIGN.md, "Code from
elsewhere"): the Go names, every branch, defer, check and return that matters, the error strings
quoted exactly, and the upstream line number on each line; no line is a copy of an upstream line.
``simstart sources verify`` checks that against a checkout: the anchors, every return and defer
shown, and the share of lines identical to an upstream line (at most 10%).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .model import Entry, Line, check_lang

REPO_DIRS = {
    "moby/moby": "moby",
    "containerd/containerd": "containerd",
    "docker/runc": "runc",
}
_GUTTER = re.compile(r"^\s*(\d*)\s*\|(?: (.*))?$")


class CatalogError(Exception):
    """A malformed catalog file (a bug in simstart's data, caught by the test suite)."""


def _yaml_files() -> Iterator[tuple[str, str]]:
    root = Path(__file__).resolve().parent / "renditions"

    def walk(node: Any, rel: str) -> Iterator[tuple[str, str]]:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            name = f"{rel}/{child.name}" if rel else child.name
            if child.is_dir():
                yield from walk(child, name)
            elif child.name.endswith(".yaml"):
                yield name, child.read_text(encoding="utf-8")

    yield from walk(root, "")


def _bilingual(raw: Any, where: str) -> tuple[str, str]:
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: expected a mapping with en and zh")
    en, zh = raw.get("en", ""), raw.get("zh", "")
    if not isinstance(en, str) or not isinstance(zh, str) or not en:
        raise CatalogError(f"{where}: en must be non-empty text, zh text")
    return en.strip(), zh.strip()


def _parse_code(code: str, where: str) -> list[tuple[int | None, str]]:
    out: list[tuple[int | None, str]] = []
    last = 0
    for i, raw in enumerate(code.rstrip("\n").split("\n"), 1):
        m = _GUTTER.match(raw)
        if m is None:
            raise CatalogError(f"{where}: code line {i} has no 'NNN | ' gutter: {raw!r}")
        no = int(m.group(1)) if m.group(1) else None
        if no is not None:
            if no <= last:
                raise CatalogError(f"{where}: code line {i}: upstream line {no} is not after "
                                   f"{last}")
            last = no
        out.append((no, m.group(2) or ""))
    return out


def _parse_function(raw: Any, repo: str, file: str, where: str) -> Entry:
    if not isinstance(raw, dict) or not isinstance(raw.get("symbol"), str):
        raise CatalogError(f"{where}: each function needs a symbol")
    symbol = raw["symbol"]
    where = f"{where} {symbol}"
    span = raw.get("lines")
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
        raise CatalogError(f"{where}: lines must be [start, end]")
    start, end = span
    about_en, about_zh = _bilingual(raw.get("about"), f"{where}: about")
    notes = raw.get("notes") or {}
    if not isinstance(notes, dict):
        raise CatalogError(f"{where}: notes must map upstream line numbers to en/zh")
    code = raw.get("code")
    if not isinstance(code, str):
        raise CatalogError(f"{where}: code is missing")
    lines: list[Line] = []
    seen: set[int] = set()
    for no, text in _parse_code(code, where):
        note = notes.get(no) if no is not None else None
        if no is not None:
            if not start <= no <= end:
                raise CatalogError(f"{where}: line {no} is outside {start}-{end}")
            seen.add(no)
        if note is None:
            lines.append(Line(no, text))
            continue
        en, zh = _bilingual(note, f"{where}: note {no}")
        odd = note.get("oddity")
        if odd is not None and not isinstance(odd, int):
            raise CatalogError(f"{where}: note {no}: oddity must be a number")
        lines.append(Line(no, text, en, zh, odd))
    for no in notes:
        if no not in seen:
            raise CatalogError(f"{where}: a note for line {no}, which the code does not show")
    return Entry(symbol=symbol, repo=repo, file=file, start=start, end=end, about_en=about_en,
                 about_zh=about_zh, lines=tuple(lines), locator=str(raw.get("locator", "")),
                 source=where.split(" ", 1)[0])


def _parse_file(name: str, text: str) -> list[Entry]:
    where = f"renditions/{name}"
    try:
        # libyaml's safe loader when present: the same safe semantics, several times faster
        # (the first Source pane parses every file: ~105 ms in pure Python, ~13 ms in C)
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise CatalogError(f"{where}: {e}") from None
    if not isinstance(doc, dict):
        raise CatalogError(f"{where}: expected repo, file and functions")
    repo, file, funcs = doc.get("repo"), doc.get("file"), doc.get("functions")
    if not isinstance(repo, str) or not isinstance(file, str) or not isinstance(funcs, list):
        raise CatalogError(f"{where}: expected repo, file and functions")
    expected = PurePosixPath(REPO_DIRS.get(repo.split("@")[0], "?")) / f"{file}.yaml"
    if str(expected) != name:
        raise CatalogError(f"{where}: should be named {expected} for {repo} {file}")
    return [_parse_function(f, repo, file, where) for f in funcs]


@functools.cache
def _index() -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for name in _files():
        for e in _parsed(name).values():
            if e.symbol in out:
                raise CatalogError(f"{e.source}: {e.symbol} is also in {out[e.symbol].source}")
            out[e.symbol] = e
    return out


_SYMBOL_LINE = re.compile(r"^- symbol: (.+?)\s*$", re.M)


@functools.cache
def _files() -> dict[str, str]:
    """Every rendition file's text, by name (read once)."""
    return dict(_yaml_files())


@functools.cache
def _where() -> dict[str, str]:
    """Which file holds each symbol, found by a scan of the text (no YAML parse)."""
    return {m.group(1).strip("'\""): name for name, text in _files().items()
            for m in _SYMBOL_LINE.finditer(text)}


@functools.cache
def _parsed(name: str) -> dict[str, Entry]:
    return {e.symbol: e for e in _parse_file(name, _files()[name])}


def entries() -> tuple[Entry, ...]:
    """Every catalog entry, ordered by repository, file and first line."""
    return tuple(sorted(_index().values(), key=lambda e: (e.repo, e.file, e.start)))


def get(symbol: str) -> Entry | None:
    """The entry for ``symbol``, or None. Parses only the file that holds it: the TUI's first
    source pane should not wait for the whole catalog."""
    name = _where().get(symbol)
    return _parsed(name).get(symbol) if name is not None else None


def entry(symbol: str) -> Entry:
    """The entry for ``symbol`` (``KeyError`` if the catalog has none)."""
    e = get(symbol)
    if e is None:
        raise KeyError(f"no catalog entry for {symbol}")
    return e


def lines_for(symbol: str, lang: str = "en") -> list[tuple[int | None, str, str]]:
    """The rendition of ``symbol`` as ``(upstream line or None, code, annotation in lang)``."""
    check_lang(lang)
    return [(ln.upstream_lineno, ln.text, ln.annotation(lang)) for ln in entry(symbol).lines]

