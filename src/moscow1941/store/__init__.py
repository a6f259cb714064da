"""The school's store: classes, students, games and reflections in one database.

SQLite by default (one file beside the saves, nothing to install, a file the teacher can copy),
PostgreSQL for a school or district that runs several server processes or machines on one
database (`postgresql://...`, with the `postgres` extra). Both have the same schema
(`store.schema`, applied as numbered migrations when a store opens) and the same tests.

What the store keeps of a game is its `GameState` as JSON (the same JSON a save file holds),
with a summary beside it for lists and the teacher's live view (scene, date, ended, the two
divergence figures) and a `version` that every change increases: `advance` writes a game only
if nobody changed it since it was read, so two requests racing for one game (a double click, a
student's requests served by two processes) make one change, never two.

Secret words and teachers' passwords are kept salted and hashed with scrypt, as the terminal
face's claims are (`classroom.students`). Names are cleaned and compared as
`classroom.students.name_key` compares them.

The store never imports a user interface or the web server: the web face
(`moscow1941.web.face`) asks it, and `moscow1941.store.transfer` moves games between it and
terminal save folders.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from moscow1941.classroom.students import (
    SCRYPT_N,
    StudentError,
    _scrypt,
    clean_name,
    clean_secret,
    name_key,
)
from moscow1941.i18n import _
from moscow1941.store.db import Database, StoreError, redact
from moscow1941.store.schema import LATEST, MIGRATIONS

if TYPE_CHECKING:
    from moscow1941.engine import Game

__all__ = ["ClassRow", "Database", "GameRow", "GameSummary", "ReflectionRow", "Store",
           "StoreError", "StudentRow", "default_db_url", "hash_secret", "summarize", "verify_secret",
           "redact"]

DB_FILE = "school.sqlite3"
"""The school's SQLite file, in the saves root, when no `--db` address is given."""

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Class codes: no 0/O, 1/I, so a code read off a handout is typed right."""
CODE_LENGTH = 6
MIN_PASSWORD = 8
"""The shortest teacher's password, in characters."""
_R, _P = 8, 1


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def default_db_url(saves_arg: str | None = None) -> str:
    """The database the web face and `moscow1941 db` use when given no `--db`: the SQLite file
    `school.sqlite3` in the saves root (`--saves DIR`, `$MOSCOW1941_SAVES`, `./saves` or the
    per-user data folder; see `engine.saves.resolve_saves_dir`)."""
    from moscow1941.engine.saves import resolve_saves_dir  # only here: the store needs no engine

    return str(resolve_saves_dir(saves_arg) / DB_FILE)


def hash_secret(word: str) -> str:
    """`word` salted and hashed with scrypt, as one string: `scrypt$N$r$p$SALT$HASH`."""
    salt = secrets.token_bytes(16)
    return f"scrypt${SCRYPT_N}${_R}${_P}${salt.hex()}${_scrypt(word, salt, SCRYPT_N, _R, _P).hex()}"


def verify_secret(word: str, stored: str | None) -> bool:
    """Whether `word` is the word hashed in `stored` (False for none or a damaged hash; the
    same scrypt work is done either way, so the time does not tell which)."""
    try:
        kind, n, r, p, salt, digest = (stored or "").split("$")
        n_, r_, p_ = int(n), int(r), int(p)
        ok = kind == "scrypt" and 2 <= n_ <= 2 ** 17 and n_ & (n_ - 1) == 0 and 1 <= r_ <= 16 \
            and 1 <= p_ <= 4
        salt_b, want = bytes.fromhex(salt), bytes.fromhex(digest)
    except ValueError:
        ok = False
    if not ok:
        _scrypt(word, b"\0" * 16, SCRYPT_N, _R, _P)
        return False
    return hmac.compare_digest(_scrypt(word, salt_b, n_, r_, p_), want)


# ---- rows ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ClassRow:
    id: int
    name: str
    code: str
    language: str
    signup: bool
    teacher_version: int
    created: str


@dataclass(frozen=True, slots=True)
class StudentRow:
    id: int
    class_id: int
    name: str
    claimed: bool
    secret_version: int
    preview: bool
    language: str | None
    current_game: int | None
    created: str
    seen: str | None


@dataclass(frozen=True, slots=True)
class GameSummary:
    """What lists and the live view show of a game, kept beside its state."""

    step: int
    node: str
    title: str
    story_date: str
    ended: bool
    choice_div: float
    outcome_div: float


