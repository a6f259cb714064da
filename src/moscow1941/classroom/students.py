"""Students' own save folders, when the game is served to a class (`moscow1941 serve`).

The layout below the saves root (`--saves DIR`, `$MOSCOW1941_SAVES` or `./saves`)::

    <saves root>/<class folder>/<student folder>/
        .student.json     the claim: who owns this folder (see below)
        .settings.json    the student's theme and reveal settings
        Autosave 1.json   saves, as `moscow1941.engine.saves.SaveStore` writes them
        ...

Folder names are safe slugs: the name, NFKC-normalised and casefolded, with every run of
characters other than ASCII letters and digits turned into one '-'. A name that is not plain
ASCII after that (`José`, `Ольга`, a look-alike `аlice` with a Cyrillic 'а') also gets a short
hash of its casefolded form, so different names never share a folder; names that differ only
in case, width or punctuation (`Alice`, `alice`, `ＡＬＩＣＥ`; `Anna Petrova`, `anna-petrova`)
share one folder and one claim. Class names are made into folders the same way.

A student's folder is claimed by the first session that signs in with that name: the student
chooses a short secret word, and `.student.json` keeps it salted and hashed with scrypt, never
in clear. Whoever signs in with that name (or one that shares its folder) must give the word.
A teacher resets a forgotten word by deleting `.student.json`: the saves stay, and the next
sign-in claims the folder again. The claim is a JSON object::

    {"format": "moscow1941-student", "version": 1, "name": "Alice", "folder": "alice",
     "created": "2026-11-23T09:14:02+00:00",
     "kdf": {"name": "scrypt", "n": 16384, "r": 8, "p": 1},
     "salt": "<32 hex digits>", "hash": "<64 hex digits>"}

where `name` is the display name the folder was claimed with (the class report reads it).

Signing in (`attempt_sign_in`, what the sign-in screen calls) tells nobody which names are
taken before a word has been checked: a returning student with the right word is in at once;
otherwise, whether the name is free or the word is wrong, the same sentence asks a new
student to type the word again (`Unconfirmed`, with the same scrypt work done either way).
Only the word typed twice claims a free name; typed twice for a taken name it is checked
again, and only then does the refusal say the name is taken.

Wrong words are limited per name and per address across every session of the class
(`Attempts`): a small JSON file in the class folder, `.sign-in-attempts.json`, changed only
under an exclusive lock (`.sign-in.lock`) and replaced whole, so every game process (forked
by `serve`'s launcher, or started on its own; a reconnection is a new process) counts the
same wrong words. After `retry_delay` wrong words for one name, or `address_delay` from one
address, a word is taken again only after an increasing wait; the count of a name starts
again once its owner signs in, and any count is forgotten `FORGET_SECONDS` after its last
wrong word. The address is the browser's, which `serve` gives each game process in
`$MOSCOW1941_CLIENT_ADDRESS` (behind a proxy, every browser has the proxy's address: the
address limit is set high for that).

This module never imports Textual or Rich: the sign-in screen (`moscow1941.ui.screens.student`)
asks it and shows what it says. Every `StudentError` is a full sentence for the student.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from moscow1941.files import DEVICE_NAMES, create_exclusive, write_atomic
from moscow1941.i18n import N_, _, ngettext, pgettext

CLAIM_FILE = ".student.json"
ATTEMPTS_FILE = ".sign-in-attempts.json"
LOCK_FILE = ".sign-in.lock"
CLIENT_ENV = "MOSCOW1941_CLIENT_ADDRESS"
"""The environment variable in which `serve` gives a game process its browser's address."""
FORGET_SECONDS = 600.0
"""A name's or an address's wrong words are forgotten this long after the last one."""
MAX_ATTEMPT_KEYS = 5000
"""The most names and addresses the attempts file keeps (the oldest go first)."""
SETTINGS_FILE = ".settings.json"
PREVIEW_NAME = "Preview"
"""The name a teacher signs in with to try the game before a lesson: its folder,
`PREVIEW_FOLDER`, is the class's preview, and the class report never counts it."""
PREVIEW_FOLDER = "preview"
CLAIM_FORMAT = "moscow1941-student"
CLAIM_VERSION = 1
MAX_NAME = 40
"""The longest name (or class name), in characters, after cleaning."""
MIN_SECRET = 3
MAX_SECRET = 64
_MAX_SLUG = 32
_HASH_DIGITS = 10
_MAX_CLAIM_BYTES = 64 * 1024
SCRYPT_N = 2 ** 14
"""scrypt's cost for new claims (16 MiB and a few tens of milliseconds; tests lower it)."""
_SCRYPT_R = 8
_SCRYPT_P = 1
# Bounds on the parameters read from a claim, so a tampered file cannot make a sign-in
# allocate gigabytes.
_MAX_SCRYPT_N = 2 ** 17
_MAX_SCRYPT_RP = 32


