"""``simstart tui SCENARIO --listen PATH``: the TUI and ``simstart daemon`` in one process.

The server runs on the app's event loop. Each start, stop, kill or wait it receives is
recorded against the shared world and shown at once from its first step (the learner walks it
with the usual keys; a wait that blocks until another request ends its container shows as far
as it went); the read-only requests (ping, ps, inspect, logs) are only noted. The app itself is the
ordinary ``SimstartApp``: this module only feeds it a ``LiveSession``.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from textual.widgets import Static

from ..engine.live import Live, LiveSession
from ..scenario.model import Scenario
from ..server.api import Api, Request, Response
from ..server.http import Server
from .app import SimstartApp
from .words import say


class ListenApp(SimstartApp):
    """The TUI following the requests a socket receives."""

    def __init__(self, scenario: Scenario, socket_path: Path, **kwargs: Any) -> None:
        super().__init__(None, **kwargs)
        self.socket_path = socket_path
        self.live_session = LiveSession(Live(scenario, keep_steps=True))
        self.api = Api(self.live_session.live, on_start=self._arrived)
        self.api.on_park = self._parked
        self.server = Server(self.api, log=self._noted, cooperative=False)
        self.received: list[str] = []  # one line per request, as simstart daemon prints
        self._serving: asyncio.Task[None] | None = None

    def on_mount(self) -> None:
        """Paint as the TUI does, then listen."""
        super().on_mount()
        self.run_worker(self._listen(), exit_on_error=True)

    async def _listen(self) -> None:
        """Listen; until the first start arrives, say where and what to type."""
        await self.server.listen_unix(self.socket_path)
        self._serving = asyncio.create_task(self.server.serve_forever())
        first = self.live_session.scenario.containers
        name = first[0].name if first else "NAME"
        self.query_one("#empty", Static).update(
            say("listen.waiting", self.lang, socket=self.socket_path, name=name))
        self.sub_title = say("listen.subtitle", self.lang, socket=self.socket_path)

    async def on_unmount(self) -> None:
        """Stop serving and remove the socket."""
        if self._serving is not None:
            self._serving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._serving
        await self.server.close()
        self.socket_path.unlink(missing_ok=True)
        await super().on_unmount()

    def _arrived(self, req: Request, result: Any, steps: Any) -> None:
        self.live_session.arrived(result)
        self.session = self.live_session
        self.refresh_view()

    def _parked(self) -> None:
        """A wait blocks until another request ends its container: walk what it did so far."""
        self.live_session.recorded()
        self.session = self.live_session
        self.refresh_view()

    def _noted(self, req: Request, resp: Response) -> None:
        status = resp.status or say("listen.closed", self.lang)
        line = f"#{len(self.received) + 1} {req.method} {req.target.partition('?')[0]} → " \
               f"{status}"
        self.received.append(line)
        if resp.result is not None:
            self.notify(line, timeout=4)
