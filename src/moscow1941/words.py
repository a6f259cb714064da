"""The game's own words: what each divergence figure means and the figures in a sentence, the
kinds of ending, the verdict on each decision, the status of each event of the record, and the
sentence for a decision no real actor faced. One home for them, so that the status panel, the
screens, plain mode, transcripts and the class report say the same thing, and a translation of
the game has one place to go.

UI-free: no Rich, no Textual, and nothing from the engine at run time (the types are imported
for checking only), so the engine itself can use these words. The faces add their own marks
(the screens' ✓ ✗ ◇ ·, Markdown escaping); the words are here.

Where two faces say one thing differently (the timeline screen's short column beside plain
mode's and the transcript's full words), each form is here under its own name, so the difference
is visible and deliberate. The transcript's words are part of its integrity contract: changing
one changes the bytes `classroom.transcript.verify` regenerates, so it needs the transcript's
FORMAT_VERSION bumped (`tests/classroom/test_transcript.py` pins them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moscow1941.engine.scene import Divergence, TimelineStatus, Verdict
    from moscow1941.story.model import EndingKind

CHOICES_MEANS = ("Choices: of the real decisions you have faced, the share (weighted by how much "
                 "each mattered) where you chose otherwise than the real actors did.")
"""What the choice divergence figure means, in one sentence."""

WORLD_MEANS = ("World: of the whole record of 1941–1945 (every event, weighted by how much it "
               "shaped the outcome), the share that has gone otherwise in your game so far; it "
               "only grows, and at an ending every event is judged.")
"""What the outcome (world) divergence figure means, in one sentence."""

NEVER_SAW = "a world history never saw"
"""Where a counterfactual scene happens: a decision there has no real one beside it."""

NO_REAL_ACTOR = "no real actor faced this choice"
"""Why a counterfactual decision has no verdict (the start of a sentence, lower case)."""

COUNTERFACTUAL_NOTE = "the note says what happened instead"
"""What the history note of a counterfactual decision holds."""


# ---- closed sets, each in words ------------------------------------------------------------------

ENDING_KINDS: Mapping[EndingKind, str] = {
    "historical": "History as it happened",
    "close": "Close to history",
    "diverged": "A different history",
    "personal": "A personal fate",
}
"""Each kind of ending, in words, as a heading (the ending screen and plain mode)."""

VERDICTS: Mapping[Verdict, str] = {
    "history": "as in history",
    "diverged": "you diverged",
    "counterfactual": f"no real decision here: {NEVER_SAW}",
}
"""A decision beside history, in words (the ending screen adds ✓ ✗ ◇; plain mode as it is)."""

COUNTERFACTUAL_SENTENCE = f"Counterfactual: {VERDICTS['counterfactual']}."
"""A counterfactual decision, as a sentence (transcripts and the class report)."""

TIMELINE_SHORT: Mapping[TimelineStatus, str] = {
    "history": "as in history",
    "diverged": "diverged",
    "ahead": "not yet",
}
"""Each event's status in this game, short: the timeline screen's column (it adds ✓ ✗ ·)."""

TIMELINE_PLAIN: Mapping[TimelineStatus, str] = {
    "history": "as in history",
    "diverged": "DIVERGED",
    "ahead": "not reached yet",
}
"""Each event's status in this game, in plain mode (capitals stand in for the screen's colour)."""

TIMELINE_TRANSCRIPT: Mapping[TimelineStatus, str] = {
    "history": "as in history",
    "diverged": "DIVERGED",
    "ahead": "not reached in this game",
}
"""Each event's status in this game, in a transcript (part of its integrity contract)."""

THIS_GAME: Mapping[TimelineStatus, str] = {
    "history": "As in history.",
    "diverged": "In this game it did not happen as in history.",
    "ahead": "Not reached yet in this game.",
}
"""What happened to an event in this game, when the story says nothing more (an event's own
`diverged` text replaces the diverged one)."""


def ending_kind(kind: str) -> str | None:
    """The heading for an ending's `kind`, or None for a kind the game does not know (a value
    read from an untrusted file)."""
    return _ENDING_WORDS.get(kind)


_ENDING_WORDS: Mapping[str, str] = {kind: heading for kind, heading in ENDING_KINDS.items()}


def in_sentence(heading: str) -> str:
    """A heading as the middle of a sentence: `A different history` -> `a different history`."""
    return heading[:1].lower() + heading[1:]


def capitalized(words: str) -> str:
    """Words as the start of a sentence: `no real actor …` -> `No real actor …`."""
    return words[:1].upper() + words[1:]


# ---- the figures -----------------------------------------------------------------------------------


def percent(share: float) -> str:
    """A share from 0 to 1 as a whole percentage, as the game shows it: `0.25` -> `25%`."""
    return f"{round(share * 100)}%"


def plural(n: int, one: str, many: str) -> str:
    """`1 event`, `2 events`."""
    return f"{n} {one if n == 1 else many}"


def decisions_counted(d: Divergence) -> str:
    """`2 of 8 real decisions differ`, with the decisions no real actor faced after it."""
    text = f"{d.divergent_decisions} of {plural(d.decisions, 'real decision', 'real decisions')} differ"
    if d.counterfactual_decisions:
        text += f"; {d.counterfactual_decisions} more in {NEVER_SAW}"
    return text


def events_counted(d: Divergence) -> str:
    """`3 of 44 events went otherwise` (the whole record, not only what is settled)."""
    total = d.events_total or d.events_settled
    return f"{d.events_diverged} of {plural(total, 'event', 'events')} went otherwise"


def choice_figure(d: Divergence) -> str:
    """The choice divergence in words: `25% (2 of 8 real decisions differ)`."""
    return f"{percent(d.choice)} ({decisions_counted(d)})"


def outcome_figure(d: Divergence) -> str:
    """The outcome divergence in words: `10% (4 of 44 events went otherwise)`."""
    return f"{percent(d.outcome)} ({events_counted(d)})"
