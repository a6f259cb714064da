"""The shipped story in every language it ships: complete, current, and on screen.

Every node of every campaign is visited in each language (author mode's jump), its scene is
built by the engine as a face would draw it, and each string on it must come from the
translation: a string still shown as the English fails the test, unless the translator wrote
the very same words (a place such as "Berlin")."""

from __future__ import annotations

import pytest
from tests.conftest import SHIPPED_STORY, loaded

from moscow1941 import i18n
from moscow1941.engine.game import Game
from moscow1941.story import Story, load_story
from moscow1941.story import translation as t
from moscow1941.story.diagnostics import Diagnostics

LANGS = [lang for lang in t.languages(SHIPPED_STORY) if lang != "en"]


@pytest.fixture(scope="module")
def english() -> Story:
    return loaded(SHIPPED_STORY)


def test_the_story_ships_in_german_and_arabic() -> None:
    assert {"de", "ar"} <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_is_translated_and_current(lang: str, english: Story) -> None:
    result = t.translate_story(english, lang)
    bad = [d.format() for d in result.diagnostics]
    assert not bad, f"{len(bad)} problems, first: " + "\n".join(bad[:20])
    assert result.coverage.complete, t.coverage_line(result.coverage)


def _shown(game: Game) -> list[tuple[str, str]]:
    """What a face shows of the current scene, as (what, text)."""
    scene = game.view()
    out = [("title", scene.title), ("place", scene.place), ("chapter", scene.chapter)]
    out += [(f"paragraph {i}", p) for i, p in enumerate(scene.paragraphs, 1)]
    for c in scene.choices:
        out.append((f"choice {c.index + 1}", c.text))
        if c.locked_reason:
            out.append((f"choice {c.index + 1} locked", c.locked_reason))
    if scene.history is not None:
        out.append(("history", scene.history.text))
    if scene.ending is not None:
        out.append(("ending", scene.ending.title))
    out += [(f"status {s.label}", s.label) for s in scene.status]
    return [(what, text) for what, text in out if text]


@pytest.mark.parametrize("lang", LANGS)
def test_every_node_shows_no_english_in_its_language(lang: str, english: Story) -> None:
    story = load_story(SHIPPED_STORY, lang).story
    assert story is not None and story.language == lang
    entries = t.read_entries(SHIPPED_STORY, lang, Diagnostics())
    same = {_norm(e.text) for e in entries.values() if isinstance(e.text, str)
            and _norm(e.text) == _norm(e.english)}  # written identical on purpose
    left: list[str] = []
    try:
        i18n.set_language(lang)
        for n, (campaign, c) in enumerate(english.campaigns.items()):
            # Every node once (in the first campaign); each campaign's own status panel.
            for nid in english.nodes if n == 0 else [c.start]:
                here, there = Game(story, campaign), Game(english, campaign)
                if nid != c.start:
                    here.jump(nid)
                    there.jump(nid)
                for (what, text), (_, original) in zip(_shown(here), _shown(there), strict=True):
                    if _norm(text) == _norm(original) and _norm(text) not in same \
                            and any(ch.isalpha() for ch in text):
                        left.append(f"{nid} {what}: {text[:60]!r}")
    finally:
        i18n.set_language("en")
    assert not left, f"{len(left)} strings in English, first: " + "\n".join(left[:30])


def _norm(text: str | tuple[str, ...]) -> str:
    return " ".join(str(text).split())
