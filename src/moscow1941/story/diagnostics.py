"""Diagnostics: every problem found in a story, with file, line, column, a stable code and a hint.

Codes are stable and documented in `docs/diagnostics.md`: E1xx are about files and YAML, E2xx about
the shape of the format, E3xx about references, E4xx about expressions and text, W5xx are warnings.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from moscow1941.textsafe import escape_controls

# Diagnostics kept per load: a hostile file can make hundreds of thousands; past this many,
# only their number is kept. Messages quote story text, cut to MAX_MESSAGE characters.
MAX_KEPT = 5_000
MAX_MESSAGE = 300


class Severity(StrEnum):
    """How bad a diagnostic is: errors stop a story from loading, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place. `line` and `col` are 1-based; 0 means the whole file."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """`path:line:col: error CODE: message (hint)`, the form editors and humans both read."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value} {self.code}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def to_json(self) -> dict[str, object]:
        """The same facts as data, for `--format json`."""
        return {
            "path": self.path, "line": self.line, "col": self.col,
            "severity": self.severity.value, "code": self.code,
            "message": self.message, "hint": self.hint,
        }


@dataclass(slots=True)
class Diagnostics:
    """A collector: loading never stops at the first problem.

    The same problem at the same place is kept once (aliases and repeated checks would
    otherwise repeat it); past MAX_KEPT problems only their number is kept (`omitted_errors`,
    `omitted_warnings`). Messages and hints are cut to MAX_MESSAGE characters and control
    characters in them are written out visibly, so printing a diagnostic is always safe."""

    items: list[Diagnostic] = field(default_factory=list)
    omitted_errors: int = 0
    omitted_warnings: int = 0
    limit: int = MAX_KEPT
    _seen: set[tuple[str, int, int, str, str]] = field(default_factory=set)
    _error_count: int = 0

    def error(self, path: str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        self._add(path, line, col, Severity.ERROR, code, message, hint)

    def warning(self, path: str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        self._add(path, line, col, Severity.WARNING, code, message, hint)

    def _add(self, path: str, line: int, col: int, severity: Severity, code: str,
             message: str, hint: str) -> None:
        key = (path, line, col, code, message[:MAX_MESSAGE])
        if key in self._seen:
            return
        if len(self.items) >= self.limit:
            if severity is Severity.ERROR:
                self.omitted_errors += 1
            else:
                self.omitted_warnings += 1
            return
        self._seen.add(key)
        if severity is Severity.ERROR:
            self._error_count += 1
        self.items.append(Diagnostic(escape_controls(path), line, col, severity, code,
                                     _cut(escape_controls(message)), _cut(escape_controls(hint))))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        return self._error_count > 0 or self.omitted_errors > 0

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line, d.col, d.code))


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 3] + "..."


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
