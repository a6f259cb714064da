"""`Moscow1941App`: the Textual application. It loads the story behind the first frame, owns the
save store and the settings, and moves between screens. It holds no game rule: games are
`moscow1941.engine.Game`s, asked for `Scene`s and told choices."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen

from moscow1941 import i18n
from moscow1941.i18n import N_, _
from moscow1941.ui import rtl
from moscow1941.ui.keys import translate_bindings
from moscow1941.ui.messages import GoToTitle, SignedIn, StartGame
from moscow1941.ui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from moscow1941.ui.settings import Settings
from moscow1941.ui.themes import THEMES

if TYPE_CHECKING:
    # Imported when first needed, after the title screen is painted: the story package pulls
    # in PyYAML and the loader, which would delay the first frame.
    from moscow1941.authoring.reload import StoryWatcher
    from moscow1941.classroom.students import Student
    from moscow1941.engine import Game
    from moscow1941.engine.saves import SaveStore
    from moscow1941.story import LoadResult, Story
    from moscow1941.ui.host import GameHost
    from moscow1941.ui.render import GlossaryLinker

__all__ = ["MIN_HEIGHT", "MIN_WIDTH", "Moscow1941App"]

CLASSROOM_BLOCKED = frozenset({"screenshot", "suspend_process"})
"""Textual's own actions that classroom mode refuses: a screenshot is a file the server would
deliver or write outside the student's folder, and a served game cannot be suspended."""


