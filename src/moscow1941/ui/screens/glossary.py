"""The glossary: people, places, treaties and terms. Type to search; the entries named in the
current scene come first."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from moscow1941.i18n import N_, _
from moscow1941.story.model import GlossaryEntry
from moscow1941.story.search import search_glossary
from moscow1941.ui.keys import Translated
from moscow1941.words import glossary_kind


def entry_content(entry: GlossaryEntry) -> Content:
    """One entry in full: term, kind and dates, text."""
    kind = glossary_kind(entry.kind)
    # Translators: a glossary entry's kind and its dates, e.g. "person, 1890–1986".
    sub = _("{kind}, {dates}").format(kind=kind, dates=entry.dates) if entry.dates else kind
    return Content("\n").join([Content.styled(entry.term, "bold"), Content.styled(sub, "italic"),
                               Content(""), Content(" ".join(entry.text.split()))])


class GlossaryScreen(Translated, Screen[None]):
    """A search field, the matching entries, and the highlighted entry in full."""


    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Close"), id="close-glossary"),
        Binding("down", "move(1)", N_("Next"), show=False, id="glossary-next"),
        Binding("up", "move(-1)", N_("Previous"), show=False, id="glossary-previous"),
    ]
    """Type to search; up and down move through the entries; Esc closes."""

    DEFAULT_CSS = """
    #glossary-search {
        margin: 0 1;
    }
    #glossary-body {
        height: 1fr;
    }
    #glossary-list {
        width: 32;
        height: 100%;
        margin: 0 0 0 1;
    }
    #glossary-detail-scroll {
        padding: 0 2;
    }
    """
    """Layout of this screen; colours come from the theme."""

    def __init__(self, glossary: Mapping[str, GlossaryEntry], mentioned: list[str] | None = None,
                 entry_id: str | None = None) -> None:
        """The entries of `glossary`; those `mentioned` in the scene first; `entry_id` shown."""
        super().__init__()
        self.glossary = glossary
        self.mentioned = list(mentioned or [])
        self.entry_id = entry_id
        self._ids: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Glossary")), classes="screen-heading")
        yield Input(placeholder=_("Search people, places, terms…"), id="glossary-search")
        yield Static(Content(_("» named in this scene · type to search · ↑↓ to browse")),
                     id="glossary-legend", classes="hint")
        with Horizontal(id="glossary-body"):
            yield OptionList(id="glossary-list", classes="framed")
            with VerticalScroll(id="glossary-detail-scroll"):
                yield Static(id="glossary-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#glossary-search", Input).focus()

    def _entries(self, query: str) -> list[tuple[GlossaryEntry, bool]]:
        """The matching entries, best match first (`search_glossary`); with nothing typed,
        the ones named in this scene first, then the rest by term."""
        glossary = self.glossary
        found = search_glossary(glossary.values(), query)
        if query.strip():
            return [(e, e.id in self.mentioned) for e in found]
        first = [glossary[i] for i in self.mentioned if i in glossary]
        return [(e, True) for e in first] + [(e, False) for e in found
                                              if e.id not in self.mentioned]

    def _fill(self, query: str) -> None:
        listing = self.query_one("#glossary-list", OptionList)
        entries = self._entries(query)
        listing.set_options(
            Option(Content.assemble(("» " if here else "  "), e.term), id=e.id)
            for e, here in entries)
        ids = [e.id for e, _ in entries]
        self._ids = set(ids)
        if query.strip() and ids:
            listing.highlighted = 0  # the best match, not the entry shown before the search
        elif self.entry_id in ids:
            listing.highlighted = ids.index(self.entry_id)
        elif ids:
            listing.highlighted = 0
        self._show(ids[listing.highlighted] if ids and listing.highlighted is not None else None)

    def _show(self, entry_id: str | None) -> None:
        detail = self.query_one("#glossary-detail", Static)
        if entry_id is None:
            query = self.query_one("#glossary-search", Input).value.strip()
            detail.update(Content(_("Nothing in the glossary matches ‘{query}’. Try a shorter "
                                    "word, or part of a name.").format(query=query)
                                  if query else _("Nothing matches.")))
        else:
            self.entry_id = entry_id
            detail.update(entry_content(self.glossary[entry_id]))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#glossary-list", OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id in self._ids:  # not a late message from an earlier search's list
            self._show(event.option.id)

    def action_move(self, step: int) -> None:
        """Move through the entries while typing in the search field."""
        listing = self.query_one("#glossary-list", OptionList)
        if step > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()
