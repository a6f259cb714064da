"""New game: the campaigns (role and blurb), picked with 1-9 or arrows and Enter, then an
optional name for the player."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from moscow1941.engine import Game
from moscow1941.i18n import N_, _
from moscow1941.ui.host import host
from moscow1941.ui.keys import Translated
from moscow1941.ui.messages import StartGame
from moscow1941.ui.render import numbered
from moscow1941.ui.screens.dialogs import TextPrompt

if TYPE_CHECKING:
    from moscow1941.story import Story


class NewGameScreen(Translated, Screen[None]):
    """The campaigns of the story, one option each."""

    def __init__(self, story: Story, seed: int) -> None:
        """`story`'s campaigns; a game begun here has `seed`."""
        super().__init__()
        self.story = story
        self.seed = seed


    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        *(Binding(str(n), f"pick({n})", f"Campaign {n}", show=False, id=f"campaign-{n}")
          for n in range(1, 10)),
    ]
    """Esc goes back; 1-9 pick a campaign at once."""

    def compose(self) -> ComposeResult:
        with Vertical(id="new-game-box"):
            yield Static(Content(_("Choose your role")), classes="screen-heading")
            options = []
            for n, campaign in enumerate(self.story.campaigns.values(), 1):
                lines = [Text(campaign.title, style="bold")]
                if campaign.role:
                    lines.append(Text(campaign.role, style="italic"))
                lines.append(Text(" ".join(campaign.blurb.split())))
                options.append(Option(numbered(str(n), *lines, gap=True), id=campaign.id))
            yield OptionList(*options, id="campaigns", classes="framed")
        yield Footer(compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._ask_name(event.option.id)

    def action_pick(self, n: int) -> None:
        """Pick campaign number `n` (from 1)."""
        ids = list(self.story.campaigns)
        if 1 <= n <= len(ids):
            self._ask_name(ids[n - 1])

    def _ask_name(self, campaign: str) -> None:
        """Ask who is playing, offering the name of the last game; a signed-in student plays
        under the name they signed in with, and is not asked again."""
        def begin(name: str | None) -> None:
            if name is None:
                return
            self.post_message(StartGame(Game(self.story, campaign, self.seed),
                                        name.strip() or None, remember=True))

        student = host(self).student
        if student is not None:
            begin(student.name)
            return
        self.app.push_screen(
            TextPrompt(_("Your name (optional)"), _("Enter to begin, Esc to go back"),
                       value=host(self).known_player(),
                       placeholder=_("Leave empty to play unnamed"), allow_empty=True), begin)
