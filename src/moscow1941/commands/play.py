"""`moscow1941 play`: play the game (the default subcommand)."""

from __future__ import annotations

import argparse

HELP = "play Moscow 1941 (the default)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--story", help="the story folder (default: the shipped story)")
    parser.add_argument("--campaign", help="start this campaign at once")
    parser.add_argument("--seed", type=int, default=0, help="seed for anything random")
    parser.add_argument("--plain", action="store_true",
                        help="line-based text, for screen readers and pipes")


def run(args: argparse.Namespace) -> int:
    import sys

    from moscow1941.paths import default_story_dir
    from moscow1941.plain import run_plain
    from moscow1941.story import load_story

    root = args.story or str(default_story_dir())
    result = load_story(root)
    if result.story is None:
        for d in result.diagnostics:
            print(d.format(), file=sys.stderr)
        print(f"{root}: the story has errors; run 'moscow1941 check {root}'", file=sys.stderr)
        return 1
    story = result.story
    campaign = args.campaign
    if campaign is None:
        if len(story.campaigns) == 1:
            campaign = next(iter(story.campaigns))
        else:
            print("Campaigns:")
            ids = list(story.campaigns)
            for n, cid in enumerate(ids, 1):
                c = story.campaigns[cid]
                print(f"{n}. {c.title} ({c.role})" if c.role else f"{n}. {c.title}")
            line = sys.stdin.readline().strip()
            if not line.isdigit() or not 1 <= int(line) <= len(ids):
                print("No campaign chosen.")
                return 0
            campaign = ids[int(line) - 1]
    if campaign not in story.campaigns:
        print(f"No campaign '{campaign}'. This story has: {', '.join(story.campaigns)}",
              file=sys.stderr)
        return 2
    return run_plain(story, campaign, args.seed, sys.stdin, sys.stdout)
