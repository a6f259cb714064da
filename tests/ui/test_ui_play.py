"""The play screen and the title screen, driven as a player would with the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ui.conftest import AppMaker
from tests.ui.helpers import SIZE, new_game, rendered, text_of
from textual import events
from textual.content import Content
from textual.widgets import OptionList, Static

from moscow1941.story import Story
from moscow1941.ui.app import Moscow1941App
from moscow1941.ui.screens.dialogs import ReflectionPrompt
from moscow1941.ui.screens.ending import EndingScreen
from moscow1941.ui.screens.glossary import GlossaryScreen
from moscow1941.ui.screens.play import PlayScreen
from moscow1941.ui.screens.title import TitleScreen
from moscow1941.ui.widgets.choice_list import ChoiceList


async def test_new_game_from_the_title_screen_starts_the_chosen_campaign(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await new_game(pilot, "2", name="Kase")
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.state.campaign == "envoy"
        assert app.screen.player == "Kase"
        assert text_of(app, "#scene-title") == "Packing"
        assert "Kase" in text_of(app, "#scene-header")


async def test_a_number_key_takes_that_choice(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert text_of(app, "#scene-title") == "The Platform"
        assert "Yaroslavsky station" in text_of(app, "#scene-header")


async def test_arrows_and_enter_take_the_highlighted_choice(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        play = next(s for s in app.screen_stack if isinstance(s, PlayScreen))
        assert play.game.node.id == "gone"


async def test_a_locked_choice_cannot_be_chosen_by_number_arrows_or_click(
        make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        choices = screen.query_one(ChoiceList)
        assert choices.options[2].disabled
        await pilot.press("3")
        await pilot.pause()
        assert screen.game.node.id == "office"
        await pilot.press("down", "down", "down")
        assert choices.highlighted == 1  # the cursor never rests on the locked choice
        await pilot.click(ChoiceList, offset=(5, 4))  # the locked choice's row
        await pilot.pause()
        assert screen.game.node.id == "office"
        prompt = choices.options[2].prompt
        assert isinstance(prompt, Content) and "[locked] Only a trusted official" in prompt.plain


async def test_undo_restores_text_date_and_status(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = [text_of(app, s) for s in ("#scene-title", "#scene-text", "#scene-header", "#status")]
        await pilot.press("1")
        await pilot.pause()
        after = [text_of(app, s) for s in ("#scene-title", "#scene-text", "#scene-header", "#status")]
        assert after != before
        assert "Trust\n██████▋░░░ 1" in after[3]
        await pilot.press("u")
        await pilot.pause()
        assert [text_of(app, s) for s in ("#scene-title", "#scene-text", "#scene-header",
                                          "#status")] == before


async def test_story_text_is_shown_literally_and_never_as_markup(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "reads [bold]URGENT[/bold] in square brackets" in text_of(app, "#scene-text")


async def test_a_name_in_the_text_opens_its_glossary_entry(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = app.screen.query_one("#scene-text", Static).content
        assert isinstance(text, Content)
        actions = {span.style.meta.get("@click") for span in text.spans
                   if not isinstance(span.style, str)}
        assert "screen.glossary('molotov')" in actions
        await app.screen.run_action("glossary('molotov')")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        assert text_of(app, "#glossary-detail").startswith("Vyacheslav Molotov")


async def test_playing_to_an_ending_shows_the_ending_report(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ReflectionPrompt)  # the platform asks for a reflection
        await pilot.press(*"Ambition", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert "Noticed" in text_of(app, "#ending-title")
        figures = text_of(app, "#ending-figures")
        assert "50%\n  1 of 2 real decisions differ" in figures
        assert "0%\n  0 of 2 events went otherwise" in figures  # at an ending every event is judged
        decisions = [rendered(w.content) for w in app.screen.query(".ending-decision").results(Static)]
        assert "The Platform  ✗ you diverged" in decisions[1]
        assert "History:  Step back into the crowd." in decisions[1]
        [reflection] = [rendered(w.content) for w in app.screen.query(".ending-reflection").results(Static)]
        assert "Why might a junior official want to be seen here" in reflection
        assert reflection.rstrip().endswith("Ambition")
        assert text_of(app, "#ending-debrief").startswith("1. Who gained most from the train")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.game.node.id == "platform"


async def test_resizing_below_the_minimum_and_back_keeps_the_game(make_app: AppMaker) -> None:
    from moscow1941.ui.screens.too_small import TooSmallScreen

    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        play = app.screen
        await pilot.resize_terminal(50, 15)
        await pilot.pause(0.1)
        assert isinstance(app.screen, TooSmallScreen)
        assert "Please enlarge the terminal" in text_of(app, "#too-small-text")
        await pilot.press("1")  # keys do not reach the game beneath
        await pilot.resize_terminal(70, 19)
        await pilot.pause(0.1)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.1)
        assert app.screen is play
        assert isinstance(play, PlayScreen) and play.game.node.id == "platform"
        assert text_of(app, "#scene-title") == "The Platform"


async def test_every_choice_is_autosaved_and_continue_resumes_it(make_app: AppMaker,
                                                               saves_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await new_game(pilot, "1")
        await pilot.press("1")
        await pilot.pause()
        app.flush_autosaves()
        assert (saves_dir / "Autosave clerk 1.json").is_file()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.node.id == "platform"


async def test_the_command_palette_offers_every_action_of_the_play_screen(
        make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for action in ("Choose", "Undo", "History", "Timeline", "Glossary", "Save", "Load",
                       "Menu", "Help", "Quit"):
            assert action in titles


async def test_the_shipped_story_plays_from_the_title_screen_to_an_ending(
        make_app: AppMaker) -> None:
    from tests.conftest import SHIPPED_STORY
    from tests.ui.conftest import load

    story: Story = load(SHIPPED_STORY)
    app = make_app(story=story)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await new_game(pilot, "1")
        play = app.screen
        assert isinstance(play, PlayScreen)
        for _ in range(200):
            if play.game.ended:
                break
            first = next(n for n, c in enumerate(play.scene.choices, 1) if c.enabled)
            await pilot.press(str(first))
            await pilot.pause()
            if isinstance(app.screen, ReflectionPrompt):
                await pilot.press(*"yes", "enter")
                await pilot.pause()
        assert play.game.ended
        assert play.game.reflections(), "the shipped prologue asks for reflections"
        assert isinstance(app.screen, EndingScreen)


async def test_autosaves_are_written_in_order_so_continue_opens_the_latest_scene(
        make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "u", "1", "u", "1", "u", "1")
        await pilot.pause()
        app.flush_autosaves()
        assert app.store is not None
        latest = app.store.latest()
        assert latest is not None and latest.scene_title == "The Platform"
        restored = app.store.load(latest.name)
        assert restored.game.node.id == "platform" and restored.changes == ()


async def test_both_divergence_figures_and_every_value_fit_at_80x24_in_the_shipped_campaigns(
        make_app: AppMaker) -> None:
    """The status panel scrolls if a story shows too many values; the shipped campaigns must
    not need it: both divergence figures and every shown value are in sight at 80x24."""
    from tests.conftest import SHIPPED_STORY

    from moscow1941.story import load_story

    story = load_story(SHIPPED_STORY).story
    assert story is not None
    for campaign in story.campaigns:
        app = make_app(story=story, campaign=campaign)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            panel = app.screen.query_one("#status-scroll")
            assert panel.max_scroll_y == 0, campaign
            status = text_of(app, "#status")
            assert "Choices" in status and "World" in status
            assert "decisions" in status and "events" in status


async def test_the_choices_wrap_the_same_whether_or_not_their_scrollbar_shows(
        make_app: AppMaker) -> None:
    """A scrollbar coming or going must not rewrap the choices: that cost a second layout and
    repaint after every scene whose choices overflowed (or stopped overflowing)."""
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        fills = 0
        original = choices._fill

        def counting(highlight_first: bool) -> None:
            nonlocal fills
            fills += 1
            original(highlight_first)

        choices._fill = counting  # type: ignore[method-assign]
        before = (choices._wrap_width(), choices.scrollable_content_region.width)
        choices.styles.overflow_y = "scroll"
        await pilot.pause()
        after = (choices._wrap_width(), choices.scrollable_content_region.width)
        assert after[1] < before[1]  # the scrollbar really took room
        assert after[0] == before[0] and fills == 0


async def test_a_reflection_prompt_asks_before_the_choice_and_can_be_skipped_or_backed_out(
        make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ReflectionPrompt)
        assert "Why might a junior official" in text_of(app, "#reflection-prompt")
        assert text_of(app, "#reflection-choice") == "Your choice: Step back into the crowd."
        await pilot.press(*"maybe", "escape")  # back to the choices: nothing taken
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen) and play.game.node.id == "platform"
        assert play.game.state.reflections == []
        await pilot.press("1", "enter")  # Enter with nothing typed skips the reflection
        await pilot.pause()
        assert play.game.node.id == "held" and play.game.reflections() == []


async def test_a_reflection_is_saved_with_the_game(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "1")
        await pilot.pause()
        await pilot.press(*"Quiet", "space", *"wins", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.store is not None
        restored = app.store.load(app.store.latest().name)  # type: ignore[union-attr]
        assert [r.answer for r in restored.game.reflections()] == ["Quiet wins"]


async def test_the_ending_exports_a_transcript_that_verifies(make_app: AppMaker, saves_dir: Path,
                                                              ui_story: Story) -> None:
    from moscow1941.classroom.transcript import verify

    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "2", *"Ambition", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("1")  # HTML
        await pilot.pause()
        await pilot.press("x", "2")  # text; the ending's own m (title screen) is not taken
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
    written = sorted((saves_dir / "transcripts").iterdir())
    assert [p.suffix for p in written] == [".html", ".md"]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "Ambition" in text and "Who gained most from the train waiting" in text
        assert verify(text, ui_story).ok


# ---- a choice is taken only at the scene it was shown at (defect 3 of the classroom trial) --

def _play(app: Moscow1941App) -> PlayScreen:
    return next(s for s in app.screen_stack if isinstance(s, PlayScreen))


@pytest.mark.parametrize("key", ["1", "enter"])
async def test_two_quick_presses_take_one_choice(make_app: AppMaker, key: str) -> None:
    """Two presses arriving together (a quick double press, a stalled connection): the second
    was pressed while the first scene was on the screen, so it decides nothing at the next."""
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.post_message(events.Key(key, "1" if key == "1" else "\r"))
        app.post_message(events.Key(key, "1" if key == "1" else "\r"))
        for _ in range(4):
            await pilot.pause(0.05)
        play = _play(app)
        assert app.screen is play, "the second press opened the next scene's reflection prompt"
        assert play.game.node.id == "platform" and len(play.game.state.path) == 1
        assert text_of(app, "#scene-title") == "The Platform"
        await pilot.press("1")  # a press made once the scene is shown is taken
        await pilot.pause()
        assert isinstance(app.screen, ReflectionPrompt)


async def test_a_double_click_takes_one_choice(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click(ChoiceList, offset=(4, 1), times=2)
        await pilot.pause()
        play = _play(app)
        assert app.screen is play and play.game.node.id == "platform"
        assert len(play.game.state.path) == 1
        await pilot.click(ChoiceList, offset=(4, 1))  # a single click on the new scene counts
        await pilot.pause()
        assert isinstance(app.screen, ReflectionPrompt)


async def test_a_choice_selected_on_the_list_of_a_scene_gone_is_ignored(
        make_app: AppMaker) -> None:
    """A click or Enter queued on the old list reaches the screen after the next scene is
    drawn: the choice carries the scene it was shown at, and it is not this one."""
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        old = choices.get_option_at_index(0)
        await pilot.press("1")
        await pilot.pause()
        choices.post_message(OptionList.OptionSelected(choices, old, 0))
        await pilot.pause()
        play = _play(app)
        assert app.screen is play and len(play.game.state.path) == 1
