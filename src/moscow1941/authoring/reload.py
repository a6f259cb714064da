"""Live reload for author mode: notice when a story's files change, and carry a game over to
the new version of the story.

`StoryWatcher` polls (no threads, no OS-specific watchers): each `poll()` stats the story's
YAML files and compares modification time and size with the last poll, which costs one `stat`
per file. `reload_game` rebuilds a game on a freshly loaded story by replaying its path for as
long as each step still applies (`Game.replay`), and keeps the last good game when the new
story has errors. A face calls them: poll on a timer, and on a change, `load_story` then
`reload_game` (or `refresh`, which does all three), and show the messages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from moscow1941.engine import Game
from moscow1941.engine.game import JUMP
from moscow1941.story.diagnostics import Severity
from moscow1941.story.load import LoadResult, load_story

_Stamp = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the last poll, by path."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.modified)


class StoryWatcher:
    """Polls the YAML files of a story folder (the files the loader reads) for changes.

    Edits are noticed by modification time (nanoseconds) and size; an edit that keeps both is
    invisible, which on current file systems needs two same-sized writes within one clock tick.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._stamps = self._scan()

    def _scan(self) -> dict[str, _Stamp]:
        stamps: dict[str, _Stamp] = {}
        if not self.root.is_dir():
            return stamps
        for path in self.root.rglob("*"):
            if path.suffix not in (".yaml", ".yml"):
                continue
            if any(part.startswith(".") for part in path.relative_to(self.root).parts):
                continue
            try:
                st = path.stat()
            except OSError:  # removed between listing and stat: the next poll sees it gone
                continue
            stamps[str(path)] = (st.st_mtime_ns, st.st_size)
        return stamps

    def poll(self) -> Changes:
        """What changed since the last poll (or since the watcher was made)."""
        now = self._scan()
        before = self._stamps
        self._stamps = now
        return Changes(
            added=tuple(sorted(set(now) - set(before))),
            removed=tuple(sorted(set(before) - set(now))),
            modified=tuple(sorted(p for p in now.keys() & before.keys() if now[p] != before[p])))


def reload_game(game: Game, new: LoadResult) -> tuple[Game, list[str]]:
    """The game carried over to the newly loaded story, and messages for the author.

    With errors in the new story, the last good game is kept and the messages are its
    diagnostics. Otherwise the game is rebuilt on the new story by replaying its choices for as
    long as each still applies; the messages say how far it got and why it stopped.
    """
    if new.story is None:
        errors = [d.format() for d in new.diagnostics if d.severity is Severity.ERROR]
        return game, [f"the story has {len(errors)} error{'s' * (len(errors) != 1)}; "
                      "still playing the last good version", *errors]
    story = new.story
    state = game.state
    if state.campaign not in story.campaigns:
        return game, [f"campaign '{state.campaign}' is no longer in the story; still playing "
                      "the last good version"]
    path = list(state.path)
    rebuilt, applied = Game.replay(story, state.campaign, state.seed, path)
    where = f"now at '{rebuilt.node.id}'"
    if applied == len(path):
        return rebuilt, [f"story reloaded: all {len(path)} choices replayed; {where}"]
    step = path[applied]
    node = story.nodes.get(step.node)
    if node is None or rebuilt.node.id != step.node:
        why = f"the game no longer passes through '{step.node}'"
    elif step.index == JUMP:
        why = f"the jump to '{step.goto}' no longer applies: the story has no node '{step.goto}'"
    elif not 0 <= step.index < len(node.choices) or node.choices[step.index].goto != step.goto:
        why = f"'{step.node}' no longer has choice {step.index + 1} leading to '{step.goto}'"
    else:
        why = f"choice {step.index + 1} at '{step.node}' is no longer available"
    return rebuilt, [f"story reloaded: {why}; replayed {applied} of {len(path)} choices; {where}"]


def refresh(watcher: StoryWatcher, game: Game) -> tuple[Game, list[str]]:
    """One tick of live reload: if the story's files changed since the last poll, load the
    story again and carry the game over (`reload_game`); otherwise the same game, no messages."""
    if not watcher.poll():
        return game, []
    return reload_game(game, load_story(watcher.root))
