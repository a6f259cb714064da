"""Fixtures for the interface tests: the fixed test story in `tests/ui/story`, and an app made
from it with its saves in a temporary folder and its settings kept in memory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import loaded

from moscow1941.story import Story
from moscow1941.ui.app import Moscow1941App
from moscow1941.ui.settings import Settings

UI_STORY = Path(__file__).resolve().parent / "story"

AppMaker = Callable[..., Moscow1941App]


load = loaded


@pytest.fixture(scope="session")
def ui_story() -> Story:
    """The small fixed story the interface tests and snapshots are drawn from."""
    return load(UI_STORY)


@pytest.fixture
def saves_dir(tmp_path: Path) -> Path:
    return tmp_path / "saves"


@pytest.fixture
def make_app(ui_story: Story, saves_dir: Path) -> AppMaker:
    """An app on the test story (or another), with no reveal animation and fresh saves."""

    def make(story: Story | None = None, **kwargs: object) -> Moscow1941App:
        app = Moscow1941App(story=story or ui_story, saves=saves_dir,
                            settings=Settings(reveal=False), **kwargs)  # type: ignore[arg-type]
        app.animation_level = "none"
        return app

    return make
