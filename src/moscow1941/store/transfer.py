"""Games between the school's database and terminal save folders, both ways.

`import_folder` reads what `collect` in `moscow1941.classroom.report` reads:

- a class folder made by the terminal's `serve --class` (`saves/<class>/<student>/`, each
  student's folder holding their saves and, when they signed in through the browser, a
  `.student.json` claim), or
- a folder of save files collected by hand, grouped by each save's player (the file's name
  when a save names none),

and makes each student a student of the class (a student of that name who is there already
is the same student) and each of their games a game. A claim's scrypt hash is carried over as
it is, so the student keeps their secret word. Which saves become games:

- a student's saves of one game are one game: a save whose choices (same campaign and seed)
  are the first choices of another save of theirs is an older state of that game (an autosave
  ring holds several) and is left out; of saves with the same choices, the newest is kept. So a
  student gets one game per game they played, at its furthest state, and a finished game and a
  newer restart are two games (the class report takes the finished one, as before);
- importing again adds nothing twice: a game whose campaign, seed and choices are those of one
  of the student's games in the database, or the first choices of one, is skipped.

A game keeps its start and last-played times; its reflections are dated when they are imported.
Every save is reopened on the story (`SaveStore.load`), so a save made with another version of
the story comes in as the story plays it now. Files that cannot be used are reported with the
reason; nothing in a folder raises anything but a `TransferError` for the folder itself.

`export_class` writes a class back in the terminal's layout, `<folder>/<student>/` for each
student (the teacher's preview players aside): a claim carrying the student's hashed word, when
they have one, and each game as a save named after its campaign (`soviet`, `soviet 2`, ...),
with the times it was played, so `moscow1941 report` and `serve --class` read the folder. A
game already saved there (the same choices, or a save that goes further) is not written again,
and an existing file is never replaced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from moscow1941.classroom import students as student_claims
from moscow1941.classroom.report import Problem, load_all
from moscow1941.classroom.students import CLAIM_FILE, StudentError, clean_name, student_folder
from moscow1941.engine import Game, savefile
from moscow1941.engine.game import GameError
from moscow1941.engine.saves import (
    MAX_PLAYER,
    SUFFIX,
    Restored,
    SaveError,
    SaveInfo,
    SaveStore,
    sanitize_name,
)
from moscow1941.engine.state import GameState, StateError
from moscow1941.files import create_exclusive, write_atomic
from moscow1941.i18n import _
from moscow1941.store import ClassRow, GameRow, Store, StoreError, StudentRow, summarize
from moscow1941.story.model import Story

__all__ = ["ExportReport", "ImportReport", "Problem", "StoreError", "TransferError", "export_class",
           "import_folder"]

Key = tuple[str, int, tuple[tuple[str, int, str], ...]]
"""What makes two states states of one game: campaign, seed and the choices made."""


class TransferError(Exception):
    """A folder that cannot be imported or exported at all; a sentence for the teacher."""


@dataclass(slots=True)
class ImportReport:
    """What `import_folder` did: the students added and found already there (by name), the
    games imported and those skipped as already in the database, the secret words carried
    over, and what could not be used."""

    added: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    games: int = 0
    skipped: int = 0
    words: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class ExportReport:
    """What `export_class` wrote: the students' folders, the saves and claims written, the
    games left out as already there, and what could not be written."""

    students: list[str] = field(default_factory=list)
    games: int = 0
    skipped: int = 0
    claims: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class _Source:
    """One student as found in the folder: their name, claim hash, saves and where."""

    name: str
    path: Path
    secret_hash: str | None
    saves: list[Restored]


# ---- keys ---------------------------------------------------------------------------------------

def _key(state: GameState) -> Key:
    return (state.campaign, state.seed, tuple((s.node, s.index, s.goto) for s in state.path))


def _covers(longer: Key, shorter: Key) -> bool:
    """Whether `shorter` is `longer` or an earlier state of the same game."""
    return (longer[0], longer[1]) == (shorter[0], shorter[1]) and longer[2][:len(shorter[2])] == shorter[2]


def _stamp(when: datetime) -> str:
    """A time as the store writes its own (UTC, milliseconds), so they sort together."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


# ---- import -------------------------------------------------------------------------------------

def import_folder(store: Store, class_row: ClassRow, saves_folder: Path, story: Story) -> ImportReport:
    """Import a class folder or a folder of saves into `class_row` (see the module docstring).
    Raises TransferError when the folder cannot be read at all, StoreError when the database
    refuses."""
    folder = Path(saves_folder)
    if not folder.is_dir():
        raise TransferError(_("{folder}: there is no such folder. Give the folder that holds a "
                              "class's saves (for example saves/7b).").format(folder=folder))
    try:
        children = sorted(folder.iterdir())
    except OSError as exc:
        raise TransferError(_("{folder}: the folder cannot be read ({reason}).").format(
            folder=folder, reason=exc.strerror or exc)) from None
    report = ImportReport()
    for source in _sources(folder, children, story, report.problems):
        _import_student(store, class_row, source, story, report)
    return report


