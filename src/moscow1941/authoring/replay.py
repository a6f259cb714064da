"""Replaying recorded plays, and expected transcripts: story tests authors keep in `tests/`.

`moscow1941 playtest --replay FILE` reads one of three shapes, all YAML (so JSON too):

- a save file: `{"state": {"campaign": ..., "seed": ..., "path": [[node, index, goto], ...]}}`;
- a recorded path, as playtest failures print it: `{"campaign", "seed", "fails", "path"}`;
  `fails` (optional) names the failure the path led to (`stuck`, `loop`, `long`, `error`, or
  `historical` for a `--historical` play that strays from history):
  after the path the replay diagnoses the game again and fails with the same message while
  the story still has the problem (a step -1 in a path is an author-mode jump);
- an expected transcript (`docs/authoring.md`):

      campaign: clerk
      seed: 0
      steps:
        - expect: {title: The Telephone Rings, text: [stationmaster]}
        - choose: 1                  # the number the player sees
        - choose: Let it leave       # or the start of the choice's text
        - expect:
            ending: The Timetable Wins
            kind: personal
            text: [empty platform]
            choice_divergence: 1
            outcome_divergence: 1

  or the short form: `choices: [1, Let it leave]` and one `expect:` checked at the end.

An `expect` checks the scene the player sees at that point: `node`, `title`, `ending` (its
title), `kind` (the ending's kind), `text` (snippets that must appear in the scene text or
the epilogue), `absent` (snippets that must not), `vars` (values), `choice_divergence` and
`outcome_divergence` (to 0.001), `choices` (how many are shown). Files are read with the same
safe, bounded YAML reader as stories; nothing in them is executed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from moscow1941.authoring.playtest import (
    ERROR,
    FAILURE_KINDS,
    HISTORICAL,
    LONG,
    LOOP,
    STUCK,
    continue_historical,
    endless,
    find_trap,
    stuck_message,
)
from moscow1941.engine import Game, GameError, GameState, StateError
from moscow1941.engine.game import JUMP
from moscow1941.engine.state import Step, steps_from_json
from moscow1941.story.diagnostics import Diagnostics
from moscow1941.story.model import Story
from moscow1941.story.yamlsrc import STANDARD_TAGS, read_yaml

EXPECT_KEYS = ("node", "title", "ending", "kind", "text", "absent", "vars",
               "choice_divergence", "outcome_divergence", "choices")
MAX_FILE = 8 * 1024 * 1024


class WalkthroughError(ValueError):
    """A replay file that cannot be read or has the wrong shape."""


@dataclass(frozen=True, slots=True)
class Action:
    """One step of a walkthrough: choose (a number or text), follow a recorded step, or expect."""

    choose: int | str | Step | None = None
    expect: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Walkthrough:
    """A play to replay, with what to check along the way: an author's expected transcript
    (docs/authoring.md), a recorded path or a save. Named apart from the student's transcript
    (`classroom.transcript`), which is another thing."""

    campaign: str
    seed: int
    actions: tuple[Action, ...]
    #: The playtest failure a recorded path led to (`playtest.FAILURE_KINDS`), checked again
    #: at the end of the replay; None for saves and expected transcripts.
    fails: str | None = None


@dataclass(frozen=True, slots=True)
class ReplayLine:
    """What happened at one step of a replay; `ok` False marks a failure."""

    text: str
    ok: bool = True


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """The replay of one file: each step, and where it ended."""

    file: str
    campaign: str
    seed: int
    lines: tuple[ReplayLine, ...]
    node: str
    ending: str
    path: tuple[Step, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)

    def to_json(self) -> dict[str, object]:
        return {"mode": "replay", "file": self.file, "ok": self.ok, "campaign": self.campaign,
                "seed": self.seed, "node": self.node, "ending": self.ending,
                "steps": [{"text": line.text, "ok": line.ok} for line in self.lines],
                "path": [s.to_json() for s in self.path]}

    def text(self) -> str:
        out = [f"replay {self.file}: campaign {self.campaign}, seed {self.seed}"]
        out.extend(f"  {'ok  ' if line.ok else 'FAIL'} {line.text}" for line in self.lines)
        where = f"ending '{self.ending}'" if self.ending else f"node '{self.node}'"
        failed = sum(1 for line in self.lines if not line.ok)
        out.append(f"ok: ends at {where}" if self.ok
                   else f"FAILED: {failed} of {len(self.lines)} steps; stopped at {where}")
        return "\n".join(out) + "\n"


# ---- reading -----------------------------------------------------------------------------------

def read_walkthrough(path: str | Path) -> Walkthrough:
    """Read a save file, a recorded path or an expected transcript; raise WalkthroughError."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise WalkthroughError(f"cannot read {p}: {exc.strerror}") from None
    if len(data) > MAX_FILE:
        raise WalkthroughError(f"{p} is larger than {MAX_FILE // (1024 * 1024)} MiB")
    diags = Diagnostics()
    node = read_yaml(str(p), data, diags)
    if node is None:
        raise WalkthroughError("; ".join(d.format() for d in diags.items) or f"{p} is empty")
    return parse_walkthrough(_Plain().data(node))


