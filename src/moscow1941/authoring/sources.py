"""Every work a story cites: `moscow1941 sources` writes them as Markdown (docs/sources.md).

History notes and events carry `sources:` lists. A citation is written
`Author, Title (year), locator: what it is cited for` (docs/story-format.md, "History notes");
`split_citation` takes it apart into the *work* (the text before the first locator), the
locator and the purpose, so that citations of one book at different chapters are listed
under that book. Citations that a student could not find or should not rely on (the project's
fact sheet, Wikipedia, mirrors and aggregators, enthusiast sites, blogs, other bare web
addresses) are listed apart, each with the reason (`doubtful`).

Pure functions over a loaded `Story`; the output depends only on the story, so a committed
copy can be compared with a fresh one (`moscow1941 sources --check`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from moscow1941.classroom.text import md, one_line
from moscow1941.story.model import Story

# ---- taking a citation apart -------------------------------------------------------------------

#: A publication year in brackets ends the work: `(2004)`, `(1994/2002)`, `(1972–1973)`.
_YEAR = re.compile(r"\((?:1[5-9]|20)\d\d(?:\s*[/–-]\s*\d{2,4})?\)")
#: Words that start a locator inside a work: chapter, page, document, number, item, section...
_LOCATOR = re.compile(
    r"(?:ch|chs|chap|chapter|chapters|p|pp|page|pages|doc|docs|document|documents|no|nos|"
    r"item|items|section|sections|sec|para|paras|art|article|fol|ff|entry|entries|"
    r"decision points?)\.?(?=\s|\d|$)|§", re.IGNORECASE)
#: A comma-separated part that starts with a date or a number is a locator (`Time, 16 April
#: 1945, ...`; `Hull, Memoirs, 1034`).
_DATE_OR_NUMBER = re.compile(
    r"\d|(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_BARE_URL = re.compile(r"(?:https?://)?[\w.-]+\.[a-z]{2,}(?:/\S*)?", re.IGNORECASE)
_QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
_PUNCT = ".,;: "


@dataclass(frozen=True, slots=True)
class Parts:
    """A citation taken apart: `work` is what it cites, `locator` where in it, `purpose` what
    for (each '' when the citation does not say)."""

    work: str
    locator: str
    purpose: str


def _top_level(text: str) -> list[bool]:
    """For each character, whether it is outside brackets and double quotes."""
    out: list[bool] = []
    depth = 0
    closing: str | None = None
    for ch in text:
        if closing is not None:
            out.append(False)
            if ch == closing:
                closing = None
            continue
        if ch in _QUOTES:
            closing = _QUOTES[ch]
            out.append(False)
            continue
        if ch == "(":
            depth += 1
        out.append(depth == 0 and ch != ")")
        if ch == ")" and depth:
            depth -= 1
    return out


def _work_end(text: str, top: list[bool]) -> int | None:
    """Where the work ends in `text`, if a year, a locator or a bracketed note shows it."""
    for year in _YEAR.finditer(text):  # "(" itself counts as inside: look before it
        if year.start() == 0 or top[year.start() - 1]:
            return year.end()
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "," and top[i]]
    for n, start in enumerate(starts):
        part_start = start + len(text[start:]) - len(text[start:].lstrip())
        stop = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
        if n and _DATE_OR_NUMBER.match(text, part_start):
            return start - 1
        for m in _LOCATOR.finditer(text, part_start, stop):
            at = m.start()
            if top[at] and (at == part_start or text[at - 1] == " "):
                return start - 1 if at == part_start and n else at
        bracket = text.find(" (", part_start, stop)
        if bracket >= 0 and top[bracket]:
            return bracket
    return None


def split_citation(citation: str) -> Parts:
    """`Author, Title (year), ch. 3: what for` -> work `Author, Title (year)`, locator `ch. 3`,
    purpose `what for`. A work is the text before the first locator: a year in brackets ends
    it; so do a part that starts with a locator word (`ch.`, `p.`, `doc.`, `no.`, `item`,
    `section`, ...), a date or a number, and a bracketed note. A bare web address is its own
    work."""
    text = one_line(citation, 2000)
    if _URL.fullmatch(text):
        return Parts(text, "", "")
    top = _top_level(text)
    end = _work_end(text, top)
    if end is not None and not text[:end].strip(_PUNCT):
        end = None  # only a locator ("item 15"): it is all the work there is
    first_colon = next((i for i in range(len(text) - 1)
                        if text[i] == ":" and text[i + 1] == " " and top[i]), None)
    has_year = any(m.start() == 0 or top[m.start() - 1] for m in _YEAR.finditer(text))
    if (end is not None and first_colon is not None and first_colon < end and not has_year
            and any(text[i] == "," and top[i] for i in range(first_colon, min(end + 1, len(text))))):
        end = None  # "Work: what for, June 1945": the colon ends the work, not a later part
    if end is None:
        colon = next((i for i in range(len(text) - 1)
                      if text[i] == ":" and text[i + 1] == " " and top[i]), None)
        if colon is None:
            return Parts(text.strip(_PUNCT), "", "")
        return Parts(text[:colon].strip(_PUNCT), "", text[colon + 1:].strip())
    work, rest = text[:end].strip(_PUNCT), text[end:].lstrip(",; ")
    rest_top = top[len(text) - len(rest):]
    colon = next((i for i in range(len(rest) - 1)
                  if rest[i] == ":" and rest[i + 1] == " " and rest_top[i]), None)
    if colon is None:
        return Parts(work, rest.rstrip(". "), "")
    return Parts(work, rest[:colon].strip(), rest[colon + 1:].strip())


def work_key(work: str) -> str:
    """What makes two spellings of a work the same for grouping: case, spaces, dashes and
    quotes do not count."""
    text = unicodedata.normalize("NFKC", work).casefold()
    text = re.sub(r"[‐‑‒–—―]", "-", text)
    text = re.sub(r"[“”„«»\"‘’']", "'", text)
    return " ".join(text.split()).strip(".,;: ")


def _sort_key(work: str) -> tuple[str, str]:
    key = work_key(work)
    key = re.sub(r"^(?:https?://)?(?:www\.)?", "", key) if _URL.match(work) else key
    return re.sub(r"^(?:the|a|an)\s+|^[^\w]+", "", key), key


# ---- citations a reader cannot find -----------------------------------------------------------

#: (reason, what to do, domains or words). Checked in order; the first that matches is given.
DOUBTFUL: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("the project's fact sheet", "it is not a published work: cite the work it draws on",
     ("fact sheet",)),
    ("Wikipedia", "cite the work the article draws on", ("wikipedia",)),
    ("a mirror or copy of another site's text",
     "cite the original work (a mirror of Wikipedia, or an unauthorised copy of a book)",
     ("liquisearch.com", "clever-geek.imtqy.com", "imtqy.com", "thefreedictionary.com",
      "erenow.net", "wikiwand.com", "wiki2.org", "everybodywiki.com", "dbpedia.org",
      "academic.ru", "infogalactic.com", "alchetron.com", "peoplepill.com", "yumpu.com",
      "scribd.com", "studfile.net", "libgen", "z-lib", "citizendium.com", "military-wiki",
      "wikimili.com", "justapedia", "encyclopedia2.")),
    ("a news aggregator", "cite the newspaper or agency that published the report",
     ("myseldon.com", "newsnow.", "ground.news", "inosmi.ru", "newsbreak.com")),
    ("an enthusiast site", "cite a published history or the documents themselves",
     ("codenames.info", "operationbarbarossa.net", "thenagain.info", "ww2db.com",
      "fandom.com", "axishistory.com", "historyofwar.org", "feldgrau.com", "warfare.today")),
    ("a blog", "cite the published work the post relies on",
     ("blogspot.", "wordpress.com", "medium.com", "substack.com", "livejournal.com",
      "tumblr.com", "typepad.com", "bradford-delong.com", "liveblogging")),
)


def doubtful(citation: str) -> tuple[str, str] | None:
    """Why a citation looks unfindable or unreliable (reason, what to do), or None."""
    text = citation.casefold()
    hosts = [m.group(0).split("//", 1)[-1].split("/", 1)[0] for m in _URL.finditer(text)]
    for reason, fix, marks in DOUBTFUL:
        for mark in marks:
            if "." in mark:
                if any(mark in host for host in hosts) or mark in text:
                    return reason, fix
            elif mark in text:
                return reason, fix
    return None


def is_web_address(citation: str) -> bool:
    """A citation that is only a web address (`https://...` or `example.org/page`)."""
    return bool(_BARE_URL.fullmatch(one_line(citation, 2000)))


# ---- collecting ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Citer:
    """A history note (of node `id`) or an event that cites a source."""

    kind: str   # "note" or "event"
    id: str
    title: str
    date: str

    def markdown(self) -> str:
        what = "history note" if self.kind == "note" else "event"
        return f"{what} `{self.id}` *{md(self.title)}* ({self.date})"


@dataclass(frozen=True, slots=True)
class Citation:
    text: str
    parts: Parts
    citer: Citer


def citations(story: Story) -> list[Citation]:
    """Every citation of the story: history notes in the order of the story's nodes, then
    events in date order."""
    out: list[Citation] = []
    for node in story.nodes.values():
        if node.history is not None:
            citer = Citer("note", node.id, node.title, node.history.date.iso())
            out.extend(Citation(s, split_citation(s), citer) for s in node.history.sources)
    for event in story.events:
        citer = Citer("event", event.id, event.title, event.date.iso())
        out.extend(Citation(s, split_citation(s), citer) for s in event.sources)
    return out


def _citers(items: Iterable[Citation]) -> str:
    seen: dict[Citer, None] = {}
    for c in items:
        seen.setdefault(c.citer, None)
    ordered = sorted(seen, key=lambda c: (c.kind != "note", c.date, c.id))
    return "; ".join(c.markdown() for c in ordered)


def sources_markdown(story: Story) -> str:
    """docs/sources.md for `story`: every work cited, grouped and sorted, then the citations
    that look unfindable."""
    cites = citations(story)
    works: dict[str, list[Citation]] = defaultdict(list)
    for c in cites:
        works[work_key(c.parts.work)].append(c)
    notes = {c.citer for c in cites if c.citer.kind == "note"}
    events = {c.citer for c in cites if c.citer.kind == "event"}
    lines = [
        f"# Works cited in {md(story.title)}",
        "",
        "<!-- Generated by `moscow1941 sources -o docs/sources.md` from the story's files: do "
        "not edit by hand. `moscow1941 sources -o docs/sources.md --check` fails when it is "
        "out of date. -->",
        "",
        "Every work the story's history notes and events cite, grouped by work (the text of a "
        "citation before its first locator, as in `Author, Title (year), ch. 3: what it is "
        "cited for`) and sorted by it, so by author; under each work, every locator and what "
        "it is cited for, with the notes and events that cite it. Citations that look "
        "unfindable are listed again at the end, with the reason.",
        "",
        f"{_n(len(works), 'work')}, {_n(len(cites), 'citation')} in "
        f"{_n(len(notes), 'history note')} and {_n(len(events), 'event')}.",
        "",
        "## Works",
        "",
    ]
    web = sorted((k for k in works if is_web_address(works[k][0].parts.work)),
                 key=lambda k: _sort_key(works[k][0].parts.work))
    named = sorted((k for k in works if k not in set(web)),
                   key=lambda k: _sort_key(works[k][0].parts.work))
    for key in named:
        group = works[key]
        spellings = _by_count(c.parts.work for c in group)
        lines.append(f"### {md(spellings[0])}")
        lines.append("")
        if len(spellings) > 1:
            lines.append("Also spelled: " + "; ".join(md(s) for s in spellings[1:]))
            lines.append("")
        flag = _flag(group)
        if flag:
            lines.append(f"*{flag[0].upper()}{flag[1:]}; see [the last section]"
                         "(#citations-that-look-unfindable).*")
            lines.append("")
        places: dict[tuple[str, str], list[Citation]] = defaultdict(list)
        for c in group:
            places[(c.parts.locator, c.parts.purpose)].append(c)
        for (locator, purpose) in sorted(places, key=lambda lp: (lp[0] != "", _natural(lp[0]),
                                                                 lp[1])):
            where = md(locator) if locator else "*(the work as a whole)*"
            why = f" — for {md(purpose)}" if purpose else ""
            lines.append(f"- {where}{why}: {_citers(places[(locator, purpose)])}")
        lines.append("")
    lines.extend(["## Web pages cited by their address alone", ""])
    if web:
        lines.append("A web address names no work: say who wrote the page, its title and date, "
                     "and what it is cited for, or cite the published work it reproduces (a "
                     "link alone breaks when the site moves).")
        lines.append("")
        for key in web:
            group = works[key]
            flag = _flag(group)
            tag = f" *({flag})*" if flag else ""
            lines.append(f"- {md(group[0].parts.work)}{tag}: {_citers(group)}")
    else:
        lines.append("None.")
    lines.append("")
    lines.extend(_doubtful_section(cites))
    return "\n".join(lines).rstrip("\n") + "\n"


def _flag(group: list[Citation]) -> str:
    """'looks unfindable: Wikipedia' when every citation of a work does, '1 of 2 citations
    looks unfindable: ...' when some do, '' when none does."""
    found = [why[0] for c in group if (why := doubtful(c.text)) is not None]
    if not found:
        return ""
    reasons = ", ".join(_by_count(found))
    if len(found) == len(group):
        return f"looks unfindable: {reasons}"
    return f"{len(found)} of its {len(group)} citations look{'s' * (len(found) == 1)} " \
        f"unfindable: {reasons}"


