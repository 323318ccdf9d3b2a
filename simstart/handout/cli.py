"""``simstart export SCENARIO --format md|html [-o FILE] [--lang en|zh] [--answers] [--force]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def configure(p: argparse.ArgumentParser) -> None:
    """Arguments (cheap: nothing heavy is imported here)."""
    p.description = ("A handout of one scenario: its objectives, the host before the first "
                     "request, the walk phase by phase (narration, source outline, what "
                     "changed), each request's outcome and the scenario's questions.")
    p.add_argument("scenario", help="a scenario file, or the name of a shipped one")
    p.add_argument("--format", choices=("md", "html"), default="md",
                   help="Markdown (renders on GitHub) or one self-contained HTML file "
                   "(default: md)")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="write to FILE instead of standard output (never overwritten "
                   "without --force)")
    p.add_argument("--lang", choices=("en", "zh"), default="en",
                   help="the handout's language (default: en)")
    p.add_argument("--answers", action="store_true",
                   help="include the answers to the scenario's questions")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    """Write the handout; 2 on bad input."""
    out = Path(args.output) if args.output else None
    if out is not None and out.exists() and not args.force:
        print(f"{out}: already exists (use --force to overwrite it)", file=sys.stderr)
        return 2
    from ..engine import record
    from ..scenario import ScenarioError, load
    from ..scenario.library import resolve
    from .document import handout

    path = resolve(args.scenario)
    try:
        run_ = record(load(path, strict=True))
        h = handout(run_, path.stem, args.lang, args.answers)  # places the questions
    except ScenarioError as e:
        print(str(e), file=sys.stderr)
        return 2
    if args.format == "md":
        from .markdown import to_markdown

        text = to_markdown(h)
    else:
        from .html import to_html
        from .picture import topology_svg

        text = to_html(h, topology_svg(run_))
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        with out.open("w" if args.force else "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        print(f"{out}: already exists (use --force to overwrite it)", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{out}: cannot write: {e.strerror}", file=sys.stderr)
        return 2
    return 0
