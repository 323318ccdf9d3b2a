"""``simstart graph KIND [SCENARIO]``: DOT or Mermaid for slides."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

KINDS = ("calls", "states", "network")


def configure(p: argparse.ArgumentParser) -> None:
    """Arguments (cheap: nothing heavy is imported here)."""
    p.description = (
        "calls: the call graph of the start path (with SCENARIO, its path highlighted). "
        "states: SCENARIO's trace as a state machine. network: the network topology of "
        "SCENARIO's world at a step (bridge, veth pairs, namespaces, addresses, ports).")
    p.add_argument("kind", choices=KINDS, help="which graph")
    p.add_argument("scenario", nargs="?", default=None,
                   help="a scenario file or shipped name (needed for states and network)")
    p.add_argument("--format", choices=("dot", "mermaid"), default="dot",
                   help="DOT for `dot -Tsvg`, or Mermaid (default: dot)")
    p.add_argument("--request", type=int, default=None, metavar="N",
                   help="only request N of the scenario (numbered from 1, as in run)")
    p.add_argument("--phase", default=None, metavar="PHASE",
                   help="calls: only the functions the steps of PHASE ran in (http, checks, "
                   "start, mount, network, spec, runtime, running, cleanup, response)")
    p.add_argument("--step", type=int, default=None, metavar="N",
                   help="network: the world after step N (numbered from 1, as in run and the "
                   "TUI; default: the last step)")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="write to FILE instead of standard output")


def run(args: argparse.Namespace) -> int:
    """Print (or write) the graph; 2 on bad input."""
    from ..scenario import ScenarioError, load
    from ..scenario.library import resolve
    from .export import render
    from .views import call_graph_view, state_machine, topology

    run_ = None
    if args.scenario is None and args.kind != "calls":
        print(f"simstart graph {args.kind}: a scenario is needed (see simstart list)",
              file=sys.stderr)
        return 2
    if args.scenario is not None:
        from ..engine import record

        try:
            run_ = record(load(resolve(args.scenario), strict=True))
        except ScenarioError as e:
            print(str(e), file=sys.stderr)
            return 2
        n_req = len(run_.results)
        if args.request is not None and not 1 <= args.request <= n_req:
            print(f"simstart graph: --request {args.request}: the scenario has {n_req} "
                  f"request(s) (1 to {n_req})", file=sys.stderr)
            return 2
        if args.step is not None and not 1 <= args.step <= len(run_.trace):
            print(f"simstart graph: --step {args.step}: the trace has {len(run_.trace)} "
                  f"steps (1 to {len(run_.trace)})", file=sys.stderr)
            return 2
    request = None if args.request is None else args.request - 1  # 0-based from here on
    if args.phase is not None:
        from ..engine import PHASE_ORDER

        if args.kind != "calls" or run_ is None:
            print("simstart graph: --phase is for calls with a scenario", file=sys.stderr)
            return 2
        if args.phase not in PHASE_ORDER:
            print(f"simstart graph: --phase {args.phase}: not a phase (one of "
                  f"{', '.join(PHASE_ORDER)})", file=sys.stderr)
            return 2
    if args.kind == "calls":
        g = call_graph_view(run_, request, args.phase)
        # the whole graph is wide and shallow; one request's or one phase's path is a deep
        # chain, which fits a slide top to bottom
        direction = "TB" if request is not None or args.phase is not None else "LR"
    elif args.kind == "states":
        assert run_ is not None
        g = state_machine(run_, request)
        direction = "TB"
    else:
        assert run_ is not None
        step = None if args.step is None else args.step - 1
        if step is None and request is not None:
            step = run_.results[request].last_step
        g = topology(run_, step)
        direction = "LR"
    text = render(g, args.format, name=f"simstart {args.kind}", direction=direction)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as e:
            print(f"{args.output}: cannot write: {e.strerror}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0
