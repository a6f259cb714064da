"""The teacher's dashboard as a teacher uses it without JavaScript: sign in with the class's
password, watch the live view while students play, manage the roster, print the handout,
preview the game, read the report and download the exports. And what must never happen: a
student (or another class's teacher) reaching these pages, a form from elsewhere changing
anything, a preview game counting, a student's words running as code in a page or a sheet."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

import pytest
from tests.web.conftest import PASSWORD, Browsers, Visitor, serve

from moscow1941.engine import Game, GameState
from moscow1941.store import ClassRow, Store
from moscow1941.story.model import Story
from moscow1941.web.face import Face
from moscow1941.web.security import TEACHER_COOKIE


async def teacher(browsers: Browsers, password: str = PASSWORD) -> Visitor:
    t = await browsers.open()
    await t.get("/teacher")
    assert t.url == "/teacher/signin"
    await t.post("/teacher/signin", {"password": password})
    assert t.url == "/teacher", t.message()
    return t


async def student(browsers: Browsers, klass: ClassRow, name: str, campaign: str = "japanese",
                  choices: int = 0) -> Visitor:
    v = await browsers.open()
    await v.sign_in(name, code=klass.code)
    await v.post("/new", {**v.form("/new"), "campaign": campaign})
    for _ in range(choices):
        await v.choose(0)
    return v


def game_of(store: Store, klass: ClassRow, name: str, story: Story) -> Game:
    s = store.student_named(klass.id, name)
    assert s is not None and s.current_game is not None
    row = store.game(s.current_game)
    assert row is not None
    return Game.from_state(story, GameState.from_json(row.state_json))


def rows_of(table_html: str) -> dict[str, str]:
    """Each row of the page's first table, by the name in its header cell: its text."""
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table_html, re.S):
        name = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if name:
            out[name[1].strip()] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
    return out


async def test_the_teacher_signs_in_with_the_class_password_and_out_again(
        browsers: Browsers) -> None:
    t = await browsers.open()
    await t.get("/teacher/roster")
    assert t.url == "/teacher/signin" and t.h1() == "Teacher's sign-in"
    await t.post("/teacher/signin", {"password": "not the password"})
    assert t.url == "/teacher/signin" and "not this class's teacher password" in t.message()
    await t.post("/teacher/signin", {"password": PASSWORD})
    assert t.url == "/teacher" and t.h1() == "Live view"
    for path, h1 in (("/teacher/roster", "Roster"), ("/teacher/report", "Class report"),
                     ("/teacher/password", "Change the password")):
        await t.get(path)
        assert t.status == 200 and t.h1() == h1
    await t.post("/teacher/signout", {})
    await t.get("/teacher")
    assert t.url == "/teacher/signin"


async def test_wrong_teacher_passwords_are_limited_per_address(
        browsers: Browsers, face: Face) -> None:
    clock = [2_000_000.0]
    face.clock = lambda: clock[0]
    t = await browsers.open()
    await t.get("/teacher/signin")
    for _ in range(3):
        await t.post("/teacher/signin", {"password": "guess"})
        assert t.status == 200
    await t.post("/teacher/signin", {"password": PASSWORD})
    assert t.status == 429 and "Wait" in t.message()  # even the right password waits now
    clock[0] += 3
    await t.post("/teacher/signin", {"password": PASSWORD})
    assert t.url == "/teacher"


async def test_no_student_and_no_other_class_reaches_the_dashboard(
        browsers: Browsers, store: Store, klass: ClassRow, stories: Mapping[str, Story]) -> None:
    v = await student(browsers, klass, "Anna")
    for path in ("/teacher", "/teacher/roster", "/teacher/report", "/teacher/report.md",
                 "/teacher/gradebook.csv", "/teacher/handout"):
        await v.get(path)
        assert v.url == "/teacher/signin", path
    game_id = store.student_named(klass.id, "Anna").current_game  # type: ignore[union-attr]
    await v.get(f"/teacher/transcript/{game_id}.html")
    assert v.url == "/teacher/signin"
    # a forged ticket, and a real teacher ticket of another class on the same database
    v.client.session.cookie_jar.update_cookies({TEACHER_COOKIE: "t.1.1.1.forged"})
    await v.get("/teacher")
    assert v.url == "/teacher/signin"
    other = store.create_class("10C", "other-password-2")
    other_server = await serve(Face(store, other, stories))
    try:
        b = Browsers(other_server)
        o = await teacher(b, "other-password-2")
        ticket = o.client.session.cookie_jar.filter_cookies(
            o.client.make_url("/"))[TEACHER_COOKIE].value
        t = await browsers.open()
        t.client.session.cookie_jar.update_cookies({TEACHER_COOKIE: ticket})
        await t.get("/teacher")
        assert t.url == "/teacher/signin"
        await o.get(f"/teacher/transcript/{game_id}.html")  # Anna's game is not class 10C's
        assert o.status == 404
        for c in b.clients:
            await c.close()
    finally:
        await other_server.close()


