"""The panes: each gets only the slice of the session it shows (attributes down) and turns the
plain rows of ``view`` into styled text. No logic lives here."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Container, ScrollableContainer, Vertical, VerticalScroll
from textual.content import Content
from textual.css.scalar import Unit
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Label, Static, Tab

from .words import say
from .words import table as words_table

if TYPE_CHECKING:  # view.py is imported with the session, after the first frame
    from textual.screen import Screen

    from .view import Row, Section, SourceView, TimelineView

# Styles use theme variables only, so the high-contrast theme restyles everything.
MARK_STYLES = {
    "+": "bold $text-success on $success-muted",
    "~": "bold $text-warning on $warning-muted",
    "-": "bold $text-error on $error-muted",
    "▶": "bold reverse",
    "✓": "bold $text-success",
    "✗": "bold $text-error",
}
MARK_GLYPHS = {"+": "+", "~": "~", "-": "−", "▶": "▶", "✓": "✓", "✗": "✗"}
TIMELINE_LINES = 6  # #timeline's max-height in app.tcss


def set_content(widget: Static, content: Content) -> None:
    """Update a Static: not at all if it shows this already, and without laying the screen
    out again (the expensive part of a frame) unless its height changes."""
    old = widget.content
    if isinstance(old, Content) and old.plain == content.plain and old.spans == content.spans:
        return
    width = widget.content_region.width
    rules = widget.styles.get_rules()
    layout = not (width and isinstance(old, Content)) or (
        old.get_height(rules, width) != content.get_height(rules, width))
    if layout:
        relayout(widget)
    widget.update(content, layout=layout)


def rows_within_max_height(widget: Widget) -> int | None:
    """The rows inside ``widget``'s border and padding at its max-height, if that is a number
    of cells."""
    limit = widget.styles.max_height
    if limit is None or limit.unit != Unit.CELLS:
        return None
    return max(0, int(limit.value) - widget.styles.gutter.height)


def relayout(widget: Widget) -> None:
    """Make the next layout measure ``widget`` again. Textual 8.2.8's ``Widget.refresh(layout=
    True)`` bumps ``_layout_updates`` (part of the box-model cache key) only when no layout is
    pending; when one is pending but the screen has already been arranged with the old content
    (the first frame, in a real terminal: the breakpoint classes arrive first), the widget
    keeps its old height. That is what cut the timeline's stage strip off the first frame."""
    widget._layout_updates += 1


def set_border(widget: Widget, title: str | None = None, subtitle: str | None = None) -> None:
    """Set a pane's border title and subtitle, only if they change: setting either always
    repaints the widget (and parses the text as markup)."""
    if title is not None and widget.border_title != title:
        widget.border_title = title
    if subtitle is not None and widget.border_subtitle != subtitle:
        widget.border_subtitle = subtitle


# Their descriptions are strings.json's ``binding.<id>`` (``translate_bindings``).
SCROLL_BINDINGS: list[BindingType] = [
    Binding("up", "scroll_up", show=False, id="scroll-up"),
    Binding("down", "scroll_down", show=False, id="scroll-down"),
    Binding("pageup", "page_up", show=False, id="page-up"),
    Binding("pagedown", "page_down", show=False, id="page-down"),
]


# Textual's own bindings, which have no id: the words they take.
ACTION_WORDS = {"command_palette": "footer.palette", "quit": "cmd.quit"}


def translate_bindings(node: DOMNode, lang: str) -> None:
    """Give ``node``'s bindings their words in ``lang``: a command's (``cmd.<id>``), a
    binding's own (``binding.<id>``), or Textual's (``ACTION_WORDS``). The footer, the
    palette and the keys panel read them."""
    from dataclasses import replace as with_

    table = words_table()
    for key, found in node._bindings.key_to_bindings.items():
        out = []
        for b in found:
            if b.id and f"cmd.{b.id}" in table:
                b = with_(b, description=say(f"cmd.{b.id}", lang),
                          tooltip=say(f"cmd.{b.id}.help", lang))
            elif b.id and f"binding.{b.id}" in table:
                b = with_(b, description=say(f"binding.{b.id}", lang))
            elif b.action in ACTION_WORDS:
                b = with_(b, description=say(ACTION_WORDS[b.action], lang), tooltip="")
            out.append(b)
        node._bindings.key_to_bindings[key] = out


def help_of(name: str, lang: str) -> str:
    """A pane's help (the keys panel shows it when the pane has the focus)."""
    return say(f"help.{name}", lang)


