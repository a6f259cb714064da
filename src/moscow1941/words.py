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

from moscow1941.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from moscow1941.engine.scene import Divergence, TimelineStatus, Verdict
    from moscow1941.story.model import EndingKind

# Translation: every constant here is English, marked with `N_`; show it with `_(words.X)`
# (the words of the current language). The mappings' values are marked too: `_(VERDICTS[v])`,
# or the functions `verdict`, `timeline_short`, `timeline_plain`, `timeline_transcript`,
# `this_game` and `ending_kind`, which translate.

CHOICES_MEANS = N_("Choices: of the real decisions you have faced, the share (weighted by how "
                   "much each mattered) where you chose otherwise than the real actors did.")
"""What the choice divergence figure means, in one sentence."""

WORLD_MEANS = N_("World: of the whole record of 1941–1945 (every event, weighted by how much it "
                 "shaped the outcome), the share that has gone otherwise in your game so far; it "
                 "only grows, and at an ending every event is judged.")
"""What the outcome (world) divergence figure means, in one sentence."""

# Translators: the end of "no real decision here: a world history never saw" (a scene that
# never happened in real history).
NEVER_SAW = N_("a world history never saw")
"""Where a counterfactual scene happens: a decision there has no real one beside it."""

# Translators: the start of a sentence, lower case (capitalised where it starts one).
NO_REAL_ACTOR = N_("no real actor faced this choice")
"""Why a counterfactual decision has no verdict (the start of a sentence, lower case)."""

COUNTERFACTUAL_NOTE = N_("the note says what happened instead")
"""What the history note of a counterfactual decision holds."""


# ---- closed sets, each in words ------------------------------------------------------------------

ENDING_KINDS: Mapping[EndingKind, str] = {
    "historical": N_("History as it happened"),
    "close": N_("Close to history"),
    "diverged": N_("A different history"),
    "personal": N_("A personal fate"),
}
"""Each kind of ending, in words, as a heading (the ending screen and plain mode); English:
show `_(ENDING_KINDS[k])` or `ending_kind(k)`."""

VERDICTS: Mapping[Verdict, str] = {
    # Translators: a decision's verdict, shown after it in parentheses.
    "history": N_("as in history"),
    "diverged": N_("you diverged"),
    "counterfactual": N_("no real decision here: a world history never saw"),
}
"""A decision beside history, in words (the ending screen adds ✓ ✗ ◇; plain mode as it is);
English: show `_(VERDICTS[v])` or `verdict(v)`."""

COUNTERFACTUAL_SENTENCE = N_("Counterfactual: no real decision here: a world history never saw.")
"""A counterfactual decision, as a sentence (transcripts and the class report); English."""

TIMELINE_SHORT: Mapping[TimelineStatus, str] = {
    # Translators: the timeline screen's narrow status column: keep it short (about 14 letters).
    "history": N_("as in history"),
    # Translators: the timeline screen's narrow status column: keep it short (about 14 letters).
    "diverged": N_("diverged"),
    # Translators: the timeline screen's narrow status column: keep it short (about 14 letters).
    "ahead": N_("not yet"),
}
"""Each event's status in this game, short: the timeline screen's column (it adds ✓ ✗ ·);
English: show `_(TIMELINE_SHORT[s])` or `timeline_short(s)`."""

TIMELINE_PLAIN: Mapping[TimelineStatus, str] = {
    "history": N_("as in history"),
    # Translators: in capitals, standing in for a colour in plain text.
    "diverged": N_("DIVERGED"),
    "ahead": N_("not reached yet"),
}
"""Each event's status in this game, in plain mode (capitals stand in for the screen's colour);
English: `timeline_plain(s)` translates."""

TIMELINE_TRANSCRIPT: Mapping[TimelineStatus, str] = {
    "history": N_("as in history"),
    "diverged": N_("DIVERGED"),
    "ahead": N_("not reached in this game"),
}
"""Each event's status in this game, in a transcript (part of its integrity contract);
English: `timeline_transcript(s)` translates."""

THIS_GAME: Mapping[TimelineStatus, str] = {
    "history": N_("As in history."),
    "diverged": N_("In this game it did not happen as in history."),
    "ahead": N_("Not reached yet in this game."),
}
"""What happened to an event in this game, when the story says nothing more (an event's own
`diverged` text replaces the diverged one); English: `this_game(s)` translates."""


GLOSSARY_KINDS: Mapping[str, str] = {
    # Translators: the kind of a glossary entry, shown in lower case under its name.
    "person": N_("person"), "place": N_("place"), "treaty": N_("treaty"), "term": N_("term"),
    "operation": N_("operation"), "organisation": N_("organisation"), "event": N_("event"),
}
"""Each kind of glossary entry (`spec.GLOSSARY_ENTRY`'s `kind`), in words, lower case."""


def glossary_kind(kind: str) -> str:
    """A glossary entry's kind in the current language (an unknown kind as it is)."""
    return _(GLOSSARY_KINDS[kind]) if kind in GLOSSARY_KINDS else kind


def verdict(v: str) -> str:
    """A decision's verdict in words, in the current language."""
    return _(VERDICTS[v])  # type: ignore[index]


