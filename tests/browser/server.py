"""`moscow1941 serve` in a subprocess on a free loopback port, for the serve and browser tests
(and the serve benchmark): started, waited for, and stopped with everything it started."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*"
                  rb"\x1b\\|[@-Z\\-_])")
"""Terminal escape sequences (CSI, OSC, DCS and the two-byte ones)."""


def screen_text(frames: Sequence[bytes | str]) -> str:
    """What the game drew, as text: the binary websocket frames joined, escapes removed."""
    raw = b"".join(f for f in frames if isinstance(f, bytes))
    return ANSI.sub(b"", raw).decode("utf-8", "replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running `moscow1941 serve`: the address it printed, and everything it said."""

    process: subprocess.Popen[str]
    url: str
    port: int
    output: list[str] = field(default_factory=list)


def environment(home: Path) -> dict[str, str]:
    """The server's environment: this one without a saves or settings folder of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOSCOW1941_")}
    env["MOSCOW1941_CONFIG"] = str(home / "settings.json")
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextmanager
def served(saves: Path, *args: str, timeout: float = 60.0, face: str = "terminal",
           lang: str = "en") -> Iterator[Served]:
    """Run `moscow1941 serve --face FACE --port P --saves SAVES --lang LANG ARGS` until the
    block ends (`face` "terminal": the Textual game in the page; "web": the web face). The
    server speaks `lang`, so what it prints is read in that language."""
    from moscow1941 import i18n

    port = free_port()
    argv = [sys.executable, "-m", "moscow1941", "serve", "--face", face, "--port", str(port),
            "--saves", str(saves), "--lang", lang, *args]
    with i18n.speaking(lang):
        opened = i18n._("Students open: {url}").partition("{url}")[0]
        ready = i18n._("Press Ctrl+C to stop.")
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               encoding="utf-8", errors="replace", start_new_session=True,
                               env=environment(saves.parent))
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    run = Served(process, "", port)
    try:
        deadline = time.monotonic() + timeout
        while not (run.url and run.output[-1] == ready):
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                raise AssertionError("serve did not start:\n" + "\n".join(run.output))
            run.output.append(line)
            if line.startswith(opened):
                run.url = line.removeprefix(opened).strip().rstrip("/")
        yield run
    finally:
        stop(process)
        while True:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                break
            if line is None:
                break
            run.output.append(line)


def stop(process: subprocess.Popen[str]) -> None:
    """SIGTERM (the server then ends its sessions), then SIGKILL to its process group (the
    server and the game processes it started) if anything is left."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait(timeout=15)