def row_content(r: Row, indent: str = "  ") -> Content:
    """A row: a one-cell mark gutter, indentation, then the text (styled when marked)."""
    style = MARK_STYLES.get(r.mark, "")
    glyph = MARK_GLYPHS.get(r.mark, " ")
    return Content.assemble((glyph + " ", style or "$text-muted"), (indent * r.level, ""),
                            (r.text, style))


class Pane(ScrollableContainer, inherit_bindings=False):
    """A scrollable pane holding one Static (the narration). Only up/down/page keys scroll
    it: left/right/home/end stay with the stepping commands even when a pane has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = SCROLL_BINDINGS

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="pane")
        self.border_title = title
        self.body = Static("", classes="body", markup=False)

    def compose(self) -> ComposeResult:
        """The pane's one Static."""
        yield self.body


# A line of a LinePane: a hashable key (what the line shows), turned into Content once.
LineKey = Hashable
Styled = tuple[tuple[str, str], ...]  # a line of the source pane: (text, style) parts


class LinePane(ScrollView, inherit_bindings=False):
    """A pane drawn with the Line API (STYLE.md §6): only the lines in view are rendered.

    ``set_lines`` takes the pane's lines as hashable keys; each key is turned into ``Content``
    once (``make``) and rendered once per width (an ``LRUCache`` of strips), so a step that
    changes a few lines of a long pane renders a few lines. Lines wrap as a ``Static`` would.
    Setting the same keys again does nothing at all.
    """

    BINDINGS: ClassVar[list[BindingType]] = SCROLL_BINDINGS
    STEADY: ClassVar[bool] = False  # as tall as the most it has held (see ``_keep_height``)

    def __init__(self, title: str, *, id: str, classes: str = "pane") -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = title
        self._given: list[LineKey] = []  # the lines set_lines was given
        self._keys: list[LineKey] = []  # the lines shown: those, and any padding
        self._contents: dict[LineKey, Content] = {}
        self._heights: dict[int, dict[LineKey, int]] = {}  # width -> line -> height
        self._starts: list[int] = [0]  # virtual y of each line; the last entry is the total
        self._width = 0  # the width lines are wrapped to
        self._box = (0, 0)  # the content area (scrollbar included) they were measured for
        self._strips: LRUCache[tuple[LineKey, int, str], list[Strip]] = LRUCache(1024)
        self._anchor: int | None = None  # index of the line to keep in view (-1: the end)
        self._tallest = (0, 0)  # (box width, the most rows held at that width): STEADY panes
        self._reserved = 0  # rows a STEADY pane keeps from the start (``reserve``)

    # -- what a subclass provides --------------------------------------------------------

    def make(self, key: LineKey) -> Content:
        """The Content of a line (keys are Content unless a subclass says otherwise)."""
        assert isinstance(key, Content)
        return key

    def wrapped(self, key: LineKey, width: int) -> Content:
        """The line as drawn ``width`` cells wide (Textual wraps what is still too long)."""
        return self._content(key)

    # -- setting lines -------------------------------------------------------------------

    def set_lines(self, keys: Sequence[LineKey], anchor: int | None = None) -> bool:
        """Show ``keys``; keep line ``anchor`` (-1: the last line) in view. False (and
        nothing refreshed) if the pane already shows exactly these lines."""
        old_keys = self._keys
        if anchor == self._anchor and len(keys) == len(self._given) and keys == self._given:
            return False
        self._given = list(keys)
        self._keys = list(keys)
        self._anchor = anchor
        if len(self._contents) > 8 * len(keys) + 4096:  # old lines, long gone
            self._contents = {}
            self._heights = {}
        if len(self._heights) > 4:  # widths of past resizes
            self._heights = {}
        old_starts, old_width, old_box = self._starts, self._width, self._box
        old_scroll = self.scroll_offset
        self._measure()
        if self.STEADY:
            self._keep_height()
        room = self._room(self._box[1])
        if self.styles.height is not None and self.styles.height.is_auto \
                and min(self._starts[-1], room) != min(old_starts[-1], room):
            relayout(self)  # as tall as what it holds, and that changed: lay out
            self.refresh(layout=True)
        elif self._width == old_width > 0 and self._box == old_box \
                and self.scroll_offset == old_scroll:
            self._refresh_rows(old_keys, old_starts)
        else:
            self.refresh()
        return True

    def warm(self, keys: Sequence[LineKey]) -> None:
        """Measure and render ``keys`` into the caches, at the width the pane draws at now:
        showing them later is then a lookup. (The app warms the next step's lines while the
        step shown is read, so the next key does not wait for them.)"""
        width = self._width
        if width <= 0:
            return
        heights = self._heights.setdefault(width, {})
        for k in keys:
            if k not in heights:
                heights[k] = self._height(k, width)
            self._line_strips(k, width)

    def _keep_height(self) -> None:
        """Pad the lines with blank ones up to the most rows this pane has held at this width
        (no more than its max-height lets it show). A pane as tall as what it holds would
        otherwise shrink and grow from step to step, and each change of its height lays the
        whole screen out again and repaints every pane beside it; a class also reads a screen
        whose panes stay where they are more easily. ``forget_height`` starts over. Not
        before the pane has a width to measure its lines by."""
        if len(self._keys) != len(self._given):  # padded for another box: start again
            self._keys = list(self._given)
            self._measure()
        if self._width <= 0:
            return
        width, total = self._box[0], self._starts[-1]  # the box's: with the scrollbar's room
        if width != self._tallest[0]:
            self._tallest = (width, 0)
        keep = min(max(self._tallest[1], self._reserved), self._room(self._box[1]))
        if total < keep:
            self._keys += [()] * (keep - total)
            self._measure()
        self._tallest = (width, max(self._tallest[1], total))

    def reserve(self, rows: int) -> None:
        """Be ``rows`` tall from the start (a STEADY pane: the most it will hold, when that is
        known), so that it never grows either."""
        self._reserved = rows

    def forget_height(self) -> None:
        """The next lines set the height again (a STEADY pane: another scenario opened)."""
        self._tallest = (0, 0)
        self._reserved = 0

    def _refresh_rows(self, old_keys: Sequence[LineKey], old_starts: list[int]) -> None:
        """Repaint only the rows of the view that show something else than they did: called
        when the lines are drawn at the width, in the box and from the scroll offset they were,
        so a row showing the same row of the same key (its strips are cached by key and width)
        or blank both times is what Textual kept from the last paint. Anything else that
        changes how the pane is painted (a resize, a scroll, a theme, a border title) repaints
        all of it."""
        def shows(keys: Sequence[LineKey], starts: list[int], y: int) -> tuple[int, object]:
            if not 0 <= y < starts[-1]:
                return (-1, None)  # blank
            i = bisect_right(starts, y) - 1
            return (y - starts[i], keys[i])

        top, (width, height) = self.scroll_offset.y, self._box
        keys, starts = self._keys, self._starts
        first = -1  # the first of a run of rows to repaint
        for row in range(height + 1):
            y = top + row
            same = row == height or shows(keys, starts, y) == shows(old_keys, old_starts, y)
            if not same and first < 0:
                first = row
            elif same and first >= 0:
                self.refresh(Region(0, first, width, row - first))  # the content's coordinates
                first = -1

    def content(self, start: int = 0, end: int | None = None) -> Content:
        """Lines ``start:end`` as one Content (for tests and text extraction)."""
        return Content("\n").join(self._content(k) for k in self._keys[start:end])

    def _content(self, key: LineKey) -> Content:
        c = self._contents.get(key)
        if c is None:
            c = self._contents[key] = self.make(key)
        return c

    def _height(self, key: LineKey, width: int) -> int:
        c = self._content(key)
        if c.cell_length <= width and "\n" not in c.plain:
            return 1
        return len(self._line_strips(key, width))

    def _offsets(self, width: int) -> list[int]:
        heights = self._heights.setdefault(width, {})
        get = heights.get
        starts = [0]
        append = starts.append
        y = 0
        for k in self._keys:
            h = get(k)
            if h is None:
                h = heights[k] = self._height(k, width)
            y += h
            append(y)
        return starts

    def _measure(self) -> bool:
        """Line offsets, the virtual size, and the scroll anchor. Lines wrap to the content
        width, less the vertical scrollbar when they need it (as a Static in a scrolling
        container would), so the width never depends on the previous layout's scrollbars.
        True if the virtual size changed (the caller repaints what that changes)."""
        box = self.region.shrink(self.styles.gutter)
        self._box = (box.width, box.height)
        room = self._room(box.height)
        width, starts = box.width, [0]
        if width > 0:
            narrow = max(1, width - self.styles.scrollbar_size_vertical)
            scrolls = self.styles.overflow_y == "auto"
            if self.styles.overflow_y == "scroll":  # the scrollbar is always there
                starts = self._offsets(narrow)
                width = narrow
            elif scrolls and self._width == narrow:  # it needed the scrollbar last time
                starts = self._offsets(narrow)
                if starts[-1] > room:
                    width = narrow
                else:
                    starts = self._offsets(width)
            else:
                starts = self._offsets(width)
                if scrolls and starts[-1] > room:
                    width = narrow
                    starts = self._offsets(width)
        self._width = width
        self._starts = starts
        size, old_size = Size(width, starts[-1]), self.virtual_size
        if size != old_size:
            # Not ``self.virtual_size = size``: that reactive lays the whole screen out again,
            # and the pane's own box does not depend on what it scrolls over (an auto-height
            # pane asks for a layout in set_lines when its total changes). The scrollbars
            # follow, unless the pane is about to grow or shrink: then the layout sets them
            # for its new box (ScrollView._size_updated), and they do not flicker on and off.
            self.set_reactive(Widget.virtual_size, size)
            if room == box.height or min(size.height, room) == box.height:
                self._scroll_update(size)
        if self._anchor is not None and width > 0:
            self._scroll_to_anchor()
        return size != old_size

    def _room(self, height: int) -> int:
        """The rows the lines can have before they scroll: the box's, or for a pane as tall as
        what it holds, its max-height less its border (it grows to that first)."""
        styles = self.styles
        if styles.height is None or not styles.height.is_auto:
            return height
        if styles.max_height is None:
            return 1 << 30
        rows = rows_within_max_height(self)
        return height if rows is None else rows

    def line_y(self, index: int) -> int:
        """The virtual y of line ``index``."""
        return self._starts[min(index, len(self._starts) - 1)]

    def _scroll_to_anchor(self) -> None:
        """The end (anchor -1); else the top when the anchor line and the one under it (the
        current line and its annotation) fit in the view from there, so a function reads
        from its ``func`` line; else the anchor with three rows of context above it."""
        if self._anchor == -1:
            self.scroll_to(y=self.max_scroll_y, animate=False)
        elif self._anchor is not None:
            fits = self.line_y(self._anchor + 2) <= self.scrollable_content_region.height
            y = 0 if fits else max(0, self.line_y(self._anchor) - 3)
            self.scroll_to(y=y, animate=False)

    @property
    def max_scroll_y(self) -> int:
        """The largest vertical offset, from the new virtual size (not the last layout's)."""
        return max(0, self._starts[-1] - self.scrollable_content_region.height)

    def _on_resize(self) -> None:
        box = self.region.shrink(self.styles.gutter)
        if (box.width, box.height) != self._box:
            self._measure()
            self.refresh()

    def notify_style_update(self) -> None:
        """A new theme or stylesheet: render again."""
        self._strips.clear()
        super().notify_style_update()

    # -- rendering ------------------------------------------------------------------------

    def _line_strips(self, key: LineKey, width: int) -> list[Strip]:
        cache_key = (key, width, self.app.theme)
        strips = self._strips.get(cache_key)
        if strips is None:
            strips = Visual.to_strips(self, self.wrapped(key, width), width, None,
                                      self.visual_style)
            self._strips[cache_key] = strips
        return strips

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows in ``crop``, measured again first if the pane was shown or resized since
        it was measured (once per paint: ``region`` is not cheap enough to read per line)."""
        box = self.region.shrink(self.styles.gutter)
        if (box.width, box.height) != self._box:
            total = self._starts[-1]
            changed = self._measure()  # it may scroll, too
            if self.STEADY:
                self._keep_height()
            if self._starts[-1] != total and self.styles.height is not None \
                    and self.styles.height.is_auto:  # as tall as what it holds: lay out
                relayout(self)
                self.refresh(layout=True)
            elif changed:
                self.refresh()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the view: only lines in view are ever rendered (``render_lines`` has
        checked that the lines were measured for the pane's box)."""
        scroll_x, scroll_y = self.scroll_offset
        width = self._width
        vy = y + scroll_y
        starts = self._starts
        if not 0 <= vy < starts[-1]:
            return Strip.blank(width, self.visual_style.rich_style)
        i = bisect_right(starts, vy) - 1
        strips = self._line_strips(self._keys[i], width)
        strip = strips[vy - starts[i]] if vy - starts[i] < len(strips) else Strip([])
        return strip.crop_extend(scroll_x, scroll_x + width, None) if scroll_x else strip