def timeline_short(status: str) -> str:
    """`TIMELINE_SHORT[status]` in the current language."""
    return _(TIMELINE_SHORT[status])  # type: ignore[index]


def timeline_plain(status: str) -> str:
    """`TIMELINE_PLAIN[status]` in the current language."""
    return _(TIMELINE_PLAIN[status])  # type: ignore[index]


def timeline_transcript(status: str) -> str:
    """`TIMELINE_TRANSCRIPT[status]` in the current language."""
    return _(TIMELINE_TRANSCRIPT[status])  # type: ignore[index]


def this_game(status: str) -> str:
    """`THIS_GAME[status]` in the current language."""
    return _(THIS_GAME[status])  # type: ignore[index]


def ending_kind(kind: str) -> str | None:
    """The heading for an ending's `kind` in the current language, or None for a kind the game
    does not know (a value read from an untrusted file)."""
    heading = _ENDING_WORDS.get(kind)
    return _(heading) if heading is not None else None


def ending_kind_in_sentence(kind: str) -> str | None:
    """An ending's kind in the middle of a sentence, in the current language (`a different
    history`), or None for a kind the game does not know."""
    heading = _ENDING_WORDS.get(kind)
    if heading is None:
        return None
    # Translators: these are the ending kinds as the middle of a sentence ("Finished: ‘X’, a
    # different history."); in German, nouns keep their capital.
    return _(_IN_SENTENCE[kind])


_ENDING_WORDS: Mapping[str, str] = {kind: heading for kind, heading in ENDING_KINDS.items()}
_IN_SENTENCE: Mapping[str, str] = {
    "historical": N_("history as it happened"),
    "close": N_("close to history"),
    "diverged": N_("a different history"),
    "personal": N_("a personal fate"),
}


def in_sentence(heading: str) -> str:
    """A heading as the middle of a sentence: `A different history` -> `a different history`
    (English and languages that lower-case so; German keeps its nouns' capitals)."""
    from moscow1941 import i18n

    if i18n.language() == "de":
        return heading
    return heading[:1].lower() + heading[1:]


def capitalized(words: str) -> str:
    """Words as the start of a sentence: `no real actor …` -> `No real actor …`."""
    return words[:1].upper() + words[1:]


# ---- the figures -----------------------------------------------------------------------------------


def percent(share: float) -> str:
    """A share from 0 to 1 as a whole percentage, as the game shows it: `0.25` -> `25%` (`25 %`
    in German)."""
    from moscow1941 import i18n

    whole = round(share * 100)
    if i18n.language() == "en":
        return f"{whole}%"
    return i18n.format_percent(whole / 100)


def number(n: int) -> str:
    """A count as the current language writes it."""
    from moscow1941 import i18n

    return str(n) if i18n.language() == "en" else i18n.format_number(n)


def plural(n: int, one: str, many: str) -> str:
    """`1 event`, `2 events` (English words; translated sentences use `ngettext`)."""
    return f"{n} {one if n == 1 else many}"


def decisions_counted(d: Divergence) -> str:
    """`2 of 8 real decisions differ`, with the decisions no real actor faced after it."""
    # Translators: {differ} of {total}; the number {total} chooses the form.
    text = ngettext("{differ} of {total} real decision differs",
                    "{differ} of {total} real decisions differ",
                    d.decisions).format(differ=number(d.divergent_decisions),
                                        total=number(d.decisions))
    if d.counterfactual_decisions:
        text += ngettext("; {n} more in a world history never saw",
                         "; {n} more in a world history never saw",
                         d.counterfactual_decisions).format(n=number(d.counterfactual_decisions))
    return text


def events_counted(d: Divergence) -> str:
    """`3 of 44 events went otherwise` (the whole record, not only what is settled)."""
    total = d.events_total or d.events_settled
    return ngettext("{diverged} of {total} event went otherwise",
                    "{diverged} of {total} events went otherwise",
                    total).format(diverged=number(d.events_diverged), total=number(total))


def choice_figure(d: Divergence) -> str:
    """The choice divergence in words: `25% (2 of 8 real decisions differ)`."""
    return _("{percent} ({counted})").format(percent=percent(d.choice),
                                             counted=decisions_counted(d))


def outcome_figure(d: Divergence) -> str:
    """The outcome divergence in words: `10% (4 of 44 events went otherwise)`."""
    return _("{percent} ({counted})").format(percent=percent(d.outcome),
                                             counted=events_counted(d))


GLOSSARY_PLURALS: Mapping[str, str] = {
    "person": N_("People"), "place": N_("Places"), "treaty": N_("Treaties"),
    "organisation": N_("Organisations"), "organization": N_("Organizations"),
    "operation": N_("Operations"), "term": N_("Terms"), "event": N_("Events")}
"""Each kind of glossary entry, as a heading over its entries (show `glossary_heading(kind)`)."""


def glossary_heading(kind: str) -> str:
    """The heading over the glossary entries of `kind`, in the current language."""
    return _(GLOSSARY_PLURALS[kind]) if kind in GLOSSARY_PLURALS else kind.capitalize()
