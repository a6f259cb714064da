"""Writing untrusted text into the files a class hands around: one-line cleaning, Markdown
escaping, wrapping, and the divergence figures in words.

Player names, folder names, reflections and story text are all untrusted here: whatever they
hold, they must not change the structure of the Markdown, HTML or CSV they are written into.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

from moscow1941 import words
from moscow1941.words import choice_figure, outcome_figure, percent

__all__ = ["choice_figure", "outcome_figure", "percent"]

WIDTH = 88
"""Lines of Markdown are wrapped to this width, so a transcript reads well as plain text."""

# Characters Markdown (CommonMark and GitHub's) can turn into structure in the middle of a line:
# emphasis, code, links, raw HTML, entities, tables and strikethrough. A backslash makes each
# literal; the plain text stays readable.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")


def one_line(text: str, limit: int = 500) -> str:
    """`text` on one line: control and format characters and every kind of line break become
    spaces, runs of spaces shrink to one, and at most `limit` characters are kept."""
    chars = (" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(text)[:limit * 4])
    clean = " ".join("".join(chars).split())
    return clean if len(clean) <= limit else clean[:limit - 1].rstrip() + "…"


def md(text: str) -> str:
    """Untrusted text as literal Markdown, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text, 10_000))


def wrap(text: str, first: str = "", rest: str | None = None) -> list[str]:
    """`text` (already escaped) wrapped to `WIDTH`, the first line after `first` and the others
    after `rest` (default: as many spaces). Words are never broken, so no escape is split."""
    hang = " " * len(first) if rest is None else rest
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=hang,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def quoted(text: str) -> str:
    """`text` in curly quotes, unless it is already a quotation (a line of dialogue)."""
    from moscow1941.i18n import pgettext

    # Translators: quotation marks around a quoted choice („{text}“ in German, «{text}» in Arabic).
    return text if text[:1] in "\"“«‘'„" else pgettext("quotation", "“{text}”").format(text=text)


def end_sentence(text: str) -> str:
    """`text` with a full stop, unless it already ends a sentence (inside quotes or not)."""
    return text if text.rstrip("”“\"'’»").endswith((".", "!", "?", "…")) else text + "."


def ending_kind(kind: str) -> str:
    """An ending's kind in the middle of a sentence, as the ending screen words it (`words`);
    a kind the game does not know (read from a file) as it was written, on one line."""
    heading = words.ending_kind_in_sentence(kind)
    return heading if heading is not None else one_line(kind, 60)
