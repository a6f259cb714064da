"""Benchmark (c): peak memory of a game session, against a minimal Textual app.

Runs `moscow1941 play` on a real pty with the shipped story: the title screen, a new game of the
first campaign, `--choices` choices and undos (the walk of ui_latency.py, `ui_harness.Walk`,
answering reflection prompts), and quits; then the same
session again, opening the timeline, the help screen (Markdown) and the glossary before quitting.
The minimal app (header, one line, footer) replaces its line as many times. Each child's peak
resident set comes from `os.wait4`. Prints each and its ratio. Target: <= 1.5x.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_harness import (  # noqa: E402
    REPO,
    Terminal,
    Walk,
    game_argv,
    minimal_argv,
    needle,
    quick,
    quiet_env,
)

from moscow1941.engine import Game  # noqa: E402
from moscow1941.story import load_story  # noqa: E402


def game_peak(choices: int, seed: int, folder: Path, screens: bool) -> int:
    story = load_story(REPO / "story").story
    assert story is not None
    campaign = next(iter(story.campaigns))
    mirror = Game(story, campaign)
    rng = random.Random(seed)
    term = Terminal(game_argv(), quiet_env(folder))
    term.wait_for("campaigns")
    term.press("n")
    term.wait_for("Choose your role")
    term.press("1")
    term.wait_for("Your name")
    term.press("\r")
    term.wait_for(needle(mirror.view().title))
    walk = Walk(term, mirror, rng)
    for _ in range(choices):
        walk.step()
    for key, text in () if not screens else (("t", "Real history"), ("\x1b", "Choose"), ("?", "How to play"),
                      ("\x1b", "Choose"), ("g", "Glossary"), ("\x1b", "Choose")):
        term.press(key)
        term.wait_for(text)
    return term.quit()


def minimal_peak(count: int, folder: Path) -> int:
    term = Terminal(minimal_argv(), quiet_env(folder))
    term.wait_for("Minimal line 0000")
    for i in range(1, count + 1):
        term.press("1")
        term.wait_for(f"Minimal line {i:04d}")
    return term.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--choices", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1941)
    parser.add_argument("--quick", action="store_true",
                        help="6 choices (or BENCH_QUICK=1): a smoke test, not a measurement")
    args = parser.parse_args()
    if quick():
        args.choices = 6
    with tempfile.TemporaryDirectory() as tmp:
        base = minimal_peak(args.choices, Path(tmp))
        play = game_peak(args.choices, args.seed, Path(tmp) / "play", screens=False)
        every = game_peak(args.choices, args.seed, Path(tmp) / "every", screens=True)
    print(f"minimal app, peak memory:                 {base / 1024:6.1f} MiB")
    print(f"game, title and {args.choices} choices:                 {play / 1024:6.1f} MiB")
    print(f"game, the same and every screen opened:   {every / 1024:6.1f} MiB")
    print(f"ratio, playing:              {play / base:.2f}x  (target <= 1.5x)")
    print(f"ratio, with every screen:    {every / base:.2f}x")


if __name__ == "__main__":
    main()
