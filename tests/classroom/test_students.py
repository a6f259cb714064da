"""Students' folders and claims: whatever a student types as a name, the folder is inside the
class folder, and nobody reaches a classmate's folder without the classmate's secret word."""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.ui.conftest import UI_STORY, load

from moscow1941.classroom import students
from moscow1941.classroom.students import (
    CLAIM_FILE,
    FORGET_SECONDS,
    MAX_NAME,
    Attempts,
    StudentError,
    TooSoon,
    Unconfirmed,
    WrongSecret,
    address_delay,
    attempt_sign_in,
    claimed_name,
    class_folder,
    clean_secret,
    folder_name,
    is_claimed,
    name_key,
    retry_delay,
    sign_in,
    student_folder,
)
from moscow1941.engine.saves import SaveStore

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

TRICKS = ["../bob", "bob/../alice", "/etc", "/etc/passwd", "..\\..\\bob", "C:\\bob", "~bob",
          "bob\x00", "al\x00ice", "\x1b[31mbob", "bob\n", "b\u200bob", "bob\u202e", "CON",
          "nul", "com1", "LPT9", "Con.txt", "ＢＯＢ", "ⓑⓞⓑ", "bo\u0301b", "аlice", "ß",
          "İstanbul", "x" * MAX_NAME, "😀 bob", "$HOME", "`rm -rf`", "%2e%2e%2fbob"]
