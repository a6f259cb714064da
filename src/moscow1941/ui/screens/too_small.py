"""Shown over everything while the terminal is smaller than the game needs; the app takes it
away when the terminal grows, and every screen beneath is as it was."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 60
"""Below this many columns (or `MIN_HEIGHT` rows) the game asks for a larger terminal."""
MIN_HEIGHT = 20


class TooSmallScreen(Screen[None]):
    """A centred request to enlarge the terminal, with the size needed and the size now."""

    BINDINGS = []
    """No keys of its own; ctrl+q still quits."""

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="too-small-text")

    def on_mount(self) -> None:
        self._describe()

    def on_resize(self) -> None:
        self._describe()

    def _describe(self) -> None:
        size = self.app.size
        self.query_one("#too-small-text", Static).update(Content(
            "Please enlarge the terminal.\n\n"
            f"Moscow 1941 needs at least {MIN_WIDTH} × {MIN_HEIGHT};\n"
            f"this one is {size.width} × {size.height}.\n\n"
            "Your game will be waiting.\nctrl+q quits."))
