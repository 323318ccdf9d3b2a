"""One cold start, run as its own process by ``benchmarks/run.py``.

    python benchmarks/coldstart.py simstart|minimal WIDTH HEIGHT

Starts either the real ``simstart`` command (``simstart.__main__.main([])``: the CLI, the
default scenario, the TUI) or a minimal Textual app (one ``Static``), headless at WIDTH x HEIGHT,
and exits once its first step is shown, printing ``time.monotonic()`` at its first frame and at
that moment (see below). The parent reads ``time.monotonic()`` just before it starts the
process, so each difference is everything from ``exec`` to that frame: the interpreter, every
import, building the app, mounting, layout, and painting.

"Painted" means: the compositor produced an update for the screen *and* that update was turned
into the bytes a terminal would receive (``CompositorUpdate.render_segments``). A headless
Textual app skips that last conversion, so this helper does it itself, inside the timed
frame, and checks the bytes for the app's content. A frame without it (an empty layout pass)
does not count. Two moments are reported, one line each:

* **first frame**: the first frame with the app's screen: for simstart the timeline showing
  ``" step 1 of "`` (the scenario is recorded before anything is painted, so since 2026-12-03
  this is also the first step shown); for the minimal app ``"Hello, world"``. The budget is
  applied to this one.
* **first step shown**: the first frame containing ``" step 1 of "`` (for the minimal app, the
  same frame as its first). The helper exits there.

``App.run`` is wrapped only to force ``headless=True`` and the size, and ``isatty`` answers
True as it does for anyone who starts the TUI (from a terminal: without one, the CLI checks the
scenario before it opens the app); the app's own code path (``simstart`` → ``cli.main`` →
``SimstartApp(...).run()``) is otherwise untouched.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

# (first frame, first step shown): see the docstring
MARKERS = {"simstart": ((" step 1 of ",), " step 1 of "),
           "minimal": (("Hello, world",), "Hello, world")}


def main() -> None:
    """Start one app, exit once its first step is shown."""
    which, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    # the checkout this file is in, not whichever simstart is installed
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    first_markers, step_marker = MARKERS[which]
    first: list[float] = []

    from textual.app import App

    original_run = App.run
    original_display = App._display

    def run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
        kwargs["headless"] = True
        kwargs["size"] = (width, height)
        return original_run(self, *args, **kwargs)

    def display(self: App[Any], screen: Any, renderable: Any) -> None:
        original_display(self, screen, renderable)
        render = getattr(renderable, "render_segments", None)
        if render is None:
            return
        text = render(self.console)
        now = time.monotonic()
        if not first and any(m in text for m in first_markers):
            first.append(now)
        if step_marker in text:
            os.write(1, f"{first[0] if first else now:.9f} {now:.9f}\n".encode())
            os._exit(0)

    App.run = run  # type: ignore[method-assign]
    App._display = display  # type: ignore[method-assign]

    if which == "simstart":
        from simstart.__main__ import main as simstart_main

        # started from a terminal, as a user does (the benchmark itself has none)
        sys.stdin.isatty = sys.stdout.isatty = lambda: True  # type: ignore[method-assign]

        simstart_main([])
    else:
        from textual.widgets import Static

        class Minimal(App[None]):
            def compose(self) -> Any:
                yield Static("Hello, world")

        Minimal().run()
    os.write(2, b"the app exited without painting its first frame\n")
    os._exit(3)


if __name__ == "__main__":
    main()
