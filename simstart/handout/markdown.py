"""A handout as Markdown that renders on GitHub."""

from __future__ import annotations

from .document import Handout, words


def _fence(text: str, lang: str = "") -> str:
    ticks = "````" if "```" in text else "```"
    return f"{ticks}{lang}\n{text}\n{ticks}"


def _esc(text: str) -> str:
    """Inline text with Markdown's own characters made literal, outside `code spans` (which
    scenario authors write on purpose and which Markdown already shows literally)."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        parts = [text.replace("`", "\\`")]
    for i in range(0, len(parts), 2):
        for ch in "\\*_[]<>|":
            parts[i] = parts[i].replace(ch, "\\" + ch)
    return "`".join(parts)


def to_markdown(h: Handout) -> str:
    """The whole handout."""
    w = words(h.lang)
    out = [f"# {_esc(h.title)}", "", f"*{w['handout']} · {w['scenario']} `{h.name}` · "
           f"{h.steps} {w['steps_total']}*", "", _esc(h.description.strip()), ""]
    if h.objectives:
        out += [f"## {w['objectives']}", ""] + [f"- {_esc(o)}" for o in h.objectives] + [""]
    out += [f"## {w['world_before']}", ""]
    for part in h.world:
        out += [f"**{_esc(part.title)}**", "", _fence("\n".join(part.rows) or "—"), ""]
    out += [f"## {w['walk']}", "", f"> {_esc(w['upstream_note'])}", ""]
    many = len(h.outcomes) > 1
    for g in h.walk:
        head = f"{w['request']} {g.request} · " if many else ""
        out += [f"### {head}{_esc(g.title)}", ""]
        for s in g.steps:
            out.append(f"**{w['step']} {s.number}{w['step_suffix']}** · `{s.stage}` · "
                       f"`{s.symbol}` · `{s.where}`")
            out += ["", _esc(s.narration), ""]
            if s.rendition is not None:
                code = f"{s.rendition.upstream or '':>4}  {s.rendition.text.strip()}"
                out += [_fence(code, "text")]
                if s.rendition.note:
                    out += ["", f"> {_esc(s.rendition.note)}"]
                out.append("")
            if s.changes:
                out += [_fence("\n".join(s.changes), "diff"), ""]
    out += [f"## {w['outcomes']}", ""]
    for o in h.outcomes:
        line = w["connection_closed"] if o.connection_closed else o.line
        verdict = w[f"expect_{o.expectations}"]
        out.append(f"- **{_esc(line)}** — {verdict}")
        out += [f"  - {_esc(f)}" for f in o.failures]
    out.append("")
    out += [f"## {w['questions']}", ""]
    if not h.questions:
        out += [w["no_questions"], ""]
    for i, q in enumerate(h.questions, 1):
        out += [f"{i}. ({w['step']} {q.step}{w['step_suffix']}) {_esc(q.prompt)}", ""]
        out += [f"   - {_esc(c)}" for c in q.choices]
        if q.answer is not None:
            out += ["", f"   **{w['answer']}:** {_esc(q.answer)}"]
            for para in (q.explanation or "").split("\n"):
                out += ["", f"   {_esc(para)}"]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


__all__ = ["to_markdown"]