def row_key(r: Row, indent: str = "  ") -> tuple[str, Row, str]:
    """The LinePane key of a row."""
    return ("row", r, indent)


def head_key(text: str, style: str) -> tuple[str, str, str]:
    """The LinePane key of a heading line."""
    return ("head", text, style)


class RowsPane(LinePane):
    """A LinePane of rows and headings (keys from ``row_key`` and ``head_key``)."""

    def make(self, key: LineKey) -> Content:
        """A row, a heading, or (an empty key) a blank line."""
        assert isinstance(key, tuple)
        if not key:
            return Content("")
        if key[0] == "row":
            return row_content(key[1], key[2])
        return Content.assemble((key[1], key[2]))

    def wrapped(self, key: LineKey, width: int) -> Content:
        """A row too long for the pane: broken after a space or a ``/`` (paths break between
        their parts), the continuation lines indented under the text."""
        c = self._content(key)
        if not (isinstance(key, tuple) and key and key[0] == "row") or c.cell_length <= width:
            return c
        from .view import wrap

        r, indent = key[1], key[2]
        lead = 2 + cell_len(indent * r.level)  # the mark gutter and the indentation
        lines = wrap(r.text, max(1, width - lead - 2), cell_len)
        style = MARK_STYLES.get(r.mark, "")
        first = row_content(replace(r, text=lines[0]), indent)
        rest = [Content.assemble((" " * (lead + 2), ""), (x, style)) for x in lines[1:]]
        return Content("\n").join([first, *rest])


