"""Random, exhaustive and historical playtests on small stories."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import CHAPTER, MANIFEST, StoryMaker, loaded

from moscow1941.authoring.playtest import (
    exhaustive_playtest,
    historical_playtest,
    live_variables,
    random_playtest,
)
from moscow1941.engine import Game
from moscow1941.engine.state import Step

DEAD_END = CHAPTER.replace("    ending: {title: Other, kind: diverged, epilogue: Not as it was.}\n",
                           "")
# 'a' can loop back to itself; 'd' needs trust >= 3 but trust only ever rises by 1 per loop,
# capped at 3 -- reachable after three loops.
LOOP = CHAPTER.replace("    history:\n", "      - text: Again.\n        goto: a\n"
                       "        set: trust += 1\n"
                       "      - text: Secret.\n        goto: d\n        if: trust >= 3\n"
                       "    history:\n", 1) + """\
  d:
    date: 1941-04-14
    place: Moscow
    title: Secret end
    text: Hidden.
    ending: {title: Secret, kind: personal, epilogue: Quietly.}
"""


story_of = loaded


def test_historical_play_of_the_tiny_story_passes(make_story: StoryMaker) -> None:
    report = historical_playtest(story_of(make_story()))
    run = report.campaigns[0]
    assert report.ok and run.ending_kind == "historical" and run.choice_divergence == 0
    assert [s.to_json() for s in run.path] == [["a", 0, "b"]]
    assert "1941-04-13  history   Event" in report.text()


def test_historical_fails_on_a_non_historical_ending(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("{title: History, kind: historical", "{title: History, kind: close")
    report = historical_playtest(story_of(make_story({"ch1.yaml": chapter})))
    assert not report.ok
    assert "an ending of kind 'close', not 'historical'" in report.campaigns[0].problems[0]


def test_historical_fails_when_the_historical_path_diverges_an_event(
        make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("set: trust += 1", "set: trust += 1; flag = true")
    report = historical_playtest(story_of(make_story({"ch1.yaml": chapter})))
    assert not report.ok
    assert "outcome divergence is 1.000, not 0 (diverged: ev)" in report.text()


def test_historical_fails_when_no_choice_is_marked(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("        historical: true\n", "")
    report = historical_playtest(story_of(make_story({"ch1.yaml": chapter})))
    assert report.campaigns[0].problems == (
        "at decision 'a' the historical choice is not marked",)


def test_historical_fails_when_history_reaches_a_counterfactual_scene(
        make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("    history:\n", "    history:\n      counterfactual: true\n") \
                     .replace("        historical: true\n", "")
    report = historical_playtest(story_of(make_story({"ch1.yaml": chapter})))
    assert report.campaigns[0].problems == (
        "the historical play reaches 'a', a counterfactual scene",)


def test_random_counts_endings_and_divergence_spread(make_story: StoryMaker) -> None:
    report = random_playtest(story_of(make_story()), 200, seed=7)
    run = report.campaigns[0]
    assert report.ok and sum(e.count for e in run.endings) == 200
    assert {e.node for e in run.endings} == {"b", "c"}
    assert run.nodes_missed == () and run.choices_missed == ()
    assert run.choice_divergence is not None and run.outcome_divergence is not None
    assert (run.choice_divergence.min, run.choice_divergence.max) == (0.0, 1.0)
    assert run.outcome_divergence.max == 1.0


def test_random_same_seed_gives_identical_reports(make_story: StoryMaker) -> None:
    story = story_of(make_story({"ch1.yaml": LOOP}))
    first, again = random_playtest(story, 50, seed=3), random_playtest(story, 50, seed=3)
    assert first.text() == again.text()
    assert json.dumps(first.to_json()) == json.dumps(again.to_json())
    assert random_playtest(story, 50, seed=4).text() != first.text()


def test_random_reports_a_dead_end_with_a_replayable_path(make_story: StoryMaker) -> None:
    story = story_of(make_story({"ch1.yaml": DEAD_END}))
    report = random_playtest(story, 30, seed=1)
    assert not report.ok
    failure = report.campaigns[0].failures[0]
    assert failure.message == "stuck at 'c': it has no choices and is not an ending"
    assert failure.count > 1
    recorded = json.loads(failure.replay_json())
    path = [Step(*s) for s in recorded["path"]]
    game, applied = Game.replay(story, recorded["campaign"], recorded["seed"], path)
    assert applied == len(path) and game.node.id == "c"


def test_random_lists_never_reached_nodes_and_choices(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("        set: flag = true\n",
                              "        set: flag = true\n        if: trust > 2\n")
    run = random_playtest(story_of(make_story({"ch1.yaml": chapter})), 20).campaigns[0]
    assert run.nodes_missed == ("c",) and run.choices_missed == ("a#2",)
    assert "never reached: c" in random_playtest(
        story_of(make_story({"ch1.yaml": chapter})), 20).text()


def test_exhaustive_reaches_a_node_behind_a_counter(make_story: StoryMaker) -> None:
    report = exhaustive_playtest(story_of(make_story({"ch1.yaml": LOOP})))
    run = report.campaigns[0]
    assert report.ok and report.complete and report.unreachable_nodes == ()
    assert {e.node for e in run.endings} == {"b", "c", "d"}
    assert run.states == 4 + 1 + 1 + 1  # a: trust 0..3; b, c, d: nothing is tested after


def test_exhaustive_reports_nodes_conditions_keep_out_of_reach(make_story: StoryMaker) -> None:
    blocked = LOOP.replace("set: trust += 1\n      - text: Secret.", "set: flag = false\n"
                           "      - text: Secret.")
    report = exhaustive_playtest(story_of(make_story({"ch1.yaml": blocked})))
    assert not report.ok and report.unreachable_nodes == ("d",)
    assert report.unreachable_endings == ("d",)
    assert report.campaigns[0].nodes_blocked == ("d",)
    assert report.campaigns[0].choices_never_available == ("a#4",)
    assert "nodes no play can reach: d" in report.text()


def test_exhaustive_reports_stuck_states_with_their_path(make_story: StoryMaker) -> None:
    report = exhaustive_playtest(story_of(make_story({"ch1.yaml": DEAD_END})))
    failure = report.campaigns[0].failures[0]
    assert not report.ok and failure.path == (Step("a", 1, "c"),)


def test_exhaustive_says_when_the_state_cap_is_hit(make_story: StoryMaker) -> None:
    report = exhaustive_playtest(story_of(make_story({"ch1.yaml": LOOP})), max_states=3)
    assert not report.complete and report.campaigns[0].states == 3
    assert "state cap of 3 hit" in report.text()
    assert "(within the state cap; may be reachable)" in report.text()


def test_exhaustive_ignores_variables_no_choice_depends_on(make_story: StoryMaker) -> None:
    manifest = MANIFEST.replace("events:\n", "  visits:\n    type: int\n    show: true\n"
                                "events:\n")
    chapter = LOOP.replace("set: trust += 1\n      - text: Secret.",
                           "set: trust += 1; visits += 1\n      - text: Secret.")
    story = story_of(make_story({"story.yaml": manifest, "ch1.yaml": chapter}))
    live = live_variables(story)
    assert live["a"] == ("trust",) and live["b"] == live["d"] == ()
    # a: trust 0..3; b, c and d: one state each, as trust no longer matters there
    assert exhaustive_playtest(story).campaigns[0].states == 4 + 1 + 1 + 1


def test_live_variables_follow_effects_that_compute_a_tested_variable(
        make_story: StoryMaker) -> None:
    manifest = MANIFEST.replace("events:\n", "  score:\n    type: int\n    show: true\n"
                                "events:\n")
    chapter = CHAPTER.replace("set: trust += 1", "set: score = trust + 1") \
        .replace("    text: Done.\n    ending: {title: History, kind: historical, epilogue: As it "
                 "was.}\n", "    text: Done.\n    choices:\n      - {text: End., goto: c, if: "
                 "score > 1}\n")
    story = story_of(make_story({"story.yaml": manifest, "ch1.yaml": chapter}))
    live = live_variables(story)
    assert live["b"] == ("score",) and "trust" in live["a"]


@pytest.mark.parametrize("history", [True, False])
def test_forked_games_are_independent(make_story: StoryMaker, history: bool) -> None:
    game = Game(story_of(make_story()), "main")
    twin = game.fork(history=history)
    twin.choose(1)
    assert game.node.id == "a" and game.state.vars == {"trust": 0, "flag": False}
    assert game.divergence().decisions == 0 and twin.divergence().decisions == 1
    assert game.state.path == [] and len(twin.state.path) == 1
    game.choose(0)
    again = game.fork(history=history)
    assert again.state.path == (game.state.path if history else [])
    assert again.state.vars == game.state.vars and again.state.vars is not game.state.vars


# ---- loops that never end (D3, D4) -----------------------------------------------------------

# 'c' is no longer an ending: its one choice leads back to itself.
SELF_LOOP = CHAPTER.replace(
    "    text: Done differently.\n    ending: {title: Other, kind: diverged, epilogue: Not as it "
    "was.}\n", "    text: Done differently.\n    choices:\n      - {text: Again., goto: c}\n")
# 'c' leads into a two-scene loop 'e' <-> 'f' with no way out.
TWO_LOOP = CHAPTER.replace(
    "    text: Done differently.\n    ending: {title: Other, kind: diverged, epilogue: Not as it "
    "was.}\n", "    text: Done differently.\n    choices:\n      - {text: On., goto: e}\n") + """\
  e:
    date: 1941-04-14
    place: Moscow
    title: East
    text: East.
    choices:
      - {text: West., goto: f}
  f:
    date: 1941-04-14
    place: Moscow
    title: West
    text: West.
    choices:
      - {text: East., goto: e}
