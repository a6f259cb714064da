"""Plain mode, run as a player (or a screen reader, or a pipe) would: the `play --plain` command
fed on stdin. Most tests run the command in this process (the same code as the real CLI, without
starting an interpreter and loading the story each time); a few run it as a real subprocess, for
what only a process shows: end of input, the fall-back when stdout is not a terminal, that
Textual is never imported, and the exit status of a refusal."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import REPO, StoryMaker, loaded

from moscow1941.cli import main

UI_STORY = REPO / "tests" / "ui" / "story"


def pipe_env(**extra: str) -> dict[str, str]:
    """The environment of a player piping into the game: no COLUMNS (pytest's children get one),
    so plain mode writes each paragraph as one line, unless `extra` sets it."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**env, **extra}


@dataclass(frozen=True)
class Played:
    """What a run of the command printed, and its exit status."""

    returncode: int
    stdout: str
    stderr: str


def play(stdin: str, *args: str, saves: Path, story: Path = UI_STORY) -> Played:
    """`moscow1941 play --plain` in this process, fed `stdin`, as through a pipe (no COLUMNS)."""
    out, err = io.StringIO(), io.StringIO()
    saved_stdin, saved_env = sys.stdin, {k: os.environ.pop(k) for k in ("COLUMNS", "LINES")
                                         if k in os.environ}
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["play", "--plain", "--story", str(story), "--saves", str(saves), *args])
    finally:
        sys.stdin = saved_stdin
        os.environ.update(saved_env)
    return Played(code, out.getvalue(), err.getvalue())