def _doubtful_section(cites: list[Citation]) -> list[str]:
    found: dict[tuple[str, str], dict[str, list[Citation]]] = defaultdict(lambda: defaultdict(list))
    for c in cites:
        why = doubtful(c.text)
        if why is not None:
            found[why][one_line(c.text, 2000)].append(c)
    lines = ["## Citations that look unfindable", ""]
    total = sum(len(v) for v in found.values())
    if not total:
        lines.append("None: every citation names a work a reader can look for.")
        return lines
    lines.append(f"{_n(total, 'citation')} that a student or teacher could not find, or "
                 "should not rely on. Each source must be a work a reader can find, and say "
                 "what it is cited for (docs/story-format.md, \"History notes\").")
    lines.append("")
    for reason, fix, _ in DOUBTFUL:
        group = found.get((reason, fix))
        if not group:
            continue
        lines.append(f"### {reason[0].upper()}{reason[1:]} ({len(group)})")
        lines.append("")
        lines.append(f"What to do: {fix}.")
        lines.append("")
        for text in sorted(group, key=work_key):
            lines.append(f"- {md(text)}: {_citers(group[text])}")
        lines.append("")
    return lines


def _by_count(items: Iterable[str]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item] += 1
    return sorted(counts, key=lambda s: (-counts[s], s))


def _natural(text: str) -> list[object]:
    """`ch. 2` before `ch. 10`."""
    return [int(part) if part.isdigit() else part.casefold()
            for part in re.split(r"(\d+)", text)]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"
