"""The Textual face of Moscow 1941: it draws `Scene`s and sends back choices, and knows no
game rule. Importing this package does not import Textual; `run_app` does."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moscow1941.story import Story


def run_app(story_root: str, *, campaign: str | None = None, seed: int = 0,
            saves: str | None = None, author: bool = False, language: str | None = None) -> int:
    """Run the Textual interface until the player quits. Returns the exit status.
    `language` (`--lang`) overrides the one in the player's settings and the environment's."""
    from moscow1941.ui.app import Moscow1941App
    from moscow1941.ui.settings import Settings, default_settings_path

    path = default_settings_path()
    app = Moscow1941App(story_root, campaign=campaign, seed=seed, saves=saves,
                        settings=Settings.load(path), settings_path=path, author=author,
                        language=language)
    app.run()
    app.flush_autosaves()
    return app.return_code or 0


def run_classroom_app(story_root: str, class_dir: str, class_label: str | None, *,
                      seed: int = 0, story: Story | None = None,
                      language: str | None = None) -> int:
    """Run the interface in classroom mode (one browser session of `moscow1941 serve`): the
    student signs in first, then saves and settings live in their folder of `class_dir`.
    `story` is the story already loaded (by the pre-forking launcher), if any (loaded again if
    it is not in the language the session speaks). `language` is the class's language
    (`serve --lang`): the sign-in screen starts in it, and each student may choose another."""
    from pathlib import Path

    from moscow1941.ui.app import Moscow1941App

    app = Moscow1941App(story_root, story=story, seed=seed, classroom=Path(class_dir),
                        class_label=class_label, language=language)
    app.run()
    app.flush_autosaves()
    return app.return_code or 0
