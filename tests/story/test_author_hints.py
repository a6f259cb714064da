"""Diagnostics for the mistakes authors make (reviews/author.md (b), (d); author_mistakes.md):
each points at the mistake and says what to do."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import CHAPTER, MANIFEST, StoryMaker

from moscow1941.story import load_story
from moscow1941.story.diagnostics import Diagnostic
from moscow1941.story.lint import lint


def found(root: Path, code: str) -> list[Diagnostic]:
    result = load_story(root)
    items = list(result.diagnostics)
    if result.story is not None:
        items += lint(result.story)
    return [d for d in items if d.code == code]


def one(root: Path, code: str) -> Diagnostic:
    hits = found(root, code)
    assert len(hits) == 1, hits
    return hits[0]


def test_only_format_1_is_known(make_story: StoryMaker) -> None:
    d = one(make_story({"story.yaml": MANIFEST.replace("format: 1", "format: 2")}), "E202")
    assert (d.line, d.col) == (1, 9) and "format 2 is not known" in d.message
    assert "format: 1" in d.hint
    assert load_story(make_story({"story.yaml": MANIFEST})).ok


def test_a_merge_key_says_merge_keys_are_not_supported(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("  b:\n    date: 1941-04-14\n    place: Moscow\n",
                              "  b: &base\n    date: 1941-04-14\n    place: Moscow\n")
    chapter += "  d:\n    <<: *base\n    title: Copy\n"
    d = one(make_story({"ch1.yaml": chapter}), "E104")
    assert "merge keys" in d.message and "'!'" not in d.hint and "write the fields out" in d.hint


def test_type_mismatches_have_a_hint(make_story: StoryMaker) -> None:
    condition = one(make_story({"ch1.yaml": CHAPTER.replace("goto: c\n", "goto: c\n        if: trust\n")}),
                    "E404")
    assert "trust >= 2" in condition.hint
    effect = one(make_story({"ch1.yaml": CHAPTER.replace("set: flag = true", "set: flag = 1")}),
                 "E404")
    assert "true or false" in effect.hint


def test_unknown_names_with_nothing_near_still_get_a_hint(make_story: StoryMaker) -> None:
    var = one(make_story({"ch1.yaml": CHAPTER.replace("set: flag = true", "set: zqxjk = 1")}),
              "E403")
    assert "variables:" in var.hint
    node = one(make_story({"ch1.yaml": CHAPTER.replace("goto: c", "goto: zqxjk_wvu")}), "E301")
    assert node.hint and "node ids" in node.hint


def test_node_warnings_point_at_the_node_id(make_story: StoryMaker) -> None:
    chapter = CHAPTER + "  lost:\n    date: 1941-04-14\n    place: Moscow\n    title: L\n    text: x\n" \
        "    ending: {title: L, kind: close, epilogue: x}\n"
    d = one(make_story({"ch1.yaml": chapter}), "W501")
    line = chapter.splitlines().index("  lost:") + 1
    assert (d.line, d.col) == (line, 3)


def test_c_style_operators_get_a_hint_about_words(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("goto: c\n", "goto: c\n        if: trust <= 1 && !flag\n")})
    d = one(root, "E401")
    assert "'and' for '&&'" in d.hint and "'not' for '!'" in d.hint


def test_effects_separated_by_commas_get_a_hint_about_semicolons(make_story: StoryMaker) -> None:
    d = one(make_story({"ch1.yaml": CHAPTER.replace("set: trust += 1", "set: trust += 1, trust -= 1")}),
            "E401")
    assert "';'" in d.hint


def test_a_quoted_true_is_named_as_text(make_story: StoryMaker) -> None:
    d = one(make_story({"ch1.yaml": CHAPTER.replace("historical: true", 'historical: "true"')}),
            "E202")
    assert "in quotes, it is text" in d.message and d.hint == "drop the quotes: true"


def test_history_indented_into_a_choice_says_so(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("    history:\n      text: It went on.\n      sources: [A source]\n",
                              "        history:\n          text: It went on.\n"
                              "          sources: [A source]\n")
    d = one(make_story({"ch1.yaml": chapter}), "E204")
    assert "belongs to the node" in d.hint and "indent it less" in d.hint


@settings(max_examples=60, deadline=None)
@given(before=st.integers(0, 30), after=st.integers(0, 30))
def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path_factory: object, before: int,
                                                      after: int) -> None:
    import tempfile
    lines = ["nodes:"] + [f"  n{i}: {{date: 1941-04-12, place: p, title: t, text: x, "
                          "ending: {title: e, kind: close, epilogue: x}}" for i in range(before)]
    lines += ["  q:", "    date: 1941-04-12", '    title: "Never closed', "    place: p"]
    lines += [f"  m{i}:\n    title: t{i}" for i in range(after)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "story.yaml").write_text(MANIFEST)
        (root / "ch1.yaml").write_text(CHAPTER)
        (root / "ch2.yaml").write_text("\n".join(lines) + "\n")
        [d] = [d for d in load_story(root).diagnostics if d.code == "E101"]
    assert (d.line, d.col) == (before + 4, 12), d
    assert "never closed" in d.message and "close the quote" in d.hint


def test_a_goto_into_another_campaign_is_reported_at_the_goto(make_story: StoryMaker) -> None:
    manifest = MANIFEST.replace("    start: a\n", "    start: a\n  other:\n    title: Other\n"
                                "    blurb: b\n    start: o_start\n")
    other = ("nodes:\n  o_start:\n    date: 1941-04-12\n    place: p\n    title: O\n    text: x\n"
             "    choices: [{text: on, goto: o_end}]\n"
             "  o_end:\n    date: 1941-04-14\n    place: p\n    title: E\n    text: x\n"
             "    ending: {title: E, kind: close, epilogue: x}\n")
    root = make_story({"story.yaml": manifest, "ch1.yaml": CHAPTER.replace("goto: c", "goto: o_end"),
                       "other/o.yaml": other})
    d = one(root, "W513")
    assert (d.line, d.col) == (13, 15) and "campaign 'other'" in d.message and "goto: c" in d.hint
    assert {w.code for w in found(root, "W501")} == {"W501"}


def test_a_goto_with_a_close_name_to_a_stranded_scene_is_reported(make_story: StoryMaker) -> None:
    # The first choice should lead to 'ending_a', which nothing reaches now.
    chapter = (CHAPTER.replace("goto: b\n", "goto: ending_b\n").replace("goto: c\n", "goto: ending_b\n")
               .replace("  b:\n", "  ending_a:\n").replace("  c:\n", "  ending_b:\n"))
    hits = found(make_story({"ch1.yaml": chapter}), "W513")
    assert (hits[0].line, hits[0].col) == (9, 15)
    assert "'ending_a'" in hits[0].message and "goto: ending_a" in hits[0].hint


def test_an_event_dated_long_before_every_scene_is_a_warning(make_story: StoryMaker) -> None:
    d = one(make_story({"story.yaml": MANIFEST.replace("date: 1941-04-13", "date: 1914-04-13")}),
            "W514")
    assert "1914" in d.message and "five years" in d.message and "1914 for 1941" in d.hint
    assert not found(make_story({"story.yaml": MANIFEST.replace("date: 1941-04-13", "date: 1939-08-23")}),
                     "W514")
