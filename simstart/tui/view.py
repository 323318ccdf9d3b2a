"""What each pane shows, as plain data: pure functions of the session, tested without Textual.

The panes (``panes.py``) only turn these rows into styled text. Nothing here imports Textual
or Rich, so the screen holds no logic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from ..world.journal import Node, path_of
from .words import say

if TYPE_CHECKING:  # types only: the app's first frame is painted before the engine is imported
    from ..engine.session import Session
    from ..engine.trace import Change, Step, Trace
    from ..world import World

HEX64 = re.compile(r"\b([0-9a-f]{12})[0-9a-f]{52}\b")



def phase_title(phase: str, lang: str = "en") -> str:
    """A phase's name (``OCI spec`` for ``spec``) in ``lang``: the quiz's words for it, so the
    timeline, the handout and the questions name a phase alike."""
    from ..engine.quiz import phase_title as title

    return title(phase, lang)

HTTP_REASONS = {204: "No Content", 304: "Not Modified", 400: "Bad Request", 404: "Not Found",
                409: "Conflict", 500: "Internal Server Error"}


def short(text: str) -> str:
    """``text`` with every 64-hex identifier cut to its first 12 digits and an ellipsis."""
    return HEX64.sub(r"\1…", text)


BREAK = re.compile(r"(?<=[ /])")  # a line may break after a space or after a slash


def wrap(text: str, width: int, measure: Callable[[str], int] = len) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken after a space or a ``/`` (a path
    breaks between its parts, never inside a name); a part longer than a whole line is cut.
    ``measure`` gives a string's width in cells (CJK characters take two)."""
    if width <= 0 or measure(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for part in BREAK.split(text):
        if not part:
            continue
        if line and measure(line + part.rstrip(" ")) > width:
            lines.append(line.rstrip(" "))
            line = ""
        while measure(part.rstrip(" ")) > width:  # a name longer than a line: cut it
            cut = width
            while cut > 1 and measure(part[:cut]) > width:
                cut -= 1
            lines.append(part[:cut])
            part = part[cut:]
        line += part
    if line.rstrip(" ") or not lines:
        lines.append(line.rstrip(" "))
    return lines


def tabs_changed(w: World, changes: Iterable[Change]) -> tuple[bool, bool]:
    """Whether this step changed what the World pane shows, and what the Events pane shows
    (for the tabs' marks when the panes are tabs)."""
    world = events = False
    streams = (path_of(w.events), path_of(w.log))
    for c in changes:
        if c.path.startswith(streams):
            events = True
        else:
            world = True
    return world, events


# -- what changed -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a pane; ``mark`` is ``+`` (added at this step), ``~`` (changed) or ``""``."""

    text: str
    mark: str = ""
    level: int = 0  # indentation, for continuation lines


@dataclass(frozen=True)
class Section:
    """A titled group of rows."""

    title: str
    rows: tuple[Row, ...]


INSERTED = "[+]"  # how the trace names an entry inserted into a list (``summarize``)


def inserted(lst: object, value: object) -> str:
    """The key of a change that inserted ``value`` into the journaled list ``lst``."""
    return f"{path_of(lst)}{INSERTED}={value}"


def change_keys(changes: Iterable[Change]) -> list[tuple[str, str]]:
    """Each change as ``(key, kind)``: list insertions are keyed by the inserted value
    (``inserted``)."""
    out = []
    for c in changes:
        kind = "+" if c.old is None else ("-" if c.new is None else "~")
        if c.path.endswith(INSERTED):
            out.append((f"{c.path}={c.new}", kind))
        else:
            out.append((c.path, kind))
    return out


def mark_of(keys: Iterable[str], changed: list[tuple[str, str]]) -> str:
    """The mark for a row standing for world places ``keys``: ``+`` if one of them was added
    at this step, ``~`` if something at or under one of them changed, else ``""``."""
    mark = ""
    for k in keys:
        for path, kind in changed:
            if path == k:
                if kind == "+":
                    return "+"
                mark = "~"
            elif path.startswith((k + ".", k + "[")):
                mark = "~"
    return mark


def entry_keys(table: Mapping[Any, Any], key: object) -> tuple[str, ...]:
    """The places a row for ``table[key]`` stands for: the entry itself (its insertion and
    removal name the key in full) and what the journal named the value stored there (its own
    changes: a long hex key by its first 12 digits, a container by its name)."""
    value = table[key]
    slot = path_of(table, key)
    return (slot, path_of(value)) if isinstance(value, Node) else (slot,)


# -- the world --------------------------------------------------------------------------------


def _yn(b: bool) -> str:
    return "true" if b else "false"


class RowMaker:
    """Makes the marked rows of one step, in one language: ``row(text, *world keys)``, with
    the words from ``strings.json`` (``row.say(key, **values)``)."""

    def __init__(self, changes: list[Change], lang: str = "en") -> None:
        self.changed = change_keys(changes)
        self.lang = lang

    def __call__(self, text: str, *keys: str, level: int = 0) -> Row:
        return Row(short(text), mark_of(keys, self.changed) if keys else "", level)

    def say(self, key: str, /, **values: Any) -> str:
        """The words ``world.<key>`` in this language, filled in."""
        return say(f"world.{key}", self.lang, **values)


def _containers_rows(w: World, row: RowMaker) -> list[Row]:
    """Containers and their State (the State's fields by their Go names)."""
    crows: list[Row] = []
    for c in w.containers.all():
        st = c.state
        crows.append(row(row.say("container", name=c.name, id=c.id[:12], image=c.config.image,
                                 status=st.status()), *entry_keys(w.containers.by_id, c.id)))
        crows.append(row(f"Running={_yn(st.running)} Paused={_yn(st.paused)} "
                         f"Restarting={_yn(st.restarting)} "
                         f"RemovalInProgress={_yn(st.removal_in_progress)} Dead={_yn(st.dead)}",
                         path_of(st), level=1))
        crows.append(row(f"Pid={st.pid} ExitCode={st.exit_code} Error={st.error!r}",
                         path_of(st), level=1))
        ns = c.network_settings
        if ns.sandbox_key or ns.ports:
            ports = ", ".join(f"{p}→{','.join(v)}" for p, v in sorted((ns.ports or {}).items()))
            crows.append(row(f"SandboxKey={ns.sandbox_key or '∅'}"
                             + (f" Ports={ports}" if ports else ""), path_of(ns), level=1))
        if c.base_fs:
            crows.append(row(f"BaseFS={c.base_fs}", path_of(c, "base_fs"), level=1))
    if not crows:
        crows.append(Row(row.say("no_containers")))
    return crows


def _mounts_rows(w: World, row: RowMaker) -> list[Row]:
    """Layers, overlay dirs, the mount table."""
    mrows: list[Row] = []
    lay = w.layers
    for mid, lowers in sorted(lay.overlay_dirs.items()):
        refs = lay.refcount.get(mid, 0)
        mrows.append(row(row.say("overlay", id=mid, lowers=len(lowers), refs=refs),
                         *entry_keys(lay.overlay_dirs, mid), path_of(lay.refcount, mid)))
    for target, m in sorted(w.mounts.table.items()):
        mrows.append(row(row.say("mount", fstype=f"{m.fstype:7}", source=m.source,
                                 target=target), *entry_keys(w.mounts.table, target)))
    if not mrows:
        mrows.append(Row(row.say("no_mounts")))
    return mrows


def _network_rows(w: World, row: RowMaker) -> list[Row]:
    """The network."""
    n = w.network
    nrows: list[Row] = []
    for name, net in sorted(n.networks.items()):
        if net.driver != "bridge":
            continue
        ips = ", ".join(sorted(net.ipam))
        nrows.append(row(row.say("network", name=name, bridge=net.bridge_iface or "-",
                                 subnet=net.subnet, gateway=net.gateway)
                         + (row.say("in_use", ips=ips) if ips else ""),
                         *entry_keys(n.networks, name)))
    for eid, ep in sorted(n.endpoints.items()):
        nrows.append(row(row.say("endpoint", name=ep.name, id=eid[:12], ip=ep.ip or "-",
                                 mac=ep.mac or "-"), *entry_keys(n.endpoints, eid)))
    for name, v in sorted(n.veths.items()):
        peer = (row.say("veth_peer_in", peer=v.peer, name=v.peer_name, netns=v.peer_netns)
                if v.peer_netns else row.say("veth_peer_host", peer=v.peer))
        nrows.append(row(row.say("veth", name=name, bridge=v.bridge, peer=peer),
                         *entry_keys(n.veths, name)))
    for sid, sb in sorted(n.sandboxes.items()):
        nrows.append(row(row.say("sandbox", id=sid[:12], key=sb.key,
                                 netns=sb.netns or row.say("not_yet")),
                         *entry_keys(n.sandboxes, sid)))
    for path, what in sorted(n.netns.items()):
        if path.endswith("/default"):
            continue
        nrows.append(row(row.say("netns", path=path, what=what), *entry_keys(n.netns, path)))
    for path, due in sorted(n.garbage_paths.items()):
        nrows.append(row(row.say("netns_garbage", path=path, due=due // 1000),
                         *entry_keys(n.garbage_paths, path)))
    for key, owner in sorted(n.ports.items()):
        nrows.append(row(row.say("port", key=key, owner=owner), *entry_keys(n.ports, key),
                         path_of(n.mappings, key)))
    for rule in n.iptables:
        nrows.append(row(row.say("iptables", rule=rule), inserted(n.iptables, rule)))
    for pid, p in sorted(n.proxies.items()):
        nrows.append(row(row.say("proxy", pid=pid, argv=p.argv), *entry_keys(n.proxies, pid)))
    for key, owner in sorted(n.host_listeners.items()):
        nrows.append(row(row.say("listening", key=key, owner=owner),
                         *entry_keys(n.host_listeners, key)))
    if not nrows:
        nrows.append(Row(row.say("no_networks")))
    return nrows


def _containerd_rows(w: World, row: RowMaker) -> list[Row]:
    """containerd's containers and processes."""
    crd = w.containerd
    drows: list[Row] = []
    for cid, cc in sorted(crd.containers.items()):
        drows.append(row(row.say("containerd", id=cid[:12], status=cc.status,
                                 runtime=cc.runtime, shim=cc.shim_pid or "-",
                                 init=cc.init_pid or "-"), *entry_keys(crd.containers, cid)))
    for pid, p in sorted(crd.processes.items()):
        if pid in (crd.dockerd_pid, crd.containerd_pid):
            continue
        drows.append(row(row.say("process", pid=pid, parent=p.parent, argv=p.argv),
                         *entry_keys(crd.processes, pid)))
    if not drows:
        drows.append(Row(row.say("no_containerd")))
    return drows


# (the words key of each section's title, what makes its rows)
SECTIONS: tuple[tuple[str, Callable[[World, RowMaker], list[Row]]], ...] = (
    ("containers", _containers_rows), ("mounts", _mounts_rows), ("network", _network_rows),
    ("containerd", _containerd_rows))

ALL_SECTIONS = frozenset(range(len(SECTIONS)))
ROOT = re.compile(r"[^\[.]*")  # the first part of a path: the collection (or kind) it starts at


def root_of(path: str) -> str:
    """``containers`` for ``containers[/web].state.pid``, ``overlay2`` for ``overlay2.refcount``."""
    m = ROOT.match(path)
    return m.group() if m else ""


def section_of_root(w: World) -> dict[str, int | None]:
    """Which section each place a change can start at feeds (``None``: no section shows it),
    keyed by ``root_of`` its path: the world's own collections, and the kinds of records a
    change can name before they are stored (a request's HostConfig). A change starting
    anywhere else (a new collection) rebuilds every section."""
    from ..world.containers import HostConfig
    from ..world.network import Endpoint, Network, Sandbox
    from ..world.volumes import MountPoint

    cs, lay, n, crd = w.containers, w.layers, w.network, w.containerd
    feeds: tuple[tuple[int | None, tuple[object, ...], tuple[type[Node], ...]], ...] = (
        (0, (cs.by_id,), ()),
        (1, (w.volumes, lay.overlay_dirs, lay.refcount, w.mounts.table), ()),
        (2, (n.networks, n.endpoints, n.endpoint_names, n.sandboxes, n.sandbox_by_container,
             n.veths, n.netns, n.garbage_paths, n.ports, n.mappings, n.iptables, n.proxies,
             n.host_listeners),
         (Network, Endpoint, Sandbox)),
        (3, (crd.containers, crd.processes), ()),
        (None, (cs.names, cs.link_names, cs.id_index.ids, lay.images, crd.libcontainerd,
                crd.exiting, w.files, w.events, w.log, w.locks), (HostConfig, MountPoint)),
    )
    table = {root_of(path_of(x)): i for i, places, _ in feeds for x in places}
    table.update((root_of(kind.label), i) for i, _, kinds in feeds for kind in kinds)
    return table


def sections_touched(changes: Iterable[Change], feeds: dict[str, int | None]
                     ) -> frozenset[int]:
    """The sections (indexes into ``SECTIONS``) whose rows ``changes`` can alter, marks
    included; every section for a change to a place ``feeds`` (``section_of_root``) does not
    know."""
    out: set[int] = set()
    for c in changes:
        root = root_of(c.path)
        if root not in feeds:
            return ALL_SECTIONS
        i = feeds[root]
        if i is not None:
            out.add(i)
    return frozenset(out)


def world_sections(w: World, changes: list[Change], only: Iterable[int] | None = None,
                   lang: str = "en") -> list[Section]:
    """The world at the current step, in four sections, each row marked if it changed, in
    ``lang``. With ``only``, just those sections (in order)."""
    row = RowMaker(changes, lang)
    out = []
    for i, (title, rows_of) in enumerate(SECTIONS):
        if only is None or i in only:
            out.append(Section(say(f"world.section.{title}", lang), tuple(rows_of(w, row))))
    return out


class WorldSections:
    """``world_sections`` for a trace being stepped through: after a move of one step only
    the sections that step's changes (and the previous step's marks) touch are rebuilt, so a
    step costs what it changed, not the size of the world. Any other move rebuilds all."""

    def __init__(self) -> None:
        self._trace: Trace | None = None
        self._position = -1
        self._sections: list[Section] = []
        self._feeds: dict[str, int | None] = {}
        self._lang = ""

    def __call__(self, trace: Trace, lang: str = "en") -> list[Section]:
        """The sections at ``trace``'s current step, in ``lang``."""
        pos = trace.position
        if trace is self._trace and pos == self._position and lang == self._lang:
            return self._sections
        if trace is self._trace and abs(pos - self._position) == 1 and self._sections \
                and lang == self._lang:
            dirty = sections_touched(trace.steps[self._position].changes, self._feeds) \
                | sections_touched(trace.steps[pos].changes, self._feeds)
        else:
            dirty = ALL_SECTIONS
            self._feeds = section_of_root(trace.world)
        fresh = iter(world_sections(trace.world, trace.steps[pos].changes, dirty, lang))
        self._sections = [next(fresh) if i in dirty else self._sections[i]
                          for i in range(len(SECTIONS))]
        self._trace, self._position, self._lang = trace, pos, lang
        return self._sections


def changed_rows(changes: list[Change]) -> list[Row]:
    """This step's changes, one row each (``+`` added, ``-`` removed, ``~`` changed)."""
    from ..render import format_change

    out = []
    for c in changes:
        line = format_change(c)
        out.append(Row(short(line[2:]), line[0]))
    return out


# -- events and the log -----------------------------------------------------------------------


def events_rows(w: World, changes: list[Change]) -> tuple[list[Row], list[Row]]:
    """``docker events`` so far and the daemon's log, the lines this step wrote marked ``+``."""
    events_key, log_key = path_of(w.events) + INSERTED, path_of(w.log) + INSERTED
    new_events = sum(1 for c in changes if c.path == events_key)
    new_log = sum(1 for c in changes if c.path == log_key)
    from ..world import EPOCH

    # each with the simulated time it was sent at, as `docker events` starts its lines
    events = [f"{(e.time // 1_000_000 - EPOCH * 1000) / 1000:7.3f}s {e.line()}"
              for e in w.events]
    logs = [f"level={x.level} msg={x.msg!r}" for x in w.log]
    ev = [Row(short(t), "+" if i >= len(events) - new_events else "")
          for i, t in enumerate(events)]
    lg = [Row(short(t), "+" if i >= len(logs) - new_log else "") for i, t in enumerate(logs)]
    return ev, lg


# -- expectations -----------------------------------------------------------------------------


def status_text(status: int, lang: str = "en") -> str:
    """``500 Internal Server Error`` (the reason phrase is HTTP's own, in both languages);
    status 0: no response at all."""
    if status == 0:
        return say("outcome.closed", lang)
    return f"{status} {HTTP_REASONS.get(status, '')}".rstrip()


def shown_value(key: str, value: object, lang: str = "en") -> str:
    """An expected or observed value as a reader wants it: a status with its reason (status
    0: no response at all), strings quoted, lists joined."""
    if key == "status" and isinstance(value, int):
        return status_text(value, lang)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, str):
        return repr(short(value))
    return str(value)


def expectation_rows(s: Session, lang: str = "en") -> list[Row]:
    """For each request whose outcome is reached: a heading, then each expectation the
    scenario states, marked ``✓`` held or ``✗`` not, with what was expected and what
    happened."""
    from ..engine.expectations import compare, compare_end

    many = len(s.run.results) > 1
    out: list[Row] = []
    for r in s.reached():
        items = compare(r.spec.expect, r.outcome)
        head = say("expect.request", lang, number=r.index + 1) if many else ""
        if not items:
            out.append(Row(head + say("expect.nothing", lang)))
            continue
        held = sum(1 for x in items if x.held)
        out.append(Row(head + say("expect.held", lang, held=held, total=len(items))))
        for x in items:
            if x.held:
                out.append(Row(f"{x.key}: {shown_value(x.key, x.happened, lang)}", "✓", 1))
            else:
                out.append(Row(say("expect.failed", lang, key=x.key,
                                   expected=shown_value(x.key, x.expected, lang),
                                   happened=shown_value(x.key, x.happened, lang)), "✗", 1))
    end, want = s.run.end, s.scenario.expect_end
    if end is not None and want is not None and s.position == len(s.trace) - 1:
        items = compare_end(want, end)
        held = sum(1 for x in items if x.held)
        out.append(Row(say("expect.end", lang, held=held, total=len(items))))
        for x in items:
            mark = "✓" if x.held else "✗"
            text = (f"{x.key}: {shown_value(x.key, x.happened, lang)}" if x.held else
                    say("expect.failed", lang, key=x.key,
                        expected=shown_value(x.key, x.expected, lang),
                        happened=shown_value(x.key, x.happened, lang)))
            out.append(Row(text, mark, 1))
    return out


# -- the scenario picker ----------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A shipped scenario as the picker lists it."""

    name: str
    path: str
    title: str
    topic: str = ""  # "" when it names none
    lesson: int | None = None


def picker_groups(entries: Iterable[Entry], query: str, topic_title: Callable[[str], str],
                  topics: tuple[str, ...]) -> list[tuple[str, list[Entry]]]:
    """The scenarios matching ``query`` (every word of it, in any case, found in the name,
    the title or the topic's title), grouped by topic in lesson order: ``topics`` first, in
    that order, each by lesson then name; those of no known topic last (topic ``""``).
    Empty groups are left out."""
    words = query.lower().split()
    groups: dict[str, list[Entry]] = {t: [] for t in (*topics, "")}
    for e in entries:
        topic = e.topic if e.topic in groups else ""
        text = f"{e.name} {e.title} {topic_title(topic) if topic else ''}".lower()
        if all(w in text for w in words):
            groups[topic].append(e)
    return [(t, sorted(g, key=lambda e: (e.lesson is None, e.lesson or 0, e.name)))
            for t, g in groups.items() if g]


# -- the call stack ---------------------------------------------------------------------------


def stack_rows(step: Step) -> list[Row]:
    """The moby symbols from the router down; the current (innermost) frame marked ``▶``."""
    last = len(step.stack) - 1
    return [Row(sym, "▶" if i == last else "") for i, sym in enumerate(step.stack)]


# -- the source -------------------------------------------------------------------------------

SourceLine = tuple[int | None, str, str]  # (upstream line or None for an elision, code, note)
SourceLookup = Callable[[str, int], list[SourceLine] | None]
Narrate = Callable[["Step"], str]  # a step -> its narration in the chosen language
About = Callable[[str], str]  # symbol -> the function's summary ("" when there is none)
RealLines = list[tuple[int, str]]  # (upstream line, text) of the real function


def _english(step: Step) -> str:
    return step.text


@dataclass(frozen=True)
class SourceView:
    """The source pane: its title, lines, which one is current and its annotation.

    ``kind`` says what the lines are: ``"rendition"`` (the catalog's annotated rendition),
    ``"upstream"`` (the real function, read from a checkout) or ``""`` (no rendition: the lines
    this call visits). ``note`` says why the upstream view was asked for and not given.
    """

    title: str
    symbol: str
    lines: tuple[SourceLine, ...]
    current: int  # index into lines (-1: the current line is not shown)
    line: int  # the upstream line of the step
    annotation: str
    from_catalog: bool
    about: str = ""
    kind: str = ""
    note: str = ""


def anchor_title(step: Step) -> str:
    """``file:start-end @ ref`` (with the repository when it is not moby)."""
    return _where(step, step.start, step.end)


def _where(step: Step, start: int, end: int) -> str:
    repo, _, ref = step.repo.partition("@")
    where = f"{step.file}:{start}-{end} @ {ref or 'v17.05.0-ce'}"
    return where if repo == "moby/moby" else f"{repo} {where}"


def current_index(lines: list[SourceLine], line: int) -> int:
    """The line to highlight for upstream ``line``: the last numbered line at or before it (a
    step inside an elided stretch lights the line that introduces it); -1 if none is."""
    best, best_no = -1, -1
    for i, (no, _text, _note) in enumerate(lines):
        if no is not None and best_no <= no <= line:
            best, best_no = i, no
    return best


def trace_lines(trace: Trace, position: int, narrate: Narrate = _english) -> list[SourceLine]:
    """Without the catalog: the lines of the current function that the trace visits during
    this call, each with its narration, in the order visited (a line visited twice once)."""
    cur = trace.steps[position]
    frame = cur.stack
    lo = position
    while lo > 0 and trace.steps[lo - 1].stack[: len(frame)] == frame:
        lo -= 1
    hi = position
    while hi + 1 < len(trace) and trace.steps[hi + 1].stack[: len(frame)] == frame:
        hi += 1
    seen: dict[int, SourceLine] = {}
    for s in trace.steps[lo:hi + 1]:
        if s.stack == frame and s.line not in seen:
            seen[s.line] = (s.line, s.stage, short(narrate(s)))
    return list(seen.values())


def source_view(trace: Trace, position: int, lookup: SourceLookup | None,
                narrate: Narrate = _english, about: About | None = None,
                lang: str = "en") -> SourceView:
    """The source pane for the current step: the catalog's annotated rendition when it has the
    function, else the anchor and the trace's own lines through it. ``narrate`` puts the
    trace's own text in the chosen language; ``about`` gives the function's summary."""
    step = trace.steps[position]
    lines: list[SourceLine] | None = None
    summary = ""
    if lookup is not None:
        lines = lookup(step.symbol, step.line)
        summary = about(step.symbol) if about is not None else ""
    if lines:
        i = current_index(lines, step.line)
        note = lines[i][2] if i >= 0 else ""
        return SourceView(say("source.rendition_title", lang, where=anchor_title(step)),
                          step.symbol, tuple(lines), i,
                          step.line, note, True, summary, "rendition")
    fallback = trace_lines(trace, position, narrate)
    i = next((k for k, (no, _t, _n) in enumerate(fallback) if no == step.line), -1)
    return SourceView(anchor_title(step), step.symbol, tuple(fallback), i, step.line,
                      short(narrate(step)), False, summary)


def upstream_view(base: SourceView, step: Step, real: RealLines | None, note: str = "",
                  narrate: Narrate = _english, lang: str = "en") -> SourceView:
    """The source pane showing the real function (``real``, from the user's checkout) instead
    of ``base``: the step's line highlighted (clamped into the function), each line carrying
    the rendition's annotation for it. Without ``real``, ``base`` with ``note`` saying why."""
    if not real:
        return replace(base, note=note or say("source.no_real", lang))
    notes = {no: text for no, _code, text in base.lines if no is not None and text} \
        if base.from_catalog else {}
    lines = tuple((no, text.expandtabs(4), notes.get(no, "")) for no, text in real)
    first, last = real[0][0], real[-1][0]
    i = max(0, min(len(real) - 1, step.line - first))  # the step's line, clamped
    annotation = notes.get(real[i][0], "") or short(narrate(step))
    lines = tuple((no, t, "" if k == i else n) for k, (no, t, n) in enumerate(lines))
    return SourceView(say("source.upstream_title", lang, where=_where(step, first, last)),
                      step.symbol, lines, i,
                      step.line, annotation, base.from_catalog, base.about, "upstream", note)


# -- the timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseCell:
    """One phase on the timeline."""

    name: str
    title: str
    state: str  # "done" | "current" | "ahead"
    breakpoint: bool


@dataclass(frozen=True)
class TimelineView:
    """Step n of N, the phases, the fork (if any) and the outcomes reached."""

    position: int
    total: int
    request: int
    requests: int
    stage: str
    phases: tuple[PhaseCell, ...]
    outcomes: tuple[tuple[int, str, int], ...]  # (HTTP status, one line, expectations failed)
    fork: str  # "" on the original run without a fork
    on_fork: bool
    breakpoints: int = 0  # how many are set
    breakpoint_here: bool = False  # the current stage id has one
    time_ms: int = 0  # the virtual clock at this step


def outcome_line(index: int, status: int, message: str | None, state: dict[str, Any] | None,
                 many: bool, lang: str = "en") -> str:
    """``request 1: 500 Internal Server Error — … · container created, exit code 128``."""
    text = say("outcome.request", lang, number=index + 1) if many else ""
    # status 0: the handler panicked, net/http closed the connection with no status line
    text += status_text(status, lang)
    if message:
        text += f" — {short(message)}"
    if state is not None:
        text += say("outcome.state", lang, status=state["status"], code=state["exit_code"])
    else:
        text += say("outcome.gone", lang)
    return text


_PHASES: WeakKeyDictionary[Trace, list[str]] = WeakKeyDictionary()


def _phases(s: Session) -> list[str]:
    """``s.phases()``, once per recorded trace (it scans every step; a trace never changes)."""
    order = _PHASES.get(s.trace)
    if order is None:
        order = _PHASES[s.trace] = s.phases()
    return order


_FIRST: WeakKeyDictionary[Trace, dict[str, int]] = WeakKeyDictionary()


def _first_steps(s: Session) -> dict[str, int]:
    """Phase → the index of its first step (cached per trace)."""
    first = _FIRST.get(s.trace)
    if first is None:
        first = {}
        for st in s.trace:
            first.setdefault(st.phase, st.index)
        _FIRST[s.trace] = first
    return first


def timeline_view(s: Session, lang: str = "en") -> TimelineView:
    """The timeline for the session's current step, in ``lang``."""
    step = s.step
    order = _phases(s)
    first = _first_steps(s)
    here = s.position
    # goroutines interleave, so a phase reached earlier is done even if it comes later in
    # the list (the event stream's steps run in the middle of the runtime phase)
    cells = tuple(PhaseCell(p, phase_title(p, lang),
                            "current" if p == step.phase else
                            ("done" if first.get(p, here + 1) <= here else "ahead"),
                            p in s.breakpoints)
                  for p in order)
    many = len(s.run.results) > 1
    outs = tuple((r.outcome.status, outcome_line(r.index, r.outcome.status, r.outcome.message,
                                                 r.outcome.state, many, lang), len(r.failures))
                 for r in s.reached())
    fork = s.fork.title if s.fork is not None else ""
    return TimelineView(s.position, len(s.trace), step.request, len(s.run.results),
                        step.stage, cells, outs, fork, s.on_fork, len(s.breakpoints),
                        step.stage in s.breakpoints, step.time_ms)
