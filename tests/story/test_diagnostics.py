"""Every diagnostic code: a small fixture that triggers it, and where it must point."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import CHAPTER, MANIFEST, StoryMaker

from moscow1941.story import load_story
from moscow1941.story.diagnostics import Severity
from moscow1941.story.lint import lint


def codes(root: Path) -> list[tuple[str, str, int, int]]:
    result = load_story(root)
    return [(Path(d.path).name, d.code, d.line, d.col) for d in result.diagnostics]


def only(root: Path, code: str) -> tuple[str, int, int, str, str]:
    result = load_story(root)
    found = [d for d in result.diagnostics if d.code == code]
    assert found, f"expected {code}, got {[d.format() for d in result.diagnostics]}"
    assert result.story is None
    d = found[0]
    return Path(d.path).name, d.line, d.col, d.message, d.hint


def test_valid_tiny_story_has_no_diagnostics(make_story: StoryMaker) -> None:
    result = load_story(make_story())
    assert result.diagnostics == ()
    assert result.story is not None and set(result.story.nodes) == {"a", "b", "c"}


def test_e100_missing_folder_and_manifest(tmp_path: Path, make_story: StoryMaker) -> None:
    assert load_story(tmp_path / "nowhere").diagnostics[0].code == "E100"
    root = make_story({"ch1.yaml": CHAPTER}, base=False)
    d = load_story(root).diagnostics[0]
    assert (d.code, Path(d.path).name) == ("E100", "story.yaml")


def test_e101_yaml_syntax_error_has_line(make_story: StoryMaker) -> None:
    root = make_story({"ch2.yaml": "nodes:\n  x: [1, 2\n  y: 3\n"})
    name, line, col, message, _ = only(root, "E101")
    assert name == "ch2.yaml" and line == 3 and "syntax" in message


def test_e101_tab_indentation_gets_a_hint(make_story: StoryMaker) -> None:
    root = make_story({"ch2.yaml": "nodes:\n\tx: 1\n"})
    _, line, _, _, hint = only(root, "E101")
    assert line == 2 and "tabs" in hint


def test_e102_not_utf8_points_at_the_byte(make_story: StoryMaker) -> None:
    root = make_story({"ch2.yaml": b"nodes:\n  # caf\xe9\n"})
    name, line, col, message, _ = only(root, "E102")
    assert (name, line, col) == ("ch2.yaml", 2, 8) and "UTF-8" in message


def test_e102_huge_file_is_refused_before_parsing(make_story: StoryMaker) -> None:
    root = make_story({"big.yaml": "nodes: {}\n#" + "x" * (2 * 1024 * 1024 + 10) + "\n"})
    assert only(root, "E102")[0] == "big.yaml"


def test_e103_deep_nesting_is_refused_without_crashing(make_story: StoryMaker) -> None:
    depth = 50_000  # libyaml's own composer would crash the process at this depth
    root = make_story({"deep.yaml": "nodes: " + "[" * depth + "]" * depth + "\n"})
    name, line, _, message, _ = only(root, "E103")
    assert name == "deep.yaml" and line == 1 and "deeper" in message


@pytest.mark.parametrize("text, where", [
    ("nodes: " + "[" * 65 + "]" * 65, (1, 71)),             # just past the limit, a small file
    ("nodes: " + "[" * 200 + "]" * 200, (1, 71)),           # small: no pre-scan
    ("nodes: " + "[" * 2000 + "]" * 2000, None),            # libyaml's own limit answers first
    ("nodes: " + "[" * 200, (1, 71)),                       # unclosed: a syntax error further on
    ("".join(" " * i + "a:\n" for i in range(200)), (65, 65)),   # block mappings
    ("nodes:\n" + "".join(" " * i + "-\n" for i in range(200)), (65, 64)),  # block lists
    ("".join(" " * i + "a:\n" for i in range(1200)), (65, 65)),  # past libyaml's limit
])
def test_e103_deep_nesting_is_e103_at_any_size(make_story: StoryMaker, text: str,
                                                where: tuple[int, int] | None) -> None:
    root = make_story({"deep.yaml": text + "\n"})
    name, line, col, message, _ = only(root, "E103")
    assert name == "deep.yaml" and "deeper than 64" in message
    assert where is None or (line, col) == where
    assert [d.code for d in load_story(root).diagnostics] == ["E103"]


def test_64_levels_are_not_e103(make_story: StoryMaker) -> None:
    root = make_story({"deep.yaml": "nodes: " + "[" * 63 + "]" * 63 + "\n"})
    assert "E103" not in {d.code for d in load_story(root).diagnostics}


def test_e104_python_tags_are_refused(make_story: StoryMaker) -> None:
    root = make_story({"evil.yaml": "nodes:\n  evil: !!python/object/apply:os.system ['touch pwned']\n"})
    name, line, col, message, _ = only(root, "E104")
    assert (name, line, col) == ("evil.yaml", 2, 9) and "tag" in message


def test_e105_alias_bomb_is_stopped(make_story: StoryMaker) -> None:
    lines = ["a0: &a0 {date: 1941-01-01, place: p, title: t, text: x, choices: []}"]
    bomb = "nodes:\n" + "".join(f"  n{i}: *a0\n" for i in range(10_050))
    root = make_story({"bomb.yaml": "\n".join(lines) + "\n" + bomb})
    codes_found = {d.code for d in load_story(root).diagnostics}
    assert "E105" in codes_found


def test_e106_symlink_outside_the_folder(tmp_path: Path, make_story: StoryMaker) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("nodes: {}\n")
    root = make_story()
    os.symlink(outside, root / "link.yaml")
    assert only(root, "E106")[0] == "link.yaml"


def test_e201_file_must_be_a_mapping(make_story: StoryMaker) -> None:
    root = make_story({"list.yaml": "- a\n- b\n"})
    assert only(root, "E201")[:3] == ("list.yaml", 1, 1)


def test_e201_empty_file(make_story: StoryMaker) -> None:
    root = make_story({"empty.yaml": "# nothing here\n"})
    assert only(root, "E201")[0] == "empty.yaml"


def test_e202_wrong_type(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("    choices:\n      - text: Go on.",
                                                   "    choices:\n      - text: [Go on]", 1)})
    name, line, col, message, _ = only(root, "E202")
    assert (name, line) == ("ch1.yaml", 8) and col == 15 and "text" in message


def test_e202_bad_number(make_story: StoryMaker) -> None:
    root = make_story({"story.yaml": MANIFEST.replace("weight: 2", "weight: heavy")})
    name, line, col, _, _ = only(root, "E202")
    assert (name, line, col) == ("story.yaml", 22, 13)


def test_e203_duplicate_key_is_caught(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("    place: Moscow\n    title: Start",
                                                   "    place: Moscow\n    title: Start\n    title: Again", 1)})
    name, line, col, message, hint = only(root, "E203")
    assert (name, line, col) == ("ch1.yaml", 6, 5) and "title" in message and "line 5" in hint


def test_e204_unknown_key_suggests_the_right_one(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("    choices:", "    choises:", 1)})
    name, line, col, message, hint = only(root, "E204")
    assert (name, line, col) == ("ch1.yaml", 7, 5)
    assert "choises" in message and hint == "did you mean 'choices'?"


def test_e205_missing_required_field(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("    place: Moscow\n    title: Start\n", "    place: Moscow\n", 1)})
    name, line, col, message, _ = only(root, "E205")
    assert (name, line, col) == ("ch1.yaml", 3, 5) and "title" in message


def test_e206_malformed_date(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("date: 1941-04-12", "date: 1941-02-30", 1)})
    name, line, col, message, _ = only(root, "E206")
    assert (name, line, col) == ("ch1.yaml", 3, 11) and "not a real day" in message


def test_e206_date_in_the_wrong_form(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("date: 1941-04-12", "date: 13 April 1941", 1)})
    assert "YYYY-MM-DD" in only(root, "E206")[3]


def test_e207_default_outside_bounds(make_story: StoryMaker) -> None:
    root = make_story({"story.yaml": MANIFEST.replace("    min: -3", "    default: 9\n    min: -3")})
    name, line, col, message, _ = only(root, "E207")
    assert (name, line, col) == ("story.yaml", 12, 14) and "outside" in message


def test_e208_invalid_id(make_story: StoryMaker) -> None:
    root = make_story({"ch2.yaml": "nodes:\n  bad-id:\n    date: 1941-01\n"})
    assert only(root, "E208")[:3] == ("ch2.yaml", 2, 3)


def test_e209_ending_with_choices(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace(
        "    ending: {title: History, kind: historical, epilogue: As it was.}",
        "    ending: {title: History, kind: historical, epilogue: As it was.}\n"
        "    choices: [{text: again, goto: a}]", 1)})
    assert only(root, "E209")[0] == "ch1.yaml"


def test_e301_unknown_goto_with_suggestion(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("goto: b", "goto: bb", 1)})
    name, line, col, message, hint = only(root, "E301")
    assert (name, line, col) == ("ch1.yaml", 9, 15) and "'bb'" in message and "'b'" in hint


def test_e302_duplicate_node_across_files(make_story: StoryMaker) -> None:
    root = make_story({"ch2.yaml": "nodes:\n  b:\n    date: 1941-05\n    place: p\n    title: t\n"
                                   "    text: x\n    ending: {title: e, kind: close, epilogue: x}\n"})
    name, line, _, message, hint = only(root, "E302")
    assert (name, line) == ("ch2.yaml", 2) and "ch1.yaml:18" in hint


def test_e401_expression_syntax_error_has_column_inside(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("set: trust += 1", "set: trust += ", 1)})
    name, line, col, _, _ = only(root, "E401")
    assert (name, line) == ("ch1.yaml", 11) and col >= 14


def test_e401_single_equals_in_condition_hints(make_story: StoryMaker) -> None:
    root = make_story({"story.yaml": MANIFEST.replace("holds: not flag", "holds: flag = true")})
    _, _, _, _, hint = only(root, "E401")
    assert "==" in hint


def test_e402_calls_are_not_allowed(make_story: StoryMaker) -> None:
    root = make_story({"story.yaml": MANIFEST.replace("holds: not flag", "holds: __import__('os')")})
    name, line, col, message, _ = only(root, "E402")
    assert (name, line, col) == ("story.yaml", 23, 12) and "function call" in message


def test_e403_unknown_variable_points_inside_expression(make_story: StoryMaker) -> None:
    root = make_story({"story.yaml": MANIFEST.replace("holds: not flag", "holds: not flga")})
    name, line, col, message, hint = only(root, "E403")
    assert (name, line, col) == ("story.yaml", 23, 16) and hint == "did you mean 'flag'?"


def test_e404_type_mismatch(make_story: StoryMaker) -> None:
    root = make_story({"story.yaml": MANIFEST.replace("holds: not flag", "holds: trust and flag")})
    name, line, col, message, _ = only(root, "E404")
    assert (name, line, col) == ("story.yaml", 23, 12) and "expected bool" in message


def test_e405_not_an_effect(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("set: flag = true", "set: flag += 1", 1)})
    assert only(root, "E405")[:3] == ("ch1.yaml", 14, 14)


def test_e406_unknown_interpolation_is_located(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("Trust is {trust}.", "Trust is {trsut}.", 1)})
    name, line, col, message, hint = only(root, "E406")
    assert (name, line, col) == ("ch1.yaml", 6, 20) and hint == "did you mean 'trust'?"


def test_many_mistakes_are_all_reported_at_once(make_story: StoryMaker) -> None:
    broken = (CHAPTER.replace("choices:", "choises:", 1).replace("goto: c", "goto: cc", 1)
              .replace("date: 1941-04-14", "date: 1941-13-01", 1))
    root = make_story({"ch1.yaml": broken, "story.yaml": MANIFEST.replace("not flag", "not flg")})
    found = {c for _, c, _, _ in codes(root)}
    assert {"E204", "E206", "E403"} <= found


def warnings(root: Path) -> dict[str, list[str]]:
    result = load_story(root)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    out: dict[str, list[str]] = {}
    for d in lint(result.story):
        assert d.severity is Severity.WARNING
        out.setdefault(d.code, []).append(d.message)
    return out


def test_w501_unreachable_node(make_story: StoryMaker) -> None:
    extra = "nodes:\n  lost:\n    date: 1941-05\n    place: p\n    title: t\n    text: x\n" \
            "    ending: {title: e, kind: close, epilogue: x}\n"
    assert "lost" in warnings(make_story({"ch2.yaml": extra}))["W501"][0]


def test_w502_dead_end(make_story: StoryMaker) -> None:
    dead = CHAPTER.replace("    ending: {title: Other, kind: diverged, epilogue: Not as it was.}\n", "")
    assert "'c'" in warnings(make_story({"ch1.yaml": dead}))["W502"][0]


def test_w503_historical_choice_without_history_note(make_story: StoryMaker) -> None:
    text = CHAPTER.replace("    history:\n      text: It went on.\n      sources: [A source]\n", "")
    assert "W503" in warnings(make_story({"ch1.yaml": text}))


def test_w504_history_note_without_historical_choice(make_story: StoryMaker) -> None:
    text = CHAPTER.replace("        historical: true\n", "")
    assert "W504" in warnings(make_story({"ch1.yaml": text}))


def test_w511_counterfactual_decision_marking_a_historical_choice(make_story: StoryMaker) -> None:
    text = CHAPTER.replace("    history:\n", "    history:\n      counterfactual: true\n")
    found = warnings(make_story({"ch1.yaml": text}))
    assert "W511" in found and "W504" not in found
    unmarked = text.replace("        historical: true\n", "")
    assert not {"W504", "W511"} & set(warnings(make_story({"ch1.yaml": unmarked})))


@pytest.mark.parametrize("code", ["E100", "E101", "E102", "E103", "E104", "E105", "E106",
                                  "E201", "E202", "E203", "E204", "E205", "E206", "E207",
                                  "E208", "E209", "E301", "E302", "E401", "E402", "E403",
                                  "E404", "E405", "E406", "E407", "E107", "W501", "W502", "W503", "W504",
                                  "W512", "W513", "W514",
                                  "W505", "W506", "W507", "W508", "W509", "W510", "W511",
                                  "W600", "W601", "W602", "W603", "W604", "W605", "W606"])
def test_every_code_is_documented_with_an_example(code: str) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md").read_text()
    assert f"## {code}" in doc
    section = doc.split(f"## {code}", 1)[1].split("\n## ", 1)[0]
    assert "```" in section and "Fix" in section


def test_e301_variable_shown_in_an_unknown_campaign(make_story: StoryMaker) -> None:
    root = make_story({"story.yaml": MANIFEST.replace("    show: true\n", "    show: true\n    campaigns: [mian]\n")})
    name, line, col, message, hint = only(root, "E301")
    assert (name, line, col) == ("story.yaml", 15, 17) and "campaign" in message and "'main'" in hint


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_e102_utf16_files_are_named_as_such(make_story: StoryMaker, encoding: str) -> None:
    root = make_story({"ch2.yaml": "nodes:\n  x:\n    title: Café\n".encode(encoding)})
    name, _, _, message, hint = only(root, "E102")
    assert name == "ch2.yaml" and "UTF-16" in message and "UTF-8" in hint