class StackPane(RowsPane):
    """The call stack: in the wide layout as tall as the deepest stack so far."""

    STEADY = True

    def show(self, rows: list[Row], lang: str = "en") -> None:
        """Show the frames, the current (innermost) one in view: a stack deeper than the pane
        scrolls to its end."""
        self.set_lines(self._lines_of(rows), anchor=-1)
        set_border(self, say("pane.stack", lang), say("stack.depth", lang, depth=len(rows)))

    def warm_rows(self, rows: list[Row]) -> None:
        """Render the frames into the caches (``warm``), showing nothing; and the blank line
        the pane pads with when the next stack is shallower."""
        self.warm([*self._lines_of(rows), ()])

    @staticmethod
    def _lines_of(rows: list[Row]) -> list[LineKey]:
        return [row_key(r, " ") for r in rows]


class SourcePane(LinePane):
    """The current function's source (or, until the catalog has it, its anchor)."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(title, id=id)
        self._parts = (0, 0, 0)  # where the lines before, the current one and after start

    def make(self, key: LineKey) -> Content:
        """Lines are Content already (the keys carry their own text and styles)."""
        assert isinstance(key, tuple)
        return Content.assemble(*key)

    GUTTER = 8  # "▶  155  " or the indentation of an annotation

    def wrapped(self, key: LineKey, width: int) -> Content:
        """A code line or an annotation too long for the pane: its continuation lines start
        under its text, not under the line numbers."""
        c = self._content(key)
        lead = self.GUTTER
        if c.cell_length <= width or not (isinstance(key, tuple) and len(key) > 1) \
                or width <= lead + 12:
            return c
        lines = c[lead:].wrap(width - lead - 2)
        return Content("\n").join([c[:lead] + lines[0],
                                   *(Content(" " * (lead + 2)) + x for x in lines[1:])])

    @property
    def body(self) -> Content:
        """The symbol and the function's summary."""
        return self.content(0, self._parts[0])

    @property
    def before(self) -> Content:
        """The lines before the current one."""
        return self.content(self._parts[0], self._parts[1])

    @property
    def current(self) -> Content:
        """The current line and its annotation."""
        return self.content(self._parts[1], self._parts[2])

    @property
    def after(self) -> Content:
        """The lines after the current one."""
        return self.content(self._parts[2])

    @staticmethod
    def _line(n: int | None, text: str, note: str, from_catalog: bool) -> list[Styled]:
        gutter = f"{n:>5}" if n is not None else "     "
        out: list[Styled] = [((" ", ""), (f"{gutter}  ", "$text-muted"), (text, ""))]
        if note:
            out.append((("        ", ""), (note if not from_catalog else f"· {note}",
                                            "$text-muted")))
        return out

    def show(self, v: SourceView, lang: str = "en") -> None:
        """Show the function, the current line highlighted and kept in view."""
        keys, self._parts = self._lines_of(v, lang)
        self._subtitle(v, lang)
        self.set_lines(keys, anchor=self._parts[1])

    def warm_view(self, v: SourceView, lang: str = "en") -> None:
        """Render the lines of ``v`` into the caches (``warm``), showing nothing."""
        self.warm(self._lines_of(v, lang)[0])

    def _subtitle(self, v: SourceView, lang: str) -> None:
        if v.note:
            subtitle = v.note
        elif v.kind == "upstream":
            subtitle = say("source.sub_upstream", lang)
        else:
            subtitle = say("source.sub_rendition" if v.from_catalog else "source.sub_trace",
                           lang)
        set_border(self, v.title, subtitle)

    def _lines_of(self, v: SourceView, lang: str) -> tuple[list[LineKey], tuple[int, int, int]]:
        """The lines of ``v``, and where the lines before, the current one and after it
        start."""
        keys: list[LineKey] = [((v.symbol, "bold $text-accent"),)]
        if v.about:
            keys.append(((v.about, "italic $text-muted"),))
        head = len(keys)
        after: list[Styled] = []
        for i, (n, text, note) in enumerate(v.lines):
            if i < v.current or v.current < 0:
                keys += self._line(n, text, note, v.from_catalog)
            elif i > v.current:
                after += self._line(n, text, note, v.from_catalog)
        cur = len(keys)
        if v.current >= 0:
            n, text, _note = v.lines[v.current]
            gutter = f"{n:>5}" if n is not None else "     "
        else:
            gutter, text = f"{v.line:>5}", say("source.not_in_rendition", lang)
        keys.append((("▶", "bold $text-accent"), (f"{gutter}  {text}", "bold reverse")))
        if v.annotation:
            keys.append((("        ", ""), (f"↳ {v.annotation}", "bold $text-accent")))
        return keys + after, (head, cur, len(keys))


