"""The panes: each gets only the slice of the session it shows (attributes down) and turns the
plain rows of ``view`` into styled text. No logic lives here."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.widgets import Static

from .view import Row, Section, SourceView, TimelineView

# Styles use theme variables only, so the high-contrast theme restyles everything.
MARK_STYLES = {
    "+": "bold $text-success on $success-muted",
    "~": "bold $text-warning on $warning-muted",
    "-": "bold $text-error on $error-muted",
    "▶": "bold reverse",
}
MARK_GLYPHS = {"+": "+", "~": "~", "-": "−", "▶": "▶"}
LANG_NAMES = {"en": "English", "zh": "中文"}


def row_content(r: Row, indent: str = "  ") -> Content:
    """A row: a one-cell mark gutter, indentation, then the text (styled when marked)."""
    style = MARK_STYLES.get(r.mark, "")
    glyph = MARK_GLYPHS.get(r.mark, " ")
    return Content.assemble((glyph + " ", style or "$text-muted"), (indent * r.level, ""),
                            (r.text, style))


def rows_content(rows: list[Row], indent: str = "  ") -> Content:
    """Rows, one per line."""
    return Content("\n").join(row_content(r, indent) for r in rows) if rows else Content("")


class Pane(ScrollableContainer, inherit_bindings=False):
    """A scrollable pane. Only up/down/page keys scroll it: left/right/home/end stay with the
    stepping commands even when a pane has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="pane")
        self.border_title = title
        self.body = Static("", classes="body", markup=False)

    def compose(self) -> ComposeResult:
        """The pane's one Static."""
        yield self.body


class StackPane(Pane):
    """The call stack."""

    HELP = """\
## Call stack

The moby functions from the HTTP router down to the one running now, outermost first.
The current frame is marked **▶**. Scroll with up/down when the pane has the focus.
"""

    def show(self, rows: list[Row]) -> None:
        """Show the frames."""
        self.body.update(rows_content(rows, indent=" "))
        self.border_subtitle = f"depth {len(rows)}"


class SourcePane(Pane):
    """The current function's source (or, until the catalog has it, its anchor)."""

    HELP = """\
## Source

The current function at moby v17.05.0-ce: the pane's title is the upstream `file:lines`.
The current line is highlighted and marked **▶**, with its annotation under it.
For a function the annotated catalog does not cover yet, the pane lists the lines this call
visits, each with its narration. Started with `--moby-src DIR`, `u` switches between the
annotated rendition and the real function from that checkout.
"""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(title, id=id)
        self.before = Static("", classes="body", markup=False)
        self.current = Static("", classes="body current-line", markup=False)
        self.after = Static("", classes="body", markup=False)

    def compose(self) -> ComposeResult:
        """The symbol, the lines before the current one, the current one, the rest."""
        yield self.body
        yield self.before
        yield self.current
        yield self.after

    @staticmethod
    def _line(n: int | None, text: str, note: str, from_catalog: bool) -> list[Content]:
        gutter = f"{n:>5}" if n is not None else "     "
        out = [Content.assemble((" ", ""), (f"{gutter}  ", "$text-muted"), (text, ""))]
        if note:
            out.append(Content.assemble(("        ", ""), (note if not from_catalog
                                                            else f"· {note}", "$text-muted")))
        return out

    def show(self, v: SourceView) -> None:
        """Show the function, the current line highlighted and scrolled into view."""
        self.border_title = v.title
        if v.note:
            self.border_subtitle = v.note
        elif v.kind == "upstream":
            self.border_subtitle = "the real function, from your checkout · u: the rendition"
        else:
            self.border_subtitle = ("annotated rendition" if v.from_catalog
                                    else "no rendition yet · the lines this call visits")
        head = [(v.symbol, "bold $text-accent")]
        if v.about:
            head += [("\n", ""), (v.about, "italic $text-muted")]
        self.body.update(Content.assemble(*head))
        before: list[Content] = []
        after: list[Content] = []
        for i, (n, text, note) in enumerate(v.lines):
            if i < v.current or v.current < 0:
                before += self._line(n, text, note, v.from_catalog)
            elif i > v.current:
                after += self._line(n, text, note, v.from_catalog)
        if v.current >= 0:
            n, text, _note = v.lines[v.current]
            gutter = f"{n:>5}" if n is not None else "     "
        else:
            gutter, text = f"{v.line:>5}", "(this line is not in the rendition)"
        cur = [Content.assemble(("▶", "bold $text-accent"), (f"{gutter}  {text}",
                                                             "bold reverse"))]
        if v.annotation:
            cur.append(Content.assemble(("        ", ""), (f"↳ {v.annotation}",
                                                           "bold $text-accent")))
        self.before.update(Content("\n").join(before))
        self.before.display = bool(before)
        self.current.update(Content("\n").join(cur))
        self.after.update(Content("\n").join(after))
        self.after.display = bool(after)
        self.call_after_refresh(self._show_current)

    def _show_current(self) -> None:
        """Keep the current line in view, a few lines below the top."""
        self.scroll_to(y=max(0, self.current.virtual_region.y - 3), animate=False)


