"""Hostile and random input for every parser: the story loader, the expression language and the
save loader. Every case must end in diagnostics (or an unreadable save) within bounded time and
memory: never a traceback, never a hang, never code run or a file read outside the story.

The hypothesis tests run a modest number of cases by default; `MOSCOW1941_FUZZ=N` multiplies
them by N (`MOSCOW1941_FUZZ=50 python -m pytest tests/test_fuzz.py` is the long run). The hostile
files run each in a subprocess under a memory limit and a timeout, so a crash inside libyaml or a
runaway allocation fails the test instead of the test run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import CHAPTER, MANIFEST, REPO, SHIPPED_STORY

from moscow1941.engine import Game
from moscow1941.engine.saves import SaveError, SaveInfo, SaveStore, UnreadableSave
from moscow1941.story import LoadResult, Severity, Story, load_story
from moscow1941.story.expr import ExprError, VarInfo, compile_condition, compile_effects

FACTOR = max(1, int(os.environ.get("MOSCOW1941_FUZZ", "1")))
CASE_SECONDS = 5.0  # one in-process case; the slowest real story loads in well under a second


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples * FACTOR, deadline=CASE_SECONDS * 1000,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                    database=None, derandomize=FACTOR == 1)


def assert_diagnosed(result: LoadResult) -> None:
    """A story that did not load says why; every diagnostic is complete and printable."""
    if result.story is None:
        assert any(d.severity is Severity.ERROR for d in result.diagnostics)
    for d in result.diagnostics:
        assert d.code and d.message and d.path and d.line >= 0 and d.col >= 0
        assert d.format() and json.dumps(d.to_json())


def load_files(files: dict[str, bytes]) -> LoadResult:
    """Load a story folder holding `files`, checked for diagnostics and time."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        start = time.perf_counter()
        result = load_story(root)
        assert time.perf_counter() - start < CASE_SECONDS
    assert_diagnosed(result)
    return result


TINY = {"story.yaml": MANIFEST.encode(), "ch1.yaml": CHAPTER.encode()}


# ---- the story loader: random bytes and YAML-ish text --------------------------------------------

@fuzz(150)
@given(data=st.binary(max_size=3000), as_manifest=st.booleans())
def test_random_bytes_in_a_story_file_end_in_diagnostics(data: bytes, as_manifest: bool) -> None:
    load_files({**TINY, "story.yaml" if as_manifest else "ch2.yaml": data})


_WORDS = ["nodes", "campaigns", "variables", "events", "glossary", "chapter", "format", "id",
          "title", "text", "choices", "goto", "set", "if", "locked", "history", "ending", "date",
          "place", "weight", "holds", "sources", "type", "default", "min", "max", "start", "blurb",
          "a", "b", "c", "trust", "flag", "1941-04-13", "1941-13", "0", "-1", "1e9", "99999999999",
          "true", "no", "null", "~", "trust += 1", "flag = true", "not flag", "{trust}", "{", "}}",
          "x" * 50, "Ж", "日本", "\u202e", "🙂"]
_TOKENS = ["", " ", "- ", ": ", ":", "&a ", "*a", "*b", "!!python/object/apply:os.system ",
           "!local ", "!!str ", "!!binary ", "<<: ", "? ", "[", "]", "{", "}", ", ", "'", '"',
           "|", ">", "|-", "#", "---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:", "\t", "\\",
           "@", "`", "%"]

_yaml_line = st.builds(
    lambda indent, parts: " " * indent + "".join(parts),
    st.integers(0, 12),
    st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_TOKENS),
                       st.text(max_size=8)), max_size=8))


@fuzz(200)
@given(lines=st.lists(_yaml_line, max_size=40), as_manifest=st.booleans())
def test_yaml_like_text_ends_in_diagnostics(lines: list[str], as_manifest: bool) -> None:
    text = "\n".join(lines).encode("utf-8", "surrogatepass")
    load_files({**TINY, "story.yaml" if as_manifest else "ch2.yaml": text})


