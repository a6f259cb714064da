"""`ClassroomServer`: textual-serve's server with the game's own page, a cap on sessions, and
page addresses that follow the address each browser used.

textual-serve starts one game process per browser session (the command it is given, through
the shell) and relays the terminal over a websocket. This subclass changes only what a
classroom needs: the page (`templates/app_index.html`, nothing fetched from the internet),
the greeting printed when it starts, refusing sessions beyond `max_sessions` so a stray
script cannot start processes until the computer runs out of memory, and the end of sessions:

- when a websocket closes, its game is asked to quit (it writes any autosave still pending,
  as when a player quits) and its process must be gone within `QUIT_SECONDS`, else it is
  stopped (SIGTERM, then SIGKILL): no game outlives its browser, and its slot is free the
  moment the process has ended (textual-serve itself only asks, and waits for the game's
  output to end, which a game blocked on a full pipe never does);
- on SIGTERM or Ctrl+C every running game is asked to quit at once, given `QUIT_SECONDS`,
  then stopped, and the websockets are closed: the server is gone within about two seconds
  with every game saved (textual-serve's own shutdown waits for aiohttp's 60 s timeout).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
from collections.abc import Sequence
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, log, to_int

from moscow1941 import i18n
from moscow1941.classroom.students import CLIENT_ENV
from moscow1941.i18n import _, ngettext
from moscow1941.web import TEMPLATES


def page_words() -> dict[str, str]:
    """The page's own words in the game's language, and its language and direction (the
    messages around the terminal; the terminal draws the game itself)."""
    return {
        "lang": i18n.language(),
        "dir": "rtl" if i18n.is_rtl() else "ltr",
        "opening": _("Opening the game…"),
        "ended": _("This session has ended. Your game was saved after your last choice."),
        "again": _("Sign in again"),
    }

TITLE = "Moscow 1941"
DEFAULT_FONT_SIZE = 16
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 64
QUIT_SECONDS = 1.2
"""How long a game has to quit (and save) when asked, before it is stopped."""
STOP_SECONDS = 0.5
"""How long a stopped (SIGTERM) game has before SIGKILL."""
_HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")
"""What a Host header may be for the page to use it in its addresses."""


def font_size(value: str | None) -> int:
    """The page's `?fontsize=N`: a whole number of pixels between 8 and 64, else 16."""
    try:
        size = int(value) if value is not None else DEFAULT_FONT_SIZE
    except ValueError:
        return DEFAULT_FONT_SIZE
    return max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, size))


class SessionService(AppService):
    """textual-serve's game process, told its browser's address (`CLIENT_ENV`): the sign-in
    screen limits wrong secret words per address too."""

    client_address: str | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        if self.client_address:
            environment[CLIENT_ENV] = self.client_address
        return environment


class ClassroomServer(Server):
    """Serves the game to browsers; see the module docstring."""

    def __init__(self, command: str, *, host: str, port: int, url: str, fixed_url: bool,
                 max_sessions: int, greeting: Sequence[str]) -> None:
        """`url` is where students connect (`http://HOST:PORT`, no trailing '/'); with
        `fixed_url` every page uses it (`--public-url`, e.g. behind a proxy), otherwise each
        page uses the address its browser asked for, so any address of this computer works.
        `greeting` is printed, a line each, once the server listens."""
        super().__init__(command, host=host, port=port, title=TITLE, public_url=url,
                         templates_path=TEMPLATES)
        self.fixed_url = fixed_url
        self.max_sessions = max_sessions
        self.sessions = 0
        """Sessions (websockets with their game) open now: the cap counts these."""
        self.services: set[AppService] = set()
        """The running games' services."""
        self.websockets: set[web.WebSocketResponse] = set()
        self.greeting = tuple(greeting)

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C (or SIGTERM). As textual-serve's own `serve`, but the greeting
        is printed once the port is open, not before. Raises OSError when the port cannot
        be opened."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False,
                    loop=loop, print=self._greet, shutdown_timeout=QUIT_SECONDS)

    def _greet(self, *_: object) -> None:
        for line in self.greeting:
            self.console.print(line, markup=False, highlight=False, soft_wrap=True)
        self.console.file.flush()

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: the greeting (instead of textual-serve's banner) comes once the port is
        open."""

    def base_url(self, request: web.Request) -> str:
        """The scheme, host and port the page's addresses start with."""
        if not self.fixed_url:
            host = request.host
            if _HOST.fullmatch(host):
                return f"{request.scheme}://{host}"
        return self.public_url

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page: the terminal, with the websocket and static addresses filled in."""
        base = self.base_url(request)
        static = str(request.app.router["static"].url_for(filename="/")).rstrip("/") + "/"
        websocket = base + str(request.app.router["websocket"].url_for())
        scheme, rest = websocket.split(":", 1)
        return {
            "font_size": font_size(request.query.get("fontsize")),
            "app_websocket_url": ("wss:" if scheme == "https" else "ws:") + rest,
            "config": {"static": {"url": base + static}},
            "application": {"name": self.title},
            "words": page_words(),
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start a game for this browser, unless `max_sessions` are running already."""
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(text=ngettext(
                "The game already has {n} player; ask your teacher.",
                "The game already has {n} players; ask your teacher.",
                self.max_sessions).format(n=self.max_sessions))
        self.sessions += 1
        try:
            return await self._session(request)
        finally:
            self.sessions -= 1

    async def _session(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's session (its `handle_websocket`), ending with `end_game`."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: AppService | None = None
        self.websockets.add(websocket)

        async def close() -> None:
            await websocket.close()

        try:
            await websocket.prepare(request)
            service = SessionService(self.command, write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=close,
                                     download_manager=self.download_manager, debug=self.debug)
            service.client_address = request.remote
            self.services.add(service)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a bad message from the page: end the session
            log.exception(error)
        finally:
            try:
                if service is not None:
                    await asyncio.shield(self.end_game(service))
            finally:
                if service is not None:
                    self.services.discard(service)
                self.websockets.discard(websocket)
                with contextlib.suppress(Exception):
                    await websocket.close()
        return websocket

    async def end_game(self, service: AppService) -> None:
        """Ask the game of `service` to quit, as textual-serve does when its browser goes
        away (the game then writes any pending autosave and exits), and make sure its process
        has ended: SIGTERM after `QUIT_SECONDS`, SIGKILL `STOP_SECONDS` later."""
        process = service._process
        deadline = asyncio.get_running_loop().time() + QUIT_SECONDS
        with contextlib.suppress(Exception):
            await asyncio.wait_for(service.stop(), QUIT_SECONDS)
        if process is None:
            return
        steps = ((None, deadline - asyncio.get_running_loop().time()),
                 (process.terminate, STOP_SECONDS), (process.kill, 10.0))
        for stop, seconds in steps:
            if process.returncode is not None:
                return
            if stop is not None:
                with contextlib.suppress(ProcessLookupError):
                    stop()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), max(0.05, seconds))

    async def on_shutdown(self, app: web.Application) -> None:
        """SIGTERM or Ctrl+C: every game quits (and saves) at once, then every websocket
        closes."""
        await asyncio.gather(*(self.end_game(s) for s in list(self.services)),
                             return_exceptions=True)
        await asyncio.gather(*(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
                               for ws in list(self.websockets)), return_exceptions=True)
