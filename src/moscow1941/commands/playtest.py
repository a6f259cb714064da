"""`moscow1941 playtest [STORY_DIR]`: automated plays of a story (random, exhaustive,
historical) and replays of recorded plays and expected transcripts."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moscow1941.story import Story

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
    parser.add_argument("--lang", metavar="LANG",
                        help="play the story's translation into LANG (STORY/LANG/...), and fail "
                             "if a scene the plays reach shows English that is not translated")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from moscow1941.authoring import playtest, replay
    from moscow1941.commands import campaign_or_say, story_or_say

    lang = args.lang if args.lang and args.lang != "en" else None
    story = story_or_say(args.story)
    if story is None:
        return 2
    untranslated: list[str] = []
    if lang is not None:
        from moscow1941 import i18n
        from moscow1941.story import translation

        if not translation.LANGUAGE_CODE.fullmatch(lang):
            print(f"'{lang}' is not a language code (two or three lower-case letters, such "
                  "as de or ar)", file=sys.stderr)
            return 2
        i18n.set_language(lang)
        done = translation.translate_story(story, lang)
        story, untranslated = done.story, done.coverage.untranslated
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
    english_left: list[str] = []
    if lang is not None:
        reached = _reached(story, reports)
        english_left = [k for k in untranslated if k.split(".", 1)[0] in reached]
        ok = ok and not english_left
    if args.format == "json":
        data = [r.to_json() for r in reports]
        if lang is not None:
            for d in data:
                d["language"] = {"code": lang, "untranslated_reached": english_left}
        json.dump(data[0] if len(data) == 1 else data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for r in reports:
            sys.stdout.write(r.text())
        if lang is not None:
            if english_left:
                shown = ", ".join(english_left[:20]) + (" ..." if len(english_left) > 20 else "")
                print(f"in {lang}: {len(english_left)} strings of the scenes reached are not "
                      f"translated (run 'moscow1941 check --lang {lang}'): {shown}")
            else:
                print(f"in {lang}: every scene reached is translated")
    return 0 if ok else 1


def _reached(story: Story, reports: list[Any]) -> set[str]:
    """The nodes the plays of `reports` reached (for a replay, every node: it names none)."""
    from moscow1941.authoring.playtest import ExhaustiveReport, RandomReport

    reached: set[str] = set()
    for r in reports:
        if isinstance(r, ExhaustiveReport):
            for c in r.campaigns:
                reached |= c.nodes_reached
        elif isinstance(r, RandomReport):
            missed = set().union(*(c.nodes_missed for c in r.campaigns))
            reached |= set(story.nodes) - missed
        else:
            reached |= set(story.nodes)
    return reached
