"""`ClassroomServer`: textual-serve's server with the game's own page, a cap on sessions, and
page addresses that follow the address each browser used.

textual-serve starts one game process per browser session (the command it is given, through
the shell) and relays the terminal over a websocket. This subclass changes only what a
classroom needs: the page (`templates/app_index.html`, nothing fetched from the internet),
the greeting printed when it starts, and refusing sessions beyond `max_sessions` so a
stray script cannot start processes until the computer runs out of memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
from collections.abc import Sequence
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from moscow1941.web import TEMPLATES

TITLE = "Moscow 1941"
DEFAULT_FONT_SIZE = 16
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 64
_HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")
"""What a Host header may be for the page to use it in its addresses."""


def font_size(value: str | None) -> int:
    """The page's `?fontsize=N`: a whole number of pixels between 8 and 64, else 16."""
    try:
        size = int(value) if value is not None else DEFAULT_FONT_SIZE
    except ValueError:
        return DEFAULT_FONT_SIZE
    return max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, size))


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
        """Sessions (game processes) running now."""
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
                    loop=loop, print=self._greet)

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
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start a game for this browser, unless `max_sessions` are running already."""
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(text=f"The game already has {self.max_sessions} "
                                                  "players; ask your teacher.")
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1
