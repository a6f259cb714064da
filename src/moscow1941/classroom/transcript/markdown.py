"""The transcript as Markdown, readable as plain text (wrapped to `classroom.text.WIDTH`)."""

from __future__ import annotations

from moscow1941.classroom.text import md, wrap
from moscow1941.classroom.transcript.model import MARK_JUMP, Transcript
from moscow1941.classroom.transcript.sentences import (
    JUMP_SENTENCE,
    ending,
    mark_sentence,
    result,
    when,
)
from moscow1941.words import TIMELINE_TRANSCRIPT


def markdown_page(t: Transcript, figures: tuple[str, str]) -> str:
    out = ["# Moscow 1941: transcript", ""]
    facts = [
        ("Player", md(t.player) if t.player else "(no name given)"),
        ("Campaign", md(t.campaign_title)),
        ("Story", f"{md(t.story_title)} (version {t.content_hash[:12]})"),
        ("Seed", str(t.seed)),
        ("Played", when(t)),
        ("Result", result(t, md)),
        ("Choice divergence", figures[0]),
        ("Outcome divergence", figures[1]),
    ]
    for label, value in facts:
        out += wrap(f"{label}: {value}", "- ", "  ")
    out += ["", "## The game, scene by scene", ""]
    for s in t.scenes:
        out += [f"### {s.number}. {md(s.title)}", "", f"{s.date.display()} · {md(s.place)}", ""]
        if s.choice is not None:
            made = s.choice
            if made.mark == MARK_JUMP:
                out += wrap(JUMP_SENTENCE.format(md(made.text)), "- ", "  ")
            else:
                out += wrap(f"Your choice: {md(made.text)}", "- ", "  ")
                out += wrap(mark_sentence(made, md), "- ", "  ")
            out.append("")
        if s.answer:
            label = "written before this choice" if s.choice is not None else "written here"
            out += wrap(f"Reflection, {label}: *{md(s.prompt)}*")
            out.append("")
            for line in s.answer.split("\n"):
                out += wrap(md(line), "> ", "> ") if line else [">"]
            out.append("")
    out += ["## The ending", ""]
    out += wrap(ending(t, md))
    out += ["", "## History beside this game", ""]
    for e in t.timeline:
        out += wrap(f"{e.date.display()}, {md(e.title)}: {TIMELINE_TRANSCRIPT[e.status]}.", "- ", "  ")
        out += wrap(f"History: {md(e.happened)}", "  ")
        if e.status == "diverged":
            out += wrap(f"This game: {md(e.this_game)}", "  ")
    if t.debrief:
        out += ["", "## Questions for discussion", ""]
        for n, question in enumerate(t.debrief, 1):
            out += wrap(md(question), f"{n}. ")
    out += ["", "---", "",
            "A teacher can check that this file is exactly what the game wrote:",
            "`moscow1941 transcript --verify FILE`.", "", ""]
    return "\n".join(out)
