"""Loading real stories: the documented example and the shipped story."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import REPO, SHIPPED_STORY, StoryMaker

from moscow1941.story import load_story
from moscow1941.story.dates import StoryDate
from moscow1941.story.lint import lint


def test_the_example_in_the_format_reference_loads(tmp_path: Path) -> None:
    doc = (REPO / "docs" / "story-format.md").read_text()
    example = re.search(r"```yaml\n# example/story.yaml\n(.*?)```", doc, re.S)
    assert example is not None
    (tmp_path / "story.yaml").write_text(example.group(1))
    result = load_story(tmp_path)
    assert result.diagnostics == () and result.story is not None
    assert lint(result.story) == []
    assert set(result.story.nodes) == {"office", "held", "gone"}


def test_the_shipped_story_loads_without_errors_or_warnings() -> None:
    result = load_story(SHIPPED_STORY)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    assert [d.format() for d in result.diagnostics] == []
    assert [d.format() for d in lint(result.story)] == []


def test_content_hash_changes_with_the_text(tmp_path: Path) -> None:
    import shutil
    copy = tmp_path / "story"
    shutil.copytree(SHIPPED_STORY, copy)
    first = load_story(copy).story
    assert first is not None and first.content_hash == load_story(copy).story.content_hash  # type: ignore[union-attr]
    manifest = copy / "story.yaml"
    manifest.write_text(manifest.read_text() + "\n# an edit\n")
    assert load_story(copy).story.content_hash != first.content_hash  # type: ignore[union-attr]


def test_month_only_dates_cover_the_whole_month() -> None:
    april = StoryDate.parse("1941-04")
    day = StoryDate.parse("1941-04-13")
    assert april.first < day.first <= day.last < april.last
    assert (april.display(), day.display()) == ("April 1941", "13 April 1941")


def test_text_interpolation_renders_numbers_bools_and_literal_braces(make_story) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CHAPTER

    from moscow1941.engine import Game

    root = make_story({"ch1.yaml": CHAPTER.replace(
        "text: Trust is {trust}.", "text: 'Trust {trust}, flag {flag}, braces {{x}} [b]not markup[/b].'", 1)})
    story = load_story(root).story
    assert story is not None
    assert Game(story, "main").paragraphs() == ("Trust 0, flag no, braces {x} [b]not markup[/b].",)


def test_the_content_hash_does_not_depend_on_how_the_folder_was_named(
        make_story: StoryMaker, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_story()
    absolute = load_story(root).story
    monkeypatch.chdir(root.parent)
    relative = load_story(Path(root.name)).story
    dotted = load_story(Path(".") / root.name / ".." / root.name).story
    assert absolute is not None and relative is not None and dotted is not None
    assert absolute.content_hash == relative.content_hash == dotted.content_hash
