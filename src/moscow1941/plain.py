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
from moscow1941.i18n import N_, _, ngettext, pgettext
from moscow1941.story.model import GlossaryEntry, Story
from moscow1941.story.search import glossary_mentions, search_glossary
from moscow1941.words import (
    CHOICES_MEANS,
    COUNTERFACTUAL_NOTE,
    NEVER_SAW,
    NO_REAL_ACTOR,
    WORLD_MEANS,
    capitalized,
    choice_figure,
    ending_kind,
    events_counted,
    glossary_heading,
    glossary_kind,
    number,
    outcome_figure,
    percent,
    timeline_plain,
    verdict,
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
    ("a number", N_("take that choice")),
    ("undo", N_("take back your last choice")),
    ("save NAME", N_("save the game under NAME")),
    ("load NAME", N_("load the game saved under NAME")),
    ("saves", N_("list your saved games")),
    ("history", N_("what really happened at your last decision")),
    ("history spoiler", N_("what really happened at this decision, before you choose")),
    ("history all", N_("every decision you took beside history, with the notes and sources")),
    ("timeline", N_("real history beside this game: the events so far and the next few")),
    ("timeline all", N_("every event, from first to last")),
    ("glossary", N_("the people, places and terms of the story")),
    ("glossary WORD", N_("look up a name or a term (best match first)")),
    ("status", N_("date, place, your standing and both divergence figures")),
    ("name NAME", N_("put your name on this game and its transcript")),
    ("look", N_("show this scene again")),
    ("transcript", N_("write a transcript of this game to hand in (HTML, to print)")),
    ("transcript md", N_("the same as plain text (Markdown)")),
    ("new", N_("start a new game (this one stays in your saves)")),
    ("help", N_("this list")),
    ("quit", N_("leave the game (it is saved automatically after every choice)")),
)
"""The commands of a scene, for `help`."""

ENDING_COMMANDS: Commands = (
    ("transcript", N_("write the transcript of this game to hand in (HTML, to print)")),
    ("transcript md", N_("the same as plain text (Markdown)")),
    ("look", N_("read the ending and its report again")),
    ("history all", N_("every decision you took beside history, with the notes and sources")),
    ("history", N_("what really happened at your last decision")),
    ("timeline", N_("real history beside this game")),
    ("timeline all", N_("every event, those this game never reached too")),
    ("glossary", N_("the people, places and terms of the story")),
    ("glossary WORD", N_("look up a name or a term (best match first)")),
    ("status", N_("the story's values and both divergence figures")),
    ("name NAME", N_("put your name on this game and its transcript")),
    ("undo", N_("take back your last choice and play on from there")),
    ("save NAME", N_("save this finished game under NAME")),
    ("saves", N_("list your saved games")),
    ("load NAME", N_("load the game saved under NAME")),
    ("new", N_("start a new game")),
    ("help", N_("this list")),
    ("quit", N_("leave the game (this ending stays saved: 'continue' reopens it)")),
)
"""The commands of an ending, for `help` there."""

ENDING_MENU: Commands = tuple(c for c in ENDING_COMMANDS if c[0] in {
    "transcript", "transcript md", "look", "history all", "timeline", "glossary", "undo", "new",
    "quit"})
"""What an ending offers as soon as it is printed (the interface's ending screen: export,
the report, the history notes, the timeline, the glossary, back to undo, a new game, quit)."""

CAMPAIGN_COMMANDS: Commands = (
    ("a number", N_("start that campaign")),
    ("continue", N_("go on with the game you played last")),
    ("load NAME", N_("load the game saved under NAME")),
    ("saves", N_("list your saved games")),
    ("glossary", N_("the people, places and terms of the story")),
    ("glossary WORD", N_("look up a name or a term (best match first)")),
    ("name NAME", N_("put your name on the game you start and its transcript")),
    ("help", N_("this list")),
    ("quit", N_("leave")),
)
"""The commands of the campaign list."""


