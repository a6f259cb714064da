"""`moscow1941 db [classes | import FOLDER --class NAME | export --class NAME FOLDER]`: the
school's database, from the terminal.

`classes` lists the classes with their codes and how many students each has; `import` brings a
class folder of terminal saves (or a folder of save files) into a class of the database, the
students keeping their secret words; `export` writes a class back as a class folder that
`moscow1941 report` and `serve --class` read. The database is `--db URL` (a file path or
`sqlite:///PATH`, or a `postgresql://` address), by default `school.sqlite3` in the saves root,
the file the web face uses. See docs/store.md.

Exit status: 0 when everything was carried over, 1 when some files or students could not be
(each is listed on stderr with the reason), 2 when nothing could be done (no such class or
folder, a database that cannot be opened, a story with errors).
"""

from __future__ import annotations

import argparse

from moscow1941.commands import add_lang_option, add_story_option

HELP = "the school's database: list its classes, import terminal saves into it, export a class"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", dest="db_here",
                        help="the database: a file path or sqlite:///PATH, or a postgresql:// "
                             "address (default: school.sqlite3 in the saves folder)")
    parser.add_argument("--saves", metavar="DIR", dest="saves_here",
                        help="the saves folder whose school.sqlite3 is the default database "
                             "(default: $MOSCOW1941_SAVES, ./saves, or the per-user data folder)")
    add_story_option(parser)
    add_lang_option(parser, "the language to speak")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--saves", metavar="DIR", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("classes", help="list the classes, their codes and student counts",
                             description="List the classes, their codes and student counts.")
    _common(listing)
    importing = sub.add_parser("import", help="import a class folder of saves into a class",
                               description="Import a class folder made by 'serve --class' "
                                           "(one subfolder per student) or a folder of save "
                                           "files into a class of the database. Importing "
                                           "again adds nothing twice.")
    importing.add_argument("folder", metavar="FOLDER", help="the class folder (for example saves/7b)")
    importing.add_argument("--class", dest="class_name", metavar="NAME", required=True,
                           help="the class in the database (create it in the web face first)")
    _common(importing)
    exporting = sub.add_parser("export", help="write a class as a class folder of saves",
                               description="Write a class's students and games as a class "
                                           "folder (one subfolder per student, with their "
                                           "sign-in records), which 'moscow1941 report' and "
                                           "'serve --class' read. Nothing there is replaced.")
    exporting.add_argument("--class", dest="class_name", metavar="NAME", required=True,
                           help="the class in the database")
    exporting.add_argument("folder", metavar="FOLDER",
                           help="the class folder to write (for example saves/7b; made if missing)")
    _common(exporting)


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from moscow1941.commands import print_anything, set_language, story_or_say
    from moscow1941.i18n import _, ngettext
    from moscow1941.store import Store, StoreError, default_db_url, redact
    from moscow1941.store.transfer import TransferError, export_class, import_folder

    set_language(getattr(args, "lang", None))
    print_anything()
    url = args.db_here or args.db or default_db_url(args.saves_here or args.saves)
    try:
        store = Store(url)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 2
    with store:
        if args.action == "classes":
            classes = store.classes()
            if not classes:
                print(_("There are no classes in {db} yet.").format(db=redact(url)))
                return 0
            for row in classes:
                count = len(store.students(row.id))
                print(ngettext("{code}  {name}  ({n} student)", "{code}  {name}  ({n} students)",
                               count).format(code=row.code, name=row.name, n=count))
            return 0
        klass = store.class_named(args.class_name)
        if klass is None:
            known = ", ".join(c.name for c in store.classes())
            print((_("There is no class called ‘{name}’ in {db}; its classes are: {known}.")
                   if known else _("There is no class called ‘{name}’ in {db}; create it in the "
                                   "web face first.")).format(
                name=args.class_name, db=redact(url), known=known), file=sys.stderr)
            return 2
        # The story as written (English): the store keeps scene titles as the story wrote them,
        # and a face shows them in its reader's language.
        story = story_or_say(args.story)
        if story is None:
            return 2
        folder = Path(args.folder)
        try:
            if args.action == "import":
                done = import_folder(store, klass, folder, story)
                print(ngettext("Imported {n} game into {cls}.", "Imported {n} games into {cls}.",
                               done.games).format(n=done.games, cls=klass.name))
                if done.skipped:
                    print(ngettext("{n} game was in the database already and was skipped.",
                                   "{n} games were in the database already and were skipped.",
                                   done.skipped).format(n=done.skipped))
                print(_("New students: {added}; already in the class: {found}; secret words "
                        "carried over: {words}.").format(added=len(done.added), found=len(done.found),
                                                         words=done.words))
                problems = done.problems
            else:
                written = export_class(store, klass, folder, story)
                print(ngettext("Wrote {n} game of {cls} to {folder}.",
                               "Wrote {n} games of {cls} to {folder}.", written.games).format(
                    n=written.games, cls=klass.name, folder=folder))
                if written.skipped:
                    print(ngettext("{n} game was in the folder already and was not written again.",
                                   "{n} games were in the folder already and were not written again.",
                                   written.skipped).format(n=written.skipped))
                print(_("Students' folders: {students}; sign-in records written: {claims}.").format(
                    students=len(written.students), claims=written.claims))
                problems = written.problems
        except (TransferError, StoreError) as exc:
            print(exc, file=sys.stderr)
            return 2
    if problems:
        print(ngettext("{n} file or student could not be carried over:",
                       "{n} files or students could not be carried over:", len(problems)).format(
            n=len(problems)), file=sys.stderr)
        for problem in problems:
            print(f"  {problem.path}: {problem.reason}", file=sys.stderr)
        return 1
    return 0
