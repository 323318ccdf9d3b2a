"""``simstart daemon SCENARIO --socket PATH``: serve the scenario's world as dockerd v17.05.

Cheap to import (the parser is built from it); ``run`` imports the server.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def configure(p: argparse.ArgumentParser) -> None:
    """The daemon's arguments."""
    p.add_argument("scenario", help="a scenario file, or the name of a shipped one: its world "
                   "is served (its own requests are not sent)")
    p.add_argument("--socket", metavar="PATH", help="the unix socket to listen on, created "
                   "mode 0600 in a directory only you can enter (mode 0700)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead: loopback "
                   "addresses only (127.0.0.1, ::1)")
    p.add_argument("--record", metavar="FILE", help="write the start requests received as a "
                   "scenario that replays the session (FILE must not exist)")
    p.add_argument("--request-timeout", type=float, default=10.0, metavar="SECONDS",
                   help="how long a request may take to arrive once begun (default 10)")
    p.add_argument("--idle-timeout", type=float, default=120.0, metavar="SECONDS",
                   help="how long an idle keep-alive connection is kept (default 120)")
    p.add_argument("--max-body", type=int, default=8 << 20, metavar="BYTES",
                   help="the largest request body accepted (default 8 MiB)")
    p.add_argument("--quiet", action="store_true", help="no line per request")


def _line(req: Any, resp: Any, n: int) -> str:
    path = req.target.partition("?")[0]
    extra = ""
    if resp.result is not None:
        extra = f"  ({len(resp.steps)} steps"
        if resp.result.outcome.message:
            extra += f": {resp.result.outcome.message}"
        extra += ")"
    status = resp.status if resp.status else "connection closed (panic)"
    return f"#{n} {req.method} {path} → {status}{extra}"


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; exit 2 on bad input."""
    if bool(args.socket) == bool(args.tcp):
        print("simstart daemon: give exactly one of --socket PATH or --tcp HOST:PORT",
              file=sys.stderr)
        return 2
    for name in ("request_timeout", "idle_timeout"):
        if getattr(args, name) <= 0:
            print(f"simstart daemon: --{name.replace('_', '-')}: must be more than 0",
                  file=sys.stderr)
            return 2
    if args.max_body < 0:
        print("simstart daemon: --max-body: must be 0 or more", file=sys.stderr)
        return 2
    import asyncio
    import signal

    from ..engine.live import Live
    from ..scenario import ScenarioError, load
    from ..scenario.library import resolve
    from .api import Api
    from .http import Limits, Server, UnsafeSocketPath
    from .record import Recorder, RecordExists

    try:
        src = resolve(args.scenario)
        sc = load(src, strict=True)
    except ScenarioError as e:
        print(str(e), file=sys.stderr)
        return 2
    recorder = None
    if args.record:
        try:
            recorder = Recorder(Path(src), Path(args.record))
        except RecordExists as e:
            print(f"simstart daemon: --record: {e}", file=sys.stderr)
            return 2
    live = Live(sc, keep_steps=False)
    api = Api(live, on_start=(lambda req, result, steps: recorder.add(result))
              if recorder is not None else None)
    count = 0

    def log(req: Any, resp: Any) -> None:
        nonlocal count
        count += 1
        if not args.quiet:
            print(_line(req, resp, count), flush=True)

    limits = Limits(max_body_bytes=args.max_body, request_timeout=args.request_timeout,
                    idle_timeout=args.idle_timeout)
    server = Server(api, limits, log)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            if args.socket:
                path = Path(args.socket).absolute()
                await server.listen_unix(path)
                where = f"unix://{path}"
            else:
                host, _, port = args.tcp.rpartition(":")
                if not host or not port.isdigit():
                    print(f"simstart daemon: --tcp: {args.tcp!r} is not HOST:PORT",
                          file=sys.stderr)
                    return 2
                got = await server.listen_tcp(host.strip("[]"), int(port))
                where = f"tcp://{host}:{got}"
        except (UnsafeSocketPath, OSError) as e:
            print(f"simstart daemon: {e}", file=sys.stderr)
            return 2
        print(f"simstart daemon: serving {sc.title!r} as dockerd 17.05.0-ce (API 1.29) on "
              f"{where}", flush=True)
        print(f"  try: docker -H {where} start "
              f"{sc.containers[0].name if sc.containers else 'NAME'}", flush=True)
        serving = asyncio.create_task(server.serve_forever())
        await stop.wait()
        serving.cancel()
        await server.close()
        if args.socket:
            Path(args.socket).unlink(missing_ok=True)
        return 0

    return asyncio.run(main())
