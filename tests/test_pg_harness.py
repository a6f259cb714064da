"""The PostgreSQL the tests start for themselves (tests/pg.py) works: a table made, written and
read through psycopg; each test's fresh place is empty and its own."""

from __future__ import annotations

import psycopg
from tests.pg import dbname_of, fresh_database


def test_a_table_is_created_written_and_read(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        conn.execute("CREATE TABLE students (name text PRIMARY KEY, word text NOT NULL)")
        conn.execute("INSERT INTO students VALUES (%s, %s), (%s, %s)",
                     ("Alice", "sunflower", "Мария", "подсолнух"))
        rows = conn.execute("SELECT name, word FROM students ORDER BY name").fetchall()
        conn.execute("DROP TABLE students")
    assert rows == [("Alice", "sunflower"), ("Мария", "подсолнух")]


def test_the_session_database_is_a_fresh_one_of_its_own(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        name = conn.execute("SELECT current_database()").fetchone()
        # Other tests of the session have their own schemas in it (fresh_database); its own
        # schema, public, holds nothing.
        tables = conn.execute("SELECT count(*) FROM information_schema.tables"
                              " WHERE table_schema = 'public'").fetchone()
    assert name == (dbname_of(postgres_url),)
    assert name is not None and name[0].startswith("moscow1941_test_")
    assert tables == (0,)


def test_each_fresh_place_is_empty_and_does_not_see_the_others(fresh_postgres_url: str, postgres_url: str) -> None:
    other = fresh_database(postgres_url)
    with psycopg.connect(fresh_postgres_url) as conn:
        conn.execute("CREATE TABLE saves (id int)")
        conn.execute("INSERT INTO saves VALUES (1)")
        conn.commit()
    with psycopg.connect(other) as conn:
        assert conn.execute("SELECT to_regclass('saves')").fetchone() == (None,)
        conn.execute("CREATE TABLE saves (id int)")  # the same name, no clash
        assert conn.execute("SELECT count(*) FROM saves").fetchone() == (0,)
    with psycopg.connect(fresh_postgres_url) as conn:
        assert conn.execute("SELECT count(*) FROM saves").fetchone() == (1,)


def test_a_whole_fresh_database_is_made_when_asked(postgres_url: str) -> None:
    url = fresh_database(postgres_url, whole=True)
    with psycopg.connect(url) as conn:
        name = conn.execute("SELECT current_database()").fetchone()
        conn.execute("CREATE TABLE t (x int)")
    assert name is not None and name[0] != dbname_of(postgres_url)
    assert name[0].startswith(dbname_of(postgres_url) + "_")
