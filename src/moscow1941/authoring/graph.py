"""The story map: every node by chapter, its choices as arrows, in Graphviz DOT or Mermaid.

The historical path (the play `playtest --historical` makes) is drawn bold and dark red; endings
are marked by kind, dead ends in red, nodes no campaign reaches dashed. Story text is untrusted:
every label is escaped for its target language, so no title or choice can break out of its
quotes, inject attributes, or run as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from moscow1941.authoring.playtest import historical_play
from moscow1941.story.lint import reachable
from moscow1941.story.model import Node, Story

MAX_LABEL = 48
ENDING_COLOURS = {"historical": "#b7dfb7", "close": "#dfe9b5", "diverged": "#f2cf9f",
                  "personal": "#cdd0f2"}
HISTORY_COLOUR = "#8b0000"


@dataclass(frozen=True, slots=True)
class MapNode:
    """A node as the map draws it."""

    id: str
    title: str
    date: str
    ending_kind: str | None
    dead_end: bool
    start: bool
    historical: bool
    reachable: bool


@dataclass(frozen=True, slots=True)
class MapEdge:
    """A choice as an arrow: `number` is its position in the node's list, from 1."""

    source: str
    target: str
    number: int
    text: str
    conditional: bool
    historical: bool


@dataclass(frozen=True, slots=True)
class StoryMap:
    """What both formats draw: chapters (in story order) holding nodes, and the arrows."""

    title: str
    chapters: tuple[tuple[str, tuple[MapNode, ...]], ...]
    edges: tuple[MapEdge, ...]


def story_map(story: Story, campaign: str | None = None) -> StoryMap:
    """The map of the whole story, or of the nodes one campaign can reach."""
    if campaign is not None and campaign not in story.campaigns:
        raise KeyError(f"no campaign '{campaign}' (this story has: {', '.join(story.campaigns)})")
    campaigns = [campaign] if campaign is not None else list(story.campaigns)
    shown = reachable(story, story.campaigns[campaign].start) if campaign is not None \
        else set(story.nodes)
    live = reachable(story)
    on_path: set[str] = set()
    taken: set[tuple[str, int]] = set()
    for cid in campaigns:
        play = historical_play(story, cid)
        on_path.add(story.campaigns[cid].start)
        for step in play.path:
            on_path.update((step.node, step.goto))
            taken.add((step.node, step.index))
    starts = {story.campaigns[c].start for c in campaigns}
    chapters: dict[str, list[MapNode]] = {}
    edges: list[MapEdge] = []
    for node in story.nodes.values():
        if node.id not in shown:
            continue
        chapters.setdefault(_chapter(node), []).append(MapNode(
            id=node.id, title=node.title, date=node.date.iso(),
            ending_kind=node.ending.kind if node.ending else None,
            dead_end=node.ending is None and not node.choices, start=node.id in starts,
            historical=node.id in on_path, reachable=node.id in live))
        for c in node.choices:
            text = c.text.source.replace("{{", "{").replace("}}", "}")
            edges.append(MapEdge(node.id, c.goto, c.index + 1, text,
                                 c.condition is not None, (node.id, c.index) in taken))
    title = story.title + (f": {story.campaigns[campaign].title}" if campaign else "")
    return StoryMap(title, tuple((k, tuple(v)) for k, v in chapters.items()), tuple(edges))


def _chapter(node: Node) -> str:
    return node.chapter or Path(node.path).stem


