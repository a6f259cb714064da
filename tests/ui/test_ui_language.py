"""The interface in German and Arabic: every screen speaks the language chosen (on the command
line, in Settings, or when a student signs in), the footer's keys included, and a change of
language applies at once, a game in progress going on at the same scene.

The game's catalogs (`moscow1941/locale/LANG/LC_MESSAGES/moscow1941.po`) ship with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ui.conftest import UI_STORY, AppMaker
from tests.ui.helpers import SIZE, new_game, text_of
from textual.widgets import Footer, OptionList
from textual.widgets._footer import FooterKey

from moscow1941 import i18n
from moscow1941.ui.app import Moscow1941App
from moscow1941.ui.screens.help import HelpScreen
from moscow1941.ui.screens.new_game import NewGameScreen
from moscow1941.ui.screens.play import PlayScreen
from moscow1941.ui.screens.settings import SettingsScreen
from moscow1941.ui.screens.title import TitleScreen
from moscow1941.ui.settings import Settings


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """The language is the process's: put English back for the tests that follow."""
    yield
    i18n.set_language("en")


def footer_text(app: Moscow1941App) -> str:
    """The descriptions the current screen's footer shows, in order."""
    return " ".join(key.description for key in app.screen.query_one(Footer).query(FooterKey))


def menu_text(app: Moscow1941App, selector: str) -> str:
    listing = app.screen.query_one(selector, OptionList)
    return "\n".join(str(option.prompt) if not hasattr(option.prompt, "plain")
                     else option.prompt.plain for option in listing.options)


async def test_german_from_the_title_to_play_help_and_settings(make_app: AppMaker) -> None:
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert i18n.language() == "de"
        assert isinstance(app.screen, TitleScreen)
        menu = menu_text(app, "#title-menu")
        assert "Neues Spiel" in menu and "Einstellungen" in menu and "Beenden" in menu
        assert "New game" not in menu
        assert "Neues Spiel" in footer_text(app)

        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)
        assert text_of(app, ".screen-heading") == "Wähle deine Rolle"
        assert "Zurück" in footer_text(app)
        await pilot.press("escape")
        await pilot.pause()

        await new_game(pilot)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        footer = footer_text(app)
        for word in ("Wahl", "Zurück", "Zeit", "Glossar", "Menü", "Hilfe"):
            assert word in footer
        assert "Undo" not in footer
        assert "Abstand zur Geschichte" in text_of(app, "#status")

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = app.screen.query_one("#help-text").source
        assert "So spielst du Moskau 1941" in help_text
        assert "`1`–`9`" in help_text  # the keys stay as they are
        assert "Schließen" in footer_text(app)
        await pilot.press("escape", "escape")
        await pilot.pause()

        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert text_of(app, ".screen-heading") == "Einstellungen"
        settings = menu_text(app, "#settings-list")
        assert "Farbschema: Dunkel (Standard)" in settings
        assert "(•) Sprache: Deutsch" in settings
        # The Arabic name shaped and in display order: it reads right in a left-to-right menu.
        assert "( ) Sprache: English" in settings and "( ) Sprache: ﺔﻴﺑﺮﻌﻟﺍ" in settings


async def test_switching_the_language_in_settings_switches_the_screen_and_the_footer(
        make_app: AppMaker, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    app = Moscow1941App(UI_STORY, saves=tmp_path / "saves", settings=Settings(reveal=False),
                        settings_path=path, language=None)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while app.story is None:
            await pilot.pause(0.05)
        assert i18n.language() == "en"
        await pilot.press("o")
        await pilot.pause()
        assert "Back" in footer_text(app)
        listing = app.screen.query_one("#settings-list", OptionList)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        listing.highlighted = ids.index("language:de")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert i18n.language() == "de"
        assert app.language == "de"
        assert app.story is not None and app.story.language == "de"
        assert isinstance(app.screen, SettingsScreen)
        assert text_of(app, ".screen-heading") == "Einstellungen"
        assert "Zurück" in footer_text(app) and "Back" not in footer_text(app)
        assert "(•) Sprache: Deutsch" in menu_text(app, "#settings-list")
        # The cursor stays on the language just chosen.
        listing = app.screen.query_one("#settings-list", OptionList)
        assert listing.highlighted_option is not None
        assert listing.highlighted_option.id == "language:de"
        assert '"language": "de"' in path.read_text(encoding="utf-8")
        # The title screen beneath is in German too.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "Neues Spiel" in menu_text(app, "#title-menu")
        assert "Neues Spiel" in footer_text(app) and "Beenden" in footer_text(app)
        # And back to English.
        await pilot.press("o")
        await pilot.pause()
        listing = app.screen.query_one("#settings-list", OptionList)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        listing.highlighted = ids.index("language:en")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert i18n.language() == "en"
        assert text_of(app, ".screen-heading") == "Settings"
        assert "Back" in footer_text(app)


async def test_a_game_in_progress_goes_on_in_the_new_language_at_the_same_scene(
        tmp_path: Path) -> None:
    app = Moscow1941App(UI_STORY, saves=tmp_path / "saves", settings=Settings(reveal=False))
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while app.story is None:
            await pilot.pause(0.05)
        await new_game(pilot)
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        node, steps = play.game.state.node, len(play.game.state.path)
        assert "Undo" in footer_text(app)
        app.change_language("de")
        await pilot.pause()
        await pilot.pause()
        again = app.screen
        assert isinstance(again, PlayScreen) and again is not play
        assert again.game.state.node == node and len(again.game.state.path) == steps
        assert again.game.story is app.story and app.story.language == "de"
        assert "Zurück" in footer_text(app) and "Undo" not in footer_text(app)
        assert "Abstand zur Geschichte" in text_of(app, "#status")
        await pilot.press("u")  # the game goes on: undo, in German
        await pilot.pause()
        assert len(again.game.state.path) == steps - 1


async def test_an_unknown_language_falls_back_to_english(make_app: AppMaker) -> None:
    app = make_app(language="xx")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert i18n.language() == "en"
        assert "New game" in menu_text(app, "#title-menu")
        assert "New game" in footer_text(app)


def test_a_damaged_language_setting_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "moscow1941", "reveal": true, "language": "klingon"}',
                    encoding="utf-8")
    assert Settings.load(path).language is None
    path.write_text('{"language": 7}', encoding="utf-8")
    assert Settings.load(path).language is None
    path.write_text('{"language": "ar"}', encoding="utf-8")
    assert Settings.load(path).language == "ar"