class StudentError(Exception):
    """A name, class name or secret word that cannot be used, or a claim that cannot be read;
    the message is a full sentence for the student (or, for a class name, the teacher)."""


class WrongSecret(StudentError):
    """The secret word does not match the one the name was claimed with. `wait`: seconds
    before another word is taken (0 when none)."""

    def __init__(self, message: str, wait: float = 0.0) -> None:
        super().__init__(message)
        self.wait = wait


class Unconfirmed(WrongSecret):
    """Not signed in, and the message does not say why: the name is new (its word must be
    typed again), or the word is not its word. Said alike in both cases."""


class WordsDiffer(StudentError):
    """The secret word and the word again are not the same."""


class TooSoon(StudentError):
    """Too many wrong words lately for this name or from this address: no word is checked
    for `wait` more seconds."""

    def __init__(self, wait: float) -> None:
        super().__init__(ngettext("Too many wrong secret words. Wait {n} second before trying "
                                  "again.",
                                  "Too many wrong secret words. Wait {n} seconds before trying "
                                  "again.", math.ceil(wait)).format(n=math.ceil(wait)))
        self.wait = wait


UNCONFIRMED = N_("New students choose their word now: type the same secret word again below. "
                 "If you have signed in before, that is not your word: press Esc and try "
                 "again, or ask your teacher to reset it.")
"""English: raised as `_(UNCONFIRMED)`."""


def _what(what: str) -> str:
    """`name` or `class name`, in the current language (the word in the messages below)."""
    # Translators: what is typed, in "Type a {what} with at least one letter or digit."
    return pgettext("what", "class name") if what == "class name" else pgettext("what", "name")


@dataclass(frozen=True, slots=True)
class Student:
    """A signed-in student: the display name the folder was claimed with, the folder (inside
    the class folder), and whether this sign-in made the claim."""

    name: str
    folder: Path
    new: bool

    @property
    def preview(self) -> bool:
        """Whether this is the teacher's preview (`PREVIEW_NAME`), never in the class report."""
        return is_preview(self.folder)


# ---- names and folders -----------------------------------------------------------------------

def clean_name(text: str, what: str = "name") -> str:
    """The display form of a typed name: NFKC, control and invisible characters as spaces,
    runs of spaces as one, trimmed. Raises StudentError when no letter or digit is left or
    the name is longer than `MAX_NAME` characters. `what` names it in messages."""
    if not isinstance(text, str):
        raise StudentError(_("A {what} must be text.").format(what=_what(what)))
    normal = unicodedata.normalize("NFKC", text[:10 * MAX_NAME])
    spaced = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in normal)
    clean = " ".join(spaced.split())
    if not any(ch.isalnum() for ch in clean):
        raise StudentError(_("Type a {what} with at least one letter or digit.").format(
            what=_what(what)))
    if len(clean) > MAX_NAME or len(text) > 10 * MAX_NAME:
        raise StudentError(_("That {what} is too long: use at most {n} characters.").format(
            what=_what(what), n=MAX_NAME))
    return clean


def name_key(text: str, what: str = "name") -> str:
    """What two names must share to be the same name: the cleaned name, casefolded, in NFKC."""
    return unicodedata.normalize("NFKC", clean_name(text, what).casefold())


def folder_name(text: str, what: str = "name") -> str:
    """The folder a name (or class name) is kept in: ASCII letters, digits and '-' only,
    at most 43 characters, never a Windows device name, never '.' or '..'. A hash of the
    name is added when the slug alone could stand for other names: the name is not plain
    ASCII, is too long for the slug, or is a device name."""
    key = name_key(text, what)
    ascii_form = "".join(ch for ch in unicodedata.normalize("NFKD", key)
                         if unicodedata.category(ch) != "Mn" and ch.isascii())
    full = re.sub(r"[^a-z0-9]+", "-", ascii_form).strip("-")
    slug = full[:_MAX_SLUG].rstrip("-")
    if key.isascii() and slug == full and slug and slug.upper() not in DEVICE_NAMES:
        return slug
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:_HASH_DIGITS]
    return f"{slug or 'student'}-{digest}"


