"""The session launcher ("zygote") of `moscow1941 serve`, Unix only: one process that imports
the interface and loads the story once, then forks a ready game for each browser session, so
a class opening the page at once does not start thirty interpreters that each import Textual
and load the story.

`web.launcher.Launcher.start` runs it (`python -m moscow1941.web.zygote SOCKET CLASS_DIR LABEL STORY MAX`)
with a Unix socket in a private temporary folder (0700, removed when it stops); the command
textual-serve runs for each session becomes `attach.py` (see there), which passes the
session's pipes and environment over that socket. For each connection the launcher forks a
child that takes the pipes as its standard input, output and error and the environment as its
own, and runs the game in classroom mode with the story already loaded; the launcher reports
the child's pid and exit status to the client, ends the child (SIGTERM, then SIGKILL) when the
client's connection closes, and reaps every child. It never runs an event loop of its own, so
every child starts from a process with no threads and no asyncio loop.

Everything read from the socket is untrusted: one line of JSON of at most `REQUEST_LIMIT`
bytes with exactly three file descriptors, only the known environment keys, and values that
must match what was imported (Textual reads its TEXTUAL_* settings when it is imported).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import selectors
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REQUEST_LIMIT = 16384
"""The most bytes a request may have."""
REQUEST_SECONDS = 10.0
"""How long a connection may take to send its request."""
GRACE_SECONDS = 2.5
"""How long a child has to end after SIGTERM before SIGKILL (a game told to stop ends itself
after `QUIT_SECONDS`; only one that cannot run at all, stopped or stuck, needs the SIGKILL)."""
SHUTDOWN_GRACE_SECONDS = 1.0
"""The same when the launcher itself stops (the server is stopping)."""
QUIT_SECONDS = 2
"""How long a game told to stop (SIGTERM) has to quit and write its pending autosave before
it ends anyway (SIGALRM)."""
MAX_PENDING = 64
"""Connections at most that have not sent their request yet."""
READY = b"ready\n"
FIXED_KEYS = ("TEXTUAL_DRIVER", "TEXTUAL_FPS", "TEXTUAL_COLOR_SYSTEM")
"""Read by Textual when it is imported: a session must ask for what the launcher imported."""
TEXT_KEYS = ("TERM_PROGRAM", "TERM_PROGRAM_VERSION", "MOSCOW1941_CLIENT_ADDRESS")
"""Short printable texts a session may set (the last: its browser's address, for the limit on
wrong secret words)."""
SIZE_KEYS = ("COLUMNS", "ROWS")


def serve_environment() -> dict[str, str]:
    """What textual-serve (`AppService._build_environment`) sets for every session, but the
    terminal size: the launcher starts with it, so Textual is imported as a session sees it."""
    from importlib.metadata import version

    return {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "TEXTUAL_FPS": "60",
            "TEXTUAL_COLOR_SYSTEM": "truecolor", "TERM_PROGRAM": "textual",
            "TERM_PROGRAM_VERSION": version("textual-serve")}


class RequestError(ValueError):
    """A request the launcher refuses."""


def session_environment(request: bytes, base: dict[str, str]) -> dict[str, str]:
    """The environment of the child for `request` (one line of JSON, newline included):
    `base` (the launcher's own) with the session's values. Raises RequestError."""
    try:
        message = json.loads(request.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RequestError("not JSON") from None
    if not isinstance(message, dict) or set(message) != {"env"} or \
            not isinstance(message["env"], dict):
        raise RequestError("expected {\"env\": {...}}")
    received: dict[str, Any] = message["env"]
    unknown = set(received) - set(FIXED_KEYS + TEXT_KEYS + SIZE_KEYS)
    if unknown:
        raise RequestError(f"unknown keys: {', '.join(sorted(unknown)[:5])}")
    env = dict(base)
    for key in SIZE_KEYS:
        value = received.get(key)
        if not (isinstance(value, str) and value.isdigit() and len(value) <= 4
                and 0 < int(value) <= 1000):
            raise RequestError(f"{key} must be a number from 1 to 1000")
        env[key] = value
    for key in FIXED_KEYS:
        if received.get(key) != base.get(key):
            raise RequestError(f"{key} must be {base.get(key)!r}")
    for key in TEXT_KEYS:
        value = received.get(key)
        if value is not None:
            if not (isinstance(value, str) and len(value) <= 64 and value.isprintable()):
                raise RequestError(f"{key} is not a short text")
            env[key] = value
    return env


@dataclass
class Connection:
    """A client: its request as read so far and the descriptors it passed, then its child."""

    sock: socket.socket
    opened: float
    data: bytearray = field(default_factory=bytearray)
    fds: list[int] = field(default_factory=list)
    pid: int | None = None

    def drop_fds(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.fds = []


@dataclass
class Session:
    """What the child of each session needs: the class and the loaded story."""

    class_dir: str
    class_label: str
    story_root: str
    story: Any
    #: The class's language (`serve --lang`; None: the environment's). Each student may pick
    #: another on the sign-in screen.
    language: str | None = None


def run_session(session: Session) -> int:
    """The game in classroom mode, as `moscow1941 play --class-dir` runs it
    (`moscow1941.ui.run_classroom_app`), with the story the launcher loaded. SIGTERM asks it
    to quit as a player would, so the autosave of the last choice is written; one that has
    not quit `QUIT_SECONDS` later ends anyway."""
    import threading

    from moscow1941.ui.app import Moscow1941App

    app = Moscow1941App(session.story_root, story=session.story,
                        classroom=Path(session.class_dir), class_label=session.class_label,
                        language=session.language)

    def ask_to_quit() -> None:
        with contextlib.suppress(Exception):  # not running yet, or already gone
            app.call_from_thread(app.exit)

    def stopped(_signum: int, _frame: object) -> None:
        signal.alarm(QUIT_SECONDS)
        threading.Thread(target=ask_to_quit, daemon=True).start()

    signal.signal(signal.SIGTERM, stopped)
    app.run()
    app.flush_autosaves()
    signal.alarm(0)
    return app.return_code or 0


class Zygote:
    """The launcher's loop; see the module docstring."""

    def __init__(self, path: str, session: Session, max_children: int) -> None:
        self.path = path
        self.session = session
        self.max_children = max_children
        self.base = dict(os.environ)
        self.selector = selectors.DefaultSelector()
        self.pending: dict[int, Connection] = {}
        """Connections without a child yet, by socket descriptor."""
        self.children: dict[int, Connection | None] = {}
        """Running children by pid, with their client's connection while it is open."""
        self.kill_at: dict[int, float] = {}
        """Children sent SIGTERM, and when SIGKILL follows."""
        self.stopping = False
        self.wake_r, self.wake_w = socket.socketpair()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)

    # ---- set-up ---------------------------------------------------------------------------
    def listen(self) -> None:
        for end in (self.wake_r, self.wake_w):
            end.setblocking(False)
        signal.set_wakeup_fd(self.wake_w.fileno(), warn_on_full_buffer=False)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when sessions end
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        old = os.umask(0o177)
        try:
            self.listener.bind(self.path)
        finally:
            os.umask(old)
        self.listener.listen(128)
        self.listener.setblocking(False)
        self.selector.register(self.listener, selectors.EVENT_READ, "listen")
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")
        with contextlib.suppress(ValueError):
            self.selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "parent")

    def _stop(self, *_: object) -> None:
        self.stopping = True

    # ---- the loop -------------------------------------------------------------------------
    def run(self) -> None:
        try:
            while not self.stopping:
                for key, _ in self.selector.select(self._timeout()):
                    if key.data == "listen":
                        self._accept()
                    elif key.data == "wake":
                        self._drain_wake()
                    elif key.data == "parent":
                        if not os.read(key.fd, 4096):
                            self.stopping = True  # the server is gone
                    elif isinstance(key.data, Connection):
                        self._readable(key.data)
                self._reap()
                self._expire()
        finally:
            self.shutdown()

    def _timeout(self) -> float:
        deadlines = list(self.kill_at.values()) + \
            [c.opened + REQUEST_SECONDS for c in self.pending.values()]
        if not deadlines:
            return 60.0
        return max(0.0, min(deadlines) - time.monotonic())

    def _drain_wake(self) -> None:
        with contextlib.suppress(OSError):
            while self.wake_r.recv(4096):
                pass

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    return
                raise
            if len(self.pending) >= MAX_PENDING or \
                    len(self.children) + len(self.pending) >= self.max_children:
                self._reply(sock, {"error": "too many sessions"})
                sock.close()
                continue
            sock.setblocking(False)
            connection = Connection(sock, time.monotonic())
            self.pending[sock.fileno()] = connection
            self.selector.register(sock, selectors.EVENT_READ, connection)

    def _readable(self, connection: Connection) -> None:
        if connection.pid is not None:
            try:
                data = connection.sock.recv(4096)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""
            if not data:  # the client is gone: so is its session
                self._close(connection)
                self.children[connection.pid] = None
                self._terminate(connection.pid)
            return
        try:
            data, fds, flags, _ = socket.recv_fds(connection.sock, REQUEST_LIMIT, 3)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data, fds, flags = b"", [], 0
        connection.fds.extend(fds)
        connection.data += data
        if not data:
            self._close(connection)
        elif flags & (socket.MSG_CTRUNC | socket.MSG_TRUNC) or len(connection.fds) > 3:
            self._refuse(connection, "too many file descriptors")
        elif len(connection.data) > REQUEST_LIMIT:
            self._refuse(connection, "the request is too long")
        elif b"\n" in connection.data[:-1]:
            self._refuse(connection, "one line only")
        elif connection.data.endswith(b"\n"):
            self._start(connection)

    def _start(self, connection: Connection) -> None:
        if len(connection.fds) != 3:
            self._refuse(connection, "expected standard input, output and error")
            return
        try:
            env = session_environment(bytes(connection.data), self.base)
        except RequestError as exc:
            self._refuse(connection, str(exc))
            return
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may reach a session
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        try:
            pid = os.fork()
        except OSError as exc:
            self._refuse(connection, f"cannot start: {exc.strerror}")
            return
        if pid == 0:
            self._child(connection, env)  # never returns
        connection.drop_fds()
        connection.pid = pid
        del self.pending[connection.sock.fileno()]
        self.children[pid] = connection
        self._reply(connection.sock, {"pid": pid})

    def _child(self, connection: Connection, env: dict[str, str]) -> None:
        """In the child: become the session's game, then exit with its status."""
        status = 1
        try:
            signal.set_wakeup_fd(-1)
            for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            fds = connection.fds
            self.selector.close()
            for other in self.pending.values():
                if other is not connection:
                    other.drop_fds()
                other.sock.close()
            for client in self.children.values():
                if client is not None:
                    client.sock.close()
            for sock in (self.listener, self.wake_r, self.wake_w):
                sock.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            for fd in fds:
                if fd > 2:
                    os.close(fd)
            os.environ.clear()
            os.environ.update(env)
            # Fresh standard streams on the session's pipes (Textual writes to sys.__stdout__).
            sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace",  # noqa: SIM115
                              closefd=False)
            sys.__stdin__, sys.__stdout__, sys.__stderr__ = (  # type: ignore[misc]
                sys.stdin, sys.stdout, sys.stderr)
            status = run_session(self.session)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            import traceback

            with contextlib.suppress(BaseException):
                traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(BaseException):
                    stream.flush()
            os._exit(status & 0xFF)

    def _refuse(self, connection: Connection, reason: str) -> None:
        self._reply(connection.sock, {"error": reason})
        self._close(connection)

    def _close(self, connection: Connection) -> None:
        connection.drop_fds()
        fd = connection.sock.fileno()
        if fd >= 0:
            self.pending.pop(fd, None)
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(connection.sock)
        connection.sock.close()

    @staticmethod
    def _reply(sock: socket.socket, reply: dict[str, object]) -> None:
        """A line to a client; a client that does not read it loses it."""
        with contextlib.suppress(OSError):
            sock.send(json.dumps(reply).encode("utf-8") + b"\n", socket.MSG_DONTWAIT)

    def _terminate(self, pid: int) -> None:
        if pid not in self.kill_at:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            self.kill_at[pid] = time.monotonic() + GRACE_SECONDS

    def _reap(self) -> None:
        while self.children:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            code = os.waitstatus_to_exitcode(wait_status)
            connection = self.children.pop(pid, None)
            self.kill_at.pop(pid, None)
            if connection is not None:
                self._reply(connection.sock, {"exit": code if code >= 0 else 128 - code})
                self._close(connection)

    def _expire(self) -> None:
        now = time.monotonic()
        for connection in [c for c in self.pending.values() if c.opened + REQUEST_SECONDS < now]:
            self._refuse(connection, "the request took too long")
        for pid in [p for p, at in self.kill_at.items() if at < now]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self.kill_at[pid] = now + 3600

    def shutdown(self) -> None:
        """Stop listening, end every child (SIGTERM, then SIGKILL) and reap it."""
        self.listener.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
            os.rmdir(os.path.dirname(self.path))  # its private folder, if nothing else is there
        for connection in list(self.pending.values()):
            self._close(connection)
        for pid in list(self.children):
            self._terminate(pid)
        deadline = time.monotonic() + SHUTDOWN_GRACE_SECONDS
        while self.children and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        while self.children:
            try:
                pid, _ = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            client = self.children.pop(pid, None)
            if client is not None:
                self._close(client)