def command_label(command: str) -> str:
    """A command as the help shows it: the words typed stay English in every language; the
    placeholders (`a number`, `NAME`, `WORD`) are in the current language."""
    if command == "a number":
        # Translators: in the command list, stands for typing a choice's number.
        return _("a number")
    word, sep, rest = command.partition(" ")
    if rest == "NAME":
        # Translators: the placeholder in the command "save NAME" (the command word stays
        # English); the same word as in "save the game under NAME".
        rest = pgettext("placeholder", "NAME")
    elif rest == "WORD":
        # Translators: the placeholder in the command "glossary WORD" (the command word stays
        # English).
        rest = pgettext("placeholder", "WORD")
    return word + sep + rest


def format_commands(commands: Commands) -> str:
    """A command table: each command, and what it does beside it (wrapped under itself). In a
    language other than English, a line after it says the commands are typed in English."""
    labels = [(command_label(c), _(what)) for c, what in commands]
    wide = max(len(c) for c, _what in labels) + 2
    table = "\n".join(f"  {c.ljust(wide)}{what}" for c, what in labels)
    from moscow1941 import i18n

    if i18n.language() != "en":
        table += "\n" + _("Type the commands in English, as they are written here.")
    return table


def command_names(commands: Commands, choices: int | None = None,
                  number: str | None = None) -> str:
    """The commands on one line, for a message that says what can be typed; `choices`: how
    many numbers can be typed (none: no number)."""
    if number is None:
        number = _("a choice number")
    names = []
    for c, _what in commands:
        if c == "a number":
            if choices:
                names.append(_("{what} (1 to {n})").format(what=number, n=choices) if choices > 1
                             else _("{what} (1)").format(what=number))
            continue
        if " " in c and c.split()[0] in {n.split()[0] for n in names}:
            continue  # 'history spoiler' after 'history': the help lists the variants
        names.append(command_label(c))
    # Translators: {commands} is a list of commands, joined by the list separator.
    return _("You can type {commands} or {last}.").format(
        commands=pgettext("list separator", ", ").join(names[:-1]), last=names[-1])


# ---- formatting: each returns logical lines, wrapped by `PlainSession.say` ------------------

def format_scene(scene: Scene) -> str:
    """Title (as a heading in its own case: screen readers spell out capitals letter by letter),
    date and place, text, and numbered choices (locked ones with their reason). Text in a
    right-to-left language stays in logical order: no reshaping, no reordering."""
    lines = [f"== {norm(scene.title)} ==", f"{scene.date.display()} · {norm(scene.place)}", ""]
    for para in scene.paragraphs:
        lines += [norm(para), ""]
    for n, choice in enumerate(scene.choices, 1):
        if choice.enabled:
            lines.append(f"{n}. {norm(choice.text)}")
        else:
            # Translators: a choice that cannot be taken, with the reason in parentheses.
            lines.append(_("{n}. [locked] {choice} ({reason})").format(
                n=n, choice=norm(choice.text), reason=norm(choice.locked_reason or "")))
    return "\n".join(lines).rstrip("\n")


def format_status(game: Game) -> str:
    """The status panel as lines: date, place, visible variables, both divergence figures."""
    scene = game.view()
    d = scene.divergence
    lines = [_("Date: {date}").format(date=scene.date.display()),
             _("Place: {place}").format(place=norm(scene.place))]
    for s in scene.status:
        value = (_("yes") if s.value else _("no")) if s.type == "bool" else s.value
        bounds = (_(" (of {min} to {max})").format(min=s.min, max=s.max)
                  if s.min is not None and s.max is not None else "")
        lines.append(f"{norm(s.label)}: {value}{bounds}")
    lines.append(_("Choice divergence: {figure}").format(figure=choice_figure(d)))
    lines.append(_("Outcome divergence: {figure}").format(figure=outcome_figure(d)))
    return "\n".join(lines)


def _note_lines(date: str, text: str, sources: Iterable[str], head: str) -> list[str]:
    return ([_("{heading} ({date}):").format(heading=head, date=date), norm(text), _("Sources:")]
            + [f"  - {norm(s)}" for s in sources])


