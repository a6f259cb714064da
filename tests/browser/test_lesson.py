"""A lesson, end to end, in Chromium: the teacher signs in to the dashboard, pastes the class
list, opens the handout and watches the live view, while 30 students (each a browser of their
own) sign in, choose a secret word, play a campaign to its ending, answer the reflection
questions and hand in. Then the teacher reads the report and downloads the gradebook. Once in
English, German and Arabic, with the real `moscow1941 serve --face web` in a subprocess.

The 45 minutes are compressed: every student makes a choice each round, as fast as the pages
come. What is checked is what a teacher would see: every student on the live view as they
play (without reloading the page), every choice counted, every reflection arrived, every game
handed in, the same figures in the gradebook, and no accessibility violation on the
teacher's pages. MOSCOW1941_LESSON_STUDENTS makes the class smaller (CI's second and third
runs use 10); the README's test command runs the full 30.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.browser.axe import axe_violations, format_violations, wait_until
from tests.browser.server import Served, served

PASSWORD = "lesson-teacher-password"
STUDENTS = int(os.environ.get("MOSCOW1941_LESSON_STUDENTS", "30"))
FIRST = {
    "en": ["Amelia", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack"],
    "de": ["Anna", "Jonas", "Lena", "Lukas", "Marie", "Felix", "Sophie", "Paul", "Emma", "Ömer"],
    "ar": ["أحمد", "فاطمة", "يوسف", "مريم", "عمر", "ليلى", "خالد", "نور", "سارة", "علي"],
}
LAST = {"en": ["Smith", "Jones", "Khan"], "de": ["Müller", "Schmidt", "Yılmaz"],
        "ar": ["الحسن", "منصور", "حداد"]}
ANSWER = {"en": "I would wait: a treaty signed in haste binds you longest.",
          "de": "Ich würde warten: Ein eilig unterschriebener Vertrag bindet am längsten.",
          "ar": "كنت سأنتظر: المعاهدة الموقّعة على عجل تقيّدك أطول مدة."}


@dataclass
class Student:
    name: str
    word: str
    campaign_key: str
    page: Any
    choices: int = 0
    reflections: int = 0
    done: bool = False


def names(lang: str, n: int) -> list[str]:
    return [f"{FIRST[lang][i % 10]} {LAST[lang][i // 10 % 3]}" + (f" {i // 30 + 1}" if i >= 30 else "")
            for i in range(n)]


@pytest.fixture
def lesson_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    lang = request.node.callspec.params["lang"]
    password = tmp_path / "password.txt"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    with served(tmp_path / "saves", "--class", f"Lesson {lang}",
                "--password-file", str(password), face="web", lang=lang) as run:
        yield run


def axe_clean(page: Any, axe_source: str, what: str, found: dict[str, str]) -> None:
    violations = axe_violations(page, source=axe_source)
    if violations:
        found[what] = format_violations(violations)


def live_figure(page: Any, name: str) -> int:
    return int(page.get_attribute("#live", f"data-{name}") or 0)


def rows_text(page: Any) -> dict[str, str]:
    """The live view's table, each row's text by the student's name."""
    out = {}
    for row in page.locator("table.live tbody tr").all():
        out[row.locator("th").inner_text().strip()] = row.inner_text()
    return out