def preload(story_root: str, language: str | None = None) -> Any:
    """Import what a session runs and load the story (in the class's language); None when the
    story has errors."""
    import gc

    import textual.drivers.web_driver  # noqa: F401

    import moscow1941.ui.app  # noqa: F401
    import moscow1941.ui.screens.student  # noqa: F401
    import moscow1941.ui.screens.title  # noqa: F401
    from moscow1941 import i18n
    from moscow1941.story import load_story

    lang = i18n.set_language(language or i18n.from_environment())
    story = load_story(story_root, language=lang).story
    gc.collect()
    gc.freeze()  # what every child shares stays shared: the collector need not touch it
    return story


def main(argv: list[str]) -> int:
    if len(argv) not in (6, 7) or not argv[5].isdigit():
        print("usage: python -m moscow1941.web.zygote SOCKET CLASS_DIR LABEL STORY MAX [LANG]",
              file=sys.stderr)
        return 2
    path, class_dir, label, story_root, most = argv[1:6]
    language = argv[6] if len(argv) == 7 else None
    story = preload(story_root, language)
    if story is None:
        print(f"{story_root}: the story has errors", file=sys.stderr)
        return 1
    zygote = Zygote(path, Session(class_dir, label, story_root, story, language), int(most))
    try:
        zygote.listen()
    except OSError as exc:
        print(f"the session launcher cannot listen on {path}: {exc}", file=sys.stderr)
        return 1
    os.write(1, READY)
    zygote.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
