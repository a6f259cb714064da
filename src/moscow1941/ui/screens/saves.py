"""Saved games: every slot with its name, campaign, in-game date, scene, divergence and when it
was saved; load, delete and rename. Files that cannot be read are listed with the reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from moscow1941.engine import Game
from moscow1941.engine.saves import SaveError, SaveInfo, UnreadableSave
from moscow1941.i18n import N_, _, format_moment
from moscow1941.i18n import language as current_language
from moscow1941.ui import rtl
from moscow1941.ui.host import host
from moscow1941.ui.keys import Translated
from moscow1941.ui.messages import StartGame
from moscow1941.ui.render import numbered, percent
from moscow1941.ui.screens.dialogs import Confirm, TextPrompt


def when(moment: datetime) -> str:
    """A save time in the player's local time, to the minute (as its language writes it)."""
    if current_language() == "en":
        return moment.astimezone().strftime("%Y-%m-%d %H:%M")
    return format_moment(moment)


def slot_content(entry: SaveInfo | UnreadableSave, campaigns: dict[str, str]) -> Table:
    """Two lines about a save (or about why a file cannot be read), with a hanging indent."""
    if isinstance(entry, UnreadableSave):
        return numbered("✗", Text(entry.name, style="bold"),
                        Text.assemble((_("cannot be read:") + " ", "italic"), entry.reason),
                        gap=True)
    mark = "·" if entry.autosave else "■"
    head = Text.assemble((entry.name, "bold"),
                         ("  " + _("autosave") if entry.autosave else "", "italic"),
                         "  ·  ", campaigns.get(entry.campaign, entry.campaign))
    where = Text(f"{entry.date}  ·  {entry.scene_title}")
    details = (_("divergence {choices} choices, {world} world").format(
        choices=percent(entry.choice_divergence), world=percent(entry.outcome_divergence))
        + "  ·  " + _("saved {when}").format(when=when(entry.updated)))
    if entry.player:
        details += f"  ·  {entry.player}"
    if entry.story_changed:
        details += "  ·  " + _("the story has changed since")
    return numbered(mark, head, where, Text(details, style="italic"), gap=True)


def save_game(screen: Screen[Any], game: Game, player: str | None,
              then: Callable[[], None] | None = None, started: datetime | None = None) -> None:
    """Ask for a name and save `game` (begun at `started`) under it, asking first before
    replacing a save."""
    store = host(screen).store
    if store is None:
        screen.notify(host(screen).store_error or _("Saving is not available."),
                      severity="error", markup=False)
        return

    def write(name: str) -> None:
        try:
            info = store.save(name, game, player, started)
        except SaveError as exc:
            screen.notify(str(exc), severity="error", markup=False, timeout=10)
            return
        screen.notify(_("Saved as ‘{name}’.").format(name=info.name), markup=False)
        if then is not None:
            then()

    def named(name: str | None) -> None:
        if name is None:
            return
        try:
            existing = store.find(name)
        except SaveError as exc:
            screen.notify(str(exc), severity="error", markup=False, timeout=10)
            return
        if existing is not None:
            screen.app.push_screen(Confirm(_("Replace the save ‘{name}’?").format(
                name=existing.name)),
                                   lambda yes: write(name) if yes else None)
        else:
            write(name)

    screen.app.push_screen(TextPrompt(_("Save as"), _("Enter to save, Esc to cancel"),
                                      value=game.view().title[:40]), named)


