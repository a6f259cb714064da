"""The program's own words in German and Arabic: plain mode, transcripts (which record their
language and verify in it) and the class report (which counts a decision as one decision
whatever language each student played in).

Until the story's translation lands, the story's own words may still be English here: the tests
assert on the program's words. They need the game's catalogs
(`moscow1941/locale/LANG/LC_MESSAGES/moscow1941.po`) and are skipped where a catalog is absent.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import REPO, SHIPPED_STORY
from tests.test_plain import pipe_env
from tests.test_plain_campaign import historical_script

from moscow1941 import i18n
from moscow1941.classroom import report, transcript
from moscow1941.engine import Game
from moscow1941.engine.saves import SaveStore
from moscow1941.plain import run_plain
from moscow1941.story import load_story
from moscow1941.story.model import Story

PLAYED = (datetime(2026, 11, 23, 9, 58, tzinfo=UTC), datetime(2026, 11, 23, 10, 40, tzinfo=UTC))


def _catalog(lang: str) -> Path:
    return i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def needs(lang: str) -> pytest.MarkDecorator:
    """The catalogs ship with the game: a test in a language fails, never skips, without one."""
    assert _catalog(lang).exists(), f"the {lang} catalog is missing"
    return pytest.mark.language(lang)


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.fixture(scope="module")
def english() -> Story:
    story = load_story(SHIPPED_STORY).story
    assert story is not None
    return story


def _in(lang: str) -> Story:
    story = load_story(SHIPPED_STORY, language=lang).story
    assert story is not None
    return story


def _finished(story: Story, campaign: str = "prologue") -> Game:
    script, _ending = historical_script(story, campaign)
    game = Game(story, campaign, 0)
    lines = iter(script)
    for line in lines:
        scene = game.view()
        if scene.reflect:
            game.reflect(next(lines))
        game.choose(scene.choices[int(line) - 1].index)
    assert game.ended
    return game


# ---- words ---------------------------------------------------------------------------------------

def test_one_real_decision_differs_in_english() -> None:
    from moscow1941.engine.scene import Divergence
    from moscow1941.words import decisions_counted

    fields: dict[str, Any] = {name: 0 for name in Divergence._fields}
    d = Divergence(**{**fields, "choice": 0.0, "outcome": 0.0, "decisions": 1})
    assert decisions_counted(d) == "0 of 1 real decision differs"
    d = Divergence(**{**fields, "choice": 0.0, "outcome": 0.0, "decisions": 2,
                      "divergent_decisions": 1})
    assert decisions_counted(d) == "1 of 2 real decisions differ"


@needs("de")
def test_the_words_are_the_current_languages() -> None:
    from moscow1941 import words

    i18n.set_language("de")
    assert words.verdict("history") == "wie in der Geschichte"
    assert words.ending_kind("diverged") == "Eine andere Geschichte"
    assert words.percent(0.25) == "25\xa0%"
    i18n.set_language("en")
    assert words.verdict("history") == "as in history"
    assert words.percent(0.25) == "25%"


# ---- plain mode ----------------------------------------------------------------------------------

@needs("de")
def test_plain_mode_in_german_plays_the_prologue_to_its_ending(english: Story,
                                                                 tmp_path: Path) -> None:
    """`LANGUAGE=de moscow1941 play --plain`: every prompt in German, the commands typed in
    English, to the ending and its transcript."""
    script, _ending = historical_script(english, "prologue")
    number = list(english.campaigns).index("prologue") + 1
    saves = tmp_path / "saves"
    stdin = "".join(f"{x}\n" for x in [number, *script, "help", "status", "timeline",
                                        "glossary", "transcript md", "nonsense", "quit"])
    out = subprocess.run(
        [sys.executable, "-m", "moscow1941", "play", "--plain", "--saves", str(saves)],
        input=stdin, capture_output=True, text=True, cwd=REPO, timeout=180,
        env=pipe_env(LANGUAGE="de", LC_ALL="", LC_MESSAGES="", LANG="C.UTF-8"))
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for german in ("Kampagnen:", "== Das Ende: ", "Deine Entscheidungen neben der Geschichte:",
                   "Das Spiel ist vorbei. Jetzt kannst du eingeben:",
                   "Gib die Befehle auf Englisch ein, so wie sie hier stehen.",
                   "Abweichung der Entscheidungen: ", "Zeitleiste: ", "Glossar: ",
                   "Protokoll gespeichert unter ", "Das kenne ich nicht: 'nonsense'.",
                   "Auf Wiedersehen."):
        assert german in text, german
    for english_words in ("The game is over", "Goodbye.", "Your decisions beside history",
                          "You can type"):
        assert english_words not in text, english_words
    written = sorted((saves / "transcripts").iterdir())
    assert [p.suffix for p in written] == [".md"]
    body = written[0].read_text(encoding="utf-8")
    assert body.startswith("# Moskau 1941: Spielprotokoll\n")
    assert transcript.verify(body, english).ok


@needs("ar")
def test_plain_mode_in_arabic_prints_logical_order_unshaped(english: Story, tmp_path: Path) -> None:
    """Arabic goes out in logical order: no presentation forms (reshaping), no reordering."""
    i18n.set_language("ar")
    story = _in("ar")
    out = io.StringIO()
    status = run_plain(story, "prologue", 0, io.StringIO("help\nquit\n"), out,
                       store=SaveStore(tmp_path / "saves", story))
    assert status == 0
    text = out.getvalue()
    assert i18n._("Goodbye.") in text and i18n._("Goodbye.") != "Goodbye."
    assert i18n._("Type the commands in English, as they are written here.") in text
    assert "  undo" in text  # the command words stay English
    assert not any(0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF for ch in text)


# ---- transcripts ---------------------------------------------------------------------------------

@needs("de")
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_german_transcript_records_its_language_and_verifies(english: Story, fmt: str) -> None:
    i18n.set_language("de")
    german = _in("de")
    game = _finished(german)
    text = transcript.render(transcript.build(game, "Anna", PLAYED), fmt)
    assert "Spielprotokoll" in text and "Abweichung der Entscheidungen" in text
    assert "Choice divergence" not in text
    assert "Integrity: moscow1941-transcript/4 " in text
    if fmt == "html":
        assert '<html lang="de">' in text
    # The teacher reads English; the file is checked in German, and the teacher's language kept.
    i18n.set_language("en")
    result = transcript.verify(text, english)
    assert result.ok, result.message
    assert result.message.startswith("This transcript is intact")
    assert i18n.language() == "en"
    assert transcript.verify(text, german).ok
    edited = text.replace("Anna", "Anja", 1)
    assert not transcript.verify(edited, english).ok
    assert i18n.language() == "en"


@needs("ar")
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_arabic_transcript_is_right_to_left_and_verifies(english: Story, fmt: str) -> None:
    i18n.set_language("ar")
    game = _finished(_in("ar"))
    text = transcript.render(transcript.build(game, "ليلى", PLAYED), fmt)
    assert i18n._("Moscow 1941: transcript") in text
    assert "Choice divergence" not in text
    if fmt == "html":
        assert '<html lang="ar" dir="rtl">' in text
        assert "margin-inline" in text and "text-align: start" in text
        assert "padding-left" not in text and "border-left" not in text
    else:
        # Plain logical-order text: no bidi controls or shaped forms added by the program.
        assert not any(0xFE70 <= ord(ch) <= 0xFEFF for ch in text)
    i18n.set_language("de")
    result = transcript.verify(text, english)
    assert result.ok, result.message
    assert i18n.language() == "de"


def test_an_english_transcript_is_format_3_and_left_to_right(english: Story) -> None:
    game = _finished(english)
    text = transcript.render(transcript.build(game, "Ann", PLAYED), "html")
    assert '<html lang="en">' in text and 'dir="rtl"' not in text
    assert "moscow1941-transcript/4 " in text
    assert transcript.decode_payload(text.split(" data=")[1].split("<")[0]).language == "en"
    assert transcript.verify(text, english).ok


# ---- the class report ----------------------------------------------------------------------------

def test_the_report_counts_a_decision_once_whatever_language_it_was_played_in(
        english: Story, tmp_path: Path) -> None:
    """Anna played with the German story, Ben with the English: one decision, two students."""
    german = _in("de")
    klass = tmp_path / "7b"
    i18n.set_language("de")
    SaveStore(klass / "anna", german).save("spiel", _finished(german), "Anna")
    i18n.set_language("en")
    SaveStore(klass / "ben", english).save("game", _finished(english), "Ben")

    found = report.collect([klass], english)
    assert found.students == ("Anna", "Ben")
    splits = report.decision_splits(found, "prologue")
    assert splits, "the prologue has decisions"
    for split in splits:
        assert split.decided == 2 and split.players == 2
        assert sorted(o.count for o in split.options)[-1] == 2  # both chose alike
    english_text = report.render(found, "md")
    assert "2 students played this campaign; 2 finished." in english_text

    if _catalog("de").exists():
        i18n.set_language("de")
        in_german = report.collect([klass], german)
        assert [s.decided for s in report.decision_splits(in_german, "prologue")] == \
            [s.decided for s in splits]
        text = report.render(in_german, "md")
        assert "# Klassenbericht: " in text
        assert "2 Schüler haben diese Kampagne gespielt; 2 sind fertig." in text
