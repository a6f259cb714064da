"""Shared test helpers: writing small story folders."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from moscow1941.story import Story, load_story

pytest_plugins = ["tests.pg", "tests.browser.axe"]
"""Fixtures for every folder: `postgres_url` and `fresh_postgres_url` (a PostgreSQL the tests
start themselves), `chromium_browser` and `axe_source` (Debian's Chromium, axe-core)."""

REPO = Path(__file__).resolve().parent.parent
SHIPPED_STORY = REPO / "story"

MANIFEST = """\
format: 1
id: tiny
title: Tiny
campaigns:
  main:
    title: Main
    blurb: A tiny story for tests.
    start: a
variables:
  trust:
    type: int
    min: -3
    max: 3
    show: true
  flag:
    type: bool
events:
  ev:
    date: 1941-04-13
    title: Event
    happened: It happened.
    weight: 2
    holds: not flag
"""

CHAPTER = """\
nodes:
  a:
    date: 1941-04-12
    place: Moscow
    title: Start
    text: Trust is {trust}.
    choices:
      - text: Go on.
        goto: b
        historical: true
        set: trust += 1
      - text: Diverge.
        goto: c
        set: flag = true
    history:
      text: It went on.
      sources: [A source]
  b:
    date: 1941-04-14
    place: Moscow
    title: End
    text: Done.
    ending: {title: History, kind: historical, epilogue: As it was.}
  c:
    date: 1941-04-14
    place: Moscow
    title: Other end
    text: Done differently.
    ending: {title: Other, kind: diverged, epilogue: Not as it was.}
"""

StoryMaker = Callable[..., Path]


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in English whatever the machine's locale, and leaves the game's one
    process-wide language (and right-to-left drawing) as it found them."""
    from moscow1941 import i18n

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    i18n.set_language("en")
    yield
    i18n.set_language("en")
    if "moscow1941.ui.rtl" in sys.modules:
        sys.modules["moscow1941.ui.rtl"].activate(False)


def loaded(root: Path, *, clean: bool = False) -> Story:
    """The story in `root`, which must load (the test fails with its diagnostics otherwise);
    `clean`: without any warning either. The one story loader of the tests."""
    result = load_story(root)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    if clean:
        assert not result.diagnostics, [d.format() for d in result.diagnostics]
    return result.story


@pytest.fixture
def make_story(tmp_path: Path) -> StoryMaker:
    """Write a story folder: the tiny valid story, with any file replaced or added."""

    def make(files: dict[str, str | bytes] | None = None, base: bool = True) -> Path:
        root = tmp_path / "story"
        root.mkdir(exist_ok=True)
        contents: dict[str, str | bytes] = {"story.yaml": MANIFEST, "ch1.yaml": CHAPTER} if base else {}
        contents.update(files or {})
        for name, text in contents.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make
