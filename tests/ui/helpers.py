"""What the interface tests share: the terminal size they play at, the text a widget shows, and
starting a game as a player does (keys, not calls)."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

SIZE = (80, 24)
"""The terminal every interface test plays in: the smallest the game is designed for."""


def rendered(renderable: object, width: int = 76) -> str:
    """A Rich renderable (or Textual content) as the plain text it shows at `width` columns."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def text_of(app: App[Any], selector: str) -> str:
    """The text of the Static `selector` on the current screen."""
    content = app.screen.query_one(selector, Static).content
    return content.plain if isinstance(content, Content) else str(content)


async def new_game(pilot: Pilot[Any], campaign_key: str = "1", name: str = "") -> None:
    """From the title screen: New game, pick a campaign, type a name, begin."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press(campaign_key)
    await pilot.pause()
    if name:
        await pilot.press(*name)
    await pilot.press("enter")
    await pilot.pause()
