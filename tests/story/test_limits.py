"""The documented limits of docs/story-format.md "Safety and limits": each ends in its
diagnostic, quickly, and the text that passes is safe to print."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import CHAPTER, REPO, StoryMaker

from moscow1941.story import load, load_story
from moscow1941.story.diagnostics import Severity
from moscow1941.textsafe import escape_controls, find_control, strip_controls

ENDING = "ending: {title: e, kind: close, epilogue: x}"


def diags(root: Path) -> list[tuple[str, str, int, int, str]]:
    return [(Path(d.path).name, d.code, d.line, d.col, d.message)
            for d in load_story(root).diagnostics]


def codes(root: Path) -> list[str]:
    return [d[1] for d in diags(root)]


# ---- what is read ---------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_at_once_without_waiting(make_story: StoryMaker) -> None:
    root = make_story()
    os.mkfifo(root / "pipe.yaml")
    start = time.perf_counter()
    found = diags(root)
    assert time.perf_counter() - start < 2
    assert ("pipe.yaml", "E100", 0, 0, "cannot read file: it is a pipe, not a regular file") in found


def test_a_folder_named_yaml_is_refused(make_story: StoryMaker) -> None:
    root = make_story()
    (root / "odd.yaml").mkdir()
    assert ("odd.yaml", "E100") in [(d[0], d[1]) for d in diags(root)]


def test_a_sparse_8_gib_file_is_refused_before_reading(make_story: StoryMaker) -> None:
    root = make_story()
    with open(root / "sparse.yaml", "wb") as f:
        f.truncate(8 * 1024**3)
    start = time.perf_counter()
    found = diags(root)
    assert time.perf_counter() - start < 1
    assert [d[:2] for d in found] == [("sparse.yaml", "E102")]


def test_a_symlink_loop_is_e100_not_a_traceback(make_story: StoryMaker) -> None:
    root = make_story()
    os.symlink("b.yaml", root / "a.yaml")
    os.symlink("a.yaml", root / "b.yaml")
    found = diags(root)
    assert {(d[0], d[1]) for d in found} == {("a.yaml", "E100"), ("b.yaml", "E100")}
    assert all("loop of symbolic links" in d[4] for d in found)


# ---- budgets ---------------------------------------------------------------------------------

def _nodes(count: int, prefix: str = "n", text: str = "x") -> str:
    return "nodes:\n" + "".join(
        f"  {prefix}{i}: {{date: 1941-04-12, place: p, title: t, text: {text}, {ENDING}}}\n"
        for i in range(count))


def test_the_whole_story_has_a_byte_budget(make_story: StoryMaker,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_STORY_BYTES", 20_000)
    files = {f"more/f{k}.yaml": _nodes(50, f"f{k}_") for k in range(5)}  # about 5 KB each
    root = make_story(files)
    found = diags(root)
    too_large = [d for d in found if d[1] == "E107"]
    assert len(too_large) == 1 and "MiB" in too_large[0][4] and "the rest were not read" in too_large[0][4]
    assert found[0][1] != "E301"  # the cause first


def test_the_whole_story_has_a_value_budget(make_story: StoryMaker,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_STORY_VALUES", 1_000)
    root = make_story({f"more/f{k}.yaml": _nodes(50, f"f{k}_") for k in range(5)})
    assert codes(root).count("E107") == 1
    assert any("values" in d[4] for d in diags(root) if d[1] == "E107")


def test_a_million_values_in_one_file_are_refused_before_they_are_built(
        make_story: StoryMaker) -> None:
    items = ",".join(["a"] * 1_000_000)
    root = make_story({"h.yaml": f"nodes:\n  m:\n    date: 1941-04-12\n    place: p\n"
                                 f"    title: t\n    text: [{items}]\n    {ENDING}\n"})
    start = time.perf_counter()
    found = diags(root)
    assert time.perf_counter() - start < 5
    assert [d[:2] for d in found] == [("h.yaml", "E107")]


def test_a_long_scalar_aliased_many_times_is_e105(make_story: StoryMaker) -> None:
    big = "x" * 90_000  # within one node's limit; 12 uses pass 1,000,000 characters
    text = (f"glossary:\n  g: {{term: t, kind: term, text: &big '{big}'}}\n"
            + _nodes(10_000, text="*big"))
    root = make_story({"h.yaml": text})
    start = time.perf_counter()
    found = diags(root)
    assert time.perf_counter() - start < 5
    assert [d[1] for d in found] == ["E105"] and "1,000,000 characters" in found[0][4]


def test_short_anchored_text_may_be_reused_and_is_split_once(make_story: StoryMaker) -> None:
    text = "glossary:\n  g:\n    term: t\n    kind: term\n    text: &t |\n      One.\n\n      Two.\n"
    root = make_story({"h.yaml": text + _nodes(300, text="*t")})
    result = load_story(root)
    assert result.story is not None, [d.format() for d in result.diagnostics]
    shared = [result.story.nodes[f"n{i}"].passages for i in range(300)]
    assert all(len(p) == 2 for p in shared)
    assert all(a.template is b.template for a, b in zip(shared[0], shared[299], strict=True))


def test_a_bad_hole_in_anchored_text_is_reported_once(make_story: StoryMaker) -> None:
    text = "glossary:\n  g: {term: t, kind: term, text: &t 'Hello {nobody}'}\n"
    root = make_story({"h.yaml": text + _nodes(50, text="*t")})
    assert codes(root).count("E406") == 1


def test_a_node_with_too_many_paragraphs_is_e407(make_story: StoryMaker) -> None:
    many = ", ".join(["a"] * (load.MAX_PARAGRAPHS + 1))
    root = make_story({"h.yaml": f"nodes:\n  m:\n    date: 1941-04-12\n    place: p\n"
                                 f"    title: t\n    text: [{many}]\n    {ENDING}\n"})
    found = [d for d in diags(root) if d[1] == "E407"]
    assert [(d[0], d[2], d[3]) for d in found] == [("h.yaml", 6, 11)]
    assert "202 paragraphs" in found[0][4]  # 201 and the epilogue


def test_a_node_with_too_much_text_is_e407(make_story: StoryMaker) -> None:
    long = "w " * (load.MAX_NODE_CHARS // 2 + 10)
    root = make_story({"h.yaml": f"nodes:\n  m:\n    date: 1941-04-12\n    place: p\n"
                                 f"    title: t\n    text: '{long}'\n    {ENDING}\n"})
    assert "E407" in codes(root)


def test_a_node_with_too_many_choices_is_e209(make_story: StoryMaker) -> None:
    choices = "".join("      - {text: go, goto: b}\n" for _ in range(load.MAX_CHOICES + 1))
    root = make_story({"h.yaml": "nodes:\n  m:\n    date: 1941-04-12\n    place: p\n"
                                 f"    title: t\n    text: x\n    choices:\n{choices}"})
    assert any(d[1] == "E209" and "101 choices" in d[4] for d in diags(root))


# ---- control characters ------------------------------------------------------------------------

@pytest.mark.parametrize("escape, named", [
    ("\\e[2J", "U+001B (ESC)"), ("\\x1b[31m", "U+001B (ESC)"), ("\\u009b2J", "U+009B (CSI)"),
    ("\\a", "U+0007 (BEL)"), ("\\x85", "U+0085 (NEL)"), ("\\r", "U+000D (carriage return)"),
    ("\\x08", "U+0008 (backspace)"), ("\\x7f", "U+007F (DEL)"),
])
def test_control_characters_are_removed_with_a_warning(make_story: StoryMaker, escape: str,
                                                       named: str) -> None:
    chapter = CHAPTER.replace("title: Start", f'title: "Start{escape} now"')
    result = load_story(make_story({"ch1.yaml": chapter}))
    assert result.story is not None
    [warning] = result.diagnostics
    assert (Path(warning.path).name, warning.line, warning.col, warning.code) == (
        "ch1.yaml", 5, 12, "W512")
    assert warning.severity is Severity.WARNING and named in warning.message
    title = result.story.nodes["a"].title
    assert find_control(title) == -1 and title.startswith("Start") and title.endswith("now")


def test_every_text_field_is_cleaned(make_story: StoryMaker) -> None:
    chapter = (CHAPTER.replace("text: Trust is {trust}.", 'text: "\\e]0;pwned\\a Trust is {trust}."')
               .replace("- text: Go on.", '- text: "\\x1b[8mhidden\\x1b[0m"')
               .replace("epilogue: As it was.", 'epilogue: "\\e[?1049hAs it was."'))
    result = load_story(make_story({"ch1.yaml": chapter}))
    assert result.story is not None
    assert [d.code for d in result.diagnostics] == ["W512"] * 3
    node = result.story.nodes["a"]
    shown = [p.template.source for p in node.all_passages] + [c.text.source for c in node.choices]
    shown += [p.template.source for p in result.story.nodes["b"].all_passages]
    assert all(find_control(t) == -1 for t in shown), shown


def test_the_shipped_story_has_no_control_characters() -> None:
    result = load_story(REPO / "story")
    assert "W512" not in {d.code for d in result.diagnostics}


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_strip_controls_leaves_only_printable_encodable_text(text: str) -> None:
    clean = strip_controls(text)
    assert find_control(clean) == -1 and strip_controls(clean) == clean
    clean.encode("utf-8")
    assert all(ch in clean for ch in text if ch in "\n\t" or ch.isalnum())
    escaped = escape_controls(text)
    assert find_control(escaped) == -1
    escaped.encode("utf-8")


def test_strip_controls_returns_safe_text_itself() -> None:
    text = "Молотов и Мацуока\n\tподписывают пакт. 🙂"
    assert strip_controls(text) is text


# ---- diagnostics: duplicates and volume ------------------------------------------------------

def test_identical_diagnostics_are_reported_once(make_story: StoryMaker) -> None:
    text = ("glossary:\n  g: {term: t, kind: term, text: x, match: &m [[a], [b], [c]]}\n"
            "nodes:\n  z:\n    date: 1941-04-12\n    place: p\n    title: t\n"
            "    text: *m\n    " + ENDING + "\n")
    found = diags(make_story({"h.yaml": text}))
    assert len(found) == len(set(found))


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "moscow1941", "check", str(root), *args],
                          capture_output=True, text=True, timeout=120, cwd=REPO)


def test_check_prints_the_first_200_problems_and_counts_the_rest(make_story: StoryMaker) -> None:
    root = make_story({"h.yaml": "nodes:\n" + "".join(f"  n{i}: {{zz: 1}}\n" for i in range(3000))})
    out = _check(root)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert sum(1 for line in lines if ": error E" in line) == 200
    result = load_story(root)
    total = len(result.diagnostics) + result.omitted_errors
    assert total == 15_000  # five per node: four missing fields and the unknown key
    assert f"... {total - 200} more not shown" in out.stdout
    assert lines[-1].endswith(f"{total} errors, 0 warnings")
    data = json.loads(_check(root, "--format", "json").stdout)
    assert len(data["diagnostics"]) == 200 and data["not_shown"] == total - 200
    assert data["errors"] == total


def test_the_loader_keeps_at_most_max_kept_diagnostics(make_story: StoryMaker) -> None:
    from moscow1941.story.diagnostics import MAX_KEPT
    root = make_story({"h.yaml": "nodes:\n" + "".join(f"  n{i}: {{zz: 1}}\n"
                                                      for i in range(MAX_KEPT))})
    result = load_story(root)
    assert len(result.diagnostics) == MAX_KEPT and result.omitted_errors > 0 and not result.ok


def test_a_huge_key_is_quoted_short(make_story: StoryMaker) -> None:
    root = make_story({"h.yaml": "nodes:\n  a:\n    " + "k" * 100_000 + ": 1\n"})
    assert all(len(d[4]) <= 300 for d in diags(root))


# ---- a file that cannot be read comes first, without a cascade of E301 -----------------------

_START, _ENDS = CHAPTER.split("  b:\n", 1)
_ENDS = "nodes:\n  b:\n" + _ENDS  # nodes b and c, which node a's choices lead to


@pytest.mark.parametrize("broken", [
    _ENDS.encode("utf-16"),                                             # E102
    _ENDS.replace("  b:\n", "  b: !!python/object:os.system\n").encode(),  # E104
    _ENDS.replace("title: End", "title: \"End").encode(),               # E101, unclosed quote
    _ENDS.replace("  c:\n", "\tc:\n").encode(),                         # E101, a tab
    b"nodes:\n  b: {x: \x00}\n",                                        # E102, NUL
])
def test_a_file_that_cannot_be_read_is_the_first_thing_reported(make_story: StoryMaker,
                                                                broken: bytes) -> None:
    root = make_story({"ch1.yaml": _START, "ch9.yaml": broken})
    found = diags(root)
    assert found[0][0] == "ch9.yaml" and found[0][1].startswith("E1"), found
    e301 = [d for d in found if d[1] == "E301"]
    assert len(e301) == 1 and e301[0][0] == "ch9.yaml" and "could not be read" in e301[0][4]
    assert found.index(e301[0]) == 1


def test_without_a_failed_file_each_unknown_goto_is_reported(make_story: StoryMaker) -> None:
    found = diags(make_story({"ch1.yaml": _START}))
    assert [(d[1], d[2], d[3]) for d in found] == [("E301", 9, 15), ("E301", 13, 15)]


# ---- commands that write files ---------------------------------------------------------------

@pytest.mark.parametrize("command", ["graph", "schema"])
def test_output_to_a_missing_folder_is_a_clear_error(command: str, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.txt"
    out = subprocess.run([sys.executable, "-m", "moscow1941", command, "-o", str(target)],
                         capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "cannot write" in out.stderr and "does not exist" in out.stderr
    assert not target.parent.exists()


def test_textsafe_imports_nothing_of_the_game() -> None:
    code = ("import sys, moscow1941.textsafe; "
            "print(sorted(m for m in sys.modules if m.startswith('moscow1941')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['moscow1941', 'moscow1941.textsafe']"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_manifest_that_is_a_pipe_is_named_as_such(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER}, base=False)
    os.mkfifo(root / "story.yaml")
    first = diags(root)[0]  # the cause first, before what follows from it (unknown variables)
    assert first[:2] == ("story.yaml", "E100") and "pipe" in first[4]
