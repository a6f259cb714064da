"""Diagnostics: every problem found in a story, with file, line, column, a stable code and a hint.

Codes are stable and documented in `docs/diagnostics.md`: E1xx are about files and YAML, E2xx about
the shape of the format, E3xx about references, E4xx about expressions and text, W5xx are warnings.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


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
    """A collector: loading never stops at the first problem."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, line, col, Severity.ERROR, code, message, hint))

    def warning(self, path: str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, line, col, Severity.WARNING, code, message, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line, d.col, d.code))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