# ---- the story loader: the shipped story, mutated ------------------------------------------------

@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shipped") / "story"
    shutil.copytree(SHIPPED_STORY, root)
    return root


def _mutate(data: bytes, ops: list[tuple[int, int, int, int]]) -> bytes:
    """Line and byte surgery: delete, duplicate or swap lines, flip bits, truncate, splice."""
    lines = data.split(b"\n")
    for kind, a, b, c in ops:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[j])
        elif kind == 2:
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3 and lines[i]:
            line = bytearray(lines[i])
            line[c % len(line)] ^= 1 << (b % 8)
            lines[i] = bytes(line)
        elif kind == 4:
            joined = b"\n".join(lines)
            lines = joined[: a % (len(joined) + 1)].split(b"\n")
        elif kind == 5:
            lines[i] = lines[i][: c % (len(lines[i]) + 1)] + lines[j]
    return b"\n".join(lines)


_ops = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 10**6), st.integers(0, 10**6),
                          st.integers(0, 10**6)), min_size=1, max_size=6)


@fuzz(50)
@given(pick=st.integers(0, 10**6), ops=_ops)
def test_mutated_shipped_story_files_end_in_diagnostics(
        shipped_copy: Path, pick: int, ops: list[tuple[int, int, int, int]]) -> None:
    files = sorted(p for p in shipped_copy.rglob("*.yaml"))
    target = files[pick % len(files)]
    original = target.read_bytes()
    try:
        target.write_bytes(_mutate(original, ops))
        start = time.perf_counter()
        result = load_story(shipped_copy)
        assert time.perf_counter() - start < CASE_SECONDS
        assert_diagnosed(result)
    finally:
        target.write_bytes(original)


# ---- the expression language ---------------------------------------------------------------------

_VARS = {"trust": VarInfo("int", -3, 3), "n": VarInfo("int"), "flag": VarInfo("bool"),
         "side": VarInfo("text")}
_VALUES: dict[str, bool | int | str] = {"trust": 0, "n": 5, "flag": False, "side": "north"}
_expr_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["trust", "n", "flag", "side", "true", "false", "not", "and", "or",
                              "(", ")", "+", "-", "*", "/", "%", "**", "==", "!=", "<", "<=", ">",
                              ">=", "=", "+=", "-=", ";", "'x'", "0", "1", "999999999999",
                              "__import__", "os", ".", "[", "]", "lambda", ":", ",", "if",
                              "else", "f'{n}'", "1.5", "\n", "is", "in", "@", "`"]),
             max_size=25).map(" ".join),
)


@fuzz(400)
@given(source=_expr_text)
def test_any_condition_compiles_or_gives_an_expression_error(source: str) -> None:
    try:
        condition = compile_condition(source, _VARS)
    except ExprError as exc:
        assert exc.code.startswith("E4") and exc.message and exc.col >= 0
        return
    assert isinstance(condition(dict(_VALUES)), bool)


@fuzz(400)
@given(source=_expr_text)
def test_any_effect_compiles_or_gives_an_expression_error(source: str) -> None:
    try:
        effects = compile_effects(source, _VARS)
    except ExprError as exc:
        assert exc.code.startswith("E4") and exc.message and exc.col >= 0
        return
    values: dict[str, bool | int | str] = dict(_VALUES)
    for effect in effects:
        effect(values)
    assert set(values) == set(_VALUES) and -3 <= int(values["trust"]) <= 3
    assert all(type(values[k]) is type(_VALUES[k]) for k in values)


@pytest.mark.parametrize("source", [
    "(" * 500 + "flag" + ")" * 500, "not " * 240 + "flag", "-" * 900 + "1 > 0",
    " + ".join(["n"] * 300) + " > 0", " and ".join(["flag"] * 300), "n" + " < n" * 300,
    "x" * 999, "'" + "a" * 990 + "' == side", "n * " * 200 + "n > 1",
])
def test_deep_or_long_expressions_are_refused_or_compiled_quickly(source: str) -> None:
    start = time.perf_counter()
    try:
        compile_condition(source, _VARS)
    except ExprError as exc:
        assert exc.code.startswith("E4")
    assert time.perf_counter() - start < 1.0