def class_folder(saves_root: Path, class_name: str) -> Path:
    """The folder of a class below the saves root (not created here)."""
    return Path(saves_root) / folder_name(class_name, "class name")


def is_preview(folder: Path) -> bool:
    """Whether a student's `folder` is the class's preview (signed in as `PREVIEW_NAME`, or a
    name written the same way: *preview*, *PREVIEW*)."""
    return folder.name == PREVIEW_FOLDER


def student_folder(class_dir: Path, name: str) -> Path:
    """The folder of the student called `name`, checked to be directly inside `class_dir`
    and not a link to anywhere else. Raises StudentError otherwise."""
    base = Path(class_dir).resolve()
    folder = base / folder_name(name)
    if folder.parent != base or folder.resolve() != folder:
        raise StudentError(_("That name cannot be used here; please choose another."))
    return folder


# ---- secret words ----------------------------------------------------------------------------

def clean_secret(text: str) -> str:
    """The secret word as it is checked: NFKC, without spaces at either end. Raises
    StudentError when it is too short, too long or holds control characters."""
    if not isinstance(text, str):
        raise StudentError(_("A secret word must be text."))
    word = unicodedata.normalize("NFKC", text[:4 * MAX_SECRET]).strip()
    if any(unicodedata.category(ch)[0] == "C" for ch in word):
        raise StudentError(_("A secret word can hold letters, digits, spaces and punctuation "
                             "only."))
    if len(word) < MIN_SECRET:
        raise StudentError(_("Type a secret word of at least {n} characters.").format(n=MIN_SECRET))
    if len(word) > MAX_SECRET:
        raise StudentError(_("That secret word is too long: use at most {n} characters.").format(
            n=MAX_SECRET))
    return word


def _scrypt(word: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(word.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * n * r + 1024 * 1024, dklen=32)


def retry_delay(failures: int) -> float:
    """Seconds before another word is taken for a name, after `failures` wrong ones (in any
    session): none for the first two (typing mistakes), then 2, 4, 8, ... up to 30."""
    return 0.0 if failures < 3 else float(min(30, 2 ** (failures - 2)))


def address_delay(failures: int, allowance: int = 10) -> float:
    """Seconds before another word is taken from an address, after `failures` wrong ones
    for any names: none for the first `allowance` (a class behind one proxy or one school
    address shares it; the web face allows as many as the class has students, at least ten),
    then 2, 4, 8, ... up to 60."""
    return 0.0 if failures <= allowance else float(min(60, 2 ** (failures - allowance)))


# ---- the limit on wrong words ----------------------------------------------------------------

@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if missing), shared by every process."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            import fcntl
        except ImportError:  # Windows
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class Attempts:
    """The wrong words of a class by name (`name:<folder>`) and by address (`addr:<address>`),
    in `ATTEMPTS_FILE` in the class folder: `{key: [count, time of the last]}`. Reading needs
    no lock (the file is only ever replaced whole); each change reads, changes and replaces it
    under `LOCK_FILE`'s lock, so no count is lost when sessions fail at once. A file that
    cannot be read counts as empty. `clock` is the time in seconds (`now` unless given)."""

    def __init__(self, class_dir: Path, clock: Callable[[], float] | None = None) -> None:
        self.path = Path(class_dir) / ATTEMPTS_FILE
        self.lock = Path(class_dir) / LOCK_FILE
        self.clock = clock or now

    @staticmethod
    def keys(folder: str, address: str | None) -> list[str]:
        return [f"name:{folder}"] + ([f"addr:{address}"] if address else [])

    def _read(self) -> dict[str, list[float]]:
        try:
            with open(self.path, "rb") as src:
                raw = src.read(1024 * 1024 + 1)
            data = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return {}
        if not isinstance(data, dict):
            return {}
        now = self.clock()
        return {k: [float(v[0]), float(v[1])] for k, v in data.items()
                if isinstance(k, str) and isinstance(v, list) and len(v) == 2
                and all(isinstance(x, (int, float)) and math.isfinite(x) for x in v)
                and now - v[1] < FORGET_SECONDS}

    def _write(self, data: dict[str, list[float]]) -> None:
        if len(data) > MAX_ATTEMPT_KEYS:
            data = dict(sorted(data.items(), key=lambda kv: kv[1][1])[-MAX_ATTEMPT_KEYS:])
        write_atomic(self.path, json.dumps(data).encode("utf-8"))

    @staticmethod
    def _delay(key: str, count: float) -> float:
        failures = int(count)
        return retry_delay(failures) if key.startswith("name:") else address_delay(failures)

    def _wait(self, data: dict[str, list[float]], keys: list[str]) -> float:
        now = self.clock()
        waits = [data[k][1] + self._delay(k, data[k][0]) - now for k in keys if k in data]
        return max([0.0, *waits])

    def wait(self, folder: str, address: str | None = None) -> float:
        """Seconds before a word may be checked for the name kept in `folder` from
        `address` (0.0: now)."""
        return self._wait(self._read(), self.keys(folder, address))

    def failed(self, folder: str, address: str | None = None) -> float:
        """Count a wrong word for the name and the address; the wait it brings."""
        keys = self.keys(folder, address)
        with _locked(self.lock):
            data = self._read()
            now = self.clock()
            for key in keys:
                data[key] = [data.get(key, [0.0, now])[0] + 1, now]
            self._write(data)
        return self._wait(data, keys)

    def succeeded(self, folder: str) -> None:
        """The name's owner signed in: its count starts again (the address's stays)."""
        key = self.keys(folder, None)[0]
        if key not in self._read():
            return
        with _locked(self.lock):
            data = self._read()
            if data.pop(key, None) is not None:
                self._write(data)


