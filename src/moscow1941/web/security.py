"""What keeps one browser out of another's game: signed cookies, CSRF tokens, sign-in limits,
and the headers every page carries.

- A session is a cookie whose value says who it is for and is signed with HMAC-SHA256 under a
  key the store keeps (`Store.secret`), so every server process on one database accepts the
  cookies of the others. A student's cookie holds their id and the version of their secret
  word: when the teacher resets the word, every browser signed in as them is signed out. A
  teacher's holds the class and the version of its password. Cookies are HttpOnly (no script
  reads them), SameSite=Lax (no other site's form sends them) and Secure behind https.
- Every form carries a CSRF token, the HMAC of the session's cookie (a visitor who has not
  signed in gets a random cookie of their own first): a form posted from another site cannot
  know it. A POST without the right token is refused.
- Sign-in is limited per name and per address (`classroom.students.retry_delay` and
  `address_delay`, counted in the store, so every process counts the same failures).
- Every answer carries a Content-Security-Policy with no inline script and no other origin.

Never imports the engine or a user interface.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

STUDENT_COOKIE = "m41s"
TEACHER_COOKIE = "m41t"
VISITOR_COOKIE = "m41v"
LANGUAGE_COOKIE = "m41lang"
MAX_AGE = 12 * 3600
"""How long a sign-in lasts: a school day."""

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
"""The pages' Content-Security-Policy: the page's own script and styles only."""
TRANSCRIPT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
"""A transcript is one self-contained page with its styles inside it, and no script."""

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


@dataclass(frozen=True, slots=True)
class Ticket:
    """What a valid cookie says: `kind` 's' (student) or 't' (teacher), the id, the version."""

    kind: str
    id: int
    version: int
    issued: int


class Signer:
    def __init__(self, key: bytes, clock: Callable[[], float] | None = None) -> None:
        self.key = key
        self.clock = clock or time.time

    def _mac(self, text: str) -> str:
        digest = hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def ticket(self, kind: str, id_: int, version: int) -> str:
        body = f"{kind}.{id_}.{version}.{int(self.clock())}"
        return f"{body}.{self._mac(body)}"

    def read(self, value: str | None, kind: str) -> Ticket | None:
        """The ticket in a cookie, if it is ours, of `kind`, and not expired."""
        if not value or len(value) > 200:
            return None
        body, _, mac = value.rpartition(".")
        if not hmac.compare_digest(mac, self._mac(body)):
            return None
        parts = body.split(".")
        if len(parts) != 4 or parts[0] != kind:
            return None
        try:
            id_, version, issued = int(parts[1]), int(parts[2]), int(parts[3])
        except ValueError:
            return None
        if not 0 <= self.clock() - issued <= MAX_AGE:
            return None
        return Ticket(kind, id_, version, issued)

    def csrf(self, session: str) -> str:
        """The token the forms of the session whose cookie is `session` carry."""
        return self._mac("csrf|" + session)

    def csrf_ok(self, session: str, token: str | None) -> bool:
        return bool(session) and bool(token) and hmac.compare_digest(self.csrf(session), token or "")


def visitor_token() -> str:
    return secrets.token_urlsafe(18)
