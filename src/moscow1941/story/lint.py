"""Warnings about a story that loads: things that are legal but almost certainly mistakes.

Codes W5xx are documented in `docs/diagnostics.md`:

- W501 unreachable node, W502 dead end, W503/W504 decisions without a history note or without
  a historical choice: the shape of the graph;
- W505 a condition that can never hold, W506 a variable never read, W507 a variable never
  written, W508 an event that can never diverge, W510 an event no play ever settles: the
  state, reasoned over the values each variable can take (see `domains.py`);
- W509 a choice that leads back in time;
- W511 a counterfactual decision that marks a historical choice;
- W513 a goto that probably names the wrong node (a scene no one reaches has a close name);
- W514 an event dated long before every scene (a mistyped year);
- W520 a campaign whose historical choices mostly sit in one position (pressing the same
  number throughout would replay history).
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from moscow1941.story.diagnostics import Diagnostic, Diagnostics
from moscow1941.story.domains import Domain, assignments, can_fail, can_hold, variable_domains
from moscow1941.story.model import Story, Template


def reachable(story: Story, start: str | None = None) -> set[str]:
    """Node ids reachable by following gotos (ignoring conditions) from `start`, or from
    every campaign's start."""
    seen: set[str] = set()
    queue = deque([start] if start is not None else [c.start for c in story.campaigns.values()])
    while queue:
        nid = queue.popleft()
        if nid in seen or nid not in story.nodes:
            continue
        seen.add(nid)
        queue.extend(c.goto for c in story.nodes[nid].choices)
    return seen


def lint(story: Story) -> list[Diagnostic]:
    """Every warning for `story`, sorted by place (all of them: a story that loaded is within
    the story budgets, so its warnings are too; `check` prints the first 200)."""
    d = Diagnostics(limit=10**9)
    _graph(story, d)
    domains = variable_domains(story)
    _conditions(story, domains, d)
    _variables(story, d)
    _events(story, domains, d)
    _dates(story, d)
    _positions(story, d)
    return d.sorted()


# An event that ends this long before the first scene is probably a mistyped year.
EARLY_EVENT_DAYS = 5 * 365


def _graph(story: Story, d: Diagnostics) -> None:
    seen = reachable(story)
    _mistaken_gotos(story, seen, d)
    for node in story.nodes.values():
        if node.id not in seen:
            d.warning(node.path, node.line, node.col, "W501", f"no campaign can reach node '{node.id}'",
                      "add a choice that leads here, or remove the node")
        if node.ending is None and not node.choices:
            d.warning(node.path, node.line, node.col, "W502",
                      f"node '{node.id}' is a dead end: it has no choices and is not an ending",
                      "add choices, or an 'ending:'")
        if any(c.historical for c in node.choices) and node.history is None:
            d.warning(node.path, node.line, node.col, "W503",
                      f"decision '{node.id}' marks a historical choice but has no history note",
                      "add 'history:' with what really happened and its sources")
        if node.history is not None and node.history.counterfactual:
            if any(c.historical for c in node.choices):
                d.warning(node.path, node.line, node.col, "W511",
                          f"counterfactual decision '{node.id}' marks a historical choice",
                          "no real actor faced this choice: remove 'historical: true', or drop "
                          "'counterfactual: true' if the scene did happen")
        elif node.history is not None and not any(c.historical for c in node.choices):
            d.warning(node.path, node.line, node.col, "W504",
                      f"decision '{node.id}' has a history note but no choice marked historical",
                      "mark the choice the real actors made with 'historical: true'")


