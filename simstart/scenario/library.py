"""The shipped scenarios: where they are, and finding one by name or path."""

from __future__ import annotations

from pathlib import Path

DEFAULT = "bridge-port"


def scenario_dirs() -> list[Path]:
    """The shipped scenarios: the repository's ``scenarios/`` or the wheel's copy."""
    here = Path(__file__).resolve().parent.parent
    out = []
    for cand in (here.parent / "scenarios", here / "_scenarios"):
        if cand.is_dir():
            out.append(cand)
    return out


def shipped() -> list[Path]:
    """Every shipped scenario file, by name."""
    seen: dict[str, Path] = {}
    for d in scenario_dirs():
        for p in sorted(d.glob("*.yaml")):
            seen.setdefault(p.stem, p)
    return [seen[k] for k in sorted(seen)]


def resolve(ref: str) -> Path:
    """A path as given if it exists (or looks like a path), else a shipped scenario's name."""
    p = Path(ref)
    if p.exists() or ref.endswith((".yaml", ".yml")) or "/" in ref:
        return p
    for s in shipped():
        if s.stem == ref:
            return s
    return p
