"""``simstart sources``: list the source anchors, fetch the upstream files they live in
(``get``), or verify them against upstream checkouts.

``verify`` checks three things against the checkouts: every anchor (file, symbol, lines,
names); every ``return`` and ``defer`` of each real function shown by line number in its
rendition; and how many non-trivial rendition lines (15 characters or more, whitespace
collapsed) are identical to a line of the upstream file — per file and in total, at most 10%.

``configure`` only declares arguments (it imports nothing heavy); ``run`` does the work.
Exit status: 0 when everything checked holds, 1 when something disagrees (an anchor, a hidden
return or defer, more than 10% verbatim), 2 on bad input
(a missing directory, tree-sitter not installed; for ``get``: git missing, offline).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPOS = (
    ("moby/moby", "moby_src", "--moby-src", "v17.05.0-ce"),
    ("containerd/containerd", "containerd_src", "--containerd-src", "9048e5e"),
    ("docker/runc", "runc_src", "--runc-src", "9c2d8d1"),
)


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare ``sources list``, ``sources get`` and ``sources verify``."""
    sub = parser.add_subparsers(dest="sources_cmd", parser_class=type(parser))
    ls = sub.add_parser("list", help="every anchor: stage, symbol, file, start_line, end_line")
    ls.add_argument("--json", action="store_true", help="one JSON array instead of columns")
    g = sub.add_parser("get", help="fetch exactly the upstream files the catalog needs, at the "
                       "pinned commits, with git (a shallow fetch and a sparse checkout)")
    g.add_argument("--dir", metavar="DIR", default=None,
                   help="where to put the moby/, containerd/ and runc/ checkouts (default: "
                   "$XDG_CACHE_HOME/simstart/sources or ~/.cache/simstart/sources, where "
                   "sources verify and the TUI's u find them without options)")
    v = sub.add_parser("verify", help="check every catalog entry against a real checkout "
                       "(needs: pip install 'simstart[source]')")
    for repo, dest, flag, rev in REPOS:
        v.add_argument(flag, dest=dest, metavar="DIR",
                       help=f"a checkout of {repo} at {rev} (default: the one sources get "
                       "put in the cache directory)")
    v.add_argument("--show-verbatim", action="store_true",
                   help="under each file's count, the rendition lines that are upstream lines")


def rows() -> list[dict[str, Any]]:
    """One row per (stage, symbol) the engine can show, then catalog functions no stage
    reaches (stage None). File and lines are the catalog's, else the simulator's anchor."""
    from . import catalog
    from .stages import stage_symbols

    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    anchors = _registry()
    for stage, symbols in stage_symbols().items():
        for sym in symbols:
            seen.add(sym)
            out.append(_row(stage, sym, catalog.get(sym), anchors.get(sym)))
    for e in catalog.entries():
        if e.symbol not in seen:
            out.append(_row(None, e.symbol, e, None))
    return out


def _registry() -> dict[str, Any]:
    import importlib
    import pkgutil

    import simstart.moby as moby

    for m in pkgutil.walk_packages(moby.__path__, "simstart.moby."):
        importlib.import_module(m.name)
    from simstart.moby.context import REGISTRY

    return dict(REGISTRY)


def _row(stage: str | None, symbol: str, e: Any, frame: Any) -> dict[str, Any]:
    src = e if e is not None else frame
    return {"stage": stage, "symbol": symbol,
            "repo": src.repo if src is not None else "",
            "file": src.file if src is not None else "",
            "start_line": src.start if src is not None else 0,
            "end_line": src.end if src is not None else 0}


def _list(as_json: bool) -> int:
    data = rows()
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    for r in data:
        print(f"{r['stage'] or '-'}\t{r['symbol']}\t{r['file']}\t{r['start_line']}\t"
              f"{r['end_line']}")
    return 0


