"""Shown over everything while the terminal is smaller than the game needs; the app takes it
away when the terminal grows, and every screen beneath is as it was."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from moscow1941.i18n import _
from moscow1941.ui.keys import Translated

MIN_WIDTH = 60
"""Below this many columns (or `MIN_HEIGHT` rows) the game asks for a larger terminal."""
MIN_HEIGHT = 20


class TooSmallScreen(Translated, Screen[None]):
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
            _("Please enlarge the terminal.") + "\n\n"
            + _("Moscow 1941 needs at least {width} × {height};").format(
                width=MIN_WIDTH, height=MIN_HEIGHT) + "\n"
            + _("this one is {width} × {height}.").format(width=size.width, height=size.height)
            + "\n\n" + _("Your game will be waiting.") + "\n" + _("ctrl+q quits.")))
