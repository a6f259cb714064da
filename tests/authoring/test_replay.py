"""Replaying save files, recorded paths and expected transcripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import CHAPTER, StoryMaker, loaded

from moscow1941.authoring.replay import WalkthroughError, read_walkthrough, replay
from moscow1941.engine import Game

TRANSCRIPT = """\
# the tiny story, diverging
campaign: main
seed: 0
steps:
  - expect: {node: a, title: Start, text: [Trust is 0.], choices: 2}
  - choose: Diverge
  - expect:
      ending: Other
      kind: diverged
      text: [Not as it was.]
      absent: [As it was]
      vars: {flag: true, trust: 0}
      choice_divergence: 1
      outcome_divergence: 1
"""


story_of = loaded


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_expected_transcript_passes(make_story: StoryMaker, tmp_path: Path) -> None:
    report = replay(story_of(make_story()), read_walkthrough(write(tmp_path, "t.yaml", TRANSCRIPT)))
    assert report.ok, report.text()
    assert report.ending == "Other" and len(report.lines) == 4 + 1 + 8
    assert "ok   step 2: 'a': Diverge. -> 'c'" in report.text()


def test_expected_transcript_reports_each_mismatch(make_story: StoryMaker, tmp_path: Path) -> None:
    wrong = TRANSCRIPT.replace("kind: diverged", "kind: close").replace("[Not as it was.]",
                                                                        "[Exactly as it was]")
    report = replay(story_of(make_story()), read_walkthrough(write(tmp_path, "t.yaml", wrong)))
    failed = [line.text for line in report.lines if not line.ok]
    assert failed == ["step 3: expect ending kind 'close', got 'diverged'",
                      "step 3: expect text 'Exactly as it was', got 'Done differently. Not as it "
                      "was.'"]
    assert "FAILED: 2 of" in report.text()


def test_short_form_chooses_by_number_and_checks_at_the_end(make_story: StoryMaker,
                                                            tmp_path: Path) -> None:
    text = "campaign: main\nchoices: [1]\nexpect: {ending: History, kind: historical}\n"
    report = replay(story_of(make_story()), read_walkthrough(write(tmp_path, "t.yaml", text)))
    assert report.ok and report.node == "b"


def test_a_choice_that_no_longer_exists_stops_the_replay(make_story: StoryMaker,
                                                         tmp_path: Path) -> None:
    text = "campaign: main\nchoices: [Fly away, 1]\n"
    report = replay(story_of(make_story()), read_walkthrough(write(tmp_path, "t.yaml", text)))
    assert not report.ok and len(report.lines) == 1
    assert "no choice starts with 'Fly away' (shown: 1. Go on.; 2. Diverge.)" in report.text()


def test_save_files_replay_their_path(make_story: StoryMaker, tmp_path: Path) -> None:
    story = story_of(make_story())
    game = Game(story, "main", 5)
    game.choose(1)
    save = {"format": "moscow1941-save", "state": game.state.to_json()}
    report = replay(story, read_walkthrough(write(tmp_path, "s.json", json.dumps(save))))
    assert report.ok and report.node == "c" and report.seed == 5


def test_recorded_path_that_no_longer_applies_fails(make_story: StoryMaker,
                                                    tmp_path: Path) -> None:
    recorded = {"campaign": "main", "seed": 0, "path": [["a", 0, "gone"]]}
    report = replay(story_of(make_story()),
                    read_walkthrough(write(tmp_path, "p.json", json.dumps(recorded))))
    assert not report.ok
    assert "'a' no longer has a choice 1 leading to 'gone'" in report.lines[0].text


@pytest.mark.parametrize("text, message", [
    ("- 1\n- 2\n", "a replay file is a mapping"),
    ("campaign: main\nsteps: [{dance: 1}]\n", "step 1 must be {choose: N or text}"),
    ("campaign: main\nexpect: {colour: red}\n", "unknown expectation(s) colour"),
    ("campaign: main\nchoices: [0]\n", "choose a number from 1"),
    ("campaign: main\npath: [[a, 0]]\n", "each step of 'path' is [node, choice index, goto]"),
    ("campaign: main\nx: !!python/object/apply:os.system [ls]\n", "E104"),
])
def test_malformed_replay_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(WalkthroughError) as err:
        read_walkthrough(write(tmp_path, "bad.yaml", text))
    assert message in str(err.value)


# ---- a failure's replay line reproduces the failure (D5) -----------------------------------

LOCKED = CHAPTER.replace(
    "    text: Done differently.\n    ending: {title: Other, kind: diverged, epilogue: Not as it "
    "was.}\n",
    "    text: Done differently.\n    choices:\n"
    "      - {text: Up., goto: b, if: trust > 0, locked: Not without trust.}\n"
    "      - {text: Down., goto: b, if: trust > 1, locked: Not without more trust.}\n")


def test_a_stuck_failure_replays_as_the_same_failure(make_story: StoryMaker,
                                                     tmp_path: Path) -> None:
    from moscow1941.authoring.playtest import random_playtest
    story = story_of(make_story({"ch1.yaml": LOCKED}))
    (failure,) = random_playtest(story, 20, seed=3).campaigns[0].failures
    assert failure.message == "stuck at 'c': all 2 of its choices are locked"
    line = write(tmp_path, "stuck.json", failure.replay_json())
    report = replay(story, read_walkthrough(line))
    assert not report.ok
    assert report.lines[-1].text == failure.message and not report.lines[-1].ok
    assert "FAIL stuck at 'c': all 2 of its choices are locked" in report.text()
    # once the story is fixed, the same line passes: it is a regression test
    fixed = story_of(make_story({"ch1.yaml": LOCKED.replace("if: trust > 0", "if: trust < 1")}))
    again = replay(fixed, read_walkthrough(line))
    assert again.ok and again.lines[-1].text == "no longer stuck at 'c': a choice is available"


def test_a_loop_failure_replays_as_the_same_failure(make_story: StoryMaker,
                                                    tmp_path: Path) -> None:
    from tests.authoring.test_playtest import TWO_LOOP

    from moscow1941.authoring.playtest import exhaustive_playtest, random_playtest
    story = story_of(make_story({"ch1.yaml": TWO_LOOP}))
    for failure in (random_playtest(story, 10, seed=1).campaigns[0].failures[0],
                    exhaustive_playtest(story).campaigns[0].failures[0]):
        report = replay(story, read_walkthrough(write(tmp_path, "loop.json",
                                                     failure.replay_json())))
        assert not report.ok and report.lines[-1].text == failure.message
    exit_added = TWO_LOOP.replace("      - {text: East., goto: e}\n",
                                  "      - {text: East., goto: e}\n      - {text: Home., goto: b}\n")
    again = replay(story_of(make_story({"ch1.yaml": exit_added})),
                   read_walkthrough(tmp_path / "loop.json"))
    assert again.ok and again.lines[-1].text == "an ending can now be reached from 'c'"


def test_fails_is_checked(tmp_path: Path) -> None:
    with pytest.raises(WalkthroughError, match="'fails' is one of stuck, loop, long, error"):
        read_walkthrough(write(tmp_path, "p.json", '{"campaign": "main", "fails": "x", '
                                                  '"path": []}'))
    with pytest.raises(WalkthroughError, match="'fails' goes with a recorded 'path'"):
        read_walkthrough(write(tmp_path, "p.yaml", "campaign: main\nfails: stuck\nchoices: [1]\n"))


# ---- author-mode jumps in saves (D6) ---------------------------------------------------------

def test_a_save_with_an_author_mode_jump_replays(make_story: StoryMaker, tmp_path: Path) -> None:
    from tests.authoring.test_playtest import LOOP
    story = story_of(make_story({"ch1.yaml": LOOP}))
    game = Game(story, "main")
    game.jump("a")          # as the palette's "Jump to a" does: index -1 in the path
    game.choose(0)
    assert game.state.path[0].to_json() == ["a", -1, "a"]
    save = {"format": "moscow1941-save", "state": game.state.to_json()}
    report = replay(story, read_walkthrough(write(tmp_path, "Autosave 2.json", json.dumps(save))))
    assert report.ok, report.text()
    assert report.lines[0].text == "step 1: 'a': jump to 'a' (author mode)"
    assert report.node == "b" and [s.to_json() for s in report.path] == [["a", -1, "a"],
                                                                         ["a", 0, "b"]]
    gone = json.dumps({"campaign": "main", "path": [["a", -1, "nowhere"]]})
    report = replay(story, read_walkthrough(write(tmp_path, "gone.json", gone)))
    assert not report.ok and "jump to 'nowhere', a node this story no longer has" \
        in report.lines[0].text


def test_a_historical_failure_replays_as_the_same_failure(make_story: StoryMaker,
                                                          tmp_path: Path) -> None:
    from moscow1941.authoring.playtest import historical_playtest
    chapter = CHAPTER.replace("{title: History, kind: historical", "{title: History, kind: close")
    story = story_of(make_story({"ch1.yaml": chapter}))
    report = historical_playtest(story)
    line = next(x for x in report.text().splitlines() if x.startswith("    replay: "))
    assert '"fails": "historical"' in line
    path = write(tmp_path, "h.json", line.split("replay: ", 1)[1])
    again = replay(story, read_walkthrough(path))
    assert not again.ok
    assert again.lines[-1].text == report.campaigns[0].problems[0] \
        == "ends at 'b', an ending of kind 'close', not 'historical'"
    fixed = replay(story_of(make_story()), read_walkthrough(path))
    assert fixed.ok and fixed.lines[-1].text == "the historical play now ends in history, at 'b'"


def test_an_engine_error_replays_as_the_same_error(make_story: StoryMaker, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from moscow1941.authoring.playtest import random_playtest
    story = story_of(make_story())
    real = Game._enter

    def broken(self: Game, node_id: str) -> None:
        if node_id == "c":
            raise RuntimeError("boom")
        real(self, node_id)

    monkeypatch.setattr(Game, "_enter", broken)
    (failure,) = random_playtest(story, 20, seed=1).campaigns[0].failures
    assert failure.kind == "error" and failure.message == "RuntimeError: boom"
    report = replay(story, read_walkthrough(write(tmp_path, "e.json", failure.replay_json())))
    assert not report.ok
    assert report.lines[-1].text == "step 1: at 'a', 'Diverge.': RuntimeError: boom"
