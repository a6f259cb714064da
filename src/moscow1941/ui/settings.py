"""The player's settings (theme, text reveal, language), kept as a small JSON file in the user's config
folder. A missing or damaged file gives the defaults; settings never stop the game."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_THEME = "moscow1941"
HIGH_CONTRAST_THEME = "moscow1941-contrast"


def default_settings_path() -> Path:
    """`$MOSCOW1941_CONFIG`, else `settings.json` in the user's config folder."""
    env = os.environ.get("MOSCOW1941_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("moscow1941", appauthor=False)) / "settings.json"


def valid_language(value: object) -> str | None:
    """`value` if it is a language the game speaks, else None (the environment's language)."""
    from moscow1941.i18n import LANGUAGES

    return value if isinstance(value, str) and value in LANGUAGES else None


@dataclass(slots=True)
class Settings:
    """What the Settings screen changes. `reveal`: fade each new scene in (only when the
    terminal allows animation; `TEXTUAL_ANIMATIONS=none` turns it off). `language`: a code of
`i18n.LANGUAGES`, or None for the environment's language (`LANGUAGE`, `LANG`...)."""

    theme: str = DEFAULT_THEME
    reveal: bool = True
    language: str | None = None
    """The game's language (`i18n.LANGUAGES`); None: the one the environment asks for."""

    @classmethod
    def load(cls, path: Path | None) -> Settings:
        """The settings stored at `path`; the defaults when there are none or they are damaged."""
        if path is None:
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        theme = data.get("theme")
        reveal = data.get("reveal")
        language = data.get("language")
        return cls(theme=theme if isinstance(theme, str) else DEFAULT_THEME,
                   reveal=reveal if isinstance(reveal, bool) else True,
                   language=valid_language(language))

    def save(self, path: Path | None) -> None:
        """Write the settings atomically; a folder that cannot be written is ignored."""
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
