"""Loading a story folder: every file read safely, every mistake collected with its position.

Two passes: the first reads every file and gathers the declarations expressions depend on
(variables); the second builds campaigns, events, glossary and nodes, compiling expressions and
text templates once. References between nodes are resolved at the end, across all files.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import yaml

from moscow1941.story import spec
from moscow1941.story.dates import StoryDate
from moscow1941.story.diagnostics import Diagnostic, Diagnostics, Severity, did_you_mean
from moscow1941.story.expr import (
    Assignment,
    Condition,
    Effect,
    ExprError,
    Value,
    VarInfo,
    compile_condition_reads,
    compile_effects_assignments,
)
from moscow1941.story.model import (
    Campaign,
    Choice,
    Ending,
    EndingKind,
    Event,
    GlossaryEntry,
    HistoryNote,
    Node,
    Passage,
    Story,
    Template,
    Variable,
)
from moscow1941.story.templates import compile_template, plain_template, split_paragraphs
from moscow1941.story.yamlsrc import STANDARD_TAGS, parse_yaml, read_source
from moscow1941.textsafe import describe, find_control, strip_controls

MANIFEST = "story.yaml"


def is_translation_dir(name: str) -> bool:
    """A top-level folder of the story named by a language code (`de`, `ar`, `pt_BR`) holds a
    translation (see `story.translation`), not story files."""
    return _LANG_DIR.fullmatch(name) is not None


_LANG_DIR = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")
FORMAT = 1
MAX_FILES = 1000
# A whole story: bytes over all its files, and values (texts, lists, mappings) once composed.
# The shipped story is 0.5 MB and 11,000 values; a generated 10,000-scene story 10.5 MB and
# 550,000 values, which loads and checks in about 2 s and 320 MB.
MAX_STORY_BYTES = 16 * 1024 * 1024
MAX_STORY_VALUES = 1_000_000
# Aliases: uses of an anchored list or mapping, and characters of anchored text reached again
# through aliases (each use counts), per file.
MAX_REUSED_NODES = 10_000
MAX_ALIASED_CHARS = 1_000_000
# One node's text (its passages and epilogue): paragraphs and characters; and its choices.
MAX_PARAGRAPHS = 200
MAX_NODE_CHARS = 100_000
MAX_CHOICES = 100
# Problems reported per text. Each report searches the text's lines for its position, so a
# 2 MiB scalar full of bad `{holes}` would take minutes to report in full; the first few say it.
MAX_TEXT_ERRORS = 10
_IDENT = re.compile(spec.IDENT)
_TAG_BOOL = "tag:yaml.org,2002:bool"
_TAG_NULL = "tag:yaml.org,2002:null"
_TAG_INT = "tag:yaml.org,2002:int"
_TAG_FLOAT = "tag:yaml.org,2002:float"
_TAG_MERGE = "tag:yaml.org,2002:merge"
_TRUE = {"true", "yes", "on", "y"}


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The story (None if it has errors) and every diagnostic, sorted by place."""

    story: Story | None
    diagnostics: tuple[Diagnostic, ...]
    # Problems found past the number kept (see diagnostics.MAX_KEPT): counted, not listed.
    omitted_errors: int = 0
    omitted_warnings: int = 0

    @property
    def ok(self) -> bool:
        return self.story is not None


class _Bail(Exception):
    """Stops walking one file after a limit is hit; the diagnostic is already recorded."""


class _File:
    def __init__(self, path: str, text: str, shared: frozenset[int] = frozenset()) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.seen: set[int] = set()
        self.reused = 0
        self.shared = shared  # ids of scalars that aliases share
        self.aliased_chars = 0


def load_story(root: str | os.PathLike[str], language: str | None = None) -> LoadResult:
    """Load and check the story in folder `root`; with `language` (other than "en"), in that
    language: its translation (`story.translation`) replaces the English it covers, and the
    translation's W6xx warnings are added to the diagnostics. A translation never stops a
    story from loading."""
    result = _load_english(root)
    if not language or language == "en" or result.story is None:
        return result
    from moscow1941.story.translation import translate_story

    translated = translate_story(result.story, language)
    return LoadResult(translated.story, result.diagnostics + tuple(translated.diagnostics),
                      result.omitted_errors, result.omitted_warnings)


def _load_english(root: str | os.PathLike[str]) -> LoadResult:
    # Loading allocates hundreds of thousands of long-lived YAML nodes; the cyclic garbage
    # collector would rescan them all many times over (a third of the load time) and can find
    # nothing to free until the load is over.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _StoryLoader(Path(root)).load()
    finally:
        if was_enabled:
            gc.enable()


