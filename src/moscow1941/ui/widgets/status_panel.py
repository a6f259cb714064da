"""The status panel: the date, the story's visible variables as labelled bars or values, and
the divergence meter (both figures as numbers and as bars)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from moscow1941.engine import Scene
from moscow1941.ui.render import divergence_block, status_line, update_if_changed

BAR_WIDTH = 10


class StatusPanel(Static):
    """One `Static`, redrawn whole from each `Scene` (cheap: a dozen short lines)."""

    def show(self, scene: Scene) -> None:
        """Draw `scene`'s status."""
        parts: list[Content] = [
            Content.styled(scene.date.display(), "bold"),
            Content(""),
        ]
        for value in scene.status:
            parts.append(Content.styled(value.label, "italic"))
            parts.append(status_line(value, BAR_WIDTH))
        if scene.status:
            parts.append(Content(""))
        parts.append(Content.styled("Divergence from history", "bold underline"))
        parts.append(divergence_block(scene.divergence, BAR_WIDTH + 6))
        update_if_changed(self, Content("\n").join(parts))
