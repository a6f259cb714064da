"""Small modal dialogs that return a value: a line of text, or yes/no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with the text, or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]
    """Esc cancels; Enter in the field accepts."""

    def __init__(self, question: str, hint: str, *, value: str = "", placeholder: str = "",
                 allow_empty: bool = False) -> None:
        super().__init__()
        self.question, self.hint = question, hint
        self.value, self.placeholder, self.allow_empty = value, placeholder, allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-question")
            yield Input(self.value, placeholder=self.placeholder, max_length=60, id="prompt-input")
            yield Static(Content(self.hint), classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() or self.allow_empty:
            self.dismiss(event.value)
        else:
            self.query_one(".dialog-hint", Static).update(
                Content(f"Type something first. {self.hint}"))

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question: `y` or Enter on Yes, `n` or Esc for No."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="yes"),
        Binding("n,escape", "answer(False)", "No", id="no"),
    ]
    """y answers yes; n or Esc answers no."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.dismiss(yes)
