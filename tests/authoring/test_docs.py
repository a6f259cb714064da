"""The samples in docs/authoring.md are real output: each is produced again here, on the
starter story `moscow1941 new` writes, so the tutorial cannot go stale."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO, loaded

from moscow1941.authoring.replay import read_walkthrough, replay
from moscow1941.authoring.scaffold import scaffold
from moscow1941.engine import Game

DOC = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
CHAPTER = Path("chapters") / "01_the_night.yaml"
BLAMED_ENDING = """\
    ending:
      title: No Pact in April
      kind: diverged
      epilogue: Without the pact, both capitals keep more divisions on the Manchurian border.
"""


def blocks(fence: str = "") -> list[str]:
    """The text of every fenced block of the doc with this info string (none: plain)."""
    out: list[str] = []
    info: str | None = None
    lines: list[str] = []
    for line in DOC.splitlines(keepends=True):
        if info is None and line.startswith("```"):
            info, lines = line[3:].strip(), []
        elif info is not None and line.rstrip() == "```":
            if info == fence:
                out.append("".join(lines))
            info = None
        elif info is not None:
            lines.append(line)
    return out


def block_starting(start: str, fence: str = "") -> str:
    found = [b for b in blocks(fence) if b.startswith(start)]
    assert len(found) == 1, f"no single block starts with {start!r}"
    return found[0]


def moscow1941(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "moscow1941", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture
def clerk(tmp_path: Path) -> Path:
    """`moscow1941 new night-clerk --title "The Night Clerk"`, in a fresh folder."""
    scaffold(tmp_path / "night-clerk", "The Night Clerk")
    return tmp_path / "night-clerk"


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / CHAPTER
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_random_playtest_sample_is_the_real_output(clerk: Path) -> None:
    sample = block_starting("campaign clerk: 1000 random plays (seed 1)\n")
    out = moscow1941("playtest", "night-clerk", "--random", "1000", "--seed", "1",
                     cwd=clerk.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout == sample


def test_the_failure_sample_and_its_replay_are_the_real_output(clerk: Path) -> None:
    edit(clerk, BLAMED_ENDING, "")
    sample = block_starting("  FAIL stuck at 'blamed'")
    out = moscow1941("playtest", "night-clerk", "--random", "1000", "--seed", "1",
                     cwd=clerk.parent)
    assert out.returncode == 1 and out.stdout.endswith(sample), out.stdout
    line = next(x for x in sample.splitlines() if x.startswith("    replay: "))
    (clerk.parent / "stuck.json").write_text(line.split("replay: ", 1)[1], encoding="utf-8")
    again = moscow1941("playtest", "night-clerk", "--replay", "stuck.json", cwd=clerk.parent)
    assert again.returncode == 1
    assert again.stdout == block_starting("replay stuck.json: campaign clerk, seed 1\n")
    # fixed, the same line passes, with the message the doc quotes
    edit(clerk, "    text: Matsuoka goes home empty-handed, and Tokyo wonders what Moscow "
                "meant.\n", "    text: Matsuoka goes home empty-handed.\n" + BLAMED_ENDING)
    fixed = moscow1941("playtest", "night-clerk", "--replay", "stuck.json", cwd=clerk.parent)
    assert fixed.returncode == 0, fixed.stdout
    assert "the stuck failure is gone: the path now ends at 'blamed'" in fixed.stdout
    assert "`the stuck failure is gone: the path now ends at ...`" in DOC


def test_the_loop_samples_are_the_real_output(clerk: Path) -> None:
    edit(clerk, "        goto: admitted\n", "        goto: morning\n")
    edit(clerk, "        goto: blamed\n", "        goto: morning\n")
    random_sample = block_starting("  FAIL no ending can be reached: every way on goes round a "
                                   "loop (morning -> morning) (48 plays)\n")
    assert "If both choices at `morning` led back to `morning`, `--random 100 --seed 1` would " \
        "print:" in DOC.replace("\n", " ")
    out = moscow1941("playtest", "night-clerk", "--random", "100", "--seed", "1",
                     cwd=clerk.parent)
    assert out.returncode == 1 and random_sample in out.stdout, out.stdout
    exhaustive_sample = block_starting("  FAIL no ending can be reached: every way on goes "
                                       "round a loop (morning -> morning)\n")
    out = moscow1941("playtest", "night-clerk", "--exhaustive", cwd=clerk.parent)
    assert out.returncode == 1 and exhaustive_sample in out.stdout, out.stdout
    assert "ok: an ending\ncan be reached from every reachable state" in DOC


def test_the_jump_line_is_the_real_output(clerk: Path, tmp_path: Path) -> None:
    story = story_of(clerk)
    game = Game(story, "clerk")
    game.jump("morning")
    save = tmp_path / "save.json"
    save.write_text(json.dumps({"state": game.state.to_json()}), encoding="utf-8")
    report = replay(story, read_walkthrough(save))
    assert report.ok and report.lines[0].text == "step 1: 'desk': jump to 'morning' (author mode)"
    assert f"`{report.lines[0].text}`" in DOC


def test_the_validation_recipe_works_and_says_what_the_doc_says(clerk: Path) -> None:
    script = block_starting('"""python validate.py SCHEMA FILE...', "python")
    (clerk.parent / "validate.py").write_text(script, encoding="utf-8")
    commands = block_starting("moscow1941 schema --kind manifest", "sh").splitlines()
    for command in commands[:2]:
        assert moscow1941(*command.split()[1:], cwd=clerk.parent).returncode == 0
    for command in commands[2:]:
        argv = command.split()[1:]
        files = [str(p.relative_to(clerk.parent)) for pattern in argv[2:]
                 for p in sorted(clerk.parent.glob(pattern))]
        out = subprocess.run([sys.executable, *argv[:2], *files], capture_output=True,
                             text=True, cwd=clerk.parent)
        assert out.returncode == 0 and out.stdout == "", out.stdout + out.stderr
    edit(clerk, "        if: trust <= 0\n", "")
    out = subprocess.run([sys.executable, "validate.py", "chapter.schema.json",
                          f"night-clerk/{CHAPTER.as_posix()}"],
                         capture_output=True, text=True, cwd=clerk.parent)
    assert out.returncode == 1, out.stderr
    expected = out.stdout.strip()
    assert expected == "night-clerk/chapters/01_the_night.yaml: nodes/morning/choices/0: 'if' " \
        "is a dependency of 'locked'"
    assert f"`{expected}`" in DOC.replace("\n", " ").replace("` `", "")


story_of = loaded
