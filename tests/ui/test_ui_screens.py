"""Every screen opens and closes from the keyboard; saves, settings and help behave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.ui.conftest import AppMaker
from tests.ui.helpers import SIZE, rendered, text_of
from textual.widgets import Input, Markdown, OptionList, Static

from moscow1941.engine.saves import UnreadableSave
from moscow1941.ui.screens.about import AboutScreen
from moscow1941.ui.screens.dialogs import Confirm, TextPrompt
from moscow1941.ui.screens.glossary import GlossaryScreen
from moscow1941.ui.screens.help import HelpScreen
from moscow1941.ui.screens.history import HistoryScreen
from moscow1941.ui.screens.play import PlayScreen
from moscow1941.ui.screens.saves import SavesScreen
from moscow1941.ui.screens.settings import SettingsScreen
from moscow1941.ui.screens.timeline import TimelineScreen
from moscow1941.ui.screens.title import TitleScreen
from moscow1941.ui.settings import HIGH_CONTRAST_THEME, Settings


@pytest.mark.parametrize(("key", "screen"), [
    ("h", HistoryScreen), ("t", TimelineScreen), ("g", GlossaryScreen), ("s", TextPrompt),
    ("l", SavesScreen), ("question_mark", HelpScreen), ("f1", HelpScreen),
])
async def test_each_screen_of_the_play_screen_opens_and_closes_with_escape(
        make_app: AppMaker, key: str, screen: type) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, screen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is play


@pytest.mark.parametrize(("key", "screen"), [
    ("n", "NewGameScreen"), ("l", SavesScreen), ("o", SettingsScreen), ("a", AboutScreen),
    ("question_mark", HelpScreen),
])
async def test_each_screen_of_the_title_screen_opens_and_closes_with_escape(
        make_app: AppMaker, key: str, screen: type | str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        name = screen if isinstance(screen, str) else screen.__name__
        assert type(app.screen).__name__ == name
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_escape_from_play_returns_to_the_title_screen(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_history_hides_the_current_decision_until_revealed(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert "Spoiler" in text_of(app, "#history-current")
        assert "Stalin came to the station" not in text_of(app, "#history-current")
        await pilot.press("r")
        await pilot.pause()
        current = text_of(app, "#history-current")
        assert "Stalin came to the station" in current and "FRUS 1941 vol. IV doc. 783" in current


async def test_history_shows_the_last_decision_beside_the_real_one(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")  # let the train leave: not what happened
        await pilot.pause()
        await pilot.press("escape")  # the ending report opened; back to the scene
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        last = text_of(app, "#history-last")
        assert "You chose:  Let it leave on time." in last
        assert "History:    Hold the train. (you diverged ✗)" in last
        assert "Plausibility: Unlikely; nobody would have dared." in last


async def test_timeline_shows_history_beside_this_game_with_words_not_only_colour(
        make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        rows = [rendered(w.content) for w in app.screen.query(".timeline-event").results(Static)]
        assert rows[0].startswith("13 April 1941  The train waits")
        assert "The express was held" in rows[0] and "✗ diverged" in rows[0]
        assert "The express left on time" in rows[0]
        assert "✓ as in history" in rows[1]  # at an ending every event is judged


async def test_glossary_search_filters_the_entries(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        listing = app.screen.query_one("#glossary-list", OptionList)
        assert listing.option_count == 2
        assert str(listing.options[0].prompt).startswith("» Vyacheslav Molotov")
        await pilot.press(*"terminus")
        await pilot.pause()
        assert listing.option_count == 1
        assert text_of(app, "#glossary-detail").startswith("Yaroslavsky station")
        await pilot.press(*"xyz")
        await pilot.pause()
        assert text_of(app, "#glossary-detail").startswith("Nothing in the glossary matches ‘terminusxyz’.")


async def test_saving_under_a_name_writes_a_save(make_app: AppMaker, saves_dir: Path) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = "Before the call"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert (saves_dir / "Before the call.json").is_file()


async def test_an_empty_save_name_keeps_the_dialog_open_and_says_why(
        make_app: AppMaker, saves_dir: Path) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = "   "
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        hint = app.screen.query_one(".dialog-hint", Static).content
        assert "Type something first" in str(hint)
        assert not saves_dir.exists() or not any(saves_dir.glob("*.json"))
        for key in "Late":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert (saves_dir / "Late.json").is_file()


async def test_saving_over_a_save_asks_first(make_app: AppMaker, saves_dir: Path) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(2):
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one(Input).value = "Mine"
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert [p.name for p in saves_dir.iterdir()] == ["Mine.json"]


async def test_the_saves_screen_lists_unreadable_files_with_their_reason_and_loads_the_rest(
        make_app: AppMaker, saves_dir: Path) -> None:
    saves_dir.mkdir(parents=True)
    (saves_dir / "Broken.json").write_text("{not json", encoding="utf-8")
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")  # autosaved at the platform
        await pilot.pause()
        await pilot.press("u")  # and again at the office
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SavesScreen)
        names = [e.name for e in screen.entries]
        assert "Broken" in names
        broken = names.index("Broken")
        entry = screen.entries[broken]
        assert isinstance(entry, UnreadableSave) and "not valid JSON" in entry.reason
        listing = screen.query_one("#save-list", OptionList)
        listing.highlighted = broken
        await pilot.press("enter")  # refused, with the reason; nothing crashes
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        listing.highlighted = names.index("Autosave clerk 1")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.node.id == "platform"


async def test_a_save_can_be_renamed_and_deleted(make_app: AppMaker, saves_dir: Path) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l", "s")
        await pilot.pause()
        app.screen.query_one(Input).value = "First"
        await pilot.press("enter")
        await pilot.pause()
        assert (saves_dir / "First.json").is_file()
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "Renamed"
        await pilot.press("enter")
        await pilot.pause()
        assert not (saves_dir / "First.json").exists()
        assert (saves_dir / "Renamed.json").is_file()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert not (saves_dir / "Renamed.json").exists()
        assert isinstance(app.screen, SavesScreen) and app.screen.entries == []


async def test_a_save_from_an_older_story_tells_the_player_what_changed(
        make_app: AppMaker, saves_dir: Path) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        app.flush_autosaves()
    path = saves_dir / "Autosave clerk 1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["story"]["content_hash"] = "an older version"
    path.write_text(json.dumps(data), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        messages = [n.message for n in app._notifications]
        assert any("The story has changed since this save" in m for m in messages)


async def test_the_high_contrast_theme_is_chosen_in_settings_and_kept(
        make_app: AppMaker, tmp_path: Path) -> None:
    settings_path = tmp_path / "settings.json"
    app = make_app(settings_path=settings_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST_THEME
    assert Settings.load(settings_path).theme == HIGH_CONTRAST_THEME


async def test_the_help_screen_shows_the_markdown_help(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#help-text", Markdown).source.startswith("# How to play")


async def test_while_the_terminal_is_too_small_only_quitting_works(make_app: AppMaker) -> None:
    from moscow1941.ui.screens.too_small import TooSmallScreen

    app = make_app(campaign="clerk")
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("question_mark", "ctrl+p", "1")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        assert isinstance(app.screen, PlayScreen) and app.screen.game.node.id == "office"


async def test_scenes_fade_in_only_when_wanted_and_animations_are_on(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.settings = Settings(reveal=True)
        assert not app.reveal  # TEXTUAL_ANIMATIONS=none, as the fixture sets
        app.animation_level = "full"
        assert app.reveal
        play = app.screen
        assert isinstance(play, PlayScreen)
        story = play.query_one("#story")
        play.show_scene(reveal=True)  # what a choice does
        assert story.styles.opacity == 0.0  # the new scene starts hidden and fades in
        await pilot.pause(0.6)
        assert story.styles.opacity == 1.0
        app.settings = Settings(reveal=False)
        assert not app.reveal


async def test_the_title_menu_works_with_arrows_and_enter(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # New game, highlighted first
        await pilot.pause()
        assert type(app.screen).__name__ == "NewGameScreen"
        # Continue is disabled (no save yet), so the cursor skips it: Load, How to play, Settings
        await pilot.press("escape", "down", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)


async def test_the_command_palette_runs_an_action_of_the_screen(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Timeline")
        await command.callback()
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)


async def test_the_title_cursor_starts_on_new_game_once_the_story_has_loaded(
        saves_dir: Path) -> None:
    from tests.ui.conftest import UI_STORY

    from moscow1941.ui.app import Moscow1941App

    app = Moscow1941App(UI_STORY, saves=saves_dir, settings=Settings(reveal=False))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):  # the story loads in a thread behind the first frame
            await pilot.pause(0.05)
            if app.story is not None:
                break
        await pilot.pause()
        menu = app.screen.query_one("#title-menu", OptionList)
        assert menu.highlighted == 0
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewGameScreen"
