"""The status panel: the date, the divergence meter (both figures as numbers and as bars), and
the story's visible variables as labelled bars or values."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from moscow1941.engine import Scene
from moscow1941.i18n import _
from moscow1941.ui.render import divergence_block, status_line, update_if_changed

BAR_WIDTH = 10


class StatusPanel(Static):
    """One `Static`, redrawn whole from each `Scene` (cheap: a dozen short lines)."""

    def show(self, scene: Scene) -> None:
        """Draw `scene`'s status. The divergence meter comes first, so both figures stay in
        sight however many variables the story shows (the panel scrolls if they overflow)."""
        parts: list[Content] = [
            Content.styled(scene.date.display(), "bold"),
            Content.styled(
                # Translators: a heading in the status panel, 24 columns wide at most.
                _("Divergence from history"), "bold underline"),
            divergence_block(scene.divergence, BAR_WIDTH),
        ]
        if scene.status:
            parts.append(Content(""))
        for value in scene.status:
            parts.append(Content.styled(value.label, "italic"))
            parts.append(status_line(value, BAR_WIDTH))
        update_if_changed(self, Content("\n").join(parts))