async def test_dashboard_forms_need_the_page_token_and_this_site(
        browsers: Browsers, store: Store, klass: ClassRow) -> None:
    t = await teacher(browsers)
    await t.get("/teacher/roster")
    r = await t.client.post("/teacher/roster/add", data={"names": "Mallory"})
    assert r.status == 403
    r = await t.client.post("/teacher/roster/add", data={"csrf": t.csrf(), "names": "Mallory"},
                            headers={"Origin": "http://evil.example"})
    assert r.status == 403
    assert store.student_named(klass.id, "Mallory") is None


async def test_the_live_view_follows_the_class_and_leaves_the_preview_out(
        browsers: Browsers, store: Store, klass: ClassRow, stories: Mapping[str, Story]) -> None:
    story = stories["en"]
    store.add_students(klass.id, ["Boris", "Chiyo"])
    anna = await student(browsers, klass, "Anna", choices=2)
    await student(browsers, klass, "Boris", "soviet", choices=1)
    t = await teacher(browsers)
    rows = rows_of(t.html)
    assert set(rows) == {"Anna", "Boris", "Chiyo"}
    a = game_of(store, klass, "Anna", story)
    assert a.node.title in rows["Anna"] and "playing" in rows["Anna"]
    assert "not signed in yet" in rows["Chiyo"]
    assert 'data-choices="3"' in t.html  # 2 + 1 choices, for the page that refreshes itself
    assert a.node.is_decision  # Anna stands at a decision: the split says so
    assert f"{a.node.title}</h4>" in t.html and "1 is at this scene now" in t.html
    # the teacher previews the game: a player the live view never counts
    await t.post("/teacher/preview", {})
    assert t.url in ("/play", "/new")
    await t.get("/new")
    await t.post("/new", {**t.form("/new"), "campaign": "japanese"})
    await t.choose(0)
    await t.get("/teacher")
    rows = rows_of(t.html)
    assert set(rows) == {"Anna", "Boris", "Chiyo"}
    assert 'data-choices="3"' in t.html
    # one more choice by Anna: the refresh asked with the old figures tells what is new
    await anna.choose(0)
    await t.get("/teacher?choices=3&reflections=0")
    assert 'data-choices="4"' in t.html and "1 new choice" in t.html
    split = t.html[t.html.index(f"{a.node.title}</h4>"):]
    counts = re.findall(r'<span class="count">(\d+)</span>', split[:split.index("</ul>")])
    assert sorted(counts) == ["0", "1"] and "1 student decided here" in split


async def test_reflections_arrive_in_the_live_view_escaped(
        browsers: Browsers, store: Store, klass: ClassRow, stories: Mapping[str, Story]) -> None:
    v = await student(browsers, klass, "<img src=x onerror=alert(1)>")
    await v.to_reflection()
    await v.post("/choose", {**v.form("/choose"), "choice": v.choices()[0],
                             "reflection": "<script>alert('x')</script> & more"})
    t = await teacher(browsers)
    assert "<script>alert" not in t.html and "<img src=x" not in t.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in t.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in t.html
    await t.get("/teacher/roster")
    assert "<img src=x" not in t.html


async def test_the_roster_adds_resets_and_removes(
        browsers: Browsers, store: Store, klass: ClassRow) -> None:
    t = await teacher(browsers)
    await t.get("/teacher/roster")
    await t.post("/teacher/roster/add", {"names": "Dmitri\n  Emi  \n\nDmitri\n"})
    assert "2 students added: Dmitri, Emi" in t.html
    await t.post("/teacher/roster/add", {"names": "Emi\nFyodor"})
    assert "1 student added: Fyodor" in t.html and "1 name skipped" in t.html
    assert [s.name for s in store.students(klass.id)] == ["Dmitri", "Emi", "Fyodor"]
    # Emi signs in; the teacher resets her word: she is signed out and chooses a new one
    emi = await browsers.open()
    await emi.sign_in("Emi", "old-word", klass.code)
    emi_id = store.student_named(klass.id, "Emi").id  # type: ignore[union-attr]
    await t.get("/teacher/roster")
    await t.post("/teacher/roster/reset", {"student": str(emi_id)})
    assert t.url == "/teacher/roster" and "was reset" in t.html
    await emi.get("/play")
    assert emi.url == "/"
    await emi.sign_in("Emi", "new-word", klass.code)
    assert store.check_secret(emi_id, "new-word")
    # removing asks first, then removes the student and their games
    await t.get("/teacher/roster")
    await t.post("/teacher/roster/remove", {"student": str(emi_id)})
    assert t.h1() == "Remove a student" and store.student(emi_id) is not None
    await t.post("/teacher/roster/remove", {"student": str(emi_id), "confirm": "yes"})
    assert store.student(emi_id) is None and "was removed" in t.html
    await t.post("/teacher/roster/remove", {"student": "999999", "confirm": "yes"})
    assert t.status == 404
    # too much at once is refused, and nothing is added
    await t.get("/teacher/roster")
    await t.post("/teacher/roster/add", {"names": "x\n" * 15_000})
    assert t.status == 413 and len(store.students(klass.id)) == 2


