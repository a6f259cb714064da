"""Shared by the ui_* benchmarks: run a Textual program in a real pseudo-terminal (80×24) and
time what reaches the terminal, as a player would see it.

A `Terminal` starts a command on a new pty, drains its output in the background of every wait,
and answers "when did this text appear?". Times are measured from the parent, so they include
interpreter start, imports and the first frame actually written to the terminal. Peak memory
is the child's own maximum resident set, read with `os.wait4` when it exits.
"""

from __future__ import annotations

import fcntl
import os
import random
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from quick import quick  # noqa: E402, F401  (the ui_* scripts take it from here)

REPO = HERE.parent
MINIMAL_APP = HERE / "ui_minimal_app.py"


class Terminal:
    """A command running on its own pty of `width` × `height`."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None,
                 width: int = 80, height: int = 24) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(width),
                    "LINES": str(height), **(env or {})}
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env,
                                     cwd=REPO, start_new_session=True, close_fds=True)
        os.close(slave)
        self.buffer = b""

    def clear(self) -> None:
        """Forget what was read so far (drain first, so old frames cannot match)."""
        self._read(0.0)
        self.buffer = b""

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        while ready:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.buffer += chunk
            ready, _, _ = select.select([self.master], [], [], 0)

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        """Block until `text` has been written to the terminal; return the perf_counter time."""
        needle = text.encode("utf-8")
        deadline = time.perf_counter() + timeout
        while needle not in self.buffer:
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = self.buffer[-400:].decode("utf-8", "replace")
                raise TimeoutError(f"{text!r} never appeared; last output: {tail!r}")
            self._read(min(left, 0.05))
        return time.perf_counter()

    def press(self, keys: str) -> float:
        """Send keys as typed; return the time they were sent."""
        self.clear()
        sent = time.perf_counter()
        os.write(self.master, keys.encode("utf-8"))
        return sent

    def quit(self) -> int:
        """Quit with ctrl+q and return the child's peak resident memory in KiB."""
        os.write(self.master, b"\x11")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            self._read(0.05)
            pid, _status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                os.close(self.master)
                return int(usage.ru_maxrss)
        os.killpg(self.proc.pid, signal.SIGKILL)
        _pid, _status, usage = os.wait4(self.proc.pid, 0)
        os.close(self.master)
        return int(usage.ru_maxrss)


def game_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "moscow1941", "play", *args]


def minimal_argv() -> list[str]:
    return [sys.executable, str(MINIMAL_APP)]


def quiet_env(folder: Path) -> dict[str, str]:
    """The same environment for both programs: no animation, settings and saves in `folder`."""
    return {"TEXTUAL_ANIMATIONS": "none", "MOSCOW1941_CONFIG": str(folder / "settings.json"),
            "MOSCOW1941_SAVES": str(folder / "saves")}


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# ---- walking the game by what the engine shows ---------------------------------------------

def needle(text: str) -> str:
    """What to look for of a title or a prompt: its first words, at most 20 characters (a long
    one may wrap on screen), cut at a space."""
    if len(text) <= 20:
        return text
    cut = text[:20].rsplit(" ", 1)[0]
    return cut if len(cut) >= 8 else text[:20]


ANSWER = "Because it mattered."
"""What the walk answers at every reflection prompt."""


class Walk:
    """A seeded random walk through a game on a `Terminal`, driven by what the engine shows
    (a mirror `Game` makes the same choices): it picks among the enabled choices that do not
    end the game and lead to a scene with another title, answers a reflection prompt when the
    scene asks one, and undoes when there is no such choice. Nothing in it names a scene, a
    choice's place or a key sequence of the story, so story edits do not break it."""

    def __init__(self, term: Terminal, mirror: Any, rng: random.Random,
                 settle: Callable[[], None] = lambda: None) -> None:
        self.term, self.mirror, self.rng, self.settle = term, mirror, rng, settle
        self.story = mirror.story
        self.reflections = 0
        """Reflection prompts answered so far."""

    def options(self) -> list[tuple[int, int]]:
        scene = self.mirror.view()
        node = self.story.nodes[scene.node_id]
        out = []
        for n, choice in enumerate(scene.choices, 1):
            target = self.story.nodes[node.choices[choice.index].goto]
            if choice.enabled and target.ending is None and target.title != scene.title:
                out.append((n, choice.index))
        return out

    def step(self) -> tuple[str, float]:
        """One choice (or undo); ('choose' or 'undo', seconds from the key that took it until
        the next scene's title reached the terminal)."""
        scene = self.mirror.view()
        options = self.options()
        if not options:
            if not scene.can_undo:
                raise RuntimeError("the walk is stuck: no choice and nothing to undo")
            self.mirror.undo()
            self.settle()
            sent = self.term.press("u")
            return "undo", self.term.wait_for(needle(self.mirror.view().title)) - sent
        n, index = self.rng.choice(options)
        if scene.reflect:  # the prompt comes first; the choice is taken by its Enter
            self.settle()
            self.term.press(str(n))
            self.term.wait_for(needle(scene.reflect))
            self.term.press(ANSWER)
            self.term.wait_for(ANSWER)
            self.mirror.reflect(ANSWER)
            self.reflections += 1
            key = "\r"
        else:
            key = str(n)
        self.mirror.choose(index)
        self.settle()
        sent = self.term.press(key)
        return "choose", self.term.wait_for(needle(self.mirror.view().title)) - sent