async def test_the_stored_language_is_used_and_the_command_line_overrides_it(
        make_app: AppMaker) -> None:
    app = Moscow1941App(story=None, settings=Settings(reveal=False, language="de"))
    assert app.language == "de"
    app = Moscow1941App(story=None, settings=Settings(reveal=False, language="de"),
                        language="ar")
    assert app.language == "ar" and i18n.is_rtl()


async def test_arabic_title_screen(make_app: AppMaker) -> None:
    app = make_app(language="ar")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "لعبة جديدة" in menu_text(app, "#title-menu")
        assert "خروج" in footer_text(app)


async def test_a_student_chooses_a_language_when_signing_in(
        ui_story: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input, Select

    from moscow1941.classroom import students
    from moscow1941.classroom.students import SETTINGS_FILE
    from moscow1941.ui.screens.student import SignInScreen

    monkeypatch.setattr(students, "SCRYPT_N", 2 ** 4)
    class_dir = tmp_path / "saves" / "9b"
    app = Moscow1941App(UI_STORY, story=ui_story, classroom=class_dir,  # type: ignore[arg-type]
                        class_label="9B", settings=Settings(reveal=False), language="de")
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        assert "Anmeldung" in text_of(app, "#sign-in-heading")
        assert screen.query_one("#student-language", Select).value == "de"
        await pilot.press(*"Alice")
        screen.query_one("#student-language", Select).value = "ar"
        await pilot.pause()
        await pilot.pause()
        again = app.screen
        assert isinstance(again, SignInScreen) and again is not screen
        assert i18n.language() == "ar"
        assert "تسجيل الدخول" in text_of(app, "#sign-in-heading")
        assert again.query_one("#student-name", Input).value == "Alice"
        assert again.query_one("#student-language", Select).value == "ar"
        again.query_one("#student-name", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        for word in ("sunflower", "sunflower"):
            await pilot.press(*word, "enter")
            await pilot.pause()
        for _ in range(10):
            if app.student is not None:
                break
            await pilot.pause(0.05)
        assert app.student is not None
        assert isinstance(app.screen, TitleScreen)
        assert "لعبة جديدة" in menu_text(app, "#title-menu")
        stored = (app.student.folder / SETTINGS_FILE).read_text(encoding="utf-8")
        assert '"language": "ar"' in stored


@pytest.mark.parametrize("language", ["de", "ar"])
async def test_the_sign_in_form_fits_80x24_in_every_language(
        ui_story: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    from moscow1941.classroom import students

    monkeypatch.setattr(students, "SCRYPT_N", 2 ** 4)
    app = Moscow1941App(story=ui_story, classroom=tmp_path / "9b",  # type: ignore[arg-type]
                        class_label="9B", settings=Settings(reveal=False), language=language)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for text in ("Alice", "sunflower"):
            await pilot.press(*text, "enter")
            await pilot.pause()
        assert app.screen.query_one("#student-again").display  # the longest the form gets
        for widget in app.screen.query("#sign-in-box > *"):
            region = widget.region
            assert region.height > 0 and region.y + region.height <= SIZE[1] - 1, widget
            assert region.x >= 0 and region.right <= SIZE[0], widget


@pytest.mark.parametrize("language", ["de", "ar"])
async def test_the_settings_and_new_game_screens_fit_80x24(make_app: AppMaker,
                                                           language: str) -> None:
    app = make_app(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        listing = app.screen.query_one("#settings-list", OptionList)
        assert listing.region.y + listing.region.height <= SIZE[1] - 1
        assert listing.max_scroll_y == 0  # every option in sight
