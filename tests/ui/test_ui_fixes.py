"""The play-through review's screen defects, each as a player meets it at 80×24."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import AppMaker
from tests.ui.helpers import SIZE
from textual.widgets import Input, Static

from moscow1941.story.model import GlossaryEntry
from moscow1941.story.search import search_glossary
from moscow1941.ui.screens.dialogs import Confirm
from moscow1941.ui.screens.play import PlayScreen
from moscow1941.ui.widgets.scene_header import header_parts


async def test_the_palette_offers_only_the_games_actions_and_themes(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
    assert "Undo" in titles and "Timeline" in titles and "Quit" in titles
    for internal in ("Down", "First", "Focus Next", "Copy selected text", "Theme", "Keys"):
        assert internal not in titles
    themes = [t for t in titles if t.startswith("Theme:")]
    assert themes == ["Theme: moscow1941", "Theme: moscow1941-paper", "Theme: moscow1941-contrast"]


async def test_the_title_screen_shows_the_storys_own_title(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        name = str(app.screen.query_one("#title-name", Static).render())
        subtitle = str(app.screen.query_one("#title-subtitle", Static).render())
    assert name == "T H E   N I G H T   T R A I N"
    assert "Neutrality Pact" not in subtitle


def test_the_header_keeps_the_date_and_the_players_name_and_cuts_the_place() -> None:
    place = "Moscow, People's Commissariat for Foreign Affairs"
    date, shown, right = header_parts("11 April 1941", place, "Anna Petrova",
                                      "Prologue: A Pact in Forty-Eight Hours", 78)
    assert date == "11 April 1941" and right == "Anna Petrova"
    assert shown.endswith("…") and place.startswith(shown[:-1])
    assert len(date) + 5 + len(shown) + 3 + len(right) <= 78
    # With room, the chapter comes back beside the name.
    _, shown, right = header_parts("11 April 1941", "Moscow", "Anna", "Spring 1941", 78)
    assert shown == "Moscow" and right == "Spring 1941  ·  Anna"


def entry(term: str, text: str = "", match: tuple[str, ...] = ()) -> GlossaryEntry:
    return GlossaryEntry(term.lower().replace(" ", "_"), term, "person", "", text, match)


def test_glossary_search_puts_the_entry_named_before_entries_that_mention_it() -> None:
    entries = [entry("Ozaki Hotsumi", "Journalist and adviser; a member of Richard Sorge's ring."),
               entry("Richard Sorge", "A German journalist in Tokyo.", ("Sorge",)),
               entry("Soviet Union")]
    assert [e.term for e in search_glossary(entries, "Sorge")] == ["Richard Sorge",
                                                                   "Ozaki Hotsumi"]
    assert [e.term for e in search_glossary(entries, "so")][:2] == ["Richard Sorge",
                                                                   "Soviet Union"]
    assert search_glossary(entries, "Ikeda") == []


async def test_a_glossary_search_with_no_match_says_so_and_shows_no_old_entry(
        make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        await pilot.press(*"Molotov")
        await pilot.pause()
        assert "Vyacheslav Molotov" in str(app.screen.query_one("#glossary-detail").render())
        await pilot.press(*"xyz")
        await pilot.pause(0.2)
        detail = str(app.screen.query_one("#glossary-detail").render())
    assert "Molotov" not in detail.split("‘")[0] and "Nothing in the glossary matches" in detail


async def test_saving_under_a_name_the_store_cleans_asks_before_replacing(
        make_app: AppMaker, saves_dir: Path) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for name in ("Moscow: day 1", "Moscow: day 1"):
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one(Input).value = name
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
    assert [p.name for p in saves_dir.iterdir() if p.suffix == ".json"
            and not p.name.startswith("Autosave")] == ["Moscow- day 1.json"]


async def test_a_new_game_offers_the_name_given_for_the_last_one(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "1")
        await pilot.pause()
        await pilot.press(*"Anna", "enter")
        await pilot.pause()
        await pilot.press("escape", "n", "1")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "Anna"


def test_the_guides_say_what_the_figures_mean_as_the_game_does() -> None:
    """The one-sentence meanings the ending screen shows are what help and the playing guide
    explain (the words live in moscow1941.words)."""
    from tests.conftest import REPO

    from moscow1941.ui.screens.help import help_text as english_help
    from moscow1941.words import CHOICES_MEANS, WORLD_MEANS

    help_text = english_help()  # the help screen's text (in English: no language is set)
    guide = (REPO / "docs/playing.md").read_text(encoding="utf-8")
    for text in (help_text, guide):
        flat = " ".join(text.split())
        assert "the share (weighted by how much each mattered) where you chose otherwise" in flat
        assert "the share that has gone otherwise in your game so far" in flat
    assert "where you chose otherwise than the real actors did" in CHOICES_MEANS
    assert "has gone otherwise in your game so far" in WORLD_MEANS
