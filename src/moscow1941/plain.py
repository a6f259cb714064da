"""Plain mode: the game as lines of text, for screen readers, pipes and slow links.

It asks the engine for a `Scene`, prints it, reads a number or a command, and sends the choice
back. Everything the interface can show, plain mode can show: the scene, the status, the
history notes, the timeline, the glossary, the saves, and the ending with its transcript.

Every line goes out through one function (`PlainSession.say`), which drops every control
character but the newline (so no escape code, from the story, a save or the player, ever
reaches the terminal) and wraps each line at word boundaries to the terminal's width (in a
terminal; a pipe gets each paragraph as one line). End of input ends the game cleanly. This
module never imports Textual or Rich.
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from moscow1941.engine import Game, Scene
from moscow1941.engine.saves import SaveInfo, SaveStore, UnreadableSave
from moscow1941.story.model import GlossaryEntry, Story
from moscow1941.story.search import search_glossary
from moscow1941.words import (
    CHOICES_MEANS,
    COUNTERFACTUAL_NOTE,
    NEVER_SAW,
    NO_REAL_ACTOR,
    TIMELINE_PLAIN,
    VERDICTS,
    WORLD_MEANS,
    capitalized,
    choice_figure,
    ending_kind,
    events_counted,
    outcome_figure,
    percent,
)

# ---- output: control characters and wrapping ---------------------------------------------------

_CONTROL_MAP: dict[int, str | None] = dict.fromkeys(
    [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])
del _CONTROL_MAP[0x0A]  # the newline is how lines are told apart
_CONTROL_MAP[0x09] = " "  # a tab becomes a space, so the words on either side stay apart
CONTROLS = str.maketrans(_CONTROL_MAP)
"""Every C0 and C1 control character and DEL, dropped (a tab becomes a space); the newline kept."""


def clean(text: str) -> str:
    """`text` without any control character but the newline: no escape code can get through."""
    return text.translate(CONTROLS)


def norm(text: str) -> str:
    """Runs of whitespace (line breaks in a story paragraph, say) as one space."""
    return " ".join(text.split())


_HANG = re.compile(r"( *)(\d+\. |- |\S.*?  +(?=\S))?")
"""A line's indentation and its list marker: `1. `, `- `, or a first column ended by two spaces
or more (as in the help). Continuation lines are indented under the text after the marker."""


def wrap_line(line: str, width: int | None) -> str:
    """One logical line wrapped at word boundaries to `width` (never in the middle of a word,
    nor after a hyphen), continuation lines hanging under the text after its list marker.
    `width` None: the line as it is."""
    if width is None or len(line) <= width:
        return line
    m = _HANG.match(line)
    assert m is not None  # both groups are optional: the pattern matches every line
    head = m.group(1) + (m.group(2) or "")
    hang = " " * len(head) if len(head) <= width // 2 else m.group(1)
    body = norm(line[len(head):])
    return textwrap.fill(body, width, initial_indent=head, subsequent_indent=hang,
                         break_long_words=False, break_on_hyphens=False) or head.rstrip()


def terminal_width() -> int:
    """The width to wrap at in a terminal: one column less than it has (a line that fills the
    last column makes some terminals and screen readers start an empty line), at least 20."""
    return max(20, shutil.get_terminal_size((80, 24)).columns - 1)


def pipe_width(environ: Mapping[str, str] | None = None) -> int | None:
    """The width to wrap at when the output is not a terminal: `COLUMNS` if it is set to a
    number, else None (no wrapping: each paragraph is one line, for the program or screen
    reader at the other end to wrap as it likes)."""
    columns = (os.environ if environ is None else environ).get("COLUMNS", "")
    return max(20, int(columns)) if columns.strip().isdigit() else None


# ---- what can be typed -------------------------------------------------------------------------

Commands = Sequence[tuple[str, str]]

PLAY_COMMANDS: Commands = (
    ("a number", "take that choice"),
    ("undo", "take back your last choice"),
    ("save NAME", "save the game under NAME"),
    ("load NAME", "load the game saved under NAME"),
    ("saves", "list your saved games"),
    ("history", "what really happened at your last decision"),
    ("history spoiler", "what really happened at this decision, before you choose"),
    ("history all", "every decision you took beside history, with the notes and sources"),
    ("timeline", "real history beside this game: the events so far and the next few"),
    ("timeline all", "every event, from first to last"),
    ("glossary", "the people, places and terms of the story"),
    ("glossary WORD", "look up a name or a term (best match first)"),
    ("status", "date, place, your standing and both divergence figures"),
    ("name NAME", "put your name on this game and its transcript"),
    ("look", "show this scene again"),
    ("transcript", "write a transcript of this game to hand in (HTML, to print)"),
    ("transcript md", "the same as plain text (Markdown)"),
    ("new", "start a new game (this one stays in your saves)"),
    ("help", "this list"),
    ("quit", "leave the game (it is saved automatically after every choice)"),
)
"""The commands of a scene, for `help`."""

ENDING_COMMANDS: Commands = (
    ("transcript", "write the transcript of this game to hand in (HTML, to print)"),
    ("transcript md", "the same as plain text (Markdown)"),
    ("look", "read the ending and its report again"),
    ("history all", "every decision you took beside history, with the notes and sources"),
    ("history", "what really happened at your last decision"),
    ("timeline", "real history beside this game"),
    ("timeline all", "every event, those this game never reached too"),
    ("glossary", "the people, places and terms of the story"),
    ("glossary WORD", "look up a name or a term (best match first)"),
    ("status", "the story's values and both divergence figures"),
    ("name NAME", "put your name on this game and its transcript"),
    ("undo", "take back your last choice and play on from there"),
    ("save NAME", "save this finished game under NAME"),
    ("saves", "list your saved games"),
    ("load NAME", "load the game saved under NAME"),
    ("new", "start a new game"),
    ("help", "this list"),
    ("quit", "leave the game (this ending stays saved: 'continue' reopens it)"),
)
"""The commands of an ending, for `help` there."""

ENDING_MENU: Commands = tuple(c for c in ENDING_COMMANDS if c[0] in {
    "transcript", "transcript md", "look", "history all", "timeline", "glossary", "undo", "new",
    "quit"})
"""What an ending offers as soon as it is printed (the interface's ending screen: export,
the report, the history notes, the timeline, the glossary, back to undo, a new game, quit)."""

CAMPAIGN_COMMANDS: Commands = (
    ("a number", "start that campaign"),
    ("continue", "go on with the game you played last"),
    ("load NAME", "load the game saved under NAME"),
    ("saves", "list your saved games"),
    ("glossary", "the people, places and terms of the story"),
    ("glossary WORD", "look up a name or a term (best match first)"),
    ("name NAME", "put your name on the game you start and its transcript"),
    ("help", "this list"),
    ("quit", "leave"),
)
"""The commands of the campaign list."""


def format_commands(commands: Commands) -> str:
    """A command table: each command, and what it does beside it (wrapped under itself)."""
    wide = max(len(c) for c, _ in commands) + 2
    return "\n".join(f"  {c.ljust(wide)}{what}" for c, what in commands)


def command_names(commands: Commands, choices: int | None = None,
                  number: str = "a choice number") -> str:
    """The commands on one line, for a message that says what can be typed; `choices`: how
    many numbers can be typed (none: no number)."""
    names = []
    for c, _ in commands:
        if c == "a number":
            if choices:
                names.append(f"{number} (1 to {choices})" if choices > 1
                             else f"{number} (1)")
            continue
        if " " in c and c.split()[0] in {n.split()[0] for n in names}:
            continue  # 'history spoiler' after 'history': the help lists the variants
        names.append(c)
    return "You can type " + ", ".join(names[:-1]) + " or " + names[-1] + "."


# ---- formatting: each returns logical lines, wrapped by `PlainSession.say` ------------------

def format_scene(scene: Scene) -> str:
    """Title (as a heading in its own case: screen readers spell out capitals letter by letter),
    date and place, text, and numbered choices (locked ones with their reason)."""
    lines = [f"== {norm(scene.title)} ==", f"{scene.date.display()} · {norm(scene.place)}", ""]
    for para in scene.paragraphs:
        lines += [norm(para), ""]
    for n, choice in enumerate(scene.choices, 1):
        if choice.enabled:
            lines.append(f"{n}. {norm(choice.text)}")
        else:
            lines.append(f"{n}. [locked] {norm(choice.text)} ({norm(choice.locked_reason or '')})")
    return "\n".join(lines).rstrip("\n")


def format_status(game: Game) -> str:
    """The status panel as lines: date, place, visible variables, both divergence figures."""
    scene = game.view()
    d = scene.divergence
    lines = [f"Date: {scene.date.display()}", f"Place: {norm(scene.place)}"]
    for s in scene.status:
        value = ("yes" if s.value else "no") if s.type == "bool" else s.value
        bounds = f" (of {s.min} to {s.max})" if s.min is not None and s.max is not None else ""
        lines.append(f"{norm(s.label)}: {value}{bounds}")
    lines.append(f"Choice divergence: {choice_figure(d)}")
    lines.append(f"Outcome divergence: {outcome_figure(d)}")
    return "\n".join(lines)


def _note_lines(date: str, text: str, sources: Iterable[str], head: str) -> list[str]:
    return ([f"{head} ({date}):", norm(text), "Sources:"]
            + [f"  - {norm(s)}" for s in sources])


def format_history(game: Game, spoiler: bool = False) -> str:
    """The history note of the player's last decision, with what they chose beside what the
    real actors chose; with `spoiler`, the note of the current decision instead."""
    scene = game.view()
    if spoiler:
        if scene.history is None:
            return "There is no history note for this scene."
        note = scene.history
        return "\n".join([f"What really happened ({note.date.display()}), before you choose:",
                          norm(note.text), "Sources:"]
                         + [f"  - {norm(s)}" for s in note.sources])
    records = game.decisions()
    lines: list[str] = []
    if records:
        rec = records[-1]
        node = game.story.nodes[rec.node_id]
        lines.append(f"Your last decision: {norm(rec.title)} ({rec.date.display()})")
        lines.append(f"  You: {norm(rec.chosen)}")
        if rec.counterfactual:
            lines.append(f"  {capitalized(NO_REAL_ACTOR)}: {NEVER_SAW}. "
                         f"{capitalized(COUNTERFACTUAL_NOTE)}.")
        elif rec.historical:
            lines.append("  The real actors made the same choice.")
        elif rec.historical_choices:
            lines.append(f"  History: {norm(rec.historical_choices[0])}")
        if node.history is not None:
            lines += _note_lines(node.history.date.display(), node.history.text,
                                 node.history.sources, "What really happened")
    else:
        lines.append("You have not taken a decision yet.")
    if scene.history is not None and scene.ending is None:
        lines.append("")
        lines.append("This scene is a decision too: type 'history spoiler' to read what really "
                     "happened here before you choose.")
    return "\n".join(lines)


def format_history_all(game: Game) -> str:
    """Every decision taken so far, beside the real one, each with its history note."""
    records = game.decisions()
    if not records:
        return "You have not taken a decision yet."
    lines = [f"Your {len(records)} decision{'s' * (len(records) != 1)} beside history:"]
    for n, rec in enumerate(records, 1):
        node = game.story.nodes[rec.node_id]
        lines += ["", f"{n}. {norm(rec.title)}, {rec.date.display()} "
                      f"({VERDICTS[rec.verdict]})",
                  f"   You: {norm(rec.chosen)}"]
        if not rec.historical and rec.historical_choices and not rec.counterfactual:
            lines.append(f"   History: {norm(rec.historical_choices[0])}")
        if node.history is not None:
            lines.append(f"   What really happened ({node.history.date.display()}): "
                         f"{norm(node.history.text)}")
            lines += [f"   - {norm(s)}" for s in node.history.sources]
    return "\n".join(lines)


NEXT_EVENTS = 3
"""How many events ahead `timeline` shows after the events settled so far."""


def format_timeline(game: Game, everything: bool = False) -> str:
    """Real history and this game, event by event, dated: the events settled so far and the
    next few (`everything`: all of them)."""
    entries = game.timeline()
    ended = game.view().ending is not None
    d = game.divergence()
    settled = [e for e in entries if e.status != "ahead"]
    ahead = [e for e in entries if e.status == "ahead"]
    if everything:
        shown = entries
    elif ended:
        shown = settled
    else:
        nxt = {id(e) for e in ahead[:NEXT_EVENTS]}
        shown = [e for e in entries if e.status != "ahead" or id(e) in nxt]
    lines = [f"Timeline: {d.events_settled} of {d.events_total} events settled so far; "
             f"{events_counted(d)} in this game."]
    for e in shown:
        lines.append(f"{e.date.display()}: {norm(e.title)} [{TIMELINE_PLAIN[e.status]}]")
        lines.append(f"    History: {norm(e.happened)}")
        if e.status == "diverged":
            lines.append(f"    This game: {norm(e.this_game)}")
    hidden = len(entries) - len(shown)
    if hidden and ended:
        lines.append(f"{hidden} later event{'s were' if hidden != 1 else ' was'} not reached in "
                     "this game: type 'timeline all' to list every event.")
    elif hidden:
        lines.append(f"{hidden} more event{'s' * (hidden != 1)} not shown: type 'timeline all' "
                     "to list every event.")
    return "\n".join(lines)


def format_ending(game: Game) -> str:
    """The ending report: title, kind, epilogue, both figures, each decision beside history,
    the player's reflections and the campaign's questions."""
    scene = game.view()
    if scene.ending is None:
        return "The game has not ended."
    d = scene.divergence
    lines = [f"== The end: {norm(scene.ending.title)} ==",
             ending_kind(scene.ending.kind) or scene.ending.kind, ""]
    for para in scene.ending.epilogue:
        lines += [norm(para), ""]
    lines.append(f"Choice divergence: {choice_figure(d)}.")
    lines.append(f"Outcome divergence: {outcome_figure(d)}.")
    lines.append(CHOICES_MEANS)
    lines.append(WORLD_MEANS)
    lines.append("")
    lines.append("Your decisions beside history:")
    for rec in game.decisions():
        lines.append(f"- {rec.date.display()}, {norm(rec.title)} "
                     f"({VERDICTS[rec.verdict]})")
        lines.append(f"    You: {norm(rec.chosen)}")
        if not rec.historical and rec.historical_choices:
            lines.append(f"    History: {norm(rec.historical_choices[0])}")
    reflections = game.reflections()
    if reflections:
        lines += ["", "Your reflections:"]
        for ref in reflections:
            lines.append(f"- {ref.date.display()}, {norm(ref.title)}: {norm(ref.prompt)}")
            lines.append(f"    {norm(ref.answer)}")
    debrief = game.story.campaigns[game.state.campaign].debrief
    if debrief:
        lines += ["", "Questions to talk about:"]
        lines += [f"{n}. {norm(q)}" for n, q in enumerate(debrief, 1)]
    return "\n".join(lines)


def format_save(info: SaveInfo | UnreadableSave) -> str:
    """One line about a saved game (or why it cannot be read), its figures labelled."""
    if isinstance(info, UnreadableSave):
        return f"{info.name}: cannot be read ({info.reason})"
    kind = " (autosave)" if info.autosave else ""
    changed = " [story changed since]" if info.story_changed else ""
    return (f"{info.name}{kind}: {norm(info.scene_title)}, {info.date}; choice divergence "
            f"{percent(info.choice_divergence)}, outcome divergence "
            f"{percent(info.outcome_divergence)}; last played "
            f"{info.updated.astimezone(UTC):%Y-%m-%d %H:%M} UTC{changed}")


# ---- the glossary ------------------------------------------------------------------------------

def glossary_mentions(glossary: Mapping[str, GlossaryEntry], texts: Iterable[str]) -> list[str]:
    """The ids of the entries named in `texts` (by the names they are matched by in the
    interface's text), in order of first mention."""
    ids: dict[str, str] = {}
    for entry in glossary.values():
        for name in entry.match:
            if name:
                ids.setdefault(name, entry.id)
    if not ids:
        return []
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True)))
                         + r")(?!\w)")
    seen: dict[str, None] = {}
    for text in texts:
        for m in pattern.finditer(text):
            seen.setdefault(ids[m.group(1)], None)
    return list(seen)


