"""The transcript as Markdown, readable as plain text (wrapped to `classroom.text.WIDTH`)."""

from __future__ import annotations

from moscow1941.classroom.text import md, wrap
from moscow1941.classroom.transcript.model import MARK_JUMP, Transcript
from moscow1941.classroom.transcript.sentences import (
    ending,
    jump_sentence,
    mark_sentence,
    result,
    when,
)
from moscow1941.i18n import _
from moscow1941.words import timeline_transcript


def markdown_page(t: Transcript, figures: tuple[str, str]) -> str:
    """The page in the current language (the words of the story are the story's own, in the
    language it was loaded in); right-to-left text stays in logical order."""
    out = ["# " + _("Moscow 1941: transcript"), ""]
    facts = [
        (_("Player"), md(t.player) if t.player else _("(no name given)")),
        (_("Campaign"), md(t.campaign_title)),
        (_("Story"), _("{title} (version {version})").format(title=md(t.story_title),
                                                             version=t.content_hash[:12])),
        (_("Seed"), str(t.seed)),
        (_("Played"), when(t)),
        (_("Result"), result(t, md)),
        (_("Choice divergence"), figures[0]),
        (_("Outcome divergence"), figures[1]),
    ]
    for label, value in facts:
        out += wrap(_("{label}: {value}").format(label=label, value=value), "- ", "  ")
    out += ["", "## " + _("The game, scene by scene"), ""]
    for s in t.scenes:
        out += [f"### {s.number}. {md(s.title)}", "", f"{s.date.display()} · {md(s.place)}", ""]
        if s.choice is not None:
            made = s.choice
            if made.mark == MARK_JUMP:
                out += wrap(jump_sentence(md(made.text)), "- ", "  ")
            else:
                out += wrap(_("Your choice: {choice}").format(choice=md(made.text)), "- ", "  ")
                out += wrap(mark_sentence(made, md), "- ", "  ")
            out.append("")
        if s.answer:
            out += wrap((_("Reflection, written before this choice: {prompt}")
                         if s.choice is not None else
                         _("Reflection, written here: {prompt}")).format(prompt=f"*{md(s.prompt)}*"))
            out.append("")
            for line in s.answer.split("\n"):
                out += wrap(md(line), "> ", "> ") if line else [">"]
            out.append("")
    out += ["## " + _("The ending"), ""]
    out += wrap(ending(t, md))
    out += ["", "## " + _("History beside this game"), ""]
    for e in t.timeline:
        out += wrap(_("{date}, {title}: {status}.").format(
            date=e.date.display(), title=md(e.title), status=timeline_transcript(e.status)),
            "- ", "  ")
        out += wrap(_("History: {text}").format(text=md(e.happened)), "  ")
        if e.status == "diverged":
            out += wrap(_("This game: {text}").format(text=md(e.this_game)), "  ")
    if t.debrief:
        out += ["", "## " + _("Questions for discussion"), ""]
        for n, question in enumerate(t.debrief, 1):
            out += wrap(md(question), f"{n}. ")
    out += ["", "---", "",
            _("A teacher can check that this file is exactly what the game wrote:"),
            "`moscow1941 transcript --verify FILE`.", "", ""]
    return "\n".join(out)
