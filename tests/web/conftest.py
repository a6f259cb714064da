"""Shared by the web face's tests: the shipped story in every language (loaded once), a store
on a fresh SQLite file, and `Visitor`, a browser without JavaScript driven through aiohttp's
test client (forms posted as a browser posts them, redirects followed)."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from moscow1941.i18n import LANGUAGES
from moscow1941.paths import default_story_dir
from moscow1941.store import ClassRow, Store
from moscow1941.story import load_story
from moscow1941.story.model import Story
from moscow1941.web.face import Face

PASSWORD = "teacher-password-1"


@pytest.fixture(scope="session")
def stories() -> Mapping[str, Story]:
    out = {}
    for lang in LANGUAGES:
        story = load_story(default_story_dir(), lang).story
        assert story is not None
        out[lang] = story
    return out


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(str(tmp_path / "school.sqlite3"))
    yield s
    s.close()


@pytest.fixture
def klass(store: Store) -> ClassRow:
    return store.create_class("9B", PASSWORD, signup=True)


@pytest.fixture
def face(store: Store, klass: ClassRow, stories: Mapping[str, Story]) -> Face:
    return Face(store, klass, stories)


class Visitor:
    """One browser (its own cookies) on the face, without JavaScript."""

    def __init__(self, client: TestClient) -> None:  # type: ignore[type-arg]
        self.client = client
        self.html = ""
        self.status = 0
        self.url = ""

    async def get(self, path: str) -> str:
        r = await self.client.get(path)
        self.html, self.status, self.url = await r.text(), r.status, str(r.url.path)
        return self.html

    def csrf(self) -> str:
        m = re.search(r'name="csrf" value="([^"]+)"', self.html)
        assert m, "the page has no form"
        return m[1]

    async def post(self, path: str, data: Mapping[str, str], *, csrf: bool = True) -> str:
        if csrf and "csrf" not in data:
            data = {"csrf": self.csrf(), **data}
        r = await self.client.post(path, data=dict(data))
        self.html, self.status, self.url = await r.text(), r.status, str(r.url.path)
        return self.html

    async def sign_in(self, name: str, word: str = "word1", code: str | None = None) -> None:
        await self.get("/")
        data = {"name": name, "secret": word, **({"code": code} if code else {})}
        await self.post("/signin", data)
        if 'id="again"' in self.html:
            await self.post("/signin", {**data, "again": word})
        assert self.url in ("/new", "/play"), self.message()

    def message(self) -> str:
        m = re.search(r'role="alert"[^>]*>(.*?)</p>', self.html, re.S)
        return html.unescape(m[1]) if m else ""

    def h1(self) -> str:
        m = re.search(r"<h1[^>]*>(.*?)</h1>", self.html, re.S)
        return html.unescape(m[1]).strip() if m else ""

    def form(self, action: str) -> dict[str, str]:
        """The hidden fields of the first form posting to `action`."""
        m = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', self.html, re.S)
        assert m, f"no form for {action}"
        return {k: html.unescape(v) for k, v in
                re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', m[1])}

    def choices(self) -> list[str]:
        """The values of the choices that can be taken, in order."""
        return re.findall(r'<button type="submit" name="choice" value="(\d+)"', self.html)

    async def choose(self, n: int = 0) -> str:
        fields = self.form("/choose")
        return await self.post("/choose", {**fields, "choice": self.choices()[n]})

    async def to_reflection(self) -> None:
        """Take first choices until a scene asks for a reflection (the Japanese campaign's
        first-choice path meets one within a few scenes)."""
        for _ in range(80):
            if 'name="reflection"' in self.html:
                return
            await self.choose(0)
        raise AssertionError("no reflection prompt on the first-choice path")


class Browsers:
    """Opens browsers (each its own cookie jar) on one running face."""

    def __init__(self, server: TestServer) -> None:
        self.server = server
        self.clients: list[TestClient] = []  # type: ignore[type-arg]

    async def open(self) -> Visitor:
        c: TestClient = TestClient(self.server)  # type: ignore[type-arg]
        await c.start_server()
        self.clients.append(c)
        return Visitor(c)


async def serve(face: Face) -> TestServer:
    server = TestServer(face.application())
    await server.start_server()
    return server


@pytest.fixture
async def browsers(face: Face) -> AsyncIterator[Browsers]:
    server = await serve(face)
    b = Browsers(server)
    yield b
    for c in b.clients:
        await c.close()
    await server.close()
