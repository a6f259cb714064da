"""The play screen: where the game is played. It asks the `Game` for a `Scene`, draws it, and
sends back the player's choice; every rule stays in the engine."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from time import monotonic, perf_counter

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from moscow1941.engine import ChoiceView, Game, Scene
from moscow1941.i18n import N_, _, ngettext
from moscow1941.ui.host import host
from moscow1941.ui.keys import Translated
from moscow1941.ui.messages import GoToTitle
from moscow1941.ui.render import GlossaryLinker, scene_text
from moscow1941.ui.widgets.choice_list import ENDING_OPTION, ChoiceList
from moscow1941.ui.widgets.scene_header import SceneHeader
from moscow1941.ui.widgets.status_panel import StatusPanel

CLOCK = perf_counter if sys.platform == "win32" else monotonic
"""The clock Textual stamps every event with (`Message.time`)."""

CHOICE_KEYS = frozenset({"enter", *(str(n) for n in range(1, 10))})
"""The keys that take a choice (Enter on the highlighted one, or its number)."""


class PlayScreen(Translated, Screen[None]):
    """One game in progress: header, scene text, choices, status panel and footer.

    A choice is only taken for the scene that was on the screen when it was asked for: a key
    pressed, or a click made, before the scene now shown was drawn (the second press of a quick
    double press, the second click of a double click) is ignored, so nobody decides at a scene
    they never saw."""

    BINDINGS = [
        Binding("1", "choose(1)", N_("Choose"), key_display="1-9", id="choose-1"),
        *(Binding(str(n), f"choose({n})", f"Choose {n}", show=False, id=f"choose-{n}")
          for n in range(2, 10)),
        # Translators: the footer's key descriptions of the play screen are short: at 80
        # columns all of them must fit on one line (Choose, Undo, History, Timeline, Glossary,
        # Save, Load, Menu, Help: 49 letters in all in English, and no more in translation).
        Binding("u", "undo", N_("Undo"), id="undo"),
        Binding("h", "history", N_("History"), id="history",
                tooltip=N_("What really happened at this decision")),
        Binding("t", "timeline", N_("Timeline"), id="timeline",
                tooltip=N_("Real history beside this game")),
        Binding("g", "glossary", N_("Glossary"), id="glossary",
                tooltip=N_("People, places and terms")),
        Binding("s", "save", N_("Save"), id="save", tooltip=N_("Save this game under a name")),
        Binding("l", "load", N_("Load"), id="load", tooltip=N_("Open the saved games")),
        Binding("escape", "menu", N_("Menu"), id="menu",
                tooltip=N_("Back to the title screen (the game is saved after every choice)")),
        Binding("v", "variables", N_("Variables"), show=False, id="variables",
                tooltip=N_("Author mode: every variable and where the game is")),
        # The scene's text scrolls with a reader's keys even though the choices have the focus
        # (priority: the choice list would otherwise take PgUp/PgDn/Home/End for its cursor).
        Binding("pageup", "scroll_text('up')", N_("Scroll up"), show=False, id="text-up",
                priority=True),
        Binding("pagedown,space", "scroll_text('down')", N_("Scroll down"), show=False,
                id="text-down", priority=True),
        Binding("home", "scroll_text('home')", N_("Top of the scene"), show=False,
                id="text-home", priority=True),
        Binding("end", "scroll_text('end')", N_("End of the scene"), show=False, id="text-end",
                priority=True),
    ]
    """1-9 choose; u undo; h/t/g/s/l open the screens around play; Esc the title screen;
    PgUp/PgDn/space/Home/End scroll the scene's text."""

    # Translators: the title of the choices' frame while the scene goes on below; keep it
    # under 40 characters. PgDn is the key's name.
    MORE = N_("▼ more of the scene: PgDn")
    """The choice frame's title while some of the scene's text is below the fold."""

    def __init__(self, game: Game, player: str | None = None,
                 started: datetime | None = None, *, linker: GlossaryLinker | None = None,
                 author: bool = False) -> None:
        """Play `game` under `player`'s name; `linker` links the glossary's names in the
        text (by default one made from the story's glossary); `author` shows node ids and
        offers the variable inspector."""
        super().__init__()
        self.game = game
        self.linker = linker or GlossaryLinker(game.story.glossary)
        self.author = author
        self.player = player
        self.scene: Scene = game.view()
        self.shown_at = CLOCK()
        """When the scene now on the screen was drawn (`CLOCK`): input older than this was
        meant for the scene before."""
        #: When the game was begun (kept in its saves): transcripts say it was played from then.
        self.started = started or datetime.now(UTC)

    def compose(self) -> ComposeResult:
        yield SceneHeader(id="scene-header")
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                with VerticalScroll(id="story"):
                    yield Static(id="scene-title")
                    yield Static(id="scene-text")
                yield ChoiceList(id="choices", classes="framed")
            with VerticalScroll(id="status-scroll", can_focus=False):
                yield StatusPanel(id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        story = self.query_one("#story", VerticalScroll)
        self.watch(story, "scroll_y", self._mark_more, init=False)
        self.watch(story, "virtual_size", self._mark_more, init=False)
        self.show_scene()

    def on_resize(self) -> None:
        self.call_after_refresh(self._mark_more)

    def _mark_more(self, _value: object = None) -> None:
        """Say on the choices' frame when the scene goes on below the fold, so that nobody
        chooses without having seen a paragraph."""
        story = self.query_one("#story", VerticalScroll)
        more = story.max_scroll_y > 0 and story.scroll_y < story.max_scroll_y
        self.query_one(ChoiceList).border_title = _(self.MORE) if more else None

    # ---- drawing -------------------------------------------------------------------------
    def show_scene(self, reveal: bool = False) -> None:
        """Ask the game for the current scene and draw all of it."""
        scene = self.scene = self.game.view()
        self.shown_at = CLOCK()
        self.query_one(SceneHeader).show(scene, self.player)
        title = Content.styled(scene.title, "bold")
        if self.author:
            title = Content.assemble(title, "  ", (f"[{scene.node_id}]", "dim"))
        self.query_one("#scene-title", Static).update(title)
        self.query_one("#scene-text", Static).update(scene_text(scene, self.linker))
        self.query_one(StatusPanel).show(scene)
        choices = self.query_one(ChoiceList)
        choices.show(scene)
        choices.focus()
        story = self.query_one("#story", VerticalScroll)
        story.scroll_home(animate=False)
        self.call_after_refresh(self._mark_more)
        if reveal and host(self).reveal:
            story.styles.opacity = 0.0
            story.styles.animate("opacity", 1.0, duration=0.4)

    # ---- choosing ------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if getattr(event.option, "scene", None) is not self.scene:
            return  # chosen on the list of a scene no longer shown (a click or Enter queued)
        if event.option.id == ENDING_OPTION:
            self.action_ending()
        elif event.option.id is not None:
            self.action_choose(int(event.option.id))

    def action_choose(self, n: int) -> None:
        """Take the choice shown as number `n`; a locked choice only says why it is locked."""
        scene = self.scene
        if scene.ending is not None:
            if n == 1:
                self.action_ending()
            return
        if not 1 <= n <= len(scene.choices):
            count = len(scene.choices)
            self.notify(ngettext("There is no choice {n} here: this scene has {count} choice.",
                                 "There is no choice {n} here: this scene has {count} choices.",
                                 count).format(n=n, count=count), markup=False)
            return
        choice: ChoiceView = scene.choices[n - 1]
        if not choice.enabled:
            self.notify(_("That choice is locked: {reason}").format(
                reason=choice.locked_reason or _("not available")),
                        severity="warning", markup=False)
            return
        if scene.reflect:
            from moscow1941.ui.screens.dialogs import ReflectionPrompt

            def answered(answer: str | None) -> None:
                if answer is not None and self.scene is scene:
                    self.game.reflect(answer)
                    self.take(choice)

            self.app.push_screen(ReflectionPrompt(scene.reflect, choice.text, scene.reflection),
                                 answered)
            return
        self.take(choice)

    def replace_game(self, game: Game, linker: GlossaryLinker | None = None) -> None:
        """Author mode, after a live reload: play `game` (the same path on the reloaded
        story) from here on, with the reloaded story's `linker`, and draw it."""
        self.game = game
        self.linker = linker or GlossaryLinker(game.story.glossary)
        self.show_scene()

    def keep_answer(self, answer: str) -> list[str]:
        """Author mode, after a live reload closed an open reflection prompt: keep the typed
        `answer` for this scene if it still asks for one (the prompt offers it again), else
        hand it back in the message, so no typing is lost. Returns lines for the message."""
        if not answer.strip():
            return []
        if self.scene.reflect:
            self.game.reflect(answer)
            self.scene = self.game.view()
            self.query_one(ChoiceList).show(self.scene)  # the choices offered at this scene
            return [_("the reflection prompt was closed by the reload; your answer is kept and "
                      "offered again when you choose")]
        return [_("the reflection prompt was closed by the reload; your answer was: {answer}")
                .format(answer=answer)]

    def take(self, choice: ChoiceView) -> None:
        """Take `choice`, draw the next scene and save."""
        self.game.choose(choice.index)
        self.show_scene(reveal=True)
        self.autosave()
        if self.game.ended:
            self.action_ending()

    def autosave(self) -> None:
        """Save the game in an autosave slot (after every choice and undo), off the UI thread:
        a slow disk never delays the next page."""
        if host(self).store is not None:
            host(self).autosave(self.game.fork(), self.player, self.started)

    def action_undo(self) -> None:
        """Take back the last choice."""
        if self.game.undo():
            self.show_scene()
            self.autosave()
        else:
            self.notify(_("Nothing to undo: this is the start of the game."), markup=False)

    def action_scroll_text(self, where: str) -> None:
        """Scroll the scene text: a page `up` or `down`, or to its `home` or `end`."""
        story = self.query_one("#story", VerticalScroll)
        if where == "up":
            story.scroll_page_up(animate=False)
        elif where == "down":
            story.scroll_page_down(animate=False)
        elif where == "home":
            story.scroll_home(animate=False)
        else:
            story.scroll_end(animate=False)

    def stale(self, event: events.Key) -> bool:
        """Whether `event` is a choice key pressed before this scene was drawn (meant for the
        scene before): the App drops it before its keys are looked up."""
        return event.key in CHOICE_KEYS and event.time < self.shown_at

    def on_key(self, event: events.Key) -> None:
        """A letter that does nothing here says so, with the keys that do something, instead
        of nothing happening at all."""
        if event.character is None or not event.character.isprintable() or event.key == "space":
            return
        if event.key in self.active_bindings:
            return
        event.stop()
        self.notify(_("The key ‘{key}’ does nothing here. 1–9 choose, u undoes, "
                      "h t g s l open history, timeline, glossary, save and load, Esc is the "
                      "menu, ? is help, ctrl+q quits.").format(key=event.character),
                    markup=False, timeout=6)

    # ---- the screens around play ----------------------------------------------------------
    def action_ending(self) -> None:
        """Open the ending report (only at an ending)."""
        from moscow1941.ui.screens.ending import EndingScreen

        ending = self.game.view().ending
        if ending is not None:
            self.app.push_screen(EndingScreen(self.game, ending, self.player, self.started))

    def action_history(self) -> None:
        """What really happened at this decision, and at the last one."""
        from moscow1941.ui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.game))

    def action_timeline(self) -> None:
        """Real history and this game, side by side."""
        from moscow1941.ui.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(self.game))

    def action_glossary(self, entry_id: str | None = None) -> None:
        """The glossary, with this scene's names first (names linked in the text open their
        entry through this action)."""
        from moscow1941.ui.screens.glossary import GlossaryScreen

        mentioned = self.linker.mentions((self.scene.title, *self.scene.paragraphs))
        self.app.push_screen(GlossaryScreen(self.game.story.glossary, mentioned, entry_id))

    def action_save(self) -> None:
        """Save under a name the player types."""
        from moscow1941.ui.screens.saves import save_game

        save_game(self, self.game, self.player, started=self.started)

    def action_load(self) -> None:
        """Open the saved games."""
        from moscow1941.ui.screens.saves import SavesScreen

        self.app.push_screen(SavesScreen(game=self.game, player=self.player,
                                         started=self.started))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The variable inspector exists only in author mode."""
        if action == "variables":
            return self.author
        return True

    def action_variables(self) -> None:
        """Author mode: every variable and where the game is."""
        from moscow1941.ui.screens.variables import VariablesScreen

        if self.author:
            self.app.push_screen(VariablesScreen(self.game))

    def jump(self, node_id: str) -> None:
        """Author mode: go straight to a node (the engine records the jump)."""
        from moscow1941.ui.screens.variables import VariablesScreen

        while isinstance(self.app.screen, VariablesScreen):
            self.app.pop_screen()
        self.game.jump(node_id)
        self.show_scene()

    def action_menu(self) -> None:
        """Back to the title screen."""
        self.post_message(GoToTitle())

    def rebuilt(self) -> PlayScreen:
        """This game, at the same scene, on the story as now loaded (after a change of
        language: the same story in other words), on a new screen."""
        story = host(self).story
        game = self.game
        if story is not None and story is not game.story:
            state = game.state
            other, applied = Game.replay(story, state.campaign, state.seed, state.path)
            if applied == len(state.path):
                other.restore_reflections(state.reflections)
                game = other
        linker = getattr(self.app, "linker", None) if game.story is story else self.linker
        return PlayScreen(game, self.player, self.started, linker=linker, author=self.author)
