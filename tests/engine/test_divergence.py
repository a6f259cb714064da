"""The two divergence figures along a scripted path, step by step, and the settling of events
(month-only beside day-dated ones, and every event at an ending)."""

from __future__ import annotations

from pathlib import Path

from moscow1941.engine import Game
from moscow1941.story import Story, load_story

STORY = """\
format: 1
id: figures
title: Figures
campaigns:
  c: {title: C, blurb: b, start: s}
variables:
  no_pact: {type: bool}
  war: {type: bool}
events:
  pact: {date: 1941-04-13, title: Pact, happened: signed, weight: 4, holds: not no_pact,
         diverged: no pact}
  a_month: {date: 1941-07, title: A month-only event, happened: x}
  b_day: {date: 1941-07-02, title: A day event, happened: y, weight: 2, holds: not war,
          diverged: war}
  late: {date: 1945-08-08, title: Late, happened: z, weight: 2, holds: not war, diverged: war}
nodes:
  s:
    date: 1941-04-12
    place: P
    title: Start
    text: t
    weight: 3
    history: {text: h, sources: [S]}
    choices:
      - {text: Sign, goto: m, historical: true}
      - {text: Refuse, goto: m, set: no_pact = true}
  m:
    date: 1941-07-01
    place: P
    title: Middle
    text: t
    history: {text: h, sources: [S], counterfactual: true}
    choices:
      - {text: War, goto: n, set: war = true, if: no_pact}
      - {text: Peace, goto: n}
  n:
    date: 1941-07-05
    place: P
    title: Later
    text: t
    choices: [{text: On, goto: e}]
  e:
    date: 1941-08-15
    place: P
    title: End
    text: t
    ending: {title: End, kind: diverged, epilogue: e}
"""


def story(tmp_path: Path) -> Story:
    (tmp_path / "story.yaml").write_text(STORY, encoding="utf-8")
    result = load_story(tmp_path)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    return result.story


def test_both_figures_mean_what_they_say_step_by_step(tmp_path: Path) -> None:
    game = Game(story(tmp_path), "c")
    record = 4 + 1 + 2 + 2  # the weight of the whole record
    d = game.divergence()
    assert (d.choice, d.outcome, d.decisions, d.events_total) == (0, 0, 0, 4)

    game.choose(1)  # refuse the pact: one real decision, off history
    d = game.divergence()
    assert (d.choice, d.decisions, d.divergent_decisions) == (1.0, 1, 1)
    assert d.events_diverged == 1 and d.outcome == 4 / record  # the pact, out of the record

    game.choose(0)  # war: a decision no real actor faced, counted apart
    d = game.divergence()
    assert (d.choice, d.decisions, d.counterfactual_decisions) == (1.0, 1, 1)
    before = d.outcome

    game.choose(0)  # on to the ending: the day event and the month settle, then everything
    d = game.divergence()
    assert d.outcome >= before  # the world figure never falls while nothing returns
    assert game.ended and d.events_settled == d.events_total == 4
    assert d.events_diverged == 3 and d.outcome == (4 + 2 + 2) / record
    assert all(t.status != "ahead" for t in game.timeline())


def test_the_world_figure_never_falls_on_any_path(tmp_path: Path) -> None:
    s = story(tmp_path)
    for first in (0, 1):
        for second in (0, 1):
            game = Game(s, "c")
            seen = [game.divergence().outcome]
            for index in (first, second, 0):
                if index not in game.available():
                    index = game.available()[0]
                game.choose(index)
                seen.append(game.divergence().outcome)
            assert seen == sorted(seen), (first, second, seen)


def test_a_month_only_event_does_not_hold_back_a_day_event_of_its_month(tmp_path: Path) -> None:
    s = story(tmp_path)
    assert [e.id for e in s.events] == ["pact", "b_day", "a_month", "late"]  # by last day
    game = Game(s, "c")
    game.choose(1)
    game.choose(0)  # war, then the 5 July scene: 2 July is past, July is not
    assert game.node.id == "n"
    assert game.state.events.get("b_day") is False
    assert "a_month" not in game.state.events
    assert [t.status for t in game.timeline()] == ["diverged", "diverged", "ahead", "ahead"]


def test_the_historical_path_stays_at_zero_to_the_end(tmp_path: Path) -> None:
    game = Game(story(tmp_path), "c")
    for index in (0, 1, 0):
        game.choose(index)
        d = game.divergence()
        assert (d.choice, d.outcome) == (0, 0)
    assert game.ended and game.divergence().events_settled == 4
