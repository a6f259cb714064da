"""The one definition of the story format.

Every object of the format is declared here once, with its fields, their types and a line of
documentation. The loader checks keys and value shapes against these declarations, `schema.py`
derives the JSON Schema for editors from them, and `docs/story-format.md` follows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import get_args

from moscow1941.story.model import EndingKind


@dataclass(frozen=True, slots=True)
class Scalar:
    """A single YAML value. `kind` is one of: str, text, int, number, bool, date, id,
    condition, effects, enum."""

    kind: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ListOf:
    item: Spec


@dataclass(frozen=True, slots=True)
class MapOf:
    """A mapping from identifiers (`[A-Za-z_][A-Za-z0-9_]*`) to values of one type."""

    value: Spec


@dataclass(frozen=True, slots=True)
class Field:
    type: Spec
    doc: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class Obj:
    name: str
    doc: str
    fields: dict[str, Field] = field(default_factory=dict)



@dataclass(frozen=True, slots=True)
class Passages:
    """Scene text: one string of paragraphs, or a list of strings and `{if, text}` passages."""


Spec = Scalar | ListOf | MapOf | Obj | Passages

IDENT = r"^[A-Za-z_][A-Za-z0-9_]*$"
ENDING_KINDS: tuple[str, ...] = get_args(EndingKind)
VARIABLE_TYPES = ("int", "bool", "text")

STR = Scalar("str")
TEXT = Scalar("text")
DATE = Scalar("date")
COND = Scalar("condition")

CAMPAIGN = Obj("campaign", "A playable role.", {
    "title": Field(STR, "The campaign's name on the title screen.", required=True),
    "role": Field(STR, "Who the player is, in a few words."),
    "blurb": Field(TEXT, "One paragraph that sells the role.", required=True),
    "start": Field(Scalar("id"), "The id of the node the campaign starts at.", required=True),
    "debrief": Field(ListOf(TEXT), "Questions for a class discussion once the campaign is over, "
                     "one per item: the ending screen and the transcript show them."),
})

VARIABLE = Obj("variable", "Something that changes as the player chooses.", {
    "type": Field(Scalar("enum", VARIABLE_TYPES), "int, bool or text.", required=True),
    "default": Field(Scalar("any"), "The starting value (0, false or '' when left out)."),
    "min": Field(Scalar("int"), "Lowest value an int may take; changes are clamped."),
    "max": Field(Scalar("int"), "Highest value an int may take; changes are clamped."),
    "label": Field(STR, "The name the status panel shows."),
    "show": Field(Scalar("bool"), "Show it in the status panel (default false)."),
    "campaigns": Field(ListOf(Scalar("id")), "Show it only when playing these campaigns "
                       "(default: every campaign)."),
    "doc": Field(TEXT, "A note for authors: what the variable means."),
})

EVENT = Obj("event", "A dated event of the historical record that divergence is measured against.", {
    "date": Field(DATE, "When it happened: YYYY-MM-DD, or YYYY-MM.", required=True),
    "title": Field(STR, "A short name for the event.", required=True),
    "happened": Field(TEXT, "What really happened.", required=True),
    "weight": Field(Scalar("number"), "How much it shaped the outcome (default 1)."),
    "holds": Field(COND, "True while the player's world still matches history at this event "
                   "(default true)."),
    "diverged": Field(TEXT, "What happened instead in a world where `holds` is false."),
    "sources": Field(ListOf(STR), "Where the facts come from."),
})

GLOSSARY_ENTRY = Obj("glossary entry", "A person, place, treaty, term or operation.", {
    "term": Field(STR, "The name as the glossary shows it.", required=True),
    "kind": Field(Scalar("enum", ("person", "place", "treaty", "term", "operation",
                                  "organisation", "event")), "What sort of entry it is.",
                  required=True),
    "dates": Field(STR, "Dates that matter, for example '1890-1986' or '13 April 1941'."),
    "text": Field(TEXT, "A line or two on who or what it is and its role.", required=True),
    "match": Field(ListOf(STR), "Other names for it in scene text (for linking)."),
})

HISTORY = Obj("history note", "What really happened at this decision.", {
    "date": Field(DATE, "The date of the real decision (default: the node's date)."),
    "text": Field(TEXT, "The note: what the real actors did and why.", required=True),
    "sources": Field(ListOf(STR), "Sources, one per item.", required=True),
    "counterfactual": Field(Scalar("bool"), "True when the scene exists only in a world that has "
                            "already left history, so no real actor faced this choice: the note "
                            "says what really happened instead, no choice is marked historical, "
                            "and the decision counts in neither divergence figure."),
    "debrief": Field(TEXT, "A question for a class discussion of this decision; the class report "
                     "asks it beside the decisions that divided the class most."),
})

ENDING = Obj("ending", "Makes the node an ending.", {
    "title": Field(STR, "The ending's name.", required=True),
    "kind": Field(Scalar("enum", ENDING_KINDS),
                  "historical, close, diverged or personal.", required=True),
    "epilogue": Field(Passages(), "Where the player's 1945 stands beside the real one: paragraphs, "
                      "or a list of paragraphs and {if, text} passages, as in a node's text.",
                      required=True),
})

PASSAGE = Obj("passage", "A paragraph shown only when its condition holds.", {
    "if": Field(COND, "The condition.", required=True),
    "text": Field(TEXT, "The paragraph(s).", required=True),
})

CHOICE = Obj("choice", "One option the player can take.", {
    "text": Field(STR, "What the player sees; may use {variable}.", required=True),
    "goto": Field(Scalar("id"), "The node the choice leads to.", required=True),
    "if": Field(COND, "Only available when this holds."),
    "locked": Field(STR, "Show the choice, locked with this reason, when `if` fails "
                    "(otherwise it is hidden)."),
    "set": Field(Scalar("effects"), "Effects: 'a += 1; b = true', or a list of them."),
    "historical": Field(Scalar("bool"), "True on the choice the real actors made."),
    "note": Field(TEXT, "How plausible this counterfactual is, and why (for authors and the "
                  "ending report)."),
})

NODE = Obj("node", "A scene: a moment at a date and place, with choices or an ending.", {
    "date": Field(DATE, "The in-game date: YYYY-MM-DD, or YYYY-MM.", required=True),
    "place": Field(STR, "Where the scene happens.", required=True),
    "title": Field(STR, "The scene's title.", required=True),
    "text": Field(Passages(), "The scene text: paragraphs separated by blank lines, with "
                  "{variable} interpolation; or a list of paragraphs and {if, text} passages.",
                  required=True),
    "set": Field(Scalar("effects"), "Effects applied when the scene is entered."),
    "choices": Field(ListOf(CHOICE), "The options; a node without choices must be an ending."),
    "weight": Field(Scalar("number"), "How much this decision counts in choice divergence "
                    "(default 1)."),
    "history": Field(HISTORY, "The 'what really happened' note; makes the node a decision."),
    "reflect": Field(TEXT, "A reflection prompt: when the player takes a choice here, the game "
                     "asks them to type a short answer (they may skip it). Answers are saved with "
                     "the game and printed in the transcript."),
    "ending": Field(ENDING, "Makes the node an ending."),
})

_SHARED = {
    "campaigns": Field(MapOf(CAMPAIGN), "Playable roles, by id (a story needs at least one)."),
    "variables": Field(MapOf(VARIABLE), "Variables, by name."),
    "events": Field(MapOf(EVENT), "Events of the historical record, by id."),
    "glossary": Field(MapOf(GLOSSARY_ENTRY), "Glossary entries, by id."),
}

MANIFEST = Obj("manifest", "The story's `story.yaml`.", {
    "format": Field(Scalar("int"), "The format version; this is format 1."),
    "id": Field(Scalar("id"), "A short identifier for the story (used in saves).", required=True),
    "title": Field(STR, "The story's title.", required=True),
    **_SHARED,
    "nodes": Field(MapOf(NODE), "Nodes may also live in the manifest."),
})

CHAPTER = Obj("chapter file", "Any other `*.yaml` file of the story.", {
    "chapter": Field(STR, "The chapter's title (for the story map)."),
    "nodes": Field(MapOf(NODE), "Nodes, by id."),
    **_SHARED,
})


_REQUIRED: dict[int, tuple[str, ...]] = {}


def required(obj: Obj) -> tuple[str, ...]:
    """The names of `obj`'s required fields (computed once per object)."""
    names = _REQUIRED.get(id(obj))
    if names is None:
        names = _REQUIRED[id(obj)] = tuple(k for k, f in obj.fields.items() if f.required)
    return names
