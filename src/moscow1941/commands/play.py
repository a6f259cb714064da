"""`moscow1941 play`: play the game (the default subcommand).

Without `--plain`, and when stdout is a terminal, the Textual interface runs; Textual is
imported only then, so plain mode and every other command start fast.

`--class-dir DIR` (hidden: `moscow1941 serve` gives it to every browser session it starts)
runs the interface in classroom mode: a sign-in screen first, then the student's own saves
in DIR/<student>/, with author mode off. It runs the interface even without a terminal, as
textual-serve talks to the game through pipes.
"""

from __future__ import annotations

import argparse

from moscow1941.commands import add_lang_option, add_story_option

HELP = "play Moscow 1941 (the default)"


def configure(parser: argparse.ArgumentParser) -> None:
    add_story_option(parser)
    parser.add_argument("--campaign", metavar="ID",
                        help="skip the title screen and start this campaign")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="seed for anything random")
    parser.add_argument("--saves", metavar="DIR",
                        help="where saved games live (default: $MOSCOW1941_SAVES, ./saves if it "
                             "exists, else your user data folder)")
    parser.add_argument("--author", action="store_true",
                        help="author mode: node ids on screen, a variable inspector (v), jump to "
                             "any node from the command palette, and live reload of the story")
    parser.add_argument("--plain", action="store_true",
                        help="line-based text with no escape codes, for screen readers, pipes "
                             "and slow links")
    add_lang_option(parser)
    parser.add_argument("--class-dir", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--class-label", metavar="NAME", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    import sys

    from moscow1941.commands import set_language
    from moscow1941.i18n import _
    from moscow1941.paths import default_story_dir

    root = args.story or str(default_story_dir())
    lang = getattr(args, "lang", None)
    if args.class_dir is not None:
        return run_classroom(root, args)
    if not args.plain and sys.stdout.isatty() and sys.stdin.isatty():
        from moscow1941.ui import run_app

        return run_app(root, campaign=args.campaign, seed=args.seed, saves=args.saves,
                       author=args.author, language=lang)
    set_language(lang)
    if args.author:
        print(_("(author mode needs the terminal interface; playing in plain text)"),
              file=sys.stderr)
    return run_plain_mode(root, args.campaign, args.seed, args.saves)


def run_classroom(root: str, args: argparse.Namespace) -> int:
    """Classroom mode: the Textual interface, signing a student in before anything else."""
    import sys

    if args.author or args.plain or args.saves is not None or args.campaign is not None:
        print("--class-dir cannot be used with --author, --plain, --saves or --campaign",
              file=sys.stderr)
        return 2
    from moscow1941.ui import run_classroom_app

    return run_classroom_app(root, args.class_dir, args.class_label, seed=args.seed,
                             language=getattr(args, "lang", None))


def run_plain_mode(root: str, campaign: str | None, seed: int, saves: str | None) -> int:
    """Load the story and its save store, then play in plain text on stdin/stdout."""
    import sys

    from moscow1941.commands import story_or_say
    from moscow1941.engine.saves import SaveError, SaveStore, resolve_saves_dir
    from moscow1941.i18n import _, language
    from moscow1941.plain import run_plain

    story = story_or_say(root, language())
    if story is None:
        return 1
    if campaign is not None and campaign not in story.campaigns:
        print(_("No campaign '{campaign}'. This story has: {campaigns}").format(
            campaign=campaign, campaigns=", ".join(story.campaigns)), file=sys.stderr)
        return 2
    try:
        store: SaveStore | None = SaveStore(resolve_saves_dir(saves), story)
    except (SaveError, OSError) as exc:
        print(_("(saving is off: {reason})").format(reason=exc), file=sys.stderr)
        store = None
    return run_plain(story, campaign, seed, sys.stdin, sys.stdout, store=store)
