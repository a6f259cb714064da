"""The web face: the game as web pages, served to a class from one process (or several on one
PostgreSQL database).

A third face beside the Textual app and plain mode. The engine runs in the server; each
request reads the student's game from the store (`moscow1941.store`), shows its scene as
semantic HTML, or takes a choice and writes the game back. Pages work without JavaScript
(every action is a form or a link, each POST answered with a redirect); with it
(`static/face.js`) a choice does not reload the page and the terminal's keys work: 1–9 choose,
u undo, h history, t timeline, g glossary, s games, ? help.

Every choice carries the game, the step and the scene it was made at: a request for a step
the game has left (a double click, a second tab, a back button, a request repeated by the
network) changes nothing, and the page shows where the game is now. Two requests racing for one
game make one change: the store writes a game only at the version it was read at.

Each request is answered in its student's language (`i18n.speaking`, per request); the
stories of every language are loaded once, at start. Security (cookies, CSRF, sign-in limits,
headers) is `web.security`. The teacher's dashboard (`web.dashboard`, under /teacher) reads
the same store: games, reflections, and the preview players that never count.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markupsafe
from aiohttp import web

from moscow1941 import i18n
from moscow1941.classroom.students import (
    FORGET_SECONDS,
    MAX_NAME,
    StudentError,
    address_delay,
    clean_name,
    clean_secret,
    name_key,
    retry_delay,
)
from moscow1941.engine import Game, GameError, GameState, StateError
from moscow1941.i18n import _, ngettext
from moscow1941.store import (
    ClassRow,
    GameRow,
    Store,
    StudentRow,
    hash_secret,
    summarize,
    verify_secret,
)
from moscow1941.story.model import Story
from moscow1941.web import TEMPLATES, dashboard
from moscow1941.web.security import (
    CSP,
    HEADERS,
    LANGUAGE_COOKIE,
    MAX_AGE,
    STUDENT_COOKIE,
    TEACHER_COOKIE,
    TRANSCRIPT_CSP,
    VISITOR_COOKIE,
    Signer,
    Ticket,
    visitor_token,
)
from moscow1941.web.views import (
    entry_subtitle,
    glossary_view,
    last_decision_view,
    note_view,
    scene_view,
    timeline_view,
)
from moscow1941.words import CHOICES_MEANS, WORLD_MEANS

log = logging.getLogger("moscow1941.web")

STATIC = Path(__file__).resolve().parent / "static"
FACE_TEMPLATES = TEMPLATES / "face"
MAX_BODY = 64 * 1024
"""The largest request body taken (a reflection is at most 2,000 characters)."""
CACHED_GAMES = 4000
"""Games kept built in memory (each a few kilobytes); the rest are rebuilt from the store."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

FACE: web.AppKey[Face] = web.AppKey("face")
_WHO: ContextVar[Who] = ContextVar("moscow1941_who")
"""Who sent the request being answered (set by the middleware, for this request's task)."""


