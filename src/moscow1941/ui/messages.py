"""What screens tell the App. A screen posts one of these; it bubbles up to the App, which alone
moves between games and back to the title screen (Textual's rule: data down, messages up)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from moscow1941.classroom.students import Student
    from moscow1941.engine import Game


class StartGame(Message):
    """Leave whatever is open, down to the title screen, and play `game`: `player` is the
    name it is played under, `changes` what the save's reader had to say about it, `started`
    when it was begun (a reopened save; None: now). `remember` keeps the name to offer for the
    next new game; `notice` is said once the game is open (after what `changes` says)."""

    def __init__(self, game: Game, player: str | None = None, changes: Iterable[str] = (),
                 started: datetime | None = None, *, remember: bool = False,
                 notice: str | None = None) -> None:
        super().__init__()
        self.game = game
        self.player = player
        self.changes = tuple(changes)
        self.started = started
        self.remember = remember
        self.notice = notice


class GoToTitle(Message):
    """Back to the title screen (the game in progress was autosaved at its last choice)."""


class SignedIn(Message):
    """Classroom mode: the sign-in screen accepted `student`; their saves and settings are to
    be used from now on, and the game speaks `language` (the one chosen on the sign-in
    screen; None: the class's)."""

    def __init__(self, student: Student, language: str | None = None) -> None:
        super().__init__()
        self.student = student
        self.language = language
