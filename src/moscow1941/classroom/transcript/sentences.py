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
from moscow1941.i18n import N_, _, pgettext
from moscow1941.words import COUNTERFACTUAL_SENTENCE


def when(t: Transcript) -> str:
    # Translators: when a game was played; the times are written as 2026-11-23 09:58.
    return _("{start} UTC to {end} UTC").format(start=f"{t.started:%Y-%m-%d %H:%M}",
                                                 end=f"{t.last_played:%Y-%m-%d %H:%M}")


def result(t: Transcript, esc: Callable[[str], str]) -> str:
    """The ending reached or where the game stopped, in one sentence (`esc` escapes story text
    for the target format)."""
    if t.ending is not None:
        # Translators: {kind} is an ending's kind in the middle of a sentence ("a different
        # history").
        return _("Finished: ‘{title}’, {kind}.").format(title=esc(t.ending[0]),
                                                        kind=ending_kind(t.ending[1]))
    last = t.scenes[-1]
    return _("Not finished, at ‘{title}’ ({date}).").format(title=esc(last.title),
                                                            date=last.date.display())


def ending(t: Transcript, esc: Callable[[str], str]) -> str:
    """The paragraph under 'The ending'."""
    if t.ending is not None:
        return _("‘{title}’: {kind}.").format(title=esc(t.ending[0]), kind=ending_kind(t.ending[1]))
    last = t.scenes[-1]
    return _("Not finished: the game stopped at ‘{title}’ ({date}).").format(
        title=esc(last.title), date=last.date.display())


JUMP_SENTENCE = N_("Author jump to ‘{}’ (author mode: not a choice, counted in neither divergence "
                   "figure).")
"""English: `jump_sentence` translates it."""


def jump_sentence(target: str) -> str:
    """An author-mode jump to `target` (already escaped), as a sentence."""
    return _(JUMP_SENTENCE).format(target)


MARK_SENTENCES: Mapping[Mark, str] = {
    MARK_HISTORY: N_("As in history: the real actors made the same choice."),
    MARK_COUNTERFACTUAL: COUNTERFACTUAL_SENTENCE,
    MARK_ORDINARY: N_("An ordinary choice, not a historical decision."),
}
"""English: `mark_sentence` translates them."""


def mark_sentence(made: ChoiceMade, esc: Callable[[str], str], quote_once: bool = True) -> str:
    """The sentence that marks a choice, its text escaped with `esc`. A choice that is itself
    a quotation is quoted once: its quotation mark is looked for before escaping, which in HTML
    turns it into an entity (`quote_once` False: as formats 1 to 3 did, twice)."""
    if made.mark == MARK_DIVERGED:
        if not made.history:
            return _("Diverged: none of the choices here is the one the real actors made.")
        # Translators: joins the real actors' choices: “A” or “B”.
        chosen = pgettext("alternatives", " or ").join(
            esc(quoted(h)) if quote_once else quoted(esc(h)) for h in made.history)
        return end_sentence(_("Diverged: the real actors chose {choices}").format(choices=chosen))
    return _(MARK_SENTENCES[made.mark])
