"""Reading a scene at 80×24 as a player does: the keys a reader expects scroll the scene's text
while the choices keep the focus, nothing is skipped, and the choice frame says when more of
the scene is below the fold."""

from __future__ import annotations

import pytest
from tests.conftest import SHIPPED_STORY
from tests.ui.conftest import AppMaker
from tests.ui.helpers import SIZE

from moscow1941.engine import Game
from moscow1941.story import Story, load_story
from moscow1941.ui.screens.play import PlayScreen
from moscow1941.ui.widgets.choice_list import ChoiceList


@pytest.fixture(scope="module")
def shipped() -> Story:
    story = load_story(SHIPPED_STORY).story
    assert story is not None
    return story


def longest_scene(story: Story, campaign: str) -> str:
    """The node with the most words of text among those a game of `campaign` can reach."""
    start = story.campaigns[campaign].start
    seen, todo = {start}, [start]
    while todo:
        for c in story.nodes[todo.pop()].choices:
            if c.goto not in seen:
                seen.add(c.goto)
                todo.append(c.goto)
    return max(sorted(seen), key=lambda n: sum(len(p.template.source.split())
                                               for p in story.nodes[n].passages))


@pytest.mark.parametrize("key", ["pagedown", "space"])
@pytest.mark.parametrize("campaign", ["prologue", "soviet", "japanese"])
async def test_the_longest_scene_of_each_campaign_reads_to_its_end_with_pagedown_alone(
        make_app: AppMaker, shipped: Story, campaign: str, key: str) -> None:
    node = longest_scene(shipped, campaign)
    game = Game(shipped, campaign)
    game.jump(node)
    app = make_app(story=shipped)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_game(game)
        await pilot.pause()
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        story = play.query_one("#story")
        choices = play.query_one(ChoiceList)
        assert choices.has_focus
        assert story.max_scroll_y > 0, f"{node} fits on one screen: not a long scene"
        assert choices.border_title == PlayScreen.MORE  # the frame says there is more
        highlighted = choices.highlighted
        positions = [story.scroll_y]
        for _ in range(40):
            await pilot.press(key)
            await pilot.pause()
            positions.append(story.scroll_y)
            if story.scroll_y >= story.max_scroll_y:
                break
        assert story.scroll_y == story.max_scroll_y, f"{node}: the end was never reached"
        steps = [b - a for a, b in zip(positions, positions[1:], strict=False)]
        assert all(0 < s <= story.size.height for s in steps), steps  # no line is jumped over
        assert not choices.border_title  # at the end, the frame no longer says "more"
        assert choices.highlighted == highlighted  # the keys scrolled, not moved the choice
        await pilot.press("home")
        await pilot.pause()
        assert story.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert story.scroll_y == story.max_scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert story.scroll_y < story.max_scroll_y


async def test_a_choice_number_beyond_the_choices_says_so(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("9")
        await pilot.pause()
        assert any("There is no choice 9 here" in n.message for n in app._notifications)
        await pilot.press("q")
        await pilot.pause()
        assert any("‘q’ does nothing here" in n.message for n in app._notifications)
        assert isinstance(app.screen, PlayScreen)
