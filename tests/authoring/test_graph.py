"""The story map: DOT that Graphviz renders, Mermaid in valid flowchart syntax, labels escaped."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from tests.conftest import CHAPTER, MANIFEST, REPO, SHIPPED_STORY, StoryMaker

from moscow1941.authoring.graph import story_map, to_dot, to_mermaid
from moscow1941.story import Story, load_story

# Titles and choices an author (or a prankster) might write.
HOSTILE = CHAPTER.replace(
    "title: Start", r"""title: "C:\\n \"end\"; } -> x [color=red] <b>#1</b> & `x`" """) \
    .replace("text: Go on.", """text: 'Go {{on}} "now" |x| -- %% end'""") \
    .replace("title: End", "title: Конец — 終わり 🕊") \
    .replace("place: Moscow\n    title: Other end", "place: Moscow\n    title: 'end'")
DEAD = CHAPTER.replace("    ending: {title: Other, kind: diverged, epilogue: Not as it was.}\n", "")


def story_of(make_story: StoryMaker, chapter: str = CHAPTER) -> Story:
    result = load_story(make_story({"ch1.yaml": chapter, "story.yaml": MANIFEST}))
    assert result.story is not None, [d.format() for d in result.diagnostics]
    return result.story


def render_svg(dot: str) -> str:
    exe = shutil.which("dot")
    if exe is None:
        pytest.skip("Graphviz 'dot' is not installed (.ci/run installs the graphviz package)")
    out = subprocess.run([exe, "-Tsvg"], input=dot, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Warning" not in out.stderr and "Error" not in out.stderr, out.stderr
    return out.stdout


def test_map_marks_the_historical_path_endings_and_dead_ends(make_story: StoryMaker) -> None:
    m = story_map(story_of(make_story, DEAD))
    nodes = {n.id: n for _, chapter in m.chapters for n in chapter}
    assert nodes["a"].start and nodes["a"].historical and nodes["b"].historical
    assert nodes["b"].ending_kind == "historical" and nodes["c"].dead_end
    assert [e.historical for e in m.edges] == [True, False]


def test_dot_renders_with_graphviz_even_with_hostile_labels(make_story: StoryMaker) -> None:
    dot = to_dot(story_of(make_story, HOSTILE))
    svg = render_svg(dot)
    assert "Конец — 終わり 🕊" in svg
    # The quote and the arrow stayed inside the label: one edge per choice, no node 'x'.
    assert svg.count('class="edge"') == 2 and "<title>x</title>" not in svg
    assert r'label="START\nC:\\n \"end\"; } -> x [color=red] <b>#1</b> & `x`\n' in dot


def test_dot_of_the_shipped_story_renders() -> None:
    result = load_story(SHIPPED_STORY)
    assert result.story is not None
    svg = render_svg(to_dot(result.story))
    assert svg.count('class="cluster"') >= 1 and svg.count('class="node"') == len(result.story.nodes)


def test_dot_clusters_by_chapter_and_draws_history_bold(make_story: StoryMaker) -> None:
    chapter = "chapter: The First Day\n" + CHAPTER
    dot = to_dot(story_of(make_story, chapter))
    assert 'subgraph cluster_0 {\n    label="The First Day";' in dot
    assert '"a" -> "b" [label="1. Go on.", color="#8b0000", penwidth=3' in dot
    assert "shape=doubleoctagon" in dot


# A grammar of the Mermaid flowchart subset `to_mermaid` writes: every line must match one rule,
# and a quoted label may hold no raw quote.
LABEL = r'"[^"\n]*"'
ID = r"n\d+"
RULES = [
    r"---", r"title: '(?:[^'\n]|'')*'", r"flowchart TD",
    rf"  subgraph c\d+\[{LABEL}\]", r"  end",
    rf"    {ID}\[{LABEL}\]", rf"    {ID}\(\[{LABEL}\]\)", rf"    {ID}\{{\{{{LABEL}\}}\}}",
    rf"  {ID} (?:-->|==>|-\.->)\|{LABEL}\| {ID}",
    r"  classDef [a-z_]+ [a-z-]+:[^;\s]+(?:,[a-z-]+:[^;,]+)*",
    rf"  class {ID}(?:,{ID})* [a-z_]+",
    r"  linkStyle \d+(?:,\d+)* stroke:#[0-9a-f]{6},stroke-width:3px",
]


def assert_valid_mermaid(text: str) -> None:
    lines = text.splitlines()
    assert lines[:4][0] == "---" and lines[3] == "flowchart TD"
    depth = 0
    defined: set[str] = set()
    for line in lines:
        assert any(re.fullmatch(rule, line) for rule in RULES), f"not valid here: {line!r}"
        depth += line.startswith("  subgraph ") - (line == "  end")
        assert depth in (0, 1)
        node = re.match(rf"    ({ID})", line)
        if node:
            defined.add(node.group(1))
        edge = re.fullmatch(rf"  ({ID}) \S+ (?:{LABEL}|\|{LABEL}\|) ({ID})", line)
        if edge:
            assert {edge.group(1), edge.group(2)} <= defined
        for label in re.findall(LABEL, line):
            body = label[1:-1]
            assert not re.search(r"[<>&`|]", re.sub(r"<br/>", "", body)), label
            assert all(m in ("quot", "lt", "gt", "amp", "35", "96", "124")
                       for m in re.findall(r"#(\w+);", body)), label
    assert depth == 0


def test_mermaid_is_valid_flowchart_syntax_with_hostile_labels(make_story: StoryMaker) -> None:
    text = to_mermaid(story_of(make_story, HOSTILE))
    assert_valid_mermaid(text)
    assert ('C:\\n #quot;end#quot;; } -#gt; x [color=red] #lt;b#gt;#35;1#lt;/b#gt; #amp; '
            '#96;x#96;<br/>') in text
    assert '|"1. Go {on} #quot;now#quot; #124;x#124; -- %% end"|' in text
    assert "Конец — 終わり 🕊" in text


def test_mermaid_renames_ids_so_end_is_never_a_node(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("  b:\n", "  end:\n").replace("goto: b", "goto: end")
    text = to_mermaid(story_of(make_story, chapter))
    assert_valid_mermaid(text)
    assert "1941-04-14 · end" in text and "n1 ==>" not in text and "n0 ==>" in text


def test_mermaid_of_the_shipped_story_is_valid() -> None:
    result = load_story(SHIPPED_STORY)
    assert result.story is not None
    for campaign in result.story.campaigns:
        assert_valid_mermaid(to_mermaid(result.story, campaign))


def test_graph_command_writes_dot_and_mermaid(make_story: StoryMaker) -> None:
    root = str(make_story())
    run = [sys.executable, "-m", "moscow1941", "graph", root]
    dot = subprocess.run(run, capture_output=True, text=True, cwd=REPO)
    assert dot.returncode == 0 and dot.stdout.startswith("digraph story {")
    mer = subprocess.run([*run, "--format", "mermaid", "--campaign", "main"], capture_output=True,
                         text=True, cwd=REPO)
    assert mer.returncode == 0
    assert_valid_mermaid(mer.stdout)
    bad = subprocess.run([*run, "--campaign", "nope"], capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 2 and "no campaign 'nope'" in bad.stderr