# ---- the save loader -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    root = tmp_path_factory.mktemp("tiny")
    for name, data in TINY.items():
        (root / name).write_bytes(data)
    story = load_story(root).story
    assert story is not None
    return story


def _check_save_file(story: Story, data: bytes) -> SaveInfo | UnreadableSave:
    with tempfile.TemporaryDirectory() as tmp:
        store = SaveStore(Path(tmp), story)
        (Path(tmp) / "fuzz.json").write_bytes(data)
        start = time.perf_counter()
        (entry,) = store.list()
        try:
            restored = store.load("fuzz")
        except SaveError as exc:
            assert isinstance(entry, UnreadableSave) and entry.reason in str(exc)
        else:
            assert isinstance(entry, SaveInfo)
            assert restored.game.state.node in story.nodes
            restored.game.view()
        assert time.perf_counter() - start < CASE_SECONDS
        assert (Path(tmp) / "fuzz.json").read_bytes() == data  # reading never changes a file
        return entry


@fuzz(150)
@given(data=st.binary(max_size=2000))
def test_random_bytes_as_a_save_are_unreadable_with_a_reason(tiny_story: Story, data: bytes) -> None:
    entry = _check_save_file(tiny_story, data)
    assert isinstance(entry, UnreadableSave) and entry.reason.endswith(".")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=12)


def _valid_save(story: Story) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        game = Game(story, "main")
        game.choose(1)
        info = SaveStore(Path(tmp), story).save("x", game, player="p")
        data: dict[str, object] = json.loads(info.path.read_text(encoding="utf-8"))
        return data


