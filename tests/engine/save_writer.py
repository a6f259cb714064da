"""Processes that save in a loop until they are killed: the subjects of the atomicity test.

Usage: python save_writer.py STORY_DIR STEPS. This process is a warm parent: it imports the game,
loads the loop story and plays STEPS choices once, then for each line `FOLDER` read from stdin it
forks a writer and prints the writer's pid. A writer saves forever into FOLDER: one more choice,
a named save, an autosave, and a raw atomic write of a payload whose every byte is determined by
its sequence number (see `payload`). Forking keeps each kill cheap; the writers are real
processes, killed by the test with SIGKILL. A line `reap PID` waits for a killed writer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from moscow1941.engine import Game
from moscow1941.engine.saves import SaveStore, write_atomic
from moscow1941.story import load_story

RAW_NAME = "raw.bin"


def payload(seq: int) -> bytes:
    """`seq` on the first line, then 4 MiB that depend on `seq`: a torn or mixed write cannot
    match."""
    line = f"{seq}\n".encode()
    return line + bytes((seq * 31 + i) % 251 for i in range(256)) * 16384 + line


def write_forever(game: Game, folder: Path) -> None:
    store = SaveStore(folder, game.story, autosaves=3)
    seq = 0
    while True:
        seq += 1
        game.choose(0)
        store.save("slot", game, player=f"writer {seq}")
        store.autosave(game)
        write_atomic(folder / RAW_NAME, payload(seq))


def main(story_dir: str, steps: int) -> None:
    story = load_story(story_dir).story
    assert story is not None
    game = Game(story, "main")
    for _ in range(steps):
        game.choose(0)
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.rstrip("\n")
        if command.startswith("reap "):
            os.waitpid(int(command[5:]), 0)
            print("reaped", flush=True)
            continue
        pid = os.fork()
        if pid == 0:  # the writer
            try:
                write_forever(game, Path(command))
            finally:
                os._exit(1)
        print(pid, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
