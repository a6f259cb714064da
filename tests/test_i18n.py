"""The game's own words in every language: the catalogs are complete and consistent with the
code, the language comes from the environment, dates and numbers are the language's."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from moscow1941 import i18n
from moscow1941.story.dates import StoryDate

SRC = Path(i18n.__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
METHODS = [("**.py", "python"), ("web/templates/face/**.html", "jinja2.ext:babel_extract")]
"""Where the messages are: the code, and the web face's Jinja templates (as babel.cfg says)."""
TRANSLATED = [code for code in i18n.LANGUAGES if code != "en"]


def _extracted() -> dict[tuple[str, str | None], tuple[str, ...]]:
    """Every message of the code: (msgid, context) to its forms (one, or singular and plural)."""
    found: dict[tuple[str, str | None], tuple[str, ...]] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
            str(SRC), method_map=METHODS, keywords=KEYWORDS):
        forms = (message,) if isinstance(message, str) else tuple(message)
        found[(forms[0], context)] = forms
    return found


def _fields(text: str) -> set[str]:
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<malformed>"}


@pytest.fixture(scope="module")
def extracted() -> dict[tuple[str, str | None], tuple[str, ...]]:
    return _extracted()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_of_the_game_is_translated(lang: str, extracted: dict[
        tuple[str, str | None], tuple[str, ...]]) -> None:
    """No English left: each message the code can show has a translation in every form its
    language has, with the same {placeholders}, and none is fuzzy."""
    po = SRC / "locale" / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    problems: list[str] = []
    for (msgid, context), forms in sorted(extracted.items(), key=lambda kv: kv[0][0]):
        message = catalog.get(msgid, context=context)
        if message is None or not message.string or message.fuzzy:
            problems.append(f"missing: {msgid!r}")
            continue
        strings = tuple(message.string) if isinstance(message.string, tuple | list) \
            else (message.string,)
        if not all(strings) or len(strings) != (catalog.num_plurals if len(forms) > 1 else 1):
            problems.append(f"incomplete plural forms: {msgid!r}")
            continue
        want = set().union(*(_fields(f) for f in forms))
        for s in strings:
            got = _fields(s)
            # A plural form may leave out {n} (Arabic says "one decision" without a number).
            if not got <= want or (want - got) - {"n", "count"}:
                problems.append(f"placeholders differ: {msgid!r} -> {s!r}")
    assert not problems, f"{len(problems)} problems in {po}:\n" + "\n".join(problems[:40])


def test_the_language_comes_from_the_environment_as_gettext_reads_it() -> None:
    env = i18n.from_environment
    assert env({}) == "en"
    assert env({"LANG": "de_DE.UTF-8"}) == "de"
    assert env({"LANG": "ar_EG.UTF-8"}) == "ar"
    assert env({"LANGUAGE": "fr:ar", "LANG": "de_DE"}) == "ar"   # LANGUAGE's first we speak
    assert env({"LC_ALL": "C", "LANG": "de_DE"}) == "en"          # LC_ALL decides
    assert env({"LC_MESSAGES": "de", "LANG": "ar"}) == "de"
    assert env({"LANG": "fr_FR.UTF-8"}) == "en"


def test_a_missing_message_falls_back_to_english_never_to_a_blank() -> None:
    try:
        for lang in TRANSLATED:
            assert i18n.set_language(lang) == lang
            assert i18n._("A sentence nobody translated.") == "A sentence nobody translated."
        assert i18n.set_language("fr_FR") == "en"
        assert i18n.set_language(None) == "en"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(("lang", "day", "month", "percent"), [
    ("en", "13 April 1941", "August 1945", "12%"),
    ("de", "13. April 1941", "August 1945", "12\xa0%"),
    ("ar", "13 أبريل 1941", "أغسطس 1945", "12%"),
])
def test_dates_and_numbers_are_written_as_the_language_writes_them(
        lang: str, day: str, month: str, percent: str) -> None:
    try:
        i18n.set_language(lang)
        assert StoryDate.parse("1941-04-13").display() == day
        assert StoryDate.parse("1945-08").display() == month
        assert re.sub(r"[\u200e\u200f\u061c]", "", i18n.format_percent(0.123)) == percent
    finally:
        i18n.set_language("en")


def test_the_template_holds_exactly_the_messages_of_the_code(extracted: dict[
        tuple[str, str | None], tuple[str, ...]]) -> None:
    """moscow1941.pot, which translators start from and the guides' quotes are checked against,
    is regenerated with the code (the pybabel command in docs/authoring.md, with babel.cfg)."""
    with (SRC / "locale" / f"{i18n.DOMAIN}.pot").open("rb") as f:
        template = read_po(f)
    have = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in template if m.id}
    assert have == set(extracted), (
        f"missing from the template: {sorted(set(extracted) - have)[:10]}; "
        f"no longer in the code: {sorted(have - set(extracted), key=str)[:10]}")
