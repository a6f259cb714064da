"""`GameState`: everything that changes during a game, as one plain JSON-serialisable value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from moscow1941.story.expr import Value

STATE_VERSION = 1


class StateError(ValueError):
    """A state (from a save, say) that cannot be what it claims to be."""


@dataclass(frozen=True, slots=True)
class Step:
    """One choice made: at `node`, the choice at `index` (in the node's full list) to `goto`.
    Index -1 records an author-mode jump to `goto` (see `Game.jump`)."""

    node: str
    index: int
    goto: str

    def to_json(self) -> list[object]:
        return [self.node, self.index, self.goto]

    @classmethod
    def from_json(cls, item: object) -> Step:
        """A step from `to_json` output; raise StateError unless `item` is [node, index, goto].
        The one check of a step's shape: saves, transcripts and walkthroughs all use it."""
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                and isinstance(item[1], int) and not isinstance(item[1], bool)
                and isinstance(item[2], str)):
            raise StateError("each step of the path is [node, choice index, goto]")
        return cls(item[0], item[1], item[2])


def steps_from_json(value: object) -> list[Step]:
    """A path from `to_json` output (a list of steps); raise StateError."""
    if not isinstance(value, list):
        raise StateError("path must be a list")
    return [Step.from_json(item) for item in value]


MAX_REFLECTION = 2000
"""The longest reflection answer kept, in characters (a few paragraphs)."""


@dataclass(frozen=True, slots=True)
class Reflection:
    """The player's answer to the reflection prompt of `node`, typed before the choice made at
    `step` (the index in the path of that choice)."""

    step: int
    node: str
    answer: str

    def to_json(self) -> list[object]:
        return [self.step, self.node, self.answer]


def reflections_from_json(value: object, steps: int) -> list[Reflection]:
    """Reflections from `to_json` output, on a path of `steps` choices; raise StateError."""
    if not isinstance(value, list):
        raise StateError("reflections must be a list")
    reflections = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], int)
                and not isinstance(item[0], bool) and 0 <= item[0] <= steps
                and isinstance(item[1], str) and isinstance(item[2], str)
                and len(item[2]) <= MAX_REFLECTION):
            raise StateError(f"each reflection is [step, node, answer of at most "
                             f"{MAX_REFLECTION} characters]")
        reflections.append(Reflection(item[0], item[1], item[2]))
    return reflections


@dataclass(slots=True)
class GameState:
    """The whole of a game in progress.

    `path` is every choice made from the start, so undo and replay after story edits can
    rebuild any earlier state; `events` holds each settled event's verdict (True = as in
    history), frozen when the game's date passes the event; `reflections` are the player's
    answers to reflection prompts, in the order of the path.
    """

    campaign: str
    seed: int
    node: str
    vars: dict[str, Value]
    visits: dict[str, int] = field(default_factory=dict)
    path: list[Step] = field(default_factory=list)
    events: dict[str, bool] = field(default_factory=dict)
    reflections: list[Reflection] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A plain dict of JSON types; `from_json(to_json(s)) == s`."""
        return {
            "version": STATE_VERSION,
            "campaign": self.campaign,
            "seed": self.seed,
            "node": self.node,
            "vars": dict(self.vars),
            "visits": dict(self.visits),
            "path": [s.to_json() for s in self.path],
            "events": dict(self.events),
            "reflections": [r.to_json() for r in self.reflections],
        }

    @classmethod
    def from_json(cls, data: object) -> GameState:
        """Rebuild a state from `to_json` output, checking every type; raise StateError."""
        if not isinstance(data, dict):
            raise StateError("the game state is not a JSON object")
        if data.get("version") != STATE_VERSION:
            raise StateError(f"unsupported state version {data.get('version')!r}")
        try:
            campaign, seed, node = data["campaign"], data["seed"], data["node"]
            raw_vars, visits, path, events = data["vars"], data["visits"], data["path"], data["events"]
        except KeyError as exc:
            raise StateError(f"the game state lacks '{exc.args[0]}'") from None
        if not (isinstance(campaign, str) and isinstance(node, str)):
            raise StateError("campaign and node must be text")
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise StateError("seed must be a whole number")
        if not isinstance(raw_vars, dict) or not all(
                isinstance(k, str) and isinstance(v, bool | int | str) for k, v in raw_vars.items()):
            raise StateError("vars must map names to numbers, true/false or text")
        if not isinstance(visits, dict) or not all(
                isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
                for k, v in visits.items()):
            raise StateError("visits must map node ids to counts")
        if not isinstance(events, dict) or not all(
                isinstance(k, str) and isinstance(v, bool) for k, v in events.items()):
            raise StateError("events must map event ids to true/false")
        steps = steps_from_json(path)
        # Optional: states saved before reflections existed have none.
        reflections = reflections_from_json(data.get("reflections", []), len(steps))
        return cls(campaign=campaign, seed=seed, node=node, vars=dict(raw_vars),
                   visits=dict(visits), path=steps, events=dict(events),
                   reflections=reflections)
