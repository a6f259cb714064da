"""Terminal saves into the database and back: a class folder made by the terminal's own code
(students signing in, playing, saving, autosaving) is imported, exported, and the class report on
the export says what it said on the original; secret words still work on both sides; the
`moscow1941 db` command as a teacher runs it."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from tests.classroom.conftest import cli, play
from tests.conftest import SHIPPED_STORY, loaded

from moscow1941.classroom import report
from moscow1941.classroom.students import CLAIM_FILE, WrongSecret, sign_in
from moscow1941.engine import Game
from moscow1941.engine.saves import SaveStore
from moscow1941.store import Store, summarize
from moscow1941.store.transfer import TransferError, export_class, import_folder
from moscow1941.story import Story

WORDS = {"Anna Petrova": "sunflower", "Ольга": "подсолнух", "Dmitri": "never played"}


@pytest.fixture(scope="module")
def shipped() -> Story:
    return loaded(SHIPPED_STORY)


def keep(folder: Path, story: Story, game: Game, player: str | None, name: str = "mine") -> None:
    saves = SaveStore(folder, story)
    saves.save(name, game, player)
    saves.autosave(game, player)


def ring(folder: Path, story: Story, campaign: str, rng: random.Random, player: str | None) -> Game:
    """A game autosaved after every choice, as the terminal does: the ring holds its states."""
    game = Game(story, campaign, rng.randrange(1000))
    saves = SaveStore(folder, story, autosaves=4)
    while not game.ended:
        if game.node.reflect:
            game.reflect(f"Because {game.node.title} mattered.")
        game.choose(rng.choice(game.available()))
        saves.autosave(game, player)
    return game


@pytest.fixture(scope="module")
def lesson(shipped: Story, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A class folder as a lesson with the terminal face leaves it."""
    root = tmp_path_factory.mktemp("saves") / "7b"
    root.mkdir()
    rng = random.Random(1941)
    for name in ("Anna Petrova", "Ольга"):
        folder = sign_in(root, name, WORDS[name]).folder
        keep(folder, shipped, play(shipped, "soviet", rng), name)
    ring(sign_in(root, "Dmitri", WORDS["Dmitri"]).folder, shipped, "japanese", rng, "Dmitri")
    keep(root / "boris", shipped, play(shipped, "soviet", rng), "Boris K.")
    keep(root / "<img src=x onerror=alert(1)> | *x*", shipped, play(shipped, "soviet", rng, steps=5), None)
    # A finished game, a newer unfinished restart and a second campaign.
    keep(root / "elena", shipped, play(shipped, "soviet", rng), "Elena", "first")
    keep(root / "elena", shipped, play(shipped, "soviet", rng, steps=3), "Elena", "again")
    keep(root / "elena", shipped, play(shipped, "japanese", rng, steps=6), "Elena", "japan")
    # A damaged sign-in record, and a damaged save.
    keep(root / "fyodor", shipped, play(shipped, "soviet", rng), "Fyodor")
    (root / "fyodor" / CLAIM_FILE).write_text('{"name": ', encoding="utf-8")
    (root / "boris" / "broken.json").write_text('{"format": "moscow1941-save", "vers', encoding="utf-8")
    return root


def facts(found: report.ClassReport) -> dict[str, Any]:
    """What the class report says, apart from where the files are and the times to the microsecond."""
    return {
        "students": found.students,
        "games": [(g.student, g.campaign, [s.to_json() for s in g.game.state.path], g.game.ended,
                   [r.to_json() for r in g.game.state.reflections]) for g in found.games],
        "splits": {c: report.decision_splits(found, c) for c in found.campaigns()},
        "text": "\n".join(line for line in report.render(found, "md").split(
            "## Files that could not be read")[0].rstrip().splitlines() if not line.startswith("- Folders:")),
    }


def test_a_class_folder_comes_back_from_the_database_as_the_report_read_it(
        store: Store, lesson: Path, shipped: Story, tmp_path: Path) -> None:
    klass = store.create_class("7b", "a teacher's password")
    done = import_folder(store, klass, lesson, shipped)
    assert sorted(done.added) == sorted(["Anna Petrova", "Ольга", "Dmitri", "Boris K.", "Elena", "Fyodor",
                                         "<img src=x onerror=alert(1)> | *x*"])
    # One game per game played: Dmitri's autosave ring is one game, Elena has three.
    assert done.games == 9 and done.words == 3
    assert {p.path.name: p.reason.split(";")[0] for p in done.problems} == {
        "broken.json": "The file is not valid JSON (line 1, column 31)",
        CLAIM_FILE: "The student's sign-in record cannot be read"}
    dmitri = store.student_named(klass.id, "dmitri")
    assert dmitri is not None and len(store.games_of(dmitri.id)) == 1 and store.games_of(dmitri.id)[0].summary.ended
    assert dmitri.current_game == store.games_of(dmitri.id)[0].id

    out = tmp_path / "export" / "7b"
    written = export_class(store, klass, out, shipped)
    assert (written.games, written.claims, written.problems) == (9, 3, [])
    before, after = report.collect([lesson], shipped), report.collect([out], shipped)
    assert facts(after) == facts(before)
    assert after.problems == ()


