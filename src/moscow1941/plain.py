"""Plain mode: the game as lines of text, for screen readers, pipes and slow links.

It asks the engine for a `Scene`, prints it, reads a number or a command, and sends the choice
back. No escape codes are ever written. End of input ends the game cleanly. This module never
imports Textual or Rich.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from moscow1941.engine import Game, Scene
from moscow1941.engine.saves import SaveInfo, SaveStore, UnreadableSave
from moscow1941.story.model import Story

WIDTH = 78
HELP = """Commands:
  a number          take that choice
  undo              take back your last choice
  save NAME         save the game under NAME
  load NAME         load the game saved under NAME
  saves             list your saved games
  history           what really happened at your last decision
  history spoiler   what really happened at this decision, before you choose
  timeline          real history beside this game
  status            date, place, your standing and both divergence figures
  look              show this scene again
  transcript        write a transcript of this game to hand in (HTML; 'transcript md' for text)
  help              this list
  quit              leave the game (it is saved automatically after every choice)"""


def _wrap(text: str, indent: str = "", hang: str | None = None) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent,
                         subsequent_indent=indent if hang is None else hang) or indent.rstrip()


def percent(x: float) -> str:
    """A share from 0 to 1 as a whole percentage: `0.25` -> `25%`."""
    return f"{round(x * 100)}%"


def format_scene(scene: Scene) -> str:
    """Date, place, title, text and numbered choices (locked ones with their reason)."""
    lines = [f"== {scene.date.display()} · {scene.place} ==", scene.title.upper(), ""]
    for para in scene.paragraphs:
        lines += [_wrap(para), ""]
    for n, choice in enumerate(scene.choices, 1):
        if choice.enabled:
            lines.append(_wrap(f"{n}. {choice.text}", hang="   "))
        else:
            lines.append(_wrap(f"{n}. [locked] {choice.text} ({choice.locked_reason})", hang="   "))
    return "\n".join(lines)


def format_status(game: Game) -> str:
    """The status panel as lines: date, place, visible variables, both divergence figures."""
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


def format_history(game: Game, spoiler: bool = False) -> str:
    """The history note of the player's last decision, with what they chose beside what the
    real actors chose; with `spoiler`, the note of the current decision instead."""
    scene = game.view()
    if spoiler:
        if scene.history is None:
            return "There is no history note for this scene."
        note = scene.history
        head = [f"What really happened ({note.date.display()}), before you choose:",
                _wrap(note.text), "Sources:"]
        return "\n".join(head + [_wrap(s, "  - ", "    ") for s in note.sources])
    records = game.decisions()
    lines: list[str] = []
    if records:
        rec = records[-1]
        node = game.story.nodes[rec.node_id]
        lines.append(f"Your last decision: {rec.title} ({rec.date.display()})")
        lines.append(_wrap(f"You: {rec.chosen}", "  ", "    "))
        if rec.counterfactual:
            lines.append("  No real actor faced this choice: a world history never saw. "
                         "The note says what happened instead.")
        elif rec.historical:
            lines.append("  The real actors made the same choice.")
        elif rec.historical_choices:
            lines.append(_wrap(f"History: {rec.historical_choices[0]}", "  ", "    "))
        if node.history is not None:
            lines.append(f"What really happened ({node.history.date.display()}):")
            lines.append(_wrap(node.history.text))
            lines.append("Sources:")
            lines += [_wrap(s, "  - ", "    ") for s in node.history.sources]
    else:
        lines.append("You have not taken a decision yet.")
    if scene.history is not None:
        lines.append("")
        lines.append("This scene is a decision too: type 'history spoiler' to read what really "
                     "happened here before you choose.")
    return "\n".join(lines)


def format_timeline(game: Game) -> str:
    """Real history and this game, event by event, dated."""
    marks = {"history": "as in history", "diverged": "DIVERGED", "ahead": "not reached yet"}
    lines = []
    for e in game.timeline():
        lines.append(f"{e.date.display()}: {e.title} [{marks[e.status]}]")
        lines.append(_wrap(f"History: {e.happened}", "    "))
        if e.status == "diverged":
            lines.append(_wrap(f"This game: {e.this_game}", "    "))
    return "\n".join(lines)


def format_ending(game: Game) -> str:
    """The ending report: title, epilogue, both figures, each decision beside history."""
    scene = game.view()
    if scene.ending is None:
        return "The game has not ended."
    d = scene.divergence
    lines = [f"*** {scene.ending.title} ***", ""]
    for para in scene.ending.epilogue:
        lines += [_wrap(para), ""]
    lines.append(f"Choice divergence: {percent(d.choice)} ({d.divergent_decisions} of "
                 f"{d.decisions} decisions differ from history).")
    lines.append(f"Outcome divergence: {percent(d.outcome)} ({d.events_diverged} of "
                 f"{d.events_settled} events went differently).")
    lines.append("")
    lines.append("Your decisions beside history:")
    for rec in game.decisions():
        mark = ("no real decision here: a world history never saw" if rec.counterfactual
                else "as in history" if rec.historical else "you diverged")
        lines.append(f"- {rec.date.display()}, {rec.title} ({mark})")
        lines.append(_wrap(f"You: {rec.chosen}", "    "))
        if not rec.historical and rec.historical_choices:
            lines.append(_wrap(f"History: {rec.historical_choices[0]}", "    "))
    reflections = game.reflections()
    if reflections:
        lines += ["", "Your reflections:"]
        for ref in reflections:
            lines.append(f"- {ref.date.display()}, {ref.title}: {ref.prompt}")
            lines.append(_wrap(ref.answer, "    "))
    debrief = game.story.campaigns[game.state.campaign].debrief
    if debrief:
        lines += ["", "Questions to talk about:"]
        lines += [_wrap(q, f"{n}. ", "   ") for n, q in enumerate(debrief, 1)]
    return "\n".join(lines)


def format_save(info: SaveInfo | UnreadableSave) -> str:
    """One line about a saved game (or why it cannot be read)."""
    if isinstance(info, UnreadableSave):
        return f"{info.name}: cannot be read ({info.reason})"
    kind = " (autosave)" if info.autosave else ""
    changed = " [story changed since]" if info.story_changed else ""
    return (f"{info.name}{kind}: {info.scene_title}, {info.date}; divergence "
            f"{percent(info.choice_divergence)} / {percent(info.outcome_divergence)}{changed}")


@dataclass
class PlainSession:
    """One plain-mode session: the game in progress, the save store and the streams."""

    story: Story
    stdin: TextIO
    stdout: TextIO
    store: SaveStore | None = None
    player: str | None = None
    game: Game | None = None
    seed: int = 0
    #: When this sitting began: transcripts say the game was played from then.
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def say(self, text: str = "") -> None:
        print(text, file=self.stdout, flush=True)

    def ask(self) -> str | None:
        """The next line of input, stripped; None at end of input."""
        print("> ", end="", file=self.stdout, flush=True)
        line = self.stdin.readline()
        if not line:
            self.say()
            self.say("(end of input: leaving the game)")
            return None
        return line.strip()

    # ---- starting ------------------------------------------------------------------------
    def pick_campaign(self) -> bool:
        """Ask which campaign to play (or to continue or load a save). False: nothing chosen."""
        ids = list(self.story.campaigns)
        self.say(self.story.title)
        self.say()
        self.say("Campaigns:")
        for n, cid in enumerate(ids, 1):
            c = self.story.campaigns[cid]
            self.say(_wrap(f"{n}. {c.title}" + (f" ({c.role})" if c.role else ""), hang="   "))
            self.say(_wrap(c.blurb, "   "))
        latest = self.store.latest() if self.store is not None else None
        if latest is not None:
            self.say(f"Or 'continue' ({latest.scene_title}, {latest.date}), or 'load NAME'.")
        while True:
            line = self.ask()
            if line is None:
                return False
            cmd = line.lower()
            if cmd.isdigit() and 1 <= int(cmd) <= len(ids):
                self.game = Game(self.story, ids[int(cmd) - 1], self.seed)
                return True
            if cmd in ("continue", "c") and latest is not None:
                if self.load(latest.name):
                    return True
            elif cmd.startswith("load ") and self.store is not None:
                if self.load(line[5:].strip()):
                    return True
            elif cmd in ("quit", "q", "exit"):
                self.say("Goodbye.")
                return False
            elif cmd == "":
                continue
            else:
                self.say(f"Choose a campaign from 1 to {len(ids)}"
                         + (", or type 'continue'." if latest is not None else "."))

    # ---- saves ---------------------------------------------------------------------------
    def save(self, name: str) -> None:
        from moscow1941.engine.saves import SaveError

        if self.store is None or self.game is None:
            self.say("Saving is not available.")
            return
        if not name:
            self.say("Give the save a name: save NAME")
            return
        try:
            info = self.store.save(name, self.game, self.player)
        except SaveError as exc:
            self.say(str(exc))
        else:
            self.say(f"Saved as '{info.name}'.")

    def autosave(self) -> None:
        from moscow1941.engine.saves import SaveError

        if self.store is None or self.game is None:
            return
        try:
            self.store.autosave(self.game, self.player)
        except SaveError as exc:
            self.say(f"(autosave failed: {exc})")

    def load(self, name: str) -> bool:
        from moscow1941.engine.saves import SaveError

        if self.store is None:
            self.say("Loading is not available.")
            return False
        if not name:
            self.say("Say which save to load: load NAME (type 'saves' for the list)")
            return False
        try:
            restored = self.store.load(name)
        except SaveError as exc:
            self.say(str(exc))
            return False
        self.game = restored.game
        if restored.player:
            self.player = restored.player
        self.say(f"Loaded '{restored.info.name}'.")
        for change in restored.changes:
            self.say(_wrap(change, "  ", "  "))
        return True

    def list_saves(self) -> None:
        if self.store is None:
            self.say("Saving is not available.")
            return
        saves = self.store.list()
        if not saves:
            self.say("No saved games yet.")
        for info in saves:
            self.say(format_save(info))

    def reflect(self, scene: Scene, chosen: str) -> bool | None:
        """Ask the scene's reflection prompt before taking `chosen`. Returns True once answered
        or skipped, False when the player goes back to the choices, None at end of input."""
        assert self.game is not None
        self.say()
        self.say(_wrap(f"Before you choose, reflect: {scene.reflect}"))
        self.say(_wrap(f"(You chose: {chosen})", "  "))
        self.say("Type a sentence or two and press Enter; Enter alone skips; 'back' returns to "
                 "the choices.")
        line = self.ask()
        if line is None:
            return None
        if line.lower() == "back":
            self.say("(back to the choices)")
            return False
        self.game.reflect(line)
        return True

    def transcript(self, fmt: str) -> None:
        """Write a transcript of the game so far to the `transcripts` folder beside the saves."""
        from moscow1941.classroom.export import write_transcript

        assert self.game is not None
        if fmt not in ("html", "md"):
            self.say("Type 'transcript' for HTML (to print) or 'transcript md' for text.")
            return
        try:
            done = write_transcript(self.game, self.player, fmt,
                                    self.store.folder if self.store is not None else None,
                                    self.started)
        except OSError as exc:
            self.say(f"The transcript could not be written: {exc.strerror or exc}.")
            return
        self.say(f"Transcript written to {done.path}")

    # ---- playing -------------------------------------------------------------------------
    def play(self) -> int:
        """Play until an ending, `quit` or end of input. Returns the exit status."""
        assert self.game is not None
        show_scene = True
        while True:
            game = self.game
            scene = game.view()
            if show_scene:
                self.say(format_scene(scene))
                if scene.ending is not None:
                    self.say()
                    self.say(format_ending(game))
                    return 0
                if not scene.choices:
                    self.say("The story has no way on from here.")
                    return 0
            show_scene = False
            line = self.ask()
            if line is None:
                return 0
            cmd, _, rest = line.partition(" ")
            cmd, rest = cmd.lower(), rest.strip()
            if cmd.isdigit():
                n = int(cmd)
                if not 1 <= n <= len(scene.choices):
                    self.say(f"Choose a number from 1 to {len(scene.choices)}, or type 'help'.")
                elif not scene.choices[n - 1].enabled:
                    self.say(f"That choice is locked: {scene.choices[n - 1].locked_reason}")
                else:
                    choice = scene.choices[n - 1]
                    if scene.reflect:
                        went_on = self.reflect(scene, choice.text)
                        if went_on is None:  # end of input
                            return 0
                        if not went_on:
                            continue
                    game.choose(choice.index)
                    self.autosave()
                    self.say()
                    show_scene = True
            elif cmd in ("undo", "u"):
                if game.undo():
                    self.autosave()
                    self.say("(you take back your last choice)")
                    show_scene = True
                else:
                    self.say("Nothing to undo: this is the start of the game.")
            elif cmd == "save":
                self.save(rest)
            elif cmd == "load":
                show_scene = self.load(rest)
            elif cmd == "saves":
                self.list_saves()
            elif cmd in ("history", "h"):
                self.say(format_history(game, spoiler=rest.lower() == "spoiler"))
            elif cmd in ("timeline", "t"):
                self.say(format_timeline(game))
            elif cmd in ("status", "s"):
                self.say(format_status(game))
            elif cmd in ("look", "l"):
                show_scene = True
            elif cmd == "transcript":
                self.transcript(rest.lower() or "html")
            elif cmd in ("help", "?"):
                self.say(HELP)
            elif cmd in ("quit", "q", "exit"):
                self.say("Goodbye.")
                return 0
            elif cmd == "":
                continue
            else:
                self.say(f"I don't know '{cmd}'. Type a choice number, or 'help'.")


def run_plain(story: Story, campaign: str | None, seed: int, stdin: TextIO, stdout: TextIO,
              store: SaveStore | None = None, player: str | None = None) -> int:
    """Play in plain text until an ending, `quit` or end of input. Returns the exit status.

    With no `campaign`, the player picks one (or continues or loads a save) first.
    """
    session = PlainSession(story, stdin, stdout, store=store, player=player, seed=seed)
    if campaign is not None:
        session.game = Game(story, campaign, seed)
    elif len(story.campaigns) == 1 and (store is None or store.latest() is None):
        session.game = Game(story, next(iter(story.campaigns)), seed)
    elif not session.pick_campaign():
        return 0
    return session.play()
