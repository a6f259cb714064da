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

    from moscow1941.commands import write_or_say
    from moscow1941.story.schema import story_schema

    return write_or_say(json.dumps(story_schema(args.kind), indent=2, ensure_ascii=False) + "\n",
                        args.output)
