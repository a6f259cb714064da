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


def story_or_say(root: str | None) -> Story | None:
    """The story in `root` (default: the shipped story); or None, after printing its
    diagnostics and a line that says how to see them again on stderr."""
    import sys

    from moscow1941.paths import default_story_dir
    from moscow1941.story import load_story

    where = root or str(default_story_dir())
    result = load_story(where)
    if result.story is None:
        for d in result.diagnostics:
            print(d.format(), file=sys.stderr)
        print(f"{where}: the story has errors; run 'moscow1941 check {where}'", file=sys.stderr)
    return result.story
