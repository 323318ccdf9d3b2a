"""Every user command, once, as data: the bindings, the footer, the command palette and the
help screen's key table are all made from ``COMMANDS`` (STYLE.md §3.5)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .words import say


@dataclass(frozen=True)
class Command:
    """One command: its binding id, keys and action. Its words (the footer's, and a sentence
    for help and the palette) are ``strings.json``'s ``cmd.<id>`` and ``cmd.<id>.help``."""

    id: str
    keys: str  # comma-separated Textual key names; the first is shown in the footer
    action: str
    show: bool = True
    display: str | None = None  # how the keys read in help, when not just the key names

    def footer(self, lang: str = "en") -> str:
        """The footer's word for it."""
        return say(f"cmd.{self.id}", lang)

    def help(self, lang: str = "en") -> str:
        """What it does, in a sentence."""
        return say(f"cmd.{self.id}.help", lang)


COMMANDS: tuple[Command, ...] = (
    Command("step-forward", "space,n,right", "step_forward", display="space  n  →"),
    Command("step-back", "p,left", "step_back", display="p  ←"),
    Command("next-phase", "N,right_square_bracket", "next_phase", display="N  ]"),
    Command("prev-phase", "P,left_square_bracket", "prev_phase", display="P  ["),
    Command("first-step", "home", "first"),
    Command("last-step", "end", "last"),
    Command("go-to-step", "g", "goto"),
    Command("toggle-breakpoint", "b", "toggle_breakpoint"),
    Command("breakpoints", "B", "breakpoints", display="B (shift+b)"),
    Command("run-to-breakpoint", "c", "run_to_breakpoint"),
    Command("autoplay", "a", "autoplay"),
    Command("faster", "plus,equals_sign", "faster", display="+  ="),
    Command("slower", "minus", "slower", display="-"),
    Command("what-if", "w", "what_if"),
    Command("switch-run", "x", "switch_run"),
    Command("save-what-if", "W", "save_what_if", show=False, display="W (shift+w)"),
    Command("reset", "r", "reset"),
    Command("open-scenario", "o", "open_scenario"),
    Command("intro", "i", "intro"),
    Command("quiz", "t", "toggle_quiz"),
    Command("high-contrast", "h", "high_contrast"),
    Command("language", "l", "toggle_lang"),
    Command("upstream-source", "u", "toggle_upstream"),
    Command("show-source", "1", "show_pane('source')", show=False),
    Command("show-stack", "2", "show_pane('stack')", show=False),
    Command("show-world", "3", "show_pane('world')", show=False),
    Command("show-events", "4", "show_pane('events')", show=False),
    Command("help", "question_mark,f1", "help", display="?  f1"),
    Command("quit", "q", "quit", display="q  ctrl+q"),
)


def bindings(lang: str = "en") -> list[Binding]:
    """The app's bindings in ``lang``, each with its id (so a keymap can remap it)."""
    return [Binding(c.keys, c.action, c.footer(lang), show=c.show, id=c.id,
                    tooltip=c.help(lang)) for c in COMMANDS]


def keys_shown(c: Command) -> str:
    """How ``c``'s keys read on screen (``N  ]``, not ``N,right_square_bracket``)."""
    return c.display or "  ".join(c.keys.split(","))


def key_table(lang: str = "en") -> str:
    """The keys as a Markdown table, for the help screen."""
    rows = [say("keys.head", lang), "|---|---|"]
    for c in COMMANDS:
        rows.append(f"| `{keys_shown(c)}` | {c.help(lang)} |")
    rows.append(f"| `escape` | {say('keys.escape', lang)} |")
    rows.append(f"| `ctrl+p` | {say('keys.palette', lang)} |")
    return "\n".join(rows)


class SimstartCommands(Provider):
    """Every command in the palette, in the app's language, searchable by its footer name
    and its sentence."""

    def _items(self) -> list[tuple[str, Command]]:
        lang = getattr(self.app, "lang", "en")
        return [(f"{c.footer(lang).strip('▸◂')}: {c.help(lang)}", c) for c in COMMANDS]

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
