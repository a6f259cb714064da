"""The title screen: New game, Continue, Load, How to play, Settings, About & sources, Quit."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from moscow1941 import i18n
from moscow1941.i18n import N_, _, ngettext
from moscow1941.ui.host import host
from moscow1941.ui.keys import Translated, translate_bindings
from moscow1941.ui.messages import StartGame

if TYPE_CHECKING:
    from moscow1941.story import Story


MENU: tuple[tuple[str, str, str], ...] = (
    ("new", "n", N_("New game")),
    ("continue", "c", N_("Continue")),
    ("load", "l", N_("Load a saved game")),
    ("help", "?", N_("How to play")),
    ("settings", "o", N_("Settings")),
    ("about", "a", N_("About & sources")),
    ("quit", "q", N_("Quit")),
)
"""The menu: option id (also the action), key, label (translated where shown)."""

SUBTITLE = N_("The Soviet–Japanese Neutrality Pact, 1941–1945")
# Translators: the game's name, drawn large on the title screen before the story has loaded
# (then the story's own, translated title is drawn).
GAME_TITLE = N_("Moscow 1941")
"""The title drawn before the story has loaded; the subtitle belongs to this story only."""


def spaced(title: str) -> str:
    """A title as the title screen draws it: capitals, a space between letters, three between
    words (`Moscow 1941` -> `M O S C O W   1 9 4 1`)."""
    if i18n.is_rtl() or any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in title):
        # Arabic letters join: spread apart they would each stand alone (and digits spaced
        # one by one would be ordered one by one, right to left). Spaces between words only.
        return "   ".join(title.split())
    return "   ".join(" ".join(word.upper()) for word in title.split())


class TitleScreen(Translated, Screen[None]):
    """The first screen: the game's name and its menu, each item with its own key."""


    BINDINGS = [
        Binding("n", "new", N_("New game"), id="new"),
        Binding("c", "continue", N_("Continue"), show=False, id="continue"),
        Binding("l", "load", N_("Load"), show=False, id="load"),
        Binding("o", "settings", N_("Settings"), show=False, id="settings"),
        Binding("a", "about", N_("About"), show=False, id="about"),
        Binding("q", "app.quit", N_("Quit"), id="title-quit"),
    ]
    """Menu keys; the menu list also takes arrows and Enter."""

    _story_seen = False
    """Whether the menu has been drawn with the story loaded."""

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(Content(spaced(_(GAME_TITLE))), id="title-name")
            yield Static(Content(_(SUBTITLE)), id="title-subtitle")
            yield Static(Content(""), id="title-story")
            with Center():
                yield OptionList(*self._options(), id="title-menu", classes="framed")
            welcome = Static(Content(host(self).welcome), id="title-welcome")
            welcome.display = bool(host(self).welcome)
            yield welcome
        yield Footer(compact=True)

    def _options(self) -> list[Option]:
        app = host(self)
        latest = app.store.latest() if app.store is not None else None
        out = []
        for option_id, key, label in MENU:
            text = Content.assemble((f" {key} ", "bold"), "  ", _(label))
            disabled = False
            if option_id == "continue":
                if latest is None:
                    disabled = True
                    text = Content.assemble(text, ("  " + _("(no saved game yet)"), "italic"))
            if option_id in ("new", "continue", "load") and app.story is None:
                disabled = True
            out.append(Option(text, id=option_id, disabled=disabled))
        return out

    def on_mount(self) -> None:
        self.refresh_menu()

    def refresh_menu(self) -> None:
        """Refresh the menu and the line under the title once the story (and saves) are known."""
        app = host(self)
        app.flush_autosaves()
        line = self.query_one("#title-story", Static)
        if app.load_error is not None:
            line.update(Content(app.load_error))
        elif app.story is None:
            line.update(Content(_("Opening the archive…")))
        else:
            title = app.story.title
            name = spaced(title)
            fits = len(name) <= max(20, self.app.size.width - 4)
            self.query_one("#title-name", Static).update(Content(name if fits else title))
            self.query_one("#title-subtitle", Static).update(
                Content(_(SUBTITLE) if title in (GAME_TITLE, _(GAME_TITLE)) else ""))
            latest = app.store.latest() if app.store is not None else None
            if latest is not None:
                line.update(Content(_("Last played: {scene}, {date}").format(
                    scene=latest.scene_title, date=latest.date)))
            else:
                count = len(app.story.campaigns)
                line.update(Content(ngettext("{n} campaign", "{n} campaigns", count).format(
                    n=count)))
        welcome = self.query_one("#title-welcome", Static)
        welcome.update(Content(app.welcome))
        welcome.display = bool(app.welcome)
        menu = self.query_one("#title-menu", OptionList)
        highlighted = menu.highlighted
        options = self._options()
        menu.set_options(options)
        # The cursor stays where the player left it, but goes back to the top (New game) when
        # the story has just loaded: until then it had to skip the items that need the story.
        just_loaded = app.story is not None and not self._story_seen
        self._story_seen = app.story is not None
        if just_loaded or highlighted is None or options[highlighted].disabled:
            highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)
        menu.highlighted = highlighted
        menu.focus()

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def relabel(self) -> None:
        """Say everything again in the language now current (after a change of language)."""
        translate_bindings(self)
        self.query_one("#title-name", Static).update(Content(spaced(_(GAME_TITLE))))
        self.query_one("#title-subtitle", Static).update(Content(_(SUBTITLE)))
        self.refresh_menu()
        self.refresh_bindings()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        action = event.option.id
        if action == "quit":
            self.app.exit()
        elif action == "help":
            await self.run_action("app.help")
        elif action is not None:
            await self.run_action(action)

    def _story(self) -> Story | None:
        """The story, or None (and a word about it) while it is loading or could not load."""
        story = host(self).story
        if story is None:
            self.notify(host(self).load_error or _("The story is still loading; a moment…"),
                        severity="warning", markup=False)
        return story

    def action_new(self) -> None:
        """Choose a campaign and begin."""
        from moscow1941.ui.screens.new_game import NewGameScreen

        story = self._story()
        if story is not None:
            self.app.push_screen(NewGameScreen(story, host(self).seed))

    def action_continue(self) -> None:
        """Resume the most recent save."""
        from moscow1941.engine.saves import SaveError

        if self._story() is None:
            return
        store = host(self).store
        host(self).flush_autosaves()
        latest = store.latest() if store is not None else None
        if store is None or latest is None:
            self.notify(_("There is no saved game to continue yet."), markup=False)
            return
        try:
            restored = store.load(latest.name)
        except SaveError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=10)
            return
        self.post_message(StartGame(restored.game, restored.player, restored.changes,
                                    restored.info.started or restored.info.created))

    def action_load(self) -> None:
        """Open the list of saved games."""
        from moscow1941.ui.screens.saves import SavesScreen

        if self._story() is not None:
            self.app.push_screen(SavesScreen(game=None))

    def action_settings(self) -> None:
        """Theme, high contrast and text reveal."""
        from moscow1941.ui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_about(self) -> None:
        """What the game is, and its sources."""
        from moscow1941.ui.screens.about import AboutScreen

        story = self._story()
        if story is not None:
            self.app.push_screen(AboutScreen(story))
