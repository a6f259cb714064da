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

This module never imports Textual or Rich: the sign-in screen (`moscow1941.ui.screens.student`)
asks it and shows what it says. Every `StudentError` is a full sentence for the student.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CLAIM_FILE = ".student.json"
SETTINGS_FILE = ".settings.json"
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
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{dev}{n}" for dev in ("com", "lpt") for n in "0123456789"})
"""Windows device names: a folder may not be called any of these, whatever the case."""


class StudentError(Exception):
    """A name, class name or secret word that cannot be used, or a claim that cannot be read;
    the message is a full sentence for the student (or, for a class name, the teacher)."""


class WrongSecret(StudentError):
    """The secret word does not match the one the name was claimed with."""


@dataclass(frozen=True, slots=True)
class Student:
    """A signed-in student: the display name the folder was claimed with, the folder (inside
    the class folder), and whether this sign-in made the claim."""

    name: str
    folder: Path
    new: bool


# ---- names and folders -----------------------------------------------------------------------

def clean_name(text: str, what: str = "name") -> str:
    """The display form of a typed name: NFKC, control and invisible characters as spaces,
    runs of spaces as one, trimmed. Raises StudentError when no letter or digit is left or
    the name is longer than `MAX_NAME` characters. `what` names it in messages."""
    if not isinstance(text, str):
        raise StudentError(f"A {what} must be text.")
    normal = unicodedata.normalize("NFKC", text[:10 * MAX_NAME])
    spaced = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in normal)
    clean = " ".join(spaced.split())
    if not any(ch.isalnum() for ch in clean):
        raise StudentError(f"Type a {what} with at least one letter or digit.")
    if len(clean) > MAX_NAME or len(text) > 10 * MAX_NAME:
        raise StudentError(f"That {what} is too long: use at most {MAX_NAME} characters.")
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
    if key.isascii() and slug == full and slug and slug not in _RESERVED:
        return slug
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:_HASH_DIGITS]
    return f"{slug or 'student'}-{digest}"


def class_folder(saves_root: Path, class_name: str) -> Path:
    """The folder of a class below the saves root (not created here)."""
    return Path(saves_root) / folder_name(class_name, "class name")


def student_folder(class_dir: Path, name: str) -> Path:
    """The folder of the student called `name`, checked to be directly inside `class_dir`
    and not a link to anywhere else. Raises StudentError otherwise."""
    base = Path(class_dir).resolve()
    folder = base / folder_name(name)
    if folder.parent != base or folder.resolve() != folder:
        raise StudentError("That name cannot be used here; please choose another.")
    return folder


# ---- secret words ----------------------------------------------------------------------------

def clean_secret(text: str) -> str:
    """The secret word as it is checked: NFKC, without spaces at either end. Raises
    StudentError when it is too short, too long or holds control characters."""
    if not isinstance(text, str):
        raise StudentError("A secret word must be text.")
    word = unicodedata.normalize("NFKC", text[:4 * MAX_SECRET]).strip()
    if any(unicodedata.category(ch)[0] == "C" for ch in word):
        raise StudentError("A secret word can hold letters, digits, spaces and punctuation only.")
    if len(word) < MIN_SECRET:
        raise StudentError(f"Type a secret word of at least {MIN_SECRET} characters.")
    if len(word) > MAX_SECRET:
        raise StudentError(f"That secret word is too long: use at most {MAX_SECRET} characters.")
    return word


def _scrypt(word: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(word.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * n * r + 1024 * 1024, dklen=32)


def retry_delay(failures: int) -> float:
    """Seconds a sign-in screen waits before taking another word, after `failures` wrong
    ones in a row: none for the first two (typing mistakes), then 2, 4, 8, ... up to 30."""
    return 0.0 if failures < 3 else float(min(30, 2 ** (failures - 2)))


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
        raise StudentError("Your folder could not be made on the server; tell your teacher "
                           f"({exc.strerror or exc}).") from exc
    student_folder(class_dir, name)  # checked again now that the folder exists
    if not (claim.exists() or claim.is_symlink()):
        try:
            _write_claim(claim, display, folder.name, word)
            return Student(display, folder, new=True)
        except FileExistsError:
            pass  # another session claimed it a moment ago: check the word against theirs
    data = _read_claim(claim)
    kdf = data["kdf"]
    expected = bytes.fromhex(data["hash"])
    actual = _scrypt(word, bytes.fromhex(data["salt"]), kdf["n"], kdf["r"], kdf["p"])
    if not hmac.compare_digest(expected, actual):
        raise WrongSecret(
            f"That is not the secret word for ‘{data['name']}’. Try again. If you are not "
            f"{data['name']}, add something to your name, such as your surname's initial. "
            "If you forgot your word, your teacher can reset it.")
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
    fd, tmp = tempfile.mkstemp(prefix=".student-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            # A file system without hard links: create exclusively and write in place.
            with open(path, "xb") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _read_claim(path: Path) -> dict[str, Any]:
    """A claim file, checked field by field. Raises StudentError when it is damaged."""
    damaged = StudentError("The record of this name on the server is damaged; ask your teacher "
                           f"to reset it (by deleting {path.parent.name}/{CLAIM_FILE}).")
    if path.is_symlink():
        raise damaged
    try:
        with open(path, "rb") as src:
            raw = src.read(_MAX_CLAIM_BYTES + 1)
    except OSError as exc:
        raise StudentError("The record of this name could not be read on the server; tell "
                           f"your teacher ({exc.strerror or exc}).") from exc
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
