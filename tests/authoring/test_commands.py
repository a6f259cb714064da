"""The author's commands, run as an author would: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import CHAPTER, REPO, SHIPPED_STORY, StoryMaker


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "moscow1941", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_playtest_random_is_byte_identical_for_the_same_seed(make_story: StoryMaker) -> None:
    root = str(make_story())
    first = run("playtest", root, "--random", "100", "--seed", "9")
    again = run("playtest", root, "--random", "100", "--seed", "9")
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout and "100 random plays (seed 9)" in first.stdout


def test_playtest_random_json_and_failing_exit_status(make_story: StoryMaker) -> None:
    dead = CHAPTER.replace("    ending: {title: Other, kind: diverged, epilogue: Not as it was.}\n",
                           "")
    out = run("playtest", str(make_story({"ch1.yaml": dead})), "--random", "20",
              "--format", "json")
    data = json.loads(out.stdout)
    assert out.returncode == 1 and data["ok"] is False
    assert data["campaigns"][0]["failures"][0]["path"] == [["a", 1, "c"]]


def test_playtest_failure_path_replays_from_a_file(make_story: StoryMaker,
                                                   tmp_path: Path) -> None:
    dead = CHAPTER.replace("    ending: {title: Other, kind: diverged, epilogue: Not as it was.}\n",
                           "")
    root = str(make_story({"ch1.yaml": dead}))
    out = run("playtest", root, "--random", "20")
    recorded = next(line.split("replay: ", 1)[1] for line in out.stdout.splitlines()
                    if "replay: " in line)
    (tmp_path / "stuck.json").write_text(recorded)
    again = run("playtest", root, "--replay", str(tmp_path / "stuck.json"))
    # the replay ends in the same failure, exit 1, for as long as the story has the problem
    assert again.returncode == 1, again.stdout + again.stderr
    assert "FAIL stuck at 'c': it has no choices and is not an ending" in again.stdout
    assert "stopped at node 'c'" in again.stdout


def test_playtest_replay_checks_an_expected_transcript(make_story: StoryMaker,
                                                       tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("campaign: main\nchoices: [Go on]\nexpect: {ending: History}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaign: main\nchoices: [Go on]\nexpect: {ending: Other}\n")
    root = str(make_story())
    assert run("playtest", root, "--replay", str(good)).returncode == 0
    out = run("playtest", root, "--replay", str(good), str(bad))
    assert out.returncode == 1 and "FAIL step 2: expect ending 'Other', got 'History'" in out.stdout


def test_playtest_exhaustive_and_historical_on_the_tiny_story(make_story: StoryMaker) -> None:
    root = str(make_story())
    out = run("playtest", root, "--exhaustive", "--max-states", "50")
    assert out.returncode == 0 and "campaign main: 3 states" in out.stdout
    out = run("playtest", root, "--historical", "--format", "json")
    assert out.returncode == 0 and json.loads(out.stdout)["campaigns"][0]["ok"] is True


def test_playtest_historical_on_the_shipped_story_ends_in_history() -> None:
    out = run("playtest", str(SHIPPED_STORY), "--historical")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("choice divergence 0.000, outcome divergence 0.000") >= 1


def test_playtest_refuses_a_story_with_errors(make_story: StoryMaker) -> None:
    out = run("playtest", str(make_story({"ch1.yaml": "nodes: [\n"})), "--random", "1")
    assert out.returncode == 2 and "E101" in out.stderr


def test_help_lists_the_authoring_commands() -> None:
    out = run("--help")
    assert out.returncode == 0
    for name in ("playtest", "graph", "schema", "new", "sources"):
        assert name in out.stdout


def test_authoring_tools_never_import_a_user_interface() -> None:
    code = ("import sys, moscow1941.authoring.playtest, moscow1941.authoring.replay, "
            "moscow1941.authoring.graph, moscow1941.authoring.scaffold, "
            "moscow1941.authoring.reload, moscow1941.authoring.sources, "
            "moscow1941.story.schema; "
            "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich') "
            "or m.startswith('moscow1941.ui') or m == 'moscow1941.plain'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