def run(stdin: str, *args: str, saves: Path, story: Path = UI_STORY,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`moscow1941 play --plain` as a real process, fed `stdin` through a pipe (in `env`)."""
    return subprocess.run(
        [sys.executable, "-m", "moscow1941", "play", "--plain", "--story", str(story),
         "--saves", str(saves), *args],
        input=stdin, capture_output=True, text=True, cwd=REPO, timeout=60,
        env=pipe_env() if env is None else env)


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    return tmp_path / "saves"


def test_plain_mode_plays_to_an_ending_and_prints_the_report(saves: Path) -> None:
    out = play("1\n2\nTo be seen, of course.\n", "--campaign", "clerk", saves=saves)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "== The Telephone Rings ==\n13 April 1941 · Moscow, the commissariat\n" in text
    assert "1. Hold the train." in text
    assert "3. [locked] Telephone the Kremlin yourself. (Only a trusted official" in text
    assert "== The end: Noticed ==\nA personal fate\n" in text
    assert "Choice divergence: 50% (1 of 2 real decisions differ)." in text
    assert "- 13 April 1941, The Platform (you diverged)" in text
    assert "History: Step back into the crowd." in text
    assert "Before you choose, reflect: Why might a junior official want to be seen" in text
    assert "(You chose: Push forward to be seen.)" in text
    assert "Questions to talk about:\n1. Who gained most from the train waiting" in text


def test_plain_mode_reflection_can_go_back_to_the_choices_or_skip(saves: Path) -> None:
    out = play("1\n2\nback\n1\n\n", "--campaign", "clerk", saves=saves)
    assert out.returncode == 0, out.stderr
    assert "(back to the choices)" in out.stdout
    assert "== The end: As It Happened ==" in out.stdout


def test_plain_mode_writes_no_escape_codes(saves: Path) -> None:
    out = play("status\ntimeline\nhistory\nhelp\n1\n1\n", "--campaign", "clerk", saves=saves)
    assert "\x1b" not in out.stdout and "\x1b" not in out.stderr


def test_end_of_input_in_the_middle_of_a_game_ends_cleanly(saves: Path) -> None:
    out = run("1\n", "--campaign", "clerk", saves=saves)
    assert out.returncode == 0
    assert "== The Platform ==" in out.stdout
    assert out.stdout.rstrip().endswith("(end of input: leaving the game)")
    assert "Traceback" not in out.stderr


def test_a_locked_choice_is_refused_with_its_reason(saves: Path) -> None:
    out = play("3\nquit\n", "--campaign", "clerk", saves=saves)
    assert "That choice is locked: Only a trusted official may call the Kremlin." in out.stdout
    assert "== The Platform ==" not in out.stdout and "== An Empty Platform ==" not in out.stdout


def test_undo_shows_the_previous_scene_again(saves: Path) -> None:
    out = play("1\nundo\nundo\nquit\n", "--campaign", "clerk", saves=saves)
    assert out.stdout.count("== The Telephone Rings ==") == 2
    assert "Nothing to undo: this is the start of the game." in out.stdout


def test_status_history_and_timeline_commands(saves: Path) -> None:
    out = play("1\nstatus\nhistory\ntimeline\nquit\n", "--campaign", "clerk", saves=saves)
    text = out.stdout
    assert "Trust: 1 (of -3 to 3)" in text
    assert "Choice divergence: 0% (0 of 1 real decision differs)" in text
    assert "Your last decision: The Telephone Rings (13 April 1941)" in text
    assert "The real actors made the same choice." in text
    assert "  - FRUS 1941 vol. IV doc. 783" in text
    assert "type 'history spoiler'" in text
    assert "13 April 1941: The train waits [not reached yet]" in text


def test_the_current_decision_is_only_revealed_when_asked(saves: Path) -> None:
    out = play("history\nhistory spoiler\nquit\n", "--campaign", "clerk", saves=saves)
    before, _, after = out.stdout.partition("before you choose:")
    assert "You have not taken a decision yet." in before
    assert "while Stalin came to the station" not in before
    assert "while Stalin came to the station" in after


def test_save_then_load_by_name_in_a_new_session(saves: Path) -> None:
    out = play("1\nsave Platform game\nquit\n", "--campaign", "clerk", saves=saves)
    assert "Saved as 'Platform game'." in out.stdout
    out = play("load Platform game\nstatus\nquit\n", saves=saves)
    assert "Loaded 'Platform game'." in out.stdout
    assert "== The Platform ==" in out.stdout
    assert "Trust: 1 (of -3 to 3)" in out.stdout


def test_continue_resumes_the_autosave_of_the_last_choice(saves: Path) -> None:
    play("1\n", "--campaign", "clerk", saves=saves)
    out = play("continue\nquit\n", saves=saves)
    assert "Or 'continue' (The Platform, 13 April 1941)" in out.stdout
    assert "Loaded 'Autosave clerk 1'." in out.stdout
    assert out.stdout.count("== The Platform ==") == 1


def test_loading_a_missing_save_says_so(saves: Path) -> None:
    out = play("load nothing here\nquit\n", "--campaign", "clerk", saves=saves)
    assert "There is no save called ‘nothing here’" in out.stdout


def test_without_a_campaign_the_player_picks_one(saves: Path) -> None:
    out = play("2\nquit\n", saves=saves)
    assert "1. The Clerk (A junior clerk at the commissariat)" in out.stdout
    assert "2. The Envoy" in out.stdout
    assert "== Packing ==" in out.stdout


def test_play_falls_back_to_plain_text_when_stdout_is_not_a_terminal(saves: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "moscow1941", "play", "--story", str(UI_STORY), "--saves",
         str(saves), "--campaign", "clerk"],
        input="quit\n", capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0
    assert "== The Telephone Rings ==" in out.stdout and "\x1b" not in out.stdout


def test_plain_play_never_imports_textual(saves: Path) -> None:
    code = ("import io, sys; sys.stdin = io.StringIO('quit\\n'); "
            "from moscow1941.cli import main; "
            f"main(['play', '--plain', '--story', {str(UI_STORY)!r}, '--saves', "
            f"{str(saves)!r}, '--campaign', 'clerk']); "
            "print('TEXTUAL' if 'textual' in sys.modules or 'rich' in sys.modules else 'OK')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         timeout=60)
    assert out.stdout.strip().endswith("OK"), out.stdout + out.stderr


def test_an_unknown_campaign_is_refused(saves: Path) -> None:
    out = run("", "--campaign", "nobody", saves=saves)
    assert out.returncode == 2
    assert "No campaign 'nobody'. This story has: clerk, envoy" in out.stderr


def test_a_counterfactual_decision_is_reported_as_having_no_real_counterpart(
        make_story: StoryMaker, saves: Path) -> None:
    from tests.conftest import CHAPTER

    text = CHAPTER.replace("    history:\n", "    history:\n      counterfactual: true\n") \
                  .replace("        historical: true\n", "")
    root = make_story({"ch1.yaml": text})
    out = play("2\n", "--campaign", "main", saves=saves, story=root)
    assert out.returncode == 0, out.stderr
    assert "Start (no real decision here: a world history never saw)" in out.stdout
    assert ("Choice divergence: 0% (0 of 0 real decisions differ; 1 more in a world history "
            "never saw).") in out.stdout


def test_plain_mode_writes_a_transcript_that_verifies(saves: Path) -> None:
    from moscow1941.classroom.transcript import verify

    out = play("1\ntranscript md\ntranscript pdf\n", "--campaign", "clerk", saves=saves)
    assert out.returncode == 0, out.stderr
    [path] = (saves / "transcripts").iterdir()
    assert f"Transcript written to {path}" in out.stdout
    assert "Type 'transcript' for HTML (to print) or 'transcript md' for text." in out.stdout
    story = loaded(UI_STORY)
    assert verify(path.read_text(encoding="utf-8"), story).ok
