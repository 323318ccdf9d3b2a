"""A what-if, kept: the scenario it was forked from plus its faults, as a new scenario file.

The new file is the original's data with the fork's faults added, a title and description
that say what was injected, and each request's expectations replaced by what the fork's run
produced — so ``simstart validate`` accepts it and ``simstart run`` replays the same trace and
reports its expectations holding. Pure: the caller reads the original and writes the result.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .fork import Fork

_SCHEMA_LINE = re.compile(r"\A(# yaml-language-server: \$schema=\S+\n)")


def _expect(result: Any) -> dict[str, Any]:
    o = result.outcome
    want: dict[str, Any] = {"status": o.status}
    if o.message is not None:
        want["message"] = o.message
    if o.state is None:
        want["removed"] = True
    else:
        want["state"] = {"status": o.state["status"], "exit_code": o.state["exit_code"]}
        if o.state["error"]:
            want["state"]["error"] = o.state["error"]
    return want


def what_if_yaml(original: str, fork: Fork) -> str:
    """The text of the new scenario (``original`` is the forked scenario's YAML text)."""
    data = yaml.safe_load(original)
    # the same IDs as the run it was forked from, whatever the new file is called
    data["seed"] = fork.run.scenario.seed
    faults = list(data.get("faults") or [])
    added = []
    for f in fork.faults:
        faults.append({"site": f.site, "request": f.request, "error": f.error})
        added.append(f"{f.site} (request {f.request}) fails with {f.error!r}")
    data["faults"] = faults
    data["title"] = f"{data.get('title', 'scenario')} — what if {fork.fault.site} fails?"
    data["description"] = (str(data.get("description", "")).rstrip() + "\n\nSaved from a "
                           "what-if in simstart: " + "; ".join(added) + ". The expectations "
                           "are what that run produced.\n")
    for req, result in zip(data.get("requests") or [], fork.run.results, strict=False):
        req["expect"] = _expect(result)
    data.pop("lesson", None)  # not a step of the library's lesson order
    for own in (data.get("translations") or {}).values():
        if isinstance(own, dict):  # they describe the original run: English says what changed
            own.pop("title", None)
            own.pop("description", None)
    if data.get("questions"):
        # the questions this run still reaches (their answers are now the what-if's)
        from .quiz import placeable

        kept = [q for q, ok in zip(data["questions"], placeable(fork.run), strict=False) if ok]
        if kept:
            data["questions"] = kept
        else:
            del data["questions"]
    schema = _SCHEMA_LINE.match(original)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)
    return (schema.group(1) if schema else "") + body


def free_path(original: Path, site: str) -> Path:
    """Beside ``original``, a name no file has yet: ``<stem>-what-if-<site>[-N].yaml``."""
    base = f"{original.stem}-what-if-{site.replace('.', '-').replace('_', '-')}"
    for n in range(1, 1000):
        p = original.with_name(f"{base}{'' if n == 1 else f'-{n}'}.yaml")
        if not p.exists():
            return p
    raise FileExistsError(original.with_name(f"{base}.yaml"))


__all__ = ["free_path", "what_if_yaml"]