def _get(args: argparse.Namespace) -> int:
    from . import fetch

    base = Path(args.dir).expanduser() if args.dir else fetch.cache_dir()
    try:
        got = fetch.get(base)
    except fetch.GetError as e:
        print(f"simstart sources get: {e}", file=sys.stderr)
        return 2
    for g in got:
        how = "fetched" if g.fetched else "already there"
        print(f"{g.repo} {g.rev}: {g.files} files in {g.path} ({how})")
    if base.resolve() != fetch.cache_dir().resolve():
        flags = " ".join(f"{flag} {fetch.checkout_dir(base, repo)}" for repo, _, flag, _ in REPOS)
        print(f"not the cache directory: give sources verify and the TUI {flags}")
    return 0


def default_roots(given: dict[str, str | None]) -> dict[str, Path]:
    """For each repository with no checkout option given, the checkout ``sources get`` left
    in the cache directory, if there is one."""
    from . import fetch

    out: dict[str, Path] = {}
    for repo, _, _, _ in REPOS:
        if given.get(repo) is None:
            root = fetch.cached_root(repo)
            if root is not None:
                out[repo] = root
    return out


def _verify(args: argparse.Namespace) -> int:
    from . import catalog, upstream

    roots = default_roots({repo: getattr(args, dest, None) for repo, dest, _, _ in REPOS})
    if "moby/moby" not in roots and getattr(args, "moby_src", None) is None:
        print("simstart sources verify: no moby checkout: run simstart sources get, or give "
              "--moby-src DIR", file=sys.stderr)
        return 2
    for repo, dest, flag, _ in REPOS:
        given = getattr(args, dest, None)
        if given is None:
            continue
        p = Path(given)
        if not p.is_dir():
            print(f"simstart sources verify: {flag} {given}: no such directory", file=sys.stderr)
            return 2
        roots[repo] = p
    if not upstream.available():
        print(f"simstart sources verify: {upstream.INSTALL_HINT}", file=sys.stderr)
        return 2
    version = roots["moby/moby"] / "VERSION"
    if version.is_file() and version.read_text().strip() != "17.05.0-ce":
        print(f"warning: {version} says {version.read_text().strip()!r}, not 17.05.0-ce",
              file=sys.stderr)
    report = upstream.verify(catalog.entries(), roots)
    for m in report.mismatches:
        print(m)
    for h in report.hidden:
        print(h)
    for v in report.verbatim:
        print(f"verbatim: {v.repo} {v.file}: {v.same} of {v.lines} lines ({_pct(v.same, v.lines)})")
        if args.show_verbatim:
            for no, text in v.copied:
                print(f"  {no if no is not None else '-'} | {text}")
    bad = report.checked - report.ok
    line = (f"{report.checked} functions checked: {report.ok} hold, {bad} with mismatches "
            f"({len(report.mismatches)} mismatches)")
    if report.skipped:
        flags = {repo: flag for repo, _, flag, _ in REPOS}
        n = sum(1 for e in catalog.entries() if e.repo_name in report.skipped)
        line += (f"; {n} skipped (no checkout given: "
                 + ", ".join(f"{r} {flags[r]}" for r in report.skipped) + ")")
    print(line)
    shown = report.control - len(report.hidden)
    print(f"return/defer: {shown} of {report.control} shown in the renditions, "
          f"{len(report.hidden)} not shown")
    same = sum(v.same for v in report.verbatim)
    total = sum(v.lines for v in report.verbatim)
    limit = upstream.VERBATIM_LIMIT
    too_many = report.verbatim_share > limit
    print(f"verbatim: {same} of {total} rendition lines are upstream lines "
          f"({_pct(same, total)}; at most {limit:.0%} allowed"
          + (", too many)" if too_many else ")"))
    return 0 if not (report.mismatches or report.hidden or too_many) else 1


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0.0%"


def run(args: argparse.Namespace) -> int:
    """Run ``simstart sources …``."""
    cmd = getattr(args, "sources_cmd", None)
    if cmd == "list":
        return _list(args.json)
    if cmd == "get":
        return _get(args)
    if cmd == "verify":
        return _verify(args)
    print("simstart sources: choose list, get or verify (see simstart sources --help)",
          file=sys.stderr)
    return 2
