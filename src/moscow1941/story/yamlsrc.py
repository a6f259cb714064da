"""Reading one YAML file safely into a node tree with line and column marks.

Story files are untrusted: only the safe loader's composer is used (no constructors run),
size and nesting are bounded before libyaml sees the text, and non-standard tags are refused.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass

import yaml

from moscow1941.story.diagnostics import Diagnostics

try:  # libyaml's C parser when present; the pure-Python one otherwise.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
# Values (scalars, lists and mappings) in one file: 2 MiB of `[a,a,a,...]` would otherwise
# compose a million nodes (half a gigabyte) before anything could look at them.
MAX_FILE_VALUES = 250_000
# A list or mapping inside more than 64 others is refused (E103), checked on the composed tree
# (so at any file size) and on the parser's events when libyaml or a syntax error stops first.
MAX_DEPTH = 64
# Old libyaml builds' composer recurses in C and crashes the process on nesting in the tens of
# thousands; below this bound (longest line + brackets) nesting cannot come near that, above it
# the events are scanned before composing.
_SCAN_BOUND = 4000
# Where an anchor (`&name`) can stand: at a line's start, after a space, a flow indicator, ':',
# or '-'. A text without one has no aliases (prose's "A & B" or "AT&T" do not match).
_ANCHOR = re.compile(r"(?:^|[\s\[{,:?-])&[^\s\[\]{},]", re.M)
_HOLE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")

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


def read_source(path: str, diags: Diagnostics, shown: str | None = None) -> bytes | None:
    """The bytes of the story file `path`, or None with the reason reported.

    Only regular files are read: a FIFO, device or folder named `*.yaml` is refused without
    waiting for it (it is opened non-blocking and checked before any read). The size is
    checked before reading, and at most MAX_FILE_BYTES + 1 bytes are ever read, so a huge or
    sparse file costs nothing."""
    shown = path if shown is None else shown
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            diags.error(shown, 0, 0, "E100", "cannot read file: it is a loop of symbolic links",
                        "replace the link with the file itself")
        else:
            diags.error(shown, 0, 0, "E100", f"cannot read file: {exc.strerror}")
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else \
                "a pipe" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
            diags.error(shown, 0, 0, "E100", f"cannot read file: it is {kind}, not a regular file",
                        "story files are ordinary text files; rename or remove this one")
            return None
        if info.st_size > MAX_FILE_BYTES:
            _too_large(shown, diags)
            return None
        chunks: list[bytes] = []
        left = MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        diags.error(shown, 0, 0, "E100", f"cannot read file: {exc.strerror}")
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        _too_large(shown, diags)
        return None
    return data


def _too_large(path: str, diags: Diagnostics) -> None:
    diags.error(path, 0, 0, "E102", f"file is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB",
                "split the story into several chapter files")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A composed file: its root, how many values it holds, and which scalars are shared by
    aliases (by `id`), so the loader can charge their every use and split them only once."""

    root: yaml.Node
    values: int
    shared: frozenset[int]


def read_yaml(path: str, data: bytes, diags: Diagnostics) -> yaml.Node | None:
    """Parse `data` (the bytes of `path`) to a YAML node, or report why it cannot be read."""
    parsed = parse_yaml(path, data, diags)
    return parsed.root if parsed is not None else None


