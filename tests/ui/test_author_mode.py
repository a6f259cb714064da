"""Author mode (`play --author`): node ids on screen, the variable inspector, jumping to any
node from the command palette, and live reload that keeps the game going."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ui.conftest import UI_STORY, AppMaker
from tests.ui.helpers import SIZE
from textual.content import Content
from textual.widgets import Static

from moscow1941.ui.app import Moscow1941App
from moscow1941.ui.screens.play import PlayScreen
from moscow1941.ui.screens.variables import VariablesScreen
from moscow1941.ui.settings import Settings


def title_text(app: Moscow1941App) -> str:
    content = app.screen.query_one("#scene-title", Static).content
    return content.plain if isinstance(content, Content) else str(content)


def author_app(root: Path, saves: Path) -> Moscow1941App:
    app = Moscow1941App(root, campaign="clerk", saves=saves, settings=Settings(reveal=False),
                        author=True)
    app.animation_level = "none"
    return app


def story_copy(tmp_path: Path) -> Path:
    root = tmp_path / "story"
    shutil.copytree(UI_STORY, root)
    return root


async def test_author_mode_shows_node_ids_and_the_inspector(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk", author=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert title_text(app).endswith("[office]")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, VariablesScreen)
        body = app.screen.query_one("#variables-body", Static).content
        text = body.plain if isinstance(body, Content) else str(body)
        assert "office" in text and "train_held" in text and "trust" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_without_author_mode_there_are_no_ids_and_no_inspector(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert title_text(app) == "The Telephone Rings"
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not any(t.startswith("Jump to") for t in titles)


async def test_the_palette_jumps_to_any_node(make_app: AppMaker) -> None:
    app = make_app(campaign="clerk", author=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        jump = commands["Jump to gone"]
        jump.callback()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.node.id == "gone"
        assert title_text(app).endswith("[gone]")


async def test_live_reload_picks_up_an_edit_and_keeps_the_position(tmp_path: Path) -> None:
    root = story_copy(tmp_path)
    app = author_app(root, tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.game.node.id == "platform"
        manifest = root / "story.yaml"
        manifest.write_text(manifest.read_text().replace("title: The Platform", "title: The Crowded Platform"))
        app.author_tick()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.node.id == "platform" and len(app.screen.game.state.path) == 1
        assert title_text(app).startswith("The Crowded Platform")


async def test_live_reload_with_errors_keeps_playing_the_last_good_version(tmp_path: Path) -> None:
    root = story_copy(tmp_path)
    app = author_app(root, tmp_path / "saves")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        game = app.screen.game  # type: ignore[attr-defined]
        manifest = root / "story.yaml"
        manifest.write_text(manifest.read_text().replace("goto: platform", "goto: platfrom"))
        app.author_tick()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.game is game
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "E301" in messages and "last good version" in messages
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.game.node.id == "platform"