def _sources(folder: Path, children: list[Path], story: Story, problems: list[Problem]) -> list[_Source]:
    sources: list[_Source] = []
    loose: dict[str, _Source] = {}
    for restored in load_all(folder, story, problems):
        player = _one_line(restored.player or "") or _one_line(restored.info.name)
        source = loose.setdefault(player.casefold(), _Source(player, folder, None, []))
        source.saves.append(restored)
    sources.extend(loose.values())
    for child in children:
        if child.name.startswith(".") or not child.is_dir():
            continue
        claim = child / CLAIM_FILE
        has_claim = claim.exists() or claim.is_symlink()
        before = len(problems)
        saves = load_all(child, story, problems)
        if not saves and not has_claim and len(problems) == before:
            continue  # not a student's folder (a folder of transcripts, say)
        name, hashed = None, None
        if has_claim:
            try:
                data = student_claims._read_claim(claim)
                name = _one_line(data["name"])
                kdf = data["kdf"]
                hashed = f"scrypt${kdf['n']}${kdf['r']}${kdf['p']}${data['salt']}${data['hash']}"
            except (StudentError, RecursionError):
                problems.append(Problem(claim, _("The student's sign-in record cannot be read; "
                                                 "their name is taken from their saves instead, "
                                                 "and they choose a new secret word.")))
        if not name:
            players = [r.player for r in sorted(saves, key=lambda r: r.info.updated) if r.player]
            name = _one_line(players[-1] if players else "") or _one_line(child.name)
        sources.append(_Source(name, child, hashed, saves))
    return sources


def _one_line(text: str) -> str:
    return " ".join(text.split())[:MAX_PLAYER]


def _import_student(store: Store, class_row: ClassRow, source: _Source, story: Story,
                    report: ImportReport) -> None:
    try:
        name = clean_name(source.name)
    except StudentError as exc:
        report.problems.append(Problem(source.path, _("{name}: this name cannot be used in the "
                                                      "database ({reason}); rename the folder and "
                                                      "import it again.").format(
            name=source.name, reason=exc)))
        return
    student = store.student_named(class_row.id, name)
    if student is None:
        added, _skipped = store.add_students(class_row.id, [name])
        student = added[0] if added else store.student_named(class_row.id, name)
        assert student is not None
        report.added.append(student.name)
    else:
        report.found.append(student.name)
    if source.secret_hash is not None:
        if store.claim_hash(student.id, source.secret_hash):
            report.words += 1
        elif store.secret_hash(student.id) != source.secret_hash:
            report.problems.append(Problem(source.path / CLAIM_FILE, _(
                "{name} already has a secret word in the database; that word stays, and the "
                "one in this folder was not carried over.").format(name=student.name)))
    have = [_row_key(g) for g in store.games_of(student.id)]
    known = [k for k in have if k is not None]
    newest: GameRow | None = None
    for restored in _distinct(source.saves):
        key = _key(restored.game.state)
        if any(_covers(k, key) for k in known):
            report.skipped += 1
            continue
        info = restored.info
        row = store.new_game(student.id, key[0], key[1], story.content_hash,
                             restored.game.state.to_json(), summarize(restored.game),
                             started=_stamp(info.started or info.created), updated=_stamp(info.updated),
                             current=False)
        known.append(key)
        report.games += 1
        if newest is None or row.updated > newest.updated:
            newest = row
    fresh = store.student(student.id)
    if newest is not None and fresh is not None and fresh.current_game is None:
        store.set_current(student.id, newest.id)


def _distinct(saves: list[Restored]) -> list[Restored]:
    """One save per game: the furthest state of each (the newest of equal ones), oldest first."""
    ordered = sorted(saves, key=lambda r: (-len(r.game.state.path), -r.info.updated.timestamp(), r.info.name))
    kept: list[tuple[Key, Restored]] = []
    for restored in ordered:
        key = _key(restored.game.state)
        if not any(_covers(k, key) for k, _r in kept):
            kept.append((key, restored))
    return sorted((r for _k, r in kept), key=lambda r: r.info.updated)


def _row_key(row: GameRow) -> Key | None:
    try:
        return _key(GameState.from_json(row.state_json))
    except (StateError, ValueError):
        return None


# ---- export -------------------------------------------------------------------------------------

