"""A story's words in another language: translation files beside the story, keyed by stable ids.

A translation into language `xx` is the folder `STORY/xx/`, one file per story file and at the
same place (`story/soviet/01_spring_1941.yaml` is translated in `story/de/soviet/01_spring_1941.yaml`).
Each file maps an entry's key to the English it was made from, that English's hash, and the
translation:

    entries:
      sov_start.title:
        hash: 5c1f0e9a2b
        en: The Man from the Trans-Siberian
        de: Der Mann aus der Transsib

Keys are stable ids, not positions in a file: `NODE.title`, `NODE.place`, `NODE.text.N` (the
scene's N-th paragraph, from 1), `NODE.choice.ID.text` (`.locked`, `.note`) where a choice's id
is the node it leads to (`ID#2` for a second choice to the same node), `NODE.history.text`,
`NODE.history.debrief`, `NODE.reflect`, `NODE.ending.title`, `NODE.ending.epilogue.N`;
`campaign.ID.title` (`.role`, `.blurb`, `.debrief.N`), `event.ID.title` (`.happened`,
`.diverged`), `glossary.ID.term` (`.text`, `.match`), `variable.NAME.label` (`.doc`),
`chapter.FILE` and `story.title`.

`translate` (the command) writes and updates these files as `msgmerge` does: new entries are
added empty, removed ones dropped, and an entry whose English changed keeps its translation,
is marked `stale: true` and keeps the English it was made from under `was`. Loading a story in
a language replaces every translated string and keeps English where an entry is missing,
empty, stale or unusable (W6xx warnings say which and where). A translation never stops a
story from loading, and a translated story keeps the English story's `content_hash`, so saves
and transcripts move between languages.

This module never imports the engine, the UI, Textual or Rich.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import yaml

from moscow1941.story.diagnostics import Diagnostic, Diagnostics
from moscow1941.story.expr import VarInfo
from moscow1941.story.model import (
    Campaign,
    Choice,
    Ending,
    Event,
    GlossaryEntry,
    HistoryNote,
    Node,
    Passage,
    Story,
    Template,
    Variable,
)
from moscow1941.story.templates import compile_template, split_paragraphs
from moscow1941.story.yamlsrc import parse_yaml, read_source

_T = TypeVar("_T")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")
HASH_CHARS = 10


def text_hash(text: str) -> str:
    """The short hash an entry keeps of the English it was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_CHARS]


@dataclass(frozen=True, slots=True)
class Source:
    """One translatable English string of the story: its key, the story file it is in (relative
    to the story folder, `/`-separated) and its text (a glossary entry's `match` is a list)."""

    key: str
    file: str
    english: str | tuple[str, ...]

    @property
    def hash(self) -> str:
        return text_hash(_joined(self.english))

    @property
    def words(self) -> int:
        return len(_joined(self.english).split())


@dataclass(slots=True)
class Entry:
    """One entry of a translation file, as read."""

    key: str
    path: str
    line: int
    col: int
    hash: str = ""
    english: str | tuple[str, ...] = ""
    text: str | tuple[str, ...] = ""
    stale: bool = False
    was: str | tuple[str, ...] = ""


@dataclass(slots=True)
class Coverage:
    """How much of a story a translation covers, in entries and in English words."""

    language: str
    entries: int = 0
    translated: int = 0
    words: int = 0
    translated_words: int = 0
    missing: int = 0
    stale: int = 0
    #: Words of the translation itself (the translated entries' text).
    target_words: int = 0
    #: The keys shown in English: missing, empty, stale or unusable entries.
    untranslated: list[str] = field(default_factory=list)

    def percent(self, part: int, whole: int) -> float:
        return 100.0 * part / whole if whole else 100.0

    @property
    def complete(self) -> bool:
        return self.translated == self.entries and not self.stale


@dataclass(slots=True)
class Translated:
    """A story in a language, what its translation covers and what is wrong with it."""

    story: Story
    coverage: Coverage
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _joined(value: str | tuple[str, ...]) -> str:
    return "\n".join(value) if isinstance(value, tuple) else value


def _rel(story: Story, path: str) -> str:
    return _relative(path, story.root)


@functools.lru_cache(maxsize=4096)
def _relative(path: str, root: str) -> str:
    """`path` inside the story folder `root`, `/`-separated (a story has a few dozen files, and
    every string asks)."""
    return Path(os.path.relpath(path, root)).as_posix()


# ---- the strings of a story ----------------------------------------------------------------

