"""Untrusted text made safe to show: no terminal control sequences, nothing unencodable.

Story files and saves are untrusted. A string from them may hold C0 or C1 control characters
(ESC, CSI U+009B, BEL, backspace, carriage return...), which a terminal obeys: clearing the
screen, retitling the window, hiding text. It may also hold lone surrogates (from JSON's
`"\\ud800"`), which no UTF-8 output can encode. `strip_controls` removes the first and replaces
the second with U+FFFD; line breaks and tabs are kept. It is one regular-expression search
when there is nothing to do, so every face can call it on every untrusted string.

This module imports nothing from the game: the loader, the save layer and every face use it.
"""

from __future__ import annotations

import re

# C0 except tab and line feed, DEL, C1; and the surrogate range (lone surrogates only occur
# in str built from escapes or surrogateescape, never in well-formed text).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_NAMES = {0x07: "BEL", 0x08: "backspace", 0x0D: "carriage return", 0x1B: "ESC",
          0x7F: "DEL", 0x9B: "CSI", 0x9D: "OSC", 0x85: "NEL"}


def strip_controls(text: str) -> str:
    """`text` without control characters (except line breaks and tabs), lone surrogates
    replaced by U+FFFD. Returns `text` itself when it is already safe."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def escape_controls(text: str) -> str:
    """`text` with each control character (except line breaks and tabs) and lone surrogate
    written out visibly, as `\\x1b` or `\\ud800`: for messages that quote untrusted text."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace")
                       .decode("ascii") if m.group() < "\ud800" else f"\\u{ord(m.group()):04x}",
                       text)


def find_control(text: str) -> int:
    """The offset of the first control character (other than line break and tab) or lone
    surrogate in `text`, or -1."""
    match = _UNSAFE.search(text)
    return -1 if match is None else match.start()


def describe(char: str) -> str:
    """'U+001B (ESC)' for a character found by `find_control`."""
    code = ord(char)
    name = _NAMES.get(code, "a control character" if _CONTROL.match(char) else "lone surrogate")
    return f"U+{code:04X} ({name})"
