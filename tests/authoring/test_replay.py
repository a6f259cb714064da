"""Replaying save files, recorded paths and expected transcripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import StoryMaker

from moscow1941.authoring.replay import TranscriptError, read_transcript, replay
from moscow1941.engine import Game
from moscow1941.story import Story, load_story

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


def story_of(root: Path) -> Story:
    result = load_story(root)
    assert result.story is not None
    return result.story


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_expected_transcript_passes(make_story: StoryMaker, tmp_path: Path) -> None:
    report = replay(story_of(make_story()), read_transcript(write(tmp_path, "t.yaml", TRANSCRIPT)))
    assert report.ok, report.text()
    assert report.ending == "Other" and len(report.lines) == 4 + 1 + 8
    assert "ok   step 2: 'a': Diverge. -> 'c'" in report.text()


def test_expected_transcript_reports_each_mismatch(make_story: StoryMaker, tmp_path: Path) -> None:
    wrong = TRANSCRIPT.replace("kind: diverged", "kind: close").replace("[Not as it was.]",
                                                                        "[Exactly as it was]")
    report = replay(story_of(make_story()), read_transcript(write(tmp_path, "t.yaml", wrong)))
    failed = [line.text for line in report.lines if not line.ok]
    assert failed == ["step 3: expect ending kind 'close', got 'diverged'",
                      "step 3: expect text 'Exactly as it was', got 'Done differently. Not as it "
                      "was.'"]
    assert "FAILED: 2 of" in report.text()


def test_short_form_chooses_by_number_and_checks_at_the_end(make_story: StoryMaker,
                                                            tmp_path: Path) -> None:
    text = "campaign: main\nchoices: [1]\nexpect: {ending: History, kind: historical}\n"
    report = replay(story_of(make_story()), read_transcript(write(tmp_path, "t.yaml", text)))
    assert report.ok and report.node == "b"


def test_a_choice_that_no_longer_exists_stops_the_replay(make_story: StoryMaker,
                                                         tmp_path: Path) -> None:
    text = "campaign: main\nchoices: [Fly away, 1]\n"
    report = replay(story_of(make_story()), read_transcript(write(tmp_path, "t.yaml", text)))
    assert not report.ok and len(report.lines) == 1
    assert "no choice starts with 'Fly away' (shown: 1. Go on.; 2. Diverge.)" in report.text()


def test_save_files_replay_their_path(make_story: StoryMaker, tmp_path: Path) -> None:
    story = story_of(make_story())
    game = Game(story, "main", 5)
    game.choose(1)
    save = {"format": "moscow1941-save", "state": game.state.to_json()}
    report = replay(story, read_transcript(write(tmp_path, "s.json", json.dumps(save))))
    assert report.ok and report.node == "c" and report.seed == 5


def test_recorded_path_that_no_longer_applies_fails(make_story: StoryMaker,
                                                    tmp_path: Path) -> None:
    recorded = {"campaign": "main", "seed": 0, "path": [["a", 0, "gone"]]}
    report = replay(story_of(make_story()),
                    read_transcript(write(tmp_path, "p.json", json.dumps(recorded))))
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
    with pytest.raises(TranscriptError) as err:
        read_transcript(write(tmp_path, "bad.yaml", text))
    assert message in str(err.value)
