"""What a screen may ask of the application around it, as a `Protocol`: the save store, the
settings, autosaving and who is playing. Screens type their host with this and never import
the App class (`Moscow1941App` satisfies it, checked by mypy in `ui/app.py`), so there is no
circle of imports between the App and its screens.

The data a screen shows comes in through its constructor (a game, a story, a linker); what a
screen decides goes up as a message (`ui.messages`): only the App moves between games.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from moscow1941.classroom.students import Student
    from moscow1941.engine import Game
    from moscow1941.engine.saves import SaveStore
    from moscow1941.story import Story
    from moscow1941.ui.settings import Settings


class GameHost(Protocol):
    """The App's services a screen uses. Attributes the App changes as it goes (the store
    after signing in, the story once loaded or reloaded) are read when needed, not kept."""

    story: Story | None
    load_error: str | None
    store: SaveStore | None
    store_error: str | None
    settings: Settings
    classroom: Path | None
    student: Student | None
    welcome: str
    seed: int
    author: bool

    @property
    def reveal(self) -> bool: ...

    def autosave(self, game: Game, player: str | None, started: datetime | None = None) -> None: ...

    def flush_autosaves(self) -> None: ...

    def apply_settings(self, settings: Settings) -> None: ...

    def known_player(self) -> str: ...


def host(node: DOMNode) -> GameHost:
    """The application `node` belongs to, as the services screens use."""
    return cast("GameHost", node.app)