def _paths(value: object, prefix: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


@fuzz(300)
@given(picks=st.lists(st.tuples(st.integers(0, 10**6), _json, st.booleans()), min_size=1,
                      max_size=4))
def test_a_save_with_any_field_replaced_is_opened_or_refused_with_a_reason(
        tiny_story: Story, picks: list[tuple[int, object, bool]]) -> None:
    data: object = _valid_save(tiny_story)
    for pick, value, delete in picks:
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = paths[pick % len(paths)]
        parent: object = data
        for key in path[:-1]:
            parent = parent[key]  # type: ignore[index]
        if delete and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = value  # type: ignore[index]
    _check_save_file(tiny_story, json.dumps(data).encode())


# ---- hostile files, each in a limited subprocess -------------------------------------------------

def _billion_laughs(where: str) -> str:
    rows = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    head = "\n".join("  " + r for r in rows)
    return f"glossary_x:\n{head}\n{where}"


HOSTILE: dict[str, bytes] = {
    "flow nesting 50k": b"nodes: " + b"[" * 50_000 + b"]" * 50_000,
    "mapping nesting 50k": b"nodes: " + b"{a: " * 50_000 + b"}" * 50_000,
    "block nesting 3k": "".join(" " * i + "a:\n" for i in range(3000)).encode(),
    "list nesting 3k": "".join(" " * i + "-\n" for i in range(3000)).encode(),
    "huge scalar": b"chapter: '" + b"x" * (2 * 1024 * 1024 - 20) + b"'",
    "file over the limit": b"chapter: x\n" + b"#" * (3 * 1024 * 1024),
    "huge key": b"x" * 1_500_000 + b": 1",
    "billion laughs as sources": _billion_laughs(
        "nodes:\n  z:\n    date: 1941-04-12\n    place: p\n    title: t\n    text: x\n"
        "    choices: *l9\n").encode(),
    "billion laughs as text": _billion_laughs(
        "nodes:\n  z:\n    date: 1941-04-12\n    place: p\n    title: t\n    text: *l9\n").encode(),
    "many aliases": ("nodes:\n  z: &z {date: 1941-04-12, place: p, title: t, text: x, "
                     "ending: {title: e, kind: close, epilogue: x}}\n"
                     + "".join(f"  z{i}: *z\n" for i in range(60_000))).encode(),
    "many bad text holes": ("nodes:\n  z:\n    date: 1941-04-12\n    place: p\n    title: t\n"
                            "    text: '" + "".join(f"{{-{i:06d}}}" for i in range(180_000))
                            + "'\n    ending: {title: e, kind: close, epilogue: x}\n").encode(),
    "many bad holes over lines": ("nodes:\n  z:\n    date: 1941-04-12\n    place: p\n"
                                  "    title: t\n    text: |\n"
                                  + "".join(f"      {{-{i:06d}}}\n\n" for i in range(60_000))
                                  + "    ending: {title: e, kind: close, epilogue: x}\n").encode(),
    "many expressions": ("nodes:\n  z:\n    date: 1941-04-12\n    place: p\n    title: t\n"
                         "    text: x\n    set:\n" + "".join(f"      - trust += {i}\n"
                                                             for i in range(60_000))
                         + "    ending: {title: e, kind: close, epilogue: x}\n").encode(),
    "utf-16 with bom": ("chapter: Глава\n" + CHAPTER).encode("utf-16"),
    "utf-16 without bom": ("chapter: x\n" + CHAPTER).encode("utf-16-le"),
    "utf-32": CHAPTER.encode("utf-32"),
    "latin-1": ("chapter: Café àèìòù\n").encode("latin-1"),
    "nul bytes": b"chapter: a\x00b\n",
    "lone surrogate escape": b'chapter: "\\ud800"\n',
    "control characters": b"chapter: \x1b[31mred\x07\x08\n",
    "only a bom": b"\xef\xbb\xbf",
    "many documents": b"---\na: 1\n" * 20_000,
    # reliability.md rows 2, 6, 8, 9
    "scalar alias fan-out": ("glossary:\n  g: {term: t, kind: term, text: &big '"
                             + "x" * 1_000_000 + "'}\nnodes:\n"
                             + "".join(f"  n{i}: {{date: 1941-04-12, place: p, title: t, "
                                       "text: *big, ending: {title: e, kind: close, "
                                       "epilogue: x}}\n" for i in range(10_000))).encode(),
    "scalar alias paragraphs": ("glossary:\n  g:\n    term: t\n    kind: term\n"
                                "    text: &big |\n" + "      p\n\n" * 8000 + "nodes:\n"
                                + "".join(f"  n{i}: {{date: 1941-04-12, place: p, title: t, "
                                          "text: *big, ending: {title: e, kind: close, "
                                          "epilogue: x}}\n" for i in range(9_000))).encode(),
    "a million paragraphs": (b"nodes:\n  m:\n    date: 1941-04-12\n    place: p\n    title: t\n"
                             b"    text: [" + b",".join([b"a"] * 1_000_000) + b"]\n"),
    "200k paragraphs in one text": (b"nodes:\n  m:\n    date: 1941-04-12\n    place: p\n"
                                    b"    title: t\n    text: |\n" + b"      a\n\n" * 200_000
                                    + b"    ending: {title: e, kind: close, epilogue: x}\n"),
    "100k diagnostics": b"nodes:\n" + b"".join(b"  n%d: {zz: 1}\n" % i
                                                       for i in range(100_000)),
    "20k diagnostics": b"nodes:\n" + b"".join(b"  n%d: {zz: 1}\n" % i
                                                      for i in range(20_000)),
    "escapes in double quotes": (b'nodes:\n  z:\n    date: 1941-04-12\n    place: p\n'
                                 b'    title: "\\e[5mBlink"\n'
                                 b'    text: "\\e[2J\\e[31mRED\\e]0;pwned-title\\a\\e[?1049h"\n'
                                 b'    ending: {title: "\\x1b[8mhidden\\x1b[0m", kind: close, '
                                 b'epilogue: "\\u009b2J \\x85 \\x9b"}\n'),
}


_RUNNER = textwrap.dedent("""
    import json, resource, sys, time
    limit = 1536 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from moscow1941.story import load_story
    start = time.perf_counter()
    result = load_story(sys.argv[1])
    try:  # this process's own peak; ru_maxrss can carry the parent's peak across exec
        with open("/proc/self/status") as f:
            peak_mib = next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak_mib = peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes there, KiB here
    print(json.dumps({"seconds": time.perf_counter() - start, "ok": result.ok, "peak_mib": peak_mib,
                      "diagnostics": [d.to_json() for d in result.diagnostics[:20]],
                      "count": len(result.diagnostics)}))
""")


def _run_limited(root: Path, timeout: float = 60.0) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    out = subprocess.run([sys.executable, "-c", _RUNNER, str(root)], capture_output=True,
                         text=True, timeout=timeout, env=env)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-2000:]
    report: dict[str, object] = json.loads(out.stdout)
    return report


