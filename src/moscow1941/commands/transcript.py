"""`moscow1941 transcript SAVE [--format md|html] [-o FILE]`: a save as a transcript to hand in;
`moscow1941 transcript --verify FILE`: check that a transcript is exactly what the game wrote.

For teachers who collect save files rather than transcripts, and for checking the transcripts
students hand in. See docs/teachers.md. `output_options` and `write_output` serve `report`
too.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from moscow1941.commands import add_lang_option, add_story_option

if TYPE_CHECKING:
    from pathlib import Path

    from moscow1941.story.model import Story

HELP = "write a save as a transcript to hand in (Markdown or printable HTML), or verify one"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("save", nargs="?", metavar="SAVE",
                        help="a save file (NAME.json) to write as a transcript")
    parser.add_argument("--verify", metavar="FILE",
                        help="check that FILE is a transcript exactly as the game wrote it")
    output_options(parser, ("md", "html"), "md (Markdown, also plain text) or html (one "
                   "printable page); default: html when -o names a .html file, else md")


def output_options(parser: argparse.ArgumentParser, formats: tuple[str, ...], about: str) -> None:
    """--format (`about` says what each is), -o/--output, --story and --lang."""
    parser.add_argument("--format", choices=formats, help=about)
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write to FILE (default: standard output)")
    add_story_option(parser)
    add_lang_option(parser, "the language to write in (a transcript is checked in the language "
                            "it was written in)")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from moscow1941.commands import set_language, story_or_say
    from moscow1941.i18n import _

    language = set_language(getattr(args, "lang", None))
    if (args.save is None) == (args.verify is None):
        print(_("Give a save file to write as a transcript, or --verify FILE to check one "
                "(see 'moscow1941 transcript --help')."), file=sys.stderr)
        return 2
    if args.verify is not None and (args.format is not None or args.output is not None):
        print(_("--verify takes only the transcript (and --story); it writes nothing."),
              file=sys.stderr)
        return 2
    story = story_or_say(args.story, language)
    if story is None:
        return 2
    if args.verify is not None:
        return _verify(Path(args.verify), story)
    return _write(Path(args.save), story, args.format, args.output)


def _write(path: Path, story: Story, fmt: str | None, output: str | None) -> int:
    import sys
    from pathlib import Path

    from moscow1941.classroom import transcript
    from moscow1941.engine.saves import SUFFIX, SaveError, SaveStore
    from moscow1941.i18n import _

    if not path.is_file():
        print(_("{path}: there is no such file. Give the path of a save file (NAME{suffix}); "
                "'moscow1941 saves where' shows where saves are kept.").format(
            path=path, suffix=SUFFIX), file=sys.stderr)
        return 1
    not_a_save = _("{path}: this is not a save file; saves are files called NAME{suffix}, where "
                   "NAME has at least one letter or digit and does not start with a dot.").format(
        path=path, suffix=SUFFIX)
    if path.suffix != SUFFIX or path.name.startswith("."):
        print(not_a_save, file=sys.stderr)
        return 1
    try:
        restored = SaveStore(path.parent, story).load(path.stem)
        same = restored.info.path.samefile(path)
    except (SaveError, OSError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    if not same:  # the name was not a save's name, and another file answered to it
        print(not_a_save, file=sys.stderr)
        return 1
    for change in restored.changes:
        print(f"{path}: {change}", file=sys.stderr)
    if fmt is None:
        fmt = "html" if output and Path(output).suffix.lower() in (".html", ".htm") else "md"
    made = transcript.build(restored.game, restored.player,
                            (restored.info.started or restored.info.created, restored.info.updated))
    return write_output(transcript.render(made, fmt), output)


def _verify(path: Path, story: Story) -> int:
    import sys

    from moscow1941.classroom import transcript
    from moscow1941.i18n import _

    try:
        with open(path, "rb") as f:
            raw = f.read(transcript.MAX_FILE + 1)
    except OSError as exc:
        print(_("{path}: the file cannot be read ({reason}).").format(
            path=path, reason=exc.strerror or exc), file=sys.stderr)
        return 1
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        print(_("{path}: This file is not UTF-8 text, so it is not a transcript the game "
                "wrote.").format(path=path))
        return 1
    result = transcript.verify(text, story)
    print(f"{path}: {result.message}")
    return 0 if result.ok else 1


def write_output(text: str, output: str | None) -> int:
    """Write `text` to the file `output` (atomically), or to standard output as UTF-8 bytes
    exactly (no newline translation, so a transcript piped to a file still verifies)."""
    import sys
    from pathlib import Path

    from moscow1941.files import write_atomic
    from moscow1941.i18n import _

    data = text.encode("utf-8", "surrogatepass")
    if output is None:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(text)
        else:
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
        return 0
    target = Path(output)
    try:
        write_atomic(target, data)
    except OSError as exc:
        print(_("{path}: the file cannot be written ({reason}).").format(
            path=target, reason=exc.strerror or exc), file=sys.stderr)
        return 1
    print(_("Written to {path}.").format(path=target), file=sys.stderr)
    return 0
