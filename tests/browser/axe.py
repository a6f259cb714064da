"""Accessibility checks in a real browser: Debian's Chromium (driven by Playwright's sync API;
tests/browser/test_serve_browser.py plays the served game in it too) and axe-core (pinned in
tests/browser/package.json, installed by `npm ci` into tests/browser/node_modules on first use).

- `chromium_browser` (module-scoped fixture): a headless Chromium, or a skip saying why;
- `axe_source` (session-scoped fixture): axe-core's source, `npm ci` run once if missing;
- `axe_violations(page)`: axe's violations on the page, for the WCAG 2.x A/AA tags;
- `format_violations(violations)`: a readable assertion message.

Missing Chromium, Playwright, npm or axe-core skips the test, except under CI (the `CI`
variable set), where it fails: `.ci/run` installs Chromium, and npm comes with the machine.

axe is put into the page with `page.evaluate` of its source, which goes through the browser's
debugging protocol and is not subject to the page's Content-Security-Policy: the pages under
test keep their strict policy (no inline script) and are checked as they are served.
The sync API cannot run inside a running asyncio loop, nor an async test while it runs: serve
the page under test from a thread (or another process), drive the browser from plain (not
async) tests, and keep async tests out of a module that uses `chromium_browser`.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pytest

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""Chromium's flags that work on this kind of machine (a closed network, root, no GPU)."""
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def unavailable(reason: str) -> NoReturn:
    """Skip the test for `reason`; under CI, fail it."""
    if os.environ.get("CI"):
        pytest.fail(f"the browser tests must run in CI: {reason}")
    pytest.skip(reason)


def chromium_path() -> str | None:
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


def ensure_axe() -> Path:
    """The path of axe.min.js, running `npm ci` in tests/browser once when it is missing."""
    if AXE.exists():
        return AXE
    npm = shutil.which("npm")
    if npm is None:
        unavailable("axe-core is not installed and there is no npm to install it (apt-get install npm)")
    try:
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE,
                              capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        unavailable(f"npm ci in {HERE} did not finish: {exc}")
    else:
        if done.returncode != 0 or not AXE.exists():
            unavailable(f"npm ci in {HERE} did not install axe-core (exit {done.returncode}):\n"
                        f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return AXE


@functools.cache
def _axe_text() -> str:
    return ensure_axe().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's source (axe.min.js), installed with npm on first use."""
    return _axe_text()


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    """Debian's Chromium, headless, for one test module (a Playwright sync `Browser`).

    Module-scoped, not session-scoped: while Playwright's sync API is started its event loop
    counts as running in the main thread, and every async test (pytest-asyncio) run meanwhile
    fails ("cannot be called from a running event loop"). So: a module that uses the browser
    holds no async tests, and no test starts a `sync_playwright()` of its own."""
    executable = chromium_path()
    if executable is None:
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS,
                                             chromium_sandbox=False)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any, tags: Sequence[str] = TAGS, *, source: str | None = None) -> list[dict[str, Any]]:
    """axe-core's violations of the rules tagged `tags` on the (Playwright sync) page as it is now.

    `source` is axe's code (the `axe_source` fixture; read from node_modules when not given,
    installing it if need be). Each violation is axe's own dict: `id`,
    `impact`, `help`, `helpUrl`, `nodes` (each with `target`, `html`, `failureSummary`)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source if source is not None else _axe_text())
        if not page.evaluate("() => typeof window.axe === 'object'"):
            raise AssertionError("axe-core did not load in the page")
    result = page.evaluate(
        "async (tags) => (await window.axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations", list(tags))
    assert isinstance(result, list)
    return result


def format_violations(violations: Iterable[dict[str, Any]]) -> str:
    """Violations as text for an assertion message: rule, impact, help and each failing node."""
    lines: list[str] = []
    for violation in violations:
        lines.append(f"{violation.get('id')} ({violation.get('impact')}): {violation.get('help')}"
                     f" <{violation.get('helpUrl')}>")
        for node in violation.get("nodes", []):
            target = ", ".join(" > ".join(t) if isinstance(t, list) else str(t)
                               for t in node.get("target", []))
            lines.append(f"  at {target}: {node.get('html')}")
            summary = str(node.get("failureSummary") or "").strip()
            lines.extend(f"    {line}" for line in summary.splitlines())
    return "\n".join(lines) if lines else "no violations"


def wait_until(page: Any, predicate: str, arg: Any, what: str, seconds: float = 30) -> None:
    """Wait until the page's `predicate(arg)` is true, polled with `page.evaluate`.

    Not `page.wait_for_function`: Playwright before 1.4x runs that predicate through `eval()`
    inside the page, which a page whose policy is `script-src 'self'` rightly refuses."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:g} s for {what}")
        page.wait_for_timeout(25)
