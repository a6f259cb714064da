"""Files the game writes and reads, done safely: atomic replacement, renames that never replace,
folder fsyncs, and bounded non-blocking reads of files that may be hostile. One copy for every
part of the game (saves, transcripts, exports); imports nothing from the game itself."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".moscow1941-"
TEMP_SUFFIX = ".tmp"
"""Temporary files start with '.' and end in '.tmp', so a folder listing never mistakes one for
a save or a transcript."""

DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")})
"""File names Windows reserves for devices (with any extension), in capitals: Microsoft's list
names COM0-COM9 and LPT0-LPT9 and the superscript digits."""


class NotAFile(OSError):
    """The path names something other than a regular file (a FIFO, a device, a folder)."""


def _write_synced(out: BinaryIO, data: bytes) -> None:
    out.write(data)
    out.flush()
    os.fsync(out.fileno())


def _written_temporary(folder: Path, data: bytes) -> str:
    """A new temporary file in `folder` holding `data`, flushed and fsynced: its path."""
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            _write_synced(out, data)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that, whatever happens, it holds the old bytes or the new.

    The bytes go to a temporary file in the same folder (a rename is only atomic within one file
    system), are flushed and fsynced, the file is renamed over `path`, and the folder is fsynced
    so the rename itself survives a power cut.
    """
    tmp = _written_temporary(path.parent, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in `folder` survive a power cut (where the system allows)."""
    if os.name != "posix":  # Windows cannot open a folder for fsync; its renames are journalled
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def create_exclusive(path: Path, data: bytes) -> None:
    """Write a new file `path` holding `data`, atomically, never replacing one: the complete
    file is written and fsynced under a temporary name, then linked to its place, which fails
    with FileExistsError when the name exists (on a file system without hard links, the file
    is created exclusively and written in place)."""
    tmp = _written_temporary(path.parent, data)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            with open(path, "xb") as out:
                _write_synced(out, data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_folder(path.parent)


def rename_no_replace(src: Path, dst: Path) -> None:
    """Rename `src` to `dst`, failing with FileExistsError rather than replace `dst`."""
    try:
        os.link(src, dst)  # atomic: fails if dst exists
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (FAT, some network shares): check, then rename.
        if dst.exists() or dst.is_symlink():
            raise FileExistsError(str(dst)) from None
        os.rename(src, dst)
        return
    os.unlink(src)


def read_bounded(path: Path, limit: int) -> bytes:
    """At most `limit + 1` bytes of the regular file `path` (one more than allowed, so the
    caller can tell a file that is too large). Opened non-blocking and checked before reading:
    a FIFO or a device named like the file expected must not hang the reader (NotAFile).
    Raises OSError when the file cannot be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise NotAFile(f"{path} is not a regular file")
        return f.read(limit + 1)
