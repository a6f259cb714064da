"""The save file format: what one save file holds, written by `encode` and read back by `read`
and `parse`, field by field, as untrusted input. `docs/saves.md` documents it; the folder of
saves, their names and the autosave ring are `engine.saves`.

A save is `GameState.to_json()` plus a header: format and version, the story's id and content
hash, campaign, seed, the choices made, player, times, and a summary for the save list.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from moscow1941.engine.game import Game
from moscow1941.engine.state import GameState, StateError, Step, steps_from_json
from moscow1941.files import NotAFile, read_bounded
from moscow1941.i18n import _
from moscow1941.story.model import Story
from moscow1941.textsafe import strip_controls

FORMAT = "moscow1941-save"
FORMAT_VERSION = 1
MAX_SAVE_BYTES = 8 * 1024 * 1024
MAX_CHOICES = 50_000
MAX_PLAYER = 80
_MAX_QUOTED = 60


class Unreadable(Exception):
    """Why a file is not a usable save, in a sentence for the player (the store turns it into
    an `UnreadableSave` in the list or a `SaveError`)."""


@dataclass(frozen=True, slots=True)
class SaveFile:
    """A save file that passed every check: its header, its summary and its game state. Text
    a face shows (player, scene title, date) is already cleaned."""

    story_id: str
    content_hash: str
    campaign: str
    seed: int
    player: str | None
    created: datetime
    updated: datetime
    started: datetime | None
    scene_title: str
    date: str
    ended: bool
    choice_divergence: float
    outcome_divergence: float
    choices: tuple[Step, ...]
    state: GameState


def shown(text: str, limit: int = _MAX_QUOTED) -> str:
    """A name as it may be quoted back to the player: printable and short."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in text[:limit])
    return printable + ("…" if len(text) > limit else "")


def encode(game: Game, player: str | None, created: datetime, updated: datetime,
           started: datetime | None) -> bytes:
    """The file that saves `game`, played by `player` (already cleaned)."""
    story = game.story
    node, div = game.node, game.divergence()
    state = game.state.to_json()
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "story": {"id": story.id, "content_hash": story.content_hash},
        "campaign": game.state.campaign,
        "seed": game.state.seed,
        "player": player,
        "created": created.isoformat(),
        "updated": updated.isoformat(),
        **({"started": started.isoformat()} if started is not None else {}),
        "summary": {"node": node.id, "scene_title": node.title, "date": node.date.display(),
                    "choice_divergence": div.choice, "outcome_divergence": div.outcome,
                    "ended": game.ended},
        "choices": state["path"],
        "state": state,
    }
    return _encode(data)


