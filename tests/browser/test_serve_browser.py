"""A real browser plays the served game: headless Chromium (Debian's, driven by Playwright)
opens `moscow1941 serve`, signs in as a student, starts a game and makes a choice. What the
game drew is read from the websocket frames the page received.

Skipped when Chromium or Playwright is missing, except under CI (the CI variable set), where
that is a failure: `.ci/run` installs both. The browser is `chromium_browser` (tests/browser/axe.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.browser.server import screen_text, served
from tests.ui.conftest import UI_STORY


def wait_for(condition: Callable[[], bool], what: str, page: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        page.wait_for_timeout(50)


def test_a_student_signs_in_starts_a_game_and_makes_a_choice_in_a_browser(
        chromium_browser: Any, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    with served(saves, "--class", "9B", "--story", str(UI_STORY)) as run:
        page = chromium_browser.new_page(viewport={"width": 1100, "height": 720})
        frames: list[bytes | str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(data)))
        page.goto(run.url + "/?fontsize=14")
        assert page.title() == "Moscow 1941"

        def drawn(text: str) -> Callable[[], bool]:
            return lambda: text in screen_text(frames)

        wait_for(drawn("Your secret word"), "the sign-in screen", page)
        page.click("#terminal")
        for text in ("Alice", "sunflower"):
            page.keyboard.type(text)
            page.keyboard.press("Enter")
            page.wait_for_timeout(100)
        # A new name: the word again (asked the same way as after a wrong word).
        wait_for(drawn("New students choose their word now"), "the second word", page)
        page.keyboard.type("sunflower")
        page.keyboard.press("Enter")
        wait_for(drawn("New game"), "the title screen", page)
        frames.clear()
        page.keyboard.press("n")
        wait_for(drawn("Choose your role"), "the list of roles", page)
        page.keyboard.press("1")  # a signed-in student is not asked for a name again
        wait_for(drawn("The Telephone Rings"), "the first scene", page)
        wait_for(drawn("Alice"), "the student's name in the header", page)
        page.keyboard.press("1")
        wait_for(drawn("The Platform"), "the scene after the first choice", page)
        folder = saves / "9b" / "alice"
        wait_for(lambda: (folder / "Autosave clerk 1.json").exists(), "the autosave", page)
        page.close()
    assert sorted(p.name for p in (saves / "9b").iterdir()) == ["alice"]
    assert '"name": "Alice"' in (folder / ".student.json").read_text(encoding="utf-8")