@pytest.mark.skipif(sys.platform == "win32", reason="uses resource limits")
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_story_files_end_in_diagnostics_within_limits(name: str, tmp_path: Path) -> None:
    root = tmp_path / "story"
    root.mkdir()
    for file, data in TINY.items():
        (root / file).write_bytes(data)
    (root / "hostile.yaml").write_bytes(HOSTILE[name])
    report = _run_limited(root)
    assert float(report["seconds"]) < 20  # type: ignore[arg-type]
    assert float(report["peak_mib"]) < 600, report["peak_mib"]  # type: ignore[arg-type]
    print(f"{name}: {report['seconds']:.2f} s, peak {report['peak_mib']:.0f} MiB, "
          f"{report['count']} diagnostics")
    diags = report["diagnostics"]
    assert isinstance(diags, list)
    if not report["ok"]:
        assert any(d["severity"] == "error" and d["path"].endswith("hostile.yaml")
                   for d in diags), diags


def _tiny_root(tmp_path: Path) -> Path:
    root = tmp_path / "story"
    root.mkdir()
    for file, data in TINY.items():
        (root / file).write_bytes(data)
    return root


def _special_fifo(root: Path) -> None:
    os.mkfifo(root / "pipe.yaml")


def _special_sparse(root: Path) -> None:
    with open(root / "sparse.yaml", "wb") as f:
        f.truncate(8 * 1024**3)


def _special_loop(root: Path) -> None:
    os.symlink("b.yaml", root / "a.yaml")
    os.symlink("a.yaml", root / "b.yaml")


def _special_total(root: Path) -> None:
    line = ("  n{k}_{i}: {{date: 1941-04-12, place: p, title: t, text: x, "
            "ending: {{title: e, kind: close, epilogue: x}}}}\n")
    for k in range(40):  # 40 files of 2,000 nodes: 80,000 nodes, over the story's value budget
        (root / f"c{k:02d}.yaml").write_text(
            "nodes:\n" + "".join(line.format(k=k, i=i) for i in range(2000)))


SPECIAL = {"fifo": _special_fifo, "sparse 8 GiB": _special_sparse,
           "symlink loop": _special_loop, "total size": _special_total}


@pytest.mark.skipif(sys.platform == "win32", reason="uses FIFOs, sparse files and rlimits")
@pytest.mark.parametrize("name", list(SPECIAL))
def test_special_files_and_budgets_end_in_diagnostics_within_limits(name: str,
                                                                    tmp_path: Path) -> None:
    root = _tiny_root(tmp_path)
    SPECIAL[name](root)
    report = _run_limited(root, timeout=40)
    assert float(report["seconds"]) < 20  # type: ignore[arg-type]
    assert float(report["peak_mib"]) < 600, report["peak_mib"]  # type: ignore[arg-type]
    print(f"{name}: {report['seconds']:.2f} s, peak {report['peak_mib']:.0f} MiB")
    diags = report["diagnostics"]
    assert isinstance(diags, list) and not report["ok"]
    assert {d["code"] for d in diags} & {"E100", "E102", "E107"}, diags


