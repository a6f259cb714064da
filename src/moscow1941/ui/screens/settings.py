"""Settings: the theme (including high contrast), the gentle reveal of new scenes, and the
language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from moscow1941.i18n import LANGUAGES, N_, _
from moscow1941.i18n import language as current_language
from moscow1941.ui import rtl
from moscow1941.ui.host import host
from moscow1941.ui.keys import Translated
from moscow1941.ui.settings import Settings
from moscow1941.ui.themes import THEMES

THEME_NAMES = {
    "moscow1941": N_("Dark (the default)"),
    "moscow1941-paper": N_("Light, paper"),
    "moscow1941-contrast": N_("High contrast: black, white and yellow"),
}
"""The game's themes, in words. Textual's own themes are in the command palette (ctrl+p)."""


class SettingsScreen(Translated, Screen[None]):
    """Pick a theme, toggle the reveal, or pick a language; every change applies and is stored
    at once (a new language rebuilds every screen in it)."""


    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]
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

    def __init__(self, highlight: str | None = None) -> None:
        """`highlight`: the id of the option the cursor starts on (the first by default)."""
        super().__init__()
        self.start = highlight

    def compose(self) -> ComposeResult:
        with Vertical(id="settings-box"):
            yield Static(Content(_("Settings")), classes="screen-heading")
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
            options.append(Option(Content(mark + " " + _("Theme: {name}").format(
                name=_(THEME_NAMES[theme.name]))), id=f"theme:{theme.name}"))
        options.append(None)
        reveal = "[x]" if settings.reveal else "[ ]"
        options.append(Option(Content(f"{reveal} " + _("Fade new scenes in gently")),
                              id="reveal"))
        options.append(None)
        for code, name in LANGUAGES.items():
            mark = "(•)" if current_language() == code else "( )"
            # Each language is named in itself (Deutsch, العربية), whatever the language now.
            options.append(Option(Content(mark + " " + _("Language: {name}").format(name=rtl.isolated(name))),
                                  id=f"language:{code}"))
        listing = self.query_one("#settings-list", OptionList)
        highlighted = listing.highlighted
        listing.set_options(options)
        if highlighted is None and self.start is not None:
            ids = [o.id for o in options if o is not None]  # separators are not options
            highlighted = ids.index(self.start) if self.start in ids else None
        listing.highlighted = highlighted if highlighted is not None else 0
        note = (_("Animations are off in this terminal (TEXTUAL_ANIMATIONS), so scenes appear "
                  "at once.") if self.app.animation_level != "full" else "")
        if self.app.no_color:
            note += (" " if note else "") + _("NO_COLOR is set: colours are off.")
        self.query_one("#settings-note", Static).update(Content(note))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        current = host(self).settings
        if option_id.startswith("theme:"):
            new = Settings(theme=option_id.removeprefix("theme:"), reveal=current.reveal,
                           language=current.language)
        elif option_id == "reveal":
            new = Settings(theme=self.app.theme, reveal=not current.reveal,
                           language=current.language)
        elif option_id.startswith("language:"):
            code = option_id.removeprefix("language:")
            if code == current_language():
                return
            # The app rebuilds every screen in the new language, this one included.
            host(self).apply_settings(Settings(theme=self.app.theme, reveal=current.reveal,
                                               language=code))
            return
        else:
            return
        host(self).apply_settings(new)
        self._fill()

    def rebuilt(self) -> SettingsScreen:
        """This screen again, in the language now current, with the cursor where it was."""
        listing = self.query_one("#settings-list", OptionList)
        option = listing.highlighted_option
        return SettingsScreen(option.id if option is not None else self.start)
