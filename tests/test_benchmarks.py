"""Every benchmark still runs: each script in benchmarks/ in quick mode (BENCH_QUICK=1: tiny
sizes, one repetition), in a subprocess, must exit 0 and print its ratio line. No time bound
is asserted: quick figures mean nothing, and the full runs are for people (README)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO

BENCHMARKS = REPO / "benchmarks"
HELPERS = {"generate.py", "quick.py", "ui_harness.py", "ui_minimal_app.py", "web_client.py"}
"""Modules the benchmarks share, not benchmarks themselves."""
RATIO = re.compile(r"^.*ratio\b.*?\d+(?:\.\d+)?x", re.MULTILINE | re.IGNORECASE)

SKIPPED = 77
"""The exit status of a benchmark that cannot run here (serve_two_servers.py without
PostgreSQL): skipped, except under CI (the CI variable set), where PostgreSQL is installed."""

SCRIPTS = sorted(p.name for p in BENCHMARKS.glob("*.py") if p.name not in HELPERS)


def test_every_benchmark_is_smoke_tested() -> None:
    assert SCRIPTS == ["check_large.py", "load_check.py", "load_language.py", "playtest_random.py",
                       "playthrough.py", "serve_sessions.py", "serve_two_servers.py", "serve_web.py",
                       "ui_latency.py", "ui_memory.py", "ui_startup.py"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_benchmark_runs_in_quick_mode_and_prints_its_ratio(script: str,
                                                                tmp_path: Path) -> None:
    if script.startswith("ui_") and os.name != "posix":
        pytest.skip("the ui_* benchmarks run the game on a pseudo-terminal")
    if script.startswith("serve_") and not sys.platform.startswith("linux"):
        pytest.skip(f"{script} reads /proc")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOSCOW1941_")}
    env.update(BENCH_QUICK="1", MOSCOW1941_CONFIG=str(tmp_path / "settings.json"),
               MOSCOW1941_SAVES=str(tmp_path / "saves"), PYTHONUNBUFFERED="1")
    result = subprocess.run([sys.executable, str(BENCHMARKS / script)], cwd=REPO, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=600)
    if result.returncode == SKIPPED and script == "serve_two_servers.py" and not os.environ.get("CI"):
        pytest.skip("serve_two_servers.py needs PostgreSQL: " + result.stdout.strip()[-300:])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert RATIO.search(result.stdout), result.stdout
