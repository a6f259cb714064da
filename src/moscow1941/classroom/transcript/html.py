"""The transcript as one self-contained printable HTML page; its style sheet is `transcript.css`
in this package."""

from __future__ import annotations

import html
from importlib.resources import files

from moscow1941.classroom.text import one_line
from moscow1941.classroom.transcript.model import MARK_JUMP, Transcript
from moscow1941.classroom.transcript.sentences import (
    JUMP_SENTENCE,
    ending,
    mark_sentence,
    result,
    when,
)
from moscow1941.words import TIMELINE_TRANSCRIPT

_CSS = (files(__package__) / "transcript.css").read_text("utf-8")
"""The page's style sheet, inlined in every page (package data)."""


def _h(text: str) -> str:
    """Untrusted text as literal HTML, on one line."""
    return html.escape(one_line(text, 10_000), quote=True)


def html_page(t: Transcript, figures: tuple[str, str]) -> str:
    who = _h(t.player) if t.player else "(no name given)"
    title = f"Transcript: {who}, {_h(t.campaign_title)}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        # Nothing may be fetched or run, whatever a story or a player managed to write.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        "<style>", _CSS.rstrip("\n"), "</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>Moscow 1941: transcript</h1>",
        '<dl class="facts">',
        f"<dt>Player</dt><dd>{who}</dd>",
        f"<dt>Campaign</dt><dd>{_h(t.campaign_title)}</dd>",
        f"<dt>Story</dt><dd>{_h(t.story_title)} (version {t.content_hash[:12]})</dd>",
        f"<dt>Seed</dt><dd>{t.seed}</dd>",
        f"<dt>Played</dt><dd>{when(t)}</dd>",
        f"<dt>Result</dt><dd>{result(t, _h)}</dd>",
        f"<dt>Choice divergence</dt><dd>{figures[0]}</dd>",
        f"<dt>Outcome divergence</dt><dd>{figures[1]}</dd>",
        "</dl>",
        "</header>",
        "<main>",
        "<h2>The game, scene by scene</h2>",
    ]
    for s in t.scenes:
        out += ['<section class="scene">',
                f"<h3>{s.number}. {_h(s.title)}</h3>",
                f'<p class="when">{s.date.display()} · {_h(s.place)}</p>']
        if s.choice is not None:
            made = s.choice
            if made.mark == MARK_JUMP:
                out.append(f'<p class="choice jump">{JUMP_SENTENCE.format(_h(made.text))}</p>')
            else:
                out.append(f'<p class="choice">Your choice: {_h(made.text)}</p>')
                out.append(f'<p class="mark {made.mark}">{mark_sentence(made, _h)}</p>')
        if s.answer:
            label = "written before this choice" if s.choice is not None else "written here"
            answer = "<br>".join(html.escape(line, quote=True) for line in s.answer.split("\n"))
            out += ['<div class="reflection">',
                    f'<p class="prompt">Reflection, {label}: <em>{_h(s.prompt)}</em></p>',
                    f'<p class="answer">{answer}</p>',
                    "</div>"]
        out.append("</section>")
    out += ["<h2>The ending</h2>", f"<p>{ending(t, _h)}</p>"]
    out += ["<h2>History beside this game</h2>", '<ul class="timeline">']
    for e in t.timeline:
        this_game = f"<br>This game: {_h(e.this_game)}" if e.status == "diverged" else ""
        out.append(f'<li class="{_h(e.status)}">{e.date.display()}, <strong>{_h(e.title)}</strong>: '
                   f'<span class="status">{TIMELINE_TRANSCRIPT[e.status]}</span>.'
                   f"<br>History: {_h(e.happened)}{this_game}</li>")
    out.append("</ul>")
    if t.debrief:
        out += ["<h2>Questions for discussion</h2>", '<ol class="debrief">']
        out += [f"<li>{_h(q)}</li>" for q in t.debrief]
        out.append("</ol>")
    out += ["</main>",
            '<p class="check">A teacher can check that this file is exactly what the game wrote: '
            "<code>moscow1941 transcript --verify FILE</code>.</p>", ""]
    return "\n".join(out)
