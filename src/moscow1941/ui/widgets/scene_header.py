"""The line at the top of the play screen: the in-game date and place, the player's name and,
where there is room, the chapter."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from moscow1941.engine import Scene
from moscow1941.ui.render import update_if_changed

GAP = 3
"""Cells between the left part (date and place) and the right part (name, chapter)."""


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells with an ellipsis (nothing at all if not even one letter
    and the ellipsis fit)."""
    if cell_len(text) <= width:
        return text
    if width < 2:
        return ""
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out.rstrip(" ,·") + "…"


def header_parts(date: str, place: str, player: str, chapter: str,
                 width: int) -> tuple[str, str, str]:
    """(date, place, right side) for a header `width` cells wide. What matters most is kept
    whole, in this order: the date, the player's name, the place (cut if need be), then the
    chapter, shown only when everything else fits whole beside it."""
    sep = "  ·  "
    right = player
    left_room = width - cell_len(date) - (cell_len(right) + GAP if right else 0)
    place_fit = fit(place, max(0, left_room - len(sep)))
    if chapter and place_fit == place:
        with_chapter = f"{chapter}{sep}{player}" if player else chapter
        spare = width - cell_len(date) - len(sep) - cell_len(place) - GAP
        if cell_len(with_chapter) <= spare:
            right = with_chapter
    return date, place_fit, right


class SceneHeader(Static):
    """Date · place on the left, the player's name (and the chapter, if it fits) on the right,
    laid out for the header's width every time either changes."""

    _scene: Scene | None = None
    _player: str | None = None

    def show(self, scene: Scene, player: str | None = None) -> None:
        """Draw `scene`'s date and place, and who is playing."""
        self._scene, self._player = scene, player
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        scene = self._scene
        width = self.content_region.width or self.app.size.width - 2
        if scene is None or width <= 0:
            return
        date, place, right = header_parts(scene.date.display(), scene.place,
                                          self._player or "", scene.chapter or "", width)
        left = Content.assemble((date, "bold"), ("  ·  " + place) if place else "")
        pad = max(1, width - left.cell_length - cell_len(right))
        update_if_changed(self, Content.assemble(left, " " * pad, (right, "italic")))
