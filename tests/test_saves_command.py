"""`moscow1941 saves`: listing, deleting and renaming saves from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, StoryMaker

from moscow1941.engine import Game
from moscow1941.engine.saves import SaveStore
from moscow1941.story import load_story


def run(*args: str, saves: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MOSCOW1941_SAVES": str(saves)}
    return subprocess.run([sys.executable, "-m", "moscow1941", "saves", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=120, env=env)


def test_saves_lists_readable_and_unreadable_saves(make_story: StoryMaker, tmp_path: Path) -> None:
    root = make_story()
    story = load_story(root).story
    assert story is not None
    game = Game(story, "main")
    game.choose(0)
    SaveStore(tmp_path / "saves", story).save("Before the end", game, player="Anna")
    (tmp_path / "saves" / "broken.json").write_text("{", encoding="utf-8")
    out = run("--story", str(root), saves=tmp_path / "saves")
    assert out.returncode == 0, out.stderr
    assert "Before the end: End, 14 April 1941 (main, Anna)" in out.stdout
    assert "broken: cannot be opened. The file is not valid JSON" in out.stdout
    listed = run("--story", str(root), "--format", "json", saves=tmp_path / "saves")
    data = json.loads(listed.stdout)
    assert [(s["name"], s["readable"]) for s in data["saves"]] == [
        ("broken", False), ("Before the end", True)]


def test_saves_rename_and_delete_and_where(make_story: StoryMaker, tmp_path: Path) -> None:
    root = make_story()
    story = load_story(root).story
    assert story is not None
    SaveStore(tmp_path / "saves", story).save("one", Game(story, "main"))
    assert run("where", saves=tmp_path / "saves").stdout.strip() == str(tmp_path / "saves")
    out = run("rename", "one", "../two", "--story", str(root), saves=tmp_path / "saves")
    assert out.returncode == 0 and "Renamed ‘one’ to ‘two’." in out.stdout
    out = run("delete", "one", "--story", str(root), saves=tmp_path / "saves")
    assert out.returncode == 1 and "There is no save called ‘one’" in out.stderr
    assert "Traceback" not in out.stderr
    out = run("delete", "two", "--story", str(root), saves=tmp_path / "saves")
    assert out.returncode == 0 and list((tmp_path / "saves").iterdir()) == []


def test_saves_lists_hostile_player_names_and_file_names_without_a_crash(
        make_story: StoryMaker, tmp_path: Path) -> None:
    root = make_story()
    story = load_story(root).story
    assert story is not None
    saves = tmp_path / "saves"
    store = SaveStore(saves, story)
    for i, player in enumerate(["\ud800", "\x1b[2J\x1b]0;pwned\x07", "\u009b31mred"]):
        info = store.save(f"hostile {i}", Game(story, "main"), player="x")
        data = json.loads(info.path.read_text(encoding="utf-8"))
        data["player"] = player
        info.path.write_text(json.dumps(data), encoding="utf-8")
    (saves / "hostile 0.json").rename(os.fsdecode(bytes(saves) + b"/bad \xff name.json"))
    for args in ((), ("--format", "json")):
        out = run("--story", str(root), *args, saves=saves)
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
        assert "\x1b" not in out.stdout and "\u009b" not in out.stdout
    out = run("--story", str(root), saves=saves)
    assert "bad \\udcff name" in out.stdout or "bad \\xff name" in out.stdout


def test_saves_marks_a_save_made_in_author_mode(make_story: StoryMaker, tmp_path: Path) -> None:
    root = make_story()
    story = load_story(root).story
    assert story is not None
    game = Game(story, "main")
    game.jump("c")
    SaveStore(tmp_path / "saves", story).save("jumped", game)
    out = run("--story", str(root), saves=tmp_path / "saves")
    assert "made in author mode (1 jump): open it with play --author" in out.stdout
    data = json.loads(run("--story", str(root), "--format", "json", saves=tmp_path / "saves").stdout)
    assert data["saves"][0]["author_jumps"] == 1
