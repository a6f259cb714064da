"""No terminal size may crash any screen: every screen is walked through a grid of sizes from
10×5 to 200×60 (below the playable 60×20 the request to enlarge covers it), then brought back
to 80×24, where it must still answer keys with the game as it was."""

from __future__ import annotations

import pytest
from tests.ui.conftest import AppMaker

from moscow1941.ui.app import MIN_HEIGHT, MIN_WIDTH

ANSWER = ["space" if ch == " " else ch for ch in "Because"]

# (app arguments, keys that open the screen)
SCREENS: dict[str, tuple[dict[str, object], list[str]]] = {
    "title": ({}, []),
    "new game": ({}, ["n"]),
    "about": ({}, ["a"]),
    "settings": ({}, ["o"]),
    "saves (title)": ({}, ["l"]),
    "help": ({}, ["question_mark"]),
    "play": ({"campaign": "clerk"}, []),
    "play, a long scene": ({"campaign": "clerk"}, ["1"]),
    "history": ({"campaign": "clerk"}, ["1", "h"]),
    "timeline": ({"campaign": "clerk"}, ["2", "t"]),
    "glossary": ({"campaign": "clerk"}, ["g"]),
    "save prompt": ({"campaign": "clerk"}, ["s"]),
    "saves (play)": ({"campaign": "clerk"}, ["l"]),
    "reflection": ({"campaign": "clerk"}, ["1", "2", *ANSWER]),
    "ending": ({"campaign": "clerk"}, ["1", "2", "enter"]),
    "export": ({"campaign": "clerk"}, ["1", "2", "enter", "x"]),
    "variables": ({"campaign": "clerk", "author": True}, ["v"]),
}

WIDTHS = sorted({10, 11, 20, 26, 27, 28, 30, 32, 33, 34, 40, 50, MIN_WIDTH - 1, MIN_WIDTH,
                 MIN_WIDTH + 1, 80, 100, 120, 160, 200})
HEIGHTS = sorted({5, 6, 8, 10, 15, MIN_HEIGHT - 1, MIN_HEIGHT, MIN_HEIGHT + 1, 24, 40, 60})


def sizes() -> list[tuple[int, int]]:
    """Every width at two heights and every height at two widths, then a diagonal walk: all
    the boundaries of the layout (the 26-column status panel, the minimum size) both ways."""
    out = [(w, h) for w in WIDTHS for h in (HEIGHTS[0], 24)]
    out += [(w, h) for h in HEIGHTS for w in (WIDTHS[0], 80)]
    out += [(WIDTHS[i % len(WIDTHS)], HEIGHTS[i % len(HEIGHTS)]) for i in range(30)]
    return out


@pytest.mark.parametrize("name", list(SCREENS))
async def test_no_terminal_size_crashes_a_screen(make_app: AppMaker, name: str) -> None:
    kwargs, keys = SCREENS[name]
    app = make_app(**kwargs)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        opened = type(app.screen)
        for width, height in sizes():
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            small = width < MIN_WIDTH or height < MIN_HEIGHT
            assert (type(app.screen).__name__ == "TooSmallScreen") == small, (width, height)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert type(app.screen) is opened
        await pilot.press("question_mark")  # the screen still answers keys
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app._exception is None, f"{name}: {app._exception!r}"
