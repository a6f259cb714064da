"""One module per subcommand: `HELP`, `configure(parser)`, `run(args) -> int`.

Keep module top levels light: import what a command needs inside its `run`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moscow1941.story import Story


def add_story_option(parser: argparse.ArgumentParser) -> None:
    """`--story DIR`, which every command that reads the story takes."""
    parser.add_argument("--story", metavar="DIR",
                        help="the story folder (default: the shipped story)")


def add_lang_option(parser: argparse.ArgumentParser, what: str = "the language to play in") -> None:
    """`--lang LANG`, which every command that speaks to a person takes."""
    from moscow1941.i18n import LANGUAGES

    parser.add_argument("--lang", metavar="LANG", type=_language,
                        help=f"{what}: {', '.join(f'{k} ({v})' for k, v in LANGUAGES.items())}; "
                             "default: from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)")


def _language(value: str) -> str:
    from moscow1941.i18n import LANGUAGES, normalize

    lang = normalize(value)
    if lang is None:
        raise argparse.ArgumentTypeError(
            f"the game does not speak '{value}'; it speaks {', '.join(LANGUAGES)}")
    return lang


def set_language(lang: str | None) -> str:
    """Speak `lang`, or the environment's language when it is None; the language chosen."""
    from moscow1941 import i18n

    return i18n.set_language(lang or i18n.from_environment())


def story_or_say(root: str | None, language: str | None = None) -> Story | None:
    """The story in `root` (default: the shipped story), in `language` when given; or None,
    after printing its diagnostics and a line that says how to see them again on stderr."""
    import sys

    from moscow1941.paths import default_story_dir
    from moscow1941.story import load_story

    where = root or str(default_story_dir())
    result = load_story(where, language)
    if result.story is None:
        for d in result.diagnostics:
            print(d.format(), file=sys.stderr)
        print(f"{where}: the story has errors; run 'moscow1941 check {where}'", file=sys.stderr)
    return result.story


def campaign_or_say(story: Story, campaign: str | None) -> bool:
    """Whether `campaign` is None or one of `story`'s campaigns; if not, says so on stderr."""
    import sys

    if campaign is None or campaign in story.campaigns:
        return True
    print(f"no campaign '{campaign}' (this story has: {', '.join(story.campaigns)})",
          file=sys.stderr)
    return False


def write_or_say(text: str, output: str | None) -> int:
    """Write `text` to the file `output`, or to stdout when it is None; the exit status: 0, or
    2 after a sentence on stderr when the file cannot be written. A missing folder is not
    created: it is more often a typo than a wish."""
    import sys
    from pathlib import Path

    if not output:
        sys.stdout.write(text)
        return 0
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"cannot write {output}: {exc.strerror or exc}"
              + (" (the folder does not exist; create it first)"
                 if not Path(output).parent.exists() else ""), file=sys.stderr)
        return 2
    return 0


def print_anything() -> None:
    """Let stdout and stderr print any string: text that is not valid UTF-8 (file names kept
    as lone surrogates) comes out as escapes, never as a crash."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
