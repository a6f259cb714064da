"""Settings: the theme (including high contrast) and the gentle reveal of new scenes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from moscow1941.ui.host import host
from moscow1941.ui.settings import Settings
from moscow1941.ui.themes import THEMES

THEME_NAMES = {
    "moscow1941": "Dark (the default)",
    "moscow1941-paper": "Light, paper",
    "moscow1941-contrast": "High contrast: black, white and yellow",
}
"""The game's themes, in words. Textual's own themes are in the command palette (ctrl+p)."""


class SettingsScreen(Screen[None]):
    """Pick a theme, or toggle the reveal; every change applies and is stored at once."""


    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="back")]
    """Enter (or a click) picks; Esc goes back."""

    DEFAULT_CSS = """
    #settings-box {
        height: 1fr;
    }
    #settings-list {
        height: auto;
        margin: 1 1 0 1;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def compose(self) -> ComposeResult:
        with Vertical(id="settings-box"):
            yield Static(Content("Settings"), classes="screen-heading")
            yield OptionList(id="settings-list", classes="framed")
            yield Static(id="settings-note", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#settings-list", OptionList).focus()

    def _fill(self) -> None:
        settings = host(self).settings
        options: list[Option | None] = []
        for theme in THEMES:
            mark = "(•)" if self.app.theme == theme.name else "( )"
            options.append(Option(Content(f"{mark} Theme: {THEME_NAMES[theme.name]}"),
                                  id=f"theme:{theme.name}"))
        options.append(None)
        reveal = "[x]" if settings.reveal else "[ ]"
        options.append(Option(Content(f"{reveal} Fade new scenes in gently"), id="reveal"))
        listing = self.query_one("#settings-list", OptionList)
        highlighted = listing.highlighted
        listing.set_options(options)
        listing.highlighted = highlighted if highlighted is not None else 0
        note = ("Animations are off in this terminal (TEXTUAL_ANIMATIONS), so scenes appear at "
                "once." if self.app.animation_level != "full" else "")
        if self.app.no_color:
            note += (" " if note else "") + "NO_COLOR is set: colours are off."
        self.query_one("#settings-note", Static).update(Content(note))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        current = host(self).settings
        if option_id.startswith("theme:"):
            new = Settings(theme=option_id.removeprefix("theme:"), reveal=current.reveal)
        elif option_id == "reveal":
            new = Settings(theme=self.app.theme, reveal=not current.reveal)
        else:
            return
        host(self).apply_settings(new)
        self._fill()
