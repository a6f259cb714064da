"""Keys in the current language. Textual builds a class's `BINDINGS` once, at import, before the
language is known; their descriptions are marked with `N_` and translated here, per screen (or
app) instance, where the footer, the command palette and tooltips read them
(`node._bindings`, a copy of the class's bindings that each instance owns). The keys stay the
same in every language: only what they do is said in the player's language.

`Translated` does it for a screen when it is built; the App calls `translate_bindings` on
itself when the language changes (screens are rebuilt then)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingsMap

from moscow1941.i18n import N_, _

if TYPE_CHECKING:
    from textual.dom import DOMNode

NUMBERED: dict[str, str] = {
    # Translators: a number key's description in the command palette ("Choose 3").
    "Choose": N_("Choose {n}"),
    # Translators: a number key on the New game screen ("Campaign 2").
    "Campaign": N_("Campaign {n}"),
}
"""Descriptions made of a word and a number (one binding per number key)."""

TEXTUAL_KEYS = (
    # Translators: the footer's name for ctrl+p, Textual's command palette (one short word).
    N_("palette"),
    N_("Open the command palette"),
)
"""The words of the key Textual itself adds (the command palette's), translated here too."""

_NUMBERED_RE = re.compile(r"^(\w+) (\d)$")
_ENGLISH = "_moscow1941_english_bindings"


def translate(text: str) -> str:
    """A key's description or tooltip in the current language ('' stays '')."""
    if not text:
        return text
    m = _NUMBERED_RE.match(text)
    if m and m.group(1) in NUMBERED:
        return _(NUMBERED[m.group(1)]).format(n=m.group(2))
    return _(text)


def translate_bindings(node: DOMNode) -> None:
    """Give `node`'s own bindings descriptions and tooltips in the current language. The
    English bindings are kept on the node the first time, so calling it again after a change
    of language translates from English, not from the last language."""
    english: BindingsMap | None = getattr(node, _ENGLISH, None)
    if english is None:
        english = node._bindings.copy()
        setattr(node, _ENGLISH, english)
    translated = english.copy()
    translated.key_to_bindings = {
        key: [_translated(b) for b in bindings]
        for key, bindings in english.key_to_bindings.items()
    }
    node._bindings = translated


def _translated(binding: Binding) -> Binding:
    description, tooltip = translate(binding.description), translate(binding.tooltip)
    if description == binding.description and tooltip == binding.tooltip:
        return binding
    return replace(binding, description=description, tooltip=tooltip)


class Translated:
    """A mixin for screens: their keys' descriptions in the language current when they are
    built (put it before `Screen` in the bases)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)  # type: ignore[arg-type]
