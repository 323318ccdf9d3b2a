"""The command line: parse first, import the heavy parts only for the command that needs them.

Exit status: 0 when a scenario's expectations hold (or the command succeeded), 1 when they do
not, 2 on bad input — always with one clear line and never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import argparse


class UsageError(Exception):
    """A bad command line."""


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; a plugin's own arguments are declared only when ``command`` is that plugin
    (importing a plugin imports its package, which may be far from cheap)."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{self.prog}: {message} (see {self.prog.split()[0]} --help)")

    p = _Parser(prog="simstart", description="Step through how the Docker daemon (moby "
                "v17.05.0-ce) starts a container. With no command, opens the TUI on the "
                "default scenario (the TUI's options below work then too).")
    from . import __version__

    p.add_argument("--version", action="version", version=f"simstart {__version__}")
    _tui_options(p, "top_")
    sub = p.add_subparsers(dest="cmd", parser_class=_Parser)
    r = sub.add_parser("run", help="replay a scenario headless and print its trace")
    r.add_argument("scenario", help="a scenario file, or the name of a shipped one")
    r.add_argument("--json", action="store_true", help="JSON lines: one per step, then the "
                   "outcome")
    r.add_argument("--quiet", action="store_true", help="print only the outcome")
    r.add_argument("--lang", default="en", help="language of the narrations: en or zh")
    ls = sub.add_parser("list", help="the shipped scenarios with their titles")
    ls.add_argument("--lang", default="en", help="language of the titles: en or zh")
    t = sub.add_parser("tui", help="open the TUI on a scenario")
    t.add_argument("scenario", nargs="?", default=None,
                   help="a scenario file, or the name of a shipped one (default: bridge-port)")
    _tui_options(t, "")
    t.add_argument("--quiz", action="store_true",
                   help="quiz mode: the walk stops at each of the scenario's questions, you "
                   "predict, then see the answer and why; the score at the end (t toggles it)")
    t.add_argument("--listen", metavar="PATH", default=None,
                   help="also serve the scenario's world on this unix socket as dockerd v17.05 "
                   "(as simstart daemon does): each start request shows as it arrives")
    v = sub.add_parser("validate", help="check scenario files: every problem, one line each "
                       "(exit 0 valid, 1 invalid, 2 unreadable)")
    v.add_argument("files", nargs="+", help="scenario files, or names of shipped ones")
    sub.add_parser("schema", help="print the JSON Schema of scenario files")
    for name, (module, help_) in PLUGINS.items():
        sp = sub.add_parser(name, help=help_)
        if name == command:
            importlib.import_module(module).configure(sp)
    return p


# The TUI's options and the repository each checkout option is for.
SRC_OPTIONS: dict[str, str] = {"moby_src": "moby/moby", "containerd_src": "containerd/containerd",
                               "runc_src": "docker/runc"}


def _tui_options(p: argparse.ArgumentParser, prefix: str) -> None:
    """``--lang`` and the checkout options, on ``tui`` and (for ``simstart`` alone) on the
    top-level parser, where their destinations carry ``prefix``."""
    p.add_argument("--lang", dest=f"{prefix}lang", metavar="LANG", default=None,
                   help="the TUI's language: en (the default) or zh; l switches it")
    p.add_argument("--moby-src", dest=f"{prefix}moby_src", metavar="DIR", default=None,
                   help="a moby v17.05.0-ce checkout: u shows the real upstream function "
                   "(needs pip install 'simstart[source]')")
    p.add_argument("--containerd-src", dest=f"{prefix}containerd_src", metavar="DIR",
                   default=None, help="a containerd checkout, for its functions")
    p.add_argument("--runc-src", dest=f"{prefix}runc_src", metavar="DIR", default=None,
                   help="a runc checkout, for its functions")


# Commands that live with the layer they serve. Each module has ``configure(parser)`` (cheap:
# no heavy imports at module level) and ``run(args) -> int``.
PLUGINS: dict[str, tuple[str, str]] = {
    "sources": ("simstart.source.cli", "the annotated source catalog: list its anchors, or "
                "verify them against a moby checkout"),
    "coverage": ("simstart.graphs.cli_coverage", "which functions and branches of the start "
                 "path the scenarios reach, and which none can"),
    "daemon": ("simstart.server.cli", "serve a scenario's world on a unix socket as dockerd "
               "v17.05 does: the real docker CLI and docker-py drive it"),
    "graph": ("simstart.graphs.cli_graph", "export the call graph, a trace's state machine or "
              "the network topology as DOT or Mermaid"),
    "export": ("simstart.handout.cli", "a handout of one scenario, as Markdown or one "
               "self-contained HTML file"),
    "serve": ("simstart.web.cli", "serve the TUI in a web browser, a session per tab "
              "(needs the web extra)"),
}


def _fail(msg: str, code: int = 2) -> int:
    print(msg, file=sys.stderr)
    return code


def main(argv: list[str]) -> int:
    """Run the command line ``argv``; return the exit status."""
    if not argv:  # the main job: the TUI on the default scenario (nothing to parse)
        return _tui(None, lang=None, quiz=False, **dict.fromkeys(SRC_OPTIONS))
    try:
        command = next((a for a in argv if not a.startswith("-")), None)
        args = _parser(command).parse_args(argv)
    except UsageError as e:
        return _fail(str(e))
    except SystemExit as e:  # --help
        return int(e.code or 0)
    given = [o for o in ("lang", *SRC_OPTIONS) if getattr(args, f"top_{o}") is not None]
    if given and args.cmd not in (None, "tui"):
        flag = "--" + given[0].replace("_", "-")
        return _fail(f"simstart: {flag} before a command is for the TUI: put it after the "
                     f"command (see simstart {args.cmd} --help)")
    try:
        if args.cmd == "run":
            return _run(args.scenario, args.json, args.quiet, args.lang)
        if args.cmd == "list":
            return _list(args.lang)
        if args.cmd == "validate":
            return _validate(args.files)
        if args.cmd in PLUGINS:
            return int(importlib.import_module(PLUGINS[args.cmd][0]).run(args))
        if args.cmd == "schema":
            from .scenario import json_schema

            print(json.dumps(json_schema(), indent=2))
            return 0
        opts = {o: getattr(args, o, None) or getattr(args, f"top_{o}")
                for o in ("lang", *SRC_OPTIONS)}
        if getattr(args, "listen", None):
            return _tui_listen(getattr(args, "scenario", None), args.listen, **opts)
        return _tui(getattr(args, "scenario", None), quiz=getattr(args, "quiz", False),
                    **opts)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def _load(ref: str) -> Any:
    from .scenario import load
    from .scenario.library import resolve

    return load(resolve(ref), strict=True)  # exactly `simstart validate`'s checks


def _run(ref: str, as_json: bool, quiet: bool, lang: str = "en") -> int:
    import copy

    from .engine import record
    from .scenario import ScenarioError

    if lang != "en":
        # Importing simstart.source loads the whole annotated catalog (about a third of this
        # command's start-up): only a language other than the default needs it.
        from .source.model import UnknownLanguage, check_lang

        try:
            check_lang(lang)
        except UnknownLanguage as e:
            return _fail(f"simstart run: --lang: {e}")

    try:
        sc = _load(ref)
        run = record(sc)
    except ScenarioError as e:
        return _fail(str(e))
    out = sys.stdout
    trace: Any = run.trace
    if lang != "en":
        trace = [copy.copy(st) for st in run.trace]
        for st in trace:
            st.text = st.narration(lang)
    if as_json:
        for step in trace:
            out.write(json.dumps(step.as_dict(), ensure_ascii=False, sort_keys=False) + "\n")
        out.write(json.dumps({"scenario": Path(sc.file).name, "title": sc.text(lang).title,
                              "ok": run.ok,
                              "has_expectations": run.has_expectations,
                              "requests": [r.as_dict() for r in run.results],
                              "end": run.end.as_dict() if run.end is not None else None},
                             ensure_ascii=False) + "\n")
        return 0 if run.ok else 1
    from .engine.narration import run_text as t
    from .engine.run import http_request
    from .scenario.model import Expect

    if not quiet:
        from .render import format_step

        for step in trace:
            out.write(format_step(step, lang) + "\n")
    for r in run.results:
        o = r.outcome
        hr = http_request(r.spec)
        out.write(t("request", lang, index=r.index + 1, method=hr.method, target=hr.target,
                    status=o.status)
                  + (t("message", lang, message=o.message) if o.message else "") + "\n")
        if o.state is not None:
            out.write(t("state", lang, container=o.container, status=o.state["status"],
                        exit_code=o.state["exit_code"])
                      + (t("state_error", lang, error=o.state["error"]) if o.state["error"]
                         else "") + "\n")
        elif o.container is None:
            out.write(t("no_container", lang) + "\n")
        if o.events:
            out.write(t("events", lang, events=t("list_separator", lang).join(o.events)) + "\n")
        if r.failures:
            for f in r.failures:
                out.write(t("expectation_failed", lang, failure=f) + "\n")
        elif r.spec.expect == Expect():
            out.write(t("no_expectations", lang) + "\n")
        else:
            out.write(t("expectations_hold", lang) + "\n")
    end = run.end
    if end is not None:
        out.write(t("end", lang, seconds=f"{end.time_ms / 1000:g}") + "\n")
        for name, st in end.containers.items():
            if st is None:
                out.write(t("end_removed", lang, container=name) + "\n")
            else:
                out.write(t("end_state", lang, container=name, status=st["status"],
                            exit_code=st["exit_code"], restart_count=st["restart_count"]) + "\n")
        out.write(t("end_events", lang, count=len(end.events)) + "\n")
        if sc.expect_end is not None:
            for f in end.failures:
                out.write(t("expectation_failed", lang, failure=f) + "\n")
            if not end.failures:
                out.write(t("expectations_hold", lang) + "\n")
    if not run.has_expectations:
        out.write(t("scenario_no_expectations", lang) + "\n")
    return 0 if run.ok else 1


def _list(lang: str = "en") -> int:
    from .scenario import ScenarioError, load
    from .scenario.library import shipped
    from .source.model import UnknownLanguage, check_lang

    try:
        check_lang(lang)
    except UnknownLanguage as e:
        return _fail(f"simstart list: --lang: {e}")

    paths = shipped()
    width = max((len(p.stem) for p in paths), default=0)
    for p in paths:
        try:
            title = load(p).text(lang).title
        except ScenarioError as e:
            title = f"(invalid: {e.message})"
        print(f"{p.stem:{width}}  {title}")
    return 0


def _validate(files: list[str]) -> int:
    """Every problem of every file, one line each: 0 all valid, 1 invalid, 2 unreadable."""
    from .scenario.library import resolve
    from .scenario.loader import problems

    status = 0
    for f in files:
        found = problems(resolve(f), strict=True)
        if not found:
            found = _question_problems(resolve(f))
        for e in found:
            print(str(e), file=sys.stderr)
        if not found:
            print(f"{f}: valid")
        elif any(e.message.startswith(("cannot read", "is a directory")) for e in found):
            status = 2
        else:
            status = max(status, 1)
    return status


def _question_problems(path: Path) -> list[Any]:
    """What the trace finds wrong with a valid scenario's questions (a stage it never
    reaches…): only a scenario with questions is recorded."""
    from .scenario import load

    sc = load(path, strict=True)
    if not sc.questions:
        return []
    from .engine import record
    from .engine.quiz import problems

    return list(problems(record(sc)))


def _tui_setup(lang: str | None, sources: dict[str, str | None]) -> tuple[str, dict[str, Path]]:
    """The checked language and checkout roots (``owner/name`` → directory) for the TUI;
    ``UsageError`` with one line for an unknown language, a missing directory, or checkouts
    given without tree-sitter to read them."""
    lang = lang or "en"
    if lang != "en":  # importing simstart.source is not free: only another language needs it
        from .source.model import UnknownLanguage, check_lang

        try:
            check_lang(lang)
        except UnknownLanguage as e:
            raise UsageError(f"simstart tui: --lang: {e}") from None
    roots: dict[str, Path] = {}
    for opt, repo in SRC_OPTIONS.items():
        d = sources.get(opt)
        if d is None:
            continue
        flag = "--" + opt.replace("_", "-")
        if not roots:
            from .source.upstream import INSTALL_HINT, available

            if not available():
                raise UsageError(f"simstart tui: {flag}: {INSTALL_HINT}")
        path = Path(d).expanduser()
        if not path.is_dir():
            raise UsageError(f"simstart tui: {flag}: {d}: no such directory")
        roots[repo] = path
    # Without an option, the checkouts `simstart sources get` left in the cache directory
    # (when tree-sitter can read them: nobody asked, so nothing to complain about).
    from .source.fetch import cached_root

    cached = {repo: root for repo in SRC_OPTIONS.values()
              if repo not in roots and (root := cached_root(repo)) is not None}
    if cached:
        from .source.upstream import available

        if available():
            roots.update(cached)
    return lang, roots


def _tui_listen(ref: str | None, listen: str, lang: str | None = None,
                **sources: str | None) -> int:
    """The TUI with the server in it (``simstart tui SCENARIO --listen PATH``)."""
    from .scenario import ScenarioError
    from .scenario.library import DEFAULT

    try:
        lang, roots = _tui_setup(lang, sources)
        sc = _load(ref or DEFAULT)
    except UsageError as e:
        return _fail(str(e))
    except ScenarioError as e:
        return _fail(str(e))
    from .server.http import UnsafeSocketPath, check_socket_dir

    path = Path(listen).absolute()
    try:
        check_socket_dir(path)
    except UnsafeSocketPath as e:
        return _fail(f"simstart tui: --listen: {e}")
    from .tui.listen import ListenApp

    ListenApp(sc, path, lang=lang, roots=roots).run()
    path.unlink(missing_ok=True)
    return 0


def _tui(ref: str | None, lang: str | None = None, quiz: bool = False,
         **sources: str | None) -> int:
    """Open the TUI. A bad scenario gets its one located line and status 2 either way; in a
    terminal the app opens first on its error screen, where another scenario can be picked.
    A bad option (language, checkout) gets its one line and status 2 before anything opens."""
    from .scenario.library import DEFAULT

    # Nothing the start allocates is garbage for long (modules, the app, the recorded
    # scenario): the cyclic collector waits until the app has recorded it (settle_heap),
    # instead of walking it all a dozen times on the way (~60 ms of a 0.45 s start).
    gc.disable()
    try:
        lang, roots = _tui_setup(lang, sources)
    except UsageError as e:
        return _fail(str(e))

    ref = ref or DEFAULT
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # No terminal to show the error screen on: check the scenario before anything opens.
        from .scenario import ScenarioError

        try:
            _load(ref)
        except ScenarioError as e:
            return _fail(str(e))
        # Textual would wait for a terminal that never answers, writing escape codes; a
        # driver of its own (textual-serve's web driver: simstart serve) needs none.
        if not os.environ.get("TEXTUAL_DRIVER"):
            return _fail(f"simstart: the TUI needs a terminal (stdin and stdout); without "
                         f"one, replay the scenario with: simstart run {ref}")
    from .tui.app import SimstartApp

    # The app paints its layout first and loads the scenario right after: a bad one opens
    # the error screen, where another scenario can be picked.
    app = SimstartApp(ref, lang=lang, roots=roots, intro=True, quiz=quiz)
    app.run()
    if app.session is None and app.failure is not None:  # a bug is no bad input: not 2
        return _fail(app.failure.message, 1 if app.failure.bug else 2)
    return 0
