"""Where things live: the shipped story folder."""

from __future__ import annotations

import os
from pathlib import Path


def default_story_dir() -> Path:
    """`$MOSCOW1941_STORY`, else `./story` when it holds a story, else the story beside the
    source tree this package was installed from."""
    env = os.environ.get("MOSCOW1941_STORY")
    if env:
        return Path(env)
    here = Path("story")
    if (here / "story.yaml").is_file():
        return here
    return Path(__file__).resolve().parent.parent.parent / "story"