async def test_sign_up_closes_and_opens(browsers: Browsers, store: Store, klass: ClassRow) -> None:
    t = await teacher(browsers)
    await t.get("/teacher/roster")
    await t.post("/teacher/roster/signup", {"open": "0"})
    assert "Sign-up is closed" in t.html
    v = await browsers.open()
    await v.get("/")
    await v.post("/signin", {"name": "Newcomer", "secret": "word1", "code": klass.code})
    assert v.url != "/new" and store.student_named(klass.id, "Newcomer") is None
    await t.post("/teacher/roster/signup", {"open": "1"})
    await v.sign_in("Newcomer", code=klass.code)


async def test_changing_the_password_signs_out_the_other_teacher_sessions(
        browsers: Browsers, store: Store, klass: ClassRow) -> None:
    t = await teacher(browsers)
    other = await teacher(browsers)
    await t.get("/teacher/password")
    await t.post("/teacher/password", {"old": PASSWORD, "new": "short", "again": "short"})
    assert "at least 8 characters" in t.message()
    await t.post("/teacher/password", {"old": "wrong", "new": "a-new-password",
                                       "again": "a-new-password"})
    assert "not right" in t.message()
    await t.post("/teacher/password", {"old": PASSWORD, "new": "a-new-password",
                                       "again": "a-new-password"})
    assert t.url == "/teacher/password"
    await t.get("/teacher")
    assert t.url == "/teacher"  # this session stays
    await other.get("/teacher")
    assert other.url == "/teacher/signin"  # the other one is signed out
    assert store.check_teacher(klass.id, "a-new-password")


async def test_the_handout_names_the_address_and_the_code_in_the_class_language(
        browsers: Browsers, store: Store, klass: ClassRow, face: Face) -> None:
    t = await teacher(browsers)
    await t.get("/teacher/handout")
    assert klass.code in t.html and str(t.client.make_url("/")) in t.html
    await t.get("/teacher/handout?lang=de")
    assert 'lang="de"' in t.html and klass.code in t.html
    await t.get("/teacher/handout?lang=ar")
    assert 'dir="rtl"' in t.html


async def test_the_report_and_the_exports_hold_the_class_figures(
        browsers: Browsers, store: Store, klass: ClassRow, stories: Mapping[str, Story]) -> None:
    story = stories["en"]
    v = await student(browsers, klass, "=HYPERLINK(\"http://evil\")")
    while v.choices():
        await v.choose(len(v.choices()) - 1)
    await v.post("/handin", v.form("/handin"))
    await student(browsers, klass, "Boris", choices=1)
    store.add_students(klass.id, ["Chiyo"])
    name = "=HYPERLINK(\"http://evil\")"
    finished = game_of(store, klass, name, story)
    d = finished.divergence()
    t = await teacher(browsers)
    await t.get("/teacher/report")
    assert t.status == 200 and "Boris" in t.html
    assert finished.node.ending is not None and finished.node.ending.title in t.html.replace("&#39;", "'")
    r = await t.client.get("/teacher/gradebook.csv")
    assert r.status == 200 and r.content_type == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    text = (await r.read()).decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    by = {row["student"]: row for row in table}
    assert set(by) == {"'" + name, "Boris", "Chiyo"}  # a formula never reaches a sheet
    mine = by["'" + name]
    assert mine["ended"] == "yes" and mine["handed in (UTC)"]
    assert mine["choice divergence %"] == str(round(d.choice * 100, 1))
    assert mine["outcome divergence %"] == str(round(d.outcome * 100, 1))
    assert by["Boris"]["ended"] == "no" and by["Chiyo"]["campaigns"] == ""
    r = await t.client.get("/teacher/report.md")
    md = await r.text()
    assert "- Class: 9B" in md and "Boris" in md
    r = await t.client.get("/teacher/report.csv")
    rows = list(csv.DictReader(io.StringIO((await r.text()).removeprefix("\ufeff"))))
    assert {row["student"] for row in rows} == {"'" + name, "Boris"}
    # the teacher reads a student's transcript
    game_id = store.student_named(klass.id, "Boris").current_game  # type: ignore[union-attr]
    await t.get(f"/teacher/transcript/{game_id}.html")
    assert t.status == 200 and "Boris" in t.html
    await t.get("/teacher/transcript/999999.html")
    assert t.status == 404


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_the_dashboard_speaks_the_language_chosen(
        browsers: Browsers, klass: ClassRow, lang: str) -> None:
    t = await teacher(browsers)
    await t.post("/language", {"lang": lang, "back": "/teacher"})
    for path in ("/teacher", "/teacher/roster", "/teacher/report", "/teacher/password"):
        await t.get(path)
        assert f'lang="{lang}"' in t.html, path
        for english in ("Live view", "Roster", "Class report", "Who is where", "Add students"):
            assert f">{english}<" not in t.html, (path, english)