@pytest.mark.parametrize("lang", ["en", "de", "ar"])
def test_a_lesson_of_thirty_students_with_the_teacher_watching(
        chromium_browser: Any, axe_source: str, lesson_server: Served, lang: str) -> None:
    url = lesson_server.url
    found: dict[str, str] = {}
    rng = random.Random(f"lesson-{lang}")
    # ---- the teacher, before the lesson -------------------------------------------------------
    teacher_context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = teacher_context.new_page()
    teacher.goto(url + "/teacher")
    assert teacher.url.endswith("/teacher/signin")
    assert teacher.get_attribute("html", "lang") == lang  # the class's language, by default
    axe_clean(teacher, axe_source, "teacher's sign-in", found)
    teacher.fill("#password", PASSWORD)
    teacher.click("form.signin button.primary")
    teacher.wait_for_url("**/teacher")
    class_list = names(lang, STUDENTS)
    teacher.goto(url + "/teacher/roster")
    teacher.fill("#names", "\n".join(class_list))
    teacher.click("form[action='/teacher/roster/add'] button.primary")
    teacher.wait_for_load_state("load")
    assert teacher.locator("table.roster tbody tr").count() == STUDENTS
    axe_clean(teacher, axe_source, "roster", found)
    teacher.goto(url + "/teacher/handout")
    address = teacher.inner_text(".handout .address").strip()
    assert address.rstrip("/") == url
    assert teacher.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    axe_clean(teacher, axe_source, "handout", found)
    teacher.goto(url + "/teacher")
    axe_clean(teacher, axe_source, "live view, empty", found)
    # ---- the students sign in ------------------------------------------------------------------
    students = []
    for n, name in enumerate(class_list):
        context = chromium_browser.new_context(viewport={"width": 800, "height": 600})
        page = context.new_page()
        page.goto(address)
        assert page.get_attribute("html", "lang") == lang
        word = f"word-{n}-{rng.randrange(10**6)}"
        page.fill("#name", name)
        page.fill("#secret", word)
        page.click("form.signin button.primary")
        page.fill("#secret", word)
        page.fill("#again", word)
        page.click("form.signin button.primary")
        page.wait_for_url("**/new")
        page.wait_for_load_state("load")
        s = Student(name, word, "2" if n % 2 == 0 else "3", page)
        page.keyboard.press(s.campaign_key)
        students.append(s)
    for s in students:
        s.page.wait_for_url("**/play")
    # the live view, left open, has seen every student start (it refreshes itself)
    wait_until(teacher, "(n) => document.querySelectorAll('table.live tbody tr a').length === n",
               STUDENTS, "every student's game on the live view", seconds=20)
    # ---- the lesson: a choice each round, reflections answered ---------------------------------
    rounds = 0
    while not all(s.done for s in students):
        rounds += 1
        assert rounds < 120, "a campaign did not end"
        moved = []
        for s in students:
            if s.done:
                continue
            if s.page.locator("#ending-title").count():
                s.done = True
                continue
            if s.page.locator("#reflection").count():
                s.page.fill("#reflection", ANSWER[lang])
                s.page.evaluate("document.activeElement.blur()")
                s.reflections += 1
            keys = s.page.locator("button[name=choice][data-key]").evaluate_all(
                "(bs) => bs.map((b) => b.dataset.key)")
            step = s.page.get_attribute('input[name="step"]', "value")
            s.page.keyboard.press(rng.choice(keys))
            moved.append((s, step))
        for s, step in moved:  # every page was sent on before any is waited for
            wait_until(s.page, "(step) => { const e = document.querySelector('input[name=step]');"
                       " return !e || e.value !== step || !!document.querySelector('#ending-title'); }",
                       step, f"{s.name}'s scene after step {step}")
            s.choices += 1
        if rounds == 5:
            axe_clean(teacher, axe_source, "live view, during the lesson", found)
    for s in students:
        s.page.click("form[action='/handin'] button")
        s.page.wait_for_load_state("load")
        assert s.page.locator("form[action='/handin']").count() == 0, s.name
    total = sum(s.choices for s in students)
    reflections = sum(s.reflections for s in students)
    # ---- what the teacher saw, without reloading the live view ----------------------------------
    wait_until(teacher, "([c, r]) => { const l = document.getElementById('live');"
               " return l && +l.dataset.choices === c && +l.dataset.reflections === r; }",
               [total, reflections], f"{total} choices and {reflections} reflections on the live view",
               seconds=20)
    announced = teacher.inner_text("#live-announce").strip()
    assert announced, "the polite live region never said what was new"
    teacher.reload()
    rows = rows_text(teacher)
    assert sorted(rows) == sorted(class_list)
    # every row says the same state: handed in (whatever the language calls it)
    states = {re.sub(r"\s+", " ", text.split("\t")[-1]).split("·")[0].strip() for text in rows.values()}
    assert len(states) == 1, states
    axe_clean(teacher, axe_source, "live view, after the lesson", found)
    teacher.goto(url + "/teacher/report")
    axe_clean(teacher, axe_source, "class report", found)
    teacher.goto(url + "/teacher/password")
    axe_clean(teacher, axe_source, "password", found)
    response = teacher.request.get(url + "/teacher/gradebook.csv")
    assert response.ok
    table = list(csv.DictReader(io.StringIO(response.text().removeprefix("\ufeff"))))
    assert sorted(row["student"] for row in table) == sorted(class_list)
    by = {row["student"]: row for row in table}
    for s in students:
        row = by[s.name]
        assert row["ended"] == "yes" and row["handed in (UTC)"], row
        assert int(row["reflections"]) == s.reflections, (s.name, row)
    # a student comes back later with their word and finds the game where it was
    again = chromium_browser.new_context().new_page()
    again.goto(address)
    again.fill("#name", students[0].name)
    again.fill("#secret", students[0].word)
    again.click("form.signin button.primary")
    again.wait_for_url("**/play")
    assert again.locator("#ending-title").count() == 1
    assert not found, "\n\n".join(f"{k}:\n{v}" for k, v in found.items())
    for s in students:
        s.page.context.close()
    again.context.close()
    teacher_context.close()
