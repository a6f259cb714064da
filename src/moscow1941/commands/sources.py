"""`moscow1941 sources [STORY_DIR] [-o FILE] [--check]`: every work the story cites, grouped by
work, with the notes that cite it and the citations that look unfindable (docs/sources.md)."""

from __future__ import annotations

import argparse

HELP = "list every work the story cites (docs/sources.md), and the citations that look unfindable"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", help="the story folder (default: the shipped story)")
    parser.add_argument("--output", "-o", metavar="FILE",
                        help="write to FILE instead of stdout (the repository keeps "
                             "docs/sources.md)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if FILE (-o) differs from what the story "
                             "gives, so CI catches a list that was not regenerated")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from moscow1941.authoring.sources import sources_markdown
    from moscow1941.commands import story_or_say

    if args.check and not args.output:
        print("moscow1941 sources: --check needs -o FILE, the file to compare", file=sys.stderr)
        return 2
    story = story_or_say(args.story)
    if story is None:
        return 2
    text = sources_markdown(story)
    if args.check:
        path = Path(args.output)
        again = " ".join(["moscow1941 sources", *([args.story] if args.story else []),
                          "-o", str(path)])
        try:
            old = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            print(f"{path}: cannot be read ({why}); run '{again}'", file=sys.stderr)
            return 1
        if old != text:
            import difflib
            diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(),
                                             f"{path} (on disk)", f"{path} (from the story)",
                                             lineterm="", n=1))
            shown = diff[:40]
            print("\n".join(shown), file=sys.stderr)
            if len(diff) > len(shown):
                print(f"... ({len(diff) - len(shown)} more lines of difference)", file=sys.stderr)
            print(f"{path} is out of date: run '{again}'", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0
