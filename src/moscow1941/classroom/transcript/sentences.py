"""The sentences both pages of a transcript say: when it was played, the result, the ending,
and the mark of each choice (`esc` escapes story text for the page). Part of the integrity
contract: changing one is a new transcript format (see `integrity`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from moscow1941.classroom.text import end_sentence, ending_kind, quoted
from moscow1941.classroom.transcript.model import (
    MARK_COUNTERFACTUAL,
    MARK_DIVERGED,
    MARK_HISTORY,
    MARK_ORDINARY,
    ChoiceMade,
    Mark,
    Transcript,
)
from moscow1941.words import COUNTERFACTUAL_SENTENCE


def when(t: Transcript) -> str:
    return f"{t.started:%Y-%m-%d %H:%M} UTC to {t.last_played:%Y-%m-%d %H:%M} UTC"


def result(t: Transcript, esc: Callable[[str], str]) -> str:
    """The ending reached or where the game stopped, in one sentence (`esc` escapes story text
    for the target format)."""
    if t.ending is not None:
        return f"Finished: ‘{esc(t.ending[0])}’, {ending_kind(t.ending[1])}."
    last = t.scenes[-1]
    return f"Not finished, at ‘{esc(last.title)}’ ({last.date.display()})."


def ending(t: Transcript, esc: Callable[[str], str]) -> str:
    """The paragraph under 'The ending'."""
    if t.ending is not None:
        return f"‘{esc(t.ending[0])}’: {ending_kind(t.ending[1])}."
    last = t.scenes[-1]
    return f"Not finished: the game stopped at ‘{esc(last.title)}’ ({last.date.display()})."


JUMP_SENTENCE = "Author jump to ‘{}’ (author mode: not a choice, counted in neither divergence figure)."


MARK_SENTENCES: Mapping[Mark, str] = {
    MARK_HISTORY: "As in history: the real actors made the same choice.",
    MARK_COUNTERFACTUAL: COUNTERFACTUAL_SENTENCE,
    MARK_ORDINARY: "An ordinary choice, not a historical decision.",
}


def mark_sentence(made: ChoiceMade, esc: Callable[[str], str]) -> str:
    """The sentence that marks a choice."""
    if made.mark == MARK_DIVERGED:
        if not made.history:
            return "Diverged: none of the choices here is the one the real actors made."
        chosen = " or ".join(quoted(esc(h)) for h in made.history)
        return end_sentence(f"Diverged: the real actors chose {chosen}")
    return MARK_SENTENCES[made.mark]
