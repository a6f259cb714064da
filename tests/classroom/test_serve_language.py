"""`serve --lang`: the class's language reaches every session, and a language the game does not
speak is refused before anything starts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from moscow1941.cli import build_parser
from moscow1941.commands.serve import session_argv, session_command
from moscow1941.web.zygote import Session


def test_the_class_language_is_passed_to_each_session() -> None:
    argv = session_argv("/c", "9b", "/s", "de")
    assert argv[-2:] == ["--lang", "de"]
    assert "--lang" not in session_argv("/c", "9b", "/s")
    assert "--lang de" in session_command("/c", "9b", "/s", "de")
    assert Session("/c", "9b", "/s", None, "ar").language == "ar"


def test_serve_takes_a_language_the_game_speaks() -> None:
    args = build_parser().parse_args(["serve", "--lang", "de_DE.UTF-8"])
    assert args.lang == "de"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--lang", "fr"])


def test_a_session_in_a_language_plays_in_it(tmp_path: object) -> None:
    """The command each session runs, with --lang, speaks the language (here in plain text,
    which a session's `play` falls back to without a terminal only when asked)."""
    done = subprocess.run([sys.executable, "-m", "moscow1941", "play", "--plain", "--lang", "de",
                           "--campaign", "prologue", "--saves", str(tmp_path)],
                          input="quit\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Eine Akte mit dem Vermerk" in done.stdout
