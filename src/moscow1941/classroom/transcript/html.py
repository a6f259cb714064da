"""The transcript as one self-contained printable HTML page; its style sheet is `transcript.css`
in this package."""

from __future__ import annotations

import html
from importlib.resources import files

from moscow1941.classroom.text import one_line
from moscow1941.classroom.transcript.model import MARK_JUMP, Transcript
from moscow1941.classroom.transcript.sentences import (
    ending,
    jump_sentence,
    mark_sentence,
    result,
    when,
)
from moscow1941.i18n import _, is_rtl
from moscow1941.words import timeline_transcript

_CSS = (files(__package__) / "transcript.css").read_text("utf-8")
"""The page's style sheet, inlined in every page (package data): logical properties
(margin-inline-start, text-align: start), so a right-to-left page reads right."""
_CSS_V2 = (files(__package__) / "transcript-v2.css").read_text("utf-8")
"""The style sheet of formats 1 and 2 (left-to-right only), for `verify` to render them again."""


def _h(text: str) -> str:
    """Untrusted text as literal HTML, on one line."""
    return html.escape(one_line(text, 10_000), quote=True)


def html_page(t: Transcript, figures: tuple[str, str], legacy: bool = False,
              quote_once: bool = True) -> str:
    """The page in the current language, `<html lang>` (and `dir="rtl"` for a right-to-left
    language) saying which; `legacy`: formats 1 and 2's style sheet; `quote_once` False:
    formats 1 to 3's doubled quotation marks around a quoted choice (for `verify`)."""
    who = _h(t.player) if t.player else _("(no name given)")
    title = _("Transcript: {player}, {campaign}").format(player=who, campaign=_h(t.campaign_title))
    lang = _h(t.language)
    direction = ' dir="rtl"' if is_rtl(t.language) else ""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"{direction}>',
        "<head>",
        '<meta charset="utf-8">',
        # Nothing may be fetched or run, whatever a story or a player managed to write.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        "<style>", (_CSS_V2 if legacy else _CSS).rstrip("\n"), "</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_('Moscow 1941: transcript')}</h1>",
        '<dl class="facts">',
        f"<dt>{_('Player')}</dt><dd>{who}</dd>",
        f"<dt>{_('Campaign')}</dt><dd>{_h(t.campaign_title)}</dd>",
        f"<dt>{_('Story')}</dt><dd>"
        + _("{title} (version {version})").format(title=_h(t.story_title),
                                                  version=t.content_hash[:12]) + "</dd>",
        f"<dt>{_('Seed')}</dt><dd>{t.seed}</dd>",
        f"<dt>{_('Played')}</dt><dd>{when(t)}</dd>",
        f"<dt>{_('Result')}</dt><dd>{result(t, _h)}</dd>",
        f"<dt>{_('Choice divergence')}</dt><dd>{figures[0]}</dd>",
        f"<dt>{_('Outcome divergence')}</dt><dd>{figures[1]}</dd>",
        "</dl>",
        "</header>",
        "<main>",
        f"<h2>{_('The game, scene by scene')}</h2>",
    ]
    for s in t.scenes:
        out += ['<section class="scene">',
                f"<h3>{s.number}. {_h(s.title)}</h3>",
                f'<p class="when">{s.date.display()} · {_h(s.place)}</p>']
        if s.choice is not None:
            made = s.choice
            if made.mark == MARK_JUMP:
                out.append(f'<p class="choice jump">{jump_sentence(_h(made.text))}</p>')
            else:
                out.append('<p class="choice">'
                           + _("Your choice: {choice}").format(choice=_h(made.text)) + "</p>")
                out.append(f'<p class="mark {made.mark}">{mark_sentence(made, _h, quote_once=quote_once)}</p>')
        if s.answer:
            answer = "<br>".join(html.escape(line, quote=True) for line in s.answer.split("\n"))
            prompt = (_("Reflection, written before this choice: {prompt}")
                      if s.choice is not None else
                      _("Reflection, written here: {prompt}")).format(prompt=f"<em>{_h(s.prompt)}</em>")
            out += ['<div class="reflection">',
                    f'<p class="prompt">{prompt}</p>',
                    f'<p class="answer">{answer}</p>',
                    "</div>"]
        out.append("</section>")
    out += [f"<h2>{_('The ending')}</h2>", f"<p>{ending(t, _h)}</p>"]
    out += [f"<h2>{_('History beside this game')}</h2>", '<ul class="timeline">']
    for e in t.timeline:
        this_game = ("<br>" + _("This game: {text}").format(text=_h(e.this_game))
                     if e.status == "diverged" else "")
        out.append(f'<li class="{_h(e.status)}">'
                   + _("{date}, {title}: {status}.").format(
                       date=e.date.display(), title=f"<strong>{_h(e.title)}</strong>",
                       status=f'<span class="status">{timeline_transcript(e.status)}</span>')
                   + "<br>" + _("History: {text}").format(text=_h(e.happened))
                   + f"{this_game}</li>")
    out.append("</ul>")
    if t.debrief:
        out += [f"<h2>{_('Questions for discussion')}</h2>", '<ol class="debrief">']
        out += [f"<li>{_h(q)}</li>" for q in t.debrief]
        out.append("</ol>")
    out += ["</main>",
            '<p class="check">' + _("A teacher can check that this file is exactly what the "
                                    "game wrote:")
            + " <code>moscow1941 transcript --verify FILE</code>.</p>", ""]
    return "\n".join(out)
