"""``--record FILE``: the start requests a live session received, as a scenario that replays it.

The world is the served scenario's own (its YAML mapping is kept, every key but ``requests``);
the requests are the ones received, in order, each expecting the status and message it got,
so ``simstart run FILE`` replays the session and checks that it still answers the same.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ..engine.run import RequestResult
from ..moby import target
from ..moby.gostd import parse_query
from ..scenario.model import RequestSpec


class RecordExists(Exception):
    """The file to record into already exists: it is never replaced."""


def check_new(path: Path) -> None:
    """Refuse a path that exists (before serving, so that the user learns it at once)."""
    if path.exists() or path.is_symlink():
        raise RecordExists(f"{path}: already exists (simstart never overwrites a file: "
                           "choose a new name)")
    if not path.parent.is_dir():
        raise RecordExists(f"{path.parent}: no such directory")


def request_entry(r: RequestResult) -> dict[str, Any]:
    """One received request (start, stop, kill, wait) as a scenario's ``requests`` entry. A
    wait is written when it was answered: after the stop or kill that ended its container
    (replayed there, it answers at once, with the same status code)."""
    s = r.spec
    out = _addressed(s)
    if s.body is not None:
        out["body"] = s.body
        out["content_type"] = s.content_type
    elif s.content_type:
        out["content_type"] = s.content_type
    if s.chunked:
        out["chunked"] = True
    if s.races:
        out["races"] = s.races
    expect: dict[str, Any] = {"status": r.outcome.status}
    if r.outcome.message is not None:
        expect["message"] = r.outcome.message
    if r.outcome.state is not None:
        expect["state"] = {"status": r.outcome.state["status"],
                           "exit_code": r.outcome.state["exit_code"]}
    out["expect"] = expect
    return out


def _addressed(s: RequestSpec) -> dict[str, Any]:
    """Where the request went: its container, action, version and query when those build
    exactly the URI it came with (as a client's ``docker start`` does), else its method and
    raw path, which the router reads again on replay."""
    pairs, err = parse_query(s.path.partition("?")[2]) if s.path else (s.query, None)
    structured = not s.path or (
        err is None and s.action and s.method == "POST" and len(dict(pairs)) == len(pairs)
        and target(s.container, s.action, s.api_version, pairs) == s.path)
    if not structured:
        return {"method": s.method, "path": s.path} if s.method != "POST" else {"path": s.path}
    out: dict[str, Any] = {"container": s.container}
    if s.action != "start":
        out["action"] = s.action
    if s.api_version:
        out["api_version"] = s.api_version
    if pairs:
        out["query"] = dict(pairs)
    return out


class Recorder:
    """Writes the session into ``path``, created on the first start request and rewritten
    (it is ours by then) after each one."""

    def __init__(self, source: Path, path: Path) -> None:
        check_new(path)
        with source.open(encoding="utf-8") as f:
            self.base: dict[str, Any] = yaml.safe_load(f)
        # the IDs come from the seed, which defaults to the file's name: keep the served one
        self.base.setdefault("seed", source.stem)
        self.path = path
        self.entries: list[dict[str, Any]] = []
        self._created = False
        desc = str(self.base.get("description", "")).strip()
        self.base["description"] = (f"{desc}\n\n" if desc else "") + (
            f"Recorded by simstart daemon from {source.name}: the requests it received.")

    def add(self, r: RequestResult) -> None:
        """Append one received request and write the file."""
        self.entries.append(request_entry(r))
        doc = {**self.base, "requests": self.entries}
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        if not self._created:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            self._created = True
            return
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, self.path)
