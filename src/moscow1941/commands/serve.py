"""`moscow1941 serve`: serve the game to a class's browsers.

By default (`--face web`) the game is web pages (`moscow1941.web.face`): one server process
holds the engine and the stories of every language, keeps the class in the school's database
(`--db`: a SQLite file in the saves folder unless a PostgreSQL address is given), and serves
the teacher's dashboard at /teacher (`moscow1941.web.dashboard`). The first time a class is
served it is created in the database with a class code and a teacher's password, both printed.

With `--face terminal` the game is the Textual app in a terminal drawn in the page
(textual-serve): each browser session runs its own game process in classroom mode: the
student signs in with a name and a secret word, and plays with saves in
SAVES/<class>/<student>/ only. On Unix a session launcher (`moscow1941.web.zygote`) imports
the game and loads the story once and forks each session's game from it, so a whole class can
open the page at once; elsewhere, or when it cannot start, each session starts
`python -m moscow1941 play --class-dir DIR`. The server listens on 127.0.0.1 (this computer
only) unless `--host` says otherwise. textual-serve is imported only when the command runs.
"""

from __future__ import annotations

import argparse

from moscow1941.commands import add_lang_option, add_story_option

HELP = "serve the game to a class's web browsers"

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ANY_HOSTS = frozenset({"0.0.0.0", "::", ""})


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on: 127.0.0.1 (the default) lets only this "
                             "computer connect; 0.0.0.0 lets every computer on its networks "
                             "connect (the classroom), or give one of its addresses")
    parser.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    parser.add_argument("--class", dest="class_name", default="class", metavar="NAME",
                        help="the class (default: class); its games go to the school's "
                             "database (--face terminal: to SAVES/<class>/<student>/)")
    parser.add_argument("--saves", metavar="DIR",
                        help="the saves folder (default: $MOSCOW1941_SAVES, ./saves if it "
                             "exists, else your user data folder)")
    add_story_option(parser)
    parser.add_argument("--public-url", metavar="URL",
                        help="the address students open, when it is not this computer's own "
                             "(behind a proxy, say): pages then connect back to it")
    add_lang_option(parser, "the class's language (each student can pick another when "
                            "signing in)")
    parser.add_argument("--max-sessions", type=int, default=60, metavar="N",
                        help="--face terminal: refuse more than N sessions at once (default: "
                             "60; each takes 30 to 50 MB of memory)")
    parser.add_argument("--face", choices=("web", "terminal"), default="web",
                        help="web (the default): the game as web pages, games kept in the "
                             "school's database, with the teacher's dashboard at /teacher; "
                             "terminal: the terminal game itself drawn in the page, saves in "
                             "SAVES/<class>/<student>/")
    parser.add_argument("--db", metavar="URL",
                        help="the school's database (web face): a SQLite file (default: "
                             "SAVES/school.sqlite3) or postgresql://user@host/dbname")
    parser.add_argument("--password-file", metavar="FILE",
                        help="web face: set the teacher's password of the class to the first "
                             "line of FILE (default: keep it; a new class gets a password "
                             "that is printed once)")
    parser.add_argument("--no-prefork", action="store_true", help=argparse.SUPPRESS)