class Refused(Exception):
    """A request that cannot be honoured: the page says `message` with `status`."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Who:
    """Who sent a request: the student signed in (or None), the teacher's ticket (or None),
    the visitor token its forms are bound to, and its language."""

    student: StudentRow | None
    teacher: Ticket | None
    visitor: str
    new_visitor: bool
    language: str


def _asset_version() -> str:
    digest = hashlib.sha256()
    for name in ("face.css", "face.js"):
        digest.update((STATIC / name).read_bytes())
    return digest.hexdigest()[:10]


class Face:
    """The web face of one class: its store, its stories (one per language) and its pages."""

    def __init__(self, store: Store, class_row: ClassRow, stories: Mapping[str, Story], *,
                 public_url: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.class_id = class_row.id
        self.stories = dict(stories)
        self.public_url = public_url
        self.clock = clock
        self.signer = Signer(store.secret("cookies"), clock)
        self._games: OrderedDict[tuple[int, str], tuple[int, Game]] = OrderedDict()
        self.asset_version = _asset_version()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(FACE_TEMPLATES)), autoescape=True,
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(_=lambda m: _(m), ngettext=lambda s, p, n: ngettext(s, p, n),
                                number=i18n.format_number, languages=i18n.LANGUAGES,
                                entry_subtitle=entry_subtitle)
        # A time (2026-12-02 10:30 UTC) kept whole and left to right, in Arabic too.
        self.env.filters["time"] = lambda value: markupsafe.Markup(
            '<time class="stamp">{}</time>').format(value)

    # ---- the application --------------------------------------------------------------------
    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=MAX_BODY)
        app[FACE] = self
        r = app.router
        r.add_get("/", self.home)
        r.add_post("/signin", self.signin)
        r.add_post("/signout", self.signout)
        r.add_post("/language", self.set_language)
        r.add_get("/play", self.play)
        r.add_post("/choose", self.choose)
        r.add_post("/undo", self.undo)
        r.add_get("/new", self.new_page)
        r.add_post("/new", self.new_game)
        r.add_get("/games", self.games_page)
        r.add_post("/games/continue", self.continue_game)
        r.add_get("/history", self.history)
        r.add_get("/timeline", self.timeline)
        r.add_get("/glossary", self.glossary)
        r.add_get("/glossary/{entry}", self.glossary)
        r.add_get("/help", self.help)
        r.add_post("/handin", self.hand_in)
        r.add_get(r"/transcript/{game:\d+}.{fmt:html|md}", self.transcript)
        r.add_static("/static", STATIC, append_version=False)
        dashboard.add_routes(self, app)
        return app

    @property
    def class_row(self) -> ClassRow:
        row = self.store.class_by_id(self.class_id)
        if row is None:
            raise Refused(_("This class is no longer on the server."), 410)
        return row

    # ---- every request -----------------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            who = self._who(request)
        except Refused as exc:
            return self._plain_error(str(exc), exc.status)
        token = _WHO.set(who)
        with i18n.speaking(who.language):
            try:
                if request.method == "POST":
                    await self._check_form(request, who)
                response = await handler(request)
            except Refused as exc:
                response = self.page(request, "error.html", status=exc.status,
                                     title=_("Something went wrong"), message=str(exc))
            except web.HTTPException as exc:
                if exc.status == 413:
                    response = self.page(request, "error.html", status=413,
                                         title=_("Something went wrong"),
                                         message=_("That was too much text to send at once."))
                elif exc.status >= 400:
                    response = self.page(request, "error.html", status=exc.status,
                                         title=_("Something went wrong"),
                                         message=_("There is no such page."))
                else:  # a redirect: answered as a plain response (with its cookies)
                    response = web.Response(status=exc.status, headers=exc.headers)
                    for name, morsel in exc.cookies.items():
                        response.cookies[name] = morsel
            except Exception:  # a defect: logged for the teacher, never shown to the student
                log.exception("request %s %s failed", request.method, request.path)
                response = self.page(request, "error.html", status=500,
                                     title=_("Something went wrong"),
                                     message=_("The server could not do that. Your game is "
                                               "saved as it was before; go back and try again."))
            finally:
                _WHO.reset(token)
        if who.new_visitor:
            response.set_cookie(VISITOR_COOKIE, who.visitor, httponly=True, samesite="Lax",
                                secure=request.secure, path="/")
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("Cache-Control", "no-store")
        else:
            response.headers["Content-Security-Policy"] = CSP
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def _who(self, request: web.Request) -> Who:
        visitor = request.cookies.get(VISITOR_COOKIE, "")
        new_visitor = not (16 <= len(visitor) <= 64 and visitor.replace("-", "").replace("_", "").isalnum())
        if new_visitor:
            visitor = visitor_token()
        student = None
        ticket = self.signer.read(request.cookies.get(STUDENT_COOKIE), "s")
        if ticket is not None:
            row = self.store.student(ticket.id)
            if row is not None and row.class_id == self.class_id and row.secret_version == ticket.version:
                student = row
        teacher = self.signer.read(request.cookies.get(TEACHER_COOKIE), "t")
        if teacher is not None:
            row_c = self.store.class_by_id(teacher.id)
            if row_c is None or teacher.id != self.class_id or row_c.teacher_version != teacher.version:
                teacher = None
        language = ((student.language if student else None)
                    or i18n.normalize(request.cookies.get(LANGUAGE_COOKIE))
                    or self._class_language())
        return Who(student, teacher, visitor, new_visitor, language)

    def _class_language(self) -> str:
        row = self.store.class_by_id(self.class_id)
        return row.language if row and row.language in self.stories else "en"

    async def _check_form(self, request: web.Request, who: Who) -> None:
        if who.new_visitor:
            raise Refused(_("This page needs cookies to know your game. Allow cookies for this "
                            "address, then open it again."), 403)
        origin = request.headers.get("Origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.host:
            raise Refused(_("This form was sent from another site, so it was refused."), 403)
        try:
            form = await request.post()
        except ValueError:
            raise Refused(_("That request could not be read."), 400) from None
        token = form.get("csrf")
        if not isinstance(token, str) or not self.signer.csrf_ok(who.visitor, token):
            raise Refused(_("This page was open too long or came from elsewhere. Go back, reload "
                            "the page and try again."), 403)

    # ---- rendering ---------------------------------------------------------------------------
    def page(self, request: web.Request, template: str, *, status: int = 200,
             **values: Any) -> web.Response:
        who: Who | None = _WHO.get(None)
        values.setdefault("title", _("Moscow 1941"))
        context = {
            "lang": i18n.language(), "dir": "rtl" if i18n.is_rtl() else "ltr",
            "csrf": self.signer.csrf(who.visitor) if who else "",
            "student": who.student if who else None,
            "teacher": who.teacher if who else None,
            "path": request.path, "asset": self.asset_version,
            "class_name": self._class_name(),
            **values,
        }
        html = self.env.get_template(template).render(context)
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")

    def _class_name(self) -> str:
        row = self.store.class_by_id(self.class_id)
        return row.name if row else ""

    @staticmethod
    def _plain_error(message: str, status: int) -> web.Response:
        return web.Response(text=message, status=status, content_type="text/plain",
                            headers={"Content-Security-Policy": CSP, **HEADERS})

    @staticmethod
    def redirect(location: str) -> web.HTTPSeeOther:
        """A redirect to raise (from anywhere in a handler)."""
        return web.HTTPSeeOther(location)

    @staticmethod
    def see_other(location: str) -> web.Response:
        """A redirect to return (one that sets cookies, say)."""
        return web.Response(status=303, headers={"Location": location})

    # ---- who is asking -------------------------------------------------------------------------
    @staticmethod
    def who(request: web.Request) -> Who:
        """Who sent `request` (the one being answered)."""
        return _WHO.get()

    def require_student(self, request: web.Request) -> StudentRow:
        student = self.who(request).student
        if student is None:
            raise self.redirect("/")
        return student

    def story(self) -> Story:
        return self.stories.get(i18n.language()) or self.stories["en"]

    # ---- games ---------------------------------------------------------------------------------
    def game_of(self, row: GameRow) -> Game:
        """The game of `row`, in the current language: from memory when it is still at the
        row's version, else rebuilt from its state (every step that still applies)."""
        lang = i18n.language() if i18n.language() in self.stories else "en"
        key = (row.id, lang)
        hit = self._games.get(key)
        if hit is not None and hit[0] == row.version:
            self._games.move_to_end(key)
            return hit[1]
        story = self.stories[lang]
        try:
            state = GameState.from_json(row.state_json)
        except (StateError, ValueError) as exc:
            raise Refused(_("This game cannot be opened ({reason}). Start a new one from "
                            "Games.").format(reason=str(exc)[:200]), 500) from None
        if state.campaign not in story.campaigns:
            raise Refused(_("This game's campaign is not in the story any more. Start a new "
                            "one from Games."), 500)
        game, _applied = Game.replay(story, state.campaign, state.seed, state.path)
        game.restore_reflections(state.reflections)
        self._remember(key, row.version, game)
        return game

    def _remember(self, key: tuple[int, str], version: int, game: Game) -> None:
        self._games[key] = (version, game)
        self._games.move_to_end(key)
        while len(self._games) > CACHED_GAMES:
            self._games.popitem(last=False)

    def _forget(self, game_id: int) -> None:
        for lang in self.stories:
            self._games.pop((game_id, lang), None)

    def own_game(self, student: StudentRow, game_id: object) -> GameRow:
        """The student's game `game_id`; the same refusal for someone else's as for none, so
        nobody learns which games exist."""
        try:
            gid = int(str(game_id))
        except ValueError:
            raise Refused(_("There is no such game."), 404) from None
        row = self.store.game(gid)
        if row is None or row.student_id != student.id:
            raise Refused(_("There is no such game."), 404)
        return row

    def current_game(self, student: StudentRow) -> GameRow | None:
        if student.current_game is None:
            return None
        row = self.store.game(student.current_game)
        return row if row is not None and row.student_id == student.id else None

    def write(self, row: GameRow, game: Game) -> bool:
        """Store `game` as the next version of `row`; False if the game changed meanwhile
        (then nothing is written, and the change is dropped)."""
        new = self.store.advance(row.id, row.version, game.state.to_json(), summarize(game))
        self._forget(row.id)
        if new is None:
            return False
        self._remember((row.id, i18n.language() if i18n.language() in self.stories else "en"),
                       new.version, game)
        return True

    # ---- signing in ----------------------------------------------------------------------------
    async def home(self, request: web.Request) -> web.StreamResponse:
        if self.who(request).student is not None:
            raise self.redirect("/play")
        return self.signin_page(request)

    def signin_page(self, request: web.Request, *, name: str = "", code: str = "",
                    message: str = "", again: bool = False, status: int = 200) -> web.Response:
        row = self.class_row
        return self.page(request, "signin.html", status=status, title=_("Sign in"),
                         name=name, code=code or request.query.get("code", "")[:20],
                         message=message, again=again, signup=row.signup)

    def _wait(self, name_subject: str | None, address: str) -> float:
        now = self.clock()
        since = now - FORGET_SECONDS
        wait = 0.0
        if name_subject is not None:
            count, last = self.store.failures("name", name_subject, since)
            wait = max(wait, last + retry_delay(count) - now if count else 0.0)
        count, last = self.store.failures("address", address, since)
        if count:
            # A whole class may come from one address (a school's network, a proxy): as many
            # wrong words as it has students go before everyone from there waits.
            allowance = max(10, len(self.store.students(self.class_id)))
            wait = max(wait, last + address_delay(count, allowance) - now)
        return wait

    def _failed(self, name_subject: str | None, address: str) -> None:
        now = self.clock()
        if name_subject is not None:
            self.store.fail("name", name_subject, now)
        self.store.fail("address", address, now)

    @staticmethod
    def _address(request: web.Request) -> str:
        return request.remote or "unknown"

    async def signin(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        raw_name = str(form.get("name", ""))[:10 * MAX_NAME]
        secret = str(form.get("secret", ""))[:400]
        again_field = form.get("again")
        again = None if again_field is None else str(again_field)[:400]
        code = str(form.get("code", ""))[:20]
        cls = self.class_row
        address = self._address(request)

        def refuse(message: str, *, ask_again: bool = False, status: int = 200) -> web.Response:
            return self.signin_page(request, name=raw_name[:MAX_NAME * 2], code=code,
                                    message=message, again=ask_again, status=status)

        try:
            label = clean_name(raw_name)
            key = name_key(label)
            word = clean_secret(secret)
        except StudentError as exc:
            return refuse(str(exc), ask_again=again is not None)
        subject = f"{self.class_id}:{key}"
        wait = self._wait(subject, address)
        if wait > 0:
            seconds = max(1, round(wait))
            return refuse(ngettext("Too many wrong secret words. Wait {n} second, then try again.",
                                   "Too many wrong secret words. Wait {n} seconds, then try again.",
                                   seconds).format(n=seconds), status=429)
        student = self.store.student_named(self.class_id, label)
        if student is not None and student.preview:
            # a preview player (kept for the teacher) is never signed in from this form
            return refuse(_("That name is kept for the teacher's preview. Choose another."))
        if student is None:
            if not cls.signup:
                return refuse(_("{name} is not on this class's list. Check the spelling, or ask "
                                "your teacher to add you.").format(name=label))
            if "".join(ch for ch in code.upper() if ch.isalnum()) != cls.code:
                self._failed(None, address)
                return refuse(_("To join this class, type the class code from the handout your "
                                "teacher gave you."), ask_again=again is not None)
        elif student.claimed:
            if not await self._check_secret(student.id, word):
                self._failed(subject, address)
                return refuse(_("That is not the secret word for {name}. If you are not {name}, "
                                "add something to your name, such as your surname's initial. "
                                "If you forgot your word, your teacher can reset it.").format(
                                    name=student.name))
            self.store.forget("name", subject)
            return self._signed_in(request, student)
        # a new name, or a name on the list with no word yet: the word is typed twice
        if again is None:
            return refuse(_("Choose this secret word for {name}? Type it again to confirm. "
                            "Remember it: you need it to come back to your game.").format(
                                name=label), ask_again=True)
        try:
            if clean_secret(again) != word:
                raise StudentError("")
        except StudentError:
            return refuse(_("The two secret words are not the same. Type the word again."),
                          ask_again=True)
        if student is None:
            try:
                added, _skipped = self.store.add_students(self.class_id, [label])
            except StudentError as exc:
                return refuse(str(exc))
            student = added[0] if added else self.store.student_named(self.class_id, label)
            if student is None:
                return refuse(_("That name cannot be used here; please choose another."))
        if not await self._claim(student.id, word):
            # another request set a word first: this one must be it
            if not await self._check_secret(student.id, word):
                self._failed(subject, address)
                return refuse(_("That is not the secret word for {name}. If you are not {name}, "
                                "add something to your name, such as your surname's initial. "
                                "If you forgot your word, your teacher can reset it.").format(
                                    name=student.name))
        fresh = self.store.student(student.id)
        assert fresh is not None
        return self._signed_in(request, fresh)

    # scrypt is deliberately slow work (tens of milliseconds): done in a thread (hashlib lets go
    # of the GIL), so a class signing in at once does not hold up everyone else's choices.
    async def _check_secret(self, student_id: int, word: str) -> bool:
        hashed = self.store.secret_hash(student_id)
        return await asyncio.get_running_loop().run_in_executor(
            None, verify_secret, word, hashed)

    async def _claim(self, student_id: int, word: str) -> bool:
        hashed = await asyncio.get_running_loop().run_in_executor(None, hash_secret, word)
        return self.store.claim_hash(student_id, hashed)

    def _signed_in(self, request: web.Request, student: StudentRow) -> web.StreamResponse:
        lang = i18n.normalize(request.cookies.get(LANGUAGE_COOKIE))
        self.store.seen(student.id, lang if lang in self.stories else None)
        response = self.see_other("/play")
        self.set_student_cookie(request, response, student)
        return response

    def set_student_cookie(self, request: web.Request, response: web.StreamResponse,
                           student: StudentRow) -> None:
        response.set_cookie(STUDENT_COOKIE, self.signer.ticket("s", student.id, student.secret_version),
                            httponly=True, samesite="Lax", secure=request.secure, path="/",
                            max_age=MAX_AGE)

    async def signout(self, request: web.Request) -> web.StreamResponse:
        response = self.see_other("/")
        response.del_cookie(STUDENT_COOKIE, path="/")
        return response

    async def set_language(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        lang = i18n.normalize(str(form.get("lang", "")))
        back = str(form.get("back", "/"))
        if not back.startswith("/") or back.startswith("//"):
            back = "/"
        response = self.see_other(back)
        if lang in self.stories:
            student = self.who(request).student
            if student is not None:
                self.store.seen(student.id, lang)
            response.set_cookie(LANGUAGE_COOKIE, lang, httponly=True, samesite="Lax",
                                secure=request.secure, path="/", max_age=365 * 86400)
        return response

    # ---- playing -------------------------------------------------------------------------------
    async def play(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        row = self.current_game(student)
        if row is None:
            raise self.redirect("/new")
        game = self.game_of(row)
        scene = game.view()
        notice = {"stale": _("That choice was for a scene your game has already left; here is "
                             "where it is now."),
                  "locked": _("That choice cannot be taken now."),
                  "handed": _("Handed in. Your teacher can see your game and your answers.")
                  }.get(request.query.get("note", ""), "")
        return self.page(request, "play.html", title=scene.title, game_row=row, notice=notice,
                         **scene_view(game, scene))

    def _form_game(self, student: StudentRow, form: Mapping[str, Any]) -> tuple[GameRow, Game, bool]:
        """The game a form was sent for, and whether it is still at the form's step and scene."""
        row = self.own_game(student, form.get("game"))
        game = self.game_of(row)
        try:
            step = int(str(form.get("step", "-1")))
        except ValueError:
            step = -1
        fresh = step == len(game.state.path) and str(form.get("node", "")) == game.state.node
        return row, game, fresh

    async def choose(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        form = await request.post()
        row, game, fresh = self._form_game(student, form)
        if not fresh or game.ended:
            raise self.redirect("/play?note=stale")
        try:
            index = int(str(form.get("choice", "")))
        except ValueError:
            raise self.redirect("/play?note=locked") from None
        if index not in game.available():
            raise self.redirect("/play?note=locked")
        answer = form.get("reflection")
        if game.node.reflect and isinstance(answer, str):
            game.reflect(answer[:4000])
        try:
            game.choose(index)
        except GameError:
            self._forget(row.id)
            raise self.redirect("/play?note=locked") from None
        if not self.write(row, game):
            raise self.redirect("/play?note=stale")
        raise self.redirect("/play")

    async def undo(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        form = await request.post()
        row, game, fresh = self._form_game(student, form)
        if not fresh:
            raise self.redirect("/play?note=stale")
        if game.undo() and not self.write(row, game):
            raise self.redirect("/play?note=stale")
        raise self.redirect("/play")

    async def new_page(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        story = self.story()
        games = {g.campaign: g for g in reversed(self.store.games_of(student.id))}
        return self.page(request, "new.html", title=_("New game"), campaigns=list(story.campaigns.values()),
                         played=games)

    async def new_game(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        form = await request.post()
        campaign = str(form.get("campaign", ""))
        story = self.story()
        if campaign not in story.campaigns:
            raise Refused(_("There is no such campaign."), 404)
        game = Game(story, campaign, 0)
        row = self.store.new_game(student.id, campaign, 0, story.content_hash,
                                  game.state.to_json(), summarize(game))
        self._remember((row.id, i18n.language() if i18n.language() in self.stories else "en"),
                       row.version, game)
        raise self.redirect("/play")

    async def games_page(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        story = self.story()
        games = []
        for g in self.store.games_of(student.id):
            node = story.nodes.get(g.summary.node)
            campaign = story.campaigns.get(g.campaign)
            games.append({"row": g, "campaign": campaign.title if campaign else g.campaign,
                          "scene": node.title if node else g.summary.title,
                          "date": node.date.display() if node else g.summary.story_date,
                          "choice": i18n.format_percent(g.summary.choice_div),
                          "outcome": i18n.format_percent(g.summary.outcome_div),
                          "current": g.id == student.current_game})
        return self.page(request, "games.html", title=_("Your games"), games=games)

    async def continue_game(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        form = await request.post()
        row = self.own_game(student, form.get("game"))
        self.store.set_current(student.id, row.id)
        raise self.redirect("/play")

    def _game_or_new(self, request: web.Request) -> tuple[StudentRow, GameRow, Game]:
        student = self.require_student(request)
        row = self.current_game(student)
        if row is None:
            raise self.redirect("/new")
        return student, row, self.game_of(row)

    async def history(self, request: web.Request) -> web.StreamResponse:
        _student, _row, game = self._game_or_new(request)
        scene = game.view()
        current = note_view(scene.history) if scene.ending is None else None
        return self.page(request, "history.html", title=_("What really happened"),
                         last=last_decision_view(game), current=current, scene=scene)

    async def timeline(self, request: web.Request) -> web.StreamResponse:
        _student, _row, game = self._game_or_new(request)
        everything = request.query.get("all") == "1"
        return self.page(request, "timeline.html", title=_("Timeline"), everything=everything,
                         **timeline_view(game, everything))

    async def glossary(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        row = self.current_game(student)
        texts: list[str] = []
        story = self.story()
        if row is not None:
            game = self.game_of(row)
            scene = game.view()
            texts = [scene.title, *scene.paragraphs]
            story = game.story
        query = request.query.get("q", "")[:80]
        view = glossary_view(story, query, request.match_info.get("entry"), texts)
        if request.match_info.get("entry") and view.found is None:
            raise Refused(_("There is no such glossary entry."), 404)
        return self.page(request, "glossary.html", title=_("Glossary"), view=view,
                         count=len(story.glossary))

    async def help(self, request: web.Request) -> web.StreamResponse:
        return self.page(request, "help.html", title=_("Help"), choices_mean=_(CHOICES_MEANS),
                         world_means=_(WORLD_MEANS))

    async def hand_in(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        form = await request.post()
        row = self.own_game(student, form.get("game"))
        if not row.summary.ended:
            raise Refused(_("A game is handed in at its ending."), 409)
        self.store.hand_in(row.id)
        raise self.redirect("/play?note=handed")

    async def transcript(self, request: web.Request) -> web.StreamResponse:
        student = self.require_student(request)
        row = self.own_game(student, request.match_info["game"])
        return self.transcript_response(row, student.name, request.match_info["fmt"])

    def transcript_response(self, row: GameRow, player: str, fmt: str) -> web.Response:
        from datetime import datetime

        from moscow1941.classroom.transcript import build, render

        game = self.game_of(row)
        played = (datetime.fromisoformat(row.started), datetime.fromisoformat(row.updated))
        text = render(build(game, player, played), fmt)
        safe = "".join(ch if ch.isalnum() else "-" for ch in player)[:40].strip("-") or "student"
        headers = {"Content-Security-Policy": TRANSCRIPT_CSP,
                   "Content-Disposition": f'inline; filename="moscow1941-{safe}-{row.id}.{fmt}"'}
        return web.Response(text=text, content_type="text/html" if fmt == "html" else "text/markdown",
                            charset="utf-8", headers=headers)

