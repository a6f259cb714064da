"""Right to left in the terminal (ui/rtl.py): each row shaped and reordered, widgets mirrored,
nothing moved out of its cells, and the mouse mirrored back."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from tests.conftest import SHIPPED_STORY
from textual import events
from textual.geometry import Offset
from textual.strip import Strip

from moscow1941.story import load_story
from moscow1941.ui import rtl
from moscow1941.ui.app import Moscow1941App
from moscow1941.ui.screens.play import PlayScreen
from moscow1941.ui.settings import Settings


def text(strip: Strip) -> str:
    return "".join(seg.text for seg in strip)


def test_arabic_is_shaped_and_read_right_to_left_numbers_keep_their_order() -> None:
    row = rtl.display_row(Strip([Segment("موسكو 1941")]))
    shown = text(row)
    assert shown.endswith("ﻮﻜﺳﻮﻣ")           # joined forms, the first word on the right
    assert shown.startswith("1941")           # the number left of it, still 1941
    assert all(unicodedata.name(ch).startswith("ARABIC LETTER") is False or "FORM" in unicodedata.name(ch)
               for ch in shown if "\u0600" <= ch <= "\u06ff")  # nothing left unshaped


def test_styles_stay_on_their_letters_and_the_width_is_kept() -> None:
    bold, plain = Style(bold=True), Style()
    row = rtl.display_row(Strip([Segment("أ", bold), Segment("ب ج", plain)]))
    assert row.cell_length == 4
    assert [(seg.text, seg.style) for seg in row][-1] == ("ﺃ", bold)


def test_frames_are_mirrored_and_brackets_follow_the_text() -> None:
    assert text(rtl.display_row(Strip([Segment("┌──┐ ")]))) == " ┌──┐"
    assert text(rtl.display_row(Strip([Segment("(ستالين)")]))) == "(ﻦﻴﻟﺎﺘﺳ)"


def test_bidi_marks_do_their_work_and_are_not_drawn() -> None:
    row = text(rtl.display_row(Strip([Segment("ثقة \u200e(−5…5)\u200e")])))
    assert "\u200e" not in row and "(−5…5)" in row


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab 12-–()«»،.:مسكوالعربية┌┐│─\u064e\u200e"), max_size=40))
def test_any_row_keeps_its_cells(value: str) -> None:
    """Whatever a row holds, it comes out as many cells wide, every letter still there once."""
    strip = Strip([Segment(value)])
    row = rtl.display_row(strip)
    assert row.cell_length == strip.cell_length
    assert len(text(row)) == len(value) - value.count("\u200e")


def test_a_language_name_reads_right_in_a_left_to_right_menu() -> None:
    rtl.activate(False)
    assert rtl.isolated("العربية") == "ﺔﻴﺑﺮﻌﻟﺍ"
    assert rtl.isolated("Deutsch") == "Deutsch"


async def test_the_arabic_screen_is_mirrored_and_a_click_lands_where_it_is_drawn(
        tmp_path: Path) -> None:
    story = load_story(SHIPPED_STORY, "ar").story
    assert story is not None
    app = Moscow1941App(story=story, saves=tmp_path, campaign="prologue",
                        settings=Settings(reveal=False), language="ar")
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert rtl.active()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        panel = screen.query_one("#status")
        # Laid out on the right, as in every language; drawn on the left, mirrored.
        assert panel.region.x > 40
        svg = app.export_screenshot()
        assert "ﺕﺍﺭﺍﺮﻘﻟﺍ" in svg  # the status panel's "Choices", joined and reordered
        # The mouse as the terminal reports it, where things are drawn: the app mirrors the
        # column back before Textual looks for the widget under it.
        app.post_message(events.MouseMove(None, x=5, y=3, delta_x=0, delta_y=0, button=0,
                                          shift=False, meta=False, ctrl=False, screen_x=5,
                                          screen_y=3))
        await pilot.pause()
        assert app.mouse_position == Offset(80 - 1 - 5, 3)
    rtl.activate(False)
