"""A handout as one self-contained HTML file: inline CSS, no script, no network, prints clean."""

from __future__ import annotations

from html import escape

from .document import Handout, words

CSS = """
:root { --ink: #1b1b1b; --muted: #5b5b5b; --rule: #d0d0d0; --code: #f4f4f4;
        --ok: #1a7f37; --bad: #b42318; --warn: #9a6700; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
       sans-serif; color: var(--ink); max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem;
     margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
.meta, .where { color: var(--muted); font-size: .85rem; }
code { overflow-wrap: anywhere; }
.step { border-left: 3px solid var(--rule); padding: .2rem 0 .2rem .8rem; margin: .8rem 0;
        break-inside: avoid; }
.step p { margin: .2rem 0; }
pre { background: var(--code); padding: .4rem .6rem; overflow-x: auto; white-space: pre-wrap;
      font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; margin: .3rem 0; }
.note { color: var(--muted); font-style: italic; margin: .1rem 0 .3rem; }
.hold { color: var(--ok); } .fail { color: var(--bad); } .none, .closed { color: var(--warn); }
.world { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: .6rem; }
.world h4 { margin: .2rem 0; font-size: .95rem; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
ol.questions li { margin-bottom: .8rem; break-inside: avoid; }
.answer { color: var(--ok); }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  pre { white-space: pre-wrap; }
}
"""


def _inline(text: str) -> str:
    """Escaped text, with the `code spans` scenario authors write shown as code."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        return escape(text)
    return "".join(escape(p) if i % 2 == 0 else f"<code>{escape(p)}</code>"
                   for i, p in enumerate(parts))


def _p(text: str) -> str:
    return "".join(f"<p>{_inline(par.strip())}</p>" for par in text.split("\n\n") if par.strip())


def to_html(h: Handout, svg: str | None) -> str:
    """The whole handout; ``svg`` is the network picture (None: a note says why it is left out)."""
    w = words(h.lang)
    o: list[str] = [
        "<!DOCTYPE html>", f'<html lang="{"zh-Hans" if h.lang == "zh" else "en"}">', "<head>",
        '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, '
        'initial-scale=1">', f"<title>{escape(h.title)}</title>", f"<style>{CSS}</style>",
        "</head>", "<body>", f"<h1>{escape(h.title)}</h1>",
        f'<p class="meta">{escape(w["handout"])} · {escape(w["scenario"])} '
        f"<code>{escape(h.name)}</code> · {h.steps} {escape(w['steps_total'])}</p>",
        _p(h.description)]
    if h.objectives:
        o += [f"<h2>{escape(w['objectives'])}</h2>", "<ul>"]
        o += [f"<li>{_inline(x)}</li>" for x in h.objectives]
        o.append("</ul>")
    o += [f"<h2>{escape(w['world_before'])}</h2>", '<div class="world">']
    for part in h.world:
        o.append(f"<section><h4>{escape(part.title)}</h4>"
                 f"<pre>{escape(chr(10).join(part.rows) or '—')}</pre></section>")
    o += ["</div>", f"<h2>{escape(w['walk'])}</h2>", f'<p class="note">{escape(w["upstream_note"])}'
          "</p>"]
    many = len(h.outcomes) > 1
    for g in h.walk:
        head = f"{w['request']} {g.request} · " if many else ""
        o.append(f"<h3>{escape(head + g.title)}</h3>")
        for s in g.steps:
            o.append('<div class="step">')
            o.append(f'<p class="where"><strong>{escape(w["step"])} {s.number}'
                     f'{escape(w["step_suffix"])}</strong> · <code>{escape(s.stage)}</code> · '
                     f"<code>{escape(s.symbol)}</code> · <code>{escape(s.where)}</code></p>")
            o.append(f"<p>{_inline(s.narration)}</p>")
            if s.rendition is not None:
                code = f"{s.rendition.upstream or '':>4}  {s.rendition.text.strip()}"
                o.append(f"<pre>{escape(code)}</pre>")
                if s.rendition.note:
                    o.append(f'<p class="note">{escape(s.rendition.note)}</p>')
            if s.changes:
                o.append(f"<pre>{escape(chr(10).join(s.changes))}</pre>")
            o.append("</div>")
    o += [f"<h2>{escape(w['outcomes'])}</h2>", "<ul>"]
    for r in h.outcomes:
        line = w["connection_closed"] if r.connection_closed else r.line
        cls = "closed" if r.connection_closed else r.expectations
        o.append(f'<li><strong class="{cls}">{escape(line)}</strong> — '
                 f'<span class="{r.expectations}">{escape(w["expect_" + r.expectations])}</span>')
        if r.failures:
            o.append("<ul>" + "".join(f"<li>{escape(f)}</li>" for f in r.failures) + "</ul>")
        o.append("</li>")
    o += ["</ul>", f"<h2>{escape(w['topology'])}</h2>"]
    o.append(f"<figure>{svg}</figure>" if svg else f'<p class="note">{escape(w["no_graphviz"])}'
             "</p>")
    o.append(f"<h2>{escape(w['questions'])}</h2>")
    if not h.questions:
        o.append(f"<p>{escape(w['no_questions'])}</p>")
    else:
        o.append('<ol class="questions">')
        for q in h.questions:
            o.append(f"<li><p>({escape(w['step'])} {q.step}{escape(w['step_suffix'])}) "
                     f"{escape(q.prompt)}</p><ul>"
                     + "".join(f"<li>{escape(c)}</li>" for c in q.choices) + "</ul>")
            if q.answer is not None:
                o.append(f'<p class="answer"><strong>{escape(w["answer"])}:</strong> '
                         f"{escape(q.answer)}</p>")
                o += [f"<p>{escape(para)}</p>" for para in (q.explanation or "").split("\n")]
            o.append("</li>")
        o.append("</ol>")
    o += ["</body>", "</html>"]
    return "\n".join(o) + "\n"


__all__ = ["to_html"]
