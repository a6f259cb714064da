"""The teacher's guide stays true to the shipped story: every debrief question and reflection
prompt a class meets is printed in it."""

from __future__ import annotations

import re

import pytest
from tests.conftest import REPO, SHIPPED_STORY

from moscow1941.story import load_story


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_guide_lists_every_debrief_question_and_reflection_prompt() -> None:
    story = load_story(SHIPPED_STORY).story
    assert story is not None
    guide = _flat((REPO / "docs" / "teachers.md").read_text(encoding="utf-8"))
    questions = [q for c in story.campaigns.values() for q in c.debrief]
    prompts = [n.reflect for n in story.nodes.values() if n.reflect]
    assert questions and prompts
    missing = [q for q in questions + prompts if _flat(q) not in guide]
    assert not missing, "docs/teachers.md lacks (regenerate its lists): " + "; ".join(missing)


# ---- every message the guides quote is one the game shows (defect 5 of the classroom trial) ---

GUIDES = {"en": "teachers.md", "de": "de/teachers.md", "ar": "ar/teachers.md"}
QUOTES = {"en": r'"([^"\n]+)"', "de": r"„([^“\n]+)“", "ar": r"«([^»\n]+)»"}
"""How each guide quotes what is on the screen."""
LOCALE = REPO / "src" / "moscow1941" / "locale"


def shown(language: str) -> list[str]:
    """Every message the game can show in `language`: its catalog's translations (the template's
    messages in English), each form of a plural, on one line."""
    from babel.messages.pofile import read_po

    path = LOCALE / ("moscow1941.pot" if language == "en"
                     else f"{language}/LC_MESSAGES/moscow1941.po")
    with path.open("rb") as f:
        catalog = read_po(f)
    out: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        texts = message.id if language == "en" else message.string
        if isinstance(texts, str):
            texts = (texts,)
        out += [_flat(t) for t in texts or () if t]
    return out


def quoted_messages(language: str) -> list[str]:
    """The guide's quotations of a message (outside its code samples): a sentence of at least
    two words that starts with a capital (in Arabic: has Arabic letters and starts with one)."""
    text = re.sub(r"```.*?```", "", (REPO / "docs" / GUIDES[language]).read_text("utf-8"),
                  flags=re.S)
    out = []
    for match in re.finditer(QUOTES[language], _flat(text)):
        quote = match[1]
        if len(quote.split()) < 2:
            continue
        if language == "ar" and not ("\u0600" <= quote[0] <= "\u06ff"):
            continue
        if language != "ar" and not quote[0].isupper():
            continue
        out.append(quote)
    return out


def as_pattern(quote: str) -> re.Pattern[str]:
    """A quotation as a pattern over catalog messages: N stands for a number ({n}), ‘…’ for a
    quoted name, and a closing … for the rest of the message; otherwise it is the whole
    message."""
    rest = quote.endswith("…") and not quote.endswith("‘…’")
    body = quote[:-1] if rest else quote
    wild = {" N ": r" (?:\{n\}|\d+) ", "‘…’": r"‘[^’]*’"}
    rx = "".join(wild.get(part) or re.escape(part) for part in re.split(r"( N |‘…’)", body))
    return re.compile(rx + ("" if rest else "$"))


@pytest.mark.parametrize("language", sorted(GUIDES))
def test_every_message_the_guide_quotes_is_one_the_game_shows(language: str) -> None:
    messages = shown(language)
    quotes = quoted_messages(language)
    assert len(quotes) >= 4, "the guide's troubleshooting quotes were not found"
    missing = [q for q in quotes if not any(as_pattern(q).match(m) for m in messages)]
    assert not missing, f"docs/{GUIDES[language]} quotes what the game never shows: {missing}"


def test_a_misquoted_message_is_caught() -> None:
    messages = shown("en")
    for wrong in ("That name is taken in this class.", "Session ended",
                  "Too many wrong secret words. Wait N seconds."):
        assert not any(as_pattern(wrong).match(m) for m in messages), wrong
    for right in ("That name is taken in this class, and that is not the secret word for ‘…’…",
                  "Too many wrong secret words. Wait N seconds before trying again."):
        assert any(as_pattern(right).match(m) for m in messages), right


# ---- every command in the guides runs as written after the README's install (defect 6) -------

INSTALL = "python3 -m venv .venv && .venv/bin/pip install -e ."
"""The README's install: the command it gives is then `.venv/bin/moscow1941`, in the game's
folder."""


def commands(language: str) -> list[str]:
    """Every command the guide gives: each code span, and each line of a `sh` sample, that
    runs the game (comments cut off), split at `&&`."""
    text = (REPO / "docs" / GUIDES[language]).read_text("utf-8")
    found: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        found += [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
    found += re.findall(r"(?<!`)`([^`\n]+)`(?!`)", re.sub(r"```.*?```", "", text, flags=re.S))
    out = [part.strip() for c in found for part in c.split("&&")]
    # `moscow1941 …` names the command in a sentence ("… alone does the same"): not one to run.
    return [c for c in out if re.match(r"(\S*/)?moscow1941(\s|$)", c) and not c.endswith(" …")]


@pytest.mark.parametrize("language", sorted(GUIDES))
def test_every_command_in_the_guide_runs_as_written_after_the_install(language: str) -> None:
    import shlex

    from moscow1941.cli import _command_names, build_parser

    assert INSTALL in (REPO / "README.md").read_text("utf-8")
    found = commands(language)
    assert len(found) >= 12
    bare = [c for c in found if not c.startswith(".venv/bin/moscow1941")]
    assert not bare, f"docs/{GUIDES[language]}: not runnable after the install: {bare}"
    parser = build_parser()
    names = set(_command_names())
    for command in found:
        argv = shlex.split(command)[1:]
        if len(argv) == 1 and argv[0] in names:
            continue  # a subcommand named in a sentence (`moscow1941 report` reads...)
        if argv:
            try:
                parser.parse_args(argv)
            except SystemExit:
                pytest.fail(f"docs/{GUIDES[language]}: the game refuses `{command}`")