class WorldPane(RowsPane):
    """The simulated host."""

    def show(self, changed: list[Row], sections: list[Section], lang: str = "en") -> None:
        """Show what changed, then every section."""
        head = say("world.changed", lang, count=len(changed)) if changed else \
            say("world.unchanged", lang)
        keys: list[LineKey] = [head_key(head, "bold underline")]
        keys += [row_key(r) for r in changed]
        for s in sections:
            keys.append(())
            keys.append(head_key(s.title, "bold underline $text-primary"))
            keys += [row_key(r) for r in s.rows]
        self.set_lines(keys)
        set_border(self, subtitle=say("world.changes" if len(changed) != 1 else "world.change",
                                      lang, count=len(changed)))


class EventsPane(RowsPane):
    """``docker events`` and the daemon's log: in the wide layout as tall as the most it has
    held so far."""

    STEADY = True

    def show(self, events: list[Row], log: list[Row], expected: list[Row] | None = None,
             lang: str = "en") -> None:
        """Show the events, the log and (once a request's outcome is reached) what was
        expected and what happened, scrolled to the end."""
        heading = "bold underline $text-primary"
        keys: list[LineKey] = [head_key(say("events.events", lang), heading)]
        keys += [row_key(r) for r in events] if events else [
            head_key("  " + say("events.none", lang), "$text-muted")]
        keys += [(), head_key(say("events.log", lang), heading)]
        keys += [row_key(r) for r in log] if log else [
            head_key("  " + say("events.no_log", lang), "$text-muted")]
        if expected:
            keys += [(), head_key(say("events.expected", lang), heading)]
            keys += [row_key(r) if r.level else head_key("  " + r.text, "bold")
                     for r in expected]
        self.set_lines(keys, anchor=-1)
        set_border(self, subtitle=say("events.count", lang, events=len(events), log=len(log)))


