"""The sign-in screen of classroom mode (the game served to a class): the student's name and
secret word, and the word again when the name is new. The rules (folders, claims, words)
are `moscow1941.classroom.students`; this screen asks and shows what they say."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from moscow1941.classroom.students import (
    MAX_NAME,
    MAX_SECRET,
    StudentError,
    WrongSecret,
    clean_name,
    clean_secret,
    is_claimed,
    retry_delay,
    sign_in,
)

if TYPE_CHECKING:
    from moscow1941.ui.app import Moscow1941App

INTRO = ("Type your name and your secret word. The first time, choose a word and remember "
         "it: it keeps your saved games yours.")
KEYS = "Enter: next field, then sign in  ·  Esc: start again"


class SignInScreen(Screen[None]):
    """Name, secret word (and the word again for a new name); Enter moves on and signs in."""

    app: Moscow1941App

    BINDINGS = [
        Binding("escape", "clear", "Start again", id="clear"),
        Binding("enter", "next", "Next", id="next", show=False, priority=True),
    ]
    """Esc empties the form. Enter goes to the next field, and signs in from the last (Tab
    also moves between fields)."""

    DEFAULT_CSS = """
    SignInScreen {
        align: center middle;
    }
    #sign-in-box {
        width: 64;
        max-width: 100%;
        height: auto;
        padding: 0 2;
    }
    #sign-in-heading {
        color: $primary;
        text-style: bold;
    }
    #sign-in-box Label, #sign-in-intro, #sign-in-keys {
        color: $foreground-muted;
    }
    #sign-in-intro {
        margin: 0 0 1 0;
    }
    #sign-in-message {
        height: auto;
        min-height: 2;
    }
    #sign-in-message.-error {
        color: $error;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def __init__(self, class_dir: Path, class_label: str) -> None:
        super().__init__()
        self.class_dir = class_dir
        self.class_label = class_label
        self.failures = 0
        """Wrong words in a row; after a few, the screen waits before taking another."""
        self.message = ""
        """What the message line says (the last problem, or what to do next)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-in-box"):
            yield Static(Content(f"Moscow 1941  ·  sign in  ·  class {self.class_label}"),
                         id="sign-in-heading")
            yield Static(Content(INTRO), id="sign-in-intro")
            yield Label("Your name", id="name-label")
            yield Input(placeholder="for example: Anna P.", max_length=MAX_NAME,
                        id="student-name")
            yield Label("Your secret word", id="secret-label")
            yield Input(password=True, max_length=MAX_SECRET, id="student-secret")
            yield Label("Your secret word again (this name is new)", id="again-label")
            yield Input(password=True, max_length=MAX_SECRET, id="student-again")
            yield Static(id="sign-in-message")
            yield Static(Content(KEYS), id="sign-in-keys")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show_again(False)
        self.query_one("#student-name", Input).focus()

    # ---- the form ----------------------------------------------------------------------------
    def _input(self, which: str) -> Input:
        return self.query_one(f"#student-{which}", Input)

    def _show_again(self, shown: bool) -> None:
        self.query_one("#again-label").display = shown
        self._input("again").display = shown
        if not shown:
            self._input("again").value = ""

    def _say(self, text: str, error: bool = False) -> None:
        self.message = text
        message = self.query_one("#sign-in-message", Static)
        message.update(Content(text))
        message.set_class(error, "-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        """A new name needs its own answer to 'is it new?': hide the second word field."""
        if event.input.id == "student-name" and self._input("again").display:
            self._show_again(False)

    def action_clear(self) -> None:
        """Empty every field and start again from the name."""
        for which in ("name", "secret", "again"):
            self._input(which).value = ""
        self._show_again(False)
        self._say("")
        self._input("name").focus()

    def action_next(self) -> None:
        """Enter: move to the next field at once, and check the form once the field Enter was
        pressed in has taken every key typed before it.

        Keys reach whichever field has the focus when the app reads them, and a busy server
        (a class starting at once) can read a burst of keys before a field would react to
        Enter; moving the focus here, where Enter is read, puts what is typed straight after
        Enter in the next field. (Whether a new name needs its word again is known only once
        the name is in; then the focus moves as soon as the question is asked.)"""
        field = self.focused
        if not isinstance(field, Input) or field.disabled:
            return
        name, secret, again = (self._input(w) for w in ("name", "secret", "again"))
        if field is secret and not again.display and self._is_new(name.value):
            self._show_again(True)
        order = [name, secret, *([again] if again.display else [])]
        if field in order and field is not order[-1]:
            self.set_focus(order[order.index(field) + 1])
        field.call_later(self._check, field)

    def _is_new(self, name: str) -> bool:
        try:
            return not is_claimed(self.class_dir, name)
        except (StudentError, OSError):
            return False  # `_check` says what is wrong with the name

    def _check(self, field: Input) -> None:
        """After Enter in `field`: say what is missing or wrong, or sign in."""
        name, secret, again = (self._input(w) for w in ("name", "secret", "again"))
        try:
            clean_name(name.value)
        except StudentError as exc:
            self._fail(str(exc), name)
            return
        if field is name or not secret.value:
            self._say("")
            if field is not name:
                self.set_focus(secret)
            return
        try:
            clean_secret(secret.value)
        except StudentError as exc:
            self._fail(str(exc), secret)
            return
        try:
            new = not is_claimed(self.class_dir, name.value)
        except (StudentError, OSError) as exc:
            self._fail(str(exc), name)
            return
        if new and field is not again:
            self._show_again(True)
            self._say(f"‘{clean_name(name.value)}’ is new in this class. Type the same secret "
                      "word again to keep this name.")
            self.set_focus(again)
            return
        if new and again.value != secret.value:
            again.value = ""
            self._fail("The two secret words are not the same. Type it again.", again)
            return
        self._sign_in(name.value, secret.value)

    def _sign_in(self, name: str, secret: str) -> None:
        try:
            student = sign_in(self.class_dir, name, secret)
        except WrongSecret as exc:
            self.failures += 1
            self._input("secret").value = ""
            self._fail(str(exc), self._input("secret"))
            self._wait(retry_delay(self.failures))
            return
        except (StudentError, OSError) as exc:
            self._fail(str(exc), self._input("name"))
            return
        self.failures = 0
        self.app.signed_in(student)

    def _fail(self, text: str, field: Input) -> None:
        self._say(text, error=True)
        self.set_focus(field)

    def _wait(self, seconds: float) -> None:
        """After several wrong words, take no other for a while."""
        if seconds <= 0:
            return
        fields = [self._input(w) for w in ("name", "secret", "again")]
        for field in fields:
            field.disabled = True
        shown = self.message
        self._say(f"{shown}\nWait {seconds:.0f} seconds before trying again.", error=True)

        def resume() -> None:
            for field in fields:
                field.disabled = False
            self._say(shown, error=True)
            self._input("secret").focus()

        self.set_timer(seconds, resume)
