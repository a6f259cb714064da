"""Plain mode's output as a screen reader and a pipe get it: no control character ever, lines
wrapped at word boundaries, headings in their own case, and every prompt answering `help`,
`glossary` and a mistyped command."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import CHAPTER, MANIFEST, REPO, SHIPPED_STORY, StoryMaker
from tests.test_plain import UI_STORY, pipe_env, run

from moscow1941.engine import Game
from moscow1941.engine.saves import SaveStore
from moscow1941.plain import (
    PlainSession,
    clean,
    format_glossary_search,
    format_timeline,
    pipe_width,
    run_plain,
    wrap_line,
)
from moscow1941.story import load_story
from moscow1941.story.model import GlossaryEntry, Story
from moscow1941.story.search import search_glossary

C0_C1 = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def load(root: Path) -> Story:
    story = load_story(root).story
    assert story is not None
    return story


@pytest.fixture(scope="module")
def shipped() -> Story:
    return load(SHIPPED_STORY)


@pytest.fixture(scope="module")
def ui() -> Story:
    return load(UI_STORY)


def session_output(story: Story, lines: list[str], campaign: str | None = None,
                   saves: Path | None = None, width: int | None = None,
                   player: str | None = None) -> str:
    out = io.StringIO()
    run_plain(story, campaign, 0, io.StringIO("".join(f"{x}\n" for x in lines)), out,
              store=SaveStore(saves, story) if saves is not None else None, width=width,
              player=player)
    return out.getvalue()


# ---- control characters ----------------------------------------------------------------------

HOSTILE_MANIFEST = MANIFEST.replace(
    "title: Tiny", 'title: "Tiny\\e[2J\\u009B2J"').replace(
    "    blurb: A tiny story for tests.",
    '    blurb: "A tiny \\e]0;owned\\u0007story\\u0090 for tests."') + """\
glossary:
  spy:
    term: "Richard \\e[5mSorge\\u009B"
    kind: person
    text: "A spy\\u0085 in \\e[31mTokyo\\x07."
    match: [Sorge]
