"""Quick mode, shared by every benchmark: `--quick` on the command line, or BENCH_QUICK=1.

In quick mode a benchmark runs tiny sizes once, so the smoke test (tests/test_benchmarks.py)
can check in seconds that it still runs and prints its ratio; its figures then mean nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable


def quick() -> bool:
    """Whether this run is a quick one."""
    return "--quick" in sys.argv[1:] or os.environ.get("BENCH_QUICK") == "1"


def arguments() -> list[str]:
    """The command line's arguments without `--quick` (for scripts that read sys.argv)."""
    return [a for a in sys.argv[1:] if a != "--quick"]


def best(fn: Callable[[], object], rounds: int) -> float:
    """The shortest of `rounds` runs of `fn`, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)
