"""How to play: a Markdown screen; the text lives beside this module in `help.md`."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown

HELP_FILE = Path(__file__).with_name("help.md")


class HelpScreen(Screen[None]):
    """The help text, scrollable."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "app.pop_screen", "Close", key_display="esc",
                id="close-help"),
    ]
    """Esc (or ? again) closes help."""

    DEFAULT_CSS = """
    #help-scroll {
        padding: 0 2;
    }
    #help-text {
        margin: 0;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll"):
            yield Markdown(HELP_FILE.read_text(encoding="utf-8"), id="help-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()
