"""The web face as a student uses it without JavaScript: sign in, play a campaign to its ending
with forms and redirects, undo, reflect, hand in; a repeated, stale or racing request changes
nothing; every page in every language; the headers and cookies that keep it safe."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import pytest
from tests.web.conftest import Browsers, Visitor, serve

from moscow1941.engine import Game, GameState
from moscow1941.store import ClassRow, Store
from moscow1941.story.model import Story
from moscow1941.web.face import Face
from moscow1941.web.security import CSP


def state_of(store: Store, student_name: str, klass: ClassRow) -> GameState:
    student = store.student_named(klass.id, student_name)
    assert student is not None and student.current_game is not None
    row = store.game(student.current_game)
    assert row is not None
    return GameState.from_json(row.state_json)


async def start(v: Visitor, campaign: str, code: str, name: str = "Anna") -> None:
    await v.sign_in(name, code=code)
    assert v.url == "/new"
    fields = v.form("/new")
    await v.post("/new", {**fields, "campaign": campaign})
    assert v.url == "/play"


async def test_a_student_plays_a_campaign_to_its_ending_and_hands_it_in(
        browsers: Browsers, store: Store, klass: ClassRow, stories: Mapping[str, Story]) -> None:
    v = await browsers.open()
    campaign = "japanese"
    await start(v, campaign, klass.code)
    story = stories["en"]
    assert v.h1() == story.nodes[story.campaigns[campaign].start].title
    steps = 0
    while v.choices():
        before = v.form("/choose")
        await v.choose(len(v.choices()) - 1)  # the last choice each time
        steps += 1
        assert v.url == "/play" and v.status == 200
        assert int(v.form("/undo")["step"]) == int(before["step"]) + 1
        assert steps < 200
    state = state_of(store, "Anna", klass)
    assert len(state.path) == steps
    game = Game.from_state(story, state)
    assert game.ended and game.node.ending is not None
    assert "The end: " + game.node.ending.title in v.html.replace("&#39;", "'")
    assert "Your decisions beside history:" in v.html
    await v.post("/handin", v.form("/handin"))
    assert v.url == "/play" and "Handed in." in v.html
    student = store.student_named(klass.id, "Anna")
    assert student is not None and student.current_game is not None
    row = store.game(student.current_game)
    assert row is not None and row.handed_in and row.summary.ended
    r = await v.client.get(f"/transcript/{row.id}.html")
    text = await r.text()
    assert r.status == 200 and "Anna" in text and "Integrity: moscow1941-transcript/" in text
    assert "script-src" not in r.headers["Content-Security-Policy"]


async def test_a_repeated_or_stale_choice_changes_nothing(
        browsers: Browsers, store: Store, klass: ClassRow) -> None:
    v = await browsers.open()
    await start(v, "japanese", klass.code)
    fields = {**v.form("/choose"), "choice": v.choices()[0]}
    await v.post("/choose", fields)
    once = state_of(store, "Anna", klass).path
    await v.post("/choose", fields)  # a double click, or the network sending it again
    assert state_of(store, "Anna", klass).path == once
    assert v.url == "/play" and "already left" in v.html
    # a choice for a scene the student never saw (a step ahead) is refused the same way
    ahead = {**fields, "step": str(int(fields["step"]) + 5)}
    await v.post("/choose", ahead)
    assert state_of(store, "Anna", klass).path == once
    # undo, then the old form for the first scene applies again (it is the scene now)
    await v.get("/play")
    await v.post("/undo", v.form("/undo"))
    assert state_of(store, "Anna", klass).path == []
    await v.post("/choose", fields)
    assert state_of(store, "Anna", klass).path == once


async def test_a_locked_or_unknown_choice_is_refused(browsers: Browsers, store: Store, klass: ClassRow) -> None:
    v = await browsers.open()
    await start(v, "japanese", klass.code)
    fields = v.form("/choose")
    for bad in ("99", "-1", "x", ""):
        await v.post("/choose", {**fields, "choice": bad})
        assert v.status == 200 and v.url == "/play"
    assert state_of(store, "Anna", klass).path == []


async def test_two_processes_on_one_database_see_each_others_choices(
        tmp_path: object, store: Store, klass: ClassRow, stories: Mapping[str, Story]) -> None:
    """A student's requests alternate between two server processes (two faces, two
    connections on one database file): every choice lands once, and the stale form one
    process gave is ignored by the other."""
    other_store = Store(store.url)
    faces = [Face(store, klass, stories), Face(other_store, klass, stories)]
    servers = [await serve(f) for f in faces]
    try:
        a = Browsers(servers[0])
        va = await a.open()
        await start(va, "japanese", klass.code)
        cookies = va.client.session.cookie_jar
        b = Browsers(servers[1])
        vb = await b.open()
        vb.client.session.cookie_jar.update_cookies({c.key: c.value for c in cookies})
        stale = {**va.form("/choose"), "choice": va.choices()[0]}
        for n in range(6):
            v = (va, vb)[n % 2]
            await v.get("/play")
            await v.choose(0)
            assert len(state_of(store, "Anna", klass).path) == n + 1
        await vb.post("/choose", {**stale, "csrf": vb.csrf()})
        assert len(state_of(other_store, "Anna", klass).path) == 6
        for c in a.clients + b.clients:
            await c.close()
    finally:
        for s in servers:
            await s.close()
        other_store.close()


async def test_a_reflection_is_kept_with_its_choice(
        browsers: Browsers, store: Store, klass: ClassRow, stories: Mapping[str, Story]) -> None:
    story = stories["en"]
    # find a campaign path to a scene that asks a reflection: walk first choices
    v = await browsers.open()
    await start(v, "japanese", klass.code)
    await v.to_reflection()
    node = v.form("/choose")["node"]
    assert story.nodes[node].reflect
    fields = {**v.form("/choose"), "choice": v.choices()[0],
              "reflection": "Trust is <b>cheap</b> & talk is cheaper"}
    await v.post("/choose", fields)
    rows = store.class_reflections(klass.id)
    assert [(r.student, r.node, r.answer) for r in rows] == [
        ("Anna", node, "Trust is <b>cheap</b> & talk is cheaper")]
    state = state_of(store, "Anna", klass)
    assert state.reflections[0].answer == "Trust is <b>cheap</b> & talk is cheaper"


@pytest.mark.parametrize("lang", ["en", "de", "ar"])
async def test_every_page_speaks_the_language_chosen(
        browsers: Browsers, klass: ClassRow, stories: Mapping[str, Story], lang: str) -> None:
    v = await browsers.open()
    await v.get("/")
    await v.post("/language", {"lang": lang, "back": "/"})
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in v.html
    await start(v, "soviet", klass.code, name=f"Student {lang}")
    story = stories[lang]
    assert v.h1() == story.nodes[story.campaigns["soviet"].start].title
    for path in ("/play", "/history", "/timeline", "/glossary", "/glossary?q=molotov", "/games",
                 "/help", "/new", "/timeline?all=1"):
        page = await v.get(path)
        assert v.status == 200, path
        assert f'lang="{lang}"' in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), f"inline script on {path}"
        assert not re.search(r"\son[a-z]+=", page), f"an event handler attribute on {path}"


async def test_headers_and_cookies(browsers: Browsers, klass: ClassRow) -> None:
    v = await browsers.open()
    r = await v.client.get("/")
    assert r.headers["Content-Security-Policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert r.headers["X-Frame-Options"] == "DENY" and r.headers["X-Content-Type-Options"] == "nosniff"
    set_cookie = r.headers.getall("Set-Cookie")
    assert all("HttpOnly" in c and "SameSite=Lax" in c for c in set_cookie), set_cookie
    v.html = await r.text()
    await v.sign_in("Anna", code=klass.code)
    jar = {c.key: c for c in v.client.session.cookie_jar}
    assert jar["m41s"]["httponly"] and jar["m41s"]["samesite"] == "Lax"
    # a tampered ticket is nobody
    value = jar["m41s"].value
    forged = value.replace("s.1.", "s.2.", 1)
    others = {c.key: c.value for c in v.client.session.cookie_jar if c.key != "m41s"}
    v.client.session.cookie_jar.clear()
    v.client.session.cookie_jar.update_cookies({**others, "m41s": forged})
    await v.get("/play")
    assert v.url == "/" and "Sign in" in v.h1()


async def test_forms_without_the_token_or_from_another_site_are_refused(
        browsers: Browsers, store: Store, klass: ClassRow) -> None:
    v = await browsers.open()
    await start(v, "japanese", klass.code)
    fields = {**v.form("/choose"), "choice": v.choices()[0]}
    await v.post("/choose", {**fields, "csrf": "forged"})
    assert v.status == 403
    no_token = {k: val for k, val in fields.items() if k != "csrf"}
    r = await v.client.post("/choose", data=no_token)
    assert r.status == 403
    r = await v.client.post("/choose", data=fields, headers={"Origin": "http://evil.example"})
    assert r.status == 403
    assert state_of(store, "Anna", klass).path == []


async def test_signing_in(browsers: Browsers, store: Store, klass: ClassRow, face: Face) -> None:
    v = await browsers.open()
    await v.get("/")
    await v.post("/signin", {"name": "Boris", "secret": "word1"})
    assert "class code" in v.message()
    await v.post("/signin", {"name": "Boris", "secret": "word1", "code": "WRONG1"})
    assert "class code" in v.message()
    code = klass.code.lower()[:3] + "-" + klass.code.lower()[3:]  # as typed off a handout
    await v.post("/signin", {"name": "Boris", "secret": "word1", "code": code})
    assert "Type it again" in v.message()
    await v.post("/signin", {"name": "Boris", "secret": "word1", "again": "word2", "code": code})
    assert "not the same" in v.message()
    await v.post("/signin", {"name": "Boris", "secret": "word1", "again": "word1", "code": code})
    assert v.url == "/new"
    w = await browsers.open()
    await w.get("/")
    await w.post("/signin", {"name": "BORIS", "secret": "nope1"})
    assert "not the secret word for Boris" in w.message()
    await w.post("/signin", {"name": " boris ", "secret": "word1"})
    assert w.url == "/new"
    # a name on the teacher's list needs no code; closed sign-up refuses other names
    store.add_students(klass.id, ["Chiyo"])
    store.set_signup(klass.id, False)
    x = await browsers.open()
    await x.sign_in("Chiyo")
    y = await browsers.open()
    await y.get("/")
    await y.post("/signin", {"name": "Dmitri", "secret": "word1", "code": klass.code})
    assert "not on this class's list" in y.message()
    store.add_students(klass.id, ["Teacher (preview)"], preview=True)
    await y.post("/signin", {"name": "Teacher (preview)", "secret": "word1", "again": "word1"})
    assert "preview" in y.message()


async def test_wrong_words_are_limited_per_name_and_per_address(
        browsers: Browsers, store: Store, klass: ClassRow, face: Face) -> None:
    clock = [1_000_000.0]
    face.clock = lambda: clock[0]
    store.add_students(klass.id, ["Anna"])
    store.claim(store.student_named(klass.id, "Anna").id, "word1")  # type: ignore[union-attr]
    v = await browsers.open()
    await v.get("/")
    for _ in range(3):
        await v.post("/signin", {"name": "Anna", "secret": "wrong"})
        assert v.status == 200
    await v.post("/signin", {"name": "Anna", "secret": "word1"})
    assert v.status == 429 and "Wait" in v.message()  # even the right word waits now
    clock[0] += 3
    await v.post("/signin", {"name": "Anna", "secret": "word1"})
    assert v.url == "/new"
    # the address: ten wrong words for ten different names, then everyone from it waits
    w = await browsers.open()
    await w.get("/")
    for n in range(11):
        store.add_students(klass.id, [f"Name {n}"])
        store.claim(store.student_named(klass.id, f"Name {n}").id, "word1")  # type: ignore[union-attr]
        await w.post("/signin", {"name": f"Name {n}", "secret": "wrong"})
    await w.post("/signin", {"name": "Name 0", "secret": "word1"})
    assert w.status == 429


async def test_a_big_class_behind_one_address_is_not_locked_out_by_its_typos(
        browsers: Browsers, store: Store, klass: ClassRow, face: Face) -> None:
    """A school's network shows every browser with one address: as many wrong words as the
    class has students go before anyone from it waits (at least ten)."""
    clock = [1_000_000.0]
    face.clock = lambda: clock[0]
    names = [f"Student {n}" for n in range(40)]
    store.add_students(klass.id, names)
    for name in names:
        store.claim(store.student_named(klass.id, name).id, "word1")  # type: ignore[union-attr]
    v = await browsers.open()
    await v.get("/")
    for name in names:  # one typo each: forty wrong words from one address
        await v.post("/signin", {"name": name, "secret": "typo"})
        assert v.status == 200, name
    await v.post("/signin", {"name": "Student 0", "secret": "word1"})
    assert v.url == "/new"
    await v.post("/signout", {})
    await v.get("/")
    await v.post("/signin", {"name": "Student 1", "secret": "typo"})  # the 41st
    await v.post("/signin", {"name": "Student 2", "secret": "word1"})
    assert v.status == 429


async def test_names_and_story_text_are_escaped(browsers: Browsers, klass: ClassRow) -> None:
    v = await browsers.open()
    name = '<img src=x onerror="alert(1)">'
    await v.sign_in(name, code=klass.code)
    assert name not in v.html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in v.html


async def test_a_student_never_sees_another_students_game(
        browsers: Browsers, store: Store, klass: ClassRow) -> None:
    a = await browsers.open()
    await start(a, "japanese", klass.code, name="Anna")
    await a.choose(0)
    anna_game = a.form("/choose")["game"]
    b = await browsers.open()
    await start(b, "soviet", klass.code, name="Boris")
    mine = b.form("/choose")
    before = state_of(store, "Anna", klass).path
    for path in (f"/transcript/{anna_game}.html", f"/transcript/{anna_game}.md"):
        r = await b.client.get(path)
        assert r.status == 404 and "Anna" not in await r.text()
    await b.post("/choose", {**mine, "game": anna_game, "choice": "0",
                             "step": str(len(before)), "node": before[-1].goto})
    assert b.status == 404
    await b.post("/games/continue", {"game": anna_game})
    assert b.status == 404
    await b.post("/handin", {"game": anna_game})
    assert b.status == 404
    await b.post("/undo", {"game": anna_game, "step": str(len(before)), "node": before[-1].goto})
    assert b.status == 404
    assert state_of(store, "Anna", klass).path == before
    page = await b.get("/games")
    assert "Anna" not in page
    assert json.dumps(before[0].to_json()) == json.dumps(state_of(store, "Anna", klass).path[0].to_json())
