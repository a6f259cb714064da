"""Benchmark (b): random playthroughs of a generated 2,000-node story (3 choices a node, one
conditional, text interpolated at every step): choices per second, one core.

Prints choices/second for the engine (`Game.choose` + `Game.view()` at every step, which renders
the scene's text and choices) and its ratio to a bare loop over the same story graph in plain
Python dicts and str.format, measured in this run. Target: >= 60,000 choices/s here.
`--quick` (or BENCH_QUICK=1): 200 nodes, 5,000 choices.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_story  # noqa: E402
from quick import quick  # noqa: E402

from moscow1941.engine import Game  # noqa: E402
from moscow1941.story import Story, load_story  # noqa: E402

CHOICES = 200_000


def engine_run(story: Story, budget: int, seed: int) -> int:
    rng = random.Random(seed)
    made = 0
    while made < budget:
        game = Game(story, "main", seed=made)
        scene = game.view()
        while scene.ending is None:
            options = [c.index for c in scene.choices if c.enabled]
            game.choose(options[rng.randrange(len(options))])
            scene = game.view()
            made += 1
    return made


def bare_run(story: Story, budget: int, seed: int) -> int:
    """The same walk without the engine: a dict graph, a conditional check and a format()."""
    graph = {nid: ([(c.goto, c.condition is not None) for c in n.choices],
                   " ".join(p.template.source for p in n.passages), n.ending is not None)
             for nid, n in story.nodes.items()}
    start = story.campaigns["main"].start
    rng = random.Random(seed)
    made = 0
    while made < budget:
        nid, trust = start, 0
        text = graph[nid][1].format(trust=trust, standing=3, mood="calm")
        while not graph[nid][2]:
            options = [g for g, conditional in graph[nid][0] if not conditional or trust >= 0]
            nid = options[rng.randrange(len(options))]
            trust = max(-5, min(5, trust + 1))
            text = graph[nid][1].format(trust=trust, standing=3, mood="calm")
            made += 1
    return made if text else made


def main() -> None:
    nodes, choices = (200, 5000) if quick() else (2000, CHOICES)
    with tempfile.TemporaryDirectory() as tmp:
        result = load_story(generate_story(Path(tmp) / "s", nodes, seed=1))
        assert result.story is not None
        story = result.story
        engine_run(story, choices // 40, 0)
        t = time.perf_counter()
        n_engine = engine_run(story, choices, 1)
        t_engine = time.perf_counter() - t
        t = time.perf_counter()
        n_bare = bare_run(story, choices, 1)
        t_bare = time.perf_counter() - t
        engine_rate, bare_rate = n_engine / t_engine, n_bare / t_bare
        print(f"engine: {engine_rate:,.0f} choices/s (target >= 60,000); "
              f"bare loop: {bare_rate:,.0f} choices/s; engine takes {bare_rate / engine_rate:.1f}x "
              "the bare loop's time per choice")
        print(f"ratio engine / bare loop, time per choice: {bare_rate / engine_rate:.2f}x")


if __name__ == "__main__":
    main()
