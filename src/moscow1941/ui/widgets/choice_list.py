"""The numbered choices of a scene: arrows and Enter, a number key, or a click. Locked choices
are shown dimmed, marked "locked" with their reason, and cannot be highlighted or picked."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from moscow1941.engine import Scene
from moscow1941.i18n import _
from moscow1941.ui.render import hanging

ENDING_OPTION = "ending"
"""The id of the one option an ending scene offers: read the epilogue."""

class ChoiceOption(Option):
    """A choice as offered, with the `scene` it was offered at: a choice is only taken at the
    scene it was shown for."""

    def __init__(self, prompt: Content, id: str, scene: Scene, disabled: bool = False) -> None:
        super().__init__(prompt, id=id, disabled=disabled)
        self.scene = scene


class ChoiceList(OptionList):
    """An `OptionList` whose option ids are the choices' positions (`"1"`, `"2"`, ...)."""

    _scene: Scene | None = None
    _width: int = 0
    _shown_at: float = 0.0

    async def _on_click(self, event: events.Click) -> None:
        """A click takes the choice under it (`OptionList`'s own handler, called after this
        one), unless it is the second click of a double click or was made before these choices
        were shown (on the list of the scene before)."""
        if event.chain > 1 or event.time < self._shown_at:
            event.prevent_default()

    def show(self, scene: Scene) -> None:
        """Offer `scene`'s choices, with the cursor on the first one that can be taken."""
        from moscow1941.ui.screens.play import CLOCK

        self._scene = scene
        self._shown_at = CLOCK()
        self._fill(highlight_first=True)

    def _fill(self, highlight_first: bool) -> None:
        scene = self._scene
        if scene is None:
            return
        width = self._wrap_width() or (self.app.size.width - 34)
        self._width = width
        options: list[Option] = []
        if scene.ending is not None:
            options.append(ChoiceOption(hanging("1", Content(_("The end: read the epilogue")),
                                                width), ENDING_OPTION, scene))
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
            options.append(ChoiceOption(hanging(str(n), body, width), str(n), scene,
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
