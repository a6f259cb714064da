"""Right-to-left languages in the terminal: each screen row shaped and reordered for display.

Terminals draw characters in the order they are sent, left to right, and most neither join
Arabic letters nor reorder right-to-left text; Textual does not either. So when the game speaks
a right-to-left language, every row Textual composes (in logical order, already wrapped) is
turned into display order just before it is drawn:

1. the row's letters are shaped with arabic-reshaper (each letter takes its joined form:
   initial, medial, final or isolated), one character for one, so no cell moves;
2. the row is reordered with the Unicode Bidirectional Algorithm (python-bidi's reference
   implementation), its base direction right to left. Arabic runs read right to left, numbers
   and Latin words inside them keep their own order, and brackets are mirrored;
3. the layout mirrors with it, as right-to-left readers expect: what stood on the left (the
   scene) now stands on the right, the status panel on the left, and left-aligned text is
   right-aligned. The compositor cuts each row where widgets meet; each piece is reordered on
   its own and the pieces are laid out in mirror order, so a widget at columns [a, b) is drawn
   at [width − b, width − a) exactly. Box-drawing corners, half blocks and arrows are swapped
   so frames still close; brackets and quotation marks are mirrored by the algorithm itself
   where they stand in right-to-left text (rule L4).

Each character keeps its style (colour, bold, links), so the screen looks the same, mirrored.
Rows are cached by their segments: between two frames most rows do not change.

The hook is one wrapper around Textual's `Compositor.render_update`, active only while a
right-to-left language is spoken: it asks for full updates (a partial update could not be
reordered by the row) and reorders each row. Screenshots (`export_screenshot`, the snapshot
tests) go through the same method, so they show what the player sees.

Mouse positions are mirrored back (`mirror_x`), so a click lands on what is drawn there.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual._compositor import Compositor, LayoutUpdate
from textual.strip import Strip

_BOX_MIRROR = str.maketrans({
    "┌": "┐", "┐": "┌", "└": "┘", "┘": "└", "├": "┤", "┤": "├",
    "╭": "╮", "╮": "╭", "╰": "╯", "╯": "╰", "┏": "┓", "┓": "┏", "┗": "┛", "┛": "┗",
    "┣": "┫", "┫": "┣", "╔": "╗", "╗": "╔", "╚": "╝", "╝": "╚", "╠": "╣", "╣": "╠",
    "▌": "▐", "▐": "▌", "▏": "▕", "▕": "▏", "◀": "▶", "▶": "◀", "◂": "▸", "▸": "◂",
    "←": "→", "→": "←",
    "▎": "▕", "▊": "▐",
})
_RTL_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})
_CACHE_SIZE = 2048
_MARKS = frozenset("\u200e\u200f\u061c")  # LEFT-TO-RIGHT, RIGHT-TO-LEFT and ARABIC LETTER MARK

_active = False
_cache: OrderedDict[tuple[Segment, ...], Strip] = OrderedDict()
_original = Compositor.render_update
_reshaper: Any = None


def activate(on: bool) -> None:
    """Reorder every screen row from now on (`on`), or stop."""
    global _active
    _active = on
    if on and Compositor.render_update is _original:
        Compositor.render_update = _render_update  # type: ignore[method-assign]
    _cache.clear()


def active() -> bool:
    return _active


def _render_update(self: Compositor, full: bool = False, screen_stack: Any = None,
                   simplify: bool = False) -> Any:
    if not _active:
        return _original(self, full, screen_stack, simplify)
    update = _original(self, True, screen_stack, False)
    if isinstance(update, LayoutUpdate):
        # Each row is cut where widgets meet: each piece is reordered on its own and the
        # pieces are laid out in mirror order, so every widget lands exactly at its mirrored
        # place (and a click there, mirrored back, finds it).
        rows: list[Iterable[Strip]] = []
        for row in update.strips:
            joined = Strip.join([display_row(piece) for piece in reversed(list(row))])
            rows.append([joined.simplify().discard_meta() if simplify else joined])
        update.strips = rows
    return update


def _shape(text: str) -> str:
    global _reshaper
    if _reshaper is None:
        import arabic_reshaper

        _reshaper = arabic_reshaper.ArabicReshaper(configuration={
            "delete_harakat": False, "support_ligatures": False,
            "shift_harakat_position": False, "delete_tatweel": False})
    shaped: str = _reshaper.reshape(text)
    return shaped if len(shaped) == len(text) else text


def visual_order(text: str, base: int = 1) -> list[tuple[int, int]]:
    """The logical index and resolved embedding level of each of `text`'s characters, in
    display order (Unicode Bidirectional Algorithm, rules W1–L2), with base direction right to
    left (`base` 1) or left to right (0). A combining mark stays after its letter."""
    from bidi import algorithm as uba

    bases: list[int] = []  # indexes of characters that are not combining marks
    for i, ch in enumerate(text):
        if not unicodedata.combining(ch) or not bases:
            bases.append(i)
    base_text = "".join(text[i] for i in bases)
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if base else "L"
    uba.get_embedding_levels(base_text, storage)
    for n, ch in enumerate(storage["chars"]):
        ch["index"] = n
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    out: list[tuple[int, int]] = []
    ends = bases[1:] + [len(text)]
    for ch in storage["chars"]:
        n = ch["index"]
        out.extend((i, ch["level"]) for i in range(bases[n], ends[n]))
    return out


def display_row(strip: Strip) -> Strip:
    """One screen row in display order: shaped, reordered, mirrored; styles kept."""
    segments = tuple(seg for seg in strip if not seg.control)
    cached = _cache.get(segments)
    if cached is not None:
        _cache.move_to_end(segments)
        return cached
    chars: list[str] = []
    styles: list[Style | None] = []
    for seg in segments:
        chars.extend(seg.text)
        styles.extend([seg.style] * len(seg.text))
    text = "".join(chars)
    classes = {unicodedata.bidirectional(c) for c in text}
    if "AL" in classes:
        text = _shape(text)
    # A piece with right-to-left letters, or with no letters at all (frames, padding), is laid
    # out right to left; one with only left-to-right letters (a citation, a file path) keeps
    # its own direction, as the algorithm's first-strong rule would give its paragraph.
    base = 0 if "L" in classes and not classes & _RTL_CLASSES else 1
    order = visual_order(text, base) if text else []
    mirrored = _mirror_brackets(text, order)
    out: list[Segment] = []
    run: list[str] = []
    run_style: Style | None = None
    for pos, (i, _level) in enumerate(order):
        if text[i] in _MARKS:  # they have done their work; some terminals would show them
            continue
        style = styles[i]
        if run and style != run_style:
            out.append(Segment("".join(run), run_style))
            run = []
        run_style = style
        run.append(mirrored[pos])
    if run:
        out.append(Segment("".join(run), run_style))
    row = Strip(out, strip.cell_length)
    _cache[segments] = row
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return row


def _mirror_brackets(text: str, order: list[tuple[int, int]]) -> list[str]:
    """The characters in display order, box corners swapped (the layout is mirrored) and
    brackets mirrored where they are resolved right to left (rule L4)."""
    from bidi.algorithm import MIRRORED

    out: list[str] = []
    for i, level in order:
        ch = text[i]
        swapped = ch.translate(_BOX_MIRROR)
        if swapped != ch:
            out.append(swapped)
        elif level % 2 and ch in MIRRORED:
            out.append(MIRRORED[ch])
        else:
            out.append(ch)
    return out


def mirror_x(x: int, width: int) -> int:
    """A column on screen, as the layout (which is not mirrored) knows it."""
    return width - 1 - x


def mirror_mouse(event: Any, width: int) -> None:
    """Turn a mouse event's columns from the mirrored screen back to the layout's."""
    for name in ("_x", "_screen_x"):
        value = getattr(event, name, None)
        if isinstance(value, int | float):
            setattr(event, name, (width - 1 - value) if isinstance(value, int)
                    else max(0.0, width - value))


def isolated(text: str) -> str:
    """A short text shown by itself in a left-to-right screen (a language's name in a menu):
    when it holds right-to-left letters and the screen is not drawn right to left, shaped and in
    display order, so "العربية" reads right in an English or German menu. Otherwise as it is."""
    if _active or not contains_rtl([text]):
        return text
    shaped = _shape(text)
    return "".join(shaped[i] for i, _level in visual_order(shaped) if shaped[i] not in _MARKS)


def ltr(text: str) -> str:
    """A left-to-right fragment (a file path, a command) to put inside a sentence of the
    current language: in a right-to-left language it is held between left-to-right marks, so
    its slashes and dots stay where they belong ("/tmp/saves" would otherwise be drawn
    "tmp/saves/"). The marks are not drawn."""
    from moscow1941 import i18n

    return f"\u200e{text}\u200e" if i18n.is_rtl() else text


def contains_rtl(texts: Iterable[str]) -> bool:
    """Whether any of `texts` holds right-to-left letters."""
    return any(unicodedata.bidirectional(c) in _RTL_CLASSES for t in texts for c in t)