def export_class(store: Store, class_row: ClassRow, folder: Path, story: Story) -> ExportReport:
    """Write the class's students and games into `folder`, as the class folder of the terminal
    layout (see the module docstring). Raises TransferError when the folder cannot be made."""
    class_dir = Path(folder)
    try:
        class_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TransferError(_("{folder}: the folder cannot be made ({reason}).").format(
            folder=class_dir, reason=exc.strerror or exc)) from None
    report = ExportReport()
    used: dict[str, str] = {}
    for student in store.students(class_row.id):
        try:
            where = student_folder(class_dir, student.name)
            if where.name in used:  # `Anna` and `Anna.` are two students but one folder
                report.problems.append(Problem(where, _(
                    "{name} would share the folder {folder} with {other}; rename one of them "
                    "and export again.").format(name=student.name, folder=where.name,
                                                other=used[where.name])))
                continue
            used[where.name] = student.name
            where.mkdir(exist_ok=True)
        except (StudentError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            report.problems.append(Problem(class_dir, _("{name}: the folder for this student cannot "
                                                        "be made ({reason}).").format(
                name=student.name, reason=reason)))
            continue
        report.students.append(student.name)
        hashed = store.secret_hash(student.id)
        if hashed is not None:
            _export_claim(student, hashed, where, report)
        _export_games(store, student, where, story, report)
    return report


def _export_claim(student: StudentRow, hashed: str, where: Path, report: ExportReport) -> None:
    claim = where / CLAIM_FILE
    parts = hashed.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or not all(p.isdigit() for p in parts[1:4]):
        report.problems.append(Problem(claim, _("{name}'s secret word is kept in a form the "
                                                "terminal cannot read; they choose a new one "
                                                "there.").format(name=student.name)))
        return
    data = {"format": student_claims.CLAIM_FORMAT, "version": student_claims.CLAIM_VERSION,
            "name": student.name, "folder": where.name, "created": student.created,
            "kdf": {"name": "scrypt", "n": int(parts[1]), "r": int(parts[2]), "p": int(parts[3])},
            "salt": parts[4], "hash": parts[5]}
    payload = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    try:
        create_exclusive(claim, payload)
    except FileExistsError:
        try:
            there = student_claims._read_claim(claim)
        except StudentError:
            there = {}
        if (there.get("salt"), there.get("hash")) != (parts[4], parts[5]):
            report.problems.append(Problem(claim, _("{name}'s folder already has a sign-in record "
                                                    "with another secret word; it was left as it "
                                                    "is.").format(name=student.name)))
        return
    except OSError as exc:
        report.problems.append(Problem(claim, _("The sign-in record cannot be written ({reason}).").format(
            reason=exc.strerror or exc)))
        return
    report.claims += 1


def _export_games(store: Store, student: StudentRow, where: Path, story: Story,
                  report: ExportReport) -> None:
    saves = SaveStore(where, story)
    there: list[Key] = []
    taken: set[str] = set()
    for entry in saves.list():
        taken.add(entry.name.casefold())
        if isinstance(entry, SaveInfo):
            try:
                there.append(_key(saves.load(entry.name).game.state))
            except SaveError:
                pass
    for row in sorted(store.games_of(student.id), key=lambda g: (g.started, g.id)):
        try:
            state = GameState.from_json(row.state_json)
            game, _applied = Game.replay(story, state.campaign, state.seed, state.path)
        except (StateError, GameError, ValueError) as exc:
            report.problems.append(Problem(where, _("{name}'s game {id} cannot be rebuilt on this "
                                                    "story ({reason}).").format(
                name=student.name, id=row.id, reason=exc)))
            continue
        game.restore_reflections(state.reflections)
        key = _key(game.state)
        if any(_covers(k, key) for k in there):
            report.skipped += 1
            continue
        name = _free_name(row.campaign, taken)
        started = datetime.fromisoformat(row.started)
        payload = savefile.encode(game, savefile.clean_player(student.name), started,
                                  datetime.fromisoformat(row.updated), started)
        path = where / f"{name}{SUFFIX}"
        try:
            write_atomic(path, payload)
        except OSError as exc:
            report.problems.append(Problem(path, _("The save cannot be written ({reason}).").format(
                reason=exc.strerror or exc)))
            continue
        taken.add(name.casefold())
        there.append(key)
        report.games += 1


def _free_name(campaign: str, taken: set[str]) -> str:
    """`campaign`, or `campaign 2`, `campaign 3`, ...: the first no save in the folder has."""
    n = 1
    while True:
        name = sanitize_name(campaign if n == 1 else f"{campaign} {n}")
        if name.casefold() not in taken:
            return name
        n += 1

