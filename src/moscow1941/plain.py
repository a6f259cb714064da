"""Plain mode: the game as lines of text, for screen readers, pipes and slow links.

It asks the engine for a `Scene`, prints it, reads a number or a command, and sends the choice
back. No escape codes are ever written. End of input ends the game cleanly.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TextIO

from moscow1941.engine import Game, Scene
from moscow1941.story.model import Story

WIDTH = 78
HELP = """Commands:
  a number     take that choice
  undo         take back your last choice
  history      what really happened at this decision
  timeline     real history beside this game
  status       date, place, your standing and both divergence figures
  help         this list
  quit         leave the game"""


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def percent(x: float) -> str:
    return f"{round(x * 100)}%"


def format_scene(scene: Scene) -> str:
    lines = [f"== {scene.date.display()} · {scene.place} ==", scene.title.upper(), ""]
    for para in scene.paragraphs:
        lines += [_wrap(para), ""]
    for n, choice in enumerate(scene.choices, 1):
        if choice.enabled:
            lines.append(_wrap(f"{n}. {choice.text}", "") .replace("\n", "\n   "))
        else:
            lines.append(_wrap(f"{n}. [locked] {choice.text} ({choice.locked_reason})").replace("\n", "\n   "))
    return "\n".join(lines)


def format_status(game: Game) -> str:
    scene = game.view()
    d = scene.divergence
    lines = [f"Date: {scene.date.display()}", f"Place: {scene.place}"]
    for s in scene.status:
        value = ("yes" if s.value else "no") if s.type == "bool" else s.value
        bounds = f" (of {s.min} to {s.max})" if s.min is not None and s.max is not None else ""
        lines.append(f"{s.label}: {value}{bounds}")
    lines.append(f"Choice divergence: {percent(d.choice)} ({d.divergent_decisions} of "
                 f"{d.decisions} decisions differ from history)")
    lines.append(f"Outcome divergence: {percent(d.outcome)} ({d.events_diverged} of "
                 f"{d.events_settled} events so far went differently)")
    return "\n".join(lines)


def format_history(scene: Scene) -> str:
    note = scene.history
    if note is None:
        return "There is no history note for this scene."
    lines = [f"What really happened ({note.date.display()}):", _wrap(note.text), "Sources:"]
    lines += [f"  - {s}" for s in note.sources]
    return "\n".join(lines)


def format_timeline(game: Game) -> str:
    marks = {"history": "as in history", "diverged": "DIVERGED", "ahead": "not yet"}
    lines = []
    for e in game.timeline():
        lines.append(f"{e.date.display()}: {e.title} [{marks[e.status]}]")
        lines.append(_wrap(f"History: {e.happened}", "    "))
        if e.status == "diverged":
            lines.append(_wrap(f"This game: {e.this_game}", "    "))
    return "\n".join(lines)


def format_ending(game: Game) -> str:
    scene = game.view()
    assert scene.ending is not None
    d = scene.divergence
    lines = [f"*** {scene.ending.title} ***", ""]
    for para in scene.ending.epilogue:
        lines += [_wrap(para), ""]
    lines.append(f"Choice divergence: {percent(d.choice)}. Outcome divergence: {percent(d.outcome)}.")
    lines.append("")
    lines.append("Your decisions beside history:")
    for rec in game.decisions():
        mark = "as history" if rec.historical else "you diverged"
        lines.append(f"- {rec.date.display()}, {rec.title} ({mark})")
        lines.append(_wrap(f"You: {rec.chosen}", "    "))
        if not rec.historical and rec.historical_choices:
            lines.append(_wrap(f"History: {rec.historical_choices[0]}", "    "))
    return "\n".join(lines)


def run_plain(story: Story, campaign: str, seed: int, stdin: TextIO, stdout: TextIO) -> int:
    """Play until an ending, `quit` or end of input. Returns the exit status."""
    game = Game(story, campaign, seed)
    say: Callable[[str], None] = lambda text: print(text, file=stdout, flush=True)
    show_scene = True
    while True:
        scene = game.view()
        if show_scene:
            say(format_scene(scene))
            if scene.ending is not None:
                say("")
                say(format_ending(game))
                return 0
            if not scene.choices:
                say("The story has no way on from here.")
                return 0
        show_scene = False
        print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            say("")
            say("(end of input: leaving the game)")
            return 0
        cmd = line.strip().lower()
        if cmd.isdigit():
            n = int(cmd)
            if not 1 <= n <= len(scene.choices):
                say(f"Choose a number from 1 to {len(scene.choices)}, or type 'help'.")
            elif not scene.choices[n - 1].enabled:
                say(f"That choice is locked: {scene.choices[n - 1].locked_reason}")
            else:
                game.choose(scene.choices[n - 1].index)
                say("")
                show_scene = True
        elif cmd == "undo":
            if game.undo():
                say("(you take back your last choice)")
                show_scene = True
            else:
                say("Nothing to undo: this is the start of the game.")
        elif cmd in ("history", "h"):
            say(format_history(scene))
        elif cmd in ("timeline", "t"):
            say(format_timeline(game))
        elif cmd in ("status", "s"):
            say(format_status(game))
        elif cmd in ("help", "?"):
            say(HELP)
        elif cmd in ("quit", "q", "exit"):
            say("Goodbye.")
            return 0
        elif cmd == "":
            continue
        else:
            say(f"I don't know '{cmd}'. Type a choice number, or 'help'.")
