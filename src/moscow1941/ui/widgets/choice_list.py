"""The numbered choices of a scene: arrows and Enter, a number key, or a click. Locked choices
are shown dimmed, marked "locked" with their reason, and cannot be highlighted or picked."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from moscow1941.engine import Scene
from moscow1941.i18n import _
from moscow1941.ui.render import hanging

ENDING_OPTION = "ending"
"""The id of the one option an ending scene offers: read the epilogue."""

class ChoiceList(OptionList):
    """An `OptionList` whose option ids are the choices' positions (`"1"`, `"2"`, ...)."""

    _scene: Scene | None = None
    _width: int = 0

    def show(self, scene: Scene) -> None:
        """Offer `scene`'s choices, with the cursor on the first one that can be taken."""
        self._scene = scene
        self._fill(highlight_first=True)

    def _fill(self, highlight_first: bool) -> None:
        scene = self._scene
        if scene is None:
            return
        width = self._wrap_width() or (self.app.size.width - 34)
        self._width = width
        options: list[Option] = []
        if scene.ending is not None:
            options.append(Option(hanging("1", Content(_("The end: read the epilogue")), width),
                                  id=ENDING_OPTION))
        for n, choice in enumerate(scene.choices, 1):
            body = Content(choice.text)
            if not choice.enabled:
                # Marked in words at the start, so it reads as locked at a glance, in every
                # theme and in a text capture; the reason follows at once.
                body = Content.assemble(
                    # Translators: the mark before a locked choice, in square brackets.
                    (_("[locked]") + " ", "bold $text-warning"),
                    (choice.locked_reason or _("not available"), "italic $text-warning"),
                    "\n", (choice.text, "italic"))
            options.append(Option(hanging(str(n), body, width), id=str(n),
                                  disabled=not choice.enabled))
        highlighted = self.highlighted
        self.set_options(options)
        if highlight_first or highlighted is None:
            self.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)
        else:
            self.highlighted = highlighted

    def _wrap_width(self) -> int:
        """The width choices are wrapped to: the content width less a scrollbar's, whether or
        not the scrollbar shows, so that its coming and going never rewraps the choices (which
        would cost a second layout and repaint after every scene)."""
        return max(0, self.content_region.width - self.styles.scrollbar_size_vertical)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The options' height at `width`; nothing is measured while the list has no room at
        all (a terminal shrunk below the playable size lays the screens beneath the request to
        enlarge out at that size, and Rich cannot wrap text to zero cells)."""
        if width - self.get_component_styles("option-list--option").padding.width < 1:
            return len(self.options)
        return super().get_content_height(container, viewport, width)

    def on_resize(self) -> None:
        if self._wrap_width() != self._width:
            self._fill(highlight_first=False)
