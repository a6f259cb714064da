"""`moscow1941 new DIR [--title TITLE]`: start a new story from a small, commented example."""

from __future__ import annotations

import argparse

HELP = "create a new story folder: a small commented story that passes check"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="the folder to create (must not exist, or be empty)")
    parser.add_argument("--title", help="the story's title (default: from the folder's name)")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from moscow1941.authoring.scaffold import ScaffoldError, scaffold
    from moscow1941.commands import set_language
    from moscow1941.i18n import _

    set_language(None)

    folder = Path(args.folder)
    try:
        written = scaffold(folder, args.title)
    except (ScaffoldError, OSError) as exc:
        print(f"moscow1941 new: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(_("wrote {path}").format(path=path))
    print("\n" + _("Next: {check}   then   {play}").format(
        check=f"moscow1941 check {folder}", play=f"moscow1941 play --story {folder}"))
    return 0