class NarrationPane(Pane):
    """What happens at this step, and why: as tall as the longest narration so far (up to
    its max-height), so that the panes above it do not move from step to step."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(title, id=id)
        self._tallest = (0, 0)  # (the pane's width, the most rows its text has had at it)

    def show(self, stage: str, text: str, symbol: str, lang: str = "en") -> None:
        """Show the narration (``text`` already in the language ``lang``)."""
        set_border(self, say("narration.title", lang, stage=stage),
                   "" if lang == "en" else say("narration.lang", lang))
        content = Content.assemble((text, "bold"), ("\n", ""),
                                   (say("narration.in", lang, symbol=symbol), "$text-muted"))
        width, box = self.body.content_region.width, self.region.width
        if width:
            rows = content.get_height(self.body.styles.get_rules(), width)
            if box != self._tallest[0]:  # the pane's width: the text's changes with a scrollbar
                self._tallest = (box, 0)
            keep = min(self._tallest[1], self._room())
            if rows < keep:
                content += Content("\n" * (keep - rows))
            self._tallest = (box, max(self._tallest[1], rows))
        set_content(self.body, content)

    def _room(self) -> int:
        """The rows the text can have before the pane scrolls (the narration is as tall as
        what it holds, up to its max-height)."""
        rows = rows_within_max_height(self)
        return 1 << 30 if rows is None else rows

    def forget_height(self) -> None:
        """The next narration sets the height again (another scenario opened)."""
        self._tallest = (0, 0)


def ticked(text: str) -> Content:
    """``text`` with its `code spans` styled (scenario descriptions are written that way)."""
    parts = text.split("`")
    return Content.assemble(*[(part, "bold $text-accent" if i % 2 else "")
                              for i, part in enumerate(parts) if part])


class IntroCard(Container):
    """What the scenario teaches: its title, description and objectives, in the panes' place
    (the timeline above it already shows step 1). Any key or click closes it (``i`` shows it
    again); it says so with ``Closed``.

    A part of the main screen, not a screen of its own: a dialog screen would lay out and
    paint the screen beneath it first, then dim every cell of it, all before the first frame
    that shows anything of the scenario (on the default scenario that was a third of the
    time from the start to that frame)."""

    can_focus = True

    class Closed(Message):
        """The card was closed by a key or a click."""

    def compose(self) -> ComposeResult:
        """The card, empty until ``show``."""
        with Vertical(id="intro-box"), VerticalScroll(id="intro-scroll", can_focus=False):
            yield Static("", id="intro-description")
            yield Label("", id="intro-heading")
            yield Static("", id="intro-objectives")

    def show(self, title: str, description: str, objectives: Sequence[str],
             lang: str = "en") -> None:
        """Fill the card with a scenario's words in ``lang``."""
        box = self.query_one("#intro-box")
        box.border_title = title
        box.border_subtitle = say("intro.subtitle", lang)
        self.query_one("#intro-description", Static).update(
            ticked(description.strip()) if description else say("intro.none", lang))
        self.query_one("#intro-heading", Label).update(say("intro.objectives", lang))
        self.query_one("#intro-objectives", Static).update(Content("\n").join(
            Content.assemble(("• ", "bold $text-accent"), ticked(o)) for o in objectives))
        self.set_class(not objectives, "-no-objectives")
        self.query_one("#intro-scroll").scroll_home(animate=False)

    def on_key(self, event: events.Key) -> None:
        """Any key closes the card (and does nothing else)."""
        event.stop()
        event.prevent_default()
        self.post_message(self.Closed())

    def on_click(self, event: events.Click) -> None:
        """So does a click."""
        event.stop()
        self.post_message(self.Closed())


