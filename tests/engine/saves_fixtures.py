"""Small stories for the save tests: a chain of scenes to replay after edits, and a loop that
makes games (and save files) as long as a test wants."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import loaded

CHAIN_MANIFEST = """\
format: 1
id: chain
title: Chain
campaigns:
  main:
    title: Main
    blurb: Four scenes in a row.
    start: n1
  other:
    title: Other
    blurb: A second campaign, to be removed.
    start: n1
variables:
  trust:
    type: int
    min: -5
    max: 5
    label: Trust
    show: true
  old_flag:
    type: bool
"""

CHAIN_NODES = """\
nodes:
  n1:
    date: 1941-04-12
    place: Moscow
    title: First
    text: Trust is {trust}.
    choices:
      - text: On.
        goto: n2
        historical: true
        set: trust += 1
      - text: Aside.
        goto: side
    history:
      text: It went on.
      sources: [A source]
  n2:
    date: 1941-04-14
    place: Moscow
    title: Second
    text: Still going.
    choices:
      - text: On again.
        goto: n3
        set: trust += 1
  n3:
    date: 1941-06-22
    place: Moscow
    title: Third
    text: Nearly there.
    choices:
      - text: Finish.
        goto: n4
        set: old_flag = true
  n4:
    date: 1941-07
    place: Moscow
    title: Fourth
    text: Done.
    ending: {title: End, kind: historical, epilogue: It ended.}
  side:
    date: 1941-04-14
    place: Moscow
    title: Aside
    text: A side road.
    ending: {title: Aside, kind: personal, epilogue: Elsewhere.}
"""

LOOP_MANIFEST = """\
format: 1
id: loop
title: Loop
campaigns:
  main:
    title: Main
    blurb: A scene that returns to itself.
    start: here
variables:
  count:
    type: int
    max: 1000000000
"""

LOOP_NODES = """\
nodes:
  here:
    date: 1941-04-12
    place: Moscow
    title: Round and round
    text: Again.
    choices:
      - text: Once more.
        goto: here
        set: count += 1
      - text: Stop.
        goto: stop
  stop:
    date: 1941-04-13
    place: Moscow
    title: Stopped
    text: Done.
    ending: {title: Stopped, kind: personal, epilogue: Enough.}
"""


def write_story(root: Path, manifest: str, nodes: str) -> Path:
    """Write a two-file story folder at `root` (replacing what is there) and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(manifest, encoding="utf-8")
    (root / "nodes.yaml").write_text(nodes, encoding="utf-8")
    return root


load = loaded
"""Load a story that must be valid."""