def now() -> float:
    """The time the limit on wrong words counts in (seconds; tests replace it)."""
    return time.time()


def client_address() -> str | None:
    """The address of the browser this game process serves, when `serve` gave one."""
    address = os.environ.get(CLIENT_ENV, "").strip()
    return address[:64] if address and address.isprintable() else None


# ---- claims ----------------------------------------------------------------------------------

def is_claimed(class_dir: Path, name: str) -> bool:
    """Whether someone has signed in with `name` (or a name sharing its folder) already."""
    path = student_folder(class_dir, name) / CLAIM_FILE
    return path.exists() or path.is_symlink()


def claimed_name(folder: Path) -> str | None:
    """The display name a student folder was claimed with, or None when it has no readable
    claim (for tools such as the class report)."""
    try:
        return _read_claim(Path(folder) / CLAIM_FILE)["name"]  # type: ignore[no-any-return]
    except (StudentError, OSError):
        return None


def sign_in(class_dir: Path, name: str, secret: str) -> Student:
    """Sign a student in: claim the name's folder with `secret` if nobody has, else check the
    word against the claim. Raises WrongSecret for a wrong word, StudentError for a name or
    word that cannot be used or a claim that cannot be read."""
    display = clean_name(name)
    folder = student_folder(class_dir, name)
    word = clean_secret(secret)
    claim = folder / CLAIM_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudentError(_("Your folder could not be made on the server; tell your teacher "
                             "({reason}).").format(reason=exc.strerror or exc)) from exc
    student_folder(class_dir, name)  # checked again now that the folder exists
    if not (claim.exists() or claim.is_symlink()):
        try:
            _write_claim(claim, display, folder.name, word)
            return Student(display, folder, new=True)
        except FileExistsError:
            pass  # another session claimed it a moment ago: check the word against theirs
    return _check_claim(claim, folder, word)