"""
HOSTILE_CHAPTER = CHAPTER.replace(
    "title: Start", 'title: "Start \\e[2J\\u009B2J"').replace(
    "text: Trust is {trust}.", 'text: "Sorge: trust\\e[1A\\r is {trust}.\\u009Bm"').replace(
    "      - text: Go on.", '      - text: "Go \\e[8mon.\\u009C"').replace(
    "      text: It went on.", '      text: "It went\\e[2J on\\u008D."')


def test_no_escape_or_c1_character_from_a_story_reaches_the_output(
        make_story: StoryMaker, tmp_path: Path) -> None:
    root = make_story({"story.yaml": HOSTILE_MANIFEST, "ch1.yaml": HOSTILE_CHAPTER})
    story = load(root)
    # The loader already takes control characters out (W512); put some back behind its back,
    # so that plain mode's own last line of defence is what is tested here.
    assert "\x1b" not in story.nodes["a"].title
    node = dataclasses.replace(story.nodes["a"], title="Start \x1b[2J\x9b2J")
    story = dataclasses.replace(story, nodes=MappingProxyType({**story.nodes, "a": node}))
    assert "\x1b[2J" in story.nodes["a"].title and "\x9b" in story.nodes["a"].title
    text = session_output(story, ["look", "glossary", "glossary sorge", "history spoiler",
                                  "\x1b[2Jnonsense\x9b", "1", "history", "history all",
                                  "timeline all"], "main", saves=tmp_path / "saves",
                          player="Anna\x1b[2J\x9b")
    assert "Start [2J2J" in text and "Richard [5mSorge" in text  # the text is kept
    assert C0_C1.search(text) is None, repr(C0_C1.search(text))
    out = subprocess.run(
        [sys.executable, "-m", "moscow1941", "play", "--plain", "--story", str(root),
         "--saves", str(tmp_path / "saves2"), "--campaign", "main"],
        input=b"look\nglossary sorge\nhistory spoiler\n1\ntimeline all\n", capture_output=True,
        cwd=REPO, timeout=60, env=pipe_env())
    assert out.returncode == 0, out.stderr
    assert b"\x1b" not in out.stdout
    decoded = out.stdout.decode("utf-8")
    assert "Start [2J2J" in decoded
    assert C0_C1.search(decoded) is None


def test_the_output_function_drops_control_characters_but_keeps_newlines() -> None:
    out = io.StringIO()
    session = PlainSession(load(UI_STORY), io.StringIO(), out)
    session.say("one\x1b[2J\x9b\x85\r\nzwei\tdrei\x00\x7f")
    assert out.getvalue() == "one[2J\nzwei drei\n"


@given(st.text())
def test_clean_leaves_no_control_character_but_the_newline(text: str) -> None:
    cleaned = clean(text)
    assert C0_C1.search(cleaned) is None
    assert cleaned.count("\n") == text.count("\n")
    kept = "".join(c for c in text if not C0_C1.match(c) or c == "\t").replace("\t", " ")
    assert cleaned == kept


# ---- wrapping --------------------------------------------------------------------------------

words = st.text(alphabet=st.characters(blacklist_categories=("Zs", "Cc", "Zl", "Zp")),
                min_size=1, max_size=25)


@given(st.lists(words, min_size=1, max_size=40), st.integers(min_value=20, max_value=100),
       st.sampled_from(["", "  ", "1. ", "- ", "  save NAME   "]))
def test_wrapping_never_breaks_a_word_and_keeps_within_the_width(
        parts: list[str], width: int, head: str) -> None:
    line = head + " ".join(parts)
    wrapped = wrap_line(line, width).split("\n")
    assert " ".join(wrapped).split() == line.split()  # the same words, none cut in two
    assert len(wrapped[0]) <= width or len(wrapped[0][len(head):].split()) == 1
    for out in wrapped[1:]:  # longer than the width: only a word too long for any line
        assert len(out) <= width or len(out.split()) == 1


def test_continuation_lines_hang_under_their_list_marker() -> None:
    line = "12. " + "word " * 30
    wrapped = wrap_line(line.strip(), 40).split("\n")
    assert wrapped[0].startswith("12. word")
    assert all(w.startswith("    word") for w in wrapped[1:])
    help_line = "  history spoiler  what really happened at this decision, before you choose"
    wrapped = wrap_line(help_line, 50).split("\n")
    assert wrapped[1].startswith(" " * 19 + "decision")


def test_a_whole_game_wraps_at_the_width_and_never_mid_word(ui: Story, tmp_path: Path) -> None:
    lines = ["help", "status", "1", "history", "timeline", "glossary", "saves", "2",
             "A rather long answer to the question, " * 4, "transcript md"]
    wide = session_output(ui, lines, "clerk", saves=tmp_path / "a")
    narrow = session_output(ui, lines, "clerk", saves=tmp_path / "b", width=40)
    assert max(len(x) for x in wide.splitlines()) > 90
    # (Piped, nothing echoes what was typed: an answer begins on the prompt's line.)
    long_words = [x for x in narrow.replace("> ", "").splitlines() if len(x) > 40]
    assert all(" " not in x.strip() for x in long_words), long_words  # a path alone
    assert re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d|saves/\w+|/b/|/a/", "", narrow).split() \
        == re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d|saves/\w+|/b/|/a/", "", wide).split()


def test_a_terminal_is_wrapped_to_its_width_read_before_each_output(
        ui: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    session = PlainSession(ui, io.StringIO(), out, terminal=True)
    monkeypatch.setenv("COLUMNS", "41")  # shutil.get_terminal_size reads it first
    session.say("word " * 20)
    monkeypatch.setenv("COLUMNS", "61")
    session.say("word " * 20)
    lines = out.getvalue().splitlines()
    n = next(i for i, x in enumerate(lines) if len(x) > 40)  # the second paragraph begins
    assert max(len(x) for x in lines[:n]) == 39  # one column less than the terminal's
    assert max(len(x) for x in lines[n:]) == 59


def test_a_pipe_gets_whole_paragraphs_unless_columns_is_set(tmp_path: Path) -> None:
    assert pipe_width({}) is None
    assert pipe_width({"COLUMNS": "72"}) == 72
    assert pipe_width({"COLUMNS": "wide"}) is None
    out = run("look\nquit\n", "--campaign", "clerk", saves=tmp_path, env=pipe_env())
    assert ("The stationmaster is on the line. Someone important may be coming, and Molotov's "
            "secretary wants to know whether the express can wait.\n") in out.stdout
    out = run("quit\n", "--campaign", "clerk", saves=tmp_path, env=pipe_env(COLUMNS="50"))
    assert max(len(x) for x in out.stdout.splitlines()) <= 50


def test_titles_are_headings_in_their_own_case(ui: Story) -> None:
    text = session_output(ui, ["2", "quit"], "clerk")
    assert "== The Telephone Rings ==\n13 April 1941 · Moscow, the commissariat\n" in text
    assert "== The end: The Timetable Wins ==\nA different history\n" in text
    assert "TELEPHONE" not in text and "TIMETABLE" not in text


# ---- help, mistakes, saves -------------------------------------------------------------------

def test_help_and_mistakes_at_the_campaign_prompt(ui: Story, tmp_path: Path) -> None:
    text = session_output(ui, ["help", "9", "o", "glossary molotov", "saves", "quit"],
                          saves=tmp_path)
    assert "Choose a campaign from 1 to 2 by its number. Commands:\n  a number " in text
    assert "  glossary WORD  look up a name or a term (best match first)" in text
    assert ("There is no campaign 9: the campaigns are numbered 1 to 2. You can type a "
            "campaign's number (1 to 2), load NAME, saves, glossary, name NAME, help or quit.") in text
    assert "I don't know 'o'. You can type a campaign's number (1 to 2)" in text
    assert "== Vyacheslav Molotov ==\nperson, 1890–1986\n" in text
    assert "No saved games yet." in text


@pytest.mark.parametrize("typed", ["q?", "o", "x", "9", "0", "undo now"])
def test_a_mistyped_command_says_what_went_wrong_and_what_can_be_typed(
        ui: Story, typed: str) -> None:
    text = session_output(ui, [typed], "clerk")
    if typed.isdigit():
        assert (f"There is no choice {typed} here: choose a number from 1 to 3. You can type a "
                "choice number (1 to 3), undo, save NAME, load NAME, saves, history, timeline, "
                "glossary, status, name NAME, look, transcript, new, help or quit.") in text
    else:
        assert f"I don't know '{typed}'. You can type a choice number (1 to 3), undo," in text


def test_help_at_the_reflection_prompt_explains_it_and_asks_again(ui: Story) -> None:
    game_text = session_output(ui, ["1", "2", "help", "Seen."], "clerk")
    assert "Your answer to the question is saved with the game" in game_text
    assert "    Seen." in game_text  # the answer after help is the one kept


def test_the_saves_list_labels_both_figures(ui: Story, tmp_path: Path) -> None:
    text = session_output(ui, ["2", "saves"], "clerk", saves=tmp_path)
    assert re.search(r"Autosave clerk 1 \(autosave\): An Empty Platform, 14 April 1941; choice "
                     r"divergence 100%, outcome divergence 67%; last played "
                     r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", text), text


# ---- the timeline ----------------------------------------------------------------------------

EVENT_LINE = re.compile(r"^\S.*: .* \[(as in history|DIVERGED|not reached yet)\]$", re.M)


def test_the_timeline_shows_the_events_so_far_and_the_next_few(shipped: Story) -> None:
    game = Game(shipped, "soviet", 0)
    settled = sum(1 for e in game.timeline() if e.status != "ahead")
    short = format_timeline(game)
    assert len(EVENT_LINE.findall(short)) == settled + 3 < len(shipped.events)
    hidden = len(shipped.events) - settled - 3
    assert short.endswith(f"{hidden} more events not shown: type 'timeline all' to list every "
                          "event.")
    assert len(EVENT_LINE.findall(format_timeline(game, everything=True))) == len(shipped.events)


def test_the_timeline_at_an_ending_shows_what_was_settled(ui: Story) -> None:
    text = session_output(ui, ["2", "timeline", "timeline all"], "clerk")
    short = text.partition("Timeline:")[2].partition("> ")[0]
    # At an ending every event is judged, even one dated after the last scene.
    assert short.startswith(" 2 of 2 events settled so far; 1 of 2 events went otherwise")
    assert "The train waits [DIVERGED]" in short
    assert "25 April 1941: The pact is ratified [as in history]" in short
    assert "not reached yet" not in text.rpartition("Timeline:")[2]


# ---- the glossary ----------------------------------------------------------------------------

def entry(term: str, text: str = "", match: tuple[str, ...] = (), kind: str = "person",
          id_: str | None = None) -> GlossaryEntry:
    return GlossaryEntry(id_ or term.lower().replace(" ", "_"), term, kind, "", text, match)


RANKED = {e.id: e for e in [
    entry("Ozaki Hotsumi", "A journalist and adviser who passed secrets to Sorge."),
    entry("Sorgeville", "A made-up place.", kind="place"),
    entry("Richard Sorge", "A German journalist in Tokyo.", ("Sorge",)),
    entry("The Sorge ring", "Sorge's informants."),
    entry("Bosorge", "A name with it inside."),
]}


def test_glossary_ranks_exact_then_word_prefix_then_substring_then_mention() -> None:
    assert [e.term for e in search_glossary(RANKED.values(), "Sorge")] == [
        "Richard Sorge", "Sorgeville", "The Sorge ring", "Bosorge", "Ozaki Hotsumi"]
    assert [e.term for e in search_glossary(RANKED.values(), "richard sorge")] == ["Richard Sorge"]
    assert [e.term for e in search_glossary(RANKED.values(), "place")] == ["Sorgeville"]
    assert search_glossary(RANKED.values(), "Ikeda") == []
    assert [e.term for e in search_glossary(RANKED.values(), "")] == sorted(
        e.term for e in RANKED.values())


def test_glossary_sorge_shows_richard_sorge_first_in_the_shipped_story(shipped: Story) -> None:
    text = format_glossary_search(shipped.glossary, "Sorge")
    assert text.startswith("== Richard Sorge ==\nperson")
    also = text.partition("Also matching 'Sorge'")[2]
    assert "Ozaki Hotsumi" in also
    assert "Richard Sorge" not in also


def test_glossary_commands_in_a_game(shipped: Story) -> None:
    text = session_output(shipped, ["glossary", "glossary Zzyzx", "glossary gaimusho",
                                    "glossary Ikeda"], "soviet")
    listing = text.partition("Glossary: ")[2]
    assert listing.startswith(f"{len(shipped.glossary)} entries.")
    assert "\nPeople (" in listing and "Richard Sorge" in listing and "Places (" in listing
    assert "No glossary entry matches 'Zzyzx'. Type 'glossary' for the list of entries." in text
    assert "== Ikeda ==" in text  # the fictional cast is in the glossary too
    assert "== Gaimushō ==\norganisation" in text  # accents folded: 'gaimusho' finds it


def test_glossary_lists_the_names_in_this_scene_first(ui: Story) -> None:
    text = session_output(ui, ["glossary"], "clerk")
    assert "Named in this scene: Vyacheslav Molotov." in text
    assert "People (1): Vyacheslav Molotov.\n\nPlaces (1): Yaroslavsky station." in text


def test_a_scene_with_no_way_on_says_so_and_waits_for_undo(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("      - text: Go on.\n        goto: b\n",
                              "      - text: Go on.\n        goto: b\n        if: trust > 5\n") \
                     .replace("      - text: Diverge.\n        goto: c\n",
                              "      - text: Diverge.\n        goto: c\n        if: trust > 5\n")
    story = load(make_story({"ch1.yaml": chapter}))
    text = session_output(story, ["1", "undo", "quit"], "main")
    assert "The story has no way on from here: type 'undo' to go back, 'new' for a new game, " \
           "or 'quit'." in text
    assert "There is no choice to take here. You can type undo," in text
    assert "Nothing to undo: this is the start of the game." in text
    assert text.rstrip().endswith("Goodbye.")


def test_the_player_puts_a_name_on_the_game_and_its_transcript(ui: Story, tmp_path: Path) -> None:
    from moscow1941.classroom.transcript import verify

    saves = tmp_path / "saves"
    text = session_output(ui, ["name", "2", "transcript md", "name  Anna\x1b[2J  Petrova ",
                               "name", "transcript md"], "clerk", saves=saves)
    assert "There is no name on this game yet: type 'name' and your name." in text
    assert "It has no name on it: type 'name' and your name, then 'transcript' again" in text
    assert "Your name on this game and its transcript: Anna[2J Petrova." in text
    assert "Your name on this game: Anna[2J Petrova." in text
    named = [p for p in (saves / "transcripts").iterdir() if "Anna" in p.read_text("utf-8")]
    assert len(named) == 1 and verify(named[0].read_text("utf-8"), ui).ok
    # The name is saved with the game: Continue brings it back.
    assert "Your name on this game: Anna[2J Petrova." in session_output(
        ui, ["continue", "name"], saves=saves)
