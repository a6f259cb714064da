"""`moscow1941 new DIR`: a small story that passes `check` with no warnings, commented to teach
the format, with the JSON Schema beside it so editors complete and check as you type."""

from __future__ import annotations

import json
import re
from pathlib import Path

from moscow1941.story.schema import story_schema

SCHEMA_FILE = "story.schema.json"

MANIFEST = """\
# yaml-language-server: $schema=story.schema.json
#
# story.yaml is the manifest: the story's id and title, and (here, though any file may hold
# them) its campaigns, variables, events and glossary. Every other *.yaml file below this folder
# is a chapter. The full reference is docs/story-format.md; `moscow1941 check .` explains every
# mistake with file:line:col.

format: 1
id: __ID__
title: __TITLE__

# A campaign is a playable role: where it starts, and what the title screen says.
campaigns:
  clerk:
    title: The Night Clerk
    role: A junior clerk at the People's Commissariat for Foreign Affairs
    blurb: >
      Moscow, the night of 12 April 1941. A draft treaty lies on your desk, and the Japanese
      foreign minister's train leaves tomorrow.
    start: desk

# Variables change as the player chooses. Ints are clamped to min..max; `show: true` puts one
# in the status panel. A bool that names a departure from history is a "world flag".
variables:
  trust:
    type: int
    default: 0
    min: -3
    max: 3
    label: Trust
    show: true
    doc: How far your superiors rely on you.
  delayed:
    type: bool
    doc: World flag. The draft reached the Commissar a day late.

# Events are the historical record. `holds` says whether the player's world still matches it;
# it is evaluated once, when the game's date passes the event, and counts in outcome divergence.
events:
  signing:
    date: 1941-04-13
    title: The Neutrality Pact is signed
    happened: Molotov and Matsuoka sign the pact in the Kremlin on 13 April.
    weight: 2
    holds: not delayed
    diverged: The signing slips by a day, and Matsuoka's train leaves without a treaty.
    sources:
      - Write your source here, for example a document collection and its page.

# Glossary entries link names in scene text to a short explanation.
glossary:
  molotov:
    term: Vyacheslav Molotov
    kind: person
    dates: 1890-1986
    text: People's Commissar for Foreign Affairs, who signed the pact for the Soviet Union.
    match: [Molotov]
"""

CHAPTER = """\
# yaml-language-server: $schema=../story.schema.json
#
# A chapter file: a title for the story map, and nodes (scenes). Ids are letters, digits and
# '_', unique across the whole story.

chapter: The Night Before

nodes:
  desk:
    date: 1941-04-12            # YYYY-MM-DD, or YYYY-MM when the day is unknown
    place: Moscow, the Commissariat
    title: A Draft on the Desk
    # Paragraphs are separated by blank lines; {trust} shows a variable's value.
    text: |
      The draft is four articles long. Someone has to carry it upstairs tonight.

      Your trust stands at {trust}.
    choices:
      - text: Carry it upstairs at once.
        goto: signing
        historical: true          # what the real actors did
        set: trust += 1           # effects, separated by ';'
      - text: It can wait until morning.
        goto: morning
        set: delayed = true; trust -= 1
        note: Unlikely; nobody kept Molotov waiting.   # how plausible the departure is
    # A history note makes this node a decision: it is shown after the player chooses.
    history:
      text: The draft went up that night; the pact was signed the next afternoon.
      sources:
        - Write your source here.

  signing:
    date: 1941-04-13
    place: Moscow, the Kremlin
    title: Four Articles
    # Text may also be a list: plain paragraphs, and passages shown only when `if` holds.
    text:
      - Molotov signs, then Matsuoka. Someone opens champagne.
      - if: trust >= 1
        text: The Commissar's secretary nods to you on the way out.
    choices:
      - text: Hurry to the station.
        goto: station

  station:
    date: 1941-04-13
    place: Yaroslavsky station
    title: The Platform
    text: The train waits for one more guest.
    # An ending instead of choices. kind: historical, close, diverged or personal.
    ending:
      title: As It Happened
      kind: historical
      epilogue: The pact holds until August 1945, as it did in history.

  morning:
    date: 1941-04-14
    place: Moscow, the Commissariat
    title: Too Late
    text: The train left at dawn. Your telephone is ringing.
    choices:
      - text: Admit the draft sat on your desk.
        goto: admitted
        if: trust <= 0
        locked: Only a clerk with nothing left to lose would say so.   # shown locked when `if` fails
      - text: Blame the typing pool.
        goto: blamed

  admitted:
    date: 1941-04-14
    place: Moscow
    title: A Clean Conscience
    text: You are sent to a provincial archive, and sleep well.
    ending:
      title: The Archive
      kind: personal
      epilogue: History hardly notices; your career does.

  blamed:
    date: 1941-04-14
    place: Moscow
    title: Without a Pact
    text: Matsuoka goes home empty-handed, and Tokyo wonders what Moscow meant.
    ending:
      title: No Pact in April
      kind: diverged
      epilogue: Without the pact, both capitals keep more divisions on the Manchurian border.
"""


class ScaffoldError(ValueError):
    """The folder cannot take a new story."""


def story_id(folder: Path) -> str:
    """An id from the folder's name: letters, digits and '_', starting with a letter."""
    ident = re.sub(r"[^A-Za-z0-9_]+", "_", folder.resolve().name).strip("_").lower()
    return ident if re.match(r"^[A-Za-z]", ident) else f"story_{ident}".rstrip("_")


def scaffold(folder: Path, title: str | None = None) -> list[Path]:
    """Write the starter story into `folder` (new, or empty); return the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} already exists and is not an empty folder")
    sid = story_id(folder)
    shown = title or sid.replace("_", " ").title()
    files = {
        folder / "story.yaml": MANIFEST.replace("__ID__", sid)
        .replace("__TITLE__", json.dumps(shown, ensure_ascii=False)),
        folder / "chapters" / "01_the_night.yaml": CHAPTER,
        folder / SCHEMA_FILE: json.dumps(story_schema(), indent=2, ensure_ascii=False) + "\n",
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
