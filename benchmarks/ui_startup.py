"""Benchmark (a): start-up to the first painted frame of the title screen.

Runs `moscow1941 play` and a minimal Textual app (header, one line, footer) on a real pty,
alternately, and times each from process start until its first frame reaches the terminal.
Also times the game until the story is loaded and the menu is ready. Prints medians and the
ratio to the minimal app. Target: first frame <= 1.3x.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_harness import Terminal, game_argv, median, minimal_argv, quick, quiet_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--quick", action="store_true",
                        help="one round (or BENCH_QUICK=1): a smoke test, not a measurement")
    args = parser.parse_args()
    if quick():
        args.rounds = 1
    first_game, ready_game, first_min = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = quiet_env(Path(tmp))
        for _ in range(args.rounds):
            term = Terminal(minimal_argv(), env)
            first_min.append(term.wait_for("Minimal line 0000") - term.started)
            term.quit()
            term = Terminal(game_argv(), env)
            first_game.append(term.wait_for("M O S C O W") - term.started)
            ready_game.append(term.wait_for("campaigns") - term.started)
            term.quit()
    base = median(first_min)
    print(f"minimal app, first frame:           {base * 1000:7.1f} ms (median of {args.rounds})")
    print(f"game title screen, first frame:     {median(first_game) * 1000:7.1f} ms")
    print(f"game title screen, story loaded:    {median(ready_game) * 1000:7.1f} ms")
    print(f"ratio, first frame:   {median(first_game) / base:.2f}x  (target <= 1.3x)")
    print(f"ratio, story loaded:  {median(ready_game) / base:.2f}x")


if __name__ == "__main__":
    main()