def format_history(game: Game, spoiler: bool = False) -> str:
    """The history note of the player's last decision, with what they chose beside what the
    real actors chose; with `spoiler`, the note of the current decision instead."""
    scene = game.view()
    if spoiler:
        if scene.history is None:
            return _("There is no history note for this scene.")
        note = scene.history
        return "\n".join([_("What really happened ({date}), before you choose:").format(
                              date=note.date.display()),
                          norm(note.text), _("Sources:")]
                         + [f"  - {norm(s)}" for s in note.sources])
    records = game.decisions()
    lines: list[str] = []
    if records:
        rec = records[-1]
        node = game.story.nodes[rec.node_id]
        lines.append(_("Your last decision: {title} ({date})").format(
            title=norm(rec.title), date=rec.date.display()))
        lines.append("  " + _("You: {choice}").format(choice=norm(rec.chosen)))
        if rec.counterfactual:
            lines.append("  " + _("{no_actor}: {never_saw}. {note}.").format(
                no_actor=capitalized(_(NO_REAL_ACTOR)), never_saw=_(NEVER_SAW),
                note=capitalized(_(COUNTERFACTUAL_NOTE))))
        elif rec.historical:
            lines.append("  " + _("The real actors made the same choice."))
        elif rec.historical_choices:
            lines.append("  " + _("History: {choice}").format(choice=norm(rec.historical_choices[0])))
        if node.history is not None:
            lines += _note_lines(node.history.date.display(), node.history.text,
                                 node.history.sources, _("What really happened"))
    else:
        lines.append(_("You have not taken a decision yet."))
    if scene.history is not None and scene.ending is None:
        lines.append("")
        lines.append(_("This scene is a decision too: type 'history spoiler' to read what really "
                       "happened here before you choose."))
    return "\n".join(lines)


def format_history_all(game: Game) -> str:
    """Every decision taken so far, beside the real one, each with its history note."""
    records = game.decisions()
    if not records:
        return _("You have not taken a decision yet.")
    lines = [ngettext("Your {n} decision beside history:", "Your {n} decisions beside history:",
                      len(records)).format(n=number(len(records)))]
    for n, rec in enumerate(records, 1):
        node = game.story.nodes[rec.node_id]
        lines += ["", _("{n}. {title}, {date} ({verdict})").format(
                      n=n, title=norm(rec.title), date=rec.date.display(),
                      verdict=verdict(rec.verdict)),
                  "   " + _("You: {choice}").format(choice=norm(rec.chosen))]
        if not rec.historical and rec.historical_choices and not rec.counterfactual:
            lines.append("   " + _("History: {choice}").format(
                choice=norm(rec.historical_choices[0])))
        if node.history is not None:
            lines.append("   " + _("What really happened ({date}): {text}").format(
                date=node.history.date.display(), text=norm(node.history.text)))
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
    # Translators: {total} chooses the form (English says "events" even for one).
    lines = [ngettext("Timeline: {settled} of {total} events settled so far; {counted} in this "
                      "game.",
                      "Timeline: {settled} of {total} events settled so far; {counted} in this "
                      "game.", d.events_total).format(
                 settled=number(d.events_settled), total=number(d.events_total),
                 counted=events_counted(d))]
    for e in shown:
        lines.append(f"{e.date.display()}: {norm(e.title)} [{timeline_plain(e.status)}]")
        lines.append("    " + _("History: {text}").format(text=norm(e.happened)))
        if e.status == "diverged":
            lines.append("    " + _("This game: {text}").format(text=norm(e.this_game)))
    hidden = len(entries) - len(shown)
    if hidden and ended:
        lines.append(ngettext("{n} later event was not reached in this game: type 'timeline all' "
                              "to list every event.",
                              "{n} later events were not reached in this game: type 'timeline "
                              "all' to list every event.", hidden).format(n=number(hidden)))
    elif hidden:
        lines.append(ngettext("{n} more event not shown: type 'timeline all' to list every event.",
                              "{n} more events not shown: type 'timeline all' to list every "
                              "event.", hidden).format(n=number(hidden)))
    return "\n".join(lines)