def parse_walkthrough(data: object) -> Walkthrough:
    """Build a walkthrough from plain data (see the module docstring for the shapes)."""
    if not isinstance(data, dict):
        raise WalkthroughError("a replay file is a mapping with 'campaign' and 'steps', "
                              "'choices' or 'path' (or a save file with 'state')")
    if "state" in data:
        try:
            state = GameState.from_json(data["state"])
        except StateError as exc:
            raise WalkthroughError(f"the save's state cannot be read: {exc}") from None
        return Walkthrough(state.campaign, state.seed, tuple(Action(choose=s) for s in state.path))
    campaign, seed = data.get("campaign"), data.get("seed", 0)
    if not isinstance(campaign, str):
        raise WalkthroughError("'campaign' must name a campaign")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise WalkthroughError("'seed' must be a whole number")
    unknown = set(data) - {"campaign", "seed", "path", "fails", "steps", "choices", "expect",
                           "story"}
    if unknown:
        raise WalkthroughError(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; a "
                              "transcript has campaign, seed, and steps or choices/expect")
    fails = data.get("fails")
    if fails is not None and fails not in FAILURE_KINDS:
        raise WalkthroughError(f"'fails' is one of {', '.join(FAILURE_KINDS)}")
    if "path" in data:
        return Walkthrough(campaign, seed, tuple(Action(choose=s) for s in _steps(data["path"])),
                          fails)
    if fails is not None:
        raise WalkthroughError("'fails' goes with a recorded 'path', as playtest prints it")
    actions: list[Action] = []
    if "steps" in data:
        if not isinstance(data["steps"], list):
            raise WalkthroughError("'steps' must be a list of {choose: ...} and {expect: ...}")
        for n, item in enumerate(data["steps"], 1):
            if not isinstance(item, dict) or len(item) != 1 or not (
                    "choose" in item or "expect" in item):
                raise WalkthroughError(f"step {n} must be {{choose: N or text}} or "
                                      "{expect: {...}}")
            if "choose" in item:
                actions.append(Action(choose=_choice_ref(item["choose"], n)))
            else:
                actions.append(Action(expect=_expectation(item["expect"], n)))
    else:
        choices = data.get("choices", [])
        if not isinstance(choices, list):
            raise WalkthroughError("'choices' must be a list of numbers or texts")
        actions = [Action(choose=_choice_ref(c, n)) for n, c in enumerate(choices, 1)]
    if "expect" in data:
        actions.append(Action(expect=_expectation(data["expect"], len(actions) + 1)))
    return Walkthrough(campaign, seed, tuple(actions))


def _choice_ref(value: object, n: int) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise WalkthroughError(f"step {n}: choose a number from 1, or the start of a choice's text")


