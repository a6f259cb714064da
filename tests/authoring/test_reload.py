"""Live reload: the watcher notices edits; a reloaded game keeps its place when it can."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import CHAPTER, StoryMaker

from moscow1941.authoring.reload import StoryWatcher, refresh, reload_game
from moscow1941.engine import Game
from moscow1941.story import load_story

TWO_STEPS = CHAPTER.replace("    title: End\n    text: Done.\n    ending: {title: History, "
                            "kind: historical, epilogue: As it was.}\n",
                            "    title: Middle\n    text: Halfway.\n    choices:\n"
                            "      - {text: On., goto: d}\n") + """\
  d:
    date: 1941-04-15
    place: Moscow
    title: End
    text: Done.
    ending: {title: History, kind: historical, epilogue: As it was.}
"""


def played(root: Path) -> Game:
    story = load_story(root).story
    assert story is not None
    game = Game(story, "main", 3)
    game.choose(0)
    game.choose(0)
    return game


def test_watcher_sees_edits_additions_and_removals(make_story: StoryMaker) -> None:
    root = make_story()
    watcher = StoryWatcher(root)
    assert not watcher.poll()
    (root / "ch1.yaml").write_text(CHAPTER + "\n# edited\n")
    (root / "ch2.yaml").write_text("nodes: {}\n")
    changes = watcher.poll()
    assert changes.modified == (str(root / "ch1.yaml"),)
    assert changes.added == (str(root / "ch2.yaml"),)
    (root / "ch2.yaml").unlink()
    assert watcher.poll().removed == (str(root / "ch2.yaml"),)
    assert not watcher.poll()


def test_watcher_sees_a_same_size_edit_by_its_time(make_story: StoryMaker) -> None:
    root = make_story()
    watcher = StoryWatcher(root)
    path = root / "ch1.yaml"
    path.write_text(CHAPTER.replace("Done.", "Dune."))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert watcher.poll().modified == (str(path),)


def test_watcher_ignores_hidden_and_other_files(make_story: StoryMaker) -> None:
    root = make_story()
    watcher = StoryWatcher(root)
    (root / ".draft.yaml").write_text("nodes: {}\n")
    (root / ".git").mkdir()
    (root / ".git" / "x.yaml").write_text("x: 1\n")
    (root / "notes.txt").write_text("later")
    assert not watcher.poll()


def test_reload_keeps_the_position_after_a_text_edit(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": TWO_STEPS})
    game = played(root)
    (root / "ch1.yaml").write_text(TWO_STEPS.replace("Halfway.", "Half the way."))
    new_game, messages = reload_game(game, load_story(root))
    assert new_game is not game and new_game.node.id == "d" and new_game.state.seed == 3
    assert "Half the way." in new_game.story.nodes["b"].passages[0].template.source
    assert messages == ["story reloaded: all 2 choices replayed; now at 'd'"]


def test_reload_replays_as_far_as_the_path_still_applies(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": TWO_STEPS})
    game = played(root)
    (root / "ch1.yaml").write_text(TWO_STEPS.replace("{text: On., goto: d}",
                                                     "{text: On., goto: c}"))
    new_game, messages = reload_game(game, load_story(root))
    assert new_game.node.id == "b" and len(new_game.state.path) == 1
    assert messages == ["story reloaded: 'b' no longer has choice 1 leading to 'd'; "
                        "replayed 1 of 2 choices; now at 'b'"]


def test_reload_with_errors_keeps_the_last_good_game(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": TWO_STEPS})
    game = played(root)
    (root / "ch1.yaml").write_text(TWO_STEPS.replace("goto: d", "goto: nowhere"))
    kept, messages = reload_game(game, load_story(root))
    assert kept is game and game.node.id == "d"
    assert messages[0] == "the story has 1 error; still playing the last good version"
    assert "error E301: no node named 'nowhere'" in messages[1]


def test_reload_keeps_the_game_when_its_campaign_is_gone(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": TWO_STEPS})
    game = played(root)
    manifest = (root / "story.yaml").read_text().replace("  main:\n", "  other:\n")
    (root / "story.yaml").write_text(manifest)
    kept, messages = reload_game(game, load_story(root))
    assert kept is game and "campaign 'main' is no longer in the story" in messages[0]


def test_refresh_reloads_only_after_a_change(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": TWO_STEPS})
    game = played(root)
    watcher = StoryWatcher(root)
    assert refresh(watcher, game) == (game, [])
    (root / "ch1.yaml").write_text(TWO_STEPS.replace("Halfway.", "Half the way there."))
    new_game, messages = refresh(watcher, game)
    assert new_game is not game and new_game.node.id == "d" and len(messages) == 1
    assert refresh(watcher, new_game) == (new_game, [])


def test_a_jump_to_a_node_that_is_gone_says_so(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": TWO_STEPS})
    story = load_story(root).story
    assert story is not None
    game = Game(story, "main")
    game.jump("d")              # author mode's "Jump to d"
    (root / "ch1.yaml").write_text(CHAPTER)  # d is gone
    rebuilt, messages = reload_game(game, load_story(root))
    assert rebuilt.node.id == "a"
    assert messages == ["story reloaded: the jump to 'd' no longer applies: the story has no "
                        "node 'd'; replayed 0 of 1 choices; now at 'a'"]
