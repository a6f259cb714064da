"""The command textual-serve runs for each browser session when `moscow1941 serve` has its
session launcher (`moscow1941.web.zygote`): a client small enough to start in milliseconds.

Run as a script, `python -I -S attach.py SOCKET -- FALLBACK...`: it imports nothing of the
game (nor `site`), connects to the launcher's Unix socket, and passes it its standard input,
output and error (SCM_RIGHTS) with the session's environment (the terminal size and the
variables textual-serve sets) as one line of JSON. The launcher forks a game for the session,
which then talks to textual-serve through those pipes directly; this client only waits for
the game's exit status and exits with it. When it is killed or stopped (SIGTERM, SIGINT,
SIGHUP), its connection closes and the launcher ends the game. When the launcher cannot be
reached at all, it runs FALLBACK (the game's own per-session command) in its place.

The replies are JSON lines: {"pid": N} once the game runs, then {"exit": N}; or {"error": S}.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys

SESSION_KEYS = ("COLUMNS", "ROWS", "TEXTUAL_DRIVER", "TEXTUAL_FPS", "TEXTUAL_COLOR_SYSTEM",
                "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "MOSCOW1941_CLIENT_ADDRESS")
"""The environment a session passes to the launcher: what textual-serve sets for its app,
and the browser's address `serve` adds."""
REPLY_LIMIT = 4096


def _leave(signum: int, _frame: object) -> None:
    """Stopped: exit at once; the launcher sees the connection close and ends the game."""
    os._exit(128 + signum)


def request() -> bytes:
    """The line sent with the file descriptors."""
    env = {key: os.environ[key] for key in SESSION_KEYS if key in os.environ}
    return json.dumps({"env": env}).encode("utf-8") + b"\n"


def main(argv: list[str]) -> int:
    if len(argv) < 2 or (len(argv) > 2 and argv[2] != "--"):
        print("usage: attach.py SOCKET [-- FALLBACK COMMAND...]", file=sys.stderr)
        return 2
    fallback = argv[3:]
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _leave)
    try:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(argv[1])
        socket.send_fds(connection, [request()], [0, 1, 2])
    except OSError as exc:
        if fallback:
            os.execv(fallback[0], fallback)
        print(f"moscow1941: the session launcher cannot be reached: {exc}", file=sys.stderr)
        return 1
    replies = connection.makefile("rb")
    while line := replies.readline(REPLY_LIMIT):
        try:
            reply = json.loads(line)
        except ValueError:
            break
        if not isinstance(reply, dict):
            break
        if isinstance(reply.get("pid"), int):
            # The game has the pipes now: textual-serve's ends close when it exits.
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.close(null)
        elif isinstance(reply.get("exit"), int):
            return int(reply["exit"]) & 0xFF
        elif "error" in reply:
            print(f"moscow1941: the session could not start: {reply['error']}", file=sys.stderr)
            return 1
    print("moscow1941: the session launcher stopped", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
