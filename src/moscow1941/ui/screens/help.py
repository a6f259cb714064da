"""How to play: a Markdown screen. The text is written here, a block (a heading, a paragraph,
a table or a list) at a time, each translated on its own; keys and the plain mode's command
words stay as they are in every language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown

from moscow1941.i18n import N_, _
from moscow1941.ui.keys import Translated

HELP: tuple[str, ...] = (
    # Translators: a Markdown heading (keep the #).
    N_("# How to play Moscow 1941"),
    N_("You are a young diplomat in 1941. Each scene ends with choices; some of them are what "
       "the real\n"
       "people did, some are not. The game keeps count of how far you drift from history."),
    # Translators: a Markdown heading (keep the #).
    N_("## Choosing"),
    # Translators: a Markdown table: keep the | and the keys in backquotes as they are.
    N_("| key | what it does |\n"
       "| --- | --- |\n"
       "| `1`–`9` | take that choice |\n"
       "| `↑` `↓` then `Enter` | take the highlighted choice |\n"
       "| click | take a choice, or open a name underlined in the text |\n"
       "| `u` | undo: take back your last choice |\n"
       "| `PgDn` or `space`, `PgUp`, `Home`, `End` | scroll a long scene (the choice frame "
       "says *more of the scene* while there is more below) |"),
    N_("A **locked** choice starts with *[locked]* and the reason; it cannot be taken until "
       "the story\n"
       "allows it."),
    # Translators: a Markdown heading (keep the #).
    N_("## Around the story"),
    # Translators: a Markdown table: keep the | and the keys in backquotes as they are.
    N_("| key | screen |\n"
       "| --- | --- |\n"
       "| `h` | **What really happened**: the history note of your last decision, beside your "
       "choice, with its sources; the note for the decision in front of you is hidden until "
       "you ask (it is a spoiler) |\n"
       "| `t` | **Timeline**: real history and your game, event by event |\n"
       "| `g` | **Glossary**: people, places and terms; type to search |\n"
       "| `s` | **Save** under a name |\n"
       "| `l` | **Load**: your saves; `d` deletes, `r` renames |\n"
       "| `?` or `F1` | this help |\n"
       "| `Esc` | back; from play, to the title screen |\n"
       "| `ctrl+p` | the command palette: every action, by name |\n"
       "| `ctrl+q` | quit |"),
    N_("The game is saved automatically after every choice: **Continue** on the title screen "
       "resumes\n"
       "the latest game."),
    # Translators: a Markdown heading (keep the #).
    N_("## The status panel"),
    N_("It shows the date, your standing with the people who matter, and two figures of\n"
       "**divergence**, each from 0% (as in history) to 100%:"),
    N_("- **Choices**: of the real decisions you have faced, the share (weighted by how much each\n"
       "  mattered) where you chose otherwise than the real actors did. Decisions in a world "
       "history\n"
       "  never saw count in neither part.\n"
       "- **World**: of the whole record of 1941–1945 (every event, weighted by how much it "
       "shaped the\n"
       "  outcome), the share that has gone otherwise in your game so far. It only grows, and "
       "at an\n"
       "  ending every event is judged."),
    N_("Each figure is written as a number and drawn as a bar."),
    # Translators: a Markdown heading (keep the #).
    N_("## Settings"),
    N_("Choose a theme, including a **high-contrast** one, and whether new scenes fade in. "
       "Fading is\n"
       "off when animations are (`TEXTUAL_ANIMATIONS=none`). `NO_COLOR` is honoured."),
    # Translators: a Markdown heading (keep the #).
    N_("## Plain text"),
    N_("`moscow1941 play --plain` plays line by line with no escape codes, for screen readers, "
       "pipes\n"
       "and slow links. Type `help` there for its commands."),
)
"""The help text, block by block (Markdown, joined by blank lines)."""


def help_text() -> str:
    """The help text in the current language, as Markdown."""
    return "\n\n".join(_(block) for block in HELP) + "\n"


class HelpScreen(Translated, Screen[None]):
    """The help text, scrollable."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "app.pop_screen", N_("Close"), key_display="esc",
                id="close-help"),
    ]
    """Esc (or ? again) closes help."""

    DEFAULT_CSS = """
    #help-scroll {
        padding: 0 2;
    }
    #help-text {
        margin: 0;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll"):
            yield Markdown(help_text(), id="help-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()
