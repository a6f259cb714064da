"""Atomic saves, proved by force: processes that save big games in a loop are killed (SIGKILL)
at random moments, and every file left behind must be a complete save, old or new; and the
real `moscow1941 play --plain` command, killed while it plays and saves, never damages a save
nor loses one it had written.

`MOSCOW1941_KILLS` sets the number of kills of the writers (default 200);
`MOSCOW1941_PLAY_KILLS` those of `play` (default 300 under CI, else 60).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from tests.engine.save_writer import RAW_NAME, payload
from tests.engine.saves_fixtures import LOOP_MANIFEST, LOOP_NODES, load, write_story

from moscow1941.engine import Game
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
        assert isinstance(entry, SaveInfo), f"{entry.name}: {getattr(entry, 'reason', '')}"
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


# ---- the real command: `moscow1941 play --plain`, killed while it plays and saves ---------------

PLAY_KILLS = int(os.environ.get("MOSCOW1941_PLAY_KILLS", "300" if os.environ.get("CI") else "60"))
"""Kills of the real `play` command: 300 under CI (and in the README's test command there), a
quicker 60 elsewhere unless `MOSCOW1941_PLAY_KILLS` says."""
PLAY_MOVES = 2000
"""Moves already in the save each run continues, so every write is of a real size (~90 KB)."""
PLAY_INPUT = "continue\n" + "1\nsave slot\n" * 400 + "quit\n"
"""What each run is fed: continue the latest save, then choose and save as fast as it can (each
choice also writes an autosave)."""
KILL_WINDOW = 0.25
"""Seconds after the game has loaded within which the kill comes (uniformly, seeded)."""


@dataclass
class Kill:
    """What one kill of `play` found."""

    mid_write: bool
    saves: int
    damaged: list[str]
    lost: list[str]
    after: dict[str, int]
    """The saves left, by name, with their moves."""


def _moves(folder: Path, story: Story, damaged: list[str]) -> dict[str, int]:
    """Every save in `folder` by name with its number of moves; what does not list and load
    whole, with moves and the `count` variable in step, goes to `damaged`."""
    found: dict[str, int] = {}
    store = SaveStore(folder, story)
    for entry in store.list():
        if not isinstance(entry, SaveInfo):
            damaged.append(f"{entry.name}: {entry.reason}")
            continue
        try:
            restored = store.load(entry.name)
        except Exception as exc:  # noqa: BLE001 - any failure to load is what is looked for
            damaged.append(f"{entry.name}: {exc}")
            continue
        moves = len(restored.game.state.path)
        if restored.changes or restored.game.state.vars["count"] != moves or moves < PLAY_MOVES:
            damaged.append(f"{entry.name}: {moves} moves, count {restored.game.state.vars['count']}")
            continue
        found[entry.name] = moves
    return found


def _kill_play(story_dir: Path, folder: Path, story: Story, rng: random.Random,
               before: dict[str, int]) -> Kill:
    """One run of `play`, killed; `before`: the saves it starts with, by name, with their
    moves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "moscow1941", "play", "--plain", "--story", str(story_dir),
         "--saves", str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, env={**os.environ, "MOSCOW1941_CONFIG": str(folder / "x")},
        cwd=folder.parent)
    assert process.stdin is not None and process.stdout is not None
    loaded = threading.Event()
    output: list[bytes] = []

    def drain(stream: IO[bytes]) -> None:
        for line in stream:
            output.append(line)
            if line.startswith(b"> Loaded") or line.startswith(b"Loaded"):
                loaded.set()
        loaded.set()

    reader = threading.Thread(target=drain, args=(process.stdout,), daemon=True)
    reader.start()
    try:
        process.stdin.write(PLAY_INPUT.encode())
        process.stdin.flush()
    except BrokenPipeError:
        pass
    assert loaded.wait(60), b"".join(output[-20:]).decode("utf-8", "replace")
    time.sleep(rng.uniform(0.0, KILL_WINDOW))
    process.kill()
    process.wait(30)
    reader.join(30)
    process.stdin.close()
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL, (
        "play ended before the kill: " + b"".join(output[-10:]).decode("utf-8", "replace"))
    leftovers = [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    damaged: list[str] = []
    after = _moves(folder, story, damaged)
    lost = [f"{name} ({moves} moves before, {after.get(name, 'gone')} after)"
            for name, moves in before.items() if after.get(name, -1) < moves]
    for path in leftovers:  # so the next kill's leftovers are its own
        path.unlink()
    return Kill(bool(leftovers), len(after), damaged, lost, after)


def test_killing_the_real_play_command_never_damages_or_loses_a_save(tmp_path: Path) -> None:
    """`moscow1941 play --plain` continues the latest save and chooses and saves as fast as it
    is fed, and is SIGKILLed at a random (seeded) moment within KILL_WINDOW seconds of loading,
    PLAY_KILLS times. After each kill every file must list and load whole, and every save seen
    before the kill must still be there with at least the moves it had."""
    story_dir = write_story(tmp_path / "story", LOOP_MANIFEST, LOOP_NODES)
    story = load(story_dir)
    rng = random.Random(1945)
    seeds = [rng.randrange(2**32) for _ in range(WORKERS)]

    def worker(n: int) -> list[Kill]:
        folder = tmp_path / f"play{n}"
        game = Game(story, "main")
        for _ in range(PLAY_MOVES):
            game.choose(0)
        SaveStore(folder, story).save("slot", game, player="student")
        wrng = random.Random(seeds[n])
        found, before = [], {"slot": PLAY_MOVES}
        for _ in range(n, PLAY_KILLS, WORKERS):
            found.append(_kill_play(story_dir, folder, story, wrng, before))
            before = found[-1].after
        return found

    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        kills = [k for batch in pool.map(worker, range(WORKERS)) for k in batch]
    damaged = [d for k in kills for d in k.damaged]
    lost = [x for k in kills for x in k.lost]
    mid_write = sum(k.mid_write for k in kills)
    print(f"\nplay --plain: {len(kills)} kills in {time.monotonic() - started:.0f} s, "
          f"{mid_write} inside a write, {sum(k.saves for k in kills)} saves checked, "
          f"{len(damaged)} damaged, {len(lost)} lost")
    assert len(kills) == PLAY_KILLS
    assert not damaged, damaged[:5]
    assert not lost, lost[:5]
    assert mid_write > 0, "no kill landed inside a write: the test proved nothing"
