"""About & sources: what the game is, and every source its history notes and events cite."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from moscow1941 import __version__
from moscow1941.i18n import N_, _
from moscow1941.ui.keys import Translated
from moscow1941.ui.render import hanging

if TYPE_CHECKING:
    from moscow1941.story import Story


ABOUT = N_(
    "Moscow 1941 is interactive fiction about the Soviet–Japanese Neutrality Pact: its signing "
    "in April 1941, the long armed neutrality, the denunciation of April 1945 and the Soviet "
    "attack on Manchuria in August 1945. Every decision is grounded in the documented record; "
    "each has a note on what really happened, with its sources, and the game measures how far "
    "your choices and your world drift from history.\n\n"
    "Stories are folders of YAML anyone can write: see docs/story-format.md."
)


class AboutScreen(Translated, Screen[None]):
    """The about text, then the sources cited by the story, each listed once."""


    BINDINGS = [Binding("escape,a", "app.pop_screen", N_("Back"), key_display="esc", id="back")]
    """Esc goes back."""

    DEFAULT_CSS = """
    #about-scroll {
        padding: 0 2;
    }
    #about-text {
        margin: 1 0 0 0;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def __init__(self, story: Story) -> None:
        """About the game, and the sources `story` cites."""
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        story = self.story
        sources: dict[str, None] = {}
        for event in story.events:
            sources.update(dict.fromkeys(event.sources))
        for node in story.nodes.values():
            if node.history is not None:
                sources.update(dict.fromkeys(node.history.sources))
        with VerticalScroll(id="about-scroll"):
            yield Static(Content(_("Moscow 1941 · version {version}").format(
                version=__version__)), classes="screen-heading")
            yield Static(Content(_(ABOUT)), id="about-text")
            yield Static(Content.assemble((_("Sources of “{title}”").format(title=story.title),
                                           "bold"),
                                          f" ({len(sources)})"), classes="section-heading")
            width = max(20, self.app.size.width - 6)
            yield Static(Content("\n").join(hanging("•", Content(s), width, indent=2, style="")
                                            for s in sorted(sources)), id="about-sources")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#about-scroll").focus()
