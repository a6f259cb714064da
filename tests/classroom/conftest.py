"""Helpers for the classroom tests: the shipped story, and games played on it as students would
(random choices, a sentence at every reflection prompt)."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO, SHIPPED_STORY

from moscow1941.engine import Game
from moscow1941.story import Story, load_story

HOSTILE = "<script>alert('x')</script> & =1+1 | *bold* [link](http://evil.example)"
"""Text that would break Markdown, HTML or a spreadsheet if written in as it is."""


@pytest.fixture(scope="session")
def shipped() -> Story:
    result = load_story(SHIPPED_STORY)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    return result.story


def play(story: Story, campaign: str, rng: random.Random, steps: int = 10_000,
         reflect: str | None = "Because {title} mattered.") -> Game:
    """Up to `steps` random choices (fewer if an ending comes first), answering every
    reflection prompt with `reflect` (its `{title}` filled in) unless it is None."""
    game = Game(story, campaign, rng.randrange(1000))
    for _ in range(steps):
        if game.ended:
            break
        if reflect is not None and game.node.reflect:
            game.reflect(reflect.format(title=game.node.title))
        game.choose(rng.choice(game.available()))
    return game


def cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`python -m moscow1941 ARGS`, as a teacher would run it."""
    return subprocess.run([sys.executable, "-m", "moscow1941", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, timeout=300)
