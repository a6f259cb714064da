"""What really happened: the history note of the player's last decision beside their choice,
and the note of the decision in front of them, hidden as a spoiler until asked for."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from moscow1941.engine import Game
from moscow1941.i18n import N_, _
from moscow1941.story.model import HistoryNote
from moscow1941.ui.keys import Translated
from moscow1941.ui.render import SYMBOLS, hanging
from moscow1941.words import COUNTERFACTUAL_NOTE, NEVER_SAW, NO_REAL_ACTOR, VERDICTS


def note_content(note: HistoryNote, width: int = 76) -> Content:
    """A history note: its date, its text, and its sources, one a line (a source that wraps
    continues under its first word, not under the bullet; `width` is the width to wrap to)."""
    parts = [Content.styled(_("What really happened, {date}").format(date=note.date.display()),
                            "bold"),
             Content(" ".join(note.text.split())), Content("")]
    parts.append(Content.styled(_("Sources"), "italic"))
    parts += [hanging("  •", Content(source), width, indent=4, style="") for source in note.sources]
    return Content("\n").join(parts)


class HistoryScreen(Translated, Screen[None]):
    """The history notes around the current moment of `game`."""

    BINDINGS = [
        Binding("escape,h", "app.pop_screen", N_("Close"), key_display="esc",
                id="close-history"),
        Binding("r", "reveal", N_("Reveal (spoiler)"), id="reveal",
                tooltip=N_("Read what really happened at this decision before you choose")),
    ]
    """Esc closes; r reveals the note of the decision not yet taken."""

    DEFAULT_CSS = """
    #history-scroll {
        padding: 0 2;
    }
    #history-last, #history-current {
        margin: 1 0 0 0;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history-scroll"):
            yield Static(Content(_("What really happened")), classes="screen-heading")
            yield Static(self._last_decision(), id="history-last")
            yield Static(self._current(False), id="history-current")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#history-scroll").focus()

    def _width(self) -> int:
        """The width the notes' text is wrapped to: the screen less its padding and scrollbar."""
        return max(20, self.app.size.width - 6)

    def _last_decision(self) -> Content:
        records = self.game.decisions()
        if not records:
            return Content(_("You have not taken a decision yet."))
        rec = records[-1]
        node = self.game.story.nodes[rec.node_id]
        # Translators: "You chose:" and "History:" start lines one above the other; the
        # screen pads them to the same width.
        chose, history = _("You chose:"), _("History:")
        pad = max(len(chose), len(history)) + 2
        parts = [Content.assemble((_("Your last decision:") + " ", "bold"), rec.title, " (",
                                  rec.date.display(), ")"),
                 Content.assemble((chose.ljust(pad), "italic"), rec.chosen)]
        if rec.counterfactual:
            parts.append(Content.assemble((history.ljust(pad), "italic"),
                                          f"{_(NO_REAL_ACTOR)} ({SYMBOLS['counterfactual']} "
                                          f"{_(NEVER_SAW)}); {_(COUNTERFACTUAL_NOTE)}"))
        elif rec.historical:
            parts.append(Content.assemble((history.ljust(pad), "italic"),
                                          _("the real actors made the same choice ({mark})")
                                          .format(mark=SYMBOLS['history'])))
        elif rec.historical_choices:
            parts.append(Content.assemble((history.ljust(pad), "italic"),
                                          rec.historical_choices[0],
                                          f" ({_(VERDICTS['diverged'])} {SYMBOLS['diverged']})"))
        if rec.note:
            parts.append(Content.assemble((_("Plausibility:") + " ", "italic"), rec.note))
        if node.history is not None:
            parts += [Content(""), note_content(node.history, self._width())]
        return Content("\n").join(parts)

    def _current(self, revealed: bool) -> Content:
        scene = self.game.view()
        if scene.history is None or scene.ending is not None:
            return Content("")
        heading = Content.assemble((_("This decision:") + " ", "bold"), scene.title)
        if not revealed:
            return Content("\n").join([
                Content("─" * 20), heading,
                Content(_("Spoiler: its note tells what the real actors chose here. "
                          "Press r to read it before you choose.")),
            ])
        return Content("\n").join([Content("─" * 20), heading, note_content(scene.history, self._width())])

    def action_reveal(self) -> None:
        """Show the note of the decision in front of the player."""
        self.query_one("#history-current", Static).update(self._current(True))
