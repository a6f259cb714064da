"""The immutable story: what the loader builds and the engine reads. Nothing here changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from moscow1941.story.dates import StoryDate
from moscow1941.story.expr import Assignment, Condition, Effect, Value


@dataclass(frozen=True, slots=True)
class Template:
    """Text with `{variable}` holes, split once at load into literal and variable parts."""

    source: str
    parts: tuple[str, ...]
    names: tuple[str | None, ...]
    #: A `str.format` pattern equivalent to parts+names, set when no hole shows a bool (bools
    #: read as yes/no, which format cannot do); rendering is then one C call.
    pattern: str = ""

    def render(self, variables: Mapping[str, Value]) -> str:
        if self.pattern:
            return self.pattern.format_map(variables)
        if len(self.names) < 2:
            return self.source
        out: list[str] = []
        for literal, name in zip(self.parts, self.names, strict=True):
            out.append(literal)
            if name is not None:
                value = variables[name]
                out.append(("yes" if value else "no") if isinstance(value, bool) else str(value))
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph, shown always (`condition` None) or only when its condition holds.

    `reads` names the variables the condition reads (for authoring tools)."""

    template: Template
    condition: Condition | None = None
    condition_source: str = ""
    reads: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Variable:
    """A declared variable; `path` and `line` say where it is declared."""

    name: str
    type: str
    default: Value
    min: int | None
    max: int | None
    label: str
    show: bool
    doc: str = ""
    line: int = 0
    path: str = ""
    #: The campaigns whose status panel shows it; empty means every campaign.
    campaigns: tuple[str, ...] = ()
    #: The column of its name (`line` is the name's line).
    col: int = 1


@dataclass(frozen=True, slots=True)
class Campaign:
    id: str
    title: str
    role: str
    blurb: str
    start: str
    #: Questions for a class discussion once the campaign is over.
    debrief: tuple[str, ...] = ()
    #: The file it is declared in (translations of its words go beside it).
    path: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event of the real record. `holds` is true while the player's world matches it."""

    id: str
    date: StoryDate
    title: str
    happened: str
    weight: float
    holds: Condition
    holds_source: str
    diverged: str
    sources: tuple[str, ...]
    reads: frozenset[str] = frozenset()
    line: int = 0
    path: str = ""
    #: The column of its id (`line` is the id's line).
    col: int = 1


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    id: str
    term: str
    kind: str
    dates: str
    text: str
    match: tuple[str, ...]
    #: The file it is declared in (translations of its words go beside it).
    path: str = ""
    #: Other names a search finds it by: in a translated story, its English name and forms,
    #: so `glossary gaimusho` works in every language.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryNote:
    date: StoryDate
    text: str
    sources: tuple[str, ...]
    #: The scene exists only in a diverged world: no real actor faced this choice.
    counterfactual: bool = False
    #: A question for a class discussion of this decision ('' when the author gave none).
    debrief: str = ""


EndingKind = Literal["historical", "close", "diverged", "personal"]
"""The kinds of ending a story may declare (`ending.kind`); their words are `words.ENDING_KINDS`."""


@dataclass(frozen=True, slots=True)
class Ending:
    """Makes a node an ending. The epilogue is passages, so earlier choices can colour it."""

    title: str
    kind: EndingKind
    passages: tuple[Passage, ...]


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a node. `reads` names the variables its condition reads; `assignments`
    describe its effects (both for authoring tools; the engine uses the compiled callables)."""

    index: int
    text: Template
    goto: str
    condition: Condition | None
    condition_source: str
    locked: str | None
    effects: tuple[Effect, ...]
    effects_source: str
    historical: bool
    note: str
    line: int
    reads: frozenset[str] = frozenset()
    assignments: tuple[Assignment, ...] = ()
    #: Where its `goto` is (line, column), for warnings about where it leads.
    goto_at: tuple[int, int] = (0, 0)
    #: The column where the choice starts (`line` is its line).
    col: int = 1


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    path: str
    line: int
    chapter: str
    date: StoryDate
    place: str
    title: str
    passages: tuple[Passage, ...]
    effects: tuple[Effect, ...]
    choices: tuple[Choice, ...]
    weight: float
    history: HistoryNote | None
    ending: Ending | None
    effects_source: str = ""
    assignments: tuple[Assignment, ...] = ()
    #: A reflection prompt asked when the player chooses here ('' for none).
    reflect: str = ""
    #: The column of its id (`line` is the id's line).
    col: int = 1

    #: A decision point: the node has a history note or marks a historical choice. Stored,
    #: not derived on each call: the engine asks at every step.
    is_decision: bool = False
    #: A decision measured against history: a decision whose note is not counterfactual.
    #: Only these count in choice divergence.
    is_measured: bool = False

    @property
    def all_passages(self) -> tuple[Passage, ...]:
        """The scene's text and, for an ending, its epilogue (for tools that read every text)."""
        return self.passages + self.ending.passages if self.ending is not None else self.passages


@dataclass(frozen=True, slots=True)
class Story:
    """A whole story, loaded and checked. `content_hash` identifies this exact text."""

    id: str
    title: str
    root: str
    content_hash: str
    campaigns: Mapping[str, Campaign]
    variables: Mapping[str, Variable]
    events: tuple[Event, ...]
    glossary: Mapping[str, GlossaryEntry]
    nodes: Mapping[str, Node]
    files: tuple[str, ...]
    #: The language its words are in: "en" as written, or a translation's code (see
    #: `story.translation`). A translation keeps the English story's `content_hash`, so saves
    #: and transcripts move between languages.
    language: str = "en"

    @property
    def event_weight(self) -> float:
        """The weight of the whole record: every event's weight, added up."""
        return sum(e.weight for e in self.events)

    def defaults(self) -> dict[str, Value]:
        """A fresh copy of every variable at its default."""
        return {name: var.default for name, var in self.variables.items()}


def frozen_map(items: dict[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(items))
