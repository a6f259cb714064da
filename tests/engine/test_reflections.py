"""Reflection prompts and debrief questions: the format, the engine, saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import CHAPTER, MANIFEST, SHIPPED_STORY, StoryMaker, loaded

from moscow1941.engine import Game, GameError, GameState
from moscow1941.engine.game import clean_answer
from moscow1941.engine.saves import SaveStore
from moscow1941.engine.state import MAX_REFLECTION
from moscow1941.story import Story, load_story

# The tiny story of conftest, with a prompt at its decision, a second prompt on the way to the
# historical ending, and a debrief question in its history note.
REFLECTING = (
    CHAPTER
    .replace("    text: Trust is {trust}.\n",
             "    text: Trust is {trust}.\n    reflect: Why does this choice matter to Tokyo?\n")
    .replace("        goto: b\n", "        goto: m\n", 1)
    .replace("      sources: [A source]\n",
             "      sources: [A source]\n      debrief: Was going on the right call?\n"
             "  m:\n    date: 1941-04-13\n    place: Moscow\n    title: Middle\n"
             "    text: Halfway.\n    reflect: And now?\n    choices:\n"
             "      - text: End it.\n        goto: b\n"))

DEBRIEF_MANIFEST = MANIFEST.replace(
    "    start: a\n",
    "    start: a\n    debrief:\n      - First question?\n      - >\n        Second question,\n"
    "        folded?\n")


def load(root: Path) -> Story:
    return loaded(root, clean=True)


@pytest.fixture
def story(make_story: StoryMaker) -> Story:
    return load(make_story({"story.yaml": DEBRIEF_MANIFEST, "ch1.yaml": REFLECTING}))


def test_the_format_carries_prompts_and_both_kinds_of_debrief(story: Story) -> None:
    assert story.nodes["a"].reflect == "Why does this choice matter to Tokyo?"
    assert story.nodes["b"].reflect == ""
    history = story.nodes["a"].history
    assert history is not None and history.debrief == "Was going on the right call?"
    assert story.campaigns["main"].debrief == ("First question?", "Second question, folded?")


def test_a_reflection_prompt_must_be_text(make_story: StoryMaker) -> None:
    result = load_story(make_story({"ch1.yaml": REFLECTING.replace(
        "reflect: And now?", "reflect: [a, list]")}))
    assert any(d.code == "E202" and (d.line, d.col) == (25, 14) for d in result.diagnostics)


def test_an_answer_is_recorded_before_the_choice_and_shown_in_the_scene(story: Story) -> None:
    game = Game(story, "main")
    scene = game.view()
    assert (scene.reflect, scene.reflection) == ("Why does this choice matter to Tokyo?", "")
    game.reflect("  Because  the north\x07 must stay quiet. ")
    assert game.view().reflection == "Because the north must stay quiet."
    game.choose(0)
    [record] = game.reflections()
    assert (record.step, record.node_id, record.title) == (0, "a", "Start")
    assert record.prompt == "Why does this choice matter to Tokyo?"
    assert record.chosen == "Go on."
    assert game.view().reflection == ""  # the next prompt starts empty


def test_an_empty_answer_skips_and_removes_an_earlier_one(story: Story) -> None:
    game = Game(story, "main")
    game.reflect("first thought")
    game.reflect("   ")
    game.choose(0)
    assert game.reflections() == []


def test_a_scene_without_a_prompt_refuses_an_answer(story: Story) -> None:
    game = Game(story, "main")
    game.choose(1)
    with pytest.raises(GameError):
        game.reflect("no question was asked")


def test_undo_drops_only_the_answer_to_the_undone_choice(story: Story) -> None:
    game = Game(story, "main")
    game.reflect("one")
    game.choose(0)
    game.reflect("two")
    game.choose(0)
    assert [r.answer for r in game.reflections()] == ["one", "two"]
    assert game.undo()
    assert [r.answer for r in game.reflections()] == ["one"]
    assert game.undo()
    assert game.reflections() == []


def test_reflections_round_trip_through_a_save(tmp_path: Path, story: Story) -> None:
    game = Game(story, "main")
    game.reflect("Line one.\nLine two.")
    game.choose(0)
    store = SaveStore(tmp_path / "saves", story)
    store.save("mine", game, "Ann")
    restored = store.load("mine")
    assert [r.answer for r in restored.game.reflections()] == ["Line one.\nLine two."]
    assert restored.changes == ()


def test_after_a_story_edit_reflections_of_lost_choices_are_dropped_with_a_message(
        tmp_path: Path, make_story: StoryMaker) -> None:
    root = make_story({"story.yaml": DEBRIEF_MANIFEST, "ch1.yaml": REFLECTING})
    story = load(root)
    game = Game(story, "main")
    game.reflect("kept")
    game.choose(0)
    game.reflect("lost")
    game.choose(0)
    store = SaveStore(tmp_path / "saves", story)
    store.save("mine", game)
    (root / "ch1.yaml").write_text(REFLECTING.replace("goto: b\n", "goto: c\n", 1))
    edited = load(root)
    restored = SaveStore(tmp_path / "saves", edited).load("mine")
    assert [r.answer for r in restored.game.reflections()] == ["kept"]
    assert any("1 of your reflections" in c for c in restored.changes)


def test_old_states_without_reflections_still_load(story: Story) -> None:
    data = Game(story, "main").state.to_json()
    del data["reflections"]
    assert GameState.from_json(data).reflections == []


@pytest.mark.parametrize("bad", [
    "not a list", [[0, "a"]], [["0", "a", "x"]], [[True, "a", "x"]], [[5, "a", "x"]],
    [[0, "a", "x" * (MAX_REFLECTION + 1)]], [[0, 3, "x"]],
])
def test_damaged_reflections_are_refused_with_a_sentence(story: Story, bad: object) -> None:
    from moscow1941.engine import StateError

    data = Game(story, "main").state.to_json()
    data["reflections"] = bad
    with pytest.raises(StateError, match="reflection"):
        GameState.from_json(data)


@given(st.text(max_size=3000))
def test_a_cleaned_answer_is_bounded_printable_and_stable(raw: str) -> None:
    text = clean_answer(raw)
    assert len(text) <= MAX_REFLECTION
    assert all(ch == "\n" or ch.isprintable() or ch == " " or not ch.isspace() for ch in text)
    assert "\n\n\n" not in text and text == text.strip()
    assert clean_answer(text) == text


def test_shipped_campaigns_have_debrief_questions_prompts_and_decision_questions() -> None:
    story = load(SHIPPED_STORY)
    for campaign in story.campaigns.values():
        prefix = campaign.start.split("_")[0] + "_"
        nodes = [n for n in story.nodes.values() if n.id.startswith(prefix)]
        assert len(campaign.debrief) >= 3, campaign.id
        assert len([n for n in nodes if n.reflect]) >= (2 if campaign.id == "prologue" else 4)
        for node in nodes:
            if node.history is not None:
                assert node.history.debrief, f"{node.id} has no debrief question"


def test_restoring_keeps_only_cleaned_answers_to_questions_the_path_asked(story: Story) -> None:
    from moscow1941.engine import Reflection

    game = Game(story, "main")
    game.choose(0)
    game.choose(0)  # a -> m -> b: the steps at 'a' (0) and 'm' (1) asked questions
    kept = game.restore_reflections([
        Reflection(0, "a", "  spaced\x07 out "), Reflection(1, "c", "wrong scene"),
        Reflection(1, "m", "   "), Reflection(2, "b", "not yet chosen")])
    assert kept == 1
    assert [(r.step, r.answer) for r in game.reflections()] == [(0, "spaced out")]
