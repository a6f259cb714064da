"""The baseline of the ui_* benchmarks: the smallest Textual app of the same shape as the game
(a header, one line of text, a footer). `1` replaces the line with the next numbered line."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static


class MinimalApp(App[None]):
    """Header, one line, footer."""

    BINDINGS = [Binding("1", "next", "Next line", id="next")]
    """1 shows the next line."""

    count = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Minimal line 0000", id="line")
        yield Footer()

    def action_next(self) -> None:
        """Replace the line."""
        self.count += 1
        self.query_one("#line", Static).update(f"Minimal line {self.count:04d}")


if __name__ == "__main__":
    MinimalApp().run()
