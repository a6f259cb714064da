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
