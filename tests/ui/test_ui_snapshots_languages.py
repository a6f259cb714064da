"""Snapshots of the main screens in German and Arabic at 80×24, drawn from the shipped story in
each language: German runs about a third longer than English and must still fit without losing
text; Arabic is shaped, ordered right to left and mirrored (ui/rtl.py).

Update them after an intended change with `pytest tests/ui --snapshot-update`, and look at
every changed SVG before committing it (render it: docs/architecture.md, "Tests")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from tests.conftest import SHIPPED_STORY
from textual.pilot import Pilot

from moscow1941.story import Story, load_story
from moscow1941.ui.app import Moscow1941App
from moscow1941.ui.screens.play import PlayScreen
from moscow1941.ui.settings import Settings

LANGS = ["de", "ar"]


async def to_the_ending(pilot: Pilot[Any]) -> None:
    """Play the prologue as history went (the engine chooses; no reflection is typed)."""
    screen = pilot.app.screen
    assert isinstance(screen, PlayScreen)
    game = screen.game
    while not game.ended:
        choices = [c for c in game.view().choices if c.enabled]
        game.choose(next((c for c in choices if c.historical), choices[0]).index)
    screen.show_scene()
    await pilot.pause()
    screen.action_ending()
    await pilot.pause()


Before = Callable[[Pilot[Any]], Awaitable[None]] | None

SCREENS: dict[str, tuple[str | None, list[str], Before]] = {
    "title": (None, [], None),
    "new_game": (None, ["n"], None),
    "play": ("prologue", [], None),
    "play_locked_choice": ("prologue", ["1"], None),
    "history": ("prologue", ["1", "h"], None),
    "timeline": ("prologue", ["t"], None),
    "glossary": ("prologue", ["g"], None),
    "help": (None, ["question_mark"], None),
    "settings": (None, ["o"], None),
    "ending": ("prologue", [], to_the_ending),
}

_stories: dict[str, Story] = {}


def _story(lang: str) -> Story:
    if lang not in _stories:
        story = load_story(SHIPPED_STORY, lang).story
        assert story is not None
        _stories[lang] = story
    return _stories[lang]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_in_a_language_looks_as_approved(snap_compare: Callable[..., bool],
                                                 tmp_path: Any, name: str, lang: str) -> None:
    campaign, keys, before = SCREENS[name]
    app = Moscow1941App(story=_story(lang), saves=tmp_path / "saves", campaign=campaign,
                        settings=Settings(reveal=False), language=lang)
    app.animation_level = "none"
    assert snap_compare(app, press=["wait:100", *keys, "wait:150"], terminal_size=(80, 24),
                        run_before=before)
