"""The ending: its title and epilogue, both divergence figures, each decision the player made
beside what the real actors did, their reflections, the campaign's debrief questions, and the
export of a transcript to hand in."""

from __future__ import annotations

import os
from datetime import datetime

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from moscow1941.engine import Game
from moscow1941.engine.scene import DecisionRecord, EndingView
from moscow1941.i18n import N_, _
from moscow1941.ui.host import host
from moscow1941.ui.keys import Translated
from moscow1941.ui.messages import GoToTitle
from moscow1941.ui.render import SYMBOLS, bar
from moscow1941.words import (
    CHOICES_MEANS,
    VERDICTS,
    WORLD_MEANS,
    decisions_counted,
    ending_kind,
    events_counted,
    percent,
)


class EndingScreen(Translated, Screen[None]):
    """The ending report, scrollable."""


    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        Binding("t", "timeline", N_("Timeline"), id="timeline"),
        Binding("x", "export", N_("Export transcript"), id="export",
                tooltip=N_("Write a transcript of this game to hand in (printable HTML or "
                           "text)")),
        Binding("m", "menu", N_("Title screen"), id="title"),
    ]
    """Esc goes back to the last scene (where u undoes); t the timeline; x exports a
    transcript; m the title screen."""

    DEFAULT_CSS = """
    #ending-scroll {
        padding: 0 2;
    }
    #ending-scene-title, #ending-scene-text, #ending-epilogue, #ending-figures {
        margin: 1 0 0 0;
    }
    #ending-title {
        margin: 1 0 0 0;
        padding: 1 0 0 0;
        border-top: heavy $primary;
        color: $primary;
    }
    #ending-kind {
        color: $foreground-muted;
    }
    .ending-decision, .ending-reflection, #ending-debrief {
        margin: 1 0 0 0;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def __init__(self, game: Game, ending: EndingView, player: str | None = None,
                 started: datetime | None = None) -> None:
        """The report on `game`, which has come to `ending` (its `view().ending`)."""
        super().__init__()
        self.game = game
        self.ending = ending
        self.player = player
        self.started = started

    def compose(self) -> ComposeResult:
        scene = self.game.view()
        ending = self.ending
        d = scene.divergence
        with VerticalScroll(id="ending-scroll"):
            yield Static(Content.assemble((scene.title, "bold"), "\n", scene.date.display(),
                                          "  ·  ", scene.place), id="ending-scene-title")
            yield Static(Content("\n\n").join(Content(p) for p in scene.paragraphs),
                         id="ending-scene-text")
            yield Static(Content.assemble(_("The end") + "  ·  ", (ending.title, "bold")),
                         id="ending-title")
            yield Static(Content.styled(_(ending_kind(ending.kind) or ending.kind), "italic"),
                         id="ending-kind")
            yield Static(Content("\n\n").join(Content(" ".join(p.split()))
                                              for p in ending.epilogue), id="ending-epilogue")
            # Translators: the labels of the two divergence bars, padded to the same width.
            choices, world = _("Choices (choice divergence)"), _("World (outcome divergence)")
            pad = max(len(choices), len(world)) + 2
            yield Static(Content("\n").join([
                Content.assemble((choices.ljust(pad), "bold"),
                                 (bar(d.choice, 20), "$accent"), f"  {percent(d.choice)}"),
                Content(f"  {decisions_counted(d)}"),
                Content.assemble((world.ljust(pad), "bold"),
                                 (bar(d.outcome, 20), "$accent"), f"  {percent(d.outcome)}"),
                Content(f"  {events_counted(d)}"),
                Content(""),
                Content.styled(_(CHOICES_MEANS), "dim"),
                Content.styled(_(WORLD_MEANS), "dim"),
            ]), id="ending-figures")
            yield Static(Content.styled(_("Your decisions beside history"), "bold"),
                         classes="section-heading")
            for rec in self.game.decisions():
                yield Static(self._decision(rec), classes="ending-decision")
            reflections = self.game.reflections()
            if reflections:
                yield Static(Content.styled(_("Your reflections"), "bold"),
                             classes="section-heading")
                for ref in reflections:
                    yield Static(Content.assemble(
                        (ref.date.display(), "bold"), "  ", ref.title, "\n",
                        (ref.prompt, "italic"), "\n", ref.answer), classes="ending-reflection")
            debrief = self.game.story.campaigns[self.game.state.campaign].debrief
            if debrief:
                yield Static(Content.styled(_("Questions to talk about"), "bold"),
                             classes="section-heading")
                yield Static(Content("\n").join(
                    Content(f"{n}. {q}") for n, q in enumerate(debrief, 1)), id="ending-debrief")
            yield Static(Content.styled(
                _("Press x to export a transcript of this game to hand in."), "italic"),
                classes="hint", id="ending-export-hint")
        yield Footer(compact=True)

    @staticmethod
    def _decision(rec: DecisionRecord) -> Group:
        """A decision: date, title and verdict, then the player's choice and the real one,
        their text wrapped under itself."""
        mark = f"{SYMBOLS[rec.verdict]} {_(VERDICTS[rec.verdict])}"
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=9, no_wrap=True)
        grid.add_column(ratio=1)
        # Translators: labels in a 9-column-wide column: keep them at 8 letters or fewer.
        grid.add_row(Text(_("You:"), style="italic"), Text(rec.chosen))
        if not rec.historical and rec.historical_choices:
            grid.add_row(Text(_("History:"), style="italic"), Text(rec.historical_choices[0]))
        heading = Text.assemble((rec.date.display(), "bold"), "  ", rec.title,
                                ("  " + mark, "italic"))
        return Group(heading, Padding(grid, (0, 0, 0, 2)))

    def on_mount(self) -> None:
        self.query_one("#ending-scroll").focus()

    def action_timeline(self) -> None:
        """Real history beside this game."""
        from moscow1941.ui.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(self.game))

    def action_export(self) -> None:
        """Ask for a format, then write the transcript (and, in a browser, download it)."""
        from moscow1941.ui.screens.dialogs import ExportFormat

        def chosen(fmt: str | None) -> None:
            if fmt is not None:
                self.export(fmt)

        self.app.push_screen(ExportFormat(), chosen)

    def export(self, fmt: str) -> None:
        """Write the transcript in `fmt` ('md' or 'html') to the `transcripts` folder beside the
        saves (the student's own folder when served to browsers, where the teacher collects
        it); in a browser, also download it."""
        import io

        from moscow1941.classroom.export import write_transcript

        store = host(self).store
        try:
            done = write_transcript(self.game, self.player, fmt,
                                    store.folder if store is not None else None, self.started)
        except OSError as exc:
            self.notify(_("The transcript could not be written: {reason}.").format(
                reason=exc.strerror or exc),
                        severity="error", markup=False)
            return
        if self.app.is_web:
            self.app.deliver_text(io.StringIO(done.text), save_filename=done.name,
                                  open_method="download")
            self.notify(_("Your browser is downloading {name}; a copy is kept for your "
                          "teacher.").format(name=done.name), markup=False)
        else:
            self.notify(_("Transcript written to the folder\n{folder}\nas\n{name}").format(
                folder=f"{done.path.parent}{os.sep}", name=done.name), title=_("Transcript"),
                markup=False, timeout=12)

    def action_menu(self) -> None:
        """Back to the title screen."""
        self.post_message(GoToTitle())
