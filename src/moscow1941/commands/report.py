"""`moscow1941 report SAVES_DIR... [--format md|csv] [-o FILE]`: how a class's games split.

Reads class folders (one subfolder per student) or folders of save files collected by hand, and
writes the class report: decision by decision, the endings, divergence per student and for the
class, who has not finished, the three decisions that divided the class most with a question to
discuss, and the files that could not be read. See docs/teachers.md.
"""

from __future__ import annotations

import argparse

HELP = "the class report: how the students' games split, from folders of saves (md or csv)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folders", nargs="+", metavar="SAVES_DIR",
                        help="a class folder (one subfolder per student) or a folder of save "
                             "files; give several to report on them together")
    from moscow1941.commands.transcript import output_options

    output_options(parser, ("md", "csv"), "md (Markdown, also plain text) or csv (one row per "
                   "student and campaign); default: csv when -o names a .csv file, else md")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from moscow1941.classroom import report
    from moscow1941.commands import set_language, story_or_say
    from moscow1941.commands.transcript import write_output
    from moscow1941.i18n import ngettext

    # The report is in the teacher's language (the story's words too); the students' saves
    # are read whatever language each played in (a decision is its node and choice).
    language = set_language(getattr(args, "lang", None))
    story = story_or_say(args.story, language)
    if story is None:
        return 2
    try:
        found = report.collect([Path(f) for f in args.folders], story)
    except report.ReportError as exc:
        print(exc, file=sys.stderr)
        return 2
    fmt = args.format
    if fmt is None:
        fmt = "csv" if args.output and Path(args.output).suffix.lower() == ".csv" else "md"
    if found.problems and fmt == "csv":  # the spreadsheet has no place for them
        for problem in found.problems:
            print(f"{problem.path}: {problem.reason}", file=sys.stderr)
    elif found.problems:
        print(ngettext("{n} file could not be read; the report lists them at the end.",
                       "{n} files could not be read; the report lists them at the end.",
                       len(found.problems)).format(n=len(found.problems)), file=sys.stderr)
    return write_output(report.render(found, fmt), args.output)
