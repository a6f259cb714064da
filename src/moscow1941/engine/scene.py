"""What a face needs to draw one moment of the game: plain immutable values, no rules.

The values built at every step (`Scene`, `ChoiceView`, `StatusValue`, `Divergence`) are typed
`NamedTuple`s rather than frozen dataclasses: they are just as immutable, and construct several
times faster, which matters when a playtest makes tens of thousands of choices a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from moscow1941.story.dates import StoryDate
from moscow1941.story.expr import Value
from moscow1941.story.model import EndingKind, HistoryNote

TimelineStatus = Literal["history", "diverged", "ahead"]
"""An event of the record in this game: settled as in history, settled otherwise, or not yet
settled. Their words are `words.TIMELINE_*`."""

Verdict = Literal["history", "diverged", "counterfactual"]
"""A decision taken beside history: the real actors' choice, another one, or a decision no real
actor faced. Their words are `words.VERDICTS`."""


class ChoiceView(NamedTuple):
    """A choice as shown: `index` is what `Game.choose` takes back.

    `historical` is for the history note, author mode and the ending report; a face must not
    reveal it before the player has chosen.
    """

    # Deliberately shadows tuple.index: `choice.index` is what faces send back to `choose`.
    index: int  # type: ignore[assignment]
    text: str
    enabled: bool
    locked_reason: str | None
    historical: bool


class StatusValue(NamedTuple):
    """A variable the story shows in the status panel."""

    name: str
    label: str
    type: str
    value: Value
    min: int | None
    max: int | None


class Divergence(NamedTuple):
    """Both divergence figures, each from 0 (as in history) to 1 (nothing as in history).

    choice: of the real decisions taken so far, the weighted share where the player chose
    otherwise than the real actors. Decisions in counterfactual scenes, which no real actor
    faced, count in neither part (`counterfactual_decisions` says how many there were).
    outcome: of the whole record (every event of the story, by weight), the share that has
    gone otherwise in this game so far. Only settled events can have gone otherwise, so the
    figure never falls unless a choice is undone; at an ending every event is settled.
    """

    choice: float
    outcome: float
    decisions: int
    divergent_decisions: int
    events_settled: int
    events_diverged: int
    events_total: int = 0
    counterfactual_decisions: int = 0


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event of the record beside this game."""

    event_id: str
    date: StoryDate
    title: str
    happened: str
    status: TimelineStatus
    this_game: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """A decision the player took, beside what the real actors did."""

    node_id: str
    title: str
    date: StoryDate
    chosen: str
    historical: bool
    historical_choices: tuple[str, ...]
    note: str
    #: The scene exists only in a diverged world (its note is counterfactual): there is no real
    #: decision to set beside this one, and it counts in neither divergence figure.
    counterfactual: bool = False

    @property
    def verdict(self) -> Verdict:
        """This decision beside history, as one word of a closed set."""
        return "counterfactual" if self.counterfactual else "history" if self.historical else "diverged"


@dataclass(frozen=True, slots=True)
class ReflectionRecord:
    """A reflection the player wrote: the prompt, where, and the choice it came before."""

    step: int
    node_id: str
    title: str
    date: StoryDate
    prompt: str
    answer: str
    chosen: str


class EndingView(NamedTuple):
    """An ending as shown: `epilogue` is its paragraphs, rendered for this game."""

    title: str
    kind: EndingKind
    epilogue: tuple[str, ...]


class Scene(NamedTuple):
    """Everything needed to draw the current moment."""

    node_id: str
    chapter: str
    title: str
    date: StoryDate
    place: str
    paragraphs: tuple[str, ...]
    choices: tuple[ChoiceView, ...]
    status: tuple[StatusValue, ...]
    divergence: Divergence
    history: HistoryNote | None
    ending: EndingView | None
    is_decision: bool
    visits: int
    step: int
    #: The reflection prompt asked when the player chooses here ('' for none), and the answer
    #: already typed at this step ('' for none).
    reflect: str = ""
    reflection: str = ""

    @property
    def can_undo(self) -> bool:
        return self.step > 0