class SavesScreen(Translated, Screen[None]):
    """The save list. With a game in progress it can also save it (`s`)."""


    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        Binding("s", "save", N_("Save here"), id="save-here"),
        Binding("d,delete", "delete", N_("Delete"), key_display="d", id="delete"),
        Binding("r", "rename", N_("Rename"), id="rename"),
    ]
    """Enter loads; s saves the game in progress; d deletes; r renames; Esc goes back."""

    DEFAULT_CSS = """
    #save-list {
        height: 1fr;
        margin: 1 1 0 1;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def __init__(self, game: Game | None = None, player: str | None = None,
                 started: datetime | None = None) -> None:
        super().__init__()
        self.game = game
        self.player = player
        self.started = started

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Saved games")), classes="screen-heading")
        yield OptionList(id="save-list", classes="framed")
        yield Static(id="saves-hint", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_list()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and self.game is None:
            return None
        return True

    def _selected(self) -> SaveInfo | UnreadableSave | None:
        listing = self.query_one("#save-list", OptionList)
        if listing.highlighted is None or not self.entries:
            return None
        return self.entries[listing.highlighted]

    def refresh_list(self) -> None:
        """Read the saves folder again and redraw the list."""
        store = host(self).store
        host(self).flush_autosaves()
        story = store.story if store is not None else None
        campaigns = {cid: c.title for cid, c in story.campaigns.items()} if story else {}
        self.entries: list[SaveInfo | UnreadableSave] = store.list() if store is not None else []
        listing = self.query_one("#save-list", OptionList)
        highlighted = listing.highlighted
        listing.set_options(Option(slot_content(e, campaigns), id=str(i))
                            for i, e in enumerate(self.entries))
        if self.entries:
            listing.highlighted = min(highlighted or 0, len(self.entries) - 1)
        hint = self.query_one("#saves-hint", Static)
        if store is None:
            hint.update(Content(host(self).store_error or _("Saving is not available.")))
        else:
            # Served to a class, the server's folders mean nothing to a student in a browser.
            where = (_("your own folder, which only you can open")
                     if host(self).classroom is not None else rtl.ltr(str(store.folder)))
            hint.update(Content(_("No saved games yet in {where}.").format(where=where)
                                if not self.entries
                                else _("Enter loads · saves are kept in {where}").format(
                                    where=where)))
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self._selected()
        store = host(self).store
        if entry is None or store is None:
            return
        if isinstance(entry, UnreadableSave):
            self.notify(_("‘{name}’ cannot be opened: {reason}").format(
                name=entry.name, reason=entry.reason), severity="error",
                        markup=False, timeout=10)
            return
        try:
            restored = store.load(entry.name)
        except SaveError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=10)
            self.refresh_list()
            return
        self.post_message(StartGame(restored.game, restored.player, restored.changes,
                                    restored.info.started or restored.info.created,
                                    notice=_("Loaded ‘{name}’.").format(
                                        name=restored.info.name)))

    def action_save(self) -> None:
        """Save the game in progress under a new name."""
        if self.game is not None:
            save_game(self, self.game, self.player, then=self.refresh_list, started=self.started)

    def action_delete(self) -> None:
        """Delete the highlighted save, after asking."""
        entry = self._selected()
        store = host(self).store
        if entry is None or store is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes or store is None or entry is None:
                return
            try:
                store.delete(entry.name)
            except SaveError as exc:
                self.notify(str(exc), severity="error", markup=False)
            else:
                self.notify(_("Deleted ‘{name}’.").format(name=entry.name), markup=False)
            self.refresh_list()

        self.app.push_screen(Confirm(_("Delete the save ‘{name}’? This cannot be undone.")
                                     .format(name=entry.name)),
                             confirmed)

    def action_rename(self) -> None:
        """Give the highlighted save a new name."""
        entry = self._selected()
        store = host(self).store
        if entry is None or store is None:
            return
        if isinstance(entry, UnreadableSave):
            self.notify(_("A save that cannot be read cannot be renamed."), markup=False)
            return

        def renamed(name: str | None) -> None:
            if name is None or store is None or entry is None:
                return
            try:
                info = store.rename(entry.name, name)
            except SaveError as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=10)
            else:
                self.notify(_("Renamed to ‘{name}’.").format(name=info.name), markup=False)
            self.refresh_list()

        self.app.push_screen(TextPrompt(_("Rename ‘{name}’ to").format(name=entry.name),
                                        _("Enter to rename, Esc to cancel"), value=entry.name),
                             renamed)