def test_escapes_never_reach_the_output_of_check_or_plain_play(tmp_path: Path) -> None:
    root = _tiny_root(tmp_path)
    chapter = (CHAPTER.replace("text: Trust is {trust}.", 'text: "\\e[2J\\e]0;t\\a{trust}"')
               .replace("title: Start", 'title: "\\u009b5mBlink"'))
    (root / "ch1.yaml").write_text(chapter)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
           "MOSCOW1941_SAVES": str(tmp_path / "saves")}
    check = subprocess.run([sys.executable, "-m", "moscow1941", "check", str(root)],
                           capture_output=True, text=True, timeout=60, env=env)
    assert check.returncode == 0 and "W512" in check.stdout
    play = subprocess.run([sys.executable, "-m", "moscow1941", "play", "--plain", "--story",
                           str(root)], input="1\n1\n" + "q\n" * 5, capture_output=True,
                          text=True, timeout=60, env=env)
    assert "Traceback" not in play.stderr, play.stderr[-2000:]
    assert "Blink" in play.stdout
    assert not any(ch in play.stdout for ch in "\x1b\x07\u009b"), play.stdout[:500]


@fuzz(20)
@given(player=st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0xDFFF),
                      min_size=1, max_size=20))
def test_any_player_name_lists_through_the_saves_command(tiny_story: Story, player: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        saves = Path(tmp) / "saves"
        info = SaveStore(saves, tiny_story).save("hostile", Game(tiny_story, "main"), player="x")
        data = json.loads(info.path.read_text(encoding="utf-8"))
        data["player"] = player
        info.path.write_text(json.dumps(data), encoding="utf-8")
        out = subprocess.run([sys.executable, "-m", "moscow1941", "saves", "--saves", str(saves),
                              "--story", tiny_story.root], capture_output=True, timeout=60)
        assert out.returncode == 0 and b"Traceback" not in out.stderr, out.stderr[-2000:]
        out.stdout.decode("utf-8")
        assert not any(b in out.stdout for b in (b"\x1b", b"\xc2\x9b", b"\x07"))


def test_a_utf8_bom_is_accepted() -> None:
    result = load_files({**TINY, "ch1.yaml": b"\xef\xbb\xbf" + CHAPTER.encode()})
    assert result.ok, [d.format() for d in result.diagnostics]


@pytest.mark.parametrize(("name", "says"), [
    ("utf-16 with bom", "UTF-16 text, not UTF-8"), ("utf-32", "UTF-32 text, not UTF-8"),
    ("latin-1", "not UTF-8"),
    ("utf-16 without bom", "UTF-16 text"),  # would decode as UTF-8, but every other byte is NUL
])
def test_wrong_encodings_are_refused_with_a_file_diagnostic(name: str, says: str) -> None:
    result = load_files({**TINY, "hostile.yaml": HOSTILE[name]})
    assert not result.ok
    assert any(d.code == "E102" and d.path.endswith("hostile.yaml") and says in d.message
               for d in result.diagnostics), [d.format() for d in result.diagnostics]


# ---- story files cannot run code or read outside the story folder --------------------------------

_CODE_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:builtins.exec ['open(r\"{marker}\", \"w\")']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    "!local ['touch {marker}']",
    "!!binary aGVsbG8=",
    "!!set {{a, b}}",
    "!!omap [a: 1]",
]


