"""`moscow1941 schema [--kind any|manifest|chapter] [--output FILE]`: the JSON Schema of the
story format, for editors (see docs/authoring.md)."""

from __future__ import annotations

import argparse

HELP = "print the JSON Schema of story files, for editors"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=("any", "manifest", "chapter"), default="any",
                        help="one schema for every file (default), or the manifest's or a "
                             "chapter file's alone")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from moscow1941.story.schema import story_schema

    text = json.dumps(story_schema(args.kind), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        # A missing folder is not created: it is more often a typo than a wish.
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"cannot write {args.output}: {exc.strerror or exc}"
                  + (" (the folder does not exist; create it first)"
                     if not Path(args.output).parent.exists() else ""), file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0