def _mistaken_gotos(story: Story, seen: set[str], d: Diagnostics) -> None:
    """W513: a goto that leads somewhere real while a scene nothing leads to looks like what
    was meant: its name is close, or the goto crosses into another campaign's scenes from a
    folder where such a stranded scene lives. (A ring choice that says 't_ozaki' where
    'r_ozaki_warn' was meant strands every scene after 'r_ozaki_warn'; W501 reports each of
    them, this points at the goto.)"""
    targeted = {c.goto for n in story.nodes.values() for c in n.choices}
    starts = {c.start for c in story.campaigns.values()}
    orphans = [nid for nid in story.nodes if nid not in seen and nid not in targeted
               and nid not in starts]
    if not orphans:
        return
    folders = {str(Path(story.nodes[o].path).parent): o for o in orphans}
    regions = {cid: reachable(story, c.start) for cid, c in story.campaigns.items()}
    for node in story.nodes.values():
        if node.id not in seen:
            continue
        for c in node.choices:
            close = difflib.get_close_matches(c.goto, orphans, n=1, cutoff=0.7)
            if close and close[0] != c.goto:
                d.warning(node.path, *c.goto_at, "W513",
                          f"choice {c.index + 1} of '{node.id}' goes to '{c.goto}', while nothing "
                          f"leads to '{close[0]}', whose name is close",
                          f"did you mean 'goto: {close[0]}'? (the scenes after '{close[0]}' are "
                          "unreachable until something leads to it)")
                continue
            stranded = folders.get(str(Path(node.path).parent))
            other = next((cid for cid, region in regions.items()
                          if c.goto in region and node.id not in region), None)
            if stranded is not None and other is not None and c.goto in story.nodes:
                d.warning(node.path, *c.goto_at, "W513",
                          f"choice {c.index + 1} of '{node.id}' leads into campaign '{other}' "
                          f"('{c.goto}'), while nothing leads to '{stranded}' in this folder",
                          f"did you mean 'goto: {stranded}'? A choice rarely crosses into "
                          "another campaign's scenes")


def _bounds(names: frozenset[str], domains: dict[str, Domain]) -> str:
    """How the variables of a condition can vary, for a hint: `trust in -3..3, flag: false`."""
    parts = []
    for name in sorted(names):
        dom = domains[name]
        if dom.values is not None and len(dom.values) <= 6:
            shown = ", ".join(sorted(_show(v) for v in dom.values))
            parts.append(f"{name} can only be {shown}")
        elif dom.type == "int":
            parts.append(f"{name} stays within {dom.lo}..{dom.hi}")
    return "; ".join(parts)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _conditions(story: Story, domains: dict[str, Domain], d: Diagnostics) -> None:
    defaults = story.defaults()
    for node in story.nodes.values():
        for c in node.choices:
            if c.condition is not None and not can_hold(
                    c.condition, c.condition_source, c.reads, domains, defaults):
                d.warning(node.path, c.line, c.col, "W505",
                          f"choice {c.index + 1} of '{node.id}' can never be taken: "
                          f"'{c.condition_source}' never holds",
                          _bounds(c.reads, domains) or "the condition is always false")
        for p in node.all_passages:
            if p.condition is not None and not can_hold(
                    p.condition, p.condition_source, p.reads, domains, defaults):
                d.warning(node.path, node.line, node.col, "W505",
                          f"a passage of '{node.id}' is never shown: "
                          f"'{p.condition_source}' never holds",
                          _bounds(p.reads, domains) or "the condition is always false")
    for e in story.events:
        if e.reads and not can_hold(e.holds, e.holds_source, e.reads, domains, defaults):
            d.warning(e.path, e.line, e.col, "W505",
                      f"event '{e.id}' always diverges: 'holds: {e.holds_source}' never holds",
                      _bounds(e.reads, domains))


def _templates(story: Story) -> Iterator[Template]:
    for node in story.nodes.values():
        for p in node.all_passages:
            yield p.template
        for c in node.choices:
            yield c.text


