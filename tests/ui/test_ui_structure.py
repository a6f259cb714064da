"""The shape of the UI code, checked by reading it: screens take their data and post messages
(they never import the App class), and every notification is shown as plain text."""

from __future__ import annotations

import ast
from pathlib import Path

import moscow1941.ui

UI = Path(moscow1941.ui.__file__).parent

def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_no_screen_or_widget_imports_the_app_module() -> None:
    for path in _modules(UI / "screens") + _modules(UI / "widgets"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "moscow1941.ui.app", f"{path.name}:{node.lineno}"


def test_every_notification_is_plain_text_so_story_and_player_text_cannot_be_markup() -> None:
    calls = 0
    for path in _modules(UI):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "notify":
                calls += 1
                markup = [k for k in node.keywords if k.arg == "markup"]
                assert markup and isinstance(markup[0].value, ast.Constant) \
                    and markup[0].value.value is False, f"{path.name}:{node.lineno}"
    assert calls > 15  # the walk did find the game's notifications
