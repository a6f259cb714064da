"""The timeline: real history and this game side by side, event by event, dated."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from moscow1941.engine import Game, TimelineEntry

MARKS = {"history": "✓ as in history", "diverged": "✗ diverged", "ahead": "· not yet"}
"""Each verdict in words and a symbol, never in colour alone."""


class TimelineScreen(Screen[None]):
    """One row per event: date and title, then what happened beside what happened here."""

    BINDINGS = [
        Binding("escape,t", "app.pop_screen", "Close", key_display="esc", id="close-timeline"),
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
        color: $primary;
    }
    .timeline-event.-ahead {
        color: $foreground-muted;
    }
    .timeline-row {
        height: auto;
    }
    .timeline-col {
        width: 1fr;
        padding: 0 1 0 0;
    }
    .timeline-col.-diverged {
        color: $warning;
    }
    .timeline-col.-ahead {
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
            ("Timeline", "bold"), f"   {d.events_settled} events settled, "
            f"{d.events_diverged} went differently"), classes="screen-heading")
        with Horizontal(id="timeline-columns"):
            yield Static(Content.styled("Real history", "bold"), classes="timeline-col")
            yield Static(Content.styled("This game", "bold"), classes="timeline-col")
        with VerticalScroll(id="timeline-scroll"):
            for entry in entries:
                yield from self._row(entry)
        yield Footer(compact=True)

    def _row(self, entry: TimelineEntry) -> ComposeResult:
        yield Static(Content.assemble((entry.date.display(), "bold"), "  ", entry.title),
                     classes=f"timeline-event -{entry.status}")
        with Horizontal(classes="timeline-row"):
            yield Static(Content(" ".join(entry.happened.split())), classes="timeline-col")
            this_game = Content.styled(MARKS[entry.status], "bold")
            if entry.status == "diverged":
                this_game = Content.assemble(this_game, "\n", " ".join(entry.this_game.split()))
            yield Static(this_game, classes=f"timeline-col -{entry.status}")

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
