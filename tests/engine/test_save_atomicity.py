"""Atomic saves, proved by force: processes that save big games in a loop are killed (SIGKILL)
at random moments, and every file left behind must be a complete save, old or new.

`MOSCOW1941_KILLS` sets the number of kills (default 200).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.engine.save_writer import RAW_NAME, payload
from tests.engine.saves_fixtures import LOOP_MANIFEST, LOOP_NODES, load, write_story

from moscow1941.engine.saves import SaveInfo, SaveStore
from moscow1941.story import Story

WRITER = Path(__file__).with_name("save_writer.py")
REPO = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("MOSCOW1941_KILLS", "200"))
STEPS = 1000  # each save file is about 40 KB; the raw payload is 4 MiB
WORKERS = 2

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"),
                                reason="needs fork and SIGKILL")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one kill left behind."""

    saves: int
    mid_write: bool  # a temporary file was left: the kill landed inside a write


class Parent:
    """The warm parent process of `save_writer.py`: forks writers on request."""

    def __init__(self, story_dir: Path) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(story_dir), str(STEPS)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert self._line() == "ready", self._error()

    def _line(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def _error(self) -> str:
        return self.proc.stderr.read() if self.proc.stderr else ""

    def ask(self, line: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self._line()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def _kill_once(parent: Parent, folder: Path, story: Story, rng: random.Random) -> Outcome:
    pid = int(parent.ask(str(folder)))
    time.sleep(rng.uniform(0.0, 0.2))
    os.kill(pid, signal.SIGKILL)
    assert parent.ask(f"reap {pid}") == "reaped"
    leftovers = [p for p in folder.iterdir() if p.name.endswith(".tmp")] if folder.exists() else []
    outcome = Outcome(_check_folder(folder, story), bool(leftovers))
    for path in leftovers:  # so the next kill's leftovers are its own
        path.unlink()
    return outcome


def _check_folder(folder: Path, story: Story) -> int:
    """Every file is a whole save; returns how many saves there are."""
    if not folder.exists():
        return 0
    raw = folder / RAW_NAME
    if raw.exists():
        data = raw.read_bytes()
        seq = int(data.split(b"\n", 1)[0])
        assert data == payload(seq), f"raw payload {seq} is torn"
    store = SaveStore(folder, story, autosaves=3)
    entries = store.list()
    for entry in entries:
        assert isinstance(entry, SaveInfo), f"{entry.name}: {entry.reason}"  # type: ignore[union-attr]
        restored = store.load(entry.name)
        assert restored.changes == ()
        moves = len(restored.game.state.path)
        assert moves > STEPS and restored.game.state.vars["count"] == moves
        if entry.name == "slot":  # the player field and the choices were written together
            assert restored.player == f"writer {moves - STEPS}"
    return len(entries)


def test_killed_writers_leave_only_whole_saves(tmp_path: Path) -> None:
    story_dir = write_story(tmp_path / "story", LOOP_MANIFEST, LOOP_NODES)
    story = load(story_dir)
    rng = random.Random(1941)
    seeds = [rng.randrange(2**32) for _ in range(WORKERS)]

    def worker(n: int) -> list[Outcome]:
        wrng = random.Random(seeds[n])
        folder = tmp_path / f"saves{n}"
        parent = Parent(story_dir)
        try:
            return [_kill_once(parent, folder, story, wrng) for _ in range(n, KILLS, WORKERS)]
        finally:
            parent.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = [o for batch in pool.map(worker, range(WORKERS)) for o in batch]
    mid_write = sum(o.mid_write for o in outcomes)
    print(f"\n{len(outcomes)} kills, {mid_write} inside a write, "
          f"{sum(o.saves for o in outcomes)} save files checked whole")
    assert len(outcomes) == KILLS
    assert mid_write > 0, "no kill landed inside a write: the test proved nothing"
    assert sum(o.saves for o in outcomes) > KILLS  # most kills left saves to check
