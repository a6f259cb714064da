"""Writing a transcript from a face (the ending screen, plain mode) to the folder a teacher
collects from: `transcripts/` beside the player's saves."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from moscow1941.engine import Game
from moscow1941.files import write_atomic

FOLDER = "transcripts"


class Exported(NamedTuple):
    """A transcript written: where, its file name, and its text (for a browser download)."""

    path: Path
    name: str
    text: str


def write_transcript(game: Game, player: str | None, fmt: str, saves: Path | None,
                     started: datetime | None = None) -> Exported:
    """Render the transcript of `game` in `fmt` ('md' or 'html') and write it atomically to
    `saves/transcripts/` (the working folder's `transcripts/` when there is no saves folder).
    `started` is when the game was begun (kept in its saves; else when this sitting began): the
    transcript says it was played from then until now. Raises OSError when it cannot be
    written."""
    from moscow1941.classroom import transcript

    now = datetime.now(UTC)
    made = transcript.build(game, player, (started or now, now))
    text = transcript.render(made, fmt)
    name = transcript.filename(made, fmt)
    folder = (saves if saves is not None else Path.cwd()) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / name, text.encode("utf-8"))
    return Exported(folder / name, name, text)
