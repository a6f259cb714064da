"""The side of the session launcher that `moscow1941 serve` holds: `Launcher.start` runs the
launcher process (`python -m moscow1941.web.zygote ...`, see `moscow1941.web.zygote`), waits
until it listens, and gives textual-serve the command of the tiny attach client each browser
session runs (`web/attach.py`); `stop` ends it and its sessions."""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from moscow1941.web.zygote import READY, SHUTDOWN_GRACE_SECONDS, serve_environment

ATTACH = Path(__file__).resolve().with_name("attach.py")


class Launcher:
    """The zygote as `moscow1941 serve` runs it: `start` it, give textual-serve its
    `command`, and `stop` it."""

    def __init__(self, folder: str, process: subprocess.Popen[bytes], command: str) -> None:
        self.folder = folder
        self.process = process
        self.command = command
        """The shell command textual-serve runs for each session: the attach client."""
        self.argv: list[str] = []
        """The same command as a list."""

    @classmethod
    def start(cls, class_dir: str, class_label: str, story: str, max_sessions: int,
              fallback: list[str], timeout: float = 60.0,
              language: str | None = None) -> Launcher | None:
        """Start the zygote and wait until it listens; None when it cannot (not Unix, the
        socket cannot be made...): the caller then runs `fallback` per session as before."""
        import shlex

        if os.name != "posix" or not hasattr(socket, "send_fds"):
            return None
        folder = tempfile.mkdtemp(prefix="moscow1941-serve-")  # mode 0700
        path = os.path.join(folder, "sessions")
        env = dict(os.environ)
        env.update(serve_environment())
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "moscow1941.web.zygote", path, class_dir, class_label,
                 story, str(max_sessions + 8), *([language] if language else [])],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        assert process.stdout is not None
        ready = b""
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + timeout
            while not ready.endswith(b"\n") and len(ready) < 64:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    break
                chunk = os.read(process.stdout.fileno(), 64)
                if not chunk:
                    break
                ready += chunk
        launcher = cls(folder, process, "")
        if ready != READY:
            launcher.stop()
            return None
        argv = [sys.executable, "-I", "-S", str(ATTACH), path, "--", *fallback]
        launcher.argv = argv
        launcher.command = "exec " + shlex.join(argv)  # the shell becomes the client: no
        # shell is left behind when the server stops the client
        return launcher

    def stop(self) -> None:
        """End the zygote (it ends its sessions) and remove its folder."""
        try:
            if self.process.stdin is not None:
                with contextlib.suppress(OSError):
                    self.process.stdin.close()
            try:
                self.process.wait(timeout=SHUTDOWN_GRACE_SECONDS + 5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            if self.process.stdout is not None:
                self.process.stdout.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
