"""The web face in a real browser (Debian's Chromium through Playwright): every page in every
language has no accessibility violation axe-core can find at WCAG 2.2 AA, and a student plays
a campaign to its ending with the keyboard alone, with and without JavaScript.

The server is the real `moscow1941 serve` (web face) in a subprocess. Skipped without Chromium,
Playwright or axe-core, except under CI, where that fails (`tests/browser/axe.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser.axe import axe_violations, format_violations, wait_until
from tests.browser.server import Served, served

PASSWORD = "a-teacher-password"
LANGS = ("en", "de", "ar")


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("web")
    password = home / "password.txt"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    with served(home / "saves", "--class", "9B", "--password-file", str(password), face="web") as run:
        yield run


def class_code(run: Served) -> str:
    for line in run.output:
        m = re.match(r"Class code: (\S+)", line)
        if m:
            return m[1]
    raise AssertionError("serve printed no class code:\n" + "\n".join(run.output))


def check(page: Any, axe_source: str, what: str, found: dict[str, str]) -> None:
    violations = axe_violations(page, source=axe_source)
    if violations:
        found[what] = format_violations(violations)


def sign_in(page: Any, run: Served, name: str, lang: str) -> None:
    page.goto(run.url + "/")
    page.select_option("#lang-select", lang)
    page.click("footer.bottom form.language button")
    page.fill("#name", name)
    page.fill("#secret", "sunflower")
    page.fill("#code", class_code(run))
    page.click("form.signin button.primary")
    page.fill("#secret", "sunflower")
    page.fill("#again", "sunflower")
    page.click("form.signin button.primary")
    page.wait_for_load_state("load")  # the page's script (the keys) runs when it has loaded
    assert page.url.endswith("/new"), page.url


def choose_by_keys(page: Any) -> None:
    """Press the number of the first choice that can be taken (a locked one has no key)."""
    step = page.locator('input[name="step"]').first.get_attribute("value")
    key = page.locator("button[name=choice][data-key]").first.get_attribute("data-key")
    page.keyboard.press(key)
    wait_until(page, "(step) => { const s = document.querySelector('input[name=step]');"
               " return !s || s.value !== step || !!document.querySelector('#ending-title'); }",
               step, f"the scene after step {step}")


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_no_accessibility_violation(
        chromium_browser: Any, axe_source: str, web: Served, lang: str) -> None:
    page = chromium_browser.new_page(viewport={"width": 1280, "height": 900})
    found: dict[str, str] = {}
    page.goto(web.url + "/")
    page.select_option("#lang-select", lang)
    page.click("footer.bottom form.language button")
    check(page, axe_source, "sign-in", found)
    page.fill("#name", f"Axe {lang}")
    page.fill("#secret", "sunflower")
    page.fill("#code", class_code(web))
    page.click("form.signin button.primary")
    check(page, axe_source, "sign-in, word again", found)
    page.fill("#secret", "sunflower")
    page.fill("#again", "sunflower")
    page.click("form.signin button.primary")
    check(page, axe_source, "new game", found)
    page.keyboard.press("2")
    page.wait_for_url("**/play")
    check(page, axe_source, "first scene", found)
    seen_reflection = seen_locked = False
    for _ in range(200):
        if page.locator("#ending-title").count():
            break
        if not seen_reflection and page.locator("#reflection").count():
            page.fill("#reflection", "An answer")
            check(page, axe_source, "a scene with a reflection prompt", found)
            page.evaluate("document.activeElement.blur()")
            seen_reflection = True
        if not seen_locked and page.locator("button[disabled]").count():
            check(page, axe_source, "a scene with a locked choice", found)
            seen_locked = True
        choose_by_keys(page)
    check(page, axe_source, "ending", found)
    page.click("form[action='/handin'] button")
    check(page, axe_source, "ending, handed in", found)
    for path in ("/history", "/timeline", "/timeline?all=1", "/glossary", "/glossary?q=molotov",
                 "/glossary?q=zzzz", "/glossary/matsuoka", "/games", "/help", "/new", "/nowhere"):
        page.goto(web.url + path)
        if path == "/history":
            page.locator("details summary").first.click() if page.locator("details").count() else None
        check(page, axe_source, path, found)
    page.goto(web.url + "/timeline")
    page.emulate_media(color_scheme="dark")
    page.goto(web.url + "/games")
    check(page, axe_source, "/games, dark colour scheme", found)
    page.close()
    assert not found, "\n\n".join(f"{what}:\n{text}" for what, text in found.items())


@pytest.mark.parametrize("lang", LANGS)
def test_a_campaign_is_played_to_its_ending_with_the_keyboard_alone(
        chromium_browser: Any, web: Served, lang: str) -> None:
    """The game's keys (1-9 choose, h t g s open pages, p back to the scene), as in the
    terminal; a reflection is typed after Tab reaches its field."""
    page = chromium_browser.new_page(viewport={"width": 1024, "height": 768})
    sign_in(page, web, f"Keys {lang}", lang)
    page.keyboard.press("3")  # the third campaign: the Soviet one
    page.wait_for_url("**/play")
    first = page.locator("h1").inner_text()
    for key, where in (("h", "/history"), ("t", "/timeline"), ("g", "/glossary"), ("s", "/games"),
                       ("?", "/help"), ("p", "/play")):
        page.keyboard.press(key)
        page.wait_for_url("**" + where)
        page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == first
    choices = 0
    while not page.locator("#ending-title").count():
        if page.locator("#reflection").count() and not page.locator("#reflection").input_value():
            for _ in range(40):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement && document.activeElement.id") == "reflection":
                    break
            page.keyboard.type("Typed with the keyboard")
            page.keyboard.press("Tab")  # leave the field: the keys choose again
        choose_by_keys(page)
        choices += 1
        assert choices < 200
    assert page.locator("#ending-title").is_visible()
    assert page.evaluate("document.activeElement.tagName") == "H1"  # focus follows the scene
    page.close()


def test_without_javascript_tab_and_enter_play_to_the_ending(chromium_browser: Any, web: Served) -> None:
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, web, "No Script", "en")
    page.locator("form[action='/new'] button").first.focus()
    page.keyboard.press("Enter")  # the prologue
    page.wait_for_url("**/play")
    for _ in range(200):
        if page.locator("#ending-title").count():
            break
        button = page.locator("button[name=choice]:not([disabled])").first
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == "choice":
                break
        assert page.evaluate("document.activeElement.name") == "choice", "Tab never reached a choice"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        del button
    assert page.locator("#ending-title").count() == 1
    context.close()


def test_a_double_click_takes_one_choice(chromium_browser: Any, web: Served, tmp_path: Path) -> None:
    page = chromium_browser.new_page()
    sign_in(page, web, "Double Click", "en")
    page.keyboard.press("2")
    page.wait_for_url("**/play")
    before = int(page.locator('input[name="step"]').first.get_attribute("value") or "0")
    page.locator("button[name=choice]").first.dblclick()
    page.wait_for_timeout(800)
    page.goto(web.url + "/play")
    after = int(page.locator('input[name="step"]').first.get_attribute("value") or "0")
    assert after == before + 1
    page.close()