def read(path: Path) -> object:
    """The JSON value in the file at `path`, read defensively (bounded, non-blocking, regular
    files only); raise Unreadable with a sentence for the player."""
    try:
        # Non-blocking, then a check: a FIFO or device named like a save must not hang the list.
        raw = read_bounded(path, MAX_SAVE_BYTES)
    except NotAFile:
        raise Unreadable(_("It is not a regular file, so it cannot be a save.")) from None
    except OSError as exc:
        raise Unreadable(_("The file cannot be read: {reason}.").format(reason=exc.strerror or exc)) from None
    if len(raw) > MAX_SAVE_BYTES:
        raise Unreadable(_("The file is larger than {n} MiB, far more than any save; it is not a "
                           "save.").format(n=MAX_SAVE_BYTES // (1024 * 1024)))
    if not raw.strip():
        raise Unreadable(_("The file is empty; it may have been cut short."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable(_("The file is not UTF-8 text; it is damaged or not a save.")) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(_("The file is not valid JSON (line {line}, column {column}); it may be "
                           "damaged or cut short.").format(line=exc.lineno, column=exc.colno)) from None
    except RecursionError:
        raise Unreadable(_("The file is nested too deeply to be a save.")) from None
    except ValueError:  # e.g. an integer with more digits than Python converts
        raise Unreadable(_("The file holds a value too large to be part of a save.")) from None


def _field(data: dict[str, Any], key: str, kind: type[Any]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Unreadable(_("The file's ‘{key}’ is missing or of the wrong type; it may be "
                           "damaged.").format(key=key))
    return value


def _fraction(data: dict[str, Any], key: str) -> float:
    value = data.get(key)
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or not 0 <= value <= 1):
        raise Unreadable(_("The file's ‘{key}’ is not a number from 0 to 1; it may be damaged.").format(
            key=key))
    return float(value)


def _time(data: dict[str, Any], key: str) -> datetime:
    value = data.get(key)
    try:
        if not isinstance(value, str) or len(value) > 64:
            raise ValueError(key)
        when = datetime.fromisoformat(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)  # a hand-made file without a zone: read it as UTC
        return when.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: a zone that pushes past year 1 or 9999
        raise Unreadable(_("The file's ‘{key}’ time is missing or not a date and time; it may be "
                           "damaged.").format(key=key)) from None


def _steps(value: object) -> tuple[Step, ...]:
    if not isinstance(value, list):
        raise Unreadable(_("The file lacks its list of choices; it may be damaged."))
    if len(value) > MAX_CHOICES:
        raise Unreadable(_("The file records more than {n} choices; it is not a save this game "
                           "made.").format(n=f"{MAX_CHOICES:,}"))
    try:
        return tuple(steps_from_json(value))
    except StateError:
        raise Unreadable(_("A choice in the file is not [scene, choice number, next scene]; "
                           "the file may be damaged.")) from None


def clean_player(player: str | None) -> str | None:
    if player is None:
        return None
    text = " ".join("".join(" " if unicodedata.category(ch)[0] == "C" else ch
                            for ch in str(player)[:1000]).split())
    return text[:MAX_PLAYER] or None




def parse(data: object, ours: Story) -> SaveFile:
    """Check, field by field, that `data` (from `read`) is a save of `ours` this version can
    open; raise Unreadable with the first reason it is not."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Unreadable(_("The file is not a Moscow 1941 save."))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Unreadable(_("The file does not say which save format it uses; it may be damaged."))
    if version > FORMAT_VERSION:
        raise Unreadable(_("It was made by a newer version of Moscow 1941 (save format "
                           "{version}; this version reads format {ours}). Update the game to "
                           "open it.").format(version=version, ours=FORMAT_VERSION))
    story = data.get("story")
    if not isinstance(story, dict):
        raise Unreadable(_("The file does not say which story it belongs to; it may be damaged."))
    story_id, content_hash = story.get("id"), story.get("content_hash")
    if not isinstance(story_id, str) or not isinstance(content_hash, str):
        raise Unreadable(_("The file does not say which story it belongs to; it may be damaged."))
    if story_id != ours.id:
        raise Unreadable(_("It belongs to another story (‘{other}’), not to ‘{ours}’. Open it with "
                           "that story.").format(other=shown(story_id), ours=ours.id))
    campaign = _field(data, "campaign", str)
    if campaign not in ours.campaigns:
        raise Unreadable(_("Its campaign ‘{campaign}’ no longer exists in this story (it has: "
                           "{campaigns}).").format(campaign=shown(campaign),
                                                   campaigns=", ".join(ours.campaigns)))
    seed = _field(data, "seed", int)
    player = data.get("player")
    if player is not None and (not isinstance(player, str) or len(player) > MAX_PLAYER):
        raise Unreadable(_("Its player name is not valid text; it may be damaged."))
    player = clean_player(player)  # no control characters or lone surrogates to show
    created, updated = _time(data, "created"), _time(data, "updated")
    started = _time(data, "started") if "started" in data else None
    summary = data.get("summary")
    if not isinstance(summary, dict):
        raise Unreadable(_("The file lacks its summary (‘summary’); it may be damaged."))
    title, date = _field(summary, "scene_title", str), _field(summary, "date", str)
    ended = summary.get("ended", False)
    if not isinstance(ended, bool):
        raise Unreadable(_("Its summary says neither that the game ended nor that it did not "
                           "(‘ended’); it may be damaged."))
    cdiv = _fraction(summary, "choice_divergence")
    odiv = _fraction(summary, "outcome_divergence")
    choices = _steps(data.get("choices"))
    try:
        state = GameState.from_json(data.get("state"))
    except StateError as exc:
        raise Unreadable(_("Its game state is damaged: {reason}.").format(reason=exc)) from None
    if state.campaign != campaign or state.seed != seed or tuple(state.path) != choices:
        raise Unreadable(_("Its game state does not match its header; the file may have been "
                           "edited by hand or damaged."))
    return SaveFile(story_id, content_hash, campaign, seed, player, created, updated, started,
                    strip_controls(title[:200]), strip_controls(date[:60]), ended, cdiv, odiv,
                    choices, state)


def _encode(data: dict[str, Any]) -> bytes:
    """One top-level field a line: the header reads well in an editor, the lists stay compact."""
    def text(ascii_only: bool) -> str:
        lines = [f"  {json.dumps(key)}: "
                 f"{json.dumps(value, ensure_ascii=ascii_only, separators=(', ', ': '))}"
                 for key, value in data.items()]
        return "{\n" + ",\n".join(lines) + "\n}\n"
    try:
        return text(False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in some text: JSON escapes carry it safely
        return text(True).encode("ascii")
