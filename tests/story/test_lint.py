"""Lint warnings W501-W510: each fires on a small story that has the mistake, and stays quiet
on one that has not."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CHAPTER, MANIFEST, StoryMaker

from moscow1941.story import load_story
from moscow1941.story.diagnostics import Diagnostic, Severity
from moscow1941.story.lint import lint


def add_variable(declaration: str, manifest: str = MANIFEST) -> str:
    """The tiny manifest with one more variable declared."""
    return manifest.replace("events:\n", declaration + "events:\n", 1)


def lint_story(root: Path) -> list[Diagnostic]:
    result = load_story(root)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    found = lint(result.story)
    assert all(d.severity is Severity.WARNING for d in found)
    return found


def by_code(root: Path, code: str) -> list[Diagnostic]:
    return [d for d in lint_story(root) if d.code == code]


def with_choice(extra: str) -> str:
    """The tiny chapter with one more choice at node 'a'."""
    return CHAPTER.replace("    history:\n", extra + "    history:\n", 1)


def test_tiny_story_is_lint_clean(make_story: StoryMaker) -> None:
    assert [d.format() for d in lint_story(make_story())] == []


def test_w505_comparison_beyond_the_declared_bound(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": with_choice(
        "      - text: Impossible.\n        goto: b\n        if: trust > 7\n")})
    found = by_code(root, "W505")
    assert len(found) == 1 and "choice 3 of 'a'" in found[0].message
    assert found[0].line == 15 and found[0].hint == "trust can only be 0, 1, 2, 3"


def test_w505_contradiction_over_a_bool(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": with_choice(
        "      - text: Never.\n        goto: b\n        if: flag and not flag\n")})
    assert "'flag and not flag' never holds" in by_code(root, "W505")[0].message


def test_w505_uses_the_values_effects_can_give(make_story: StoryMaker) -> None:
    # trust starts at 0 and only ever goes up: it can never be negative.
    root = make_story({"ch1.yaml": with_choice(
        "      - text: Distrust.\n        goto: b\n        if: trust < 0\n")})
    assert "trust can only be 0, 1, 2, 3" in by_code(root, "W505")[0].hint


def test_w505_interval_reasoning_over_wide_ranges(make_story: StoryMaker) -> None:
    manifest = MANIFEST.replace("    min: -3\n    max: 3\n", "    min: -1000\n    max: 1000\n")
    chapter = with_choice("      - text: Rich.\n        goto: b\n        if: trust * 2 > 5000\n"
                          "      - text: Fine.\n        goto: b\n        if: trust * 2 > 500\n"
                          "        set: trust -= 5\n")
    found = by_code(make_story({"story.yaml": manifest, "ch1.yaml": chapter}), "W505")
    assert [d.message.split(":")[0] for d in found] == ["choice 3 of 'a' can never be taken"]


def test_w505_passage_and_event_conditions(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("    text: Done.\n", "    text:\n      - Done.\n"
                              "      - if: trust == 9\n        text: Never shown.\n", 1)
    manifest = MANIFEST.replace("holds: not flag", "holds: flag and trust > 5")
    found = by_code(make_story({"story.yaml": manifest, "ch1.yaml": chapter}), "W505")
    messages = sorted(d.message for d in found)
    assert "a passage of 'b' is never shown" in messages[0]
    assert "event 'ev' always diverges" in messages[1]


def test_w505_quiet_when_a_condition_can_hold(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": with_choice(
        "      - text: Maybe.\n        goto: b\n        if: 0 < trust <= 3 or flag\n")})
    assert by_code(root, "W505") == []


def test_w506_variable_never_read(make_story: StoryMaker) -> None:
    manifest = add_variable("  unused:\n    type: int\n")
    chapter = CHAPTER.replace("set: trust += 1", "set: trust += 1; unused += trust")
    found = by_code(make_story({"story.yaml": manifest, "ch1.yaml": chapter}), "W506")
    assert len(found) == 1 and "'unused' is never read" in found[0].message


def test_w506_counts_text_interpolation_and_show_as_reads(make_story: StoryMaker) -> None:
    manifest = add_variable("  shown:\n    type: int\n    show: true\n",
                            MANIFEST.replace("    show: true\n", ""))
    chapter = CHAPTER.replace("set: trust += 1", "set: trust += 1; shown += 1")
    # trust is read by the text '{trust}', shown by 'show: true'
    assert by_code(make_story({"story.yaml": manifest, "ch1.yaml": chapter}), "W506") == []


def test_w507_variable_never_written(make_story: StoryMaker) -> None:
    manifest = add_variable("  spare:\n    type: bool\n    default: true\n")
    chapter = CHAPTER.replace("Trust is {trust}.", "Trust is {trust}, spare {spare}.")
    found = by_code(make_story({"story.yaml": manifest, "ch1.yaml": chapter}), "W507")
    assert len(found) == 1 and "always true" in found[0].message
    assert Path(found[0].path).name == "story.yaml"
    assert (found[0].line, found[0].col) == (17, 3)  # the name, not its first field


def test_w508_event_that_can_never_diverge(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("set: flag = true", "set: flag = false")
    found = by_code(make_story({"ch1.yaml": chapter}), "W508")
    assert len(found) == 1 and "event 'ev' can never diverge" in found[0].message
    assert "flag can only be false" in found[0].hint


def test_w508_quiet_for_record_events_without_holds(make_story: StoryMaker) -> None:
    manifest = MANIFEST.replace("    holds: not flag\n", "") .replace(
        "  flag:\n    type: bool\n", "  flag:\n    type: bool\n    show: true\n")
    assert by_code(make_story({"story.yaml": manifest}), "W508") == []


def test_w509_choice_going_back_in_time(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("date: 1941-04-14", "date: 1941-03", 1)
    found = by_code(make_story({"ch1.yaml": chapter}), "W509")
    assert len(found) == 1 and "goes back in time to 'b' (1941-03)" in found[0].message
    assert found[0].line == 8


def test_w509_month_only_dates_overlapping_are_not_backwards(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("date: 1941-04-14", "date: 1941-04", 1)
    assert by_code(make_story({"ch1.yaml": chapter}), "W509") == []


def test_w510_event_after_every_scene(make_story: StoryMaker) -> None:
    manifest = MANIFEST + ("  late:\n    date: 1945-09\n    title: Late\n"
                           "    happened: After everything.\n")
    found = by_code(make_story({"story.yaml": manifest}), "W510")
    assert len(found) == 1 and "'late'" in found[0].message


def test_w501_to_w504_still_reported(make_story: StoryMaker) -> None:
    extra = ("nodes:\n  lost:\n    date: 1941-05\n    place: p\n    title: t\n    text: x\n"
             "    choices:\n      - {text: On., goto: stuck, historical: true}\n"
             "  stuck:\n    date: 1941-05\n    place: p\n    title: t\n    text: x\n")
    codes = {d.code for d in lint_story(make_story({"ch2.yaml": extra}))}
    assert {"W501", "W502", "W503"} <= codes


def test_unknown_name_in_choice_text_is_an_error_e406(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("- text: Go on.", "- text: Go on with {trsut}.")
    result = load_story(make_story({"ch1.yaml": chapter}))
    assert result.story is None
    e406 = [d for d in result.diagnostics if d.code == "E406"]
    assert e406 and "did you mean 'trust'?" in e406[0].hint


def test_unknown_name_in_conditional_passage_is_an_error_e406(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("    text: Done.\n", "    text:\n      - if: flag\n"
                              "        text: Flag is {flg}.\n", 1)
    result = load_story(make_story({"ch1.yaml": chapter}))
    assert [d.code for d in result.diagnostics] == ["E406"]


TWO_DECISIONS = """\
nodes:
  a:
    date: 1941-04-12
    place: Moscow
    title: Start
    text: t
    choices:
{a}
    history: {{text: h, sources: [S]}}
  b:
    date: 1941-04-13
    place: Moscow
    title: Next
    text: t
    choices:
{b}
    history: {{text: h, sources: [S]}}
  end:
    date: 1941-04-14
    place: Moscow
    title: End
    text: t
    ending: {{title: E, kind: historical, epilogue: e}}
  other:
    date: 1941-04-14
    place: Moscow
    title: Other
    text: t
    ending: {{title: O, kind: diverged, epilogue: o}}
"""
HISTORY = "      - {text: As history, goto: %s, historical: true}"
OTHER = "      - {text: Otherwise, goto: other, set: flag = true}"
FIRST = HISTORY + "\n" + OTHER
SECOND = OTHER + "\n" + HISTORY


def test_w520_historical_choices_mostly_in_one_position(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": TWO_DECISIONS.format(a=FIRST % "b", b=FIRST % "end")})
    found = by_code(root, "W520")
    assert len(found) == 1
    assert "choice 1 in 2 of its 2 decisions" in found[0].message
    story = load_story(root).story
    assert story is not None
    assert found[0].line == story.nodes["a"].line  # at the earliest decision of them


def test_w520_is_quiet_when_positions_vary(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": TWO_DECISIONS.format(a=FIRST % "b", b=SECOND % "end")})
    assert by_code(root, "W520") == []
