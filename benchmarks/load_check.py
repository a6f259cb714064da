"""Benchmark (a): load and check a generated story of 2,000 and of 10,000 nodes.

Prints the ratio of `load_story` + lint to a bare libyaml parse (`yaml.load` with CSafeLoader)
of the same files, both measured in this run, best of several rounds. Target: <= 2x at 10,000.
`--quick` (or BENCH_QUICK=1): 200 and 500 nodes, one round.
"""

from __future__ import annotations

import gc
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_story  # noqa: E402
from quick import best, quick  # noqa: E402

from moscow1941.story import load_story  # noqa: E402
from moscow1941.story.lint import lint  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for count in (200, 500) if quick() else (2000, 10000):
            root = generate_story(Path(tmp) / f"s{count}", count, seed=1)
            files = sorted(root.glob("*.yaml"))

            def bare(files: list[Path] = files) -> None:
                for f in files:
                    yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)

            def ours(root: Path = root) -> None:
                result = load_story(root)
                assert result.story is not None, result.diagnostics[:3]
                lint(result.story)

            def bare_no_gc(bare=bare) -> None:  # type: ignore[no-untyped-def]
                gc.disable()
                try:
                    bare()
                finally:
                    gc.enable()

            rounds = 1 if quick() else 5 if count <= 2000 else 3
            ours()  # warm caches
            t_bare, t_ours = best(bare, rounds), best(ours, rounds)
            t_bare_nogc = best(bare_no_gc, rounds)
            size = sum(f.stat().st_size for f in files) / 1e6
            print(f"{count:>6} nodes ({size:.1f} MB): libyaml parse {t_bare * 1000:7.0f} ms, "
                  f"load+check {t_ours * 1000:7.0f} ms, ratio {t_ours / t_bare:.2f}x"
                  + ("  (target <= 2x)" if count == 10000 else "  (quick mode)" if quick() else ""))
            # The loader pauses the cyclic GC while it builds; this is the stricter comparison
            # against a libyaml parse given the same advantage.
            print(f"{'':>6}        vs a libyaml parse with the GC paused too "
                  f"({t_bare_nogc * 1000:.0f} ms): ratio {t_ours / t_bare_nogc:.2f}x")


if __name__ == "__main__":
    main()
