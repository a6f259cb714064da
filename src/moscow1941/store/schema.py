"""The store's schema as numbered migrations: each runs once, in order, in one transaction.

A database records the last migration it has had in `meta` (`schema_version`). Opening a store
applies the missing ones under a lock (PostgreSQL: an advisory lock; SQLite: the write lock of
`BEGIN IMMEDIATE`), so two server processes starting at once migrate once. A database newer
than this program (a migration it does not know) is refused rather than guessed at.

A migration is never edited once released: a change to the schema is a new migration at the
end of `MIGRATIONS`. Statements use `Database.sql`'s words: `{id}` an identity key, `{real}`
a double, `{int}` a 64-bit integer.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: classes, students, games, reflections, sign-in attempts.
    (
        """CREATE TABLE classes (
            id {id},
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            code TEXT NOT NULL UNIQUE,
            teacher_hash TEXT NOT NULL,
            teacher_version {int} NOT NULL DEFAULT 1,
            language TEXT NOT NULL,
            signup {int} NOT NULL DEFAULT 0,
            created TEXT NOT NULL)""",
        """CREATE TABLE students (
            id {id},
            class_id {int} NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            secret_hash TEXT,
            secret_version {int} NOT NULL DEFAULT 1,
            preview {int} NOT NULL DEFAULT 0,
            language TEXT,
            current_game {int},
            created TEXT NOT NULL,
            seen TEXT,
            UNIQUE (class_id, name_key))""",
        """CREATE TABLE games (
            id {id},
            student_id {int} NOT NULL REFERENCES students(id) ON DELETE CASCADE,
            campaign TEXT NOT NULL,
            seed {int} NOT NULL,
            content_hash TEXT NOT NULL,
            state TEXT NOT NULL,
            step {int} NOT NULL,
            version {int} NOT NULL DEFAULT 1,
            node TEXT NOT NULL,
            title TEXT NOT NULL,
            story_date TEXT NOT NULL,
            ended {int} NOT NULL DEFAULT 0,
            choice_div {real} NOT NULL DEFAULT 0,
            outcome_div {real} NOT NULL DEFAULT 0,
            started TEXT NOT NULL,
            updated TEXT NOT NULL,
            handed_in TEXT)""",
        "CREATE INDEX games_by_student ON games (student_id, updated)",
        """CREATE TABLE reflections (
            game_id {int} NOT NULL REFERENCES games(id) ON DELETE CASCADE,
            step {int} NOT NULL,
            node TEXT NOT NULL,
            answer TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (game_id, step))""",
        """CREATE TABLE attempts (
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            at {real} NOT NULL)""",
        "CREATE INDEX attempts_by_subject ON attempts (kind, subject, at)",
        """CREATE TABLE secrets (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL)""",
    ),
)
"""Migration N is `MIGRATIONS[N - 1]`."""

LATEST = len(MIGRATIONS)
