"""`moscow1941 graph [STORY_DIR] --format dot|mermaid [--campaign ID]`: the story map."""

from __future__ import annotations

import argparse

HELP = "draw the story map (Graphviz DOT or Mermaid): chapters, choices, the historical path"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", help="the story folder (default: the shipped story)")
    parser.add_argument("--format", choices=("dot", "mermaid"), default="dot",
                        help="dot for Graphviz (default), mermaid for Markdown and GitHub")
    parser.add_argument("--campaign", help="only the nodes this campaign can reach")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from moscow1941.authoring.graph import to_dot, to_mermaid
    from moscow1941.commands import story_or_say

    story = story_or_say(args.story)
    if story is None:
        return 2
    if args.campaign is not None and args.campaign not in story.campaigns:
        print(f"no campaign '{args.campaign}' (this story has: {', '.join(story.campaigns)})",
              file=sys.stderr)
        return 2
    text = (to_dot if args.format == "dot" else to_mermaid)(story, args.campaign)
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
