"""Benchmark: `moscow1941 check` (load + every lint warning) on a generated 10,000-node story.

Prints the time of a full check against a bare libyaml parse (`yaml.load` with CSafeLoader) of
the same files, both measured in this run (best of several rounds), as a ratio (also against a
parse with the garbage collector paused, as the loader pauses it); and the share of
the check spent in lint (the W5xx warnings, including the state analysis of W505/W508).
Run: python benchmarks/check_large.py [NODES] [--quick] (quick, or BENCH_QUICK=1: 500 nodes,
one round)
"""

from __future__ import annotations

import gc
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_story  # noqa: E402
from quick import arguments, best, quick  # noqa: E402

from moscow1941.story import load_story  # noqa: E402
from moscow1941.story.lint import lint  # noqa: E402


def main() -> None:
    args = arguments()
    count = int(args[0]) if args else 500 if quick() else 10_000
    rounds = 1 if quick() else 3
    with tempfile.TemporaryDirectory() as tmp:
        root = generate_story(Path(tmp) / "story", count, seed=1)
        files = sorted(root.glob("*.yaml"))

        def bare() -> None:
            for f in files:
                yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)

        def bare_no_gc() -> None:
            gc.disable()
            try:
                bare()
            finally:
                gc.enable()

        def check() -> None:
            result = load_story(root)
            assert result.story is not None, result.diagnostics[:3]
            lint(result.story)

        story = load_story(root).story
        assert story is not None
        warnings = lint(story)
        t_bare, t_check = best(bare, rounds), best(check, rounds)
        t_bare_nogc = best(bare_no_gc, rounds)
        t_lint = best(lambda: lint(story), rounds)
        print(f"check of {count} nodes ({len(warnings)} warnings): libyaml parse "
              f"{t_bare * 1000:.0f} ms, check {t_check * 1000:.0f} ms "
              f"(lint {t_lint * 1000:.0f} ms, {t_lint / t_check:.0%} of it)")
        print(f"ratio check / bare libyaml parse: {t_check / t_bare:.2f}x")
        # The loader pauses the cyclic GC while it builds (see load.py); the stricter baseline
        # gives the bare parse the same advantage.
        print(f"ratio check / bare libyaml parse with the GC paused too "
              f"({t_bare_nogc * 1000:.0f} ms): {t_check / t_bare_nogc:.2f}x")


if __name__ == "__main__":
    main()
