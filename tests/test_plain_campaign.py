"""A screen-reader student's whole game in plain mode: every shipped campaign played to its
ending, the ending waiting for commands, and the transcript written there verifying."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO, SHIPPED_STORY
from tests.test_plain import pipe_env

from moscow1941.classroom.transcript import verify
from moscow1941.engine import Game
from moscow1941.engine.saves import SaveStore
from moscow1941.plain import run_plain
from moscow1941.story import load_story
from moscow1941.story.model import Story

ANSWER = "Because the east had to stay quiet."


@pytest.fixture(scope="module")
def story() -> Story:
    loaded = load_story(SHIPPED_STORY).story
    assert loaded is not None
    return loaded


def historical_script(story: Story, campaign: str) -> tuple[list[str], str]:
    """What a player types to follow history through `campaign` (the first enabled historical
    choice at each scene, a reflection answered wherever one is asked), and the ending's title."""
    game = Game(story, campaign, 0)
    lines: list[str] = []
    while True:
        scene = game.view()
        if scene.ending is not None:
            return lines, scene.ending.title
        enabled = [(n, c) for n, c in enumerate(scene.choices, 1) if c.enabled]
        n, choice = ([x for x in enabled if x[1].historical] or enabled)[0]
        lines.append(str(n))
        if scene.reflect:
            lines.append(ANSWER)
        game.choose(choice.index)


def play_in_process(story: Story, saves: Path, lines: list[str], campaign: str | None = None,
                    width: int | None = None) -> str:
    out = io.StringIO()
    status = run_plain(story, campaign, 0, io.StringIO("".join(f"{x}\n" for x in lines)), out,
                       store=SaveStore(saves, story), width=width)
    assert status == 0
    return out.getvalue()


@pytest.mark.parametrize("campaign", ["prologue", "japanese", "soviet"])
def test_a_whole_campaign_ends_and_its_transcripts_verify(story: Story, tmp_path: Path,
                                                          campaign: str) -> None:
    script, ending = historical_script(story, campaign)
    saves = tmp_path / "saves"
    text = play_in_process(story, saves, [*script, "transcript md", "transcript", "quit"],
                           campaign, width=80)
    assert f"== The end: {ending} ==" in text
    before_menu, _, after = text.partition("The game is over. Now you can type:")
    assert "Questions to talk about:" in before_menu and ANSWER in before_menu
    # The ending waited: both transcripts were written there, then the player quit.
    assert " ".join(after.split()).count("Transcript written to ") == 2
    assert after.rstrip().endswith("Goodbye.")
    files = sorted((saves / "transcripts").iterdir())
    assert [p.suffix for p in files] == [".html", ".md"]
    for path in files:
        assert f"Transcript written to {path}" in " ".join(text.split())
        body = path.read_text(encoding="utf-8")
        assert verify(body, story).ok
        assert ANSWER in body and ending in body
    assert "\x1b" not in text


def test_a_campaign_played_through_the_real_command_ends_with_a_verified_transcript(
        story: Story, tmp_path: Path) -> None:
    """`moscow1941 play --plain` with stdin, from the campaign list to the transcript."""
    script, ending = historical_script(story, "prologue")
    number = list(story.campaigns).index("prologue") + 1
    saves = tmp_path / "saves"
    stdin = "".join(f"{x}\n" for x in [number, *script, "timeline", "glossary Sorge",
                                        "transcript md", "transcript", "quit"])
    out = subprocess.run(
        [sys.executable, "-m", "moscow1941", "play", "--plain", "--saves", str(saves)],
        input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120, env=pipe_env())
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    text = out.stdout
    assert f"== The end: {ending} ==" in text
    assert "Timeline: 47 of 47 events settled so far; 0 of 47 events went otherwise in this game." in text
    assert "== Richard Sorge ==" in text
    assert text.rstrip().endswith("Goodbye.")
    files = sorted((saves / "transcripts").iterdir())
    assert [p.suffix for p in files] == [".html", ".md"]
    for path in files:
        assert f"Transcript written to {path}" in text
        check = subprocess.run([sys.executable, "-m", "moscow1941", "transcript", "--verify",
                                str(path)], capture_output=True, text=True, cwd=REPO,
                               timeout=120, env=pipe_env())
        assert check.returncode == 0, check.stdout + check.stderr
        assert verify(path.read_text(encoding="utf-8"), story).ok


def test_continue_on_a_finished_game_reopens_the_ending_and_its_commands(
        story: Story, tmp_path: Path) -> None:
    """Player review row 2: `continue` then `transcript md` on a finished game."""
    script, ending = historical_script(story, "prologue")
    saves = tmp_path / "saves"
    play_in_process(story, saves, script, "prologue")  # ends at end of input, autosaved
    assert not (saves / "transcripts").exists()
    text = play_in_process(story, saves, ["continue", "transcript md", "timeline", "undo",
                                          "quit"])
    assert "Loaded 'Autosave" in text
    assert f"== The end: {ending} ==" in text and "The game is over." in text
    [path] = (saves / "transcripts").iterdir()
    assert verify(path.read_text(encoding="utf-8"), story).ok
    # After the ending, undo goes back to the last scene, where the game goes on.
    assert "(you take back your last choice)" in text
    last = text.rpartition("(you take back your last choice)")[2]
    assert "The game is over." not in last and "\n1. " in last


def test_the_ending_waits_undo_plays_on_and_new_starts_another_game(tmp_path: Path) -> None:
    from tests.test_plain import UI_STORY

    ui = load_story(UI_STORY).story
    assert ui is not None
    text = play_in_process(ui, tmp_path / "saves", [
        "1", "1", "", "3", "history all", "undo", "2", "Seen.", "new", "2", "quit"], "clerk")
    first, _, rest = text.partition("== The end: As It Happened ==")
    assert rest, text
    assert "This is the end of the game: there is no choice to take. You can type transcript" \
        in rest
    assert "1. The Telephone Rings, 13 April 1941 (as in history)" in rest
    assert "   What really happened (13 April 1941): Junior officials kept their distance." in rest
    assert "== The end: Noticed ==" in rest  # undo, then the other road
    assert "Campaigns:" in rest and "== Packing ==" in rest.rpartition("Campaigns:")[2]


def test_the_ending_lists_what_can_be_done_and_help_lists_every_command(
        tmp_path: Path) -> None:
    from tests.test_plain import UI_STORY

    ui = load_story(UI_STORY).story
    assert ui is not None
    text = play_in_process(ui, tmp_path / "saves", ["1", "1", "", "help"], "clerk")
    menu = text.partition("The game is over. Now you can type:\n")[2].partition("> ")[0]
    for command in ("transcript", "transcript md", "look", "history all", "timeline",
                    "glossary", "undo", "new", "quit"):
        assert f"\n  {command} " in "\n" + menu, command
    assert "('help' lists every command.)" in menu
    full = text.partition("At the end of the game you can type:\n")[2]
    for command in ("history", "timeline all", "glossary WORD", "status", "save NAME",
                    "saves", "load NAME", "help"):
        assert f"\n  {command} " in "\n" + full, command