def test_secret_words_survive_the_trip_both_ways(store: Store, lesson: Path, shipped: Story,
                                                 tmp_path: Path) -> None:
    klass = store.create_class("7b", "a teacher's password")
    import_folder(store, klass, lesson, shipped)
    for name, word in WORDS.items():
        student = store.student_named(klass.id, name)
        assert student is not None and student.claimed
        assert store.check_secret(student.id, word)
        assert not store.check_secret(student.id, word + "!")
    fyodor = store.student_named(klass.id, "Fyodor")
    assert fyodor is not None and not fyodor.claimed  # his record was damaged: he chooses anew
    out = tmp_path / "7b"
    export_class(store, klass, out, shipped)
    for name, word in WORDS.items():
        assert sign_in(out, name, word).new is False
        with pytest.raises(WrongSecret):
            sign_in(out, name, "not the word")


def test_importing_or_exporting_twice_adds_nothing_twice(store: Store, lesson: Path, shipped: Story,
                                                         tmp_path: Path) -> None:
    klass = store.create_class("7b", "a teacher's password")
    first = import_folder(store, klass, lesson, shipped)
    again = import_folder(store, klass, lesson, shipped)
    assert (again.games, again.skipped, again.added, again.words) == (0, first.games, [], 0)
    assert sorted(again.found) == sorted(first.added)
    assert len(store.class_games(klass.id)) == first.games
    out = tmp_path / "7b"
    export_class(store, klass, out, shipped)
    twice = export_class(store, klass, out, shipped)
    assert (twice.games, twice.skipped, twice.claims, twice.problems) == (0, first.games, 0, [])
    # The export read back in is the same games again.
    back = import_folder(store, klass, out, shipped)
    assert (back.games, back.skipped, back.problems) == (0, first.games, [])


def test_a_game_played_further_in_the_web_is_exported_beside_the_terminal_save(
        store: Store, shipped: Story, tmp_path: Path) -> None:
    rng = random.Random(7)
    folder = tmp_path / "8a" / "anna"
    game = play(shipped, "soviet", rng, steps=2)
    keep(folder, shipped, game, "Anna")
    klass = store.create_class("8a", "a teacher's password")
    import_folder(store, klass, tmp_path / "8a", shipped)
    anna = store.student_named(klass.id, "Anna")
    assert anna is not None
    (row,) = store.games_of(anna.id)
    further = game.fork()
    further.choose(further.available()[0])

    assert store.advance(row.id, row.version, further.state.to_json(), summarize(further)) is not None
    written = export_class(store, klass, tmp_path / "8a", shipped)
    assert written.games == 1
    names = sorted(e.name for e in SaveStore(folder, shipped).list())
    assert names == ["Autosave soviet 1", "mine", "soviet"]


def test_a_folder_of_save_files_is_grouped_by_player(store: Store, shipped: Story, tmp_path: Path) -> None:
    rng = random.Random(3)
    handed_in = tmp_path / "handed-in"
    saves = SaveStore(handed_in, shipped)
    saves.save("anna", play(shipped, "soviet", rng), "Anna")
    saves.save("anna again", play(shipped, "japanese", rng), "ANNA")
    saves.save("boris", play(shipped, "soviet", rng), None)
    (handed_in / "notes.json").write_bytes(b"\xff\xfe not a save")
    klass = store.create_class("8a", "a teacher's password")
    done = import_folder(store, klass, handed_in, shipped)
    # Named as the class report names them: by the newest save's player, else the file's name.
    assert sorted(done.added) == ["ANNA", "boris"] == list(report.collect([handed_in], shipped).students)
    assert done.games == 3 and done.words == 0
    assert [(p.path.name, p.reason) for p in done.problems] == [
        ("notes.json", "The file is not UTF-8 text; it is damaged or not a save.")]
    assert [s.name for s, _g in store.class_games(klass.id)] == ["ANNA", "ANNA", "boris"]


def test_a_folder_that_is_not_there_is_a_sentence(store: Store, shipped: Story, tmp_path: Path) -> None:
    klass = store.create_class("8a", "a teacher's password")
    with pytest.raises(TransferError, match="there is no such folder"):
        import_folder(store, klass, tmp_path / "nowhere", shipped)
    (tmp_path / "a file").write_text("x", encoding="utf-8")
    with pytest.raises(TransferError, match="cannot be made"):
        export_class(store, klass, tmp_path / "a file" / "7b", shipped)


def test_a_name_the_database_cannot_take_is_reported(store: Store, shipped: Story, tmp_path: Path) -> None:
    long_name = "Anna Maria Magdalena Petrova-Vodkina von Smolensk"
    keep(tmp_path / "7b" / "anna", shipped, play(shipped, "soviet", random.Random(1), steps=2), long_name)
    klass = store.create_class("7b", "a teacher's password")
    done = import_folder(store, klass, tmp_path / "7b", shipped)
    assert done.games == 0 and done.added == []
    (problem,) = done.problems
    assert problem.path.name == "anna" and "too long" in problem.reason