def lan_address() -> str | None:
    """This computer's address on its network (the one its default route leaves from), or
    None when it has none but the loopback."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: a UDP connect sends nothing
            address = str(probe.getsockname()[0])
        if not address.startswith(("127.", "0.")):
            return address
    except OSError:
        pass
    try:
        address = socket.gethostbyname(socket.gethostname())
    except OSError:
        return None
    return None if address.startswith(("127.", "0.")) else address


def student_url(host: str, port: int, public_url: str | None) -> tuple[str, str | None]:
    """The address students open (no trailing '/'), and a warning to print, if any."""
    if public_url:
        return public_url.rstrip("/"), None
    warning = None
    if host in ANY_HOSTS:
        address = lan_address()
        if address is None:
            address = "127.0.0.1"
            from moscow1941.i18n import _

            warning = _("This computer seems to have no network address but its own; give "
                        "the address students should open with --public-url.")
    else:
        address = host
    if ":" in address and not address.startswith("["):
        address = f"[{address}]"
    return (f"http://{address}" if port == 80 else f"http://{address}:{port}"), warning


def session_argv(class_dir: str, class_label: str, story: str,
                 language: str | None = None) -> list[str]:
    """The game process of one browser session, when there is no session launcher."""
    import sys

    return [sys.executable, "-m", "moscow1941", "play", "--class-dir", class_dir,
            "--class-label", class_label, "--story", story,
            *(["--lang", language] if language else [])]


def session_command(class_dir: str, class_label: str, story: str,
                    language: str | None = None) -> str:
    """The shell command textual-serve runs for each browser session, when there is no
    session launcher (on POSIX the shell `exec`s it, so stopping the session's process stops
    the game, not only a shell)."""
    import os
    import shlex
    import subprocess

    argv = session_argv(class_dir, class_label, story, language)
    return subprocess.list2cmdline(argv) if os.name == "nt" else "exec " + shlex.join(argv)


def run(args: argparse.Namespace) -> int:
    import os
    import sys
    from pathlib import Path

    from moscow1941.classroom.students import StudentError, class_folder, clean_name
    from moscow1941.commands import set_language, story_or_say
    from moscow1941.engine.saves import resolve_saves_dir
    from moscow1941.i18n import _
    from moscow1941.paths import default_story_dir

    set_language(args.lang)  # the teacher reads this terminal in the class's language
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        print("--public-url must start with http:// or https://", file=sys.stderr)
        return 2
    if not 0 < args.port < 65536 or args.max_sessions < 1:
        print("--port must be 1 to 65535, and --max-sessions at least 1", file=sys.stderr)
        return 2
    try:
        label = clean_name(args.class_name, "class name")
        class_dir = class_folder(resolve_saves_dir(args.saves), label).absolute()
        class_dir.mkdir(parents=True, exist_ok=True)
    except StudentError as exc:
        print(f"--class: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(_("The saves folder cannot be made: {reason}").format(reason=exc), file=sys.stderr)
        return 1
    story = str(Path(args.story or default_story_dir()).absolute())
    if story_or_say(story) is None:  # checked here, so a broken story never reaches a class
        return 1
    if args.face == "web":
        from moscow1941.web.run import run_web

        return run_web(args, label, story, resolve_saves_dir(args.saves))

    url, warning = student_url(args.host, args.port, args.public_url)
    greeting = [_("Moscow 1941 is being served to class {label}.").format(label=label),
                _("Students open: {url}").format(url=f"{url}/"),
                _("  (larger text: {url})").format(url=f"{url}/?fontsize=20"),
                _("Saves: {folder}").format(folder=f"{class_dir}{os.sep}<student>{os.sep}")]
    if args.host in LOCAL_HOSTS and not args.public_url:
        greeting.append(_("Only this computer can connect. To let the class connect, add "
                          "--host 0.0.0.0"))
    if warning:
        greeting.append(warning)
    greeting.append(_("Press Ctrl+C to stop."))

    from moscow1941.web.launcher import Launcher
    from moscow1941.web.server import ClassroomServer

    # Unix: one launcher process imports the game and loads the story once, and forks a game
    # for each session; elsewhere, or when it cannot start, each session starts its own.
    launcher = None if args.no_prefork else Launcher.start(
        str(class_dir), label, story, args.max_sessions,
        session_argv(str(class_dir), label, story, args.lang), language=args.lang)
    command = launcher.command if launcher else session_command(str(class_dir), label, story,
                                                                args.lang)
    server = ClassroomServer(command, host=args.host, port=args.port, url=url,
                             fixed_url=bool(args.public_url),
                             max_sessions=args.max_sessions, greeting=greeting)
    try:
        server.serve()
    except OSError as exc:
        print(_("Cannot listen on {host} port {port}: {reason}. Is another server using it? "
                "Choose another with --port.").format(host=args.host, port=args.port,
                                                      reason=exc.strerror or exc),
              file=sys.stderr)
        return 1
    finally:
        if launcher is not None:
            launcher.stop()
    return 0