def _clean(text: str, limit: int = MAX_LABEL) -> str:
    """One line of plain text: control characters become spaces, long text is cut."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


# ---- DOT ----------------------------------------------------------------------------------------

def _dot(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, so `\\n` escapes are ours alone."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(story: Story, campaign: str | None = None) -> str:
    """The story map in Graphviz DOT (render with `dot -Tsvg map.dot -o map.svg`)."""
    m = story_map(story, campaign)
    out = ["digraph story {",
           f"  graph [label={_dot(_clean(m.title, 120))}, labelloc=t, fontname=Helvetica, "
           "rankdir=TB, compound=true];",
           '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname=Helvetica, '
           "fontsize=10];",
           "  edge [fontname=Helvetica, fontsize=8, color=\"#777777\"];"]
    for i, (chapter, nodes) in enumerate(m.chapters):
        out.append(f"  subgraph cluster_{i} {{")
        out.append(f"    label={_dot(_clean(chapter, 80))}; style=rounded; color=\"#bbbbbb\";")
        for n in nodes:
            out.append(f"    {_dot(n.id)} [{_dot_node(n)}];")
        out.append("  }")
    for e in m.edges:
        attrs = [f"label={_dot(f'{e.number}. ' + _clean(e.text, 32))}"]
        if e.conditional:
            attrs.append("style=dashed")
        if e.historical:
            attrs.append(f'color="{HISTORY_COLOUR}", penwidth=3, fontcolor="{HISTORY_COLOUR}"')
        out.append(f"  {_dot(e.source)} -> {_dot(e.target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_node(n: MapNode) -> str:
    # Our line breaks are added after escaping, as DOT's own `\n` escape.
    lines = [_dot(_clean(n.title))[1:-1], _dot(f"{n.date} · {n.id}")[1:-1]]
    attrs = []
    if n.ending_kind is not None:
        lines.append(f"ending: {n.ending_kind}")
        attrs.append(f'shape=doubleoctagon, fillcolor="{ENDING_COLOURS.get(n.ending_kind, "#eeeeee")}"')
    if n.dead_end:
        lines.append("DEAD END")
        attrs.append('shape=octagon, fillcolor="#f6b3b3", color="#cc0000"')
    if n.start:
        lines.insert(0, "START")
        attrs.append("peripheries=2")
    if n.historical:
        attrs.append(f'color="{HISTORY_COLOUR}", penwidth=2.5')
    if not n.reachable:
        attrs.append('style="rounded,dashed", fontcolor="#888888"')
    label = "\\n".join(lines)
    return ", ".join([f'label="{label}"', *attrs])


# ---- Mermaid ------------------------------------------------------------------------------------

_MERMAID_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;",
                    "`": "#96;", "|": "#124;"}


def _mermaid(text: str) -> str:
    """Text for inside a quoted Mermaid label: every character that could end the quote,
    start an entity, or be read as HTML or Markdown is written as an entity code."""
    return "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in text)


def to_mermaid(story: Story, campaign: str | None = None) -> str:
    """The story map as a Mermaid flowchart (node ids are renamed n0, n1, ... so that no story
    id can collide with a Mermaid keyword such as `end`)."""
    m = story_map(story, campaign)
    ids = {n.id: f"n{i}" for i, n in enumerate(n for _, nodes in m.chapters for n in nodes)}
    title = _clean(m.title, 120).replace("'", "''")
    out = ["---", f"title: '{title}'", "---", "flowchart TD"]
    classes: dict[str, list[str]] = {}
    for i, (chapter, nodes) in enumerate(m.chapters):
        out.append(f'  subgraph c{i}["{_mermaid(_clean(chapter, 80))}"]')
        for n in nodes:
            label = f"{_mermaid(_clean(n.title))}<br/>{_mermaid(f'{n.date} · {n.id}')}"
            if n.start:
                label = "START<br/>" + label
            if n.ending_kind is not None:
                out.append(f'    {ids[n.id]}(["{label}<br/>ending: {n.ending_kind}"])')
                classes.setdefault(f"ending_{n.ending_kind}", []).append(ids[n.id])
            elif n.dead_end:
                out.append(f'    {ids[n.id]}{{{{"{label}<br/>DEAD END"}}}}')
                classes.setdefault("dead_end", []).append(ids[n.id])
            else:
                out.append(f'    {ids[n.id]}["{label}"]')
            if n.historical:
                classes.setdefault("historical", []).append(ids[n.id])
            if not n.reachable:
                classes.setdefault("unreachable", []).append(ids[n.id])
        out.append("  end")
    history_links = []
    for k, e in enumerate(e for e in m.edges if e.target in ids):
        arrow = "==>" if e.historical else "-.->" if e.conditional else "-->"
        text = _mermaid(f"{e.number}. " + _clean(e.text, 32))
        out.append(f'  {ids[e.source]} {arrow}|"{text}"| {ids[e.target]}')
        if e.historical:
            history_links.append(str(k))
    styles = {f"ending_{kind}": f"fill:{colour},stroke:#555555"
              for kind, colour in ENDING_COLOURS.items()}
    styles.update({"dead_end": "fill:#f6b3b3,stroke:#cc0000,stroke-width:2px",
                   "historical": f"stroke:{HISTORY_COLOUR},stroke-width:3px",
                   "unreachable": "stroke-dasharray:4 3,color:#888888"})
    for name, style in styles.items():
        if name in classes:
            out.append(f"  classDef {name} {style}")
            out.append(f"  class {','.join(classes[name])} {name}")
    if history_links:
        out.append(f"  linkStyle {','.join(history_links)} stroke:{HISTORY_COLOUR},stroke-width:3px")
    return "\n".join(out) + "\n"
