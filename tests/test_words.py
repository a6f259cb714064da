"""The game's words: every member of each closed set has its words, and the sets are the ones the
format and the engine declare."""

from __future__ import annotations

from typing import get_args

from moscow1941 import words
from moscow1941.engine import TimelineStatus, Verdict
from moscow1941.story import spec
from moscow1941.story.model import EndingKind


def test_every_kind_of_ending_has_its_heading_and_the_format_accepts_exactly_those() -> None:
    assert set(words.ENDING_KINDS) == set(get_args(EndingKind)) == set(spec.ENDING_KINDS)


def test_every_verdict_and_timeline_status_has_its_words_in_every_face() -> None:
    assert set(words.VERDICTS) == set(get_args(Verdict))
    for table in (words.TIMELINE_SHORT, words.TIMELINE_PLAIN, words.TIMELINE_TRANSCRIPT,
                  words.THIS_GAME):
        assert set(table) == set(get_args(TimelineStatus))


def test_an_unknown_kind_of_ending_has_no_heading_and_a_known_one_reads_in_a_sentence() -> None:
    assert words.ending_kind("fate") is None
    assert words.in_sentence(words.ending_kind("diverged") or "") == "a different history"


def test_the_counterfactual_sentence_is_built_from_the_one_phrase() -> None:
    assert words.COUNTERFACTUAL_SENTENCE == ("Counterfactual: no real decision here: "
                                             "a world history never saw.")