class PaneTab(Tab):
    """A pane's tab (the panes are tabs when the terminal is too small to show them all)."""

    def relabel(self, label: Content) -> None:
        """Show ``label``. One as wide as the label shown (``●``, "this step changed the
        pane", takes the place of two spaces) is only repainted: Tab's label setter always
        lays the whole screen out again, which at every step repainted every pane."""
        if label == self.label:
            return
        if label.cell_length != self.label.cell_length:
            self.label = label
            return
        self._label = label  # where Tab keeps its label (Textual 8.2.8)
        Static.update(self, label, layout=False)  # not Tab.update: the underline stays put


class KeyFooter(Widget, can_focus=False):
    """The keys of the screen's active bindings on one line, each key and its word, the
    command palette's key at the right (what Textual's Footer shows, and styled by its theme
    variables). One widget, drawn from the bindings in the first frame: Textual's Footer
    builds a widget per key only after the first frame has been painted (on bridge-port its 25
    keys came ~0.1 s after step 1), and builds them all again whenever the bindings might have
    changed. A click on a key presses it."""

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each shown key

    def on_mount(self) -> None:
        """Follow the screen's bindings."""
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Draw the keys again (a repaint of one line)."""
        if self.is_attached and screen is self.screen:
            self.refresh()

    def render(self) -> Content:
        """The keys that fit, and the palette's key at the right edge."""
        app, screen = self.app, self.screen
        palette_key = getattr(app, "COMMAND_PALETTE_BINDING", "")
        keys: dict[str, tuple[str, str, str, bool]] = {}  # action -> (key, shown as, word,
        palette: tuple[str, str, str, bool] | None = None  # enabled): an action's first key
        for key, (_node, b, enabled, _tip) in screen.active_bindings.items():
            item = (b.key, app.get_key_display(b), b.description, enabled)
            if key == palette_key and app.ENABLE_COMMAND_PALETTE:
                palette = item
            elif b.show:
                keys.setdefault(b.action, item)
        right = Content("")
        if palette is not None:
            right = Content.assemble(("▏", "$foreground 20%"), self._key(palette), (" ", ""))
        room = max(0, self.size.width - right.cell_length)
        spans: list[tuple[int, int, str]] = []
        parts: list[Content] = []
        x = 0
        for item in keys.values():
            if x >= room:
                break
            part = self._key(item).truncate(room - x)
            parts.append(part)
            spans.append((x, x + part.cell_length, item[0]))
            x += part.cell_length
        if palette is not None:
            spans.append((room + 1, room + right.cell_length - 1, palette[0]))
        self._spans = spans
        return Content("").join(parts).truncate(room, pad=True) + right

    @staticmethod
    def _key(item: tuple[str, str, str, bool]) -> Content:
        """`` key `` and ``word `` in the footer's key and description styles (dim when the
        key does nothing here)."""
        _key, shown, word, enabled = item
        dim = "" if enabled else " dim"
        return Content.assemble(
            (f" {shown} ", f"bold $footer-key-foreground on $footer-key-background{dim}"),
            (f"{word} " if word else "",
             f"$footer-description-foreground on $footer-description-background{dim}"))

    def on_click(self, event: events.Click) -> None:
        """Press the key clicked on."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key.split(",")[0])
                return
class Timeline(Static):
    """Step n of N, the phases, and the outcome once reached."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._last: tuple[TimelineView, str, str, str, str] | None = None

    def on_resize(self) -> None:
        """The title is cut to the width: cut it again."""
        if self._last is not None:
            self.show(*self._last)

    def show(self, t: TimelineView, playing: str, title: str = "", quiz: str = "",
             lang: str = "en") -> None:
        """Show the timeline; the scenario's title ends the first line, cut to fit; ``quiz``
        is the score while the quiz is on."""
        self._last = (t, playing, title, quiz, lang)
        head: list[tuple[str, str]] = [
            (say("timeline.step", lang, n=t.position + 1, total=t.total), "bold reverse"),
            (" ", ""), (f"t={t.time_ms / 1000:.3f}s  ", "$text-muted")]
        if t.requests > 1:
            head.append((say("timeline.request", lang, n=t.request + 1, total=t.requests),
                         "bold"))
        head.append((t.stage, "bold $text-accent"))
        if t.breakpoint_here:
            head.append((" ●", "bold $text-error"))
        if t.breakpoints:
            head.append((say("timeline.breakpoints", lang, count=t.breakpoints), "$text-muted"))
        if playing:
            head.append((f"   ▶ {playing}", "bold $text-success"))
        if quiz:
            head.append((f"   ? {quiz}", "bold $text-accent"))
        if t.fork:
            label = say("timeline.what_if" if t.on_fork else "timeline.original", lang)
            style = "bold $text-error" if t.on_fork else "$text-muted"
            head.append((f"   {label}: {t.fork}" if t.on_fork else f"   {label}", style))
        room = self.content_region.width - sum(cell_len(text) for text, _ in head) - 3
        if title and room >= 12:
            if cell_len(title) > room:
                title = title[:room - 1].rstrip() + "…"
                while cell_len(title) > room:
                    title = title[:-2] + "…"
            head.append(("   " + title, "italic $text-muted"))
        cells: list[tuple[str, str]] = []
        for i, c in enumerate(t.phases):
            if i:
                cells.append(("›", "$text-muted"))
            name = ("●" if c.breakpoint else "") + c.title
            style = {"current": "bold reverse", "done": "", "ahead": "$text-muted"}[c.state]
            cells.append((f" {name} " if c.state == "current" else name, style))
        lines = [Content.assemble(*head), Content.assemble(*cells)]
        # The timeline is at most TIMELINE_LINES high (app.tcss): further outcomes would not
        # show, and a run of many requests would wrap them all at every step.
        for status, o, failed in t.outcomes[:TIMELINE_LINES - 2]:
            style = ("bold $text-warning" if status == 0 else
                     "bold $text-success" if status < 400 else "bold $text-error")
            held = (say("timeline.held", lang), "bold $text-success") if not failed else (
                say("timeline.failed", lang, count=failed), "bold $text-error")
            lines.append(Content.assemble((say("timeline.outcome", lang), "bold"), (o, style),
                                          held))
        set_content(self, Content("\n").join(lines))
