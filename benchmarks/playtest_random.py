"""Benchmark: `moscow1941 playtest --random` playthroughs per second on the shipped story.

The baseline, measured in the same run, is a bare loop over the same story graph that walks
from each campaign's start picking random gotos until an ending, with no engine: no conditions,
effects, events or divergence. The ratio says what the engine's rules cost per playthrough.
Run: python benchmarks/playtest_random.py [PLAYS] [--quick] (quick, or BENCH_QUICK=1: 20 plays,
one round)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quick import arguments, quick  # noqa: E402

from moscow1941.authoring.playtest import random_playtest  # noqa: E402
from moscow1941.story import load_story  # noqa: E402

STORY = Path(__file__).resolve().parent.parent / "story"


def main() -> None:
    args = arguments()
    plays = int(args[0]) if args else 20 if quick() else 2000
    story = load_story(STORY).story
    assert story is not None, "the shipped story does not load; run moscow1941 check story"
    campaigns = list(story.campaigns)
    gotos = {nid: [c.goto for c in n.choices] for nid, n in story.nodes.items()}
    starts = [story.campaigns[c].start for c in campaigns]

    def bare() -> int:
        rand = random.Random(1).random  # picks as playtest does
        steps = 0
        for start in starts:
            for _ in range(plays):
                node = start
                while gotos[node] and steps < 10**9:
                    options = gotos[node]
                    node = options[int(rand() * len(options))]
                    steps += 1
        return steps

    best_bare = best_engine = float("inf")
    for _ in range(1 if quick() else 3):
        t = time.perf_counter()
        bare()
        best_bare = min(best_bare, time.perf_counter() - t)
        t = time.perf_counter()
        report = random_playtest(story, plays, seed=1)
        best_engine = min(best_engine, time.perf_counter() - t)
    total = plays * len(campaigns)
    assert report.ok, report.text()
    engine_rate, bare_rate = total / best_engine, total / best_bare
    print(f"{total} random playthroughs of {len(campaigns)} campaigns: playtest "
          f"{engine_rate:,.0f}/s, bare graph walk {bare_rate:,.0f}/s")
    print(f"ratio bare walk / playtest: {bare_rate / engine_rate:.1f}x "
          "(playtest is that many times slower than walking the graph with no rules)")


if __name__ == "__main__":
    main()
