"""`moscow1941 playtest [STORY_DIR]`: automated plays of a story (random, exhaustive,
historical) and replays of recorded plays and expected transcripts."""

from __future__ import annotations

import argparse

HELP = "play a story automatically: random, exhaustive, historical, or replay a transcript"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", help="the story folder (default: the shipped story)")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--random", type=int, metavar="N",
                      help="N random plays of each campaign")
    mode.add_argument("--exhaustive", action="store_true",
                      help="every choice from every reachable state")
    mode.add_argument("--historical", action="store_true",
                      help="the historical choice at every decision; fails unless it ends in a "
                           "historical ending with zero divergence")
    mode.add_argument("--replay", metavar="FILE", nargs="+",
                      help="replay save files, recorded paths or expected transcripts")
    parser.add_argument("--seed", type=int, default=0, help="seed for --random (default 0)")
    parser.add_argument("--max-states", type=int, default=100_000, metavar="K",
                        help="state cap for --exhaustive (default 100000)")
    parser.add_argument("--campaign", help="only this campaign")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people, json for tools")


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from typing import Any

    from moscow1941.authoring import playtest, replay
    from moscow1941.commands import campaign_or_say, story_or_say

    story = story_or_say(args.story)
    if story is None:
        return 2
    if not campaign_or_say(story, args.campaign):
        return 2
    reports: list[Any] = []  # each has ok, text() and to_json()
    if args.random is not None:
        if args.random < 1:
            print("--random needs a number of plays from 1", file=sys.stderr)
            return 2
        reports.append(playtest.random_playtest(story, args.random, args.seed, args.campaign))
    elif args.exhaustive:
        reports.append(playtest.exhaustive_playtest(story, max(args.max_states, 1),
                                                    args.campaign))
    elif args.historical:
        reports.append(playtest.historical_playtest(story, args.campaign))
    else:
        for name in args.replay:
            try:
                walkthrough = replay.read_walkthrough(name)
            except replay.WalkthroughError as exc:
                print(f"{name}: {exc}", file=sys.stderr)
                return 2
            reports.append(replay.replay(story, walkthrough, name))
    ok = all(r.ok for r in reports)
    if args.format == "json":
        data = [r.to_json() for r in reports]
        json.dump(data[0] if len(data) == 1 else data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for r in reports:
            sys.stdout.write(r.text())
    return 0 if ok else 1
