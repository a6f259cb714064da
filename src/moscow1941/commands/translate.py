"""`moscow1941 translate [STORY_DIR] --lang LANG`: write or update a story's translation files."""

from __future__ import annotations

import argparse

HELP = "write or update the translation files of a story (STORY/LANG/...), as msgmerge does"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", help="the story folder (default: the shipped story)")
    parser.add_argument("--lang", required=True, metavar="LANG",
                        help="the language code of the translation, e.g. de or ar")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would change, and write nothing")


def run(args: argparse.Namespace) -> int:
    import sys

    from moscow1941.commands import print_anything, story_or_say
    from moscow1941.story import translation

    print_anything()
    if not translation.LANGUAGE_CODE.fullmatch(args.lang) or args.lang == "en":
        print(f"'{args.lang}' is not a language code for a translation: write two or three "
              "lower-case letters (de, ar), optionally with a region (pt_BR); English is the "
              "story itself", file=sys.stderr)
        return 2
    story = story_or_say(args.story)
    if story is None:
        return 1
    try:
        update, diags = translation.update_files(story, args.lang, write=not args.dry_run)
    except OSError as exc:
        print(f"cannot write the translation: {exc.strerror or exc} ({exc.filename})",
              file=sys.stderr)
        return 2
    for d in diags:
        if d.code in ("W600", "W605"):
            print(d.format())
    folder = translation.translation_dir(story.root, args.lang)
    verb = "would write" if args.dry_run else "wrote"
    print(f"{folder}: {verb} {len(update.files)} files: {update.added:,} new entries, "
          f"{update.kept:,} kept, {update.changed:,} changed in English (marked stale), "
          f"{update.moved:,} moved with their English, {update.dropped:,} dropped"
          + (f"; {len(update.removed)} files of story files that are gone removed"
             if update.removed else ""))
    if not args.dry_run:
        result = translation.translate_story(story, args.lang)
        print(translation.coverage_line(result.coverage))
    return 0
