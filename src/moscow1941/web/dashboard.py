"""The teacher's dashboard: every page under /teacher (see docs/dashboard.md).

- /teacher/signin: the class's teacher password (limited per address: after three wrong
  passwords from one address, 2, 4, 8 ... up to 30 seconds between tries); a teacher's
  cookie holds the class and the version of its password, so changing the password signs
  out every other teacher session.
- /teacher: the live view (who is where, how the class split at each decision, the
  reflections as they arrive); with JavaScript it refreshes itself every 5 seconds.
- /teacher/roster: the students, adding names, open sign-up, resetting a secret word,
  removing a student.
- /teacher/handout: a printable page for the students, in the class's language.
- /teacher/report (and .md, .csv), /teacher/gradebook.csv, /teacher/transcript/<game>.html.
- /teacher/preview: the teacher plays as a preview student, who never counts anywhere.

A student's cookie never opens any of these pages: each checks the teacher's ticket.
The teacher's preview players (students with `preview`) are left out of every figure.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from moscow1941 import i18n
from moscow1941.classroom import report as class_report
from moscow1941.classroom.students import FORGET_SECONDS, StudentError, retry_delay
from moscow1941.classroom.text import ending_kind, one_line
from moscow1941.engine import Game
from moscow1941.i18n import _, ngettext, pgettext
from moscow1941.store import GameRow, StoreError, StudentRow
from moscow1941.web.security import MAX_AGE, TEACHER_COOKIE
from moscow1941.words import number, percent

if TYPE_CHECKING:
    from moscow1941.web.face import Face

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
TEACHER_KIND = "teacher"
"""The kind of a wrong teacher password in the store's attempts (subject: class:address)."""
MAX_PASTE = 20_000
"""The most characters of names taken at once (a class list is far shorter)."""
LIVE_REFLECTIONS = 50
"""The newest reflections the live view shows (the report shows them all)."""
BOM = "\ufeff"
"""CSV files start with a byte order mark, so that Excel reads them as UTF-8."""


def when(stamp: str | None) -> str:
    """A stored time (ISO, UTC) as the dashboard shows it: 2026-12-02 10:30 UTC."""
    if not stamp:
        return ""
    try:
        return f"{datetime.fromisoformat(stamp):%Y-%m-%d %H:%M} UTC"
    except ValueError:
        return ""


@dataclass(slots=True)
class Played:
    """One game of a (non-preview) student, built in the current language (None if broken)."""

    student: StudentRow
    row: GameRow
    game: Game | None


