"""The save store: slots, autosaves, Continue, names, damaged files, saves that outlive edits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engine.saves_fixtures import CHAIN_MANIFEST, CHAIN_NODES, load, write_story

from moscow1941.engine import Game
from moscow1941.engine.saves import (
    FORMAT_VERSION,
    MAX_NAME,
    Restored,
    SaveError,
    SaveInfo,
    SaveStore,
    UnreadableSave,
    resolve_saves_dir,
    sanitize_name,
)
from moscow1941.story import Story


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    return write_story(tmp_path / "story", CHAIN_MANIFEST, CHAIN_NODES)


@pytest.fixture
def chain(story_dir: Path) -> Story:
    return load(story_dir)


@pytest.fixture
def store(tmp_path: Path, chain: Story) -> SaveStore:
    return SaveStore(tmp_path / "saves", chain)


def played(story: Story, steps: int = 3) -> Game:
    """A game of the chain story `steps` choices in (0 to 3), always taking the first choice."""
    game = Game(story, "main")
    for _ in range(steps):
        game.choose(0)
    return game


def unreadable(store: SaveStore, name: str) -> UnreadableSave:
    entry = next(e for e in store.list() if e.name == name)
    assert isinstance(entry, UnreadableSave)
    return entry


# ---- saving and loading ----------------------------------------------------------------------

def test_save_then_load_restores_the_same_state_and_scene(store: SaveStore, chain: Story) -> None:
    game = played(chain, 2)
    info = store.save("Before the end", game, player="Anna")
    restored = store.load("Before the end")
    assert isinstance(restored, Restored)
    assert restored.game.state == game.state
    assert restored.game.view() == game.view()
    assert restored.player == "Anna" and restored.changes == ()
    assert (info.name, info.scene_title, info.date, info.campaign) == (
        "Before the end", "Third", "22 June 1941", "main")
    assert info.created.tzinfo is not None and info.updated.utcoffset() == UTC.utcoffset(None)
    assert not info.story_changed and not info.autosave


def test_save_file_is_versioned_json_with_story_identity_choices_and_state(
        store: SaveStore, chain: Story) -> None:
    game = played(chain, 2)
    info = store.save("x", game)
    data = json.loads(info.path.read_text(encoding="utf-8"))
    assert data["format"] == "moscow1941-save" and data["version"] == FORMAT_VERSION
    assert data["story"] == {"id": "chain", "content_hash": chain.content_hash}
    assert (data["campaign"], data["seed"], data["player"]) == ("main", 0, None)
    assert data["choices"] == [["n1", 0, "n2"], ["n2", 0, "n3"]]
    assert data["state"] == game.state.to_json()
    assert data["created"] == data["updated"]


def test_the_documented_example_has_the_fields_a_save_has(store: SaveStore, chain: Story) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "saves.md").read_text(encoding="utf-8")
    example = json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0])
    began = datetime.now(UTC)
    real = json.loads(store.save("x", played(chain, 2), started=began).path.read_text(
        encoding="utf-8"))
    assert list(example) == list(real)
    assert list(example["summary"]) == list(real["summary"])
    assert list(example["state"]) == list(real["state"])
    assert example["choices"] == example["state"]["path"]


def test_the_folder_is_created_with_its_parents_on_first_save(tmp_path: Path, chain: Story) -> None:
    folder = tmp_path / "a" / "b" / "saves"
    store = SaveStore(folder, chain)
    assert store.list() == [] and not folder.exists()
    store.save("one", played(chain, 1))
    assert (folder / "one.json").is_file()


def test_overwriting_a_save_keeps_its_created_time_and_moves_updated(
        store: SaveStore, chain: Story) -> None:
    first = store.save("slot", played(chain, 1))
    second = store.save("slot", played(chain, 3))
    assert second.created == first.created and second.updated >= first.updated
    assert store.load("slot").game.state.node == "n4"


def test_player_name_is_cleaned_of_control_characters(store: SaveStore, chain: Story) -> None:
    info = store.save("p", played(chain, 0), player="An\x1b[31mna\n\u202e")
    assert info.player == "An [31mna"
    assert store.load("p").player == "An [31mna"


def test_saving_a_game_of_another_story_is_refused(
        store: SaveStore, tmp_path: Path) -> None:
    other = load(write_story(tmp_path / "other", CHAIN_MANIFEST.replace("id: chain", "id: other"),
                             CHAIN_NODES))
    with pytest.raises(SaveError, match="belongs to the story ‘other’"):
        store.save("x", Game(other, "main"))


def test_an_unwritable_folder_gives_a_sentence_not_a_traceback(
        tmp_path: Path, chain: Story) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = SaveStore(blocker / "saves", chain)
    with pytest.raises(SaveError, match="cannot be created") as err:
        store.save("x", played(chain, 1))
    assert str(err.value).endswith(".")


# ---- autosaves and Continue -------------------------------------------------------------------

def test_autosave_keeps_a_ring_of_the_last_few(tmp_path: Path, chain: Story) -> None:
    store = SaveStore(tmp_path / "saves", chain, autosaves=3)
    game = Game(chain, "main")
    names = []
    for _ in range(3):
        game.choose(0)
        names.append(store.autosave(game).name)
    game.undo()
    names.append(store.autosave(game).name)  # the fourth replaces the oldest
    assert names == ["Autosave main 1", "Autosave main 2", "Autosave main 3", "Autosave main 1"]
    listed = store.list()
    assert [e.name for e in listed] == ["Autosave main 1", "Autosave main 3", "Autosave main 2"]
    assert all(isinstance(e, SaveInfo) and e.autosave for e in listed)
    latest = store.latest()
    assert latest is not None and latest.name == "Autosave main 1" and latest.scene_title == "Third"


def test_latest_is_the_most_recent_readable_save_of_any_kind(
        store: SaveStore, chain: Story) -> None:
    assert store.latest() is None
    store.autosave(played(chain, 1))
    store.save("named", played(chain, 2))
    latest = store.latest()
    assert latest is not None and latest.name == "named"
    (store.folder / "zzz.json").write_text("{broken")  # newest file, but unreadable
    latest = store.latest()
    assert latest is not None and latest.name == "named"


def test_a_name_of_an_autosave_slot_is_refused_for_named_saves(
        store: SaveStore, chain: Story) -> None:
    with pytest.raises(SaveError, match="kept for automatic saves"):
        store.save("autosave 2", played(chain, 1))


def test_a_damaged_autosave_slot_is_moved_aside_not_overwritten(
        tmp_path: Path, chain: Story) -> None:
    store = SaveStore(tmp_path / "saves", chain, autosaves=1)
    store.folder.mkdir()
    (store.folder / "Autosave main 1.json").write_bytes(b'{"format": "moscow1941-save", "vers')
    info = store.autosave(played(chain, 1))
    assert info.name == "Autosave main 1"
    aside = [p for p in store.folder.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == b'{"format": "moscow1941-save", "vers'
    assert any(isinstance(e, UnreadableSave) and e.path == aside[0] for e in store.list())


# ---- names -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "used"), [
    ("Before Yalta", "Before Yalta"),
    ("../../etc/passwd", "etc-passwd"),
    ("a/b\\c", "a-b-c"),
    ("..hidden", "hidden"),
    ("tab\there\nnew\x00line", "tab here new line"),
    ("  spaced   out  ", "spaced out"),
    ("what? yes: <no>", "what- yes- -no"),
    ("CON", "_CON"),
    ("lpt1.txt", "_lpt1.txt"),
    ("Ночь в Москве", "Ночь в Москве"),
    ("x" * 200, "x" * MAX_NAME),
    ("trailing dots...", "trailing dots"),
])
def test_names_are_sanitised_to_what_the_player_sees(raw: str, used: str) -> None:
    assert sanitize_name(raw) == used


@pytest.mark.parametrize("raw", ["", "   ", "..", "../..", "\x00\x01", "///", "-.-", "\u202e"])
def test_a_name_with_nothing_usable_is_refused_with_a_sentence(raw: str) -> None:
    with pytest.raises(SaveError, match="letter or digit"):
        sanitize_name(raw)


_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{d}{n}" for d in ("COM", "LPT") for n in "123456789¹²³")}


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_sanitised_name_is_one_safe_file_inside_the_folder(raw: str) -> None:
    try:
        clean = sanitize_name(raw)
    except SaveError:
        return
    assert clean and len(clean) <= MAX_NAME and len(clean.encode("utf-8")) <= 180
    assert not any(c in clean for c in '/\\:*?"<>|') and ".." not in clean
    assert all(c.isprintable() for c in clean)
    assert clean == clean.strip(" .") and not clean.startswith("-")
    assert clean.split(".")[0].upper() not in _RESERVED
    assert sanitize_name(clean) == clean  # what the player sees can be typed back
    assert (Path("/saves") / f"{clean}.json").parent == Path("/saves")


def test_save_reports_the_name_actually_used(store: SaveStore, chain: Story) -> None:
    info = store.save("../My: save", played(chain, 1))
    assert info.name == "My- save" and info.path == store.folder / "My- save.json"
    assert store.load("My- save").game.state.node == "n2"


def test_loading_cannot_reach_outside_the_saves_folder(store: SaveStore, chain: Story) -> None:
    store.save("inside", played(chain, 1))
    outside = store.folder.parent / "secret.json"
    outside.write_text((store.folder / "inside.json").read_text())
    for name in ("../secret", "/tmp/../" + str(outside.with_suffix("")), "..\\secret"):
        with pytest.raises(SaveError, match="no save called"):
            store.load(name)


# ---- delete and rename -------------------------------------------------------------------------

def test_delete_removes_a_save_and_unknown_names_are_a_sentence(
        store: SaveStore, chain: Story) -> None:
    store.save("gone", played(chain, 1))
    store.delete("gone")
    assert store.list() == []
    with pytest.raises(SaveError, match="There is no save called ‘gone’"):
        store.delete("gone")
    with pytest.raises(SaveError, match="There is no save called ‘nothing’"):
        store.load("nothing")


def test_delete_removes_an_unreadable_file_too(store: SaveStore) -> None:
    store.folder.mkdir()
    (store.folder / "bad.json").write_text("nope")
    store.delete("bad")
    assert store.list() == []


def test_rename_moves_a_save_and_never_replaces_another(store: SaveStore, chain: Story) -> None:
    store.save("a", played(chain, 1))
    store.save("b", played(chain, 2))
    with pytest.raises(SaveError, match="already a save called ‘b’"):
        store.rename("a", "b")
    info = store.rename("a", "c/d")
    assert info.name == "c-d" and info.scene_title == "Second"
    assert sorted(e.name for e in store.list()) == ["b", "c-d"]
    assert store.load("b").game.state.node == "n3"


def test_an_autosave_renamed_becomes_a_kept_save(store: SaveStore, chain: Story) -> None:
    store.autosave(played(chain, 1))
    info = store.rename("Autosave main 1", "Keep this")
    assert not info.autosave and store.load("Keep this").game.state.node == "n2"
    with pytest.raises(SaveError, match="kept for automatic saves"):
        store.rename("Keep this", "Autosave main 4")


def test_rename_of_an_unreadable_file_is_refused_and_the_file_kept(store: SaveStore) -> None:
    store.folder.mkdir()
    (store.folder / "bad.json").write_text("[1, 2")
    with pytest.raises(SaveError, match="cannot be read"):
        store.rename("bad", "good")
    assert (store.folder / "bad.json").read_text() == "[1, 2"


# ---- damaged, foreign and newer files ------------------------------------------------------------

def _valid_save(store: SaveStore, chain: Story) -> dict[str, object]:
    info = store.save("template", played(chain, 2))
    data: dict[str, object] = json.loads(info.path.read_text(encoding="utf-8"))
    info.path.unlink()
    return data


def _edited(data: dict[str, object], **changes: object) -> bytes:
    return json.dumps({**data, **changes}).encode()


DAMAGES: dict[str, tuple[object, str]] = {
    "empty": (b"", "empty"),
    "whitespace": (b"  \n ", "empty"),
    "truncated": ("TRUNCATE", "not valid JSON"),
    "random bytes": (bytes(range(256)) * 3, "not UTF-8"),
    "utf-16": ("UTF16", "not UTF-8"),
    "a list": (b"[1, 2, 3]", "not a Moscow 1941 save"),
    "another program": (b'{"format": "something-else", "version": 1}', "not a Moscow 1941 save"),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "huge number": (b'{"format": "moscow1941-save", "version": 1' + b"0" * 10_000 + b"}",
                    "value too large"),
    "newer format": ({"version": FORMAT_VERSION + 1}, "newer version of Moscow 1941"),
    "version missing": ({"version": None}, "which save format"),
    "another story": ({"story": {"id": "war-and-peace", "content_hash": "x"}}, "another story"),
    "no campaign": ({"campaign": "naval"}, "campaign ‘naval’ no longer exists"),
    "bad time": ({"updated": "yesterday"}, "‘updated’ time"),
    "bad divergence": ({"summary": {"node": "n3", "scene_title": "T", "date": "d",
                                    "choice_divergence": 7, "outcome_divergence": 0}},
                       "number from 0 to 1"),
    "bad choices": ({"choices": [["n1", "zero", "n2"]]}, "not [scene, choice number"),
    "state mismatch": ({"choices": [["n1", 0, "n2"]]}, "does not match its header"),
    "bad state": ({"state": {"version": 1}}, "game state is damaged"),
    "player not text": ({"player": ["a"]}, "player name"),
    "too many choices": ({"choices": [["n1", 0, "n2"]] * 50_001}, "more than 50,000 choices"),
}


@pytest.mark.parametrize("kind", list(DAMAGES))
def test_damaged_files_are_listed_with_a_reason_and_refuse_to_load(
        kind: str, store: SaveStore, chain: Story) -> None:
    data = _valid_save(store, chain)
    content, reason = DAMAGES[kind]
    if content == "TRUNCATE":
        raw = _edited(data)[:-40]
    elif content == "UTF16":
        raw = _edited(data).decode().encode("utf-16")
    elif isinstance(content, dict):
        raw = _edited(data, **content)
    else:
        assert isinstance(content, bytes)
        raw = content
    path = store.folder / "broken.json"
    path.write_bytes(raw)
    store.save("good", played(chain, 1))
    entries = store.list()
    assert len(entries) == 2
    bad = unreadable(store, "broken")
    assert reason in bad.reason and bad.path == path and bad.reason.endswith(".")
    with pytest.raises(SaveError) as err:
        store.load("broken")
    assert "‘broken’" in str(err.value) and reason in str(err.value)
    with pytest.raises(SaveError, match="was not overwritten") as err:
        store.save("broken", played(chain, 3))
    assert str(path) in str(err.value)
    assert path.read_bytes() == raw  # never overwritten silently


def test_a_file_larger_than_any_save_is_refused_without_reading_it_all(store: SaveStore) -> None:
    store.folder.mkdir()
    with open(store.folder / "big.json", "wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    assert "larger than" in unreadable(store, "big").reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_named_like_a_save_is_unreadable_not_a_hang(store: SaveStore, chain: Story) -> None:
    store.save("real", played(chain, 1))
    os.mkfifo(store.folder / "pipe.json")
    assert "not a regular file" in unreadable(store, "pipe").reason
    with pytest.raises(SaveError, match="not a regular file"):
        store.load("pipe")
    latest = store.latest()
    assert latest is not None and latest.name == "real"


def test_folders_temporary_files_and_other_files_are_not_listed(
        store: SaveStore, chain: Story) -> None:
    store.save("real", played(chain, 1))
    (store.folder / "dir.json").mkdir()
    (store.folder / ".moscow1941-abc.tmp").write_text("{")
    (store.folder / "notes.txt").write_text("hello")
    (store.folder / ".hidden.json").write_text("{}")
    (store.folder / "upper.JSON").write_text("{}")
    assert [e.name for e in store.list()] == ["real"]


def test_a_hand_edited_state_is_worked_out_again_from_the_choices(
        store: SaveStore, chain: Story) -> None:
    info = store.save("edited", played(chain, 2))
    data = json.loads(info.path.read_text(encoding="utf-8"))
    data["state"]["vars"]["trust"] = 5
    info.path.write_text(json.dumps(data), encoding="utf-8")
    restored = store.load("edited")
    assert restored.game.state.vars["trust"] == 2
    assert restored.changes and "worked out again" in restored.changes[0]


# ---- saves that outlive story edits ---------------------------------------------------------

def test_an_edit_that_keeps_every_choice_resumes_where_the_player_left(
        tmp_path: Path, story_dir: Path, chain: Story) -> None:
    store = SaveStore(tmp_path / "saves", chain)
    store.save("s", played(chain, 3))
    (story_dir / "nodes.yaml").write_text(CHAIN_NODES.replace("Done.", "All done."))
    edited = load(story_dir)
    store = SaveStore(tmp_path / "saves", edited)
    (entry,) = store.list()
    assert isinstance(entry, SaveInfo) and entry.story_changed
    restored = store.load("s")
    assert restored.game.state.node == "n4"
    assert restored.changes == ("The story has changed since this save: all 3 of your choices "
                                "still apply; you resume at ‘Fourth’ in July 1941.",)


def test_an_edit_that_breaks_a_choice_resumes_at_the_last_scene_that_still_applies(
        tmp_path: Path, story_dir: Path, chain: Story) -> None:
    SaveStore(tmp_path / "saves", chain).save("s", played(chain, 3))
    (story_dir / "nodes.yaml").write_text(CHAIN_NODES.replace("goto: n3", "goto: n4"))
    store = SaveStore(tmp_path / "saves", load(story_dir))
    restored = store.load("s")
    assert restored.game.state.node == "n2" and restored.game.state.vars["trust"] == 1
    assert restored.changes[0] == ("The story has changed since this save: 1 of your 3 choices "
                                   "still apply; you resume at ‘Second’ on 14 April 1941.")
    assert "Trust is now 1 (it was 2 when you saved)." in restored.changes


def test_variables_added_since_take_defaults_and_removed_ones_are_dropped(
        tmp_path: Path, story_dir: Path, chain: Story) -> None:
    SaveStore(tmp_path / "saves", chain).save("s", played(chain, 3))
    manifest = CHAIN_MANIFEST.replace("  old_flag:\n    type: bool\n",
                                      "  resolve:\n    type: int\n    default: 3\n"
                                      "    label: Resolve\n")
    (story_dir / "story.yaml").write_text(manifest)
    (story_dir / "nodes.yaml").write_text(
        CHAIN_NODES.replace("set: old_flag = true", "set: trust -= 0"))
    store = SaveStore(tmp_path / "saves", load(story_dir))
    restored = store.load("s")
    assert restored.game.state.vars == {"trust": 2, "resolve": 3}
    assert "New in this version of the story: Resolve." in restored.changes
    assert "No longer part of the story: Old flag." in restored.changes


def test_a_save_whose_campaign_was_removed_is_unreadable_with_the_reason(
        tmp_path: Path, story_dir: Path, chain: Story) -> None:
    game = Game(chain, "other")
    game.choose(0)
    SaveStore(tmp_path / "saves", chain).save("s", game)
    (story_dir / "story.yaml").write_text(CHAIN_MANIFEST.split("  other:")[0]
                                          + "variables:" + CHAIN_MANIFEST.split("variables:")[1])
    store = SaveStore(tmp_path / "saves", load(story_dir))
    entry = unreadable(store, "s")
    assert "campaign ‘other’ no longer exists" in entry.reason
    assert store.latest() is None
    with pytest.raises(SaveError, match="no longer exists"):
        store.load("s")


def test_a_start_node_moved_by_an_edit_resumes_at_the_new_start(
        tmp_path: Path, story_dir: Path, chain: Story) -> None:
    SaveStore(tmp_path / "saves", chain).save("s", played(chain, 2))
    (story_dir / "story.yaml").write_text(CHAIN_MANIFEST.replace("start: n1", "start: n3", 1))
    restored = SaveStore(tmp_path / "saves", load(story_dir)).load("s")
    assert restored.game.state.node == "n3" and restored.game.state.path == []
    assert restored.changes[0].startswith("The story has changed since this save: 0 of your 2 "
                                          "choices still apply; you resume at ‘Third’")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.text(alphabet="n1234side", max_size=4),
                                st.integers(-2, 3), st.text(alphabet="n1234side", max_size=4)),
                      max_size=12))
def test_any_recorded_choices_restore_without_a_crash(
        steps: list[tuple[str, int, str]], store: SaveStore, chain: Story) -> None:
    info = store.save("fuzz", played(chain, 0))
    data = json.loads(info.path.read_text(encoding="utf-8"))
    data["choices"] = data["state"]["path"] = [list(s) for s in steps]
    info.path.write_text(json.dumps(data), encoding="utf-8")
    restored = store.load("fuzz")
    assert 0 <= restored.game.state.path.__len__() <= len(steps)
    assert restored.game.state.node in chain.nodes


# ---- where saves live ---------------------------------------------------------------------------

def test_saves_folder_prefers_the_option_then_the_environment_then_local_saves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOSCOW1941_SAVES", str(tmp_path / "env"))
    (tmp_path / "saves").mkdir()
    assert resolve_saves_dir(str(tmp_path / "cli")) == tmp_path / "cli"
    assert resolve_saves_dir() == tmp_path / "env"
    monkeypatch.delenv("MOSCOW1941_SAVES")
    assert resolve_saves_dir() == tmp_path / "saves"
    (tmp_path / "saves").rmdir()
    fallback = resolve_saves_dir()
    assert fallback.is_absolute() and "moscow1941" in str(fallback).lower()
    assert fallback != tmp_path / "saves"


def test_the_save_module_imports_no_ui_toolkit() -> None:
    code = ("import sys, moscow1941.engine.saves; "
            "print(','.join(m for m in sys.modules "
            "if m.split('.')[0] in ('textual', 'rich') or m.startswith('moscow1941.ui')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ})
    assert out.stdout.strip() == ""


def test_each_campaign_has_its_own_autosave_ring_and_a_finished_game_is_kept(tmp_path: Path) -> None:
    from moscow1941.engine import Game
    from moscow1941.story import load_story

    story = load_story(Path(__file__).resolve().parents[2] / "story").story
    assert story is not None
    store = SaveStore(tmp_path, story, autosaves=3)
    prologue = Game(story, "prologue")
    while not prologue.ended:
        prologue.choose(prologue.available()[0])
        store.autosave(prologue)
    finished = [e for e in store.list() if isinstance(e, SaveInfo) and e.ended]
    assert [e.campaign for e in finished] == ["prologue"]
    japanese = Game(story, "japanese")
    for _ in range(8):  # more choices than the ring has slots
        japanese.choose(japanese.available()[0])
        store.autosave(japanese)
    listed = [e for e in store.list() if isinstance(e, SaveInfo)]
    assert any(e.campaign == "prologue" and e.ended for e in listed)  # the other ring is untouched
    assert sum(e.campaign == "japanese" for e in listed) == 3
    # Within one campaign a finished game outlives the autosaves of a new game.
    again = Game(story, "prologue")
    again.choose(again.available()[0])
    for _ in range(4):
        store.autosave(again)
    assert any(e.campaign == "prologue" and e.ended
               for e in store.list() if isinstance(e, SaveInfo))


def test_a_save_keeps_when_its_game_was_begun_across_autosave_slots(tmp_path: Path) -> None:
    from datetime import timedelta

    from moscow1941.engine import Game
    from moscow1941.story import load_story

    story = load_story(Path(__file__).resolve().parents[2] / "story").story
    assert story is not None
    store = SaveStore(tmp_path, story, autosaves=2)
    began = datetime.now(UTC) - timedelta(hours=2)
    game = Game(story, "japanese")
    for _ in range(3):  # more choices than slots: the third reuses the first slot
        game.choose(game.available()[0])
        store.autosave(game, "Anna", began)
    latest = store.latest()
    assert latest is not None and latest.started == began
    assert latest.created > began  # the slot itself was written just now
    restored = store.load(latest.name)
    assert restored.info.started == began
    named = store.save("Kept", game, "Anna", began)
    assert store.load(named.name).info.started == began


# ---- untrusted text and author-mode jumps ---------------------------------------------------

@pytest.mark.parametrize("player", ["\ud800", "A\x1b[2Jnna", "\x9b31m", "Anna\udfff"])
def test_player_names_read_from_a_save_are_safe_to_print(
        store: SaveStore, chain: Story, player: str) -> None:
    info = store.save("named", played(chain, 1), player="Anna")
    data = json.loads(info.path.read_text(encoding="utf-8"))
    data["player"] = player
    data["summary"]["scene_title"] = "Scene\x1b]0;pwned\x07"
    data["story"]["content_hash"] = "0" * 64  # another version of the story: the saved title is shown
    info.path.write_text(json.dumps(data), encoding="utf-8")
    [entry] = store.list()
    assert isinstance(entry, SaveInfo)
    for text in (entry.player or "", entry.scene_title):
        text.encode("utf-8")
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in text), text
    assert entry.scene_title == "Scene]0;pwned"
    assert store.load("named").player == entry.player


def test_a_save_with_author_mode_jumps_says_so_outside_author_mode(
        tmp_path: Path, chain: Story) -> None:
    game = Game(chain, "main")
    target = next(n for n in chain.nodes if n != game.node.id)
    game.jump(target)
    store = SaveStore(tmp_path / "saves", chain)
    info = store.save("jumped", game)
    assert info.jumps == 1 and store.list()[0].jumps == 1  # type: ignore[union-attr]
    restored = store.load("jumped")
    assert restored.game.node.id == target
    assert any("made in author mode" in c and "play --author" in c for c in restored.changes)
    author = SaveStore(tmp_path / "saves", chain, author=True).load("jumped")
    assert author.game.node.id == target
    assert not any("author mode" in c for c in author.changes)


def test_a_hand_edited_jump_is_never_silent(store: SaveStore, chain: Story) -> None:
    info = store.save("plain", played(chain, 1))
    assert info.jumps == 0 and not store.load("plain").changes
    data = json.loads(info.path.read_text(encoding="utf-8"))
    first = data["choices"][0]
    edited = [first[0], -1, first[2]]
    data["choices"] = [edited]
    data["state"]["path"] = [edited]
    info.path.write_text(json.dumps(data), encoding="utf-8")
    [entry] = store.list()
    assert isinstance(entry, SaveInfo) and entry.jumps == 1
    assert any("author mode" in c for c in store.load("plain").changes)
