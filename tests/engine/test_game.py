"""The engine: JSON round trip, undo, determinism, divergence arithmetic, the historical path."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from tests.conftest import SHIPPED_STORY, StoryMaker, loaded

from moscow1941.engine import Game, GameError, GameState, StateError
from moscow1941.story import Story

story_of = loaded


@pytest.fixture
def tiny(make_story: StoryMaker) -> Story:
    return story_of(make_story())


@pytest.fixture(scope="module")
def shipped() -> Story:
    return story_of(SHIPPED_STORY)


def test_scene_shows_interpolated_text_date_place_and_status(tiny: Story) -> None:
    scene = Game(tiny, "main").view()
    assert scene.paragraphs == ("Trust is 0.",)
    assert (scene.date.iso(), scene.place, scene.title) == ("1941-04-12", "Moscow", "Start")
    assert [(s.name, s.value) for s in scene.status] == [("trust", 0)]
    assert scene.is_decision and scene.history is not None and not scene.can_undo


def test_state_round_trips_exactly_through_json(tiny: Story) -> None:
    game = Game(tiny, "main", seed=7)
    game.choose(0)
    text = json.dumps(game.state.to_json())
    again = GameState.from_json(json.loads(text))
    assert again == game.state
    assert Game.from_state(tiny, again).state == game.state


@pytest.mark.parametrize("bad", [
    None, [], {"version": 2}, {"version": 1},
    {"version": 1, "campaign": "main", "seed": "x", "node": "a", "vars": {}, "visits": {},
     "path": [], "events": {}},
    {"version": 1, "campaign": "main", "seed": 0, "node": "a", "vars": {"x": [1]}, "visits": {},
     "path": [], "events": {}},
    {"version": 1, "campaign": "main", "seed": 0, "node": "a", "vars": {}, "visits": {},
     "path": [["a", "0", "b"]], "events": {}},
])
def test_malformed_states_are_refused_clearly(bad: object) -> None:
    with pytest.raises(StateError):
        GameState.from_json(bad)


def test_undo_restores_text_date_and_variables(tiny: Story) -> None:
    game = Game(tiny, "main")
    before = game.view()
    game.choose(0)
    assert game.state.vars["trust"] == 1 and game.view().date.iso() == "1941-04-14"
    assert game.undo()
    after = game.view()
    assert (after.paragraphs, after.date, after.status) == (before.paragraphs, before.date, before.status)
    assert game.state.vars["trust"] == 0 and game.state.path == []
    assert not game.undo()


def test_locked_choice_cannot_be_taken(make_story: StoryMaker) -> None:
    chapter = Path(make_story()) / "ch1.yaml"
    text = chapter.read_text().replace(
        "        set: flag = true\n",
        "        set: flag = true\n        if: trust > 2\n        locked: You need more trust.\n", 1)
    chapter.write_text(text)
    game = Game(story_of(chapter.parent), "main")
    locked = game.view().choices[1]
    assert not locked.enabled and locked.locked_reason == "You need more trust."
    assert game.available() == [0]
    with pytest.raises(GameError):
        game.choose(1)


def test_divergence_arithmetic(tiny: Story) -> None:
    game = Game(tiny, "main")
    game.choose(1)  # the non-historical choice: sets flag, so event 'ev' (weight 2) diverges
    d = game.view().divergence
    assert d.choice == 1.0 and d.decisions == 1 and d.divergent_decisions == 1
    assert d.outcome == 1.0 and d.events_settled == 1 and d.events_diverged == 1
    entry = game.timeline()[0]
    assert entry.status == "diverged"


def test_events_settle_only_when_the_date_passes(tiny: Story) -> None:
    game = Game(tiny, "main")
    assert game.state.events == {}  # 1941-04-12: the 13 April event is still ahead
    assert game.timeline()[0].status == "ahead"
    game.choose(0)
    assert game.state.events == {"ev": True}


def test_same_seed_and_choices_give_the_same_game(shipped: Story) -> None:
    for campaign in shipped.campaigns:
        for seed in range(5):
            runs = []
            for _ in range(2):
                rng = random.Random(seed)
                game = Game(shipped, campaign, seed)
                while not game.ended and game.available():
                    game.choose(rng.choice(game.available()))
                runs.append(json.dumps(game.state.to_json(), sort_keys=True))
            assert runs[0] == runs[1]


def historical_path(story: Story, campaign: str) -> Game:
    game = Game(story, campaign)
    for _ in range(1000):
        if game.ended:
            break
        node = game.node
        options = [c.index for c in node.choices if c.historical and c.index in game.available()]
        game.choose(options[0] if node.is_decision else game.available()[0])
    return game


def test_historical_path_gives_zero_divergence_in_every_campaign(shipped: Story) -> None:
    for campaign in shipped.campaigns:
        game = historical_path(shipped, campaign)
        scene = game.view()
        assert scene.ending is not None and scene.ending.kind == "historical", campaign
        assert scene.divergence.choice == 0.0 and scene.divergence.outcome == 0.0, campaign
        assert all(r.historical for r in game.decisions())


def test_decisions_set_beside_history(tiny: Story) -> None:
    game = Game(tiny, "main")
    game.choose(1)
    [record] = game.decisions()
    assert not record.historical and record.historical_choices == ("Go on.",)


def test_a_counterfactual_decision_counts_in_neither_figure_and_is_reported_as_such(
        make_story: StoryMaker) -> None:
    from tests.conftest import CHAPTER

    text = CHAPTER.replace("    history:\n", "    history:\n      counterfactual: true\n") \
                  .replace("        historical: true\n", "")
    story = story_of(make_story({"ch1.yaml": text}))
    assert story.nodes["a"].is_decision and not story.nodes["a"].is_measured
    for index in (0, 1):
        game = Game(story, "main")
        game.choose(index)
        d = game.divergence()
        assert d.decisions == 0 and d.divergent_decisions == 0 and d.choice == 0.0
        [record] = game.decisions()
        assert record.counterfactual and not record.historical and record.historical_choices == ()


def test_unknown_campaign_is_an_error(tiny: Story) -> None:
    with pytest.raises(GameError, match="no campaign"):
        Game(tiny, "nope")


def test_status_shows_only_the_variables_of_the_campaign_being_played(make_story: StoryMaker) -> None:
    root = make_story()
    manifest = root / "story.yaml"
    manifest.write_text(manifest.read_text().replace(
        "campaigns:\n", "campaigns:\n  other:\n    title: Other\n    blurb: b\n    start: a\n", 1).replace(
        "  flag:\n    type: bool\n",
        "  flag:\n    type: bool\n  main_only:\n    type: int\n    show: true\n    campaigns: [main]\n", 1))
    story = story_of(root)
    assert [s.name for s in Game(story, "main").view().status] == ["trust", "main_only"]
    assert [s.name for s in Game(story, "other").view().status] == ["trust"]


def test_epilogue_passages_are_coloured_by_earlier_choices(make_story: StoryMaker) -> None:
    root = make_story()
    chapter = root / "ch1.yaml"
    chapter.write_text(chapter.read_text().replace(
        "    ending: {title: History, kind: historical, epilogue: As it was.}",
        "    ending:\n      title: History\n      kind: historical\n      epilogue:\n"
        "        - As it was.\n        - if: trust > 0\n          text: Trust stood at {trust}.\n", 1))
    story = story_of(root)
    game = Game(story, "main")
    game.choose(0)
    ending = game.view().ending
    assert ending is not None and ending.epilogue == ("As it was.", "Trust stood at 1.")


def test_an_author_jump_is_recorded_replayed_and_undone(tiny: Story) -> None:
    game = Game(tiny, "main")
    game.jump("c")
    assert game.node.id == "c" and game.view().divergence.decisions == 0
    assert game.decisions() == []
    again = Game.from_state(tiny, GameState.from_json(json.loads(json.dumps(game.state.to_json()))))
    assert again.state == game.state
    assert game.undo() and game.node.id == "a"
    with pytest.raises(GameError):
        game.jump("nowhere")