"""Names a mischievous student might type."""


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A low scrypt cost, so property tests can sign in hundreds of times (the cost is kept
    in each claim, so checking a word uses what the claim was made with)."""
    monkeypatch.setattr(students, "SCRYPT_N", 2 ** 4)


@pytest.fixture
def class_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "saves" / "9b"
    folder.mkdir(parents=True)
    return folder


def inside(path: Path, folder: Path) -> bool:
    return path.resolve().parent == folder.resolve()


# ---- folders -------------------------------------------------------------------------------

@given(st.text(max_size=60))
@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_typed_name_is_refused_or_gets_a_safe_folder_inside_the_class(class_dir: Path,
                                                                         name: str) -> None:
    try:
        folder = student_folder(class_dir, name)
    except StudentError as exc:
        assert str(exc).endswith(".")
        return
    assert inside(folder, class_dir)
    assert SLUG.fullmatch(folder.name), folder.name
    assert len(folder.name) <= 43
    assert folder.name.upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


@pytest.mark.parametrize("name", TRICKS)
def test_path_tricks_stay_inside_the_class_folder(class_dir: Path, name: str) -> None:
    folder = student_folder(class_dir, name)
    assert inside(folder, class_dir)
    assert SLUG.fullmatch(folder.name)
    assert folder.name.lower() not in {"con", "nul", "com1", "lpt9"}


@pytest.mark.parametrize("name", ["", " ", ".", "..", "...", "/", "\x00", "\x1b", "\u200b",
                                  "-", "x" * (MAX_NAME + 1), "y" * 100_000])
def test_names_without_a_letter_or_too_long_are_refused(class_dir: Path, name: str) -> None:
    with pytest.raises(StudentError):
        student_folder(class_dir, name)


@given(st.text(max_size=45), st.text(max_size=45))
@settings(max_examples=400)
def test_two_names_share_a_folder_only_when_the_slug_is_plain_ascii_or_they_are_one_name(
        a: str, b: str) -> None:
    try:
        fa, fb = folder_name(a), folder_name(b)
    except StudentError:
        return
    if fa == fb:
        # A shared folder is one claim; it happens for names that are the same once casefolded
        # and normalised, or for plain ASCII names that differ only in punctuation.
        assert name_key(a) == name_key(b) or (name_key(a).isascii() and name_key(b).isascii())


def test_case_width_and_punctuation_variants_share_one_folder() -> None:
    assert {folder_name(n) for n in ("Alice", "alice", "ALICE", "ＡＬＩＣＥ", " alice ")} == {"alice"}
    assert folder_name("Anna Petrova") == folder_name("anna-petrova") == "anna-petrova"


def test_look_alikes_and_accents_get_folders_of_their_own() -> None:
    names = ["alice", "аlice", "alicе", "José", "Jose", "Ольга", "Ольгa", "bo\u0301b", "bob"]
    assert len({folder_name(n) for n in names}) == len(names)
    assert folder_name("José") != folder_name("Jose") == "jose"
    assert folder_name("José").startswith("jose-")


def test_class_names_become_folders_the_same_way(tmp_path: Path) -> None:
    assert class_folder(tmp_path, "9B") == tmp_path / "9b"
    assert class_folder(tmp_path, "../../etc").parent == tmp_path
    with pytest.raises(StudentError, match="class name"):
        class_folder(tmp_path, "..")


def test_a_student_folder_that_is_a_link_is_refused(class_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (class_dir / "mallory").symlink_to(elsewhere, target_is_directory=True)
    (class_dir / "bob").mkdir()
    (class_dir / "eve").symlink_to(class_dir / "bob", target_is_directory=True)
    for name in ("mallory", "eve"):
        with pytest.raises(StudentError):
            sign_in(class_dir, name, "secret")
    assert list(elsewhere.iterdir()) == [] and list((class_dir / "bob").iterdir()) == []


# ---- claims --------------------------------------------------------------------------------

def test_the_first_sign_in_claims_the_name_and_the_right_word_comes_back(class_dir: Path) -> None:
    first = sign_in(class_dir, "Alice", "sunflower")
    assert first.new and first.name == "Alice" and first.folder == class_dir.resolve() / "alice"
    again = sign_in(class_dir, "alice", " sunflower ")
    assert not again.new and again.name == "Alice" and again.folder == first.folder


def test_a_classmate_typing_the_name_without_the_word_is_refused_kindly(class_dir: Path) -> None:
    sign_in(class_dir, "Alice", "sunflower")
    for name in ("Alice", "alice", "ＡＬＩＣＥ", "  ALICE"):
        with pytest.raises(WrongSecret) as refused:
            sign_in(class_dir, name, "guess")
        message = str(refused.value)
        assert "not the secret word for ‘Alice’" in message and "teacher" in message
        assert "sunflower" not in message


@given(name=st.text(max_size=45), word=st.text(min_size=3, max_size=20),
       other=st.text(min_size=3, max_size=20), data=st.data())
@settings(max_examples=200, deadline=None)
def test_only_the_word_a_folder_was_claimed_with_opens_it(name: str, word: str, other: str,
                                                          data: st.DataObject) -> None:
    # The intruder types anything, or (more often) the owner's name in another form.
    intruder = data.draw(st.one_of(
        st.text(max_size=45),
        st.sampled_from([name, name.upper(), name.lower(), f" {name} ", f"{name}!", f"../{name}",
                         f"{name}/..", name.replace(" ", "-"), f"\x00{name}"])))
    with tempfile.TemporaryDirectory() as tmp:
        check_only_the_claiming_word_opens(Path(tmp), name, word, other, intruder)


def check_only_the_claiming_word_opens(class_dir: Path, name: str, word: str, other: str,
                                       intruder: str) -> None:
    try:
        owner = sign_in(class_dir, name, word)
        clean_secret(other)
    except StudentError:
        return
    try:
        visitor = sign_in(class_dir, intruder, other)
    except WrongSecret:
        assert student_folder(class_dir, intruder) == owner.folder
        assert clean_secret(other) != clean_secret(word)
        return
    except StudentError:
        return
    # Let in: a folder of its own, or the same folder with the same word.
    assert visitor.folder != owner.folder or clean_secret(other) == clean_secret(word)


def test_the_claim_keeps_the_name_and_a_salted_hash_never_the_word(class_dir: Path) -> None:
    sign_in(class_dir, "José", "sunflower")
    folder = student_folder(class_dir, "José")
    claim = json.loads((folder / CLAIM_FILE).read_text(encoding="utf-8"))
    assert claim["name"] == "José" and claim["kdf"]["name"] == "scrypt"
    assert "sunflower" not in (folder / CLAIM_FILE).read_text(encoding="utf-8")
    assert claimed_name(folder) == "José"
    sign_in(class_dir, "Bob", "sunflower")
    other = json.loads((student_folder(class_dir, "Bob") / CLAIM_FILE).read_text())
    assert other["salt"] != claim["salt"] and other["hash"] != claim["hash"]


def test_the_claim_file_is_not_listed_as_a_save(class_dir: Path) -> None:
    student = sign_in(class_dir, "Alice", "sunflower")
    assert SaveStore(student.folder, load(UI_STORY)).list() == []


def test_deleting_the_claim_lets_the_name_be_claimed_again_with_the_saves_kept(
        class_dir: Path) -> None:
    student = sign_in(class_dir, "Alice", "sunflower")
    (student.folder / "Autosave 1.json").write_text("{}")
    (student.folder / CLAIM_FILE).unlink()
    assert not is_claimed(class_dir, "Alice")
    again = sign_in(class_dir, "Alice", "daisy")
    assert again.new and (again.folder / "Autosave 1.json").exists()
    with pytest.raises(WrongSecret):
        sign_in(class_dir, "Alice", "sunflower")


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b"\xff\xfe", b'{"format": "x"}',
                                     b"x" * 70_000])
def test_a_damaged_claim_is_refused_and_points_to_the_teacher(class_dir: Path,
                                                              content: bytes) -> None:
    folder = class_dir / "alice"
    folder.mkdir()
    (folder / CLAIM_FILE).write_bytes(content)
    with pytest.raises(StudentError, match="teacher"):
        sign_in(class_dir, "Alice", "sunflower")
    assert (folder / CLAIM_FILE).read_bytes() == content
    assert claimed_name(folder) is None


def test_a_claim_asking_for_huge_scrypt_costs_is_refused(class_dir: Path) -> None:
    student = sign_in(class_dir, "Alice", "sunflower")
    path = student.folder / CLAIM_FILE
    claim = json.loads(path.read_text())
    claim["kdf"]["n"] = 2 ** 30
    path.write_text(json.dumps(claim))
    with pytest.raises(StudentError, match="damaged"):
        sign_in(class_dir, "Alice", "sunflower")


def test_two_sessions_claiming_one_name_at_once_make_one_claim(class_dir: Path) -> None:
    words = [f"word{i}" for i in range(8)]
    results: dict[str, object] = {}
    barrier = threading.Barrier(len(words))

    def claim(word: str) -> None:
        barrier.wait()
        try:
            results[word] = sign_in(class_dir, "Alice", word)
        except WrongSecret as exc:
            results[word] = exc

    threads = [threading.Thread(target=claim, args=(w,)) for w in words]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [w for w, r in results.items() if isinstance(r, students.Student)]
    assert len(winners) == 1
    assert sign_in(class_dir, "alice", winners[0]).folder == class_dir.resolve() / "alice"
    assert [p.name for p in (class_dir / "alice").iterdir()] == [CLAIM_FILE]


@pytest.mark.parametrize("word", ["", "  ", "ab", "x" * 65, "pass\x00word", "pa\nss"])
def test_unusable_secret_words_are_refused_before_anything_is_written(class_dir: Path,
                                                                      word: str) -> None:
    with pytest.raises(StudentError):
        sign_in(class_dir, "Alice", word)
    assert not (class_dir / "alice").exists()


def test_wrong_words_in_a_row_make_the_screen_wait_longer() -> None:
    delays = [retry_delay(n) for n in range(1, 10)]
    assert delays[:2] == [0.0, 0.0] and delays == sorted(delays) and delays[-1] == 30.0


# ---- the limit on wrong words, shared by every session ---------------------------------------

class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["fail", "ok", "tick"]),
    st.integers(0, 2),  # which name
    st.sampled_from([None, "10.0.0.1", "10.0.0.2"]),  # which address
    st.sampled_from([0.0, 0.4, 1.0, 3.0, 17.0, 65.0, FORGET_SECONDS])), max_size=60)


@given(OPERATIONS)
@settings(max_examples=300, deadline=None)
def test_the_wait_follows_the_wrong_words_of_each_name_and_address(
        operations: list[tuple[str, int, str | None, float]]) -> None:
    """Against a model: each name's and each address's wrong words (forgotten
    FORGET_SECONDS after the last), a name's count starting again when its owner signs in,
    and the wait the longer of the two, growing with every wrong word."""
    clock = Clock()
    model: dict[str, list[float]] = {}

    def expected(name: str, address: str | None) -> float:
        waits = [0.0]
        for key, delay in ((f"name:{name}", retry_delay), (f"addr:{address}", address_delay)):
            if key in model and clock.t - model[key][1] < FORGET_SECONDS:
                waits.append(model[key][1] + delay(int(model[key][0])) - clock.t)
        return max(waits)

    with tempfile.TemporaryDirectory() as tmp:
        attempts = Attempts(Path(tmp), clock)
        for op, n, address, dt in operations:
            clock.t += dt
            name = f"student-{n}"
            for key in list(model):
                if clock.t - model[key][1] >= FORGET_SECONDS:
                    del model[key]
            before = attempts.wait(name, address)
            if op == "fail":
                wait = attempts.failed(name, address)
                for key in (f"name:{name}", *([f"addr:{address}"] if address else [])):
                    model[key] = [model.get(key, [0.0])[0] + 1, clock.t]
                assert wait == pytest.approx(expected(name, address))
                assert wait >= before  # a wrong word never shortens the wait
            elif op == "ok":
                attempts.succeeded(name)
                model.pop(f"name:{name}", None)
            for other in range(3):
                for where in (None, "10.0.0.1", "10.0.0.2"):
                    assert attempts.wait(f"student-{other}", where) == pytest.approx(
                        expected(f"student-{other}", where))


def test_wrong_words_from_one_address_for_many_names_make_it_wait() -> None:
    delays = [address_delay(n) for n in range(1, 20)]
    assert delays[:10] == [0.0] * 10 and delays == sorted(delays) and delays[-1] == 60.0
    # a class of 300 behind one school address: 300 wrong words before anyone waits
    assert address_delay(300, 300) == 0.0 and address_delay(301, 300) == 2.0


def _fail_many(class_dir: str, count: int) -> None:
    attempts = Attempts(Path(class_dir))
    for _ in range(count):
        attempts.failed("boris", "10.0.0.9")


def test_sessions_failing_at_once_lose_no_count(class_dir: Path) -> None:
    """Game processes (as `serve` runs them) counting wrong words at the same moment: the lock
    keeps every one."""
    import multiprocessing

    context: Any = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    processes = [context.Process(target=_fail_many, args=(str(class_dir), 25)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    data = json.loads((class_dir / students.ATTEMPTS_FILE).read_text())
    assert data["name:boris"][0] == 100 and data["addr:10.0.0.9"][0] == 100
    assert sorted(p.name for p in class_dir.iterdir()) == [students.ATTEMPTS_FILE,
                                                          students.LOCK_FILE]


def test_a_damaged_attempts_file_counts_as_empty_and_is_replaced(class_dir: Path) -> None:
    (class_dir / students.ATTEMPTS_FILE).write_text('{"name:boris": [1e308, "x"], "a": [')
    attempts = Attempts(class_dir)
    assert attempts.wait("boris") == 0.0
    attempts.failed("boris")
    assert json.loads((class_dir / students.ATTEMPTS_FILE).read_text())["name:boris"][0] == 1


def test_signing_in_says_the_same_for_a_taken_name_and_a_free_one(class_dir: Path) -> None:
    sign_in(class_dir, "Boris", "sunflower")
    refusals = []
    for name in ("Boris", "Zoe"):
        with pytest.raises(Unconfirmed) as refused:
            attempt_sign_in(class_dir, name, "guess")
        refusals.append((type(refused.value), str(refused.value), refused.value.wait))
    assert refusals[0] == refusals[1]
    assert not (class_dir / "zoe").exists()  # nothing is claimed before the word comes twice
    # Typed twice: the free name is claimed; for the taken one the word is checked again.
    assert attempt_sign_in(class_dir, "Zoe", "guess", "guess").new
    with pytest.raises(WrongSecret, match="taken") as taken:
        attempt_sign_in(class_dir, "Boris", "guess", "guess")
    assert not isinstance(taken.value, Unconfirmed)
    with pytest.raises(students.WordsDiffer):
        attempt_sign_in(class_dir, "Boris", "guess", "gues")
    student = attempt_sign_in(class_dir, "boris", "sunflower")
    assert student.name == "Boris" and not student.new


def test_a_reconnection_does_not_start_the_count_again(class_dir: Path) -> None:
    """Each attempt below is what one new session would do (no state but the class folder):
    the third wrong word brings a wait, and the fourth, from anywhere, is not even checked."""
    clock = Clock()
    sign_in(class_dir, "Boris", "sunflower")
    waits = []
    for n in range(3):
        with pytest.raises(Unconfirmed) as refused:
            attempt_sign_in(class_dir, "Boris", f"guess{n}", address=f"10.0.0.{n}", clock=clock)
        waits.append(refused.value.wait)
    assert waits == [0.0, 0.0, 2.0]
    with pytest.raises(TooSoon) as early:
        attempt_sign_in(class_dir, "Boris", "sunflower", address="10.0.0.99", clock=clock)
    assert early.value.wait == 2.0 and "Wait 2 seconds" in str(early.value)
    clock.t += 2.0
    assert attempt_sign_in(class_dir, "Boris", "sunflower", clock=clock).name == "Boris"
    assert Attempts(class_dir, clock).wait("boris") == 0.0


def test_many_names_tried_from_one_address_make_that_address_wait(class_dir: Path) -> None:
    clock = Clock()
    for n in range(12):
        sign_in(class_dir, f"Student {n}", "sunflower")
    for n in range(11):
        with pytest.raises(Unconfirmed):
            attempt_sign_in(class_dir, f"Student {n}", "guess", address="10.0.0.5", clock=clock)
    with pytest.raises(TooSoon):
        attempt_sign_in(class_dir, "Student 11", "sunflower", address="10.0.0.5", clock=clock)
    # Another address is not held up by it.
    assert attempt_sign_in(class_dir, "Student 11", "sunflower", address="10.0.0.6",
                           clock=clock).name == "Student 11"