def _expectation(value: object, n: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WalkthroughError(f"step {n}: 'expect' is a mapping such as {{ending: ..., kind: ...}}")
    unknown = set(value) - set(EXPECT_KEYS)
    if unknown:
        raise WalkthroughError(f"step {n}: unknown expectation(s) {', '.join(sorted(unknown))}; "
                              f"known: {', '.join(EXPECT_KEYS)}")
    for key in ("text", "absent"):
        if key in value:
            v = value[key]
            value[key] = [v] if isinstance(v, str) else v
            if not isinstance(value[key], list) or not all(
                    isinstance(s, str) for s in value[key]):
                raise WalkthroughError(f"step {n}: '{key}' is a snippet or a list of snippets")
    if "vars" in value and not isinstance(value["vars"], dict):
        raise WalkthroughError(f"step {n}: 'vars' maps variable names to values")
    return value


def _steps(value: object) -> list[Step]:
    if not isinstance(value, list):
        raise WalkthroughError("'path' is a list of [node, index, goto]")
    try:
        return steps_from_json(value)
    except StateError:
        raise WalkthroughError("each step of 'path' is [node, choice index, goto]") from None


_TRUE = {"true", "yes", "on", "y"}


class _Plain:
    """Plain data from a composed YAML node. No constructor runs; tags other than the standard
    ones are refused, and so are files whose aliases expand beyond `MAX_VALUES` values."""

    MAX_VALUES = 1_000_000

    def __init__(self) -> None:
        self.count = 0

    def data(self, node: yaml.Node) -> object:
        self.count += 1
        if self.count > self.MAX_VALUES:
            raise WalkthroughError("too many values (are aliases expanding?)")
        if node.tag not in STANDARD_TAGS:
            line = node.start_mark.line + 1
            raise WalkthroughError(f"line {line}: error E104: the tag '{node.tag}' is not allowed")
        if isinstance(node, yaml.MappingNode):
            return {str(self.data(k)): self.data(v) for k, v in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [self.data(v) for v in node.value]
        value = str(node.value)
        tag = node.tag.rsplit(":", 1)[-1]
        try:
            if tag == "int":
                return int(value.replace("_", ""), 0)
            if tag == "float":
                return float(value.replace("_", ""))
        except ValueError:
            return value
        if tag == "bool":
            return value.lower() in _TRUE
        if tag == "null":
            return None
        return value


# ---- replaying ---------------------------------------------------------------------------------

def replay(story: Story, walkthrough: Walkthrough, file: str = "") -> ReplayReport:
    """Play the walkthrough on the story, checking every expectation; stop at the first step
    that cannot be played (later expectations would only repeat the failure)."""
    lines: list[ReplayLine] = []
    if walkthrough.campaign not in story.campaigns:
        lines.append(ReplayLine(f"no campaign '{walkthrough.campaign}' in this story "
                                f"(it has: {', '.join(story.campaigns)})", False))
        return ReplayReport(file, walkthrough.campaign, walkthrough.seed, tuple(lines), "", "")
    game = Game(story, walkthrough.campaign, walkthrough.seed)
    played = True
    for n, action in enumerate(walkthrough.actions, 1):
        if action.expect is not None:
            lines.extend(_check(game, action.expect, n))
            continue
        line = _choose(game, action.choose, n)
        lines.append(line)
        if not line.ok:
            played = False
            break
    if walkthrough.fails is not None and played:
        lines.append(_diagnose(game, walkthrough.fails))
    ending = game.node.ending
    return ReplayReport(file, walkthrough.campaign, walkthrough.seed, tuple(lines), game.node.id,
                        ending.title if ending else "", tuple(game.state.path))


def _choose(game: Game, ref: int | str | Step | None, n: int) -> ReplayLine:
    node = game.node
    if game.ended:
        return ReplayLine(f"step {n}: the game has already ended at '{node.id}'", False)
    scene = game.view()
    if isinstance(ref, Step):
        if ref.node != node.id:
            return ReplayLine(f"step {n}: recorded at '{ref.node}', but the game is at "
                              f"'{node.id}'", False)
        if ref.index == JUMP:
            if ref.goto not in game.story.nodes:
                return ReplayLine(f"step {n}: jump to '{ref.goto}', a node this story no "
                                  "longer has", False)
            game.jump(ref.goto)
            return ReplayLine(f"step {n}: '{node.id}': jump to '{ref.goto}' (author mode)")
        if not 0 <= ref.index < len(node.choices) or node.choices[ref.index].goto != ref.goto:
            return ReplayLine(f"step {n}: '{node.id}' no longer has a choice {ref.index + 1} "
                              f"leading to '{ref.goto}'", False)
        index = ref.index
    elif isinstance(ref, int):
        if not 1 <= ref <= len(scene.choices):
            return ReplayLine(f"step {n}: there is no choice {ref} at '{node.id}' "
                              f"({len(scene.choices)} shown)", False)
        index = scene.choices[ref - 1].index
    else:
        want = (ref or "").casefold()
        exact = [c for c in scene.choices if c.text.casefold() == want]
        found = exact or [c for c in scene.choices if c.text.casefold().startswith(want)]
        if len(found) != 1:
            shown = "; ".join(f"{i}. {c.text}" for i, c in enumerate(scene.choices, 1))
            what = "no choice starts with" if not found else "several choices start with"
            return ReplayLine(f"step {n}: at '{node.id}', {what} '{ref}' (shown: {shown})", False)
        index = found[0].index
    text = node.choices[index].text.render(game.state.vars)
    try:
        game.choose(index)
    except GameError as exc:
        return ReplayLine(f"step {n}: at '{node.id}', '{text}': {exc}", False)
    except Exception as exc:  # an engine error, as a playtest reports it: never a traceback
        return ReplayLine(f"step {n}: at '{node.id}', '{text}': {type(exc).__name__}: {exc}",
                          False)
    return ReplayLine(f"step {n}: '{node.id}': {text} -> '{game.node.id}'")


def _diagnose(game: Game, fails: str) -> ReplayLine:
    """After a recorded path: the failure it led to, diagnosed again as the playtest did (the
    same message while the story has the problem), or what is different now."""
    node = game.node
    if fails == HISTORICAL:  # go on playing history from here, on a copy
        state = game.state
        rest, _ = Game.replay(game.story, state.campaign, state.seed, state.path)
        problems = continue_historical(rest)
        if problems:
            return ReplayLine("; ".join(problems), False)
        return ReplayLine(f"the historical play now ends in history, at '{rest.node.id}'")
    if game.ended:
        return ReplayLine(f"the {fails} failure is gone: the path now ends at '{node.id}'")
    if fails == ERROR:
        try:
            game.available()
            game.view()
        except Exception as exc:  # the error the playtest met after the last step
            return ReplayLine(f"{type(exc).__name__}: {exc}", False)
        return ReplayLine(f"no error at '{node.id}' any more")
    stuck = stuck_message(game)
    if fails == STUCK:
        return ReplayLine(stuck, False) if stuck \
            else ReplayLine(f"no longer stuck at '{node.id}': a choice is available")
    if stuck:
        return ReplayLine(stuck, False)
    if fails == LONG:
        return ReplayLine(endless(game)[1], False)
    assert fails == LOOP
    trap = find_trap(game)
    return ReplayLine(trap[0], False) if trap \
        else ReplayLine(f"an ending can now be reached from '{node.id}'")


def _check(game: Game, expect: dict[str, Any], n: int) -> list[ReplayLine]:
    scene = game.view()
    ending = scene.ending
    out: list[ReplayLine] = []

    def check(what: str, ok: bool, got: object) -> None:
        out.append(ReplayLine(f"step {n}: expect {what}" + ("" if ok else f", got {got!r}"), ok))

    if "node" in expect:
        check(f"node '{expect['node']}'", scene.node_id == expect["node"], scene.node_id)
    if "title" in expect:
        check(f"title '{expect['title']}'", scene.title == expect["title"], scene.title)
    if "ending" in expect:
        got = ending.title if ending else None
        check(f"ending '{expect['ending']}'", got == expect["ending"], got)
    if "kind" in expect:
        got = ending.kind if ending else None
        check(f"ending kind '{expect['kind']}'", got == expect["kind"], got)
    words = "\n".join((*scene.paragraphs, *(ending.epilogue if ending else ())))
    for snippet in expect.get("text", []):
        check(f"text '{snippet}'", snippet in words, _short(words))
    for snippet in expect.get("absent", []):
        check(f"no text '{snippet}'", snippet not in words, _short(words))
    for name, value in (expect.get("vars") or {}).items():
        current = game.state.vars.get(str(name))
        check(f"{name} = {json.dumps(value)}",
              current == value and type(current) is type(value), current)
    div = scene.divergence
    for key, got_value in (("choice_divergence", div.choice), ("outcome_divergence", div.outcome)):
        if key in expect:
            want = expect[key]
            ok = isinstance(want, int | float) and math.isclose(got_value, want, abs_tol=1e-3)
            check(f"{key.replace('_', ' ')} {want}", ok, round(got_value, 3))
    if "choices" in expect:
        check(f"{expect['choices']} choices shown", len(scene.choices) == expect["choices"],
              len(scene.choices))
    return out


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 120 else flat[:117] + "..."