class _StoryLoader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.diags = Diagnostics()
        self.file: _File
        self.varinfo: dict[str, VarInfo] = {}
        self.variables: dict[str, Variable] = {}
        self.events: list[Event] = []
        self.glossary: dict[str, GlossaryEntry] = {}
        self.campaigns: dict[str, Campaign] = {}
        self.nodes: dict[str, Node] = {}
        self.defined: dict[tuple[str, str], tuple[str, int]] = {}
        self.refs: list[tuple[str, str, int, int, str]] = []
        self.title = ""
        self.story_id = ""
        self.text_errors: dict[int, int] = {}
        self.failed: list[str] = []  # files that could not be read (shown paths)
        self.key_at = (0, 0)  # the line and column of the id `_entries` yielded last
        self.truncated = False  # a story budget stopped reading
        # Paragraphs of a scalar that aliases share: split and checked once.
        self.paragraph_cache: dict[int, list[Template]] = {}
        # Compiled once per distinct source: stories repeat the same conditions and effects.
        self.conditions: dict[str, tuple[Condition, frozenset[str]]] = {}
        self.effects: dict[str, tuple[tuple[Effect, ...], tuple[Assignment, ...]]] = {}

    # ---- files ---------------------------------------------------------------------------
    def load(self) -> LoadResult:
        files = list(self._read_files())
        if files:
            for f, node in files:
                self.file = f
                self._pass(node, declarations=True)
            for f, node in files:
                self.file = f
                self._pass(node, declarations=False)
            self._resolve()
        items = tuple(self.diags.sorted())
        if self.failed:
            # The files that could not be read first: their errors are the cause of others.
            failed = set(self.failed)
            items = tuple(sorted(items, key=lambda d: d.path not in failed))
        if self.diags.has_errors or not files:
            return LoadResult(None, items, self.diags.omitted_errors, self.diags.omitted_warnings)
        digest = hashlib.sha256()
        for f, _ in files:
            # The file's place inside the story, not the path it was loaded by: the same story
            # opened as 'story' or '/home/x/story' (or on another machine) hashes the same.
            rel = Path(os.path.relpath(f.path, self.root)).as_posix()
            digest.update(rel.encode() + b"\0")
        for data in self._raw:
            digest.update(hashlib.sha256(data).digest())
        self.events.sort(key=lambda e: (e.date.last, e.date.first))  # by last day: see Game._settle
        story = Story(
            id=self.story_id, title=self.title, root=str(self.root),
            content_hash=digest.hexdigest(),
            campaigns=MappingProxyType(self.campaigns),
            variables=MappingProxyType(self.variables),
            events=tuple(self.events),
            glossary=MappingProxyType(self.glossary),
            nodes=MappingProxyType(self.nodes),
            files=tuple(f.path for f, _ in files),
        )
        return LoadResult(story, items, 0, self.diags.omitted_warnings)

    def _read_files(self) -> Iterator[tuple[_File, yaml.MappingNode]]:
        self._raw: list[bytes] = []
        root = self.root
        manifest = root / MANIFEST
        if not root.is_dir():
            self.diags.error(str(root), 0, 0, "E100", "story folder not found",
                             "give the folder that holds story.yaml")
            return
        if not os.path.lexists(manifest):  # a manifest that is there but unreadable: E100 below
            self.diags.error(str(manifest), 0, 0, "E100", "the story has no story.yaml manifest",
                             "run 'moscow1941 new DIR' to see a minimal story")
            return
        real_root = root.resolve()
        paths = sorted(p for p in root.rglob("*.y*ml")
                       if p.suffix in (".yaml", ".yml")
                       and not any(part.startswith(".") for part in p.relative_to(root).parts)
                       and not is_translation_dir(p.relative_to(root).parts[0]))
        paths.sort(key=lambda p: (p != manifest, str(p)))
        if len(paths) > MAX_FILES:
            self.diags.error(str(root), 0, 0, "E102", f"more than {MAX_FILES} story files")
            return
        total_bytes = total_values = 0
        for p in paths:
            shown = str(p)
            try:
                p.resolve().relative_to(real_root)
            except RuntimeError:  # Python 3.11's resolve() on a loop of symbolic links
                self.failed.append(shown)
                self.diags.error(shown, 0, 0, "E100", "cannot read file: it is a loop of "
                                 "symbolic links", "replace the link with the file itself")
                continue
            except (ValueError, OSError):
                self.failed.append(shown)
                self.diags.error(shown, 0, 0, "E106", "file links outside the story folder",
                                 "story files must live inside the story folder")
                continue
            data = read_source(str(p), self.diags, shown)
            if data is None:
                self.failed.append(shown)
                continue
            total_bytes += len(data)
            if total_bytes > MAX_STORY_BYTES:
                self._too_large(shown, f"more than {MAX_STORY_BYTES // 1024 // 1024} MiB")
                return
            parsed = parse_yaml(shown, data, self.diags)
            if parsed is None:
                self.failed.append(shown)
                continue
            node = parsed.root
            if not isinstance(node, yaml.MappingNode):
                self.failed.append(shown)
                self._err_at(shown, node, "E201", "a story file must be a mapping of keys",
                             "start with 'nodes:' (or 'title:' in story.yaml)")
                continue
            total_values += parsed.values
            if total_values > MAX_STORY_VALUES:
                self._too_large(shown, f"more than {MAX_STORY_VALUES:,} values (texts, lists "
                                "and mappings)")
                return
            self._raw.append(data)
            yield _File(shown, data.decode("utf-8-sig", "replace"), parsed.shared), node

    def _too_large(self, shown: str, what: str) -> None:
        self.failed.append(shown)
        self.truncated = True
        self.diags.error(shown, 0, 0, "E107", f"the story is too large: its files up to this one "
                         f"hold {what} in all; the rest were not read",
                         "a story this large is not supported; split it into several stories")

    # ---- one file ------------------------------------------------------------------------
    def _pass(self, root: yaml.MappingNode, *, declarations: bool) -> None:
        is_manifest = Path(self.file.path) == self.root / MANIFEST
        try:
            top = self._fields(root, spec.MANIFEST if is_manifest else spec.CHAPTER,
                               report=declarations)
            if declarations:
                if is_manifest:
                    self._format(top.get("format"))
                    self.story_id = self._str(top.get("id"), "") or ""
                    self.title = self._str(top.get("title"), "") or ""
                for name, node in self._entries(top.get("variables"), "variable"):
                    self._variable(name, node)
                return
            for cid, node in self._entries(top.get("campaigns"), "campaign"):
                self._campaign(cid, node)
            for eid, node in self._entries(top.get("events"), "event"):
                self._event(eid, node)
            for gid, node in self._entries(top.get("glossary"), "glossary entry"):
                self._glossary(gid, node)
            chapter = self._str(top.get("chapter"), "") or ""
            for nid, node in self._entries(top.get("nodes"), "node"):
                self._node(nid, node, chapter)
        except _Bail:
            # The rest of the file is unread (E104, E105): its nodes may be what gotos name.
            if self.file.path not in self.failed:
                self.failed.append(self.file.path)
            return

    def _format(self, node: yaml.Node | None) -> None:
        """Only format 1 is known: a story in another format is refused, not guessed at."""
        if node is None:
            return
        version = self._int(node)
        if version is not None and version != FORMAT:
            self._err(node, "E202", f"format {version} is not known: this version of Moscow 1941 "
                      f"reads format {FORMAT} only",
                      f"write 'format: {FORMAT}' for a story in the format of story-format.md; "
                      "a story made for a newer version needs that version")

    # ---- declarations ----------------------------------------------------------------------
    def _variable(self, name: str, node: yaml.Node) -> None:
        line, col = self.key_at
        f = self._fields(node, spec.VARIABLE)
        vtype = self._enum(f.get("type"), spec.VARIABLE_TYPES) or "int"
        lo, hi = self._int(f.get("min")), self._int(f.get("max"))
        if (lo is not None or hi is not None) and vtype != "int":
            self._err(f.get("min") or f.get("max"), "E207", "only int variables have min and max")
        if lo is not None and hi is not None and lo > hi:
            self._err(f["min"], "E207", f"min ({lo}) is greater than max ({hi})")
        defaults: dict[str, Value] = {"int": 0, "bool": False, "text": ""}
        default = defaults[vtype]
        dnode = f.get("default")
        if dnode is not None:
            got = self._typed_value(dnode, vtype)
            if got is not None:
                default = got
                if isinstance(got, int) and not isinstance(got, bool) and (
                        (lo is not None and got < lo) or (hi is not None and got > hi)):
                    self._err(dnode, "E207", f"default {got} is outside min..max")
        self.varinfo[name] = VarInfo(vtype, lo, hi)
        self.variables[name] = Variable(
            name=name, type=vtype, default=default, min=lo, max=hi,
            label=self._str(f.get("label"), name.replace("_", " ").capitalize()) or name,
            show=bool(self._bool(f.get("show"))), doc=self._str(f.get("doc"), "") or "",
            line=line, col=col, path=self.file.path,
            campaigns=tuple(self._campaign_refs(f.get("campaigns"))))

    def _campaign_refs(self, node: yaml.Node | None) -> list[str]:
        out = []
        for item in self._items(node):
            cid = self._str(item, None)
            if cid:
                self.refs.append((cid, self.file.path, item.start_mark.line + 1,
                                  item.start_mark.column + 1, "campaign"))
                out.append(cid)
        return out

    def _typed_value(self, node: yaml.Node, vtype: str) -> Value | None:
        if vtype == "int":
            return self._int(node)
        if vtype == "bool":
            return self._bool(node)
        if isinstance(node, yaml.ScalarNode) and node.tag != _TAG_NULL:
            return str(node.value)
        self._err(node, "E202", "expected text here")
        return None

    def _campaign(self, cid: str, node: yaml.Node) -> None:
        f = self._fields(node, spec.CAMPAIGN)
        start = self._str(f.get("start"), "") or ""
        if start and f.get("start") is not None:
            self._ref(start, f["start"], "node")
        self.campaigns[cid] = Campaign(
            id=cid, title=self._str(f.get("title"), cid) or cid,
            role=self._str(f.get("role"), "") or "", blurb=self._text(f.get("blurb")), start=start,
            debrief=tuple(self._strs(f.get("debrief"))), path=self.file.path)

    def _event(self, eid: str, node: yaml.Node) -> None:
        line, col = self.key_at
        f = self._fields(node, spec.EVENT)
        date = self._date(f.get("date"))
        holds_node = f.get("holds")
        holds, reads = self._condition_reads(holds_node) if holds_node is not None \
            else (None, frozenset())
        self.events.append(Event(
            id=eid, date=date or StoryDate.parse("1900-01"),
            title=self._str(f.get("title"), eid) or eid,
            happened=self._text(f.get("happened")),
            weight=self._number(f.get("weight"), 1.0),
            holds=holds or (lambda v: True),
            holds_source=self._source(holds_node) if holds_node is not None else "true",
            diverged=self._text(f.get("diverged")),
            sources=tuple(self._strs(f.get("sources"))), reads=reads,
            line=line, col=col, path=self.file.path))

    def _glossary(self, gid: str, node: yaml.Node) -> None:
        f = self._fields(node, spec.GLOSSARY_ENTRY)
        self.glossary[gid] = GlossaryEntry(
            id=gid, term=self._str(f.get("term"), gid) or gid,
            kind=self._enum(f.get("kind"), spec.GLOSSARY_ENTRY.fields["kind"].type.choices) or "term",  # type: ignore[union-attr]
            dates=self._str(f.get("dates"), "") or "", text=self._text(f.get("text")),
            match=tuple(self._strs(f.get("match"))), path=self.file.path)

    # ---- nodes -------------------------------------------------------------------------------
    def _node(self, nid: str, node: yaml.Node, chapter: str) -> None:
        line, col = self.key_at
        f = self._fields(node, spec.NODE)
        date = self._date(f.get("date"))
        choices = tuple(self._choice(i, c) for i, c in enumerate(self._items(f.get("choices"))))
        ending_node = f.get("ending")
        ending = None
        if ending_node is not None:
            ef = self._fields(ending_node, spec.ENDING)
            ending = Ending(title=self._str(ef.get("title"), "") or "",
                            kind=cast(EndingKind, self._enum(ef.get("kind"), spec.ENDING_KINDS) or "diverged"),
                            passages=self._passages(ef.get("epilogue")))
            if choices:
                self._err(f["choices"], "E209", "an ending cannot also have choices",
                          "remove 'choices' or 'ending'")
        elif "choices" in f and not choices:
            self._err(f["choices"], "E209", "'choices' is empty", "add a choice, or make it an ending")
        history = None
        if f.get("history") is not None:
            hf = self._fields(f["history"], spec.HISTORY)
            hdate = self._date(hf.get("date")) if hf.get("date") is not None else date
            history = HistoryNote(date=hdate or date or StoryDate.parse("1900-01"),
                                  text=self._text(hf.get("text")),
                                  sources=tuple(self._strs(hf.get("sources"))),
                                  counterfactual=bool(self._bool(hf.get("counterfactual"))),
                                  debrief=self._text(hf.get("debrief")))
            if hf.get("sources") is not None and not history.sources:
                self._err(hf["sources"], "E205", "a history note needs at least one source")
        effects, assignments = self._effects_assignments(f.get("set"))
        passages = self._passages(f.get("text"))
        self._node_size(nid, f.get("text") or node, passages + (ending.passages if ending else ()))
        if len(choices) > MAX_CHOICES:
            self._err(f["choices"], "E209", f"node '{nid}' has {len(choices)} choices, more than "
                      f"{MAX_CHOICES}", "no player can weigh that many; split the decision")
        self.nodes[nid] = Node(
            id=nid, path=self.file.path, line=line, col=col, chapter=chapter,
            date=date or StoryDate.parse("1900-01"),
            place=self._str(f.get("place"), "") or "", title=self._str(f.get("title"), "") or "",
            passages=passages,
            effects=effects, choices=choices,
            weight=self._number(f.get("weight"), 1.0), history=history, ending=ending,
            effects_source=self._effects_source(f.get("set")), assignments=assignments,
            reflect=" ".join(self._text(f.get("reflect")).split()),
            is_decision=history is not None or any(c.historical for c in choices),
            is_measured=(history is None or not history.counterfactual)
            and (history is not None or any(c.historical for c in choices)))

    def _node_size(self, nid: str, where: yaml.Node, passages: tuple[Passage, ...]) -> None:
        """E407: a node's text (passages and epilogue) within MAX_PARAGRAPHS paragraphs and
        MAX_NODE_CHARS characters, so every scene can be shown at once."""
        chars = sum(len(p.template.source) for p in passages)
        if len(passages) > MAX_PARAGRAPHS or chars > MAX_NODE_CHARS:
            self._err(where, "E407", f"node '{nid}' has {len(passages):,} paragraphs and "
                      f"{chars:,} characters of text: more than {MAX_PARAGRAPHS} paragraphs or "
                      f"{MAX_NODE_CHARS:,} characters", "a scene is read in about a minute; "
                      "split it into several nodes")

    def _choice(self, index: int, node: yaml.Node) -> Choice:
        f = self._fields(node, spec.CHOICE)
        goto = self._str(f.get("goto"), "") or ""
        if goto and f.get("goto") is not None:
            self._ref(goto, f["goto"], "node")
        cond_node = f.get("if")
        locked = self._str(f.get("locked"), None)
        if locked is not None and cond_node is None:
            self._err(f["locked"], "E209", "'locked' needs an 'if' condition",
                      "add 'if:' with the condition that unlocks the choice")
        text_node = f.get("text")
        condition, reads = self._condition_reads(cond_node) if cond_node is not None \
            else (None, frozenset())
        effects, assignments = self._effects_assignments(f.get("set"))
        return Choice(
            index=index,
            text=self._template(text_node, self._str(text_node, "") or "") if text_node else plain_template(""),
            goto=goto,
            condition=condition,
            condition_source=self._source(cond_node) if cond_node is not None else "",
            locked=locked, effects=effects,
            effects_source=self._effects_source(f.get("set")),
            historical=bool(self._bool(f.get("historical"))), note=self._text(f.get("note")),
            line=node.start_mark.line + 1, col=node.start_mark.column + 1, reads=reads,
            assignments=assignments,
            goto_at=(f["goto"].start_mark.line + 1, f["goto"].start_mark.column + 1)
            if f.get("goto") is not None else (node.start_mark.line + 1, node.start_mark.column + 1))

    def _passages(self, node: yaml.Node | None) -> tuple[Passage, ...]:
        if node is None:
            return ()
        out: list[Passage] = []
        if isinstance(node, yaml.ScalarNode):
            return tuple(Passage(t) for t in self._paragraph_templates(node))
        for item in self._items(node):
            if isinstance(item, yaml.MappingNode):
                f = self._fields(item, spec.PASSAGE)
                cond, reads = self._condition_reads(f["if"]) if f.get("if") is not None \
                    else (None, frozenset())
                source = self._source(f["if"]) if f.get("if") is not None else ""
                if f.get("text") is not None:
                    out.extend(Passage(t, cond, source, reads)
                               for t in self._paragraph_templates(f["text"]))
            elif isinstance(item, yaml.ScalarNode):
                out.extend(Passage(t) for t in self._paragraph_templates(item))
            else:
                self._err(item, "E202", "a passage is a paragraph of text or an {if, text} mapping")
        return tuple(out)

    def _paragraph_templates(self, node: yaml.Node) -> list[Template]:
        text = self._text(node)
        if id(node) not in self.file.shared:
            return [self._template(node, para) for para in split_paragraphs(text)]
        cached = self.paragraph_cache.get(id(node))
        if cached is None:
            cached = self.paragraph_cache[id(node)] = [
                self._template(node, para) for para in split_paragraphs(text)]
        return cached

    # ---- expressions and templates ----------------------------------------------------------
    def _source(self, node: yaml.Node) -> str:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _TAG_BOOL:
                return "true" if node.value.lower() in _TRUE else "false"
            return str(node.value)
        return ""

    def _condition_reads(self, node: yaml.Node) -> tuple[Condition | None, frozenset[str]]:
        """The compiled condition and the variables it reads."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == _TAG_NULL:
            self._err(node, "E202", "a condition is a single expression, such as 'trust >= 2'")
            return None, frozenset()
        source = self._source(node)
        cached = self.conditions.get(source)
        if cached is not None:
            return cached
        try:
            compiled = self.conditions[source] = compile_condition_reads(source, self.varinfo)
            return compiled
        except ExprError as exc:
            self._expr_error(node, exc)
            return None, frozenset()

    def _effects_assignments(self, node: yaml.Node | None
                             ) -> tuple[tuple[Effect, ...], tuple[Assignment, ...]]:
        """The compiled effects, and what each one does (see `Assignment`)."""
        if node is None:
            return (), ()
        parts = [node] if isinstance(node, yaml.ScalarNode) else self._items(node)
        out: list[Effect] = []
        described: list[Assignment] = []
        for part in parts:
            if not isinstance(part, yaml.ScalarNode) or part.tag == _TAG_NULL:
                self._err(part, "E202", "an effect is text such as 'trust += 1'")
                continue
            source = str(part.value)
            cached = self.effects.get(source)
            if cached is None:
                try:
                    effects, assignments = compile_effects_assignments(source, self.varinfo)
                except ExprError as exc:
                    self._expr_error(part, exc)
                    continue
                cached = self.effects[source] = (tuple(effects), tuple(assignments))
            out.extend(cached[0])
            described.extend(cached[1])
        return tuple(out), tuple(described)

    def _effects_source(self, node: yaml.Node | None) -> str:
        if node is None:
            return ""
        parts = [node] if isinstance(node, yaml.ScalarNode) else self._items(node)
        return "; ".join(str(p.value) for p in parts if isinstance(p, yaml.ScalarNode))

    def _expr_error(self, node: yaml.ScalarNode, exc: ExprError) -> None:
        line, col = self._locate(node, exc.col)
        self.diags.error(self.file.path, line, col, exc.code, exc.message, exc.hint)

    def _template(self, node: yaml.Node, text: str) -> Template:
        """`text` compiled (see `templates.compile_template`), its mistakes reported at their
        place in `node`, at most MAX_TEXT_ERRORS of them."""
        return compile_template(
            text, self.varinfo, room=lambda: self._room_for_text_error(node),
            report=lambda offset, code, msg, hint: self._text_error(node, text, offset, code,
                                                                   msg, hint))

    def _room_for_text_error(self, node: yaml.Node) -> bool:
        """Whether `node`'s text may report one more problem (see MAX_TEXT_ERRORS)."""
        return self.text_errors.get(id(node), 0) < MAX_TEXT_ERRORS

    def _text_error(self, node: yaml.Node, para: str, offset: int, code: str, msg: str, hint: str) -> None:
        self.text_errors[id(node)] = self.text_errors.get(id(node), 0) + 1
        snippet = para[offset:offset + 20].split("\n")[0]
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        # Find the snippet in the source lines the scalar spans, for an exact position.
        end = node.end_mark.line + 1
        for i in range(node.start_mark.line, min(end, len(self.file.lines))):
            at = self.file.lines[i].find(snippet)
            if at >= 0:
                line, col = i + 1, at + 1
                break
        self.diags.error(self.file.path, line, col, code, msg, hint)

    def _locate(self, node: yaml.ScalarNode, offset: int) -> tuple[int, int]:
        mark = node.start_mark
        if node.style in (None, "", "'", '"') and node.start_mark.line == node.end_mark.line:
            quote = 1 if node.style in ("'", '"') else 0
            return mark.line + 1, mark.column + 1 + quote + offset
        value = str(node.value)
        line_off = value[:offset].count("\n")
        col_in_line = offset - (value.rfind("\n", 0, offset) + 1)
        line = mark.line + (2 if node.style in ("|", ">") else 1) + line_off
        if 0 < line <= len(self.file.lines):
            src = self.file.lines[line - 1]
            indent = len(src) - len(src.lstrip(" "))
            return line, indent + col_in_line + 1
        return mark.line + 1, mark.column + 1

    # ---- references ---------------------------------------------------------------------------
    def _ref(self, target: str, node: yaml.Node, kind: str) -> None:
        self.refs.append((target, self.file.path, node.start_mark.line + 1, node.start_mark.column + 1, kind))

    def _resolve(self) -> None:
        unresolved = 0
        for target, path, line, col, kind in self.refs:
            known: dict[str, object] = self.campaigns if kind == "campaign" else self.nodes  # type: ignore[assignment]
            if target not in known:
                if self.failed:
                    # It may well be in a file that could not be read: that file's own error
                    # is the cause, and a list of E301s would only bury it.
                    unresolved += 1
                    continue
                self.diags.error(path, line, col, "E301", f"no {kind} named '{target}'",
                                 did_you_mean(target, known) or _REF_HINT[kind])
        if unresolved:
            # At the failed file's own first error, so it sorts just after it.
            line, col = next(((d.line, d.col) for d in self.diags.items
                              if d.path == self.failed[0] and d.severity is Severity.ERROR), (0, 0))
            self.diags.error(self.failed[0], line, col, "E301",
                             f"{unresolved} reference{'s' * (unresolved != 1)} (goto, start or "
                             "campaigns) to a node or campaign that was not found, "
                             "perhaps defined in a file that could not be read "
                             f"({', '.join(Path(f).name for f in self.failed[:3])}"
                             f"{', ...' if len(self.failed) > 3 else ''})",
                             "fix the file's own error first (listed just above); these are "
                             "checked again once it reads")
        if not self.campaigns and not self.diags.has_errors:
            self.diags.error(str(self.root / MANIFEST), 1, 1, "E205", "the story has no campaigns",
                             "declare one under 'campaigns:' in story.yaml or a chapter file")

    # ---- shapes and scalars ---------------------------------------------------------------------
    def _visit(self, node: yaml.Node) -> None:
        if node.tag not in STANDARD_TAGS:
            if node.tag == _TAG_MERGE:
                self._err(node, "E104", "merge keys ('<<: *anchor') are not supported",
                          "write the fields out in each mapping; an alias (*anchor) can stand "
                          "for a whole value, but cannot be merged into another mapping")
            else:
                self._err(node, "E104", f"the tag '{node.tag}' is not allowed in a story file",
                          "remove the '!' tag: story files hold plain data only")
            raise _Bail
        key = id(node)
        if isinstance(node, yaml.CollectionNode):
            if key in self.file.seen:
                self.file.reused += 1
                if self.file.reused > MAX_REUSED_NODES:
                    self._err(node, "E105", "too many aliases: the file expands beyond safe limits",
                              f"the file uses its anchored lists and mappings more than "
                              f"{MAX_REUSED_NODES:,} times; write the content out instead")
                    raise _Bail
            else:
                self.file.seen.add(key)
        elif key in self.file.shared:
            if key in self.file.seen:
                self.file.aliased_chars += len(node.value)
                if self.file.aliased_chars > MAX_ALIASED_CHARS:
                    self._err(node, "E105", "too many aliases: text reached through aliases "
                              f"comes to more than {MAX_ALIASED_CHARS:,} characters",
                              "write the content out instead of repeating a long text by alias")
                    raise _Bail
            else:
                self.file.seen.add(key)

    def _fields(self, node: yaml.Node, obj: spec.Obj, report: bool = True) -> dict[str, yaml.Node]:
        """Check a mapping's keys against `obj` and return its value nodes by key."""
        self._visit(node)
        if not isinstance(node, yaml.MappingNode):
            if report:
                self._err(node, "E202", f"expected a {obj.name} (a mapping with keys such as "
                          f"{', '.join(list(obj.fields)[:3])})", _shape_hint(node))
            return {}
        out: dict[str, yaml.Node] = {}
        first: dict[str, yaml.Node] = {}
        for knode, vnode in node.value:
            self._visit(knode)
            if not isinstance(knode, yaml.ScalarNode):
                if report:
                    self._err(knode, "E202", "a key must be a plain name")
                continue
            key = str(knode.value)
            if key in first:
                if report:
                    self._err(knode, "E203", f"duplicate key '{key}'",
                              f"it is already set on line {first[key].start_mark.line + 1}; "
                              "YAML would silently keep only the last one")
                continue
            first[key] = knode
            if key not in obj.fields:
                if report:
                    hint = did_you_mean(key, obj.fields) or f"a {obj.name} has: {', '.join(obj.fields)}"
                    if key == "<<":
                        hint = "merge keys ('<<') are not supported; write the keys out"
                    elif obj is spec.CHOICE and key in spec.NODE.fields:
                        hint = (f"'{key}' belongs to the node, not to a choice: indent it "
                                "less, level with 'choices:'"
                                + (f" (or {hint})" if hint.startswith("did you mean") else ""))
                    elif obj is spec.NODE and key in spec.CHOICE.fields:
                        hint = (f"'{key}' belongs to a choice: indent it under a '- text:' "
                                "item of 'choices:'")
                    self._err(knode, "E204", f"unknown key '{key}' in a {obj.name}", hint)
                continue
            if vnode.tag == _TAG_NULL and obj.fields[key].required:
                if report:
                    self._err(vnode if vnode.start_mark.line == knode.start_mark.line else knode,
                              "E205", f"'{key}' has no value")
                continue
            if vnode.tag == _TAG_NULL:
                continue
            out[key] = vnode
        if report:
            missing = [k for k in spec.required(obj) if k not in out and k not in first]
            for k in missing:
                self._err(node, "E205", f"{obj.name} is missing '{k}'",
                          obj.fields[k].doc)
        return out

    def _entries(self, node: yaml.Node | None, what: str) -> Iterator[tuple[str, yaml.Node]]:
        """The (id, value) pairs of a MapOf section, with identifiers and uniqueness checked."""
        if node is None:
            return
        self._visit(node)
        if not isinstance(node, yaml.MappingNode):
            self._err(node, "E202", f"expected a mapping of {what} ids to {what}s")
            return
        kind = what.split()[0]
        local: set[str] = set()
        for knode, vnode in node.value:
            self._visit(knode)
            key = str(knode.value) if isinstance(knode, yaml.ScalarNode) else ""
            if not _IDENT.match(key) or key in ("true", "false"):
                self._err(knode, "E208", f"'{key}' is not a valid {what} id",
                          "ids use letters, digits and '_', and start with a letter or '_'")
                continue
            where = self.defined.get((kind, key))
            if key in local:
                self._err(knode, "E203", f"duplicate {what} '{key}'",
                          f"it is already defined on line {where[1] if where else '?'}")
                continue
            local.add(key)
            if where is not None:
                self._err(knode, "E302", f"{what} '{key}' is defined twice",
                          f"the other is at {where[0]}:{where[1]}")
                continue
            self.defined[(kind, key)] = (self.file.path, knode.start_mark.line + 1)
            # Where the id is written: warnings about the thing point here (read at once).
            self.key_at = (knode.start_mark.line + 1, knode.start_mark.column + 1)
            yield key, vnode

    def _items(self, node: yaml.Node | None) -> list[yaml.Node]:
        if node is None:
            return []
        self._visit(node)
        if not isinstance(node, yaml.SequenceNode):
            self._err(node, "E202", "expected a list (items starting with '- ')", _shape_hint(node))
            return []
        for item in node.value:
            self._visit(item)
        return list(node.value)

    def _str(self, node: yaml.Node | None, default: str | None) -> str | None:
        if node is None:
            return default
        self._visit(node)
        if not isinstance(node, yaml.ScalarNode):
            self._err(node, "E202", "expected a single line of text here", _shape_hint(node))
            return default
        value = str(node.value)
        at = find_control(value)
        if at >= 0:
            self._control_warning(node, value, at)
            value = strip_controls(value)
        return value.strip()

    def _control_warning(self, node: yaml.ScalarNode, value: str, at: int) -> None:
        """W512: a control character (or lone surrogate) in story text, removed at load so
        that no face ever prints it."""
        if node.style == '"':  # escapes make value offsets differ from source columns
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
        else:
            line, col = self._locate(node, at)
        count = len(value) - len(strip_controls(value).replace("\ufffd", ""))
        self.diags.warning(self.file.path, line, col, "W512",
                           f"text holds {describe(value[at])}"
                           + (f" and {count - 1} more such character{'s' * (count != 2)}"
                              if count > 1 else "")
                           + ": removed, since a terminal would obey it",
                           "delete it; in double quotes, escapes such as \\e, \\x1b or "
                           "\\u009b write terminal commands, not text")

    def _text(self, node: yaml.Node | None) -> str:
        return self._str(node, "") or ""

    def _strs(self, node: yaml.Node | None) -> list[str]:
        return [s for s in (self._str(i, None) for i in self._items(node)) if s]

    def _int(self, node: yaml.Node | None) -> int | None:
        if node is None:
            return None
        self._visit(node)
        if isinstance(node, yaml.ScalarNode) and node.tag == _TAG_INT:
            try:
                value = int(str(node.value).replace("_", ""), 0)
                if abs(value) <= 10**9:
                    return value
            except ValueError:
                pass
        self._err(node, "E202", f"expected a whole number, got '{_show(node)}'")
        return None

    def _number(self, node: yaml.Node | None, default: float) -> float:
        if node is None:
            return default
        self._visit(node)
        if isinstance(node, yaml.ScalarNode) and node.tag in (_TAG_INT, _TAG_FLOAT):
            try:
                value = float(str(node.value).replace("_", ""))
                if 0 <= value <= 10**6:
                    return value
            except ValueError:
                pass
        self._err(node, "E202", f"expected a number from 0 up, got '{_show(node)}'")
        return default

    def _bool(self, node: yaml.Node | None) -> bool | None:
        if node is None:
            return None
        self._visit(node)
        if isinstance(node, yaml.ScalarNode) and node.tag == _TAG_BOOL:
            return str(node.value).lower() in _TRUE
        if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') \
                and str(node.value).strip().lower() in ("true", "false"):
            self._err(node, "E202", f"expected true or false, got the text {node.style}"
                      f"{node.value}{node.style} (in quotes, it is text)",
                      f"drop the quotes: {str(node.value).strip().lower()}")
            return None
        self._err(node, "E202", f"expected true or false, got '{_show(node)}'")
        return None

    def _enum(self, node: yaml.Node | None, choices: tuple[str, ...]) -> str | None:
        value = self._str(node, None)
        if value is None:
            return None
        if value not in choices:
            self._err(node, "E202", f"'{value}' is not one of: {', '.join(choices)}",
                      did_you_mean(value, choices))
            return None
        return value

    def _date(self, node: yaml.Node | None) -> StoryDate | None:
        if node is None:
            return None
        text = self._str(node, None)
        if text is None:
            return None
        try:
            return StoryDate.parse(text)
        except ValueError as exc:
            self._err(node, "E206", str(exc))
            return None

    def _err(self, node: Any, code: str, message: str, hint: str = "") -> None:
        self._err_at(self.file.path, node, code, message, hint)

    def _err_at(self, path: str, node: Any, code: str, message: str, hint: str = "") -> None:
        mark = getattr(node, "start_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        self.diags.error(path, line, col, code, message, hint)


_REF_HINT = {
    "node": "no node id is close to it: check the spelling against the node ids, or write the node",
    "campaign": "no campaign id is close to it: campaigns are declared under 'campaigns:'",
}


def _show(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        return value if len(value) <= 40 else value[:37] + "..."
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def _shape_hint(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "this is a list; remove the '- ' before the keys"
    if isinstance(node, yaml.MappingNode):
        return "this is a mapping; if it is text containing ': ', put it in quotes"
    return ""
