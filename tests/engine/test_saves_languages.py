"""A game does not belong to a language: saved in German, it continues in English, and the saves
list names its scene in the language it is read in."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import StoryMaker, loaded

from moscow1941.engine.game import Game
from moscow1941.engine.saves import SaveStore
from moscow1941.story import load_story
from moscow1941.story import translation as t


def test_a_game_saved_in_german_continues_in_english(make_story: StoryMaker, tmp_path: Path) -> None:
    root = make_story()
    t.update_files(loaded(root), "de", new_texts={"a.title": "Anfang", "b.title": "Ende",
                                                  "a.choice.b.text": "Weiter."})
    german = load_story(root, "de").story
    english = loaded(root)
    assert german is not None
    game = Game(german, "main")
    assert game.view().choices[0].text == "Weiter."
    saves = tmp_path / "saves"
    SaveStore(saves, german).save("mine", game)

    restored = SaveStore(saves, english).load("mine")
    assert not restored.changes  # the same story: nothing changed
    assert restored.game.view().title == "Start"
    restored.game.choose(0)
    assert restored.game.view().title == "End"
    SaveStore(saves, english).save("mine", restored.game)

    # Listed in German, the save names its scene in German, whatever language saved it.
    listed = SaveStore(saves, german).list()
    assert [getattr(s, "scene_title", None) for s in listed] == ["Ende"]