def parse_yaml(path: str, data: bytes, diags: Diagnostics) -> Parsed | None:
    """Parse `data` (the bytes of `path`), or report why it cannot be read (None; an empty
    file is reported as E201 and also gives None)."""
    if len(data) > MAX_FILE_BYTES:
        _too_large(path, diags)
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
    # Every value needs a separator of its own, so this bounds the values cheaply; only a file
    # that could be over the limit is counted exactly (by its events, which cost no memory).
    if _values_bound(text) > MAX_FILE_VALUES:
        counted = _count_values(text)
        if counted > MAX_FILE_VALUES:
            diags.error(path, 0, 0, "E107",
                        f"file holds more than {MAX_FILE_VALUES:,} values (texts, lists and "
                        "mappings)", "split the story into several chapter files")
            return None
    # `{name}` text holes open and close at once, so they cannot deepen nesting beyond one.
    # Old libyaml builds compose recursively in C and crash the process on nesting in the tens
    # of thousands, so a file that could hold such nesting is walked event by event first.
    opens = text.count("[") + text.count("{") - len(_HOLE.findall(text))
    if len(text) > _SCAN_BOUND and (opens > _SCAN_BOUND // 2 or _has_long_line(text)):
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
        quote = _unclosed_quote(exc)
        if quote is not None:
            # libyaml notices a missing closing quote only at the end of the file (or where it
            # finds something it cannot read): the place to look is where the quote opened.
            problem, line, col = quote
            diags.error(path, line, col, "E101", f"YAML syntax error: {problem}",
                        "close the quote on the line where it opens, or write the text as a "
                        "block with '|'")
            return None
        diags.error(path, line, col, "E101", f"YAML syntax error: {problem}", _yaml_hint(exc, text))
        return None
    except RecursionError:  # the pure-Python composer recurses once per level
        _report_too_deep(path, _too_deep(text) or (0, 0), diags)
        return None
    except (yaml.YAMLError, MemoryError, ValueError) as exc:
        diags.error(path, 0, 0, "E101", f"YAML cannot be read: {type(exc).__name__}")
        return None
    if node is None:
        diags.error(path, 1, 1, "E201", "file is empty", "a chapter file starts with 'nodes:'")
        return None
    too_deep, values, shared = _inspect(node, "&" in text and _ANCHOR.search(text) is not None)
    if too_deep is not None:
        _report_too_deep(path, too_deep, diags)
        return None
    return Parsed(node, values, shared)


def _has_long_line(text: str) -> bool:
    """Whether a line is _SCAN_BOUND // 2 characters or longer (a regular expression for this
    tries every position of the file; splitting is one pass in C)."""
    return max(map(len, text.split("\n")), default=0) >= _SCAN_BOUND // 2


def _values_bound(text: str) -> int:
    """An upper bound on the values in `text`: every scalar, list and mapping after the first
    follows a line break, ',', ':', '-', '?', '[' or '{' (or is an alias, after '*')."""
    return (text.count("\n") + text.count(",") + text.count(":") + text.count("-")
            + text.count("?") + text.count("[") + text.count("{") + text.count("*")) * 2 + 2


def _count_values(text: str) -> int:
    """The exact number of values (scalars, lists, mappings, aliases), by the parser's events;
    a file the parser refuses counts as far as it got (the composer then reports why)."""
    count = 0
    kinds = (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, kinds):
                count += 1
                if count > MAX_FILE_VALUES:
                    break
    except yaml.YAMLError:
        pass
    return count


def _unclosed_quote(exc: yaml.MarkedYAMLError) -> tuple[str, int, int] | None:
    context = exc.context or ""
    if "quoted scalar" not in context or exc.context_mark is None:
        return None
    problem = exc.problem or ""
    if "end of stream" not in problem and "document" not in problem:
        return None
    mark = exc.context_mark
    return (f"this quote is never closed (the parser reached {problem.removeprefix('found ')} "
            f"on line {exc.problem_mark.line + 1 if exc.problem_mark else '?'})",
            mark.line + 1, mark.column + 1)


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


def _inspect(root: yaml.Node, anchors: bool = True
             ) -> tuple[tuple[int, int] | None, int, frozenset[int]]:
    """Walk the composed tree once: where it nests past MAX_DEPTH (if it does), how many values
    it holds, and the scalars reached more than once (shared by aliases). Each collection is
    walked at most once per depth it is reached at (aliases share nodes), and the walk stops
    at MAX_DEPTH + 1, so it is linear in the file's nodes whatever its aliases. Without
    `anchors` (the text has none) no scalar can be shared, and scalars are not tracked."""
    scalar = yaml.ScalarNode
    mapping = yaml.MappingNode
    if type(root) is scalar:
        return None, 1, frozenset()
    reached: dict[int, int] = {}
    seen_scalars: set[int] = set()
    see = seen_scalars.add
    shared: set[int] = set()
    values = 1
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    push = stack.append
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return (node.start_mark.line + 1, node.start_mark.column + 1), values, frozenset()
        known = reached.get(id(node), 0)
        if known >= depth:
            continue
        reached[id(node)] = depth
        deeper = depth + 1
        items = [x for pair in node.value for x in pair] if type(node) is mapping else node.value
        if known:  # reached again, deeper (through an alias): only the depth is new
            stack.extend((item, deeper) for item in items if type(item) is not scalar)
            continue
        values += len(items)
        if not anchors:
            stack.extend((item, deeper) for item in items if type(item) is not scalar)
            continue
        for item in items:
            if type(item) is scalar:
                key = id(item)
                if key in seen_scalars:
                    shared.add(key)
                else:
                    see(key)
            else:
                push((item, deeper))
    return None, values, frozenset(shared)


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