"""


def test_exhaustive_reports_a_loop_no_ending_can_be_left_from(make_story: StoryMaker) -> None:
    report = exhaustive_playtest(story_of(make_story({"ch1.yaml": SELF_LOOP})))
    assert not report.ok
    (failure,) = report.campaigns[0].failures
    assert failure.kind == "loop" and failure.path == (Step("a", 1, "c"),)
    assert failure.message == "no ending can be reached: every way on goes round a loop (c -> c)"
    assert "FAIL no ending can be reached: every way on goes round a loop (c -> c)" \
        in report.text()
    assert report.text().endswith("FAILED\n")


def test_exhaustive_reports_every_state_of_a_loop_as_one_failure_with_the_way_in(
        make_story: StoryMaker) -> None:
    report = exhaustive_playtest(story_of(make_story({"ch1.yaml": TWO_LOOP})))
    (failure,) = report.campaigns[0].failures
    # c, e and f cannot reach an ending: one failure, with the shortest way to the first of them
    assert failure.message.endswith("goes round a loop (e -> f -> e)")
    assert failure.count == 3 and failure.unit == "states"
    assert failure.path == (Step("a", 1, "c"),)
    assert "(3 states)" in report.text()


def test_exhaustive_passes_a_loop_that_can_be_left(make_story: StoryMaker) -> None:
    report = exhaustive_playtest(story_of(make_story({"ch1.yaml": LOOP})))
    assert report.ok and report.text().endswith(
        "ok: an ending can be reached from every reachable state\n")


def test_exhaustive_reports_a_loop_whose_only_exit_is_a_dead_end_once(
        make_story: StoryMaker) -> None:
    chapter = TWO_LOOP.replace("      - {text: East., goto: e}\n",
                               "      - {text: East., goto: e}\n      - {text: Out., goto: g}\n") \
        + "  g:\n    date: 1941-04-14\n    place: Moscow\n    title: Gone\n    text: Nothing.\n"
    report = exhaustive_playtest(story_of(make_story({"ch1.yaml": chapter})))
    messages = [f.message for f in report.campaigns[0].failures]
    assert messages == ["stuck at 'g': it has no choices and is not an ending"]


def test_random_reports_a_loop_without_an_ending(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("goto: b", "goto: a").replace("goto: c", "goto: a")
    report = random_playtest(story_of(make_story({"ch1.yaml": chapter})), 2, max_steps=40)
    (failure,) = report.campaigns[0].failures
    assert failure.message == "no ending can be reached: every way on goes round a loop (a -> a)"
    assert failure.kind == "loop" and failure.count == 2
    # the path is cut at the first state from which no ending can be reached: the start
    assert failure.path == ()
    assert "(the first 0 of the play's 40 choices: from there no ending can be reached)" \
        in report.text()


def test_random_loop_report_is_short_and_names_the_loop(make_story: StoryMaker) -> None:
    report = random_playtest(story_of(make_story({"ch1.yaml": TWO_LOOP})), 50, seed=1)
    (failure,) = report.campaigns[0].failures  # plays stopped at 'e' or at 'f': one failure
    assert failure.message == "no ending can be reached: every way on goes round a loop " \
        "(e -> f -> e)"
    assert failure.path == (Step("a", 1, "c"), Step("c", 0, "e"))
    assert len(report.text()) < 1500
    assert json.loads(failure.replay_json()) == {
        "campaign": "main", "seed": 1, "fails": "loop", "path": [["a", 1, "c"], ["c", 0, "e"]]}


def test_random_play_that_could_still_end_is_reported_as_too_long(
        make_story: StoryMaker) -> None:
    chapter = LOOP.replace("      - text: Go on.\n", "      - text: Go on.\n        if: trust > 9\n")
    report = random_playtest(story_of(make_story({"ch1.yaml": chapter})), 30, seed=2, max_steps=3)
    long = [f for f in report.campaigns[0].failures if f.kind == "long"]
    assert long and long[0].message == ("no ending after 3 choices; it kept going round a -> a, "
                                        "though an ending can still be reached")
    assert len(long[0].path) == 3


def test_long_paths_are_listed_by_their_ends() -> None:
    from moscow1941.authoring.playtest import choice_list
    path = [Step("a", 0, "a")] * 10_000
    shown = choice_list(path)
    assert shown == " ".join(["1"] * 20) + " ... (9960 more) ... " + " ".join(["1"] * 20)
    assert choice_list([Step("a", -1, "z"), Step("z", 1, "y")]) == "(jump to z) 2"


def test_a_long_play_replays_as_the_same_failure_and_the_search_says_when_it_cannot_tell(
        make_story: StoryMaker, tmp_path: object) -> None:
    from moscow1941.authoring.playtest import endless
    from moscow1941.authoring.replay import parse_walkthrough, replay
    chapter = LOOP.replace("      - text: Go on.\n", "      - text: Go on.\n        if: trust > 9\n")
    story = story_of(make_story({"ch1.yaml": chapter}))
    report = random_playtest(story, 30, seed=2, max_steps=3)
    long = next(f for f in report.campaigns[0].failures if f.kind == "long")
    again = replay(story, parse_walkthrough(json.loads(long.replay_json())))
    assert not again.ok and again.lines[-1].text == long.message
    game = Game(story, "main")
    game.choose(2)  # Again.
    assert endless(game, max_states=2)[1] == (
        "no ending after 1 choice; it kept going round a -> a; no way out was found within 2 "
        "states")


Key = tuple[str, tuple[object, ...]]
Graph = dict[Key, list[Key]]


@st.composite
def graphs(draw: st.DrawFn) -> tuple[Graph, set[Key]]:
    n = draw(st.integers(1, 9))
    keys: list[Key] = [(f"n{i}", ()) for i in range(n)]
    succ = {k: draw(st.lists(st.sampled_from(keys), max_size=3)) for k in keys}
    exits = {k for k in keys if draw(st.booleans()) and draw(st.booleans())}
    for k in exits:
        succ[k] = []  # an ending, a dead end or a state past the cap: the search stops there
    exits |= {k for k in keys if not succ[k]}  # a state without a way on is stuck: an exit
    return succ, exits


def _reach(succ: Graph, start: Key) -> set[Key]:
    seen, todo = {start}, [start]
    while todo:
        for w in succ[todo.pop()]:
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_trapped_states_are_exactly_those_that_reach_no_exit(
        graph: tuple[Graph, set[Key]]) -> None:
    from moscow1941.authoring.playtest import _loops, _trapped
    succ, exits = graph
    start = next(iter(succ))
    # a breadth-first tree from the start, as the exhaustive search builds it
    parents: dict[Key, tuple[Key, Step] | None] = {start: None}
    queue = [start]
    for v in queue:
        for i, w in enumerate(succ[v]):
            if w not in parents:
                parents[w] = (v, Step(v[0], i, w[0]))
                queue.append(w)
    reached = {k: list(succ[k]) for k in parents}
    failures = _trapped("c", parents, reached, exits & set(parents))
    trapped = {k for k in parents if not (_reach(reached, k) & exits)}
    assert sum(f.count for f in failures) == len(trapped)
    assert all(f.kind == "loop" and f.unit == "states" for f in failures)
    loops = _loops(list(trapped), reached)
    for v in trapped:
        region = _reach(reached, v)
        text = loops[v]
        assert text is not None  # no exit reachable and finite: a cycle is reachable
        cycle = text.split(" -> ")
        assert cycle[0] == cycle[-1] and {(c, ()) for c in cycle} <= region
        for w in trapped:  # the loop depends only on the states reachable
            if _reach(reached, w) == region:
                assert loops[w] == text
