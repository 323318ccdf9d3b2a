"""``simstart coverage [SCENARIO...]``: the coverage map of the start path."""

from __future__ import annotations

import argparse
import json
import sys


def configure(p: argparse.ArgumentParser) -> None:
    """Arguments (cheap: nothing heavy is imported here)."""
    p.description = ("Record the scenarios (default: every shipped one) and report which "
                     "functions and branches of the start path they reach, which reachable "
                     "ones none reaches, and the branches no scenario can reach, with why.")
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                   help="scenario files or shipped names (default: all shipped)")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also list every reached branch and a scenario that reaches it")


def run(args: argparse.Namespace) -> int:
    """0 when every reachable branch is reached, 1 when some are not, 2 on bad input."""
    from ..scenario import ScenarioError
    from ..scenario.library import resolve, shipped
    from .coverage import measure, report

    paths = [resolve(s) for s in args.scenarios] or shipped()
    try:
        cov = measure(paths)
    except ScenarioError as e:
        print(str(e), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(cov.as_dict(), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(report(cov, verbose=args.verbose))
    return 0 if not cov.missed() else 1
