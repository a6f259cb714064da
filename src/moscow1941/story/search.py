"""Finding glossary entries by what a reader types: the one ranking every face uses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from moscow1941.story.model import GlossaryEntry


def fold(text: str) -> str:
    """Text for matching: case and accents folded, whitespace runs as one space, so `gaimusho`
    finds `Gaimushō`."""
    decomposed = unicodedata.normalize("NFKD", " ".join(str(text).split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def rank(entry: GlossaryEntry, query: str) -> int | None:
    """How well `entry` matches the folded `query`: 0 its title (or one of the names it is
    known by in the text) is the query, 1 a word of its title or names begins with it, 2 its
    title or names contain it, 3 its text mentions it (or the query is its kind); None: no
    match. Names include its `aliases` (its English names, in a translated story)."""
    names = [fold(entry.term), *(fold(m) for m in (*entry.match, *entry.aliases) if m)]
    if query in names:
        return 0
    prefix = re.compile(r"(?<!\w)" + re.escape(query))
    if any(prefix.search(n) for n in names):
        return 1
    if any(query in n for n in names):
        return 2
    if query in fold(entry.text) or query == fold(entry.kind):
        return 3
    return None


def search_glossary(entries: Iterable[GlossaryEntry], query: str) -> list[GlossaryEntry]:
    """The entries matching `query`, best first (see `rank`), alphabetically within a rank;
    every entry, alphabetically, for an empty query."""
    ordered = sorted(entries, key=lambda e: fold(e.term))
    q = fold(query)
    if not q:
        return ordered
    ranked = [(r, e) for e in ordered if (r := rank(e, q)) is not None]
    ranked.sort(key=lambda pair: pair[0])  # stable: alphabetical within a rank
    return [e for _, e in ranked]


def glossary_mentions(glossary: Mapping[str, GlossaryEntry], texts: Iterable[str]) -> list[str]:
    """The ids of the entries named in `texts` (by the names they are matched by in the
    interface's text), in order of first mention."""
    ids: dict[str, str] = {}
    for entry in glossary.values():
        for name in entry.match:
            if name:
                ids.setdefault(name, entry.id)
    if not ids:
        return []
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True)))
                         + r")(?!\w)")
    seen: dict[str, None] = {}
    for text in texts:
        for m in pattern.finditer(text):
            seen.setdefault(ids[m.group(1)], None)
    return list(seen)
