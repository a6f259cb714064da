"""Saves: named slots, a ring of autosaves and Continue, kept as JSON files in one folder.

One `SaveStore` serves every face and tool. A save is `GameState.to_json()` plus a header (format
version, story id and content hash, campaign, seed, the choices made, player, times and a summary
for the save list): the file format is `engine.savefile`, documented in `docs/saves.md`; this
module is the folder of saves, their names and the autosave ring. Atomic writes and bounded
reads are `moscow1941.files`.

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
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from moscow1941.engine import savefile
from moscow1941.engine.game import JUMP, Game, GameError
from moscow1941.engine.savefile import (
    FORMAT,
    FORMAT_VERSION,
    MAX_CHOICES,
    MAX_PLAYER,
    MAX_SAVE_BYTES,
    Unreadable,
    shown,
)
from moscow1941.engine.savefile import clean_player as clean_player_name
from moscow1941.engine.state import GameState, Step
from moscow1941.files import (
    DEVICE_NAMES,
    TEMP_PREFIX,
    TEMP_SUFFIX,
    fsync_folder,
    rename_no_replace,
    write_atomic,
)
from moscow1941.i18n import _, ngettext
from moscow1941.story.model import Story

__all__ = [
    "AUTOSAVE_PREFIX", "ENV_VAR", "FORMAT", "FORMAT_VERSION", "MAX_CHOICES", "MAX_NAME",
    "MAX_PLAYER", "MAX_SAVE_BYTES", "SUFFIX", "Restored", "SaveError", "SaveInfo", "SaveStore",
    "UnreadableSave", "autosave_name", "is_autosave_name", "resolve_saves_dir", "sanitize_name",
    "write_atomic",
]

SUFFIX = ".json"
ENV_VAR = "MOSCOW1941_SAVES"
MAX_NAME = 60
# Names are also bounded in bytes: with the '.damaged-<time>.json' suffix a file name must stay
# under the 255 bytes most file systems allow, even for names written in a non-Latin script.
_MAX_NAME_BYTES = 180
AUTOSAVE_PREFIX = "Autosave"
_STALE_TEMP_SECONDS = 600
_AUTOSAVE_NAME = re.compile(rf"{AUTOSAVE_PREFIX}(?: \S+)? (\d+)", re.IGNORECASE)
_FORBIDDEN = frozenset('<>:"/\\|?*')


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
        raise SaveError(_("‘{name}’ cannot be used as a save name: give a name with at least one "
                          "letter or digit.").format(name=shown(name, MAX_NAME)))
    if clean.split(".")[0].rstrip().upper() in DEVICE_NAMES:
        clean = "_" + clean
    return clean


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
            raise SaveError(_("The save ‘{name}’ cannot be opened: {reason}").format(
                name=read.name, reason=read.reason))
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
            raise SaveError(_("‘{name}’ is kept for automatic saves: choose another name.").format(
                name=clean))
        path = self._path(clean)
        created = None
        if path.exists() or path.is_symlink():
            old = self._read(path)
            if isinstance(old, UnreadableSave):
                raise SaveError(
                    _("The file for ‘{name}’ ({path}) cannot be read, so it was not overwritten: "
                      "{reason} Save under another name, or delete that file first.").format(
                        name=clean, path=path, reason=old.reason))
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
            raise SaveError(_("The save ‘{name}’ ({path}) could not be deleted: {reason}.").format(
                name=path.stem, path=path, reason=exc.strerror or exc)) from None
        fsync_folder(self.folder)

    def rename(self, old: str, new: str) -> SaveInfo:
        """Give the save called `old` the name `new` (sanitised); never replaces another save."""
        src = self._existing(old)
        read = self._read(src)
        if isinstance(read, UnreadableSave):
            raise SaveError(_("The save ‘{name}’ cannot be read, so it was not renamed: "
                              "{reason}").format(name=read.name, reason=read.reason))
        clean = sanitize_name(new)
        if is_autosave_name(clean):
            raise SaveError(_("‘{name}’ is kept for automatic saves: choose another name.").format(
                name=clean))
        dst = self._path(clean)
        if dst == src:
            return read.info
        same_file = False
        if dst.exists():
            with contextlib.suppress(OSError):
                # A case-only rename on a folder that ignores case finds "itself".
                same_file = os.path.samefile(src, dst)
            if not same_file:
                raise SaveError(_("There is already a save called ‘{name}’: choose another "
                                  "name, or delete that save first.").format(name=clean))
        try:
            if same_file:
                os.replace(src, dst)
            else:
                rename_no_replace(src, dst)
        except FileExistsError:
            raise SaveError(_("There is already a save called ‘{name}’: choose another "
                              "name, or delete that save first.").format(name=clean)) from None
        except OSError as exc:
            raise SaveError(_("The save ‘{name}’ could not be renamed: {reason}.").format(
                name=read.info.name, reason=exc.strerror or exc)) from None
        fsync_folder(self.folder)
        renamed = self._read(dst)
        if isinstance(renamed, UnreadableSave):  # changed on disk under us
            raise SaveError(_("The save ‘{name}’ cannot be read after renaming: {reason}").format(
                name=clean, reason=renamed.reason))
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
        raise SaveError(_("There is no save called ‘{name}’ in {folder}.").format(
            name=shown(name, MAX_NAME), folder=self.folder))

    def _read(self, path: Path) -> _SaveFile | UnreadableSave:
        try:
            return self._parse(path)
        except Unreadable as exc:
            return UnreadableSave(path.stem, path, str(exc))

    def _parse(self, path: Path) -> _SaveFile:
        f = savefile.parse(savefile.read(path), self.story)
        title, date = f.scene_title, f.date
        node = self.story.nodes.get(f.state.node)
        if node is not None and f.content_hash == self.story.content_hash:
            # The scene in the language the story is read in, not the one it was saved in.
            title, date = node.title, node.date.display()
        info = SaveInfo(
            name=path.stem, path=path, autosave=is_autosave_name(path.stem), campaign=f.campaign,
            scene_title=title, date=date, choice_divergence=f.choice_divergence,
            outcome_divergence=f.outcome_divergence, player=f.player, created=f.created,
            updated=f.updated, story_changed=f.content_hash != self.story.content_hash,
            ended=f.ended, started=f.started,
            jumps=sum(1 for step in f.choices if step.index == JUMP))
        return _SaveFile(info, f.content_hash, f.seed, f.choices, f.state)

    def _restore(self, save: _SaveFile) -> Restored:
        info = save.info
        try:
            game, applied = Game.replay(self.story, info.campaign, save.seed, save.choices)
        except GameError as exc:
            raise SaveError(_("The save ‘{name}’ cannot be opened: {reason}.").format(
                name=info.name, reason=exc)) from None
        total = len(save.choices)
        written = len(save.state.reflections)
        reflections_kept = game.restore_reflections(save.state.reflections)
        date = game.node.date
        # Translators: where a game resumes: ‘scene’ in April 1941 / on 13 April 1941.
        where = (_("‘{scene}’ in {date}") if date.day is None else _("‘{scene}’ on {date}")).format(
            scene=game.node.title, date=date.display())
        changes: list[str] = []
        if info.story_changed:
            if applied == total:
                kept = ({0: _("you had made no choices yet"),
                         1: _("your one choice still applies")}.get(total)
                        or ngettext("all {n} of your choices still apply",
                                    "all {n} of your choices still apply", total).format(n=total))
                changes.append(_("The story has changed since this save: {kept}; you resume at "
                                 "{where}.").format(kept=kept, where=where))
            else:
                changes.append(ngettext("The story has changed since this save: {applied} of your "
                                        "{total} choices still apply; you resume at {where}.",
                                        "The story has changed since this save: {applied} of your "
                                        "{total} choices still apply; you resume at {where}.",
                                        total).format(applied=applied, total=total, where=where))
            changes.extend(self._variable_changes(save.state, game))
        elif applied < total:
            changes.append(ngettext("This save's record of choices does not fit the story (it may "
                                    "be damaged): {applied} of your {total} choices apply; you "
                                    "resume at {where}.",
                                    "This save's record of choices does not fit the story (it may "
                                    "be damaged): {applied} of your {total} choices apply; you "
                                    "resume at {where}.", total).format(
                applied=applied, total=total, where=where))
        elif (game.state.vars != save.state.vars or game.state.node != save.state.node
              or game.state.events != save.state.events):
            changes.append(_("The figures stored in this save did not match your choices; they "
                             "were worked out again from your choices."))
        if info.jumps and not self.author:
            changes.append(ngettext("This save was made in author mode: {n} of its steps jumps to "
                                    "a scene without a choice, so it does not show a game as "
                                    "played. Open it with 'play --author' to go on writing.",
                                    "This save was made in author mode: {n} of its steps jump to "
                                    "a scene without a choice, so it does not show a game as "
                                    "played. Open it with 'play --author' to go on writing.",
                                    info.jumps).format(n=info.jumps))
        if reflections_kept < written:
            lost = written - reflections_kept
            changes.append(ngettext("{n} of your reflections belonged to choices that no longer "
                                    "apply and were left out.",
                                    "{n} of your reflections belonged to choices that no longer "
                                    "apply and were left out.", lost).format(n=lost))
        return Restored(game=game, player=info.player, info=info, changes=tuple(changes))

    def _variable_changes(self, saved: GameState, game: Game) -> _TextList:
        variables = self.story.variables
        out = []
        added = [variables[n].label for n in variables if n not in saved.vars]
        removed = [n.replace("_", " ").capitalize() for n in saved.vars if n not in variables]
        if added:
            out.append(_("New in this version of the story: {names}.").format(
                names=", ".join(added)))
        if removed:
            out.append(_("No longer part of the story: {names}.").format(names=", ".join(removed)))
        for name, var in variables.items():
            if var.show and name in saved.vars and game.state.vars[name] != saved.vars[name]:
                out.append(_("{label} is now {value} (it was {old} when you saved).").format(
                    label=var.label, value=_value(game.state.vars[name]),
                    old=_value(saved.vars[name])))
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
        clean_player = clean_player_name(player)
        node, div = game.node, game.divergence()
        payload = savefile.encode(game, clean_player, created or now, now, started)
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
            rename_no_replace(path, target)
        except OSError as exc:
            raise SaveError(f"The damaged save {path} could not be moved aside: "
                            f"{exc.strerror or exc}.") from None
        fsync_folder(self.folder)
        return target

    def _sweep_temporaries(self) -> None:
        """Remove temporary files left by writers that were killed mid-save, once they are old
        enough that no live writer can still own them."""
        cutoff = time.time() - _STALE_TEMP_SECONDS
        with contextlib.suppress(OSError):
            for path in self.folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()





def _value(value: bool | int | str) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)