def format_ending(game: Game) -> str:
    """The ending report: title, kind, epilogue, both figures, each decision beside history,
    the player's reflections and the campaign's questions."""
    scene = game.view()
    if scene.ending is None:
        return _("The game has not ended.")
    d = scene.divergence
    lines = ["== " + _("The end: {title}").format(title=norm(scene.ending.title)) + " ==",
             ending_kind(scene.ending.kind) or scene.ending.kind, ""]
    for para in scene.ending.epilogue:
        lines += [norm(para), ""]
    lines.append(_("Choice divergence: {figure}.").format(figure=choice_figure(d)))
    lines.append(_("Outcome divergence: {figure}.").format(figure=outcome_figure(d)))
    lines.append(_(CHOICES_MEANS))
    lines.append(_(WORLD_MEANS))
    lines.append("")
    lines.append(_("Your decisions beside history:"))
    for rec in game.decisions():
        lines.append("- " + _("{date}, {title} ({verdict})").format(
            date=rec.date.display(), title=norm(rec.title), verdict=verdict(rec.verdict)))
        lines.append("    " + _("You: {choice}").format(choice=norm(rec.chosen)))
        if not rec.historical and rec.historical_choices:
            lines.append("    " + _("History: {choice}").format(
                choice=norm(rec.historical_choices[0])))
    reflections = game.reflections()
    if reflections:
        lines += ["", _("Your reflections:")]
        for ref in reflections:
            lines.append(f"- {ref.date.display()}, {norm(ref.title)}: {norm(ref.prompt)}")
            lines.append(f"    {norm(ref.answer)}")
    debrief = game.story.campaigns[game.state.campaign].debrief
    if debrief:
        lines += ["", _("Questions to talk about:")]
        lines += [f"{n}. {norm(q)}" for n, q in enumerate(debrief, 1)]
    return "\n".join(lines)


def format_save(info: SaveInfo | UnreadableSave) -> str:
    """One line about a saved game (or why it cannot be read), its figures labelled."""
    if isinstance(info, UnreadableSave):
        return _("{name}: cannot be read ({reason})").format(name=info.name, reason=info.reason)
    from moscow1941 import i18n

    kind = _(" (autosave)") if info.autosave else ""
    changed = _(" [story changed since]") if info.story_changed else ""
    when = (f"{info.updated.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if i18n.language() == "en"
            else i18n.format_moment(info.updated))
    return _("{name}{kind}: {scene}, {date}; choice divergence {choice}, outcome divergence "
             "{outcome}; last played {when}{changed}").format(
        name=info.name, kind=kind, scene=norm(info.scene_title), date=info.date,
        choice=percent(info.choice_divergence), outcome=percent(info.outcome_divergence),
        when=when, changed=changed)


# ---- the glossary ------------------------------------------------------------------------------




def format_glossary_entry(entry: GlossaryEntry) -> str:
    """One entry in full: term, kind and dates, text."""
    kind = norm(glossary_kind(entry.kind))
    sub = _("{kind}, {dates}").format(kind=kind, dates=norm(entry.dates)) if entry.dates else kind
    return "\n".join([f"== {norm(entry.term)} ==", sub, "", norm(entry.text)])


def format_glossary_list(glossary: Mapping[str, GlossaryEntry],
                         mentioned: Sequence[str] = ()) -> str:
    """Every entry by name: those named in this scene first, then each kind alphabetically."""
    if not glossary:
        return _("This story has no glossary.")
    sep = pgettext("list separator", ", ")
    lines = [ngettext("Glossary: {n} entry. Type 'glossary' and a name or a word to read an "
                      "entry, for example 'glossary {example}'.",
                      "Glossary: {n} entries. Type 'glossary' and a name or a word to read an "
                      "entry, for example 'glossary {example}'.", len(glossary)).format(
                 n=number(len(glossary)), example=norm(next(iter(glossary.values())).term))]
    here = [glossary[i] for i in mentioned if i in glossary]
    if here:
        lines += ["", _("Named in this scene: {names}.").format(
            names=sep.join(norm(e.term) for e in here))]
    kinds: dict[str, list[GlossaryEntry]] = {}
    for e in search_glossary(glossary.values(), ""):
        kinds.setdefault(e.kind, []).append(e)
    for kind in sorted(kinds, key=lambda k: min(i for i, e in enumerate(glossary.values())
                                               if e.kind == k)):
        label = glossary_heading(kind)
        lines += ["", _("{kind} ({n}): {names}.").format(
            kind=label, n=number(len(kinds[kind])), names=sep.join(norm(e.term) for e in kinds[kind]))]
    return "\n".join(lines)


