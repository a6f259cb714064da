"""Saves: named slots, a ring of autosaves and Continue, kept as JSON files in one folder.

One `SaveStore` serves every face and tool. A save is `GameState.to_json()` plus a header (format
version, story id and content hash, campaign, seed, the choices made, player, times and a summary
for the save list); `docs/saves.md` documents the format.

Save files are untrusted: they are read with `json` only, bounded in size, checked field by field,
and every problem becomes an `UnreadableSave` in the list or a `SaveError` with a sentence for the
player. A file that cannot be read is never overwritten. Writes are atomic (temporary file in the
same folder, fsync, rename, fsync of the folder), so a crash leaves the old save or the new one.

A save made with another version of the story is restored by replaying its choices for as long
as they still apply (`Game.replay`); the player is told what changed. A save whose path holds
author-mode jumps (step index `JUMP`) is listed with `SaveInfo.jumps` and, outside author mode,
opened with a sentence in `Restored.changes` saying so. The text fields a face shows (player,
scene title, date) are cleaned of control characters and lone surrogates when read.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from moscow1941.engine.game import JUMP, Game, GameError
from moscow1941.engine.state import GameState, StateError, Step, steps_from_json
from moscow1941.story.model import Story
from moscow1941.textsafe import strip_controls

FORMAT = "moscow1941-save"
FORMAT_VERSION = 1
SUFFIX = ".json"
ENV_VAR = "MOSCOW1941_SAVES"
MAX_SAVE_BYTES = 8 * 1024 * 1024
MAX_CHOICES = 50_000
MAX_NAME = 60
# Names are also bounded in bytes: with the '.damaged-<time>.json' suffix a file name must stay
# under the 255 bytes most file systems allow, even for names written in a non-Latin script.
_MAX_NAME_BYTES = 180
MAX_PLAYER = 80
AUTOSAVE_PREFIX = "Autosave"
# Temporary files start with '.' and end in '.tmp', so the list never mistakes one for a save.
_TEMP_PREFIX = ".moscow1941-"
_TEMP_SUFFIX = ".tmp"
_STALE_TEMP_SECONDS = 600
_AUTOSAVE_NAME = re.compile(rf"{AUTOSAVE_PREFIX}(?: \S+)? (\d+)", re.IGNORECASE)
_FORBIDDEN = frozenset('<>:"/\\|?*')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")})


# `SaveStore.list` shadows the builtin inside the class body, so its annotations use these.
_PathList = list[Path]
_TextList = list[str]


class SaveError(Exception):
    """A save that cannot be made, found or opened; the message is a full sentence for the
    player, naming the file and what to do."""


# ---- where saves live ------------------------------------------------------------------------

def resolve_saves_dir(cli_value: str | None = None) -> Path:
    """The saves folder: `--saves DIR`, else `$MOSCOW1941_SAVES`, else `./saves` when it exists
    in the working directory, else the platform's per-user data folder."""
    if cli_value:
        return Path(cli_value).expanduser().absolute()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser().absolute()
    here = Path("saves")
    if here.is_dir():
        return here.absolute()
    import platformdirs  # only here: most runs have a saves folder and never need it

    return Path(platformdirs.user_data_dir("moscow1941", appauthor=False)) / "saves"


def sanitize_name(name: str) -> str:
    """The file-safe form of a save name, which is the name the save is shown under.

    Control and format characters become spaces, characters no file system accepts become '-',
    runs of dots and spaces shrink to one, leading and trailing dots, spaces and dashes go, the
    name is cut to `MAX_NAME` characters, and a Windows device name (CON, LPT1, ...) gets a
    leading '_'. Raises SaveError when no letter or digit remains.
    """
    if not isinstance(name, str):
        raise SaveError("A save name must be text.")
    text = unicodedata.normalize("NFC", name[:10_000])
    chars = []
    for ch in text:
        if unicodedata.category(ch)[0] == "C":  # control, format, surrogate, unassigned
            chars.append(" ")
        elif ch in _FORBIDDEN:
            chars.append("-")
        else:
            chars.append(ch)
    clean = " ".join("".join(chars).split())
    clean = re.sub(r"\.{2,}", ".", clean).strip(" .-")
    clean = clean[:MAX_NAME]
    while len(clean.encode("utf-8")) > _MAX_NAME_BYTES:
        clean = clean[:-1]
    clean = clean.rstrip(" .-")
    if not any(ch.isalnum() for ch in clean):
        raise SaveError(f"‘{_shown(name)}’ cannot be used as a save name: give a name with at "
                        "least one letter or digit.")
    if clean.split(".")[0].rstrip().upper() in _RESERVED:
        clean = "_" + clean
    return clean