@pytest.mark.parametrize("tag", _CODE_TAGS)
@pytest.mark.parametrize("place", ["value", "list item", "manifest"])
def test_tags_cannot_run_code_and_are_reported_at_their_line(
        tag: str, place: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    value = tag.format(marker=marker)
    files = dict(TINY)
    if place == "value":
        name, text = "evil.yaml", f"chapter: fine\nnodes:\n  z:\n    title: {value}\n"
        line = 4
    elif place == "list item":
        name = "evil.yaml"
        text = f"nodes:\n  z:\n    history:\n      sources:\n        - ok\n        - {value}\n"
        line = 6
    else:
        name, text = "story.yaml", MANIFEST.replace("title: Tiny", f"title: {value}")
        line = 3
    files[name] = text.encode()
    result = load_files(files)
    assert not marker.exists()
    assert not result.ok
    assert any(d.path.endswith(name) and d.line == line for d in result.diagnostics), [
        d.format() for d in result.diagnostics]


def test_a_tag_directive_cannot_smuggle_a_python_tag(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (f"%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\n"
            f"chapter: !p!os.system ['touch {marker}']\n")
    result = load_files({**TINY, "evil.yaml": text.encode()})
    assert not marker.exists() and not result.ok
    assert any(d.code == "E104" and d.path.endswith("evil.yaml") and d.line == 3
               for d in result.diagnostics), [d.format() for d in result.diagnostics]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_out_of_the_story_folder_are_refused_and_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text("nodes:\n  secret_node_xyzzy: {date: 1941-04-12}\n")
    root = tmp_path / "story"
    root.mkdir()
    for name, data in TINY.items():
        (root / name).write_bytes(data)
    (root / "linked.yaml").symlink_to(secret)
    (root / "folder").symlink_to(outside, target_is_directory=True)
    result = load_story(root)
    assert_diagnosed(result)
    assert not result.ok
    refused = [d for d in result.diagnostics if d.code == "E106"]
    assert refused and all(d.path.endswith("linked.yaml") or "folder" in d.path for d in refused)
    assert "xyzzy" not in " ".join(d.format() for d in result.diagnostics)


def test_include_like_paths_are_plain_text_never_files(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("nodes:\n  secret_node_xyzzy: {date: 1941-04-12}\n")
    evil = ("include: ../secret.yaml\n"
            "nodes:\n  z:\n    date: 1941-04-12\n    place: p\n    title: t\n"
            "    text: x\n    choices:\n      - text: go\n        goto: ../secret.yaml\n")
    root = tmp_path / "story"
    root.mkdir()
    for name, data in {**TINY, "evil.yaml": evil.encode()}.items():
        (root / name).write_bytes(data)
    result = load_story(root)
    assert_diagnosed(result)
    found = {(d.code, d.line) for d in result.diagnostics if d.path.endswith("evil.yaml")}
    assert ("E204", 1) in found and ("E301", 10) in found
    assert "xyzzy" not in " ".join(d.format() for d in result.diagnostics)


# ---- a reproducible pass over many random cases, for the record -----------------------------------

def test_a_seeded_byte_flip_pass_over_every_shipped_file_never_raises(shipped_copy: Path) -> None:
    rng = random.Random(41)
    files = sorted(shipped_copy.rglob("*.yaml"))
    for target in files:
        original = target.read_bytes()
        try:
            for _ in range(2 * FACTOR):
                data = bytearray(original)
                for _ in range(rng.randint(1, 8)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
                target.write_bytes(bytes(data))
                assert_diagnosed(load_story(shipped_copy))
        finally:
            target.write_bytes(original)


def test_a_text_full_of_bad_holes_reports_the_first_few_quickly() -> None:
    # Regression: each report searched the text's lines for its position, so a 2 MiB text of
    # bad `{holes}` took minutes (quadratic); now a text reports at most MAX_TEXT_ERRORS.
    from moscow1941.story.load import MAX_TEXT_ERRORS
    text = "".join(f"{{-{i:06d}}}" for i in range(60_000))
    chapter = (f"nodes:\n  z:\n    date: 1941-04-12\n    place: p\n    title: t\n    text: '{text}'\n"
               "    ending: {title: e, kind: close, epilogue: x}\n")
    start = time.perf_counter()
    result = load_files({**TINY, "bad.yaml": chapter.encode()})
    assert time.perf_counter() - start < 2.0
    holes = [d for d in result.diagnostics if d.code == "E406"]
    assert len(holes) == MAX_TEXT_ERRORS and all(d.line == 6 for d in holes)
    assert holes[0].col == 12 and "{-000000}" in holes[0].message