@dataclass(frozen=True, slots=True)
class GameRow:
    id: int
    student_id: int
    campaign: str
    seed: int
    content_hash: str
    state: str
    version: int
    summary: GameSummary
    started: str
    updated: str
    handed_in: str | None

    @property
    def state_json(self) -> Any:
        return json.loads(self.state)


@dataclass(frozen=True, slots=True)
class ReflectionRow:
    game_id: int
    student_id: int
    student: str
    campaign: str
    step: int
    node: str
    answer: str
    at: str


_CLASS = "id, name, code, language, signup, teacher_version, created"
_STUDENT = ("id, class_id, name, secret_hash IS NOT NULL, secret_version, preview, language, "
            "current_game, created, seen")
_GAME = ("id, student_id, campaign, seed, content_hash, state, version, step, node, title, "
         "story_date, ended, choice_div, outcome_div, started, updated, handed_in")


def _class(row: Sequence[Any]) -> ClassRow:
    return ClassRow(int(row[0]), row[1], row[2], row[3], bool(row[4]), int(row[5]), row[6])


def _student(row: Sequence[Any]) -> StudentRow:
    return StudentRow(int(row[0]), int(row[1]), row[2], bool(row[3]), int(row[4]), bool(row[5]),
                      row[6], None if row[7] is None else int(row[7]), row[8], row[9])


def _game(row: Sequence[Any]) -> GameRow:
    summary = GameSummary(int(row[7]), row[8], row[9], row[10], bool(row[11]), float(row[12]),
                          float(row[13]))
    return GameRow(int(row[0]), int(row[1]), row[2], int(row[3]), row[4], row[5], int(row[6]),
                   summary, row[14], row[15], row[16])


