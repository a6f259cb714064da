"""Reading one YAML file safely into a node tree with line and column marks.

Story files are untrusted: only the safe loader's composer is used (no constructors run),
size and nesting are bounded before libyaml sees the text, and non-standard tags are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from moscow1941.story.diagnostics import Diagnostics

try:  # libyaml's C parser when present; the pure-Python one otherwise.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
# A list or mapping inside more than 64 others is refused (E103), checked on the composed tree
# (so at any file size) and on the parser's events when libyaml or a syntax error stops first.
MAX_DEPTH = 64
# Old libyaml builds' composer recurses in C and crashes the process on nesting in the tens of
# thousands; below this bound (longest line + brackets) nesting cannot come near that, above it
# the events are scanned before composing.
_SCAN_BOUND = 4000
_HOLE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_LONG_LINE = re.compile(r"[^\n]{" + str(_SCAN_BOUND // 2) + "}")

STANDARD_TAGS = frozenset({
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
})


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One parsed file: its path as shown in diagnostics and its root node (None if unreadable)."""

    path: str
    root: yaml.Node | None
    data: bytes


def read_yaml(path: str, data: bytes, diags: Diagnostics) -> yaml.Node | None:
    """Parse `data` (the bytes of `path`) to a YAML node, or report why it cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        diags.error(path, 0, 0, "E102", f"file is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB",
                    "split the story into several chapter files")
        return None
    wide = _wide_encoding(data)
    if wide:
        diags.error(path, 0, 0, "E102", f"file is {wide} text, not UTF-8",
                    "save the file as UTF-8 in your editor")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(path, line, col, "E102", "file is not UTF-8 text",
                    "save the file as UTF-8 in your editor")
        return None
    if "\x00" in text:
        diags.error(path, 0, 0, "E102", "file contains NUL bytes: it is not a text file")
        return None
    # `{name}` text holes open and close at once, so they cannot deepen nesting beyond one.
    # Old libyaml builds compose recursively in C and crash the process on nesting in the tens
    # of thousands, so a file that could hold such nesting is walked event by event first.
    opens = text.count("[") + text.count("{") - len(_HOLE.findall(text))
    if len(text) > _SCAN_BOUND and (opens > _SCAN_BOUND // 2 or _LONG_LINE.search(text)):
        too_deep = _too_deep(text)
        if too_deep is not None:
            _report_too_deep(path, too_deep, diags)
            return None
    try:
        loader = _Loader(text)
        try:
            node: yaml.Node | None = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        # Deep nesting is E103 whichever answers first: libyaml's own nesting limit (1,000
        # levels in recent builds), or a syntax error further on in a deeply nested file.
        too_deep = _too_deep(text)
        if too_deep is not None:
            _report_too_deep(path, too_deep, diags)
            return None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or "not valid YAML"
        if "expected a single document" in str(exc):
            problem, line, col = "a story file holds one YAML document ('---' starts another)", line, col
        diags.error(path, line, col, "E101", f"YAML syntax error: {problem}", _yaml_hint(exc, text))
        return None
    except RecursionError:  # the pure-Python composer recurses once per level
        _report_too_deep(path, _too_deep(text) or (0, 0), diags)
        return None
    except (yaml.YAMLError, MemoryError, ValueError) as exc:
        diags.error(path, 0, 0, "E101", f"YAML cannot be read: {type(exc).__name__}")
        return None
    if node is not None:
        too_deep = _deepest(node)
        if too_deep is not None:
            _report_too_deep(path, too_deep, diags)
            return None
    if node is None:
        diags.error(path, 1, 1, "E201", "file is empty", "a chapter file starts with 'nodes:'")
    return node


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
              (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _wide_encoding(data: bytes) -> str:
    """'UTF-16' or 'UTF-32' when the bytes are in a wide encoding (with or without a byte-order
    mark: in text that is mostly ASCII, the high bytes of each unit are zero), else ''."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    sample = data[:1024]
    if len(sample) < 16:
        return ""

    def zero_share(start: int, step: int) -> float:
        part = sample[start::step]
        return part.count(0) / len(part)

    if sum(zero_share(k, 4) > 0.9 for k in range(4)) == 3:
        return "UTF-32"
    if zero_share(0, 2) > 0.9 or zero_share(1, 2) > 0.9:
        return "UTF-16"
    return ""


def _report_too_deep(path: str, where: tuple[int, int], diags: Diagnostics) -> None:
    diags.error(path, where[0], where[1], "E103",
                f"nesting is deeper than {MAX_DEPTH} levels: a list or mapping inside "
                f"{MAX_DEPTH} others",
                "a story never needs this much nesting; a node is at most 5 levels deep")


def _too_deep(text: str) -> tuple[int, int] | None:
    """Walk the parser's events (no composing) and return where nesting passes MAX_DEPTH, also
    when the parser gives up (at its own nesting limit, or a syntax error) further on."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in (exc.problem or ""):
            mark = exc.problem_mark
            return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return None  # the composer reports the syntax error with its position
    except yaml.YAMLError:
        return None
    return None


def _deepest(root: yaml.Node) -> tuple[int, int] | None:
    """Where the composed tree nests past MAX_DEPTH, if it does. Each collection is walked at
    most once per depth it is reached at (aliases share nodes), and the walk stops at
    MAX_DEPTH + 1, so it is linear in the file's nodes whatever its aliases."""
    scalar = yaml.ScalarNode
    mapping = yaml.MappingNode
    reached: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if type(node) is scalar:
            continue
        if depth > MAX_DEPTH:
            return node.start_mark.line + 1, node.start_mark.column + 1
        if reached.get(id(node), 0) >= depth:
            continue
        reached[id(node)] = depth
        deeper = depth + 1
        if type(node) is mapping:
            for key, value in node.value:
                if type(value) is not scalar:
                    stack.append((value, deeper))
                if type(key) is not scalar:
                    stack.append((key, deeper))
        else:
            stack.extend((item, deeper) for item in node.value if type(item) is not scalar)
    return None


def _yaml_hint(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = (exc.problem or "") + " " + (exc.context or "")
    mark = exc.problem_mark
    if mark is not None:
        lines = text.splitlines()
        if mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            return "YAML indents with spaces, never tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, or written as a block with '|'"
    if "could not find expected ':'" in problem:
        return "check the indentation of this line and the one before"
    if "found undefined alias" in problem:
        return "define the anchor (&name) before using it (*name)"
    return ""
