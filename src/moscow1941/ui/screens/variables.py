"""Author mode's variable inspector: where the game is (node, file, line, step) and every
variable's value, shown or not, with its type and bounds. It reads the game; it changes
nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from moscow1941.engine import Game
from moscow1941.i18n import N_, _
from moscow1941.ui.keys import Translated


def inspector_content(game: Game) -> Content:
    """The inspector's text: the current node, then one line a variable."""
    node, state, story = game.node, game.state, game.story
    d = game.divergence()
    # Author mode: the inspector's words are translated; the story's ids, types and values
    # are shown as written in its files.
    parts = [
        Content.assemble((_("Node") + "  ", "bold"), node.id, "  (", node.path, ":",
                         str(node.line), ")"),
        Content.assemble((_("Step") + "  ", "bold"), str(len(state.path)),
                         "   " + _("visits here:") + " ", str(state.visits.get(node.id, 0)),
                         "   " + _("campaign:") + " ", state.campaign),
        Content.assemble((_("Divergence") + "  ", "bold"),
                         _("choices {choices}, world {world}").format(
                             choices=f"{d.choice:.3f}", world=f"{d.outcome:.3f}")),
        Content(""),
        Content.styled(_("Variables"), "bold"),
    ]
    width = max((len(name) for name in story.variables), default=0)
    for var in story.variables.values():
        value = state.vars.get(var.name)
        shown = "true" if value is True else "false" if value is False else repr(value)
        bounds = ""
        if var.min is not None or var.max is not None:
            bounds = f"  [{'' if var.min is None else var.min}..{'' if var.max is None else var.max}]"
        changed = " *" if value != var.default else ""
        flags = "  " + _("(status panel)") if var.show else ""
        parts.append(Content(f"  {var.name.ljust(width)}  {var.type:<4}  {shown}{changed}{bounds}{flags}"))
    parts += [Content(""), Content.styled(_("* differs from the default"), "italic")]
    return Content("\n").join(parts)


class VariablesScreen(Translated, Screen[None]):
    """Every variable of the story, for authors testing their branches."""

    BINDINGS = [
        Binding("escape,v", "app.pop_screen", N_("Close"), key_display="esc",
                id="close-variables"),
    ]
    """Esc (or v again) closes the inspector."""

    DEFAULT_CSS = """
    #variables-scroll {
        padding: 0 2;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="variables-scroll"):
            yield Static(Content(_("Author mode: variables")), classes="screen-heading")
            yield Static(inspector_content(self.game), id="variables-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#variables-scroll").focus()
