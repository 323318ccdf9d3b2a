"""Every user command, once, as data: the bindings, the footer, the command palette and the
help screen's key table are all made from ``COMMANDS`` (STYLE.md §3.5)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class Command:
    """One command: its binding id, keys, action, footer text and a sentence for help."""

    id: str
    keys: str  # comma-separated Textual key names; the first is shown in the footer
    action: str
    footer: str
    help: str
    show: bool = True
    display: str | None = None  # how the keys read in help, when not just the key names


COMMANDS: tuple[Command, ...] = (
    Command("step-forward", "space,n,right", "step_forward", "Step", "Step forward one step.",
            display="space  n  →"),
    Command("step-back", "p,left", "step_back", "Back", "Step back one step (the world is restored "
            "exactly).", display="p  ←"),
    Command("next-phase", "N,right_square_bracket", "next_phase", "Phase▸",
            "Forward to the first step of the next phase, skipping inner steps.",
            display="N  ]"),
    Command("prev-phase", "P,left_square_bracket", "prev_phase", "◂Phase",
            "Back to the start of this phase (or the previous one).", display="P  ["),
    Command("first-step", "home", "first", "First", "Go to the first step."),
    Command("last-step", "end", "last", "Last", "Go to the last step."),
    Command("go-to-step", "g", "goto", "Go to", "Go to a step by number."),
    Command("toggle-breakpoint", "b", "toggle_breakpoint", "Break",
            "Toggle a breakpoint on the current step's stage id."),
    Command("breakpoints", "B", "breakpoints", "Breakpoints",
            "Choose breakpoints among all phases and stage ids.", display="B (shift+b)"),
    Command("run-to-breakpoint", "c", "run_to_breakpoint", "Continue",
            "Run to the next breakpoint (or to the end)."),
    Command("autoplay", "a", "autoplay", "Play", "Start or stop autoplay; it stops at a "
            "breakpoint and at the end."),
    Command("faster", "plus,equals_sign", "faster", "Faster", "Autoplay faster.",
            display="+  ="),
    Command("slower", "minus", "slower", "Slower", "Autoplay slower.", display="-"),
    Command("what-if", "w", "what_if", "What-if",
            "Inject an error at a fault site still ahead: the trace forks onto the error path."),
    Command("switch-run", "x", "switch_run", "Orig/fork",
            "Switch between the original run and the what-if fork."),
    Command("save-what-if", "W", "save_what_if", "Save what-if",
            "Save the what-if (its faults, sites and requests) as a new scenario file beside "
            "the original; nothing is overwritten.", show=False, display="W (shift+w)"),
    Command("reset", "r", "reset", "Reset", "Back to the first step of the original run."),
    Command("open-scenario", "o", "open_scenario", "Open", "Open another scenario."),
    Command("intro", "i", "intro", "About", "What this scenario teaches: its title, "
            "description and objectives (shown when it opens; any key closes it)."),
    Command("quiz", "t", "toggle_quiz", "Quiz", "Quiz on/off (test yourself): the walk stops "
            "at each of the scenario's questions, you choose, the answer and why are shown, "
            "and the score at the end (start with --quiz)."),
    Command("high-contrast", "h", "high_contrast", "Contrast",
            "Toggle the high-contrast theme (for projectors)."),
    Command("language", "l", "toggle_lang", "中/En",
            "Switch the narrations, annotations and summaries between English and Chinese "
            "(start in Chinese with --lang zh)."),
    Command("upstream-source", "u", "toggle_upstream", "Upstream",
            "Switch the source pane between the annotated rendition and the real upstream "
            "function, the current line mapped (after simstart sources get, or with "
            "--moby-src DIR)."),
    Command("show-source", "1", "show_pane('source')", "Source", "Show the source pane.",
            show=False),
    Command("show-stack", "2", "show_pane('stack')", "Stack", "Show the call stack.",
            show=False),
    Command("show-world", "3", "show_pane('world')", "World", "Show the world.", show=False),
    Command("show-events", "4", "show_pane('events')", "Events",
            "Show docker events and the daemon log.", show=False),
    Command("help", "question_mark,f1", "help", "Help", "Show this help.", display="?  f1"),
    Command("quit", "q", "quit", "Quit", "Quit (ctrl+q works too).", display="q  ctrl+q"),
)


def bindings() -> list[Binding]:
    """The app's bindings, each with its id (so a keymap can remap it)."""
    return [Binding(c.keys, c.action, c.footer, show=c.show, id=c.id, tooltip=c.help)
            for c in COMMANDS]


def keys_shown(c: Command) -> str:
    """How ``c``'s keys read on screen (``N  ]``, not ``N,right_square_bracket``)."""
    return c.display or "  ".join(c.keys.split(","))


def key_table() -> str:
    """The keys as a Markdown table, for the help screen."""
    rows = ["| Keys | Does |", "|---|---|"]
    for c in COMMANDS:
        keys = keys_shown(c)
        rows.append(f"| `{keys}` | {c.help} |")
    rows.append("| `escape` | Close a dialog. |")
    rows.append("| `ctrl+p` | The command palette: every command above, by name. |")
    return "\n".join(rows)


class SimstartCommands(Provider):
    """Every command in the palette, searchable by its footer name and its sentence."""

    def _items(self) -> list[tuple[str, Command]]:
        return [(f"{c.footer.strip('▸◂')}: {c.help}", c) for c in COMMANDS]

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for text, c in self._items():
            yield DiscoveryHit(text, partial(self.app.run_action, c.action), help=keys_shown(c))

    async def search(self, query: str) -> Hits:
        """The commands matching ``query``."""
        matcher = self.matcher(query)
        for text, c in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self.app.run_action, c.action),
                          help=keys_shown(c))