def attempt_sign_in(class_dir: Path, name: str, secret: str, again: str | None = None,
                    address: str | None = None, *,
                    clock: Callable[[], float] | None = None) -> Student:
    """What the sign-in screen does with a name, a word and, once asked, the word again:

    - `again` given and not the same word: WordsDiffer, with nothing checked;
    - too many wrong words lately for the name or from `address`: TooSoon, nothing checked;
    - a taken name and its word: the student (the name's count of wrong words starts again);
    - `again` not given, and the name is free or the word is wrong: Unconfirmed, alike in
      both cases (a wrong word is counted);
    - `again` given: a free name is claimed with the word; for a taken name the word is
      checked and a wrong one refused with WrongSecret, which says the name is taken.

    Other StudentErrors are names or words that cannot be used, or claims that cannot be
    read."""
    clean_name(name)
    folder = student_folder(class_dir, name)
    word = clean_secret(secret)
    if again is not None and clean_secret_or_none(again) != word:
        raise WordsDiffer(_("The two secret words are not the same. Type the word again."))
    attempts = Attempts(Path(class_dir), clock)
    wait = attempts.wait(folder.name, address)
    if wait > 0:
        raise TooSoon(wait)
    claim = folder / CLAIM_FILE
    if again is None and not (claim.exists() or claim.is_symlink()):
        _scrypt(word, b"\0" * 16, SCRYPT_N, _SCRYPT_R, _SCRYPT_P)  # as long as a check takes
        raise Unconfirmed(_(UNCONFIRMED))
    try:
        if again is None:
            student = _check_claim(claim, folder, word)
        else:
            student = sign_in(class_dir, name, word)
    except WrongSecret as exc:
        wait = attempts.failed(folder.name, address)
        if again is None:
            raise Unconfirmed(_(UNCONFIRMED), wait) from None
        raise WrongSecret(str(exc), wait) from None
    if not student.new:
        attempts.succeeded(folder.name)
    return student


def clean_secret_or_none(text: str) -> str | None:
    """The word as `clean_secret` makes it, or None when it cannot be used."""
    try:
        return clean_secret(text)
    except StudentError:
        return None


def _check_claim(claim: Path, folder: Path, word: str) -> Student:
    """The student whose claim `claim` is, if `word` is its word; else WrongSecret."""
    data = _read_claim(claim)
    kdf = data["kdf"]
    expected = bytes.fromhex(data["hash"])
    actual = _scrypt(word, bytes.fromhex(data["salt"]), kdf["n"], kdf["r"], kdf["p"])
    if not hmac.compare_digest(expected, actual):
        raise WrongSecret(
            _("That name is taken in this class, and that is not the secret word for ‘{name}’. "
              "If you are not {name}, add something to your name, such as your surname's "
              "initial. If you forgot your word, your teacher can reset it.").format(
                name=data["name"]))
    return Student(data["name"], folder, new=False)


def _write_claim(path: Path, display: str, folder: str, word: str) -> None:
    """Write a new claim atomically, never replacing one: the complete file is written under
    a temporary name, then linked to its place (which fails when the name exists)."""
    salt = secrets.token_bytes(16)
    data = {"format": CLAIM_FORMAT, "version": CLAIM_VERSION, "name": display, "folder": folder,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": _SCRYPT_R, "p": _SCRYPT_P},
            "salt": salt.hex(),
            "hash": _scrypt(word, salt, SCRYPT_N, _SCRYPT_R, _SCRYPT_P).hex()}
    payload = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    create_exclusive(path, payload)


def _read_claim(path: Path) -> dict[str, Any]:
    """A claim file, checked field by field. Raises StudentError when it is damaged."""
    damaged = StudentError(_("The record of this name on the server is damaged; ask your "
                             "teacher to reset it (by deleting {file}).").format(
        file=f"{path.parent.name}/{CLAIM_FILE}"))
    if path.is_symlink():
        raise damaged
    try:
        with open(path, "rb") as src:
            raw = src.read(_MAX_CLAIM_BYTES + 1)
    except OSError as exc:
        raise StudentError(_("The record of this name could not be read on the server; tell "
                             "your teacher ({reason}).").format(reason=exc.strerror or exc)) from exc
    if len(raw) > _MAX_CLAIM_BYTES:
        raise damaged
    try:
        data = json.loads(raw.decode("utf-8"))
        kdf = data["kdf"]
        valid = (data["format"] == CLAIM_FORMAT and isinstance(data["version"], int)
                 and isinstance(data["name"], str) and data["name"]
                 and kdf["name"] == "scrypt"
                 and all(type(kdf[k]) is int for k in ("n", "r", "p"))
                 and 2 <= kdf["n"] <= _MAX_SCRYPT_N and kdf["n"] & (kdf["n"] - 1) == 0
                 and 1 <= kdf["r"] <= _MAX_SCRYPT_RP and 1 <= kdf["p"] <= _MAX_SCRYPT_RP
                 and len(bytes.fromhex(data["salt"])) >= 8
                 and len(bytes.fromhex(data["hash"])) == 32)
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise damaged from None
    if not valid:
        raise damaged
    return data  # type: ignore[no-any-return]