class Store:
    """The school's database. Methods are small transactions; a `StoreError` is a sentence."""

    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self.url = url
        try:
            self.migrate()
        except BaseException:
            self.db.close()
            raise

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        try:
            row = self.db.one("SELECT value FROM meta WHERE name = 'schema_version'")
        except StoreError:
            return 0
        return int(row[0]) if row else 0

    def migrate(self) -> int:
        """Apply the migrations this database lacks; return how many were applied."""
        db = self.db
        with db.transaction():
            db.advisory_lock()
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = db.one("SELECT value FROM meta WHERE name = 'schema_version'")
            have = int(row[0]) if row else 0
            if have > LATEST:
                raise StoreError(_("The database {db} was made by a newer Moscow 1941 (schema "
                                   "{have}; this one knows {latest}): upgrade the game.").format(
                    db=redact(self.url), have=have, latest=LATEST))
            for number in range(have + 1, LATEST + 1):
                for statement in MIGRATIONS[number - 1]:
                    db.execute(statement)
            if have == 0:
                db.execute("INSERT INTO meta (name, value) VALUES ('schema_version', ?)", (str(LATEST),))
            elif have < LATEST:
                db.execute("UPDATE meta SET value = ? WHERE name = 'schema_version'", (str(LATEST),))
        return LATEST - have

    # ---- a secret shared by every process (the key that signs cookies) ------------------------
    def secret(self, name: str) -> bytes:
        db = self.db
        row = db.one("SELECT value FROM secrets WHERE name = ?", (name,))
        if row:
            return bytes.fromhex(row[0])
        with db.transaction():
            if db.dialect == "postgresql":
                db.execute("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
                           (name, secrets.token_hex(32)))
            else:
                db.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)",
                           (name, secrets.token_hex(32)))
            row = db.one("SELECT value FROM secrets WHERE name = ?", (name,))
        return bytes.fromhex(row[0])

    # ---- classes ------------------------------------------------------------------------------
    def create_class(self, name: str, teacher_password: str, language: str = "en",
                     signup: bool = False) -> ClassRow:
        """A new class. Raises StudentError for a name that cannot be used, StoreError for one
        that is taken or a password shorter than 8 characters."""
        label = clean_name(name, "class name")
        if len(teacher_password) < MIN_PASSWORD:
            raise StoreError(_("A teacher's password needs at least {n} characters.").format(
                n=MIN_PASSWORD))
        hashed = hash_secret(teacher_password)
        for _attempt in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self.db.transaction() as db:
                    if db.one("SELECT 1 FROM classes WHERE name_key = ?", (name_key(label, "class name"),)):
                        raise StoreError(_("There is already a class called {name}.").format(name=label))
                    db.execute("INSERT INTO classes (name, name_key, code, teacher_hash, language, "
                               "signup, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (label, name_key(label, "class name"), code, hashed, language,
                                int(signup), now()))
            except Exception as exc:
                if self.db.is_integrity_error(exc):
                    continue  # the code was taken a moment ago: draw another
                raise
            found = self.class_named(label)
            assert found is not None
            return found
        raise StoreError(_("No free class code could be drawn; try again."))

    def class_named(self, name: str) -> ClassRow | None:
        try:
            key = name_key(name, "class name")
        except StudentError:
            return None
        row = self.db.one(f"SELECT {_CLASS} FROM classes WHERE name_key = ?", (key,))
        return _class(row) if row else None

    def class_by_code(self, code: str) -> ClassRow | None:
        clean = "".join(ch for ch in str(code).upper() if ch.isalnum())[:CODE_LENGTH * 2]
        row = self.db.one(f"SELECT {_CLASS} FROM classes WHERE code = ?", (clean,))
        return _class(row) if row else None

    def class_by_id(self, class_id: int) -> ClassRow | None:
        row = self.db.one(f"SELECT {_CLASS} FROM classes WHERE id = ?", (class_id,))
        return _class(row) if row else None

    def classes(self) -> list[ClassRow]:
        return [_class(r) for r in self.db.all(f"SELECT {_CLASS} FROM classes ORDER BY id")]

    def check_teacher(self, class_id: int, password: str) -> bool:
        row = self.db.one("SELECT teacher_hash FROM classes WHERE id = ?", (class_id,))
        return verify_secret(password, row[0] if row else None)

    def set_teacher_password(self, class_id: int, password: str) -> None:
        """A new password; every teacher signed in with the old one is signed out."""
        if len(password) < MIN_PASSWORD:
            raise StoreError(_("A teacher's password needs at least {n} characters.").format(
                n=MIN_PASSWORD))
        with self.db.transaction() as db:
            db.execute("UPDATE classes SET teacher_hash = ?, teacher_version = teacher_version + 1 "
                       "WHERE id = ?", (hash_secret(password), class_id))

    def set_signup(self, class_id: int, open_: bool) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE classes SET signup = ? WHERE id = ?", (int(open_), class_id))

    def set_class_language(self, class_id: int, language: str) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE classes SET language = ? WHERE id = ?", (language, class_id))

    # ---- students -----------------------------------------------------------------------------
    def add_students(self, class_id: int, names: Iterable[str], *,
                     preview: bool = False) -> tuple[list[StudentRow], list[str]]:
        """Add each name not yet in the class (one per line when pasted: blank lines and names
        already there are skipped). Returns the students added and the names skipped, each
        with why. Raises StudentError for the first name that cannot be used."""
        cleaned: list[str] = []
        skipped: list[str] = []
        seen: set[str] = set()
        for raw in names:
            if not raw.strip():
                continue
            label = clean_name(raw)
            key = name_key(label)
            if key in seen:
                skipped.append(label)
                continue
            seen.add(key)
            cleaned.append(label)
        added: list[int] = []
        with self.db.transaction() as db:
            for label in cleaned:
                # ON CONFLICT: another connection adding the same name at the same moment makes
                # this a name already there, not an error (PostgreSQL's READ COMMITTED lets both
                # look first and find nothing).
                row = db.one("INSERT INTO students (class_id, name, name_key, preview, created) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (class_id, name_key) DO NOTHING "
                             "RETURNING id",
                             (class_id, label, name_key(label), int(preview), now()))
                if row is None:
                    skipped.append(label)
                else:
                    added.append(int(row[0]))
        return [s for s in (self.student(i) for i in added) if s is not None], skipped

    def student(self, student_id: int) -> StudentRow | None:
        row = self.db.one(f"SELECT {_STUDENT} FROM students WHERE id = ?", (student_id,))
        return _student(row) if row else None

    def student_named(self, class_id: int, name: str) -> StudentRow | None:
        try:
            key = name_key(name)
        except StudentError:
            return None
        row = self.db.one(f"SELECT {_STUDENT} FROM students WHERE class_id = ? AND name_key = ?",
                          (class_id, key))
        return _student(row) if row else None

    def students(self, class_id: int, *, preview: bool = False) -> list[StudentRow]:
        """The class's students by name (with the teacher's preview players if `preview`)."""
        rows = self.db.all(f"SELECT {_STUDENT} FROM students WHERE class_id = ? "
                           + ("" if preview else "AND preview = 0 ") + "ORDER BY name_key, id",
                           (class_id,))
        return [_student(r) for r in rows]

    def claim(self, student_id: int, secret: str) -> bool:
        """Set the student's secret word if they have none; False if another request set one
        first (then check the word with `check_secret`)."""
        word = clean_secret(secret)
        with self.db.transaction() as db:
            cur = db.execute("UPDATE students SET secret_hash = ? WHERE id = ? AND secret_hash IS NULL",
                             (hash_secret(word), student_id))
            return cur.rowcount == 1

    def claim_hash(self, student_id: int, hashed: str) -> bool:
        """Set the student's secret word, already hashed as `hash_secret` hashes (a word carried
        over from a terminal claim), if they have none; False if they have one."""
        with self.db.transaction() as db:
            cur = db.execute("UPDATE students SET secret_hash = ? WHERE id = ? AND secret_hash IS NULL",
                             (hashed, student_id))
            return cur.rowcount == 1

    def secret_hash(self, student_id: int) -> str | None:
        """The student's secret word as hashed (`scrypt$N$r$p$SALT$HASH`), or None."""
        row = self.db.one("SELECT secret_hash FROM students WHERE id = ?", (student_id,))
        return row[0] if row else None

    def check_secret(self, student_id: int, secret: str) -> bool:
        row = self.db.one("SELECT secret_hash FROM students WHERE id = ?", (student_id,))
        try:
            word = clean_secret(secret)
        except StudentError:
            word = ""
        return verify_secret(word, row[0] if row else None) and bool(word)

    def reset_secret(self, student_id: int) -> None:
        """Forget the student's secret word (their games stay): the next sign-in sets a new
        one, and every browser signed in as them is signed out."""
        with self.db.transaction() as db:
            db.execute("UPDATE students SET secret_hash = NULL, secret_version = secret_version + 1 "
                       "WHERE id = ?", (student_id,))

    def remove_student(self, student_id: int) -> None:
        with self.db.transaction() as db:
            db.execute("DELETE FROM reflections WHERE game_id IN "
                       "(SELECT id FROM games WHERE student_id = ?)", (student_id,))
            db.execute("DELETE FROM games WHERE student_id = ?", (student_id,))
            db.execute("DELETE FROM students WHERE id = ?", (student_id,))

    def seen(self, student_id: int, language: str | None = None) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE students SET seen = ?, language = COALESCE(?, language) WHERE id = ?",
                       (now(), language, student_id))

    # ---- sign-in attempts ---------------------------------------------------------------------
    def failures(self, kind: str, subject: str, since: float) -> tuple[int, float]:
        """How many failures of `kind` for `subject` since the time `since`, and the last."""
        row = self.db.one("SELECT COUNT(*), MAX(at) FROM attempts WHERE kind = ? AND subject = ? "
                          "AND at >= ?", (kind, subject, since))
        return int(row[0]), float(row[1] or 0.0)

    def fail(self, kind: str, subject: str, at: float) -> None:
        with self.db.transaction() as db:
            db.execute("INSERT INTO attempts (kind, subject, at) VALUES (?, ?, ?)", (kind, subject, at))

    def forget(self, kind: str, subject: str, before: float | None = None) -> None:
        """Forget `subject`'s failures (all of them, or those before `before`)."""
        with self.db.transaction() as db:
            if before is None:
                db.execute("DELETE FROM attempts WHERE kind = ? AND subject = ?", (kind, subject))
            else:
                db.execute("DELETE FROM attempts WHERE kind = ? AND subject = ? AND at < ?",
                           (kind, subject, before))

    def sweep_attempts(self, before: float) -> None:
        """Forget every failure, of any kind and subject, from before the time `before`."""
        with self.db.transaction() as db:
            db.execute("DELETE FROM attempts WHERE at < ?", (before,))

    # ---- games --------------------------------------------------------------------------------
    def new_game(self, student_id: int, campaign: str, seed: int, content_hash: str,
                 state: Any, summary: GameSummary, *, started: str | None = None,
                 updated: str | None = None, handed_in: str | None = None,
                 current: bool = True) -> GameRow:
        stamp = now()
        with self.db.transaction() as db:
            row = db.one(
                "INSERT INTO games (student_id, campaign, seed, content_hash, state, step, node, "
                "title, story_date, ended, choice_div, outcome_div, started, updated, handed_in) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (student_id, campaign, seed, content_hash, json.dumps(state, ensure_ascii=False),
                 *_summary_values(summary), started or stamp, updated or stamp, handed_in))
            game_id = int(row[0])
            self._sync_reflections(db, game_id, state)
            if current:
                db.execute("UPDATE students SET current_game = ? WHERE id = ?", (game_id, student_id))
        found = self.game(game_id)
        assert found is not None
        return found

    def game(self, game_id: int) -> GameRow | None:
        row = self.db.one(f"SELECT {_GAME} FROM games WHERE id = ?", (game_id,))
        return _game(row) if row else None

    def games_of(self, student_id: int) -> list[GameRow]:
        """A student's games, the most recently played first."""
        rows = self.db.all(f"SELECT {_GAME} FROM games WHERE student_id = ? ORDER BY updated DESC, id DESC",
                           (student_id,))
        return [_game(r) for r in rows]

    def class_games(self, class_id: int, *, preview: bool = False) -> list[tuple[StudentRow, GameRow]]:
        """Every game of the class's students, with its student (preview players only if
        `preview`), by student then start."""
        rows = self.db.all(
            f"SELECT {', '.join('s.' + c.strip() for c in _STUDENT.split(','))}, "
            f"{', '.join('g.' + c.strip() for c in _GAME.split(','))} "
            "FROM students s JOIN games g ON g.student_id = s.id WHERE s.class_id = ? "
            + ("" if preview else "AND s.preview = 0 ") + "ORDER BY s.name_key, s.id, g.started, g.id",
            (class_id,))
        width = len(_STUDENT.split(","))
        return [(_student(r[:width]), _game(r[width:])) for r in rows]

    def advance(self, game_id: int, version: int, state: Any, summary: GameSummary) -> GameRow | None:
        """Write the game's new state if it is still at `version` (nobody changed it since it
        was read); None if it was changed meanwhile (the caller drops its change)."""
        with self.db.transaction() as db:
            cur = db.execute(
                "UPDATE games SET state = ?, step = ?, node = ?, title = ?, story_date = ?, ended = ?, "
                "choice_div = ?, outcome_div = ?, updated = ?, version = version + 1 "
                "WHERE id = ? AND version = ?",
                (json.dumps(state, ensure_ascii=False), *_summary_values(summary), now(), game_id,
                 version))
            if cur.rowcount != 1:
                return None
            self._sync_reflections(db, game_id, state)
        return self.game(game_id)

    def hand_in(self, game_id: int) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE games SET handed_in = COALESCE(handed_in, ?) WHERE id = ?", (now(), game_id))

    def set_current(self, student_id: int, game_id: int | None) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE students SET current_game = ? WHERE id = ?", (game_id, student_id))

    # ---- reflections --------------------------------------------------------------------------
    @staticmethod
    def _sync_reflections(db: Database, game_id: int, state: Any) -> None:
        """Make the game's reflection rows match its state: new answers get the time now,
        unchanged ones keep theirs, taken-back ones go."""
        wanted = {}
        for item in state.get("reflections", []) if isinstance(state, dict) else []:
            if isinstance(item, list) and len(item) == 3:
                wanted[int(item[0])] = (str(item[1]), str(item[2]))
        have = {int(r[0]): (r[1], r[2]) for r in
                db.all("SELECT step, node, answer FROM reflections WHERE game_id = ?", (game_id,))}
        for step in have.keys() - wanted.keys():
            db.execute("DELETE FROM reflections WHERE game_id = ? AND step = ?", (game_id, step))
        stamp = now()
        for step, (node, answer) in wanted.items():
            if have.get(step) == (node, answer):
                continue
            if step in have:
                db.execute("UPDATE reflections SET node = ?, answer = ?, at = ? WHERE game_id = ? AND step = ?",
                           (node, answer, stamp, game_id, step))
            else:
                db.execute("INSERT INTO reflections (game_id, step, node, answer, at) VALUES (?, ?, ?, ?, ?)",
                           (game_id, step, node, answer, stamp))

    def class_reflections(self, class_id: int, *, preview: bool = False) -> list[ReflectionRow]:
        """Every reflection of the class, the newest first."""
        rows = self.db.all(
            "SELECT r.game_id, s.id, s.name, g.campaign, r.step, r.node, r.answer, r.at "
            "FROM reflections r JOIN games g ON g.id = r.game_id JOIN students s ON s.id = g.student_id "
            "WHERE s.class_id = ? " + ("" if preview else "AND s.preview = 0 ")
            + "ORDER BY r.at DESC, r.game_id, r.step", (class_id,))
        return [ReflectionRow(int(r[0]), int(r[1]), r[2], r[3], int(r[4]), r[5], r[6], r[7]) for r in rows]


def summarize(game: Game) -> GameSummary:
    """The summary kept beside a game's state (its scene's title as the story wrote it; a
    face shows the title in its reader's language from the node id)."""
    div = game.divergence()
    node = game.node
    return GameSummary(len(game.state.path), node.id, node.title, node.date.iso(), game.ended,
                       div.choice, div.outcome)


def _summary_values(s: GameSummary) -> tuple[object, ...]:
    return (s.step, s.node, s.title, s.story_date, int(s.ended), s.choice_div, s.outcome_div)
