"""Snapshots of the main screens at 80×24 and 120×40, drawn from the fixed test story.

Update them after an intended change of look with `pytest tests/ui --snapshot-update`, and
look at every changed SVG before committing it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.ui.conftest import AppMaker

SIZES = [(80, 24), (120, 40)]

ANSWER = ["space" if ch == " " else ch for ch in "To be seen"]
"""Typing a reflection: key names for 'To be seen'."""

SCREENS: dict[str, tuple[dict[str, str], list[str]]] = {
    "title": ({}, []),
    "play": ({"campaign": "clerk"}, []),
    "play_after_a_choice": ({"campaign": "clerk"}, ["1"]),
    "timeline": ({"campaign": "clerk"}, ["2", "t"]),
    "help": ({}, ["question_mark"]),
    "reflection": ({"campaign": "clerk"}, ["1", "2", *ANSWER]),
    "ending": ({"campaign": "clerk"}, ["1", "2", *ANSWER, "enter"]),
    "too_small": ({"campaign": "clerk"}, []),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_looks_as_approved(snap_compare: Callable[..., bool], make_app: AppMaker,
                                  name: str, size: tuple[int, int]) -> None:
    kwargs, keys = SCREENS[name]
    if name == "too_small":  # one column, or one row, short of the minimum of 60 × 20
        size = (59, size[1]) if size == (80, 24) else (size[0], 19)
    app = make_app(**kwargs)
    assert snap_compare(app, press=["wait:100", *keys, "wait:100"], terminal_size=size)