PLURALS = {"person": "People", "place": "Places", "treaty": "Treaties",
           "organisation": "Organisations", "organization": "Organizations",
           "operation": "Operations", "term": "Terms", "event": "Events"}


def format_glossary_entry(entry: GlossaryEntry) -> str:
    """One entry in full: term, kind and dates, text."""
    sub = norm(entry.kind) + (f", {norm(entry.dates)}" if entry.dates else "")
    return "\n".join([f"== {norm(entry.term)} ==", sub, "", norm(entry.text)])


def format_glossary_list(glossary: Mapping[str, GlossaryEntry],
                         mentioned: Sequence[str] = ()) -> str:
    """Every entry by name: those named in this scene first, then each kind alphabetically."""
    if not glossary:
        return "This story has no glossary."
    lines = [f"Glossary: {len(glossary)} entries. Type 'glossary' and a name or a word to read "
             "an entry, for example 'glossary " + norm(next(iter(glossary.values())).term)
             + "'."]
    here = [glossary[i] for i in mentioned if i in glossary]
    if here:
        lines += ["", "Named in this scene: " + ", ".join(norm(e.term) for e in here) + "."]
    kinds: dict[str, list[GlossaryEntry]] = {}
    for e in search_glossary(glossary.values(), ""):
        kinds.setdefault(e.kind, []).append(e)
    for kind in sorted(kinds, key=lambda k: min(i for i, e in enumerate(glossary.values())
                                               if e.kind == k)):
        label = PLURALS.get(kind, kind.capitalize())
        lines += ["", f"{label} ({len(kinds[kind])}): "
                  + ", ".join(norm(e.term) for e in kinds[kind]) + "."]
    return "\n".join(lines)


