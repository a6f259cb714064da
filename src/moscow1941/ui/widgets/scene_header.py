"""The line at the top of the play screen: the in-game date and place, and the chapter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from moscow1941.engine import Scene
from moscow1941.ui.render import update_if_changed


class SceneHeader(Horizontal):
    """Date · place on the left, the chapter (or the step count) on the right."""

    def compose(self) -> ComposeResult:
        yield Static(id="scene-where")
        yield Static(id="scene-chapter")

    def show(self, scene: Scene, player: str | None = None) -> None:
        """Draw `scene`'s date and place."""
        update_if_changed(self.query_one("#scene-where", Static), Content.assemble(
            (scene.date.display(), "bold"), "  ·  ", scene.place))
        right = scene.chapter or ""
        if player:
            right = f"{right}  ·  {player}" if right else player
        update_if_changed(self.query_one("#scene-chapter", Static), Content(right))