def _shown(name: str) -> str:
    """A name as it may be quoted back to the player: printable and short."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in name[:MAX_NAME])
    return printable + ("…" if len(name) > MAX_NAME else "")


def is_autosave_name(name: str) -> bool:
    """Whether `name` is one of the autosave slots (`Autosave soviet 1`, ...; `Autosave 1`
    was the shared ring of earlier versions)."""
    return _AUTOSAVE_NAME.fullmatch(name) is not None


def autosave_name(campaign: str, n: int) -> str:
    """The name of autosave slot `n` of `campaign`'s ring: each campaign has its own, so a
    game of one campaign never overwrites the progress of another."""
    return sanitize_name(f"{AUTOSAVE_PREFIX} {campaign} {n}")


# ---- values --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SaveInfo:
    """One readable save, as the save list shows it. `date` is the game's date as players read
    it; `story_changed` is true when the save was made with another version of the story."""

    name: str
    path: Path
    autosave: bool
    campaign: str
    scene_title: str
    date: str
    choice_divergence: float
    outcome_divergence: float
    player: str | None
    created: datetime
    updated: datetime
    story_changed: bool
    ended: bool = False
    """Whether the game had reached an ending when it was saved."""
    started: datetime | None = None
    """When the game was begun (its first sitting), if the face said so; else unknown (None),
    and `created`, when this file was first written, is the best guess."""
    # Author-mode jumps in the save's path (steps that reach a scene without a choice).
    jumps: int = 0


@dataclass(frozen=True, slots=True)
class UnreadableSave:
    """A file in the saves folder that cannot be opened; `reason` says why, for the player."""

    name: str
    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class Restored:
    """A loaded save: the game resumed, and what changed since, in plain sentences."""

    game: Game
    player: str | None
    info: SaveInfo
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _SaveFile:
    """A save file that passed every check: its list entry and what restoring needs."""

    info: SaveInfo
    content_hash: str
    seed: int
    choices: tuple[Step, ...]
    state: GameState


class _Unreadable(Exception):
    """Why a file is not a usable save (internal: becomes UnreadableSave or SaveError)."""


# ---- the store -------------------------------------------------------------------------------

class SaveStore:
    """The saves of one story in one folder: named saves, `autosaves` rotating autosave slots,
    and Continue (the most recent readable save).

    The folder is created on the first save. Nothing here raises on a bad file: reading
    problems become `UnreadableSave` entries or `SaveError`s.
    """

    def __init__(self, folder: Path, story: Story, *, autosaves: int = 5,
                 author: bool = False) -> None:
        if autosaves < 1:
            raise ValueError("a save store keeps at least one autosave")
        self.folder = Path(folder)
        self.story = story
        self.autosaves = autosaves
        # In author mode jumps are expected; elsewhere a save holding them says so on opening.
        self.author = author

    # ---- reading ---------------------------------------------------------------------------
    def list(self) -> list[SaveInfo | UnreadableSave]:
        """Every save in the folder, newest first; unreadable files are listed with the reason."""
        entries: list[tuple[float, str, SaveInfo | UnreadableSave]] = []
        for path in self._files():
            read = self._read(path)
            if isinstance(read, _SaveFile):
                entries.append((read.info.updated.timestamp(), read.info.name, read.info))
            else:
                try:
                    when = path.stat().st_mtime
                except OSError:
                    when = 0.0
                entries.append((when, read.name, read))
        entries.sort(key=lambda e: (-e[0], e[1]))
        return [entry for _, _, entry in entries]

    def latest(self) -> SaveInfo | None:
        """The most recently updated readable save (what Continue opens), or None."""
        for entry in self.list():
            if isinstance(entry, SaveInfo):
                return entry
        return None

    def load(self, name: str) -> Restored:
        """Open the save called `name`, replaying its choices on the store's story."""
        path = self._existing(name)
        read = self._read(path)
        if isinstance(read, UnreadableSave):
            raise SaveError(f"The save ‘{read.name}’ cannot be opened: {read.reason}")
        return self._restore(read)

    def find(self, name: str) -> SaveInfo | UnreadableSave | None:
        """The save that `save(name)` would write to (the name cleaned as `save` cleans it),
        or None if there is none yet: ask this before replacing, so that "Moscow: day 1" and
        "Moscow  day 1" are known to be one save."""
        path = self._path(sanitize_name(name))
        if not (path.exists() or path.is_symlink()):
            return None
        read = self._read(path)
        return read if isinstance(read, UnreadableSave) else read.info

    # ---- writing ---------------------------------------------------------------------------
    def save(self, name: str, game: Game, player: str | None = None,
             started: datetime | None = None) -> SaveInfo:
        """Save `game` under `name` (sanitised: the returned info carries the name used).

        Overwrites a readable save of that name; refuses, with a SaveError, to overwrite a file
        that cannot be read, so nothing is lost.
        """
        clean = sanitize_name(name)
        if is_autosave_name(clean):
            raise SaveError(f"‘{clean}’ is kept for automatic saves: choose another name.")
        path = self._path(clean)
        created = None
        if path.exists() or path.is_symlink():
            old = self._read(path)
            if isinstance(old, UnreadableSave):
                raise SaveError(
                    f"The file for ‘{clean}’ ({path}) cannot be read, so it was not overwritten: "
                    f"{old.reason} Save under another name, or delete that file first.")
            created = old.info.created
        return self._write(clean, path, game, player, created, None, started)

    def autosave(self, game: Game, player: str | None = None,
                 started: datetime | None = None) -> SaveInfo:
        """Save `game` in its campaign's autosave ring: an empty slot if there is one, else the
        oldest that does not hold a finished game (a finished game is kept until every slot of
        its campaign holds one), else the oldest.

        A slot holding a file that cannot be read is moved aside (to
        `NAME.damaged-<time>.json`, where the list still shows it) before it is reused.
        """
        slots: list[tuple[str, Path, _SaveFile | UnreadableSave | None]] = []
        for n in range(1, self.autosaves + 1):
            name = autosave_name(game.state.campaign, n)
            path = self._path(name)
            exists = path.exists() or path.is_symlink()
            slots.append((name, path, self._read(path) if exists else None))
        readable = [(r.info.updated, name, path) for name, path, r in slots
                    if isinstance(r, _SaveFile)]
        newest = max(readable)[0] if readable else None
        empty = [(name, path) for name, path, r in slots if r is None]
        damaged = [(name, path) for name, path, r in slots if isinstance(r, UnreadableSave)]
        if empty:
            name, path = empty[0]
        elif damaged:
            name, path = damaged[0]
            self._move_aside(name, path)
        else:
            unfinished = [(r.info.updated, name, path) for name, path, r in slots
                          if isinstance(r, _SaveFile) and not r.info.ended]
            _, name, path = min(unfinished or readable)
        return self._write(name, path, game, player, None, newest, started)

    def delete(self, name: str) -> None:
        """Delete the save called `name` (readable or not)."""
        path = self._existing(name)
        try:
            path.unlink()
        except OSError as exc:
            raise SaveError(f"The save ‘{path.stem}’ ({path}) could not be deleted: "
                            f"{exc.strerror or exc}.") from None
        _fsync_folder(self.folder)

    def rename(self, old: str, new: str) -> SaveInfo:
        """Give the save called `old` the name `new` (sanitised); never replaces another save."""
        src = self._existing(old)
        read = self._read(src)
        if isinstance(read, UnreadableSave):
            raise SaveError(f"The save ‘{read.name}’ cannot be read, so it was not renamed: "
                            f"{read.reason}")
        clean = sanitize_name(new)
        if is_autosave_name(clean):
            raise SaveError(f"‘{clean}’ is kept for automatic saves: choose another name.")
        dst = self._path(clean)
        if dst == src:
            return read.info
        same_file = False
        if dst.exists():
            with contextlib.suppress(OSError):
                # A case-only rename on a folder that ignores case finds "itself".
                same_file = os.path.samefile(src, dst)
            if not same_file:
                raise SaveError(f"There is already a save called ‘{clean}’: choose another name, "
                                "or delete that save first.")
        try:
            if same_file:
                os.replace(src, dst)
            else:
                _rename_no_replace(src, dst)
        except FileExistsError:
            raise SaveError(f"There is already a save called ‘{clean}’: choose another name, "
                            "or delete that save first.") from None
        except OSError as exc:
            raise SaveError(f"The save ‘{read.info.name}’ could not be renamed: "
                            f"{exc.strerror or exc}.") from None
        _fsync_folder(self.folder)
        renamed = self._read(dst)
        if isinstance(renamed, UnreadableSave):  # changed on disk under us
            raise SaveError(f"The save ‘{clean}’ cannot be read after renaming: {renamed.reason}")
        return renamed.info

    # ---- files ---------------------------------------------------------------------------
    def _path(self, clean: str) -> Path:
        return self.folder / f"{clean}{SUFFIX}"

    def _files(self) -> _PathList:
        try:
            children = list(self.folder.iterdir())
        except OSError:
            return []
        out = []
        for path in children:
            # Exactly '.json': `load(name)` must find the file the list showed under `name`.
            if path.name.startswith(".") or path.suffix != SUFFIX:
                continue
            try:
                if path.is_dir():
                    continue
            except OSError:
                pass
            out.append(path)
        return out

    def _existing(self, name: str) -> Path:
        """The file of an existing save called `name`: its exact name as listed, or its
        sanitised form. Raises SaveError when there is none."""
        # ':' too: on Windows 'C:name' would leave the folder for the current folder of drive C.
        if (isinstance(name, str) and name and not name.startswith(".")
                and not any(sep in name for sep in ("/", "\\", ":", "\x00"))):
            path = self._path(name)
            if path.parent == self.folder and (path.exists() or path.is_symlink()):
                return path
        clean = sanitize_name(name)
        path = self._path(clean)
        if path.exists() or path.is_symlink():
            return path
        raise SaveError(f"There is no save called ‘{_shown(name)}’ in {self.folder}.")

    def _read(self, path: Path) -> _SaveFile | UnreadableSave:
        try:
            return self._parse(path)
        except _Unreadable as exc:
            return UnreadableSave(path.stem, path, str(exc))

    def _parse(self, path: Path) -> _SaveFile:
        data = _read_json(path)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise _Unreadable("The file is not a Moscow 1941 save.")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise _Unreadable("The file does not say which save format it uses; it may be damaged.")
        if version > FORMAT_VERSION:
            raise _Unreadable(f"It was made by a newer version of Moscow 1941 (save format "
                              f"{version}; this version reads format {FORMAT_VERSION}). Update "
                              "the game to open it.")
        story = data.get("story")
        if not isinstance(story, dict):
            raise _Unreadable("The file does not say which story it belongs to; it may be damaged.")
        story_id, content_hash = story.get("id"), story.get("content_hash")
        if not isinstance(story_id, str) or not isinstance(content_hash, str):
            raise _Unreadable("The file does not say which story it belongs to; it may be damaged.")
        if story_id != self.story.id:
            raise _Unreadable(f"It belongs to another story (‘{_shown(story_id)}’), not to "
                              f"‘{self.story.id}’. Open it with that story.")
        campaign = _field(data, "campaign", str)
        if campaign not in self.story.campaigns:
            raise _Unreadable(f"Its campaign ‘{_shown(campaign)}’ no longer exists in this story "
                              f"(it has: {', '.join(self.story.campaigns)}).")
        seed = _field(data, "seed", int)
        player = data.get("player")
        if player is not None and (not isinstance(player, str) or len(player) > MAX_PLAYER):
            raise _Unreadable("Its player name is not valid text; it may be damaged.")
        player = _clean_player(player)  # no control characters or lone surrogates to show
        created, updated = _time(data, "created"), _time(data, "updated")
        started = _time(data, "started") if "started" in data else None
        summary = data.get("summary")
        if not isinstance(summary, dict):
            raise _Unreadable("The file lacks its summary (‘summary’); it may be damaged.")
        title, date = _field(summary, "scene_title", str), _field(summary, "date", str)
        ended = summary.get("ended", False)
        if not isinstance(ended, bool):
            raise _Unreadable("Its summary says neither that the game ended nor that it did not "
                              "(‘ended’); it may be damaged.")
        cdiv = _fraction(summary, "choice_divergence")
        odiv = _fraction(summary, "outcome_divergence")
        choices = _steps(data.get("choices"))
        try:
            state = GameState.from_json(data.get("state"))
        except StateError as exc:
            raise _Unreadable(f"Its game state is damaged: {exc}.") from None
        if state.campaign != campaign or state.seed != seed or tuple(state.path) != choices:
            raise _Unreadable("Its game state does not match its header; the file may have been "
                              "edited by hand or damaged.")
        info = SaveInfo(
            name=path.stem, path=path, autosave=is_autosave_name(path.stem), campaign=campaign,
            scene_title=strip_controls(title[:200]), date=strip_controls(date[:60]),
            choice_divergence=cdiv,
            outcome_divergence=odiv, player=player, created=created, updated=updated,
            story_changed=content_hash != self.story.content_hash, ended=ended,
            started=started, jumps=sum(1 for step in choices if step.index == JUMP))
        return _SaveFile(info, content_hash, seed, choices, state)

    def _restore(self, save: _SaveFile) -> Restored:
        info = save.info
        try:
            game, applied = Game.replay(self.story, info.campaign, save.seed, save.choices)
        except GameError as exc:
            raise SaveError(f"The save ‘{info.name}’ cannot be opened: {exc}.") from None
        total = len(save.choices)
        written = len(save.state.reflections)
        reflections_kept = game.restore_reflections(save.state.reflections)
        date = game.node.date
        where = f"‘{game.node.title}’ {'in' if date.day is None else 'on'} {date.display()}"
        changes: list[str] = []
        if info.story_changed:
            if applied == total:
                kept = {0: "you had made no choices yet", 1: "your one choice still applies"}.get(
                    total, f"all {total} of your choices still apply")
                changes.append(f"The story has changed since this save: {kept}; you resume at "
                               f"{where}.")
            else:
                changes.append(f"The story has changed since this save: {applied} of your "
                               f"{total} choices still apply; you resume at {where}.")
            changes.extend(self._variable_changes(save.state, game))
        elif applied < total:
            changes.append(f"This save's record of choices does not fit the story (it may be "
                           f"damaged): {applied} of your {total} choices apply; you resume at "
                           f"{where}.")
        elif (game.state.vars != save.state.vars or game.state.node != save.state.node
              or game.state.events != save.state.events):
            changes.append("The figures stored in this save did not match your choices; they "
                           "were worked out again from your choices.")
        if info.jumps and not self.author:
            changes.append(f"This save was made in author mode: {info.jumps} of its steps "
                           f"{'jump' if info.jumps != 1 else 'jumps'} to a scene without a "
                           "choice, so it does not show a game as played. Open it with "
                           "'play --author' to go on writing.")
        if reflections_kept < written:
            lost = written - reflections_kept
            changes.append(f"{lost} of your reflections belonged to choices that no longer apply "
                           "and were left out.")
        return Restored(game=game, player=info.player, info=info, changes=tuple(changes))

    def _variable_changes(self, saved: GameState, game: Game) -> _TextList:
        variables = self.story.variables
        out = []
        added = [variables[n].label for n in variables if n not in saved.vars]
        removed = [n.replace("_", " ").capitalize() for n in saved.vars if n not in variables]
        if added:
            out.append(f"New in this version of the story: {', '.join(added)}.")
        if removed:
            out.append(f"No longer part of the story: {', '.join(removed)}.")
        for name, var in variables.items():
            if var.show and name in saved.vars and game.state.vars[name] != saved.vars[name]:
                out.append(f"{var.label} is now {_value(game.state.vars[name])} (it was "
                           f"{_value(saved.vars[name])} when you saved).")
        return out

    def _write(self, name: str, path: Path, game: Game, player: str | None,
               created: datetime | None, after: datetime | None,
               started: datetime | None = None) -> SaveInfo:
        story = game.story
        if story.id != self.story.id:
            raise SaveError(f"This game belongs to the story ‘{story.id}’, but these saves are "
                            f"for ‘{self.story.id}’.")
        now = datetime.now(UTC)
        if after is not None and now <= after:
            # Keeps the ring's order (and Continue) right when the clock is coarse or steps back.
            now = after + timedelta(microseconds=1)
        clean_player = _clean_player(player)
        node, div = game.node, game.divergence()
        state = game.state.to_json()
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "story": {"id": story.id, "content_hash": story.content_hash},
            "campaign": game.state.campaign,
            "seed": game.state.seed,
            "player": clean_player,
            "created": (created or now).isoformat(),
            "updated": now.isoformat(),
            **({"started": started.isoformat()} if started is not None else {}),
            "summary": {"node": node.id, "scene_title": node.title, "date": node.date.display(),
                        "choice_divergence": div.choice, "outcome_divergence": div.outcome,
                        "ended": game.ended},
            "choices": state["path"],
            "state": state,
        }
        payload = _encode(data)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SaveError(f"The saves folder {self.folder} cannot be created: "
                            f"{exc.strerror or exc}. Choose another folder with --saves DIR or "
                            f"{ENV_VAR}.") from None
        try:
            write_atomic(path, payload)
        except OSError as exc:
            raise SaveError(f"The save ‘{name}’ could not be written to {self.folder}: "
                            f"{exc.strerror or exc}. Any earlier save of that name is "
                            "unchanged.") from None
        self._sweep_temporaries()
        return SaveInfo(
            name=name, path=path, autosave=is_autosave_name(name), campaign=game.state.campaign,
            scene_title=node.title, date=node.date.display(), choice_divergence=div.choice,
            outcome_divergence=div.outcome, player=clean_player, created=created or now,
            updated=now, story_changed=story.content_hash != self.story.content_hash,
            ended=game.ended, started=started,
            jumps=sum(1 for step in game.state.path if step.index == JUMP))

    def _move_aside(self, name: str, path: Path) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.folder / f"{name}.damaged-{stamp}{SUFFIX}"
        try:
            _rename_no_replace(path, target)
        except OSError as exc:
            raise SaveError(f"The damaged save {path} could not be moved aside: "
                            f"{exc.strerror or exc}.") from None
        _fsync_folder(self.folder)
        return target

    def _sweep_temporaries(self) -> None:
        """Remove temporary files left by writers that were killed mid-save, once they are old
        enough that no live writer can still own them."""
        cutoff = time.time() - _STALE_TEMP_SECONDS
        with contextlib.suppress(OSError):
            for path in self.folder.glob(f"{_TEMP_PREFIX}*{_TEMP_SUFFIX}"):
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()