def choice_ids(node: Node) -> list[str]:
    """Each choice's id: the node it leads to, with `#2`, `#3` for further choices to it."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for choice in node.choices:
        n = seen[choice.goto] = seen.get(choice.goto, 0) + 1
        out.append(choice.goto if n == 1 else f"{choice.goto}#{n}")
    return out


def sources(story: Story) -> list[Source]:
    """Every string of `story` a translation can replace, in story order."""
    out: list[Source] = []

    def add(key: str, path: str, english: str | tuple[str, ...]) -> None:
        if english:
            out.append(Source(key, _rel(story, path), english))

    manifest = str(Path(story.root) / "story.yaml")
    add("story.title", manifest, story.title)
    for cid, c in story.campaigns.items():
        path = c.path or manifest
        add(f"campaign.{cid}.title", path, c.title)
        add(f"campaign.{cid}.role", path, c.role)
        add(f"campaign.{cid}.blurb", path, c.blurb)
        for i, q in enumerate(c.debrief, 1):
            add(f"campaign.{cid}.debrief.{i}", path, q)
    for name, v in story.variables.items():
        add(f"variable.{name}.label", v.path or manifest, v.label)
        add(f"variable.{name}.doc", v.path or manifest, v.doc)
    for e in sorted(story.events, key=lambda e: (e.path, e.line)):
        add(f"event.{e.id}.title", e.path, e.title)
        add(f"event.{e.id}.happened", e.path, e.happened)
        add(f"event.{e.id}.diverged", e.path, e.diverged)
    for gid, g in story.glossary.items():
        path = g.path or manifest
        add(f"glossary.{gid}.term", path, g.term)
        add(f"glossary.{gid}.text", path, g.text)
        add(f"glossary.{gid}.match", path, g.match)
    chapters: set[str] = set()
    for nid, n in story.nodes.items():
        rel = _rel(story, n.path)
        if n.chapter and rel not in chapters:
            chapters.add(rel)
            add(f"chapter.{rel.removesuffix('.yaml').removesuffix('.yml')}", n.path, n.chapter)
        add(f"{nid}.title", n.path, n.title)
        add(f"{nid}.place", n.path, n.place)
        for i, p in enumerate(n.passages, 1):
            add(f"{nid}.text.{i}", n.path, p.template.source)
        for cid, ch in zip(choice_ids(n), n.choices, strict=True):
            add(f"{nid}.choice.{cid}.text", n.path, ch.text.source)
            add(f"{nid}.choice.{cid}.locked", n.path, ch.locked or "")
            add(f"{nid}.choice.{cid}.note", n.path, ch.note)
        if n.history is not None:
            add(f"{nid}.history.text", n.path, n.history.text)
            add(f"{nid}.history.debrief", n.path, n.history.debrief)
        add(f"{nid}.reflect", n.path, n.reflect)
        if n.ending is not None:
            add(f"{nid}.ending.title", n.path, n.ending.title)
            for i, p in enumerate(n.ending.passages, 1):
                add(f"{nid}.ending.epilogue.{i}", n.path, p.template.source)
    return out


# ---- reading a translation -----------------------------------------------------------------

def translation_dir(story_root: str | os.PathLike[str], language: str) -> Path:
    return Path(story_root) / language


def languages(story_root: str | os.PathLike[str]) -> list[str]:
    """The languages the story folder holds translations for."""
    root = Path(story_root)
    try:
        return sorted(p.name for p in root.iterdir()
                      if p.is_dir() and LANGUAGE_CODE.fullmatch(p.name))
    except OSError:
        return []


def read_entries(story_root: str | os.PathLike[str], language: str,
                 diags: Diagnostics) -> dict[str, Entry]:
    """Every entry of the translation into `language`, by key. Problems are warnings (W600:
    a file that cannot be read or is not a translation; W605: an entry written twice)."""
    folder = translation_dir(story_root, language)
    entries: dict[str, Entry] = {}
    if not folder.is_dir():
        return entries
    real = folder.resolve()
    for path in sorted(folder.rglob("*.y*ml")):
        if path.suffix not in (".yaml", ".yml") or any(
                part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        shown = str(path)
        try:
            path.resolve().relative_to(real)
        except (ValueError, OSError, RuntimeError):
            diags.warning(shown, 0, 0, "W600", "translation file links outside the translation "
                          "folder; not read", "replace the link with the file itself")
            continue
        local = Diagnostics()
        data = read_source(str(path), local, shown)
        parsed = parse_yaml(shown, data, local) if data is not None else None
        for d in local.items:
            diags.warning(d.path, d.line, d.col, "W600", f"translation not read: {d.message}",
                          d.hint)
        if parsed is None:
            continue
        _read_file(shown, parsed.root, language, entries, diags)
    return entries


def _read_file(shown: str, root: yaml.Node, language: str, entries: dict[str, Entry],
               diags: Diagnostics) -> None:
    def at(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    if not isinstance(root, yaml.MappingNode):
        diags.warning(shown, *at(root), "W600", "a translation file is a mapping with 'entries:'",
                      "run 'moscow1941 translate' to write the file again")
        return
    top = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    lang_node = top.get("language")
    if isinstance(lang_node, yaml.ScalarNode) and lang_node.value != language:
        diags.warning(shown, *at(lang_node), "W600", f"this file says it is language "
                      f"'{lang_node.value}', but it is in the folder for '{language}'",
                      "move it to the folder of its language, or fix 'language:'")
        return
    body = top.get("entries")
    if body is None:
        return
    if not isinstance(body, yaml.MappingNode):
        diags.warning(shown, *at(body), "W600", "'entries' must map keys to entries",
                      "run 'moscow1941 translate' to write the file again")
        return
    for key_node, value in body.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = key_node.value
        line, col = at(key_node)
        if key in entries:
            first = entries[key]
            diags.warning(shown, line, col, "W605", f"entry '{key}' is written twice (first at "
                          f"{first.path}:{first.line})", "keep one of them")
            continue
        entry = Entry(key, shown, line, col)
        if not isinstance(value, yaml.MappingNode):
            diags.warning(shown, line, col, "W600", f"entry '{key}' must be a mapping with "
                          f"'hash', 'en' and '{language}'", "run 'moscow1941 translate'")
            continue
        fields = {k.value: v for k, v in value.value if isinstance(k, yaml.ScalarNode)}
        entry.hash = _scalar(fields.get("hash"))
        entry.english = _value(fields.get("en"))
        entry.text = _value(fields.get(language))
        entry.was = _value(fields.get("was"))
        stale = fields.get("stale")
        entry.stale = isinstance(stale, yaml.ScalarNode) and stale.value.lower() in ("true", "yes")
        entries[key] = entry


def _scalar(node: yaml.Node | None) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null" \
        and node.value not in ("~", "null") else ""


def _value(node: yaml.Node | None) -> str | tuple[str, ...]:
    if isinstance(node, yaml.SequenceNode):
        return tuple(v for v in (_scalar(n) for n in node.value) if v)
    return _scalar(node)


# ---- applying a translation ----------------------------------------------------------------

class _Words:
    """The usable translated strings of one language, by key, with the warnings about the rest."""

    def __init__(self, story: Story, language: str, entries: dict[str, Entry],
                 diags: Diagnostics) -> None:
        self.story = story
        self.language = language
        self.diags = diags
        self.coverage = Coverage(language)
        self.varinfo = {n: VarInfo(v.type, v.min, v.max) for n, v in story.variables.items()}
        self.texts: dict[str, str | tuple[str, ...]] = {}
        self.templates: dict[str, Template] = {}
        src = sources(story)
        known = {s.key for s in src}
        cov = self.coverage
        first_missing: dict[str, str] = {}
        untranslated = dict.fromkeys(s.key for s in src)
        for s in src:
            cov.entries += 1
            cov.words += s.words
            entry = entries.get(s.key)
            if entry is None or not entry.text:
                cov.missing += 1
                first_missing.setdefault(s.file, s.key)
                if entry is not None:
                    diags.warning(entry.path, entry.line, entry.col, "W601",
                                  f"'{s.key}' is not translated into {language}",
                                  f"write the translation under '{language}:'")
                continue
            if entry.hash != s.hash:
                cov.stale += 1
                diags.warning(entry.path, entry.line, entry.col, "W603",
                              f"'{s.key}': the English changed after this file was written",
                              f"run 'moscow1941 translate {story.root} --lang {language}', then "
                              "update the entries it marks stale")
                continue
            if entry.stale:
                cov.stale += 1
                diags.warning(entry.path, entry.line, entry.col, "W602",
                              f"'{s.key}' is stale: the English changed since it was translated",
                              "update the translation (the old English is under 'was'), then "
                              "delete the 'stale' and 'was' lines")
                continue
            if not self._usable(s, entry):
                continue
            del untranslated[s.key]
            cov.translated += 1
            cov.translated_words += s.words
            cov.target_words += len(_joined(entry.text).split())
            self.texts[s.key] = entry.text
        cov.untranslated = list(untranslated)
        for rel, key in first_missing.items():
            if not any(e.key == key for e in entries.values()):
                diags.warning(str(translation_dir(story.root, language) / rel), 0, 0, "W601",
                              f"'{key}' and perhaps more of {rel} have no entry in {language}",
                              f"run 'moscow1941 translate {story.root} --lang {language}'")
        for key, entry in entries.items():
            if key not in known:
                diags.warning(entry.path, entry.line, entry.col, "W604",
                              f"'{key}' is not in the story (any more)",
                              f"run 'moscow1941 translate {story.root} --lang {language}' to "
                              "drop it")

    def _usable(self, s: Source, entry: Entry) -> bool:
        """A translated text shows the same `{variables}` as the English, and a list stays a list."""
        if isinstance(s.english, tuple) != isinstance(entry.text, tuple):
            self.diags.warning(entry.path, entry.line, entry.col, "W606",
                               f"'{s.key}' must be {'a list' if isinstance(s.english, tuple) else 'one text'}"
                               ", like the English", "write it in the English's shape")
            return False
        if isinstance(entry.text, tuple) or "{" not in entry.text and "}" not in entry.text \
                and "{" not in s.english:
            return True
        assert isinstance(s.english, str)
        problems: list[str] = []
        template = compile_template(" ".join(entry.text.split()), self.varinfo, lambda: True,
                                    lambda _o, _c, msg, _h: problems.append(msg))
        english = compile_template(s.english, self.varinfo, lambda: True, lambda *_: None)
        want = sorted({n for n in english.names if n})
        got = sorted({n for n in template.names if n})
        if problems or want != got:
            show = ", ".join(f"{{{n}}}" for n in want) or "no {variables}"
            self.diags.warning(entry.path, entry.line, entry.col, "W606",
                               f"'{s.key}' must show {show}, as the English does"
                               + (f" ({problems[0]})" if problems else ""),
                               "keep every {name} of the English, and write {{ or }} for a brace")
            return False
        self.templates[s.key] = template
        return True

    def text(self, key: str, english: str) -> str:
        value = self.texts.get(key)
        return " ".join(value.split()) if isinstance(value, str) and value else english

    def paragraph(self, key: str, english: Template) -> Template:
        if key in self.templates:
            return self.templates[key]
        value = self.texts.get(key)
        if not isinstance(value, str) or not value:
            return english
        para = " ".join(split_paragraphs(value))
        return compile_template(para, self.varinfo, lambda: True, lambda *_: None)

    def items(self, key: str, english: tuple[str, ...]) -> tuple[str, ...]:
        value = self.texts.get(key)
        return value if isinstance(value, tuple) and value else english


def translate_story(story: Story, language: str, diags: Diagnostics | None = None) -> Translated:
    """`story` with every usable entry of its translation into `language` in place of the
    English. English (`en`) gives the story back as it is."""
    diags = diags if diags is not None else Diagnostics()
    if language == "en":
        src = sources(story)
        words = sum(s.words for s in src)
        cov = Coverage("en", len(src), len(src), words, words, target_words=words)
        return Translated(story, cov, list(diags.items))
    entries = read_entries(story.root, language, diags)
    w = _Words(story, language, entries, diags)
    nodes = {nid: _node(w, n) for nid, n in story.nodes.items()}
    translated = dataclasses.replace(
        story, title=w.text("story.title", story.title), language=language,
        campaigns=_frozen({cid: _campaign(w, c) for cid, c in story.campaigns.items()}),
        variables=_frozen({name: _variable(w, v) for name, v in story.variables.items()}),
        events=tuple(_event(w, e) for e in story.events),
        glossary=_frozen({gid: _glossary(w, g) for gid, g in story.glossary.items()}),
        nodes=_frozen(nodes))
    return Translated(translated, w.coverage, diags.sorted())


def _frozen(d: dict[str, _T]) -> Mapping[str, _T]:
    return MappingProxyType(d)


def _campaign(w: _Words, c: Campaign) -> Campaign:
    k = f"campaign.{c.id}"
    return dataclasses.replace(
        c, title=w.text(f"{k}.title", c.title), role=w.text(f"{k}.role", c.role),
        blurb=w.text(f"{k}.blurb", c.blurb),
        debrief=tuple(w.text(f"{k}.debrief.{i}", q) for i, q in enumerate(c.debrief, 1)))


def _variable(w: _Words, v: Variable) -> Variable:
    k = f"variable.{v.name}"
    return dataclasses.replace(v, label=w.text(f"{k}.label", v.label), doc=w.text(f"{k}.doc", v.doc))


def _event(w: _Words, e: Event) -> Event:
    k = f"event.{e.id}"
    return dataclasses.replace(
        e, title=w.text(f"{k}.title", e.title), happened=w.text(f"{k}.happened", e.happened),
        diverged=w.text(f"{k}.diverged", e.diverged))


def _glossary(w: _Words, g: GlossaryEntry) -> GlossaryEntry:
    k = f"glossary.{g.id}"
    term, match = w.text(f"{k}.term", g.term), w.items(f"{k}.match", g.match)
    aliases = tuple(dict.fromkeys(n for n in (g.term, *g.match) if n not in (term, *match)))
    return dataclasses.replace(g, term=term, text=w.text(f"{k}.text", g.text), match=match,
                               aliases=aliases)


def _passages(w: _Words, key: str, passages: tuple[Passage, ...]) -> tuple[Passage, ...]:
    return tuple(dataclasses.replace(p, template=w.paragraph(f"{key}.{i}", p.template))
                 for i, p in enumerate(passages, 1))


def _node(w: _Words, n: Node) -> Node:
    nid = n.id
    rel = _rel(w.story, n.path)
    choices: list[Choice] = []
    for cid, ch in zip(choice_ids(n), n.choices, strict=True):
        k = f"{nid}.choice.{cid}"
        choices.append(dataclasses.replace(
            ch, text=w.paragraph(f"{k}.text", ch.text),
            locked=w.text(f"{k}.locked", ch.locked) if ch.locked else ch.locked,
            note=w.text(f"{k}.note", ch.note)))
    history: HistoryNote | None = n.history
    if history is not None:
        history = dataclasses.replace(history, text=w.text(f"{nid}.history.text", history.text),
                                      debrief=w.text(f"{nid}.history.debrief", history.debrief))
    ending: Ending | None = n.ending
    if ending is not None:
        ending = dataclasses.replace(ending, title=w.text(f"{nid}.ending.title", ending.title),
                                     passages=_passages(w, f"{nid}.ending.epilogue", ending.passages))
    return dataclasses.replace(
        n, chapter=w.text(f"chapter.{rel.removesuffix('.yaml').removesuffix('.yml')}", n.chapter),
        title=w.text(f"{nid}.title", n.title), place=w.text(f"{nid}.place", n.place),
        passages=_passages(w, f"{nid}.text", n.passages), choices=tuple(choices),
        history=history, reflect=w.text(f"{nid}.reflect", n.reflect), ending=ending)


# ---- writing the skeleton ------------------------------------------------------------------

@dataclass(slots=True)
class Update:
    """What `update_files` did, by entries."""

    added: int = 0
    kept: int = 0
    changed: int = 0
    moved: int = 0
    dropped: int = 0
    files: list[str] = field(default_factory=list)
    #: Translation files of story files that are gone (their entries were dropped).
    removed: list[str] = field(default_factory=list)


def update_files(story: Story, language: str, *, write: bool = True,
                 new_texts: dict[str, str | tuple[str, ...]] | None = None,
                 ) -> tuple[Update, list[Diagnostic]]:
    """Write or update the translation of `story` into `language`: one file per story file,
    with every entry the story has (existing translations kept, new entries empty, entries whose
    English changed marked stale with the old English under `was`, entries the story no longer
    has dropped). A translation whose English moved to another key (a paragraph inserted above
    it) follows its English. `new_texts` (key to translation) are written in, as translated
    from the current English."""
    diags = Diagnostics()
    old = read_entries(story.root, language, diags)
    for key, value in (new_texts or {}).items():
        s_hash = next((s.hash for s in sources(story) if s.key == key), "")
        e = old.get(key) or Entry(key, "", 0, 0)
        e.text, e.hash, e.stale, e.was = value, s_hash, False, ""
        old[key] = e
    by_hash: dict[str, Entry] = {}
    for e in old.values():
        if e.text and e.hash and not e.stale:
            by_hash.setdefault(e.hash, e)
    update = Update()
    files: dict[str, list[str]] = {}
    current = sources(story)
    for s in current:
        entry = old.get(s.key)
        stale = False
        was: str | tuple[str, ...] = ""
        text: str | tuple[str, ...] = () if isinstance(s.english, tuple) else ""
        if entry is not None and entry.hash == s.hash and entry.text:
            text, stale, was = entry.text, entry.stale, entry.was
            update.kept += 1
        elif s.hash in by_hash:  # the same English has a translation under another key
            text = by_hash[s.hash].text
            update.moved += 1
        elif entry is not None and entry.text:
            text, stale = entry.text, True
            was = entry.was if entry.stale and entry.was else entry.english
            update.changed += 1
        elif entry is not None:
            update.kept += 1  # still to be translated
        else:
            update.added += 1
        body: dict[str, str | tuple[str, ...]] = {"hash": s.hash, "en": s.english, language: text}
        files.setdefault(s.file, []).append(_entry_yaml(s.key, body, stale, was, language))
    keys = {s.key for s in current}
    update.dropped = sum(1 for k in old if k not in keys)
    folder = translation_dir(story.root, language)
    for rel, chunks in files.items():
        target = folder / rel
        update.files.append(str(target))
        if write:
            target.parent.mkdir(parents=True, exist_ok=True)
            header = (f"# {rel} in language '{language}'. Written by 'moscow1941 translate'; "
                      "see docs/authoring.md, 'Translating a story'.\n"
                      f"# Write each translation under '{language}:'. 'en' is the English it "
                      "translates and 'hash' that English's hash: leave both as they are.\n"
                      "# An entry marked 'stale: true' changed in English (the old English is "
                      "under 'was'): update it, then delete those two lines.\n")
            text = header + f"language: {language}\nsource: {rel}\nentries:\n" + "".join(chunks)
            from moscow1941.files import write_atomic
            write_atomic(target, text.encode("utf-8"))
    written = {str(Path(f)) for f in update.files}
    for path in sorted({e.path for e in old.values() if e.path} - written):
        update.removed.append(path)
        if write:
            Path(path).unlink(missing_ok=True)
    return update, diags.sorted()


def _entry_yaml(key: str, body: dict[str, str | tuple[str, ...]], stale: bool,
                was: str | tuple[str, ...], language: str) -> str:
    lines = [f"  {_quote(key)}:\n"]
    for name, value in body.items():
        lines.append(_field(name, value))
    if stale:
        lines.append("    stale: true\n")
        lines.append(_field("was", was))
    return "".join(lines)


def _field(name: str, value: str | tuple[str, ...]) -> str:
    if isinstance(value, tuple):
        if not value:
            return f"    {name}: []\n"
        return f"    {name}:\n" + "".join(f"      - {_quote(v)}\n" for v in value)
    if not value:
        return f'    {name}: ""\n'
    if len(value) + len(name) < 80 and "\n" not in value:
        return f"    {name}: {_quote(value)}\n"
    wrapped = textwrap.wrap(value, 88, break_long_words=False, break_on_hyphens=False)
    return f"    {name}: >-\n" + "".join(f"      {line}\n" for line in wrapped)


def _quote(value: str) -> str:
    """A YAML scalar for `value`: plain when YAML reads it back the same, else double-quoted."""
    import json
    if re.fullmatch(r"[A-Za-z_][\w.#-]*", value) and value.lower() not in (
            "true", "false", "yes", "no", "on", "off", "null", "y", "n"):
        return value
    return json.dumps(value, ensure_ascii=False)


def coverage_line(c: Coverage) -> str:
    """`de: 1,204 of 1,210 entries (99.5%), 60,120 of 60,400 words (99.5%); 6 missing, 0 stale`."""
    return (f"{c.language}: {c.translated:,} of {c.entries:,} entries "
            f"({c.percent(c.translated, c.entries):.1f}%), {c.translated_words:,} of {c.words:,} "
            f"English words ({c.percent(c.translated_words, c.words):.1f}%); {c.missing:,} "
            f"missing, {c.stale:,} stale; {c.target_words:,} words in {c.language}")


def iter_keys(story: Story) -> Iterator[str]:
    return (s.key for s in sources(story))


def words_by_file(story: Story) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in sources(story):
        out[s.file] = out.get(s.file, 0) + s.words
    return out


__all__ = ("Coverage", "Entry", "Source", "Translated", "Update", "choice_ids",
                          "coverage_line", "languages", "read_entries", "sources", "text_hash",
                          "translate_story", "update_files", "words_by_file")
