"""The timeline: real history and this game side by side, event by event, dated."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from moscow1941.engine import Game, TimelineEntry
from moscow1941.i18n import N_, _, pgettext
from moscow1941.ui.keys import Translated
from moscow1941.ui.render import SYMBOLS
from moscow1941.words import TIMELINE_SHORT, events_counted


def mark(status: str) -> str:
    """A timeline status in words (the current language's) and a symbol, never in colour
    alone."""
    return f"{SYMBOLS[status]} {_(TIMELINE_SHORT[status])}"  # type: ignore[index]


class TimelineScreen(Translated, Screen[None]):
    """One row per event: date and title, then what happened beside what happened here."""

    BINDINGS = [
        Binding("escape,t", "app.pop_screen", N_("Close"), key_display="esc",
                id="close-timeline"),
    ]
    """Esc closes; arrows and PgUp/PgDn scroll."""

    DEFAULT_CSS = """
    #timeline-columns {
        height: 1;
        padding: 0 2;
        color: $primary;
    }
    #timeline-scroll {
        padding: 0 2;
    }
    .timeline-event {
        margin: 1 0 0 0;
    }
    .timeline-event.-diverged {
        color: $warning;
    }
    .timeline-event.-ahead {
        color: $foreground-muted;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        entries = self.game.timeline()
        d = self.game.divergence()
        yield Static(Content.assemble(
            (pgettext("heading", "Timeline"), "bold"), "   " + _("{counted} so far").format(
                counted=events_counted(d))), classes="screen-heading")
        yield Static(self._columns(Text(_("Real history"), style="bold"),
                                   Text(_("This game"), style="bold")), id="timeline-columns")
        with VerticalScroll(id="timeline-scroll"):
            for entry in entries:
                yield Static(self._row(entry), classes=f"timeline-event -{entry.status}")
        yield Footer(compact=True)

    @staticmethod
    def _columns(left: Text, right: Text) -> Table:
        grid = Table.grid(padding=(0, 2), expand=True)
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        grid.add_row(left, right)
        return grid

    def _row(self, entry: TimelineEntry) -> Group:
        """One event: its date and title, then history and this game side by side (one widget
        per event, so a long record stays light)."""
        this_game = Text(mark(entry.status), style="bold")
        if entry.status == "diverged":
            this_game.append("\n" + " ".join(entry.this_game.split()), style="")
        heading = Text.assemble((entry.date.display(), "bold"), "  ", entry.title)
        return Group(heading, self._columns(Text(" ".join(entry.happened.split())), this_game))

    def on_mount(self) -> None:
        self.query_one("#timeline-scroll", VerticalScroll).focus()

    def on_screen_resume(self) -> None:
        # Open at the present: the last settled event at the top, the first ahead below it.
        scroll = self.query_one("#timeline-scroll", VerticalScroll)
        rows = list(self.query(".timeline-event"))
        ahead = [r for r in rows if r.has_class("-ahead")]
        if ahead and ahead[0] is not rows[0]:
            target = rows[rows.index(ahead[0]) - 1]
            self.set_timer(0.01, lambda: scroll.scroll_to_widget(target, top=True,
                                                                 animate=False))