# ---- atomic writing ---------------------------------------------------------------------------

def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that, whatever happens, it holds the old bytes or the new.

    The bytes go to a temporary file in the same folder (a rename is only atomic within one file
    system), are flushed and fsynced, the file is renamed over `path`, and the folder is fsynced
    so the rename itself survives a power cut.
    """
    fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder for fsync; its renames are journalled
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _rename_no_replace(src: Path, dst: Path) -> None:
    """Rename `src` to `dst`, failing with FileExistsError rather than replace `dst`."""
    try:
        os.link(src, dst)  # atomic: fails if dst exists
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (FAT, some network shares): check, then rename.
        if dst.exists() or dst.is_symlink():
            raise FileExistsError(str(dst)) from None
        os.rename(src, dst)
        return
    os.unlink(src)


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


# ---- reading untrusted files ---------------------------------------------------------------------

def _read_json(path: Path) -> object:
    try:
        # Non-blocking, then a check: a FIFO or device named like a save must not hang the list.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise _Unreadable("It is not a regular file, so it cannot be a save.")
            raw = f.read(MAX_SAVE_BYTES + 1)
    except OSError as exc:
        raise _Unreadable(f"The file cannot be read: {exc.strerror or exc}.") from None
    if len(raw) > MAX_SAVE_BYTES:
        raise _Unreadable(f"The file is larger than {MAX_SAVE_BYTES // (1024 * 1024)} MiB, far "
                          "more than any save; it is not a save.")
    if not raw.strip():
        raise _Unreadable("The file is empty; it may have been cut short.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable("The file is not UTF-8 text; it is damaged or not a save.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Unreadable(f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}); "
                          "it may be damaged or cut short.") from None
    except RecursionError:
        raise _Unreadable("The file is nested too deeply to be a save.") from None
    except ValueError:  # e.g. an integer with more digits than Python converts
        raise _Unreadable("The file holds a value too large to be part of a save.") from None


def _field(data: dict[str, Any], key: str, kind: type[Any]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Unreadable(f"The file's ‘{key}’ is missing or of the wrong type; it may be "
                          "damaged.")
    return value


def _fraction(data: dict[str, Any], key: str) -> float:
    value = data.get(key)
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or not 0 <= value <= 1):
        raise _Unreadable(f"The file's ‘{key}’ is not a number from 0 to 1; it may be damaged.")
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
        raise _Unreadable(f"The file's ‘{key}’ time is missing or not a date and time; it may be "
                          "damaged.") from None


def _steps(value: object) -> tuple[Step, ...]:
    if not isinstance(value, list):
        raise _Unreadable("The file lacks its list of choices; it may be damaged.")
    if len(value) > MAX_CHOICES:
        raise _Unreadable(f"The file records more than {MAX_CHOICES:,} choices; it is not a save "
                          "this game made.")
    try:
        return tuple(steps_from_json(value))
    except StateError:
        raise _Unreadable("A choice in the file is not [scene, choice number, next scene]; "
                          "the file may be damaged.") from None


def _clean_player(player: str | None) -> str | None:
    if player is None:
        return None
    text = " ".join("".join(" " if unicodedata.category(ch)[0] == "C" else ch
                            for ch in str(player)[:1000]).split())
    return text[:MAX_PLAYER] or None


def _value(value: bool | int | str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