# ---- the command ----------------------------------------------------------------------------------

@pytest.fixture
def db_file(tmp_path: Path) -> str:
    url = str(tmp_path / "school.sqlite3")
    with Store(url) as store:
        store.create_class("7b", "a teacher's password")
    return url


def test_the_db_command_imports_lists_and_exports(db_file: str, lesson: Path, tmp_path: Path) -> None:
    done = cli("db", "import", str(lesson), "--class", "7B", "--db", db_file)
    assert done.returncode == 1, done.stderr  # one save and one record could not be used
    assert done.stdout.splitlines() == [
        "Imported 9 games into 7b.",
        "New students: 7; already in the class: 0; secret words carried over: 3."]
    assert "2 files or students could not be carried over:" in done.stderr
    assert f"{lesson / 'boris' / 'broken.json'}: The file is not valid JSON" in done.stderr
    assert "Traceback" not in done.stderr

    again = cli("db", "import", str(lesson), "--class", "7b", "--db", db_file)
    assert again.returncode == 1
    assert again.stdout.splitlines()[:2] == ["Imported 0 games into 7b.",
                                             "9 games were in the database already and were skipped."]

    listed = cli("db", "classes", "--db", db_file)
    assert listed.returncode == 0
    with Store(db_file) as store:
        code = store.classes()[0].code
    assert listed.stdout == f"{code}  7b  (7 students)\n"

    out = tmp_path / "out" / "7b"
    exported = cli("db", "export", "--class", "7b", str(out), "--db", db_file)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines() == [f"Wrote 9 games of 7b to {out}.",
                                            "Students' folders: 7; sign-in records written: 3."]
    reported = cli("report", str(out))
    assert reported.returncode == 0 and "Anna Petrova" in reported.stdout and "Ольга" in reported.stdout


def test_the_db_command_speaks_german(db_file: str, lesson: Path) -> None:
    done = cli("db", "import", str(lesson), "--class", "7b", "--db", db_file, "--lang", "de")
    assert done.stdout.splitlines()[0] == "9 Spiele in 7b importiert."


def test_the_db_command_refuses_what_it_cannot_do(db_file: str, tmp_path: Path, lesson: Path) -> None:
    no_class = cli("db", "import", str(lesson), "--class", "9c", "--db", db_file)
    assert no_class.returncode == 2
    assert no_class.stderr == f"There is no class called ‘9c’ in {db_file}; its classes are: 7b.\n"
    no_folder = cli("db", "import", str(tmp_path / "nowhere"), "--class", "7b", "--db", db_file)
    assert no_folder.returncode == 2 and "there is no such folder" in no_folder.stderr
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 200)
    broken = cli("db", "classes", "--db", str(bad))
    assert broken.returncode == 2 and "Traceback" not in broken.stderr and str(bad) in broken.stderr
    empty = cli("db", "classes", "--db", str(tmp_path / "new.sqlite3"))
    assert (empty.returncode, empty.stdout) == (0, f"There are no classes in {tmp_path / 'new.sqlite3'} yet.\n")


def test_the_db_command_uses_the_file_in_the_saves_folder_by_default(tmp_path: Path) -> None:
    made = cli("db", "classes", "--saves", str(tmp_path / "saves"))
    assert made.returncode == 0
    assert (tmp_path / "saves" / "school.sqlite3").is_file()
    from moscow1941.store import default_db_url

    assert default_db_url(str(tmp_path / "saves")) == str(tmp_path / "saves" / "school.sqlite3")


def test_the_db_command_works_on_postgresql(postgres_url: str, lesson: Path) -> None:
    from tests.pg import fresh_database

    url = fresh_database(postgres_url)
    with Store(url) as store:
        store.create_class("7b", "a teacher's password")
    done = cli("db", "import", str(lesson), "--class", "7b", "--db", url)
    assert done.returncode == 1 and done.stdout.startswith("Imported 9 games into 7b.")
    listed = cli("db", "classes", "--db", url)
    assert listed.returncode == 0 and listed.stdout.endswith("  7b  (7 students)\n")


def test_two_students_whose_names_share_a_folder_are_not_mixed_up(store: Store, shipped: Story,
                                                                   tmp_path: Path) -> None:
    klass = store.create_class("7b", "a teacher's password")
    (anna, dotted), _ = store.add_students(klass.id, ["Anna", "Anna."])
    for sid in (anna.id, dotted.id):
        game = play(shipped, "soviet", random.Random(sid), steps=2)
        store.new_game(sid, "soviet", game.state.seed, shipped.content_hash, game.state.to_json(),
                       summarize(game))
    written = export_class(store, klass, tmp_path / "7b", shipped)
    assert written.students == ["Anna"] and written.games == 1
    (problem,) = written.problems
    assert problem.reason == "Anna. would share the folder anna with Anna; rename one of them and export again."
