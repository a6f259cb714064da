"""The teacher's dashboard (placeholder: routes are added by `add_routes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from moscow1941.web.face import Face


def add_routes(face: Face, app: web.Application) -> None:
    """Add the dashboard's pages to `app`."""
