"""Warnings about a story that loads: things that are legal but almost certainly mistakes.

Codes W5xx are documented in `docs/diagnostics.md`.
"""

from __future__ import annotations

from collections import deque

from moscow1941.story.diagnostics import Diagnostic, Diagnostics
from moscow1941.story.model import Story


def reachable(story: Story) -> set[str]:
    """Node ids some campaign can reach by following gotos (ignoring conditions)."""
    seen: set[str] = set()
    queue = deque(c.start for c in story.campaigns.values())
    while queue:
        nid = queue.popleft()
        if nid in seen or nid not in story.nodes:
            continue
        seen.add(nid)
        queue.extend(c.goto for c in story.nodes[nid].choices)
    return seen


def lint(story: Story) -> list[Diagnostic]:
    """Every warning for `story`, sorted by place."""
    d = Diagnostics()
    seen = reachable(story)
    for node in story.nodes.values():
        if node.id not in seen:
            d.warning(node.path, node.line, 1, "W501", f"no campaign can reach node '{node.id}'",
                      "add a choice that leads here, or remove the node")
        if node.ending is None and not node.choices:
            d.warning(node.path, node.line, 1, "W502",
                      f"node '{node.id}' is a dead end: it has no choices and is not an ending",
                      "add choices, or an 'ending:'")
        if any(c.historical for c in node.choices) and node.history is None:
            d.warning(node.path, node.line, 1, "W503",
                      f"decision '{node.id}' marks a historical choice but has no history note",
                      "add 'history:' with what really happened and its sources")
        if node.history is not None and not any(c.historical for c in node.choices):
            d.warning(node.path, node.line, 1, "W504",
                      f"decision '{node.id}' has a history note but no choice marked historical",
                      "mark the choice the real actors made with 'historical: true'")
    return d.sorted()
