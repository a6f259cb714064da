"""Finding glossary entries by what a reader types: the one ranking every face uses."""

from __future__ import annotations

import re
from collections.abc import Iterable

from moscow1941.story.model import GlossaryEntry


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def rank(entry: GlossaryEntry, query: str) -> int | None:
    """How well `entry` answers `query` (already casefolded and stripped): 0 is best; None
    means it does not match. In order: the term or one of its names exactly; a word of the
    term or a name starting with the query; the query inside the term or a name; the kind;
    a mention in the entry's text."""
    names = [entry.term.casefold(), *(m.casefold() for m in entry.match)]
    if query in names:
        return 0
    if any(w.startswith(query) for n in names for w in _words(n)) or \
            any(n.startswith(query) for n in names):
        return 1
    if any(query in n for n in names):
        return 2
    if query in entry.kind.casefold():
        return 3
    if query in entry.text.casefold():
        return 4
    return None


def search_glossary(entries: Iterable[GlossaryEntry], query: str) -> list[GlossaryEntry]:
    """The entries that match `query`, best first, then by term; every entry, by term, for an
    empty query."""
    q = " ".join(query.split()).casefold()
    scored = []
    for e in entries:
        r = 0 if not q else rank(e, q)
        if r is not None:
            scored.append((r, e.term.casefold(), e))
    return [e for _, _, e in sorted(scored, key=lambda t: (t[0], t[1]))]