class WorldPane(Pane):
    """The simulated host."""

    HELP = """\
## World

The simulated host at this step: containers and their State, the layers and mount table,
the network (bridge, veth pair, sandbox and netns, addresses, published ports, iptables,
docker-proxy) and containerd (containers, shims, processes). **+** marks what this step
added, **~** what it changed; *Changed at this step* lists every change, removals included.
"""

    def show(self, changed: list[Row], sections: list[Section]) -> None:
        """Show what changed, then every section."""
        parts: list[Content] = []
        head = f"Changed at this step ({len(changed)})" if changed else "Nothing changed"
        parts.append(Content.assemble((head, "bold underline")))
        if changed:
            parts.append(rows_content(changed))
        for s in sections:
            parts.append(Content(""))
            parts.append(Content.assemble((s.title, "bold underline $text-primary")))
            parts.append(rows_content(list(s.rows)))
        self.body.update(Content("\n").join(parts))
        self.border_subtitle = f"{len(changed)} change{'s' if len(changed) != 1 else ''}"


class EventsPane(Pane):
    """``docker events`` and the daemon's log."""

    HELP = """\
## Events

`docker events` emitted so far, then the daemon's log lines. Lines written at this step
are marked **+**.
"""

    def show(self, events: list[Row], log: list[Row]) -> None:
        """Show the events and the log."""
        parts = [Content.assemble(("docker events", "bold underline $text-primary")),
                 rows_content(events) if events else Content.assemble(("  (none yet)",
                                                                        "$text-muted")),
                 Content(""),
                 Content.assemble(("daemon log", "bold underline $text-primary")),
                 rows_content(log) if log else Content.assemble(("  (nothing logged yet)",
                                                                 "$text-muted"))]
        self.body.update(Content("\n").join(parts))
        self.border_subtitle = f"{len(events)} events · {len(log)} log lines"
        self.call_after_refresh(self.scroll_end, animate=False)


class NarrationPane(Pane):
    """What happens at this step, and why."""

    HELP = """\
## Narration

What the daemon does at this step and why, in plain words, with the stage id.
"""

    def show(self, stage: str, text: str, symbol: str, lang: str = "en") -> None:
        """Show the narration (``text`` already in the language ``lang``)."""
        self.border_title = f"Narration · {stage}"
        self.border_subtitle = "" if lang == "en" else f"{LANG_NAMES.get(lang, lang)} · l: English"
        self.body.update(Content.assemble((text, "bold"), ("\n", ""),
                                          (f"in {symbol}", "$text-muted")))


class Timeline(Static):
    """Step n of N, the stage names, and the outcome once reached."""

    HELP = """\
## Timeline

Step n of N, the stages of the start path (the current one highlighted, **●** marks a
breakpoint), the what-if fork when there is one, and each request's outcome once reached.
"""

    def show(self, t: TimelineView, playing: str) -> None:
        """Show the timeline."""
        head: list[tuple[str, str]] = [
            (f" step {t.position + 1} of {t.total} ", "bold reverse"), (" ", "")]
        if t.requests > 1:
            head.append((f"request {t.request + 1} of {t.requests}  ", "bold"))
        head.append((t.stage, "bold $text-accent"))
        if t.breakpoint_here:
            head.append((" ●", "bold $text-error"))
        if t.breakpoints:
            head.append((f"  {t.breakpoints} bp", "$text-muted"))
        if playing:
            head.append((f"   ▶ {playing}", "bold $text-success"))
        if t.fork:
            label = "WHAT-IF" if t.on_fork else "original run (x: back to the what-if)"
            style = "bold $text-error" if t.on_fork else "$text-muted"
            head.append((f"   {label}: {t.fork}" if t.on_fork else f"   {label}", style))
        cells: list[tuple[str, str]] = []
        for i, c in enumerate(t.phases):
            if i:
                cells.append(("›", "$text-muted"))
            name = ("●" if c.breakpoint else "") + c.title
            style = {"current": "bold reverse", "done": "", "ahead": "$text-muted"}[c.state]
            cells.append((f" {name} " if c.state == "current" else name, style))
        lines = [Content.assemble(*head), Content.assemble(*cells)]
        for status, o in t.outcomes:
            style = "bold $text-success" if status < 400 else "bold $text-error"
            lines.append(Content.assemble(("outcome ", "bold"), (o, style)))
        self.update(Content("\n").join(lines))