class Moscow1941App(App[None]):
    """The terminal game: title, play, and the screens around play."""

    CSS_PATH = "moscow1941.tcss"
    TITLE = N_("Moscow 1941")

    BINDINGS = [
        Binding("f1,question_mark", "help", N_("Help"), key_display="?", id="help"),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, id="quit", priority=True),
    ]
    """App-wide keys: help and quit. Screens add their own."""

    def __init__(self, story_root: str | Path | None = None, *, story: Story | None = None,
                 campaign: str | None = None, seed: int = 0, saves: str | Path | None = None,
                 settings: Settings | None = None, settings_path: Path | None = None,
                 autosaves: int = 5, author: bool = False, classroom: Path | None = None,
                 class_label: str | None = None, language: str | None = None) -> None:
        """Either `story_root` (loaded in a thread after the first frame) or a loaded `story`.

        `campaign` skips the title screen; `saves` is the saves folder as given on the
        command line (None: the usual search); `settings_path` None keeps settings in memory.
        `author` turns on author mode: node ids, the variable inspector, jumps, live reload.

        `classroom` is a class folder (`moscow1941 serve`): the game opens on the sign-in
        screen, then keeps the saves and settings in the student's own folder inside it
        (`saves`, `settings_path`, `campaign` and `author` are ignored), and nothing on the
        screen reaches another folder of the server. `class_label` is the class's name as the
        teacher gave it.

        `language` (the command line's `--lang`; in classroom mode, the class's language,
        which each student may change when signing in) overrides the language stored in the
        settings, which overrides the environment's (`i18n.from_environment`). A language
        the game does not speak gives English.
        """
        super().__init__()
        self.story_root = str(story_root) if story_root is not None else None
        self.story: Story | None = story
        self.load_error: str | None = None
        self.start_campaign = campaign
        self.seed = seed
        self.saves_arg = str(saves) if saves is not None else None
        self.settings = settings or Settings()
        self.language_arg = language
        """The language asked for on the command line (None: the settings decide)."""
        self.language = i18n.set_language(language or self.settings.language
                                          or i18n.from_environment())
        """The language the game speaks now (`i18n.language()`)."""
        rtl.activate(i18n.is_rtl(self.language))
        translate_bindings(self)
        self.title = _(self.TITLE)
        if story is not None and story.language != self.language and story_root is not None:
            self.story = None  # loaded again, in this language, after the first frame
        self.settings_path = settings_path
        self.autosave_count = autosaves
        self.store: SaveStore | None = None
        self.store_error: str | None = None
        self.linker: GlossaryLinker | None = None
        self._autosaves: queue.Queue[tuple[Game, str | None, datetime | None]] = queue.Queue()
        self._autosaver: threading.Thread | None = None
        self.classroom = Path(classroom) if classroom is not None else None
        self.class_label = class_label or (self.classroom.name if self.classroom else "")
        self.student: Student | None = None
        """The signed-in student, in classroom mode."""
        self.welcome = ""
        """The title screen's welcome to the signed-in student (classroom mode)."""
        self.last_player: str | None = None
        """The name given for the last game begun in this sitting."""
        if self.classroom is not None:
            self.saves_arg, self.settings_path, author = None, None, False
            self.start_campaign = None
        self.author = author
        self.watcher: StoryWatcher | None = None
        for theme in THEMES:
            self.register_theme(theme)
        self._set_initial_theme(self.settings.theme if self.settings.theme in
                                self.available_themes else THEMES[0].name)

    def _set_initial_theme(self, name: str) -> None:
        """Choose the theme before the stylesheet is first built. Assigning `self.theme` here
        would also queue a full restyle before the first frame, costing start-up time."""
        self.set_reactive(App.theme, name)
        dark = self.current_theme.dark
        self.set_class(dark, "-dark-mode")
        self.set_class(not dark, "-light-mode")
        self.remove_class(*(c for c in self.classes if c.startswith("-theme-")))
        self.add_class(f"-theme-{name}")

    # ---- start-up --------------------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        """The title screen is the bottom of the stack: every way back ends there."""
        from moscow1941.ui.screens.title import TitleScreen

        return TitleScreen()

    async def on_event(self, event: events.Event) -> None:
        # Right to left, the screen is drawn mirrored (ui/rtl.py): a click's column is
        # mirrored back to the layout's before Textual looks for the widget under it.
        if rtl.active() and isinstance(event, events.MouseEvent) and not event.is_forwarded:
            rtl.mirror_mouse(event, self.size.width)
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """Before the keys are looked up (Textual's own handler runs after this one): a choice
        key pressed before the scene now in play was drawn is dropped, so that two quick
        presses take one choice, not a second one at a scene nobody saw."""
        from moscow1941.ui.screens.play import PlayScreen

        if isinstance(self.screen, PlayScreen) and self.screen.stale(event):
            event.prevent_default()

    def on_mount(self) -> None:
        if self.classroom is not None:
            from moscow1941.ui.screens.student import SignInScreen

            self.push_screen(SignInScreen(self.classroom, self.class_label,
                                          language=self.language))
        if self.story is not None:
            self._story_ready()
        else:
            self.call_after_refresh(self._load_story)
        self._check_size(self.size)

    @work(thread=True, exclusive=True, group="load")
    def _load_story(self) -> None:
        """Load the story off the main thread, so the title screen paints at once."""
        from moscow1941.story import load_story

        assert self.story_root is not None
        result = load_story(self.story_root, language=self.language)
        self.call_from_thread(self._story_loaded, result)

    def _story_loaded(self, result: LoadResult) -> None:
        if result.story is None:
            errors = [d.format() for d in result.diagnostics][:5]
            self.load_error = (_("The story in {root} has errors; run "
                                 "'moscow1941 check {root}'.").format(root=self.story_root)
                               + "\n" + "\n".join(errors))
            self._tell_screens()
            return
        self.story = result.story
        self._story_ready()

    def _story_ready(self) -> None:
        from moscow1941.engine import Game
        from moscow1941.ui.render import GlossaryLinker

        assert self.story is not None
        self.linker = GlossaryLinker(self.story.glossary)
        self._open_store()
        if self.author and self.story_root is not None and self.watcher is None:
            from moscow1941.authoring.reload import StoryWatcher

            self.watcher = StoryWatcher(self.story_root)
            self.set_interval(1.0, self.author_tick, name="author-reload")
        campaign, self.start_campaign = self.start_campaign, None
        if campaign is not None:
            if campaign in self.story.campaigns:
                self.start_game(Game(self.story, campaign, self.seed))
            else:
                self.notify(_("This story has no campaign '{campaign}'.").format(
                    campaign=campaign), severity="error", markup=False)
        self._tell_screens()

    def _open_store(self) -> None:
        from moscow1941.engine.saves import SaveError, SaveStore, resolve_saves_dir

        assert self.story is not None
        if self.classroom is not None and self.student is None:
            self.store, self.store_error = None, _("Sign in to save your games.")
            return
        try:
            self.store = SaveStore(resolve_saves_dir(self.saves_arg), self.story,
                                   autosaves=self.autosave_count, author=self.author)
        except (SaveError, OSError) as exc:
            self.store, self.store_error = None, str(exc)

    def autosave(self, game: Game, player: str | None, started: datetime | None = None) -> None:
        """Write `game` (a snapshot no later choice changes) to an autosave slot. The writing
        happens on one background thread, in the order asked, so a slow disk never delays the
        next page and the ring of slots keeps its order."""
        if self.store is None:
            return
        if self._autosaver is None:
            self._autosaver = threading.Thread(target=self._autosave_loop, daemon=True,
                                               name="moscow1941-autosave")
            self._autosaver.start()
        self._autosaves.put((game, player, started))

    def _autosave_loop(self) -> None:
        from moscow1941.engine.saves import SaveError

        while True:
            game, player, started = self._autosaves.get()
            try:
                if self.store is not None:
                    self.store.autosave(game, player, started)
            except SaveError as exc:
                with contextlib.suppress(RuntimeError):  # the app may have closed meanwhile
                    self.call_from_thread(self.notify, str(exc), title=_("Autosave failed"),
                                          severity="error", markup=False)
            finally:
                self._autosaves.task_done()

    def flush_autosaves(self) -> None:
        """Wait until every autosave asked for is written (before Continue, the save list,
        and when the app has closed)."""
        if self._autosaver is not None:
            self._autosaves.join()

    def _tell_screens(self) -> None:
        """Let the screen that shows story-dependent things (the title menu) refresh."""
        from moscow1941.ui.screens.title import TitleScreen

        for screen in self.screen_stack:
            if isinstance(screen, TitleScreen) and screen.is_mounted:
                screen.refresh_menu()

    # ---- classroom mode --------------------------------------------------------------------
    def signed_in(self, student: Student, language: str | None = None) -> None:
        """Classroom mode: the sign-in screen accepted `student`, who chose to play in
        `language` (None: as the class). From now on the saves and settings live in the
        student's folder; the title screen comes up."""
        from moscow1941.classroom.students import SETTINGS_FILE
        from moscow1941.ui.screens.student import SignInScreen

        self.student = student
        self.saves_arg = str(student.folder)
        self.settings_path = student.folder / SETTINGS_FILE
        settings = Settings.load(self.settings_path)
        if language is not None and language in i18n.LANGUAGES:
            settings.language = language
            settings.save(self.settings_path)
        self.settings = settings
        if settings.theme in self.available_themes and settings.theme != self.theme:
            self.theme = settings.theme
        if isinstance(self.screen, SignInScreen):
            self.pop_screen()
        wanted = i18n.normalize(language or settings.language or self.language) or i18n.DEFAULT
        if wanted != self.language:
            self.change_language(wanted)
        elif self.story is not None:
            self._open_store()
        # A line of the title screen, not a notification: at 80×24 a notification covered
        # the menu and then the first scene's choices.
        if student.preview:
            welcome = _("Welcome, {name}. This is the teacher's preview: its games are never "
                        "in the class report.")
        elif student.new:
            welcome = _("Welcome, {name}. Remember your secret word.")
        else:
            welcome = _("Welcome back, {name}.")
        self.welcome = welcome.format(name=student.name)
        self._tell_screens()

    # ---- moving between screens ------------------------------------------------------------
    @on(StartGame)
    def _start_asked(self, message: StartGame) -> None:
        """A screen asks to play a game (a new one, or one reopened from a save)."""
        if message.remember:
            self.last_player = message.player
        self.start_game(message.game, message.player, message.changes, message.started)
        if message.notice is not None:
            self.notify(message.notice, markup=False)

    @on(GoToTitle)
    def _title_asked(self) -> None:
        self.go_to_title()

    @on(SignedIn)
    def _signed_in_said(self, message: SignedIn) -> None:
        """The sign-in screen accepted a student (classroom mode)."""
        self.signed_in(message.student, message.language)

    def start_game(self, game: Game, player: str | None = None,
                   changes: Iterable[str] = (), started: datetime | None = None) -> None:
        """Leave whatever is open, down to the title screen, and play `game` (begun at
        `started`, for a game reopened from a save; now, for a new one)."""
        from moscow1941.ui.screens.play import PlayScreen
        from moscow1941.ui.screens.title import TitleScreen

        if self.classroom is not None and self.student is None:
            return  # nothing is played, or saved, before the student signs in
        self._pop_to(TitleScreen)
        self.push_screen(PlayScreen(game, player, started, linker=self.linker, author=self.author))
        self._check_size(self.size)
        changes = tuple(changes)
        if changes:
            self.notify("\n".join(changes), title=_("About this save"), timeout=15, markup=False)

    def known_player(self) -> str:
        """The name to offer for a new game: the last one given in this sitting, else the
        player of the latest save."""
        if self.last_player:
            return self.last_player
        latest = self.store.latest() if self.store is not None else None
        return (latest.player or "") if latest is not None else ""

    def _pop_to(self, kind: type[Screen[Any]]) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, kind):
            self.pop_screen()

    def go_to_title(self) -> None:
        """Back to the title screen (the game in progress was autosaved at its last choice)."""
        from moscow1941.ui.screens.title import TitleScreen

        self._pop_to(TitleScreen)
        self._tell_screens()

    def action_help(self) -> None:
        """Open the help screen (unless it is already open)."""
        from moscow1941.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def apply_settings(self, settings: Settings) -> None:
        """Adopt and store new settings (a new language applies at once: `change_language`)."""
        old = self.settings
        self.settings = settings
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        settings.save(self.settings_path)
        if settings.language != old.language:
            wanted = settings.language or i18n.from_environment()
            if i18n.normalize(wanted) != self.language:
                self.change_language(wanted)

    def change_language(self, code: str | None) -> None:
        """Speak `code` from now on, at once: the story is loaded again in it (a translated
        story is the same story, with the same content hash, so games and saves carry over),
        the app's keys are translated again, and every screen open is rebuilt in it. A game
        in progress goes on at the same scene; a dialog open above it is closed."""
        from moscow1941.ui.render import GlossaryLinker
        from moscow1941.ui.screens.title import TitleScreen

        self.language = i18n.set_language(code)
        rtl.activate(i18n.is_rtl(self.language))
        translate_bindings(self)
        self.title = _(self.TITLE)
        self.refresh(layout=True)
        if self.story_root is not None and (self.story is None
                                            or self.story.language != self.language):
            from moscow1941.story import load_story

            result = load_story(self.story_root, language=self.language)
            if result.story is not None:
                self.story, self.load_error = result.story, None
                self.linker = GlossaryLinker(self.story.glossary)
        if self.story is not None:
            self.flush_autosaves()
            self._open_store()
        rebuilt: list[Screen[Any]] = []
        for screen in self.screen_stack[1:]:
            again = getattr(screen, "rebuilt", None)
            new = again() if callable(again) else None
            if new is not None:
                rebuilt.append(new)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        bottom = self.screen_stack[0]
        if isinstance(bottom, TitleScreen):
            bottom.relabel()
        for screen in rebuilt:
            self.push_screen(screen)
        self._check_size(self.size)

    def watch_theme(self, theme: str) -> None:
        """Keep a theme chosen anywhere (the Settings screen or the palette's Theme command)."""
        if self.settings.theme != theme:
            self.settings.theme = theme
            self.settings.save(self.settings_path)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the terminal is too small, only quitting works (help or the palette would
        open under the request to enlarge and outlive it)."""
        if isinstance(self.screen, TooSmallScreen) and action != "quit":
            return False
        if self.classroom is not None and action in CLASSROOM_BLOCKED:
            return False
        return True

    @property
    def reveal(self) -> bool:
        """Fade new scenes in: when the player wants it and animations are on."""
        return self.settings.reveal and self.animation_level == "full"

    # ---- the terminal's size ---------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size) -> None:
        """Cover everything with a request to enlarge the terminal while it is too small, and
        take it away, leaving every screen as it was, when it is large enough again."""
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    # ---- author mode -----------------------------------------------------------------------
    def author_tick(self) -> None:
        """Live reload: when a story file changed, load the story again and carry the game
        on; with errors, keep playing the last good version and show the diagnostics."""
        from moscow1941.authoring.reload import reload_game
        from moscow1941.story import load_story
        from moscow1941.ui.render import GlossaryLinker
        from moscow1941.ui.screens.play import PlayScreen

        if self.watcher is None or not self.watcher.poll():
            return
        result = load_story(self.watcher.root, language=self.language)
        plays = [s for s in self.screen_stack if isinstance(s, PlayScreen)]
        if result.story is not None:
            self.story = result.story
            self.linker = GlossaryLinker(self.story.glossary)
            self._open_store()
        messages: list[str] = []
        for play in plays:
            game, messages = reload_game(play.game, result)
            if game is not play.game:
                answer = self._close_reflection_over(play)
                play.replace_game(game, self.linker)
                if answer is not None:
                    messages = [*messages, *play.keep_answer(answer)]
        if not plays:
            if result.story is None:
                messages = [_("the story has errors; run 'moscow1941 check {root}'").format(
                                root=self.story_root),
                            *(d.format() for d in result.diagnostics[:5])]
            else:
                messages = [_("story reloaded")]
        if messages:
            self.notify("\n".join(messages[:8]), title=_("Author mode"),
                        severity="error" if result.story is None else "information",
                        timeout=10, markup=False)

    def _close_reflection_over(self, play: Screen[Any]) -> str | None:
        """Close a reflection prompt open over `play` (its scene is about to be replaced by a
        reloaded one) and return what had been typed in it, or None if none was open."""
        from textual.widgets import Input

        from moscow1941.ui.screens.dialogs import ReflectionPrompt

        answer = None
        while self.screen is not play and isinstance(self.screen, ReflectionPrompt):
            answer = self.screen.query_one("#reflection-input", Input).value
            self.pop_screen()
        return answer

    def _jump_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Author mode: 'Jump to NODE' for every node of the story."""
        from moscow1941.ui.screens.play import PlayScreen

        if not (self.author and isinstance(screen, PlayScreen)):
            return
        for node in screen.game.story.nodes.values():
            yield SystemCommand(_("Jump to {node}").format(node=node.id),
                                f"{node.title} ({node.date.display()})",
                                partial(screen.jump, node.id))

    # ---- the command palette ---------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette offers the game's own actions only: every key of the current screen
        and of the app, named by its description (not the keys of the focused widget, such as
        a list's cursor movements), a command per theme of the game's own (Textual's built-in
        themes are not offered: Settings could not show them), Textual's Screenshot (not when
        served to a class), and Quit."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not isinstance(active.node, (Screen, App)) or binding.id is None:
                continue  # a widget's own keys, or Textual's (every key of the game has an id)
            if not binding.description or binding.description in seen or not active.enabled:
                continue
            if binding.id is not None and binding.id.startswith("choose-") \
                    and binding.id != "choose-1":
                continue
            seen.add(binding.description)
            key = binding.key_display or binding.key.split(",")[0]
            yield SystemCommand(binding.description,
                                binding.tooltip or _("Key: {key}").format(key=key),
                                partial(self.run_action, binding.action, active.node))
        for theme in THEMES:
            yield SystemCommand(_("Theme: {name}").format(name=theme.name),
                                _("Change the colours (also in Settings)"),
                                partial(self._choose_theme, theme.name))
        if self.classroom is None:  # a screenshot would be written on the server
            yield from (c for c in super().get_system_commands(screen) if c.title == "Screenshot")
        yield SystemCommand(_("Quit"), _("Quit the game (ctrl+q); your game is saved"),
                            self.action_quit)
        yield from self._jump_commands(screen)

    def _choose_theme(self, name: str) -> None:
        self.theme = name


if TYPE_CHECKING:
    def _serves_screens(app: Moscow1941App) -> GameHost:
        """The App is the host its screens expect (checked by mypy, never run)."""
        return app
