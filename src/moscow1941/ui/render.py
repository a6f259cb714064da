"""Turning engine values into Textual `Content`, safely.

Story text is untrusted: it always enters as literal text (`Content(text)` or a `(text, style)`
part), never through markup, so square brackets in a story are shown as written. Nothing is
conveyed by colour alone: bars carry their numbers, locked choices say "locked".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from moscow1941 import i18n
from moscow1941.engine import Divergence, Scene, StatusValue
from moscow1941.i18n import _
from moscow1941.story.model import GlossaryEntry
from moscow1941.words import percent

SYMBOLS: Mapping[str, str] = {"history": "✓", "diverged": "✗", "counterfactual": "◇", "ahead": "·"}
"""The screens' mark beside each verdict (`engine.Verdict`) and timeline status
(`engine.TimelineStatus`), always with its words: never colour alone."""

__all__ = ["percent"]

FULL, EMPTY = "█", "░"
_EIGHTHS = " ▏▎▍▌▋▊▉"


INDENT = 3
"""Cells taken by the number column: wrapped lines of a choice start under its text."""


def hanging(label: str, body: Content, width: int, indent: int = INDENT,
            style: str = "bold") -> Content:
    """`label` then `body` wrapped to `width`, continuation lines indented under the body.

    Choices change with every scene, so they are wrapped here, once, as `Content` (cheap to
    draw) rather than laid out by a table on every frame.
    """
    lines = body.wrap(max(10, width - indent))
    head = Content.styled(label.ljust(indent), style)
    pad = Content(" " * indent)
    return Content("\n").join(
        Content.assemble(head if i == 0 else pad, line) for i, line in enumerate(lines))


def bar(share: float, width: int = 12) -> str:
    """A horizontal bar `width` cells wide, filled to `share` (0..1) in eighths of a cell."""
    share = min(1.0, max(0.0, share))
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (_EIGHTHS[part] if part else "")
    return text + EMPTY * (width - len(text))


def status_line(value: StatusValue, width: int = 12) -> Content:
    """A story variable as the status panel shows it: a bar with its number, or a value."""
    if value.type == "bool":
        return Content(_("yes") if value.value else _("no"))
    if value.type == "int" and value.min is not None and value.max is not None \
            and value.max > value.min and isinstance(value.value, int):
        share = (value.value - value.min) / (value.max - value.min)
        number = str(value.value).replace("-", "−")
        bounds = f"({value.min}…{value.max})".replace("-", "−")
        if i18n.is_rtl():
            # Left-to-right marks keep "−5" and "(−5…5)" whole in right-to-left text (a minus
            # sign alone would be drawn after its number); a right-to-left mark between them
            # keeps them in the order an Arabic reader reads: the value, then its bounds.
            lrm, rlm = "\u200e", "\u200f"
            number, bounds = f"{lrm}{number}{lrm}{rlm}", f"{lrm}{bounds}{lrm}"
        figures = f"{number} {bounds}"
        return Content.assemble((bar(share, width), "$primary"), " " + figures)
    return Content(str(value.value))


def divergence_block(d: Divergence, width: int = 10) -> Content:
    """Both divergence figures, each as a bar with its number, and the counts behind it, in
    lines short enough for the status panel (the ending and help screens say what each means
    in a sentence: `words.CHOICES_MEANS`, `words.WORLD_MEANS`)."""
    # Translators: "Choices" and "World" label the two divergence bars in the status panel;
    # they are padded to the same width, so keep them at 7 letters or fewer.
    choices, world = _("Choices"), _("World")
    pad = max(len(choices), len(world)) + 1
    events = d.events_total or d.events_settled
    lines = [
        Content.assemble((choices.ljust(pad), "bold"), (bar(d.choice, width), "$accent"), " ",
                         percent(d.choice)),
        # Translators: this line and the events' one are in the 24-column status panel,
        # after two spaces: keep them to 21 characters with two-digit numbers.
        Content("  " + _("{done} of {total} decisions").format(done=d.divergent_decisions,
                                                               total=d.decisions)),
    ]
    if d.counterfactual_decisions:
        lines.append(Content("  " + _("+{n} history never saw").format(
            n=d.counterfactual_decisions)))
    lines += [
        Content.assemble((world.ljust(pad), "bold"), (bar(d.outcome, width), "$accent"), " ",
                         percent(d.outcome)),
        Content("  " + _("{done} of {total} events").format(done=d.events_diverged,
                                                            total=events)),
    ]
    return Content("\n").join(lines)


class GlossaryLinker:
    """Finds the names of glossary entries in scene text and makes them clickable links that
    open the entry (`screen.glossary('<id>')`). Built once per story."""

    def __init__(self, glossary: Mapping[str, GlossaryEntry]) -> None:
        self._ids: dict[str, str] = {}
        for entry in glossary.values():
            for name in entry.match:
                if name:
                    self._ids.setdefault(name, entry.id)
        names = sorted(self._ids, key=len, reverse=True)
        self._pattern = (re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)")
                         if names else None)

    def link(self, text: str, style: str = "") -> Content:
        """`text` as literal content, with every glossary name underlined and clickable."""
        content = Content.styled(text, style) if style else Content(text)
        if self._pattern is None:
            return content
        spans = []
        for m in self._pattern.finditer(text):
            entry_id = self._ids[m.group(1)]
            action = f"screen.glossary({entry_id!r})"
            link = Style(underline=True) + Style.from_meta({"@click": action})
            spans.append((m.start(), m.end(), link))
        for start, end, link in spans:
            content = content.stylize(link, start, end)
        return content

    def mentions(self, texts: Iterable[str]) -> list[str]:
        """The ids of the entries named in `texts`, in order of first mention."""
        if self._pattern is None:
            return []
        seen: dict[str, None] = {}
        for text in texts:
            for m in self._pattern.finditer(text):
                seen.setdefault(self._ids[m.group(1)], None)
        return list(seen)


def update_if_changed(static: Static, content: Content) -> None:
    """Give `static` new content only if it differs: an update always costs a layout pass, and
    from one scene to the next the date, place and status often stay the same."""
    old = static.content
    if not (isinstance(old, Content) and old.is_same(content)):
        static.update(content)


def scene_text(scene: Scene, linker: GlossaryLinker) -> Content:
    """The scene's paragraphs, separated by blank lines, with glossary names linked."""
    return Content("\n\n").join(linker.link(p) for p in scene.paragraphs)


def numbered(label: str, *lines: Text, gap: bool = False) -> Table:
    """An option with a hanging indent: `label` in its own narrow column, the lines beside it
    (wrapped under each other, not under the label). `gap` adds a blank line after it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=max(2, len(label)), no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(label, style="bold"), Text("\n").join(lines))
    if gap:
        grid.add_row("", "")
    return grid
