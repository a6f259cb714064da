"""`moscow1941 serve --face web`: the web face of one class, in this process, until Ctrl+C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from moscow1941.i18n import _

if TYPE_CHECKING:
    from moscow1941.web.face import Face

DB_FILE = "school.sqlite3"
_WORDS = "abcdefghijkmnpqrstuvwxyz23456789"


def default_db_url(saves_root: Path) -> str:
    """The SQLite file the school's store is in when `--db` is not given."""
    return str(Path(saves_root) / DB_FILE)


def new_password() -> str:
    """A teacher's password that is easy to read off a screen: three groups of four."""
    return "-".join("".join(secrets.choice(_WORDS) for _ in range(4)) for _ in range(3))


def read_password(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            line = f.readline(1000).strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(_("--password-file: {file} cannot be read ({reason}).").format(
            file=path, reason=getattr(exc, "strerror", None) or exc)) from None
    if len(line) < 8:
        raise SystemExit(_("--password-file: the password in {file} needs at least 8 "
                           "characters.").format(file=path))
    return line


def run_web(args: argparse.Namespace, label: str, story_root: str, saves_root: Path) -> int:
    from moscow1941 import i18n
    from moscow1941.commands.serve import LOCAL_HOSTS, student_url
    from moscow1941.store import Store, StoreError, redact
    from moscow1941.story import load_story
    from moscow1941.web.face import Face

    stories = {}
    for lang in i18n.LANGUAGES:
        loaded = load_story(story_root, lang).story
        if loaded is not None:
            stories[lang] = loaded
    url_db = args.db or default_db_url(saves_root)
    try:
        password = read_password(args.password_file) if args.password_file else None
        store = Store(url_db)
        row = store.class_named(label)
        shown_password = None
        if row is None:
            shown_password = password or new_password()
            row = store.create_class(label, shown_password, language=args.lang or i18n.language(),
                                     signup=True)
            if password:
                shown_password = None
        elif password:
            store.set_teacher_password(row.id, password)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    url, warning = student_url(args.host, args.port, args.public_url)
    lines = [_("Moscow 1941 is being served to class {label}.").format(label=row.name),
             _("Students open: {url}").format(url=f"{url}/"),
             _("Class code: {code}").format(code=row.code),
             _("Teacher's dashboard: {url}").format(url=f"{url}/teacher")]
    if shown_password:
        lines.append(_("Teacher's password (shown only this once): {password}").format(
            password=shown_password))
    lines.append(_("Database: {where}").format(where=redact(url_db)))
    if args.host in LOCAL_HOSTS and not args.public_url:
        lines.append(_("Only this computer can connect. To let the class connect, add "
                       "--host 0.0.0.0"))
    if warning:
        lines.append(warning)
    lines.append(_("Press Ctrl+C to stop."))
    face = Face(store, row, stories, public_url=args.public_url)
    try:
        asyncio.run(_serve(face, args.host, args.port, "\n".join(lines)))
    except OSError as exc:
        print(_("Cannot listen on {host} port {port}: {reason}. Is another server using it? "
                "Choose another with --port.").format(host=args.host, port=args.port,
                                                      reason=exc.strerror or exc),
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return 0


async def _serve(face: Face, host: str, port: int, greeting: str) -> None:
    """Listen, then say so (the greeting is printed only once students can connect), and
    serve until SIGTERM or Ctrl+C; requests under way are given two seconds to finish."""
    from aiohttp import web

    runner = web.AppRunner(face.application(), access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        print(greeting, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
