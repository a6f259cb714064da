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

    from moscow1941.authoring.graph import to_dot, to_mermaid
    from moscow1941.commands import campaign_or_say, story_or_say, write_or_say

    story = story_or_say(args.story)
    if story is None:
        return 2
    if not campaign_or_say(story, args.campaign):
        return 2
    return write_or_say((to_dot if args.format == "dot" else to_mermaid)(story, args.campaign),
                        args.output)