def format_glossary_search(glossary: Mapping[str, GlossaryEntry], query: str) -> str:
    """The best match for `query` in full, then the other matches by name, best first; or a
    plain sentence saying nothing matches."""
    q = norm(query)
    found = search_glossary(glossary.values(), q)
    if not found:
        return (f"No glossary entry matches '{q}'. Type 'glossary' for the list of entries.")
    lines = [format_glossary_entry(found[0])]
    others = found[1:]
    if others:
        shown = others[:12]
        more = f", and {len(others) - len(shown)} more" if len(others) > len(shown) else ""
        lines += ["", f"Also matching '{q}' ({len(others)}): "
                  + ", ".join(norm(e.term) for e in shown) + more
                  + ". Type 'glossary' and a name to read that entry."]
    return "\n".join(lines)


# ---- the session -------------------------------------------------------------------------------

@dataclass
class PlainSession:
    """One plain-mode session: the game in progress, the save store and the streams.

    `width` is the column to wrap at (None: no wrapping); with `terminal` the width follows
    the terminal's, read again before each output, so a resized window is wrapped right.
    """

    story: Story
    stdin: TextIO
    stdout: TextIO
    store: SaveStore | None = None
    player: str | None = None
    game: Game | None = None
    seed: int = 0
    width: int | None = None
    terminal: bool = False
    #: When this sitting of this game began: transcripts say the game was played from then
    #: (the game state does not record when a game was first begun).
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def say(self, text: str = "") -> None:
        """The one way out: control characters dropped, each line wrapped at word boundaries."""
        width = terminal_width() if self.terminal else self.width
        out = "\n".join(wrap_line(line, width) for line in clean(text).split("\n"))
        print(out, file=self.stdout, flush=True)

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
        self.say(f"== {norm(self.story.title)} ==")
        self.say()
        self.say("Campaigns:")
        for n, cid in enumerate(ids, 1):
            c = self.story.campaigns[cid]
            self.say(f"{n}. {norm(c.title)}" + (f" ({norm(c.role)})" if c.role else ""))
            self.say(f"   {norm(c.blurb)}")
        latest = self.store.latest() if self.store is not None else None
        if latest is not None:
            self.say(f"Or 'continue' ({norm(latest.scene_title)}, {latest.date}), or 'load NAME'.")
        self.say("Type a campaign's number to begin, or 'help'.")
        commands = [c for c in CAMPAIGN_COMMANDS if latest is not None or c[0] != "continue"]
        while True:
            line = self.ask()
            if line is None:
                return False
            cmd, _, rest = line.partition(" ")
            cmd, rest = cmd.lower(), rest.strip()
            if cmd.isdigit() and 1 <= int(cmd) <= len(ids) and not rest:
                self.game = Game(self.story, ids[int(cmd) - 1], self.seed)
                self.started = datetime.now(UTC)
                return True
            if cmd in ("continue", "c") and latest is not None and not rest:
                if self.load(latest.name):
                    return True
            elif cmd == "load":
                if self.load(rest):
                    return True
            elif cmd == "saves":
                self.list_saves()
            elif cmd in ("glossary", "g"):
                self.glossary(rest)
            elif cmd == "name":
                self.name(rest)
            elif cmd in ("help", "?"):
                self.say(f"Choose a campaign from 1 to {len(ids)} by its number. Commands:")
                self.say(format_commands(commands))
            elif cmd in ("quit", "q", "exit"):
                self.say("Goodbye.")
                return False
            elif cmd == "":
                continue
            elif cmd.isdigit():
                self.say(f"There is no campaign {_quote(cmd)}: the campaigns are numbered 1 to "
                         f"{len(ids)}. " + command_names(commands, len(ids), "a campaign's number"))
            else:
                self.say(f"I don't know '{_quote(line)}'. "
                         + command_names(commands, len(ids), "a campaign's number"))

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
            info = self.store.save(name, self.game, self.player, self.started)
        except SaveError as exc:
            self.say(str(exc))
        else:
            self.say(f"Saved as '{info.name}'.")

    def autosave(self) -> None:
        from moscow1941.engine.saves import SaveError

        if self.store is None or self.game is None:
            return
        try:
            self.store.autosave(self.game, self.player, self.started)
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
        self.started = restored.info.started or restored.info.created
        if restored.player:
            self.player = restored.player
        self.say(f"Loaded '{restored.info.name}'.")
        for change in restored.changes:
            self.say(f"  {change}")
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

    def name(self, name: str) -> None:
        """`name NAME`: the player's name, for the saves and the transcript; `name`: say it."""
        from moscow1941.engine.saves import MAX_PLAYER

        clean_name = norm(clean(name))[:MAX_PLAYER]
        if not clean_name:
            self.say(f"Your name on this game: {self.player}. Type 'name' and another name to "
                     "change it." if self.player else
                     "There is no name on this game yet: type 'name' and your name.")
            return
        self.player = clean_name
        self.say(f"Your name on this game and its transcript: {clean_name}.")
        self.autosave()

    # ---- the glossary and the transcript ---------------------------------------------------
    def glossary(self, query: str) -> None:
        """`glossary`: every entry (this scene's names first); `glossary WORD`: look it up."""
        if query:
            self.say(format_glossary_search(self.story.glossary, query))
            return
        mentioned: list[str] = []
        if self.game is not None:
            scene = self.game.view()
            texts = [scene.title, *scene.paragraphs]
            if scene.ending is not None:
                texts += scene.ending.epilogue
            mentioned = glossary_mentions(self.story.glossary, texts)
        self.say(format_glossary_list(self.story.glossary, mentioned))

    def reflect(self, scene: Scene, chosen: str) -> bool | None:
        """Ask the scene's reflection prompt before taking `chosen`. Returns True once answered
        or skipped, False when the player goes back to the choices, None at end of input."""
        assert self.game is not None
        self.say()
        self.say(f"Before you choose, reflect: {norm(scene.reflect)}")
        self.say(f"  (You chose: {norm(chosen)})")
        self.say("Type a sentence or two and press Enter; Enter alone skips; 'back' returns to "
                 "the choices.")
        while True:
            line = self.ask()
            if line is None:
                return None
            if line.lower() == "back":
                self.say("(back to the choices)")
                return False
            if line.lower() in ("help", "?"):
                self.say("Your answer to the question is saved with the game and printed in your "
                         "transcript. Type it on one line and press Enter; press Enter alone to "
                         "skip the question; type 'back' to choose again.")
                continue
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
        if not self.player:
            self.say("It has no name on it: type 'name' and your name, then 'transcript' again, "
                     "to put your name on it.")

    # ---- playing -------------------------------------------------------------------------
    def show(self, game: Game) -> None:
        """The scene; at an ending, the ending report and what can be done next."""
        scene = game.view()
        self.say(format_scene(scene))
        if scene.ending is not None:
            self.say()
            self.say(format_ending(game))
            self.say()
            self.say("The game is over. Now you can type:")
            self.say(format_commands(ENDING_MENU))
            self.say("('help' lists every command.)")
        elif not scene.choices:
            self.say()
            self.say("The story has no way on from here: type 'undo' to go back, 'new' for a new "
                     "game, or 'quit'.")

    def play(self) -> int:
        """Play until `quit` or end of input (an ending waits for a command: the transcript,
        the timeline, undo, a new game...). Returns the exit status."""
        assert self.game is not None
        show_scene = True
        while True:
            game = self.game
            assert game is not None
            scene = game.view()
            ended = scene.ending is not None
            commands = ENDING_COMMANDS if ended else PLAY_COMMANDS
            if show_scene:
                self.show(game)
            show_scene = False
            line = self.ask()
            if line is None:
                return 0
            cmd, _, rest = line.partition(" ")
            cmd, rest = cmd.lower(), rest.strip()
            if cmd.isdigit() and not rest:
                n = int(cmd)
                if ended:
                    self.say("This is the end of the game: there is no choice to take. "
                             + command_names(commands))
                elif not scene.choices:
                    self.say("There is no choice to take here. " + command_names(commands))
                elif not 1 <= n <= len(scene.choices):
                    self.say(f"There is no choice {_quote(cmd)} here: choose a number from 1 to "
                             f"{len(scene.choices)}. " + command_names(commands,
                                                                        len(scene.choices)))
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
            elif cmd in ("undo", "u") and not rest:
                if game.undo():
                    self.autosave()
                    self.say("(you take back your last choice)")
                    self.say()
                    show_scene = True
                else:
                    self.say("Nothing to undo: this is the start of the game.")
            elif cmd == "save":
                self.save(rest)
            elif cmd == "load":
                show_scene = self.load(rest)
            elif cmd == "saves" and not rest:
                self.list_saves()
            elif cmd in ("history", "h") and rest.lower() in ("", "spoiler", "all"):
                if rest.lower() == "all":
                    self.say(format_history_all(game))
                else:
                    self.say(format_history(game, spoiler=rest.lower() == "spoiler"))
            elif cmd in ("timeline", "t") and rest.lower() in ("", "all"):
                self.say(format_timeline(game, everything=rest.lower() == "all"))
            elif cmd in ("glossary", "g"):
                self.glossary(rest)
            elif cmd in ("status", "s") and not rest:
                self.say(format_status(game))
            elif cmd in ("look", "l") and not rest:
                show_scene = True
            elif cmd == "name":
                self.name(rest)
            elif cmd == "transcript":
                self.transcript(rest.lower() or "html")
            elif cmd == "new" and not rest:
                self.say()
                if not self.pick_campaign():
                    return 0
                self.say()
                show_scene = True
            elif cmd in ("help", "?"):
                self.say("At the end of the game you can type:" if ended else "Commands:")
                self.say(format_commands(commands))
            elif cmd in ("quit", "q", "exit") and not rest:
                self.say("Goodbye.")
                return 0
            elif cmd == "":
                continue
            else:
                self.say(f"I don't know '{_quote(line)}'. "
                         + command_names(commands, None if ended else len(scene.choices)))


def _quote(text: str, limit: int = 40) -> str:
    """What the player typed, quoted back: shortened, on one line."""
    text = norm(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def run_plain(story: Story, campaign: str | None, seed: int, stdin: TextIO, stdout: TextIO,
              store: SaveStore | None = None, player: str | None = None,
              width: int | None = None) -> int:
    """Play in plain text until `quit` or end of input. Returns the exit status.

    With no `campaign`, the player picks one (or continues or loads a save) first. Output to a
    terminal is wrapped to its width; otherwise at `width`, or, when that is None, at
    `COLUMNS` if it is set, else not at all (see docs/playing.md).
    """
    isatty = getattr(stdout, "isatty", None)
    terminal = bool(isatty()) if callable(isatty) else False
    session = PlainSession(story, stdin, stdout, store=store, player=player, seed=seed,
                           width=width if width is not None else pipe_width(),
                           terminal=terminal and width is None)
    if campaign is not None:
        session.game = Game(story, campaign, seed)
    elif len(story.campaigns) == 1 and (store is None or store.latest() is None):
        session.game = Game(story, next(iter(story.campaigns)), seed)
    elif not session.pick_campaign():
        return 0
    return session.play()