def _variables(story: Story, d: Diagnostics) -> None:
    read: set[str] = {v.name for v in story.variables.values() if v.show}
    written: set[str] = set()
    for a in assignments(story):
        written.add(a.target)
        read.update(a.reads - {a.target})
    for node in story.nodes.values():
        read.update(*(p.reads for p in node.all_passages), *(c.reads for c in node.choices))
    for e in story.events:
        read.update(e.reads)
    for t in _templates(story):
        read.update(n for n in t.names if n is not None)
    for var in story.variables.values():
        if var.name not in read:
            d.warning(var.path, var.line, var.col, "W506",
                      f"variable '{var.name}' is never read: no condition, text or other "
                      "variable uses it, and it is not shown",
                      f"test it in an 'if:' or 'holds:', show it with {{{var.name}}} or "
                      "'show: true', or remove it")
        if var.name not in written:
            d.warning(var.path, var.line, var.col, "W507",
                      f"variable '{var.name}' is never written: no effect changes it, so it is "
                      f"always {_show(var.default)}",
                      f"change it in a 'set:' (for example '{var.name} = ...'), or remove it")


def _events(story: Story, domains: dict[str, Domain], d: Diagnostics) -> None:
    defaults = story.defaults()
    # An event settles on entering a node dated after it, or at an ending dated on or after it.
    last_settled = max((max(n.date.first - 1, n.date.last if n.ending else n.date.first - 1)
                        for n in story.nodes.values()), default=0)
    first_scene = min((n.date.first for n in story.nodes.values()), default=0)
    for e in story.events:
        if e.reads and not can_fail(e.holds, e.holds_source, e.reads, domains, defaults):
            d.warning(e.path, e.line, e.col, "W508",
                      f"event '{e.id}' can never diverge: no effect can make "
                      f"'holds: {e.holds_source}' false",
                      (_bounds(e.reads, domains) + "; " if _bounds(e.reads, domains) else "")
                      + "set one of its variables in a choice that departs from history")
        if e.date.last > last_settled:
            d.warning(e.path, e.line, e.col, "W510",
                      f"event '{e.id}' ({e.date}) is dated after every scene, so no play "
                      "ever settles it",
                      "date a later scene or ending on or after it, or remove the event")
        if first_scene - e.date.last > EARLY_EVENT_DAYS:
            d.warning(e.path, e.line, e.col, "W514",
                      f"event '{e.id}' ({e.date}) is dated more than five years before the first "
                      "scene, so it is settled before any game begins",
                      "check the year (1914 for 1941?); background that old belongs in a "
                      "history note, not in the record the player's world is measured against")


def _dates(story: Story, d: Diagnostics) -> None:
    for node in story.nodes.values():
        for c in node.choices:
            target = story.nodes.get(c.goto)
            # Month-only dates span their month: only a target that ends before the source
            # can begin runs backwards.
            if target is not None and target.date.last < node.date.first:
                d.warning(node.path, c.line, c.col, "W509",
                          f"choice {c.index + 1} of '{node.id}' ({node.date}) goes back in time "
                          f"to '{target.id}' ({target.date})",
                          "fix one of the dates; scenes move forward in time")


def _positions(story: Story, d: Diagnostics) -> None:
    """W520: in each campaign, the real decisions (not counterfactual ones) whose historical
    choice stands at the same position, when that position holds more than half of them: a
    player who notices could replay history by pressing one number."""
    for campaign in story.campaigns.values():
        by_position: dict[int, list[str]] = {}
        for nid in sorted(reachable(story, campaign.start)):
            node = story.nodes[nid]
            if not node.is_measured:
                continue
            for c in node.choices:
                if c.historical:
                    by_position.setdefault(c.index + 1, []).append(nid)
                    break
        total = sum(len(v) for v in by_position.values())
        if not by_position:
            continue
        position, nodes = max(by_position.items(), key=lambda kv: (len(kv[1]), -kv[0]))
        if total >= 2 and len(nodes) * 2 > total:
            first = min((story.nodes[n] for n in nodes), key=lambda n: (n.date.first, n.id))
            d.warning(first.path, first.line, 1, "W520",
                      f"in campaign '{campaign.id}', the historical choice is choice {position} "
                      f"in {len(nodes)} of its {total} decisions: pressing {position} throughout "
                      "would replay history",
                      "reorder the choices of some of these decisions so that no position "
                      f"predicts history ({', '.join(nodes[:6])}{', ...' if len(nodes) > 6 else ''})")
