"""The languages the game speaks: gettext catalogs for its own words, Babel for dates and numbers.

Every sentence the program says to a person goes through `_` (or `ngettext` where a number
decides the form, `pgettext` where one English word has two meanings). Module-level constants
are marked with `N_` and translated where they are shown. The catalogs are
`moscow1941/locale/LANG/LC_MESSAGES/moscow1941.po`, extracted and updated with Babel (see
docs/authoring.md, "Translating the game"). They are read straight from the `.po` file the
first time a language is used (about 20 ms), so there is no compiled `.mo` to fall out of date.
A string the catalog lacks is shown in English: per string, never blank.

`set_language` sets the language of the whole process (the terminal game, plain mode, each
game of the terminal web face). `speaking` sets one for the current context only (a
`contextvars` variable), so the web face (`moscow1941.web.face`) answers each request in its
student's language while other requests, in other tasks, speak theirs.

UI-free: no Rich, no Textual.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gettext as _gettext
import io
import os
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moscow1941.story.dates import StoryDate

DOMAIN = "moscow1941"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: The languages the game speaks, each named in itself (as a language menu shows them).
LANGUAGES: Mapping[str, str] = {"en": "English", "de": "Deutsch", "ar": "العربية"}
#: The languages written right to left.
RTL = frozenset({"ar"})
DEFAULT = "en"

_Spoken = tuple[str, _gettext.NullTranslations]
_process: _Spoken = (DEFAULT, _gettext.NullTranslations())
_context: ContextVar[_Spoken | None] = ContextVar("moscow1941_language", default=None)
_cache: dict[str, _gettext.NullTranslations] = {}


def _spoken() -> _Spoken:
    return _context.get() or _process


def normalize(code: str | None) -> str | None:
    """The game's language for a locale name (`de_DE.UTF-8` → `de`, `ar_EG` → `ar`, `C` →
    None), or None when the game does not speak it."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("-", "_").lower()
    if base in ("c", "posix"):
        return None
    lang = base.split("_")[0]
    return lang if lang in LANGUAGES else None


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, as gettext reads it: the first of `LANGUAGE`
    (a colon-separated list of preferences), `LC_ALL`, `LC_MESSAGES` and `LANG` that is set,
    and in it the first language the game speaks; English otherwise."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if not value:
            continue
        for part in value.split(":"):
            found = normalize(part)
            if found:
                return found
        if var != "LANGUAGE":
            # gettext: the first of LC_ALL, LC_MESSAGES, LANG that is set decides.
            return DEFAULT
    return DEFAULT


def _load(code: str) -> _gettext.NullTranslations:
    if code == DEFAULT:
        return _gettext.NullTranslations()
    cached = _cache.get(code)
    if cached is not None:
        return cached
    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalog: _gettext.NullTranslations
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as f:
            messages = read_po(f, locale=code, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, messages, use_fuzzy=False)
        buffer.seek(0)
        catalog = _gettext.GNUTranslations(buffer)
    except (OSError, ValueError, SyntaxError):
        catalog = _gettext.NullTranslations()
    _cache[code] = catalog
    return catalog


def set_language(code: str | None) -> str:
    """Speak `code` from now on (a language or locale name; None or one the game does not
    speak: English). Returns the language chosen."""
    global _process
    lang = normalize(code) or DEFAULT
    _process = (lang, _load(lang))
    return lang


@contextlib.contextmanager
def speaking(code: str | None) -> Iterator[str]:
    """Speak `code` in this context only (this asyncio task, or this thread's current
    context) until the block ends; the process's language is untouched elsewhere."""
    lang = normalize(code) or DEFAULT
    token = _context.set((lang, _load(lang)))
    try:
        yield lang
    finally:
        _context.reset(token)


def language() -> str:
    """The language the game speaks now."""
    return _spoken()[0]


def is_rtl(code: str | None = None) -> bool:
    """Whether `code` (default: the current language) is written right to left."""
    return (code or _spoken()[0]) in RTL


def _(message: str) -> str:
    """`message` in the current language (English where the catalog lacks it)."""
    return _spoken()[1].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence for the number `n` (languages have one to six forms)."""
    return _spoken()[1].ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the sense `context` names (the same English may translate two ways)."""
    return _spoken()[1].pgettext(context, message)


def N_(message: str) -> str:
    """Marks `message` for translation where it is defined; `_` translates it where it is shown."""
    return message


# ---- dates and numbers ---------------------------------------------------------------------

def _locale() -> str:
    return _spoken()[0]


def format_day(year: int, month: int, day: int | None) -> str:
    """A date for a reader in the current language: `13 April 1941`, `13. April 1941`,
    `13 أبريل 1941`; a month alone: `April 1941`."""
    from babel.dates import format_date, format_skeleton

    moment = _dt.date(year, month, day or 1)
    if day is None:
        return format_skeleton("yMMMM", moment, locale=_locale())
    if _locale() == "en":
        return f"{day} {format_date(moment, 'MMMM', locale='en')} {year}"
    return format_date(moment, "long", locale=_locale())


def format_story_date(date: StoryDate) -> str:
    """A story's date (`StoryDate`) for a reader in the current language."""
    return format_day(date.year, date.month, date.day)


def format_number(n: float) -> str:
    """`12,345` in English, `12.345` in German."""
    from babel.numbers import format_decimal

    return format_decimal(n, locale=_locale())


def format_percent(fraction: float, digits: int = 0) -> str:
    """A share as a percentage: `12%` in English, `12 %` in German, `12%` in Arabic."""
    from babel.numbers import format_percent as babel_percent

    if digits == 0:
        return babel_percent(fraction, locale=_locale())
    return babel_percent(fraction, locale=_locale(), decimal_quantization=False)


def format_moment(moment: _dt.datetime) -> str:
    """A local date and time (save times): `2 Dec 1941, 14:05`-like, in the current language."""
    from babel.dates import format_datetime

    return format_datetime(moment.astimezone(), "short" if _locale() != "en" else "yyyy-MM-dd HH:mm",
                           locale=_locale())