class Dashboard:
    def __init__(self, face: Face) -> None:
        self.face = face

    # ---- who may ask ---------------------------------------------------------------------------
    def teacher_only(self, handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            if self.face.who(request).teacher is None:
                raise self.face.redirect("/teacher/signin")
            return await handler(request)
        return guarded

    def page(self, request: web.Request, template: str, **values: Any) -> web.Response:
        return self.face.page(request, template, **values)

    # ---- signing in ------------------------------------------------------------------------------
    async def signin_page(self, request: web.Request) -> web.StreamResponse:
        if self.face.who(request).teacher is not None:
            raise self.face.redirect("/teacher")
        return self.page(request, "teacher_signin.html", title=_("Teacher's sign-in"), message="")

    def _teacher_wait(self, address: str) -> float:
        now = self.face.clock()
        count, last = self.face.store.failures(TEACHER_KIND, f"{self.face.class_id}:{address}",
                                               now - FORGET_SECONDS)
        mine = last + retry_delay(count) - now if count else 0.0
        return max(mine, self.face._wait(None, address))

    def _teacher_failed(self, address: str) -> None:
        self.face.store.fail(TEACHER_KIND, f"{self.face.class_id}:{address}", self.face.clock())
        self.face._failed(None, address)

    def _too_many(self, wait: float) -> str:
        seconds = max(1, round(wait))
        return ngettext("Too many wrong passwords. Wait {n} second, then try again.",
                        "Too many wrong passwords. Wait {n} seconds, then try again.",
                        seconds).format(n=seconds)

    def _set_cookie(self, request: web.Request, response: web.StreamResponse) -> None:
        row = self.face.class_row
        response.set_cookie(TEACHER_COOKIE, self.face.signer.ticket("t", row.id, row.teacher_version),
                            httponly=True, samesite="Lax", secure=request.secure, path="/",
                            max_age=MAX_AGE)

    async def signin(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        password = str(form.get("password", ""))[:400]
        address = self.face._address(request)
        wait = self._teacher_wait(address)
        if wait > 0:
            return self.face.page(request, "teacher_signin.html", status=429,
                                  title=_("Teacher's sign-in"), message=self._too_many(wait))
        if not password or not self.face.store.check_teacher(self.face.class_id, password):
            self._teacher_failed(address)
            return self.page(request, "teacher_signin.html", title=_("Teacher's sign-in"),
                             message=_("That is not this class's teacher password."))
        self.face.store.forget(TEACHER_KIND, f"{self.face.class_id}:{address}")
        response = self.face.see_other("/teacher")
        self._set_cookie(request, response)
        return response

    async def signout(self, request: web.Request) -> web.StreamResponse:
        response = self.face.see_other("/teacher/signin")
        response.del_cookie(TEACHER_COOKIE, path="/")
        return response

    async def password_page(self, request: web.Request) -> web.StreamResponse:
        return self.page(request, "teacher_password.html", title=_("Change the password"),
                         message="", done=request.query.get("done") == "1")

    async def change_password(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        old = str(form.get("old", ""))[:400]
        new = str(form.get("new", ""))[:400]
        again = str(form.get("again", ""))[:400]
        address = self.face._address(request)

        def refuse(message: str, status: int = 200) -> web.Response:
            return self.face.page(request, "teacher_password.html", status=status,
                                  title=_("Change the password"), message=message, done=False)

        wait = self._teacher_wait(address)
        if wait > 0:
            return refuse(self._too_many(wait), 429)
        if not self.face.store.check_teacher(self.face.class_id, old):
            self._teacher_failed(address)
            return refuse(_("The present password is not right."))
        if new != again:
            return refuse(_("The two new passwords are not the same."))
        try:
            self.face.store.set_teacher_password(self.face.class_id, new)
        except StoreError:
            return refuse(_("A teacher's password needs at least 8 characters."))
        response = self.face.see_other("/teacher/password?done=1")
        self._set_cookie(request, response)  # this session stays; the others are signed out
        return response

    # ---- the class's games ------------------------------------------------------------------------
    def played(self) -> list[Played]:
        out = []
        from moscow1941.web.face import Refused

        for student, row in self.face.store.class_games(self.face.class_id):
            try:
                game: Game | None = self.face.game_of(row)
            except Refused:
                game = None
            out.append(Played(student, row, game))
        return out

    def report(self, played: Sequence[Played]) -> class_report.ClassReport:
        story = self.face.story()
        entries = [(p.student.name, p.game, datetime.fromisoformat(p.row.updated),
                    _("game {id}").format(id=p.row.id)) for p in played if p.game is not None]
        names = [s.name for s in self.face.store.students(self.face.class_id)]
        return class_report.from_games(story, entries, students=names,
                                       class_name=self.face.class_row.name)

    def _scene(self, row: GameRow) -> tuple[str, str]:
        story = self.face.story()
        node = story.nodes.get(row.summary.node)
        if node is None:
            return row.summary.title, row.summary.story_date
        return node.title, node.date.display()

    def _campaign(self, campaign: str) -> str:
        found = self.face.story().campaigns.get(campaign)
        return found.title if found else campaign

    # ---- the live view ----------------------------------------------------------------------------
    async def live(self, request: web.Request) -> web.StreamResponse:
        played = self.played()
        students = self.face.store.students(self.face.class_id)
        by_student: dict[int, list[Played]] = {}
        for p in played:
            by_student.setdefault(p.student.id, []).append(p)
        rows = []
        for s in students:
            mine = by_student.get(s.id, [])
            current = next((p for p in mine if p.row.id == s.current_game), None)
            if current is None and mine:
                current = max(mine, key=lambda p: (p.row.updated, p.row.id))
            entry: dict[str, Any] = {"student": s, "seen": when(s.seen), "game": None}
            if current is not None:
                scene, date = self._scene(current.row)
                entry.update(game=current.row, campaign=self._campaign(current.row.campaign),
                             scene=scene, date=date, updated=when(current.row.updated))
            rows.append(entry)
        report = self.report(played)
        splits = [(self.face.story().campaigns[c].title, class_report.decision_splits(report, c))
                  for c in report.campaigns()]
        reflections = self.reflections()
        choices = sum(p.row.summary.step for p in played)
        news = self._news(request, choices, len(reflections))
        return self.page(request, "teacher_live.html", title=_("Live view"), rows=rows,
                         splits=splits, reflections=reflections[:LIVE_REFLECTIONS],
                         more=max(0, len(reflections) - LIVE_REFLECTIONS), choices=choices,
                         reflection_count=len(reflections), news=news, now=when(
                             datetime.now(UTC).isoformat()))

    @staticmethod
    def _news(request: web.Request, choices: int, reflections: int) -> str:
        """What changed since the numbers the refreshing page sent (for the screen reader)."""
        try:
            before_c = int(request.query.get("choices", ""))
            before_r = int(request.query.get("reflections", ""))
        except ValueError:
            return ""
        parts = []
        if choices > before_c:
            n = choices - before_c
            parts.append(ngettext("{n} new choice", "{n} new choices", n).format(n=number(n)))
        if reflections > before_r:
            n = reflections - before_r
            parts.append(ngettext("{n} new reflection", "{n} new reflections", n).format(
                n=number(n)))
        return pgettext("list separator", ", ").join(parts)

    def reflections(self) -> list[dict[str, Any]]:
        story = self.face.story()
        out = []
        for r in self.face.store.class_reflections(self.face.class_id):
            node = story.nodes.get(r.node)
            out.append({"student": r.student, "campaign": self._campaign(r.campaign),
                        "prompt": node.reflect if node else "", "scene": node.title if node else "",
                        "answer": r.answer, "at": when(r.at), "game": r.game_id})
        return out

    # ---- the roster -------------------------------------------------------------------------------
    async def roster(self, request: web.Request) -> web.StreamResponse:
        return self._roster(request)

    def _roster(self, request: web.Request, *, added: Sequence[str] = (),
                skipped: Sequence[str] = (), message: str = "", names: str = "",
                status: int = 200) -> web.Response:
        students = self.face.store.students(self.face.class_id)
        games: dict[int, list[GameRow]] = {}
        for student, row in self.face.store.class_games(self.face.class_id):
            games.setdefault(student.id, []).append(row)
        rows = []
        for s in students:
            mine = games.get(s.id, [])
            current = next((g for g in mine if g.id == s.current_game), None)
            entry: dict[str, Any] = {"student": s, "seen": when(s.seen), "games": len(mine),
                                     "handed": sum(1 for g in mine if g.handed_in),
                                     "current": current}
            if current is not None:
                entry["campaign"] = self._campaign(current.campaign)
                entry["scene"], entry["date"] = self._scene(current)
            rows.append(entry)
        note = {"reset": _("The secret word was reset. The student chooses a new one at their "
                           "next sign-in."),
                "removed": _("The student was removed."),
                "signup": _("Sign-up is changed.")}.get(request.query.get("note", ""), "")
        return self.face.page(request, "teacher_roster.html", status=status, title=_("Roster"),
                              rows=rows, added=list(added), skipped=list(skipped),
                              message=message, note=note, names=names,
                              class_row=self.face.class_row)

    async def add(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        text = str(form.get("names", ""))
        if len(text) > MAX_PASTE:
            return self._roster(request, message=_("That is too many names at once."),
                                names="", status=413)
        try:
            added, skipped = self.face.store.add_students(self.face.class_id, text.splitlines())
        except StudentError as exc:
            return self._roster(request, message=str(exc), names=text)
        return self._roster(request, added=[s.name for s in added], skipped=skipped)

    async def signup(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        self.face.store.set_signup(self.face.class_id, form.get("open") == "1")
        raise self.face.redirect("/teacher/roster?note=signup")

    def _form_student(self, form: Any) -> StudentRow:
        from moscow1941.web.face import Refused

        try:
            student = self.face.store.student(int(str(form.get("student", ""))))
        except ValueError:
            student = None
        if student is None or student.class_id != self.face.class_id:
            raise Refused(_("There is no such student in this class."), 404)
        return student

    async def reset(self, request: web.Request) -> web.StreamResponse:
        student = self._form_student(await request.post())
        self.face.store.reset_secret(student.id)
        raise self.face.redirect("/teacher/roster?note=reset")

    async def remove(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        student = self._form_student(form)
        if form.get("confirm") != "yes":
            games = len(self.face.store.games_of(student.id))
            return self.page(request, "teacher_remove.html", title=_("Remove a student"),
                             target=student, games=games)
        self.face.store.remove_student(student.id)
        raise self.face.redirect("/teacher/roster?note=removed")

    # ---- the handout --------------------------------------------------------------------------------
    async def handout(self, request: web.Request) -> web.StreamResponse:
        cls = self.face.class_row
        lang = i18n.normalize(request.query.get("lang", "")) or cls.language
        if lang not in self.face.stories:
            lang = "en"
        address = (self.face.public_url or f"{request.scheme}://{request.host}").rstrip("/") + "/"
        with i18n.speaking(lang):
            return self.page(request, "teacher_handout.html", title=_("Handout"),
                             address=address, code=cls.code, signup=cls.signup,
                             handout_lang=lang)

    # ---- preview ----------------------------------------------------------------------------------
    async def preview(self, request: web.Request) -> web.StreamResponse:
        store, class_id = self.face.store, self.face.class_id
        mine = [s for s in store.students(class_id, preview=True) if s.preview]
        student: StudentRow | None = mine[0] if mine else None
        if student is None:
            base = _("Teacher (preview)")
            for n in range(1, 20):
                name = base if n == 1 else f"{base} {n}"
                added, _skipped = store.add_students(class_id, [name], preview=True)
                if added:
                    student = added[0]
                    break
            if student is None:
                from moscow1941.web.face import Refused

                raise Refused(_("The preview player could not be made."), 500)
        assert student is not None
        response = self.face.see_other("/play")
        self.face.set_student_cookie(request, response, student)
        return response

    # ---- the report ---------------------------------------------------------------------------------
    async def report_page(self, request: web.Request) -> web.StreamResponse:
        played = self.played()
        report = self.report(played)
        campaigns = []
        for c in report.campaigns():
            games = [g for g in report.games if g.campaign == c]
            splits = class_report.decision_splits(report, c)
            endings = Counter((g.game.node.ending.title, g.game.node.ending.kind)
                              for g in games if g.game.node.ending is not None)
            figures = [g.game.divergence() for g in games]
            divergence = []
            for g, d in zip(games, figures, strict=True):
                ending = g.game.node.ending
                divergence.append({"student": g.student, "choice": percent(d.choice),
                                   "outcome": percent(d.outcome),
                                   "choice_of": (d.divergent_decisions, d.decisions),
                                   "outcome_of": (d.events_diverged, d.events_settled),
                                   "ending": ending.title if ending else ""})
            campaigns.append({
                "title": report.story.campaigns[c].title, "played": len(games),
                "finished": sum(g.finished for g in games),
                "top": class_report.most_divisive(splits), "splits": splits,
                "endings": [{"title": t, "kind": ending_kind(k), "count": n}
                            for (t, k), n in sorted(endings.items(), key=lambda e: (-e[1], e[0]))],
                "divergence": divergence,
                "mean": (percent(statistics.fmean(d.choice for d in figures)),
                         percent(statistics.fmean(d.outcome for d in figures))),
                "median": (percent(statistics.median(d.choice for d in figures)),
                           percent(statistics.median(d.outcome for d in figures))),
                "waiting": [{"student": g.student, "scene": g.game.node.title,
                             "date": g.game.node.date.display(),
                             "when": f"{g.updated:%Y-%m-%d %H:%M} UTC"}
                            for g in games if not g.finished]})
        reflections = []
        for g in report.games:
            for r in g.game.reflections():
                reflections.append({"student": g.student, "campaign":
                                    report.story.campaigns[g.campaign].title,
                                    "prompt": r.prompt, "scene": r.title, "answer": r.answer})
        broken = sorted({p.student.name for p in played if p.game is None})
        return self.page(request, "teacher_report.html", title=_("Class report"),
                         campaigns=campaigns, without=report.without_games(),
                         reflections=reflections, broken=broken, share=class_report._share,
                         students=len(report.students), games=len(report.games))

    def _download(self, text: str, name: str, content_type: str) -> web.Response:
        safe = "".join(ch if ch.isalnum() else "-" for ch in self.face.class_row.name)[:40]
        return web.Response(text=text, content_type=content_type, charset="utf-8", headers={
            "Content-Disposition": f'attachment; filename="moscow1941-{safe.strip("-") or "class"}-{name}"'})

    async def report_md(self, request: web.Request) -> web.StreamResponse:
        text = class_report.render(self.report(self.played()), "md")
        return self._download(text, "report.md", "text/markdown")

    async def report_csv(self, request: web.Request) -> web.StreamResponse:
        text = class_report.render(self.report(self.played()), "csv")
        return self._download(BOM + text, "report.csv", "text/csv")

    async def gradebook(self, request: web.Request) -> web.StreamResponse:
        return self._download(BOM + self.gradebook_csv(), "gradebook.csv", "text/csv")

    def gradebook_csv(self) -> str:
        """One row per student (see docs/dashboard.md): the values of each campaign they
        played joined with ' / ' when they played several."""
        played = self.played()
        report = self.report(played)
        story = report.story
        handed: dict[tuple[str, str], str] = {}
        for p in played:
            if p.row.handed_in:
                key = (p.student.name, p.row.campaign)
                handed[key] = max(handed.get(key, ""), p.row.handed_in)
        position = {node_id: n for n, node_id in enumerate(story.nodes)}
        prompts: list[str] = sorted({r.node_id for g in report.games for r in g.game.reflections()},
                                    key=lambda n: position.get(n, 0))
        header = ["student", "campaigns", "ended", "handed in (UTC)", "choice divergence %",
                  "outcome divergence %", "reflections",
                  *(f"{one_line(story.nodes[n].title, 200)}: {one_line(story.nodes[n].reflect, 500)}"
                    for n in prompts)]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([class_report.safe_cell(h) for h in header])
        games_of: dict[str, list[class_report.StudentGame]] = {}
        for g in report.games:
            games_of.setdefault(g.student, []).append(g)
        for name in report.students:
            mine = games_of.get(name, [])
            answers: dict[str, list[str]] = {}
            count = 0
            for g in mine:
                for r in g.game.reflections():
                    answers.setdefault(r.node_id, []).append(r.answer)
                    count += 1
            figures = [g.game.divergence() for g in mine]
            row = [name, " / ".join(story.campaigns[g.campaign].title for g in mine),
                   " / ".join("yes" if g.finished else "no" for g in mine),
                   " / ".join(when(handed.get((name, g.campaign))).removesuffix(" UTC")
                              for g in mine).strip(" /"),
                   " / ".join(str(round(d.choice * 100, 1)) for d in figures),
                   " / ".join(str(round(d.outcome * 100, 1)) for d in figures),
                   count, *(" / ".join(answers.get(n, [])) for n in prompts)]
            writer.writerow([class_report.safe_cell(one_line(str(v), 4000)) for v in row])
        return buffer.getvalue()

    # ---- transcripts --------------------------------------------------------------------------------
    async def transcript(self, request: web.Request) -> web.StreamResponse:
        from moscow1941.web.face import Refused

        row = self.face.store.game(int(request.match_info["game"]))
        student = self.face.store.student(row.student_id) if row else None
        if row is None or student is None or student.class_id != self.face.class_id:
            raise Refused(_("There is no such game in this class."), 404)
        return self.face.transcript_response(row, student.name, "html")


def add_routes(face: Face, app: web.Application) -> None:
    """Add the dashboard's pages to `app`."""
    d = Dashboard(face)
    r = app.router
    t = d.teacher_only
    r.add_get("/teacher/signin", d.signin_page)
    r.add_post("/teacher/signin", d.signin)
    r.add_post("/teacher/signout", d.signout)
    r.add_get("/teacher", t(d.live))
    r.add_get("/teacher/", t(d.live))
    r.add_get("/teacher/password", t(d.password_page))
    r.add_post("/teacher/password", t(d.change_password))
    r.add_get("/teacher/roster", t(d.roster))
    r.add_post("/teacher/roster/add", t(d.add))
    r.add_post("/teacher/roster/signup", t(d.signup))
    r.add_post("/teacher/roster/reset", t(d.reset))
    r.add_post("/teacher/roster/remove", t(d.remove))
    r.add_get("/teacher/handout", t(d.handout))
    r.add_post("/teacher/preview", t(d.preview))
    r.add_get("/teacher/report", t(d.report_page))
    r.add_get("/teacher/report.md", t(d.report_md))
    r.add_get("/teacher/report.csv", t(d.report_csv))
    r.add_get("/teacher/gradebook.csv", t(d.gradebook))
    r.add_get(r"/teacher/transcript/{game:\d+}.html", t(d.transcript))
