"""The sign-in screen of classroom mode (the game served to a class): the student's name and
secret word; and, when that does not sign them in, the word again, for a new student choosing
it (the screen never says whether a name is taken before a word has been checked). The rules
(folders, claims, words, the limit on wrong words shared by every session) are
`moscow1941.classroom.students`; this screen asks and shows what they say.

Each student also picks the language to play in (the class's by default); the screen switches
to it at once, and it is kept in the student's settings when they sign in."""

from __future__ import annotations

import math
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static

from moscow1941.classroom.students import (
    MAX_NAME,
    MAX_SECRET,
    StudentError,
    TooSoon,
    Unconfirmed,
    WordsDiffer,
    WrongSecret,
    attempt_sign_in,
    clean_name,
    clean_secret,
    client_address,
)
from moscow1941.i18n import LANGUAGES, N_, _, ngettext, normalize
from moscow1941.i18n import language as current_language
from moscow1941.ui import rtl
from moscow1941.ui.keys import Translated
from moscow1941.ui.messages import SignedIn

# Translators: the sign-in screen must fit 80×24: keep this to two lines of 56 characters.
INTRO = N_("Type your name and your secret word. The first time, choose a word and remember "
           "it: it keeps your saved games yours.")
AGAIN_LABEL = N_("Your secret word again (new students only)")
KEYS = N_("Enter: next field, then sign in  ·  Esc: start again")


class SignInScreen(Translated, Screen[None]):
    """Name, secret word (and the word again for a new name); Enter moves on and signs in."""


    BINDINGS = [
        Binding("escape", "clear", N_("Start again"), id="clear"),
        Binding("enter", "next", N_("Next"), id="next", show=False, priority=True),
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
    #language-row {
        height: 1;
    }
    #language-row Label {
        width: auto;
        margin: 0 1 0 0;
    }
    #student-language {
        width: 24;
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

    def __init__(self, class_dir: Path, class_label: str, *, language: str | None = None,
                 name: str = "") -> None:
        """Sign in to the class in `class_dir` (named `class_label`). `language`: the one the
        language choice starts on (the class's; None: the language now spoken); `name`: a name
        already typed (kept when the screen is rebuilt in another language)."""
        super().__init__()
        self.class_dir = class_dir
        self.class_label = class_label
        self.language = normalize(language) or current_language()
        self.typed_name = name
        self.address = client_address()
        """The browser's address (wrong words are limited per name and per address)."""
        self.message = ""
        """What the message line says (the last problem, or what to do next)."""
        self.asked_again: tuple[str, str] | None = None
        """The name and word for which the word was asked again."""

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-in-box"):
            yield Static(Content(_("Moscow 1941  ·  sign in  ·  class {name}").format(
                name=self.class_label)), id="sign-in-heading")
            yield Static(Content(_(INTRO)), id="sign-in-intro")
            with Horizontal(id="language-row"):
                yield Label(_("Language"), id="language-label")
                # Each language is named in itself, whatever the language now.
                yield Select([(rtl.isolated(name), code) for code, name in LANGUAGES.items()],
                             value=self.language, allow_blank=False, compact=True,
                             id="student-language")
            yield Label(_("Your name"), id="name-label")
            yield Input(self.typed_name, placeholder=_("for example: Anna P."),
                        max_length=MAX_NAME, id="student-name")
            yield Label(_("Your secret word"), id="secret-label")
            yield Input(password=True, max_length=MAX_SECRET, id="student-secret")
            yield Label(_(AGAIN_LABEL), id="again-label")
            yield Input(password=True, max_length=MAX_SECRET, id="student-again")
            yield Static(id="sign-in-message")
            yield Static(Content(_(KEYS)), id="sign-in-keys")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show_again(False)
        self.query_one("#student-name", Input).focus()

    # ---- the language ------------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        """Another language: the app speaks it at once, and builds this screen again in it
        (the name typed is kept; the word is typed again)."""
        event.stop()
        code = event.value
        if not isinstance(code, str) or code == current_language():
            return
        self.language = code
        change = getattr(self.app, "change_language", None)
        if callable(change):
            change(code)

    def rebuilt(self) -> SignInScreen:
        """This screen in the language now current, with the name typed so far."""
        return SignInScreen(self.class_dir, self.class_label, language=current_language(),
                            name=self._input("name").value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter moves between the fields only from a field (elsewhere, such as the language
        choice, it does what it does there)."""
        if action == "next":
            return isinstance(self.focused, Input)
        return True

    # ---- the form ----------------------------------------------------------------------------
    def _input(self, which: str) -> Input:
        return self.query_one(f"#student-{which}", Input)

    def _show_again(self, shown: bool) -> None:
        if not shown:
            self.asked_again = None
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
        """Another name or word is another try: hide the second word field until that try
        asks for it."""
        tried = (self._input("name").value, self._input("secret").value)
        if event.input.id in ("student-name", "student-secret") and tried != self.asked_again:
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
        Enter in the next field. (Whether the word is wanted again is known only once the
        word has been checked; then the focus moves as soon as it is asked for.)"""
        field = self.focused
        if not isinstance(field, Input) or field.disabled:
            return
        name, secret, again = (self._input(w) for w in ("name", "secret", "again"))
        order = [name, secret, *([again] if again.display else [])]
        if field in order and field is not order[-1]:
            self.set_focus(order[order.index(field) + 1])
        field.call_later(self._check, field)

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
        if again.display and field is not again:
            if not again.value:
                self.set_focus(again)
                return
        self._sign_in(name.value, secret.value, again.value if again.display else None)

    def _sign_in(self, name: str, secret: str, again: str | None) -> None:
        try:
            student = attempt_sign_in(self.class_dir, name, secret, again, self.address)
        except TooSoon as exc:
            self._fail(str(exc), self._input("secret"))
            self._wait(exc.wait, keep_message=True)
            return
        except Unconfirmed as exc:
            # The same whether the name is new or the word wrong: ask for it again.
            self._show_again(True)
            self.asked_again = (name, secret)
            self._input("again").value = ""
            self._say(str(exc))
            self.set_focus(self._input("again"))
            self._wait(exc.wait)
            return
        except WrongSecret as exc:
            for which in ("secret", "again"):
                self._input(which).value = ""
            self._show_again(False)
            self._fail(str(exc), self._input("secret"))
            self._wait(exc.wait)
            return
        except WordsDiffer as exc:
            self._input("again").value = ""
            self._fail(str(exc), self._input("again"))
            return
        except (StudentError, OSError) as exc:
            self._fail(str(exc), self._input("name"))
            return
        self.post_message(SignedIn(student, self.language))

    def _fail(self, text: str, field: Input) -> None:
        self._say(text, error=True)
        self.set_focus(field)

    def _wait(self, seconds: float, keep_message: bool = False) -> None:
        """After several wrong words, take no other for a while (the wait is the class's,
        per name and per address: signing in again elsewhere does not shorten it)."""
        if seconds <= 0:
            return
        fields = [self._input(w) for w in ("name", "secret", "again")]
        for field in fields:
            field.disabled = True
        shown = self.message
        was_error = self.query_one("#sign-in-message").has_class("-error")
        if not keep_message:
            wait = math.ceil(seconds)
            self._say(shown + "\n" + ngettext("Wait {n} second before trying again.",
                                              "Wait {n} seconds before trying again.",
                                              wait).format(n=wait), error=True)

        def resume() -> None:
            for field in fields:
                field.disabled = False
            self._say(shown, error=was_error)
            self._input("again" if self._input("again").display else "secret").focus()

        self.set_timer(seconds, resume)
