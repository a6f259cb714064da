"""Small modal dialogs that return a value: a line of text, or yes/no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from moscow1941.engine.state import MAX_REFLECTION
from moscow1941.i18n import N_, _
from moscow1941.ui.keys import Translated


class TextPrompt(Translated, ModalScreen[str | None]):
    """Ask for one line of text; dismisses with the text, or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="cancel")]
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
                Content(_("Type something first. {hint}").format(hint=self.hint)))

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


class ReflectionPrompt(Translated, ModalScreen[str | None]):
    """A reflection prompt, asked after the player picks a choice and before it is taken.

    Dismisses with the answer ('' when the player skips with an empty Enter), or None on Esc:
    back to the choices, nothing taken.
    """

    BINDINGS = [Binding("escape", "cancel", N_("Back to the choices"), id="cancel")]
    """Enter takes the choice (with the answer, or without when nothing is typed); Esc goes back
    to the choices."""

    def __init__(self, prompt: str, chosen: str, answer: str = "") -> None:
        super().__init__()
        self.prompt, self.chosen, self.answer = prompt, chosen, answer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reflection-dialog"):
            yield Static(Content(_("A moment to reflect before your choice is taken")),
                         classes="dialog-question")
            yield Static(Content(self.prompt), id="reflection-prompt")
            yield Static(Content.assemble((_("Your choice:") + " ", "italic"), self.chosen),
                         id="reflection-choice")
            yield Input(self.answer, placeholder=_("A sentence or two, in your own words"),
                        max_length=MAX_REFLECTION, id="reflection-input")
            yield Static(Content(_("Enter: keep your answer and go on (with nothing typed, "
                                   "skip it).  Esc: back to the choices.")),
                         classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Back to the choices; nothing is taken."""
        self.dismiss(None)


class ExportFormat(Translated, ModalScreen[str | None]):
    """Which transcript to write: `1` printable HTML, `2` text (Markdown); Esc cancels. Numbers,
    as for choices: the letters of the ending screen beneath mean other things there."""

    BINDINGS = [
        Binding("1", "pick('html')", N_("HTML"), id="html"),
        Binding("2", "pick('md')", N_("Text"), id="md"),
        Binding("escape", "pick(None)", N_("Cancel"), id="cancel"),
    ]
    """1 picks HTML, 2 text; Esc cancels."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(_("Export a transcript of this game")),
                         classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                # Translators: the labels of two buttons side by side; keep each short.
                yield Button("1  " + _("HTML, to print"), id="html", variant="primary")
                yield Button("2  " + _("Text (Markdown)"), id="md")
            yield Static(Content(_("Your teacher can check the transcript was not edited.")),
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#html", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_pick(self, fmt: str | None) -> None:
        """Close with the chosen format (None: cancelled)."""
        self.dismiss(fmt)


class Confirm(Translated, ModalScreen[bool]):
    """A yes/no question: `y` or Enter on Yes, `n` or Esc for No."""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="no"),
    ]
    """y answers yes; n or Esc answers no."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                # Translators: buttons; the keys y and n stay the same in every language.
                yield Button(_("Yes (y)"), id="yes", variant="error")
                yield Button(_("No (n)"), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.dismiss(yes)
