"""Benchmark (b): choice latency, from the key press to the next scene painted on the terminal.

Plays the shipped story's first campaign on a real pty (80×24) with number keys, walking
forward at random (seeded) and undoing when a scene offers no way on that is not an ending
(`ui_harness.Walk`: driven by the engine's view of each scene, so story edits do not break
it); at a scene with a reflection prompt it types an answer, and the Enter that takes the
choice is the key timed. Each measured choice is timed from the moment the key is written
until the new scene's title has reached the terminal. Between key presses the program is left
to settle for `--pause` seconds (a reader is slower than that), so each figure is one
transition, not a queue of them. The baseline is a minimal Textual app replacing one line of
text on a key press, measured the same way in the same run. Prints medians and the ratio.
Target: <= 2x. `--quick` (or BENCH_QUICK=1): 6 choices, a smoke test.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_harness import (  # noqa: E402
    REPO,
    Terminal,
    Walk,
    game_argv,
    median,
    minimal_argv,
    needle,
    quick,
    quiet_env,
)

from moscow1941.engine import Game  # noqa: E402
from moscow1941.story import load_story  # noqa: E402


def settle(term: Terminal, pause: float) -> None:
    """Let the program finish drawing (and keep reading its output meanwhile)."""
    end = time.perf_counter() + pause
    while (left := end - time.perf_counter()) > 0:
        term._read(left)


def game_latencies(choices: int, seed: int, folder: Path,
                   pause: float) -> tuple[list[float], list[float], int]:
    story = load_story(REPO / "story").story
    assert story is not None
    campaign = next(iter(story.campaigns))
    mirror = Game(story, campaign)
    term = Terminal(game_argv("--campaign", campaign), quiet_env(folder))
    term.wait_for(needle(mirror.view().title))
    walk = Walk(term, mirror, random.Random(seed), lambda: settle(term, pause))
    chosen: list[float] = []
    undone: list[float] = []
    while len(chosen) < choices:
        kind, seconds = walk.step()
        (chosen if kind == "choose" else undone).append(seconds)
    term.quit()
    return chosen, undone, walk.reflections


def minimal_latencies(count: int, folder: Path, pause: float) -> list[float]:
    term = Terminal(minimal_argv(), quiet_env(folder))
    term.wait_for("Minimal line 0000")
    out = []
    for i in range(1, count + 1):
        settle(term, pause)
        sent = term.press("1")
        out.append(term.wait_for(f"Minimal line {i:04d}") - sent)
    term.quit()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--choices", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1941)
    parser.add_argument("--pause", type=float, default=0.1,
                        help="seconds to let each program settle before the next key")
    parser.add_argument("--quick", action="store_true",
                        help="6 choices (or BENCH_QUICK=1): a smoke test, not a measurement")
    args = parser.parse_args()
    if quick():
        args.choices, args.pause = 6, 0.05
    with tempfile.TemporaryDirectory() as tmp:
        base = minimal_latencies(args.choices // 2, Path(tmp), args.pause)
        chosen, undone, reflections = game_latencies(args.choices, args.seed, Path(tmp), args.pause)
        base2 = minimal_latencies(args.choices - args.choices // 2, Path(tmp), args.pause)
    baseline = median(base + base2)
    print(f"minimal app, one line replaced:  {baseline * 1000:6.1f} ms median of {len(base) + len(base2)}")
    print(f"game, choice to next scene:      {median(chosen) * 1000:6.1f} ms median of {len(chosen)}"
          f" ({reflections} after a reflection prompt was answered)")
    if undone:
        print(f"game, undo to previous scene:    {median(undone) * 1000:6.1f} ms median of "
              f"{len(undone)}")
    print(f"ratio, choice latency: {median(chosen) / baseline:.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main()
