"""The school's store, on SQLite and on PostgreSQL alike: classes, rosters, secret words, games
with their optimistic version, reflections, sign-in attempts, the shared secret, migrations,
transactions and two connections racing for one game."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.store import workers

from moscow1941.classroom.students import StudentError
from moscow1941.store import GameSummary, Store, StoreError
from moscow1941.store.schema import LATEST

PASSWORD = "correct horse"
ANY_CHARACTER = st.characters(exclude_categories=())
"""Every code point, lone surrogates and controls included (what a browser may send)."""


def summary(step: int = 0, node: str = "a", ended: bool = False) -> GameSummary:
    return GameSummary(step, node, f"Scene {node}", "1941-04-12", ended, 0.25, 0.5)


def state(*reflections: list[object], node: str = "a") -> dict[str, Any]:
    """A game state as `GameState.to_json()` writes it (the store reads only its reflections)."""
    return {"version": 1, "campaign": "main", "seed": 7, "node": node, "vars": {}, "visits": {},
            "path": [], "events": {}, "reflections": [list(r) for r in reflections]}


def a_student(store: Store, name: str = "Anna") -> int:
    klass = store.class_named("7b") or store.create_class("7b", PASSWORD)
    added, _ = store.add_students(klass.id, [name])
    return added[0].id


# ---- classes --------------------------------------------------------------------------------------

def test_a_class_is_created_with_a_code_and_found_by_name_and_code(store: Store) -> None:
    klass = store.create_class("  Class 7b ", PASSWORD, language="de", signup=True)
    assert (klass.name, klass.language, klass.signup, klass.teacher_version) == ("Class 7b", "de", True, 1)
    assert len(klass.code) == 6 and klass.code.isalnum() and klass.code.isupper()
    assert store.class_named("CLASS 7B") == klass
    assert store.class_by_id(klass.id) == klass
    assert store.classes() == [klass]
    spaced = f"{klass.code[:3].lower()}-{klass.code[3:].lower()} "
    assert store.class_by_code(spaced) == klass
    assert store.class_by_code(klass.code[:5]) is None
    assert store.class_named("8a") is None


def test_a_class_name_is_taken_whatever_its_case(store: Store) -> None:
    store.create_class("7b", PASSWORD)
    with pytest.raises(StoreError, match="already a class called 7B"):
        store.create_class("7B", PASSWORD)
    with pytest.raises(StoreError, match="8 characters"):
        store.create_class("8a", "short")
    with pytest.raises(StudentError):
        store.create_class("---", PASSWORD)
    assert [c.name for c in store.classes()] == ["7b"]


def test_the_teacher_password_is_checked_and_a_change_signs_teachers_out(store: Store) -> None:
    klass = store.create_class("7b", PASSWORD)
    assert store.check_teacher(klass.id, PASSWORD)
    assert not store.check_teacher(klass.id, "wrong password")
    assert not store.check_teacher(klass.id + 99, PASSWORD)
    with pytest.raises(StoreError):
        store.set_teacher_password(klass.id, "short")
    store.set_teacher_password(klass.id, "a new password")
    assert not store.check_teacher(klass.id, PASSWORD)
    assert store.check_teacher(klass.id, "a new password")
    found = store.class_by_id(klass.id)
    assert found is not None and found.teacher_version == 2
    store.set_signup(klass.id, True)
    store.set_class_language(klass.id, "ar")
    found = store.class_by_id(klass.id)
    assert found is not None and (found.signup, found.language) == (True, "ar")


# ---- the roster -------------------------------------------------------------------------------------

def test_a_pasted_roster_skips_blank_lines_and_names_already_there(store: Store) -> None:
    klass = store.create_class("7b", PASSWORD)
    added, skipped = store.add_students(klass.id, ["Anna Petrova", "", "   ", "Boris", "anna  petrova",
                                                   "ＡＮＮＡ ＰＥＴＲＯＶＡ", "Ольга"])
    assert [s.name for s in added] == ["Anna Petrova", "Boris", "Ольга"]
    assert skipped == ["anna petrova", "ANNA PETROVA"]
    again, skipped = store.add_students(klass.id, ["BORIS", "Dmitri"])
    assert [s.name for s in again] == ["Dmitri"] and skipped == ["BORIS"]
    assert [s.name for s in store.students(klass.id)] == ["Anna Petrova", "Boris", "Dmitri", "Ольга"]
    anna = added[0]
    assert (anna.claimed, anna.secret_version, anna.preview, anna.current_game) == (False, 1, False, None)
    with pytest.raises(StudentError):
        store.add_students(klass.id, ["x" * 41])


def test_a_student_is_found_under_any_form_of_their_name(store: Store) -> None:
    klass = store.create_class("7b", PASSWORD)
    other = store.create_class("8a", PASSWORD)
    (anna,), _ = store.add_students(klass.id, ["Anna"])
    for typed in ("ANNA", "Anna", " anna ", "ａｎｎａ"):
        assert store.student_named(klass.id, typed) == anna
    assert store.student_named(other.id, "Anna") is None
    assert store.student_named(klass.id, "Anne") is None
    assert store.student_named(klass.id, "!!!") is None
    assert store.student(anna.id) == anna


def test_preview_players_stay_out_of_the_roster_unless_asked(store: Store) -> None:
    klass = store.create_class("7b", PASSWORD)
    store.add_students(klass.id, ["Anna"])
    store.add_students(klass.id, ["Teacher preview"], preview=True)
    assert [s.name for s in store.students(klass.id)] == ["Anna"]
    assert [s.name for s in store.students(klass.id, preview=True)] == ["Anna", "Teacher preview"]


# ---- secret words ---------------------------------------------------------------------------------

def test_a_student_claims_a_word_once_and_a_reset_keeps_their_games(store: Store) -> None:
    sid = a_student(store)
    assert not store.check_secret(sid, "sunflower")
    assert store.claim(sid, "  sunflower ")
    assert not store.claim(sid, "another word")  # taken first: the word is checked instead
    assert store.check_secret(sid, "sunflower")
    assert not store.check_secret(sid, "another word")
    assert not store.check_secret(sid, "")
    assert not store.check_secret(sid, "\x00bad")
    with pytest.raises(StudentError):
        store.claim(sid, "no")
    game = store.new_game(sid, "main", 7, "hash", state(), summary())
    before = store.student(sid)
    assert before is not None and before.claimed and before.secret_version == 1
    store.reset_secret(sid)
    after = store.student(sid)
    assert after is not None and not after.claimed and after.secret_version == 2
    assert not store.check_secret(sid, "sunflower")
    assert [g.id for g in store.games_of(sid)] == [game.id]
    assert store.claim(sid, "a new word") and store.check_secret(sid, "a new word")


def test_a_removed_student_goes_with_their_games(store: Store) -> None:
    sid = a_student(store)
    game = store.new_game(sid, "main", 7, "hash", state([0, "a", "yes"]), summary())
    store.remove_student(sid)
    assert store.student(sid) is None and store.game(game.id) is None
    assert store.class_reflections(store.classes()[0].id) == []


# ---- games ----------------------------------------------------------------------------------------

def test_a_new_game_becomes_the_students_current_one(store: Store) -> None:
    sid = a_student(store)
    game = store.new_game(sid, "main", 7, "hash-1", state(), summary(), started="2026-11-23T09:00:00.000+00:00",
                          updated="2026-11-23T09:30:00.000+00:00")
    assert (game.campaign, game.seed, game.content_hash, game.version) == ("main", 7, "hash-1", 1)
    assert game.summary == summary()
    assert game.state_json == state()
    assert (game.started, game.updated, game.handed_in) == ("2026-11-23T09:00:00.000+00:00",
                                                            "2026-11-23T09:30:00.000+00:00", None)
    student = store.student(sid)
    assert student is not None and student.current_game == game.id
    quiet = store.new_game(sid, "main", 8, "hash-1", state(), summary(), current=False)
    student = store.student(sid)
    assert student is not None and student.current_game == game.id
    assert [g.id for g in store.games_of(sid)] == [quiet.id, game.id]  # the most recent first
    store.set_current(sid, None)
    student = store.student(sid)
    assert student is not None and student.current_game is None


def test_advance_at_the_right_version_applies_and_at_a_stale_one_changes_nothing(store: Store) -> None:
    sid = a_student(store)
    game = store.new_game(sid, "main", 7, "hash", state(), summary())
    moved = store.advance(game.id, game.version, state(node="b"), summary(1, "b", ended=True))
    assert moved is not None
    assert (moved.version, moved.summary.step, moved.summary.node, moved.summary.ended) == (2, 1, "b", True)
    assert moved.state_json["node"] == "b"
    assert store.advance(game.id, game.version, state(node="c"), summary(1, "c")) is None
    assert store.game(game.id) == moved
    assert store.advance(game.id + 99, 1, state(), summary()) is None
    store.hand_in(game.id)
    handed = store.game(game.id)
    assert handed is not None and handed.handed_in is not None
    store.hand_in(game.id)  # handing in again keeps the first time
    again = store.game(game.id)
    assert again is not None and again.handed_in == handed.handed_in


def test_class_games_leave_out_preview_players_unless_asked(store: Store) -> None:
    klass = store.create_class("7b", PASSWORD)
    (boris, anna), _ = store.add_students(klass.id, ["Boris", "Anna"])
    (teacher,), _ = store.add_students(klass.id, ["Teacher"], preview=True)
    for sid in (boris.id, anna.id, teacher.id, anna.id):
        store.new_game(sid, "main", sid, "hash", state(), summary())
    other = store.create_class("8a", PASSWORD)
    (olga,), _ = store.add_students(other.id, ["Olga"])
    store.new_game(olga.id, "main", 1, "hash", state(), summary())
    assert [(s.name, g.seed) for s, g in store.class_games(klass.id)] == [
        ("Anna", anna.id), ("Anna", anna.id), ("Boris", boris.id)]
    assert [s.name for s, _ in store.class_games(klass.id, preview=True)] == ["Anna", "Anna", "Boris", "Teacher"]


# ---- reflections ----------------------------------------------------------------------------------

def test_reflections_follow_the_state_and_an_unchanged_answer_keeps_its_time(store: Store) -> None:
    klass = store.create_class("7b", PASSWORD)
    (anna,), _ = store.add_students(klass.id, ["Anna"])
    game = store.new_game(anna.id, "main", 7, "hash", state([0, "a", "Trust matters."], [2, "c", "War."]),
                          summary())
    first = {r.step: r for r in store.class_reflections(klass.id)}
    assert {s: (r.node, r.answer, r.student, r.campaign) for s, r in first.items()} == {
        0: ("a", "Trust matters.", "Anna", "main"), 2: ("c", "War.", "Anna", "main")}
    with store.db.transaction() as db:  # written long ago, so a rewrite would show
        db.execute("UPDATE reflections SET at = ?", ("2026-11-23T09:00:00.000+00:00",))
    first = {r.step: r for r in store.class_reflections(klass.id)}
    moved = store.advance(game.id, game.version,
                          state([0, "a", "Trust matters."], [3, "d", "Peace."]), summary(4, "d"))
    assert moved is not None
    after = {r.step: r for r in store.class_reflections(klass.id)}
    assert set(after) == {0, 3}  # the answer at step 2 was taken back
    assert after[0].at == "2026-11-23T09:00:00.000+00:00"  # unchanged: the time it was written
    assert after[3].answer == "Peace." and after[3].at > after[0].at
    moved = store.advance(game.id, moved.version, state([0, "a", "Trust matters, and time."]), summary(4, "d"))
    assert moved is not None
    (changed,) = store.class_reflections(klass.id)
    assert changed.answer == "Trust matters, and time." and changed.at > first[0].at
    store.advance(game.id, moved.version, state(), summary(4, "d"))
    assert store.class_reflections(klass.id) == []


def test_preview_reflections_stay_out_unless_asked(store: Store) -> None:
    klass = store.create_class("7b", PASSWORD)
    (teacher,), _ = store.add_students(klass.id, ["Teacher"], preview=True)
    store.new_game(teacher.id, "main", 7, "hash", state([0, "a", "A test."]), summary())
    assert store.class_reflections(klass.id) == []
    assert [r.answer for r in store.class_reflections(klass.id, preview=True)] == ["A test."]


# ---- sign-in attempts -----------------------------------------------------------------------------

def test_failures_are_counted_and_forgotten(store: Store) -> None:
    for at in (100.0, 200.0, 300.0):
        store.fail("student", "7b:anna", at)
    store.fail("student", "7b:boris", 240.0)
    store.fail("teacher", "7b:anna", 240.0)
    assert store.failures("student", "7b:anna", 0.0) == (3, 300.0)
    assert store.failures("student", "7b:anna", 150.0) == (2, 300.0)
    assert store.failures("student", "7b:olga", 0.0) == (0, 0.0)
    store.forget("student", "7b:anna", before=250.0)
    assert store.failures("student", "7b:anna", 0.0) == (1, 300.0)
    # Forgetting one name's old failures leaves everyone else's.
    assert store.failures("student", "7b:boris", 0.0) == (1, 240.0)
    assert store.failures("teacher", "7b:anna", 0.0) == (1, 240.0)
    store.forget("student", "7b:anna")
    assert store.failures("student", "7b:anna", 0.0) == (0, 0.0)
    assert store.failures("teacher", "7b:anna", 0.0) == (1, 240.0)
    store.sweep_attempts(245.0)  # the old failures of everyone go
    assert store.failures("student", "7b:boris", 0.0) == (0, 0.0)
    assert store.failures("teacher", "7b:anna", 0.0) == (0, 0.0)


# ---- the shared secret ----------------------------------------------------------------------------

def test_a_secret_is_stable_and_shared_by_every_store_on_the_database(store_url: str) -> None:
    with Store(store_url) as one, Store(store_url) as two:
        key = one.secret("cookies")
        assert len(key) == 32
        assert one.secret("cookies") == key == two.secret("cookies")
        assert two.secret("other") != key
    with Store(store_url) as three:
        assert three.secret("cookies") == key


# ---- migrations -----------------------------------------------------------------------------------

def test_a_fresh_database_gets_the_latest_schema_and_is_migrated_once(store_url: str) -> None:
    with Store(store_url) as first:
        assert first.schema_version() == LATEST
        assert first.migrate() == 0
        first.create_class("7b", PASSWORD)
    with Store(store_url) as second:
        assert second.schema_version() == LATEST
        assert [c.name for c in second.classes()] == ["7b"]


def test_a_database_from_a_newer_game_is_refused(store_url: str) -> None:
    with Store(store_url) as store, store.db.transaction() as db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'schema_version'", (str(LATEST + 1),))
    with pytest.raises(StoreError, match=f"newer Moscow 1941 .schema {LATEST + 1}"):
        Store(store_url)


def test_two_processes_opening_one_fresh_database_at_once_make_one_schema(store_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    results = context.Queue()
    procs = [context.Process(target=workers.open_store, args=(store_url, go, results)) for _ in range(2)]
    for proc in procs:
        proc.start()
    for _ in procs:
        assert results.get(timeout=60) == "ready"
    go.set()
    outcomes = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert outcomes == [("ok", LATEST), ("ok", LATEST)]
    with Store(store_url) as store:
        rows = store.db.all("SELECT name, value FROM meta")
        assert [tuple(r) for r in rows] == [("schema_version", str(LATEST))]
        store.create_class("7b", PASSWORD)
        assert len(store.classes()) == 1


def test_a_file_that_is_not_a_database_is_a_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "school.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="database"):
        Store(str(bad))
    with pytest.raises(StoreError, match="cannot be opened"):
        Store(str(tmp_path / "school.sqlite3" / "inside"))


def test_a_postgresql_address_that_answers_nothing_is_a_sentence_without_the_password(
        tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match=r"teacher:\*\*\*@") as caught:
        Store(f"postgresql://teacher:hunter22@/school?host={tmp_path}&connect_timeout=2")
    assert "hunter22" not in str(caught.value)


# ---- transactions ---------------------------------------------------------------------------------

def test_an_exception_inside_a_transaction_rolls_back_everything_in_it(store: Store) -> None:
    klass = store.create_class("7b", PASSWORD)
    with pytest.raises(RuntimeError), store.db.transaction() as db:
        store.add_students(klass.id, ["Anna"])  # a nested transaction joins this one
        db.execute("UPDATE classes SET language = 'ar' WHERE id = ?", (klass.id,))
        raise RuntimeError("the request failed half way")
    assert store.students(klass.id) == []
    assert store.class_by_id(klass.id) == klass
    # ... and the connection is ready for the next change.
    added, _ = store.add_students(klass.id, ["Anna"])
    assert [s.name for s in added] == ["Anna"]


def test_a_refused_statement_rolls_back_and_is_a_store_error(store: Store) -> None:
    klass = store.create_class("7b", PASSWORD)
    with pytest.raises(StoreError, match="refused"), store.db.transaction() as db:
        db.execute("UPDATE classes SET language = 'ar' WHERE id = ?", (klass.id,))
        db.execute("SELECT * FROM no_such_table")
    assert store.class_by_id(klass.id) == klass


# ---- concurrency ----------------------------------------------------------------------------------

def test_two_connections_advancing_one_game_from_one_version_make_one_change(store_url: str) -> None:
    with Store(store_url) as one, Store(store_url) as two:
        sid = a_student(one)
        game = one.new_game(sid, "main", 7, "hash", state(), summary())
        seen_one, seen_two = one.game(game.id), two.game(game.id)
        assert seen_one is not None and seen_two is not None and seen_one.version == seen_two.version
        first = one.advance(game.id, seen_one.version, state(node="b"), summary(1, "b"))
        second = two.advance(game.id, seen_two.version, state(node="c"), summary(1, "c"))
        assert first is not None and second is None
        final = two.game(game.id)
        assert final is not None and final.summary.node == "b" and final.version == seen_one.version + 1


def test_two_connections_racing_in_threads_make_exactly_one_change(store_url: str) -> None:
    import threading

    with Store(store_url) as setup:
        sid = a_student(setup)
        game = setup.new_game(sid, "main", 7, "hash", state(), summary())
    stores = [Store(store_url) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    won: list[bool] = []

    def race(s: Store, node: str) -> None:
        barrier.wait()
        won.append(s.advance(game.id, game.version, state(node=node), summary(1, node)) is not None)

    threads = [threading.Thread(target=race, args=(s, n)) for s, n in zip(stores, "bcde", strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for s in stores:
        s.close()
    assert sorted(won) == [False, False, False, True]


# ---- untrusted text -------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(ANY_CHARACTER, max_size=60), word=st.text(ANY_CHARACTER, max_size=80),
       other=st.text(ANY_CHARACTER, max_size=80))
def test_any_name_and_word_round_trip_or_are_refused_with_a_sentence(store: Store, name: str, word: str,
                                                                     other: str) -> None:
    klass = store.class_named("7b") or store.create_class("7b", PASSWORD)
    try:
        added, skipped = store.add_students(klass.id, [name])
    except StudentError:
        return
    if not name.strip():  # a blank line of a pasted roster
        assert (added, skipped) == ([], [])
        return
    student = added[0] if added else store.student_named(klass.id, name)
    assert student is not None
    assert store.student_named(klass.id, name) == student
    store.reset_secret(student.id)
    try:
        claimed = store.claim(student.id, word)
    except StudentError:
        assert not store.check_secret(student.id, word)
        return
    assert claimed
    assert store.check_secret(student.id, word)
    assert store.check_secret(student.id, other) == _same_word(word, other)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(ANY_CHARACTER, max_size=60))
def test_any_class_name_is_a_class_or_refused_with_a_sentence(store: Store, name: str) -> None:
    try:
        klass = store.create_class(name, PASSWORD)
    except StudentError:
        assert store.class_named(name) is None
        return
    except StoreError as exc:
        assert str(exc).startswith("There is already a class called")
        klass = store.class_named(name)  # type: ignore[assignment]
    assert klass is not None and store.class_named(name) == klass
    assert store.class_by_code(klass.code) == klass


def _same_word(a: str, b: str) -> bool:
    import unicodedata

    def clean(s: str) -> str:
        return unicodedata.normalize("NFKC", s[:256]).strip()

    return clean(a) == clean(b)


def test_a_sqlite_error_never_escapes_as_itself(tmp_path: Path) -> None:
    url = str(tmp_path / "school.sqlite3")
    with Store(url) as store:
        with pytest.raises(StoreError):
            store.db.execute("SELECT * FROM nowhere")
        sid = a_student(store)
        with pytest.raises(StoreError):  # a seed too large for a 64-bit column
            store.new_game(sid, "main", 2 ** 70, "hash", state(), summary())
    assert not issubclass(StoreError, sqlite3.Error)


def _add_at_once(url: str, class_id: int, name: str, connections: int) -> list[object]:
    """What `connections` stores adding `name` at the same moment each got."""
    import threading

    stores = [Store(url) for _ in range(connections)]
    barrier = threading.Barrier(connections)
    results: list[object] = []

    def add(s: Store) -> None:
        barrier.wait()
        try:
            added, skipped = s.add_students(class_id, [name])
            results.append(([a.name for a in added], skipped))
        except BaseException as exc:
            results.append(exc)

    threads = [threading.Thread(target=add, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for s in stores:
        s.close()
    return results


def test_two_connections_adding_one_name_at_once_add_one_student(store_url: str) -> None:
    with Store(store_url) as setup:
        klass = setup.create_class("7b", PASSWORD)
    for attempt in range(5):
        name = f"Anna {attempt}"
        results = _add_at_once(store_url, klass.id, name, 4)
        assert sorted(results, key=str) == sorted([([name], []), ([], [name]), ([], [name]), ([], [name])],
                                                  key=str)


def test_two_connections_creating_one_class_at_once_make_one_class(store_url: str) -> None:
    import threading

    stores = [Store(store_url) for _ in range(3)]
    barrier = threading.Barrier(len(stores))
    results: list[str] = []

    def create(s: Store) -> None:
        barrier.wait()
        try:
            results.append(s.create_class("7b", PASSWORD).name)
        except StoreError as exc:
            results.append(str(exc))

    threads = [threading.Thread(target=create, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [c.name for c in stores[0].classes()] == ["7b"]
    for s in stores:
        s.close()
    assert sorted(results) == ["7b", "There is already a class called 7b.", "There is already a class called 7b."]