def format_glossary_search(glossary: Mapping[str, GlossaryEntry], query: str) -> str:
    """The best match for `query` in full, then the other matches by name, best first; or a
    plain sentence saying nothing matches."""
    q = norm(query)
    found = search_glossary(glossary.values(), q)
    if not found:
        return _("No glossary entry matches '{query}'. Type 'glossary' for the list of "
                 "entries.").format(query=q)
    lines = [format_glossary_entry(found[0])]
    others = found[1:]
    if others:
        shown = others[:12]
        more = (_(", and {n} more").format(n=number(len(others) - len(shown)))
                if len(others) > len(shown) else "")
        lines += ["", _("Also matching '{query}' ({n}): {names}{more}. Type 'glossary' and a name "
                        "to read that entry.").format(
            query=q, n=number(len(others)),
            names=pgettext("list separator", ", ").join(norm(e.term) for e in shown), more=more)]
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
            self.say(_("(end of input: leaving the game)"))
            return None
        return line.strip()

    # ---- starting ------------------------------------------------------------------------
    def pick_campaign(self) -> bool:
        """Ask which campaign to play (or to continue or load a save). False: nothing chosen."""
        ids = list(self.story.campaigns)
        self.say(f"== {norm(self.story.title)} ==")
        self.say()
        self.say(_("Campaigns:"))
        for n, cid in enumerate(ids, 1):
            c = self.story.campaigns[cid]
            self.say(f"{n}. {norm(c.title)}" + (f" ({norm(c.role)})" if c.role else ""))
            self.say(f"   {norm(c.blurb)}")
        latest = self.store.latest() if self.store is not None else None
        if latest is not None:
            self.say(_("Or 'continue' ({scene}, {date}), or 'load {name}'.").format(
                scene=norm(latest.scene_title), date=latest.date,
                name=pgettext("placeholder", "NAME")))
        self.say(_("Type a campaign's number to begin, or 'help'."))
        commands = [c for c in CAMPAIGN_COMMANDS if latest is not None or c[0] != "continue"]
        while True:
            line = self.ask()
            if line is None:
                return False
            cmd, _sep, rest = line.partition(" ")
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
                self.say(_("Choose a campaign from 1 to {n} by its number. Commands:").format(
                    n=len(ids)))
                self.say(format_commands(commands))
            elif cmd in ("quit", "q", "exit"):
                self.say(_("Goodbye."))
                return False
            elif cmd == "":
                continue
            elif cmd.isdigit():
                self.say(_("There is no campaign {typed}: the campaigns are numbered 1 to {n}.")
                         .format(typed=_quote(cmd), n=len(ids)) + " "
                         + command_names(commands, len(ids), _("a campaign's number")))
            else:
                self.say(_("I don't know '{typed}'.").format(typed=_quote(line)) + " "
                         + command_names(commands, len(ids), _("a campaign's number")))

    # ---- saves ---------------------------------------------------------------------------
    def save(self, name: str) -> None:
        from moscow1941.engine.saves import SaveError

        if self.store is None or self.game is None:
            self.say(_("Saving is not available."))
            return
        if not name:
            self.say(_("Give the save a name: save {name}").format(
                name=pgettext("placeholder", "NAME")))
            return
        try:
            info = self.store.save(name, self.game, self.player, self.started)
        except SaveError as exc:
            self.say(str(exc))
        else:
            self.say(_("Saved as '{name}'.").format(name=info.name))

    def autosave(self) -> None:
        from moscow1941.engine.saves import SaveError

        if self.store is None or self.game is None:
            return
        try:
            self.store.autosave(self.game, self.player, self.started)
        except SaveError as exc:
            self.say(_("(autosave failed: {reason})").format(reason=exc))

    def load(self, name: str) -> bool:
        from moscow1941.engine.saves import SaveError

        if self.store is None:
            self.say(_("Loading is not available."))
            return False
        if not name:
            self.say(_("Say which save to load: load {name} (type 'saves' for the list)").format(
                name=pgettext("placeholder", "NAME")))
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
        self.say(_("Loaded '{name}'.").format(name=restored.info.name))
        for change in restored.changes:
            self.say(f"  {change}")
        return True

    def list_saves(self) -> None:
        if self.store is None:
            self.say(_("Saving is not available."))
            return
        saves = self.store.list()
        if not saves:
            self.say(_("No saved games yet."))
        for info in saves:
            self.say(format_save(info))

    def name(self, name: str) -> None:
        """`name NAME`: the player's name, for the saves and the transcript; `name`: say it."""
        from moscow1941.engine.saves import MAX_PLAYER

        clean_name = norm(clean(name))[:MAX_PLAYER]
        if not clean_name:
            self.say(_("Your name on this game: {name}. Type 'name' and another name to "
                       "change it.").format(name=self.player) if self.player else
                     _("There is no name on this game yet: type 'name' and your name."))
            return
        self.player = clean_name
        self.say(_("Your name on this game and its transcript: {name}.").format(name=clean_name))
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
        self.say(_("Before you choose, reflect: {prompt}").format(prompt=norm(scene.reflect)))
        self.say("  " + _("(You chose: {choice})").format(choice=norm(chosen)))
        self.say(_("Type a sentence or two and press Enter; Enter alone skips; 'back' returns to "
                   "the choices."))
        while True:
            line = self.ask()
            if line is None:
                return None
            if line.lower() == "back":
                self.say(_("(back to the choices)"))
                return False
            if line.lower() in ("help", "?"):
                self.say(_("Your answer to the question is saved with the game and printed in "
                           "your transcript. Type it on one line and press Enter; press Enter "
                           "alone to skip the question; type 'back' to choose again."))
                continue
            self.game.reflect(line)
            return True

    def transcript(self, fmt: str) -> None:
        """Write a transcript of the game so far to the `transcripts` folder beside the saves."""
        from moscow1941.classroom.export import write_transcript

        assert self.game is not None
        if fmt not in ("html", "md"):
            self.say(_("Type 'transcript' for HTML (to print) or 'transcript md' for text."))
            return
        try:
            done = write_transcript(self.game, self.player, fmt,
                                    self.store.folder if self.store is not None else None,
                                    self.started)
        except OSError as exc:
            self.say(_("The transcript could not be written: {reason}.").format(
                reason=exc.strerror or exc))
            return
        self.say(_("Transcript written to {path}").format(path=done.path))
        if not self.player:
            self.say(_("It has no name on it: type 'name' and your name, then 'transcript' "
                       "again, to put your name on it."))

    # ---- playing -------------------------------------------------------------------------
    def show(self, game: Game) -> None:
        """The scene; at an ending, the ending report and what can be done next."""
        scene = game.view()
        self.say(format_scene(scene))
        if scene.ending is not None:
            self.say()
            self.say(format_ending(game))
            self.say()
            self.say(_("The game is over. Now you can type:"))
            self.say(format_commands(ENDING_MENU))
            self.say(_("('help' lists every command.)"))
        elif not scene.choices:
            self.say()
            self.say(_("The story has no way on from here: type 'undo' to go back, 'new' for a "
                       "new game, or 'quit'."))

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
            cmd, _sep, rest = line.partition(" ")
            cmd, rest = cmd.lower(), rest.strip()
            if cmd.isdigit() and not rest:
                n = int(cmd)
                if ended:
                    self.say(_("This is the end of the game: there is no choice to take.") + " "
                             + command_names(commands))
                elif not scene.choices:
                    self.say(_("There is no choice to take here.") + " "
                             + command_names(commands))
                elif not 1 <= n <= len(scene.choices):
                    self.say(_("There is no choice {typed} here: choose a number from 1 to {n}.")
                             .format(typed=_quote(cmd), n=len(scene.choices)) + " "
                             + command_names(commands, len(scene.choices)))
                elif not scene.choices[n - 1].enabled:
                    self.say(_("That choice is locked: {reason}").format(
                        reason=scene.choices[n - 1].locked_reason))
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
                    self.say(_("(you take back your last choice)"))
                    self.say()
                    show_scene = True
                else:
                    self.say(_("Nothing to undo: this is the start of the game."))
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
                self.say(_("At the end of the game you can type:") if ended else _("Commands:"))
                self.say(format_commands(commands))
            elif cmd in ("quit", "q", "exit") and not rest:
                self.say(_("Goodbye."))
                return 0
            elif cmd == "":
                continue
            else:
                self.say(_("I don't know '{typed}'.").format(typed=_quote(line)) + " "
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
