"""Benchmark (b): choice latency, from the key press to the next scene painted on the terminal.

Plays the shipped story's first campaign on a real pty (80×24) with number keys, walking
forward at random (seeded) and undoing when a scene offers no way on that is not an ending; each
measured choice is timed from the moment the key is written until the new scene's title has
reached the terminal. Between key presses the program is left to settle for `--pause` seconds
(a reader is slower than that), so each figure is one transition, not a queue of them. The
baseline is a minimal Textual app replacing one line of text on a key press, measured the same
way in the same run. Prints medians and the ratio. Target: <= 2x.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_harness import REPO, Terminal, game_argv, median, minimal_argv, quiet_env  # noqa: E402

from moscow1941.engine import Game  # noqa: E402
from moscow1941.story import load_story  # noqa: E402


def needle(title: str) -> str:
    """What to look for: the start of a title (a long one may wrap on screen)."""
    return title[:24]


def settle(term: Terminal, pause: float) -> None:
    """Let the program finish drawing (and keep reading its output meanwhile)."""
    end = time.perf_counter() + pause
    while (left := end - time.perf_counter()) > 0:
        term._read(left)


def game_latencies(choices: int, seed: int, folder: Path,
                   pause: float) -> tuple[list[float], list[float]]:
    story = load_story(REPO / "story").story
    assert story is not None
    campaign = next(iter(story.campaigns))
    mirror = Game(story, campaign)
    rng = random.Random(seed)
    term = Terminal(game_argv("--campaign", campaign), quiet_env(folder))
    term.wait_for(needle(mirror.view().title))
    chosen: list[float] = []
    undone: list[float] = []
    while len(chosen) < choices:
        scene = mirror.view()
        options = []
        for n, c in enumerate(scene.choices, 1):
            target = story.nodes[story.nodes[scene.node_id].choices[c.index].goto]
            if c.enabled and target.ending is None and target.title != scene.title:
                options.append((n, c.index))
        if not options:
            before = scene.title
            mirror.undo()
            if mirror.view().title == before or not scene.can_undo:
                raise RuntimeError("the walk is stuck: no choice and nothing to undo")
            settle(term, pause)
            sent = term.press("u")
            undone.append(term.wait_for(needle(mirror.view().title)) - sent)
            continue
        n, index = rng.choice(options)
        mirror.choose(index)
        settle(term, pause)
        sent = term.press(str(n))
        chosen.append(term.wait_for(needle(mirror.view().title)) - sent)
    term.quit()
    return chosen, undone


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = minimal_latencies(args.choices // 2, Path(tmp), args.pause)
        chosen, undone = game_latencies(args.choices, args.seed, Path(tmp), args.pause)
        base2 = minimal_latencies(args.choices - args.choices // 2, Path(tmp), args.pause)
    baseline = median(base + base2)
    print(f"minimal app, one line replaced:  {baseline * 1000:6.1f} ms median of {len(base) + len(base2)}")
    print(f"game, choice to next scene:      {median(chosen) * 1000:6.1f} ms median of {len(chosen)}")
    if undone:
        print(f"game, undo to previous scene:    {median(undone) * 1000:6.1f} ms median of "
              f"{len(undone)}")
    print(f"ratio, choice latency: {median(chosen) / baseline:.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main()
