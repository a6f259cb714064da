"""Expected transcripts kept in `transcripts/`, replayed against the starter story: the pattern
docs/authoring.md teaches for testing a branch."""

from __future__ import annotations

from pathlib import Path

import pytest

from moscow1941.authoring.replay import read_walkthrough, replay
from moscow1941.authoring.scaffold import scaffold
from moscow1941.story import load_story

TRANSCRIPTS = sorted((Path(__file__).parent / "transcripts").glob("*.yaml"))


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
def test_transcript_plays_as_expected(path: Path, tmp_path: Path) -> None:
    scaffold(tmp_path / "starter")
    story = load_story(tmp_path / "starter").story
    assert story is not None
    report = replay(story, read_walkthrough(path), str(path))
    assert report.ok, report.text()
    assert report.ending  # every kept transcript plays to an ending


def test_a_changed_story_breaks_the_transcript(tmp_path: Path) -> None:
    scaffold(tmp_path / "starter")
    chapter = tmp_path / "starter" / "chapters" / "01_the_night.yaml"
    chapter.write_text(chapter.read_text().replace("kind: historical", "kind: close"))
    story = load_story(tmp_path / "starter").story
    assert story is not None
    report = replay(story, read_walkthrough(TRANSCRIPTS[0]))
    assert not report.ok
    assert "expect ending kind 'historical', got 'close'" in report.text()


def test_the_transcript_in_the_authoring_tutorial_passes(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "authoring.md").read_text()
    block = doc.split("```yaml\n# The draft waits", 1)[1].split("```", 1)[0]
    path = tmp_path / "late.yaml"
    path.write_text("# The draft waits" + block, encoding="utf-8")
    scaffold(tmp_path / "night-clerk")
    story = load_story(tmp_path / "night-clerk").story
    assert story is not None
    report = replay(story, read_walkthrough(path))
    assert report.ok and report.ending == "The Archive", report.text()
