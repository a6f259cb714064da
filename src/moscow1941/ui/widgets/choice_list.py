"""The numbered choices of a scene: arrows and Enter, a number key, or a click. Locked choices
are shown dimmed, marked "locked" with their reason, and cannot be highlighted or picked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from moscow1941.engine import Scene
from moscow1941.ui.render import numbered

ENDING_OPTION = "ending"
"""The id of the one option an ending scene offers: read the epilogue."""


class ChoiceList(OptionList):
    """An `OptionList` whose option ids are the choices' positions (`"1"`, `"2"`, ...)."""

    def show(self, scene: Scene) -> None:
        """Offer `scene`'s choices, with the cursor on the first one that can be taken."""
        options: list[Option] = []
        if scene.ending is not None:
            options.append(Option(numbered("1", Text("The end: read the epilogue")),
                                  id=ENDING_OPTION))
        for n, choice in enumerate(scene.choices, 1):
            if choice.enabled:
                prompt = numbered(str(n), Text(choice.text))
            else:
                reason = choice.locked_reason or "not available"
                prompt = numbered(str(n), Text(choice.text), Text.assemble(
                    ("locked: ", "bold italic"), (reason, "italic")))
            options.append(Option(prompt, id=str(n), disabled=not choice.enabled))
        self.set_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        self.highlighted = first
