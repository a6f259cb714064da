"""The session launcher of `moscow1941 serve` (`moscow1941.web.zygote`) and its client
(`attach.py`): sessions started through it draw the sign-in screen as textual-serve runs them,
its children end with their clients and are reaped, it refuses bad requests and stays up, and
without it each session starts its own process as before."""

from __future__ import annotations

import array
import asyncio
import json
import os
import shlex
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from tests.browser.server import screen_text, served
from tests.classroom.test_serve import first_screen
from tests.ui.conftest import UI_STORY
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from moscow1941.commands.serve import session_argv
from moscow1941.web import zygote
from moscow1941.web.launcher import Launcher
from moscow1941.web.zygote import RequestError, session_environment

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the launcher is Unix only; the checks read /proc")

BASE = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "TEXTUAL_FPS": "60",
        "TEXTUAL_COLOR_SYSTEM": "truecolor", "HOME": "/home/x"}
GOOD = {"COLUMNS": "80", "ROWS": "24", "TEXTUAL_DRIVER": BASE["TEXTUAL_DRIVER"],
        "TEXTUAL_FPS": "60", "TEXTUAL_COLOR_SYSTEM": "truecolor", "TERM_PROGRAM": "textual"}


@pytest.fixture
def launcher(tmp_path: Path) -> Iterator[Launcher]:
    class_dir = str(tmp_path / "9b")
    started = Launcher.start(class_dir, "9B", str(UI_STORY), 20,
                             session_argv(class_dir, "9B", str(UI_STORY)))
    assert started is not None
    assert stat.S_IMODE(os.stat(started.folder).st_mode) == 0o700
    try:
        yield started
    finally:
        started.stop()
    assert not os.path.exists(started.folder)
    assert started.process.returncode == 0


def socket_path(launcher: Launcher) -> str:
    assert shlex.split(launcher.command) == ["exec", *launcher.argv]
    return launcher.argv[4]


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (zombies included)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def wait_until(condition: object, what: str, seconds: float = 20) -> None:
    assert callable(condition)
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


async def sign_in_screen(command: str) -> AppService:
    """A session started as textual-serve starts it, once it has drawn the sign-in screen."""
    frames: list[bytes] = []

    async def write_bytes(data: bytes) -> None:
        frames.append(data)

    async def write_str(_: str) -> None:
        pass

    async def close() -> None:
        pass

    service = AppService(command, write_bytes=write_bytes, write_str=write_str, close=close,
                         download_manager=DownloadManager())
    await service.start(100, 30)
    async with asyncio.timeout(60):
        while "Your secret word" not in screen_text(frames):
            await asyncio.sleep(0.02)
    return service


def test_the_launcher_is_started_with_what_textual_serve_sets_for_every_session() -> None:
    service = AppService("true", write_bytes=None, write_str=None, close=None,  # type: ignore
                         download_manager=DownloadManager())
    expected = service._build_environment(width=1, height=2)
    for key, value in zygote.serve_environment().items():
        assert expected[key] == value, key
    # What it sets beyond the server's own environment: the launcher imports Textual with it.
    added = {k for k, v in expected.items() if os.environ.get(k) != v}
    assert {k for k in added if k.startswith("TEXTUAL")} <= set(zygote.FIXED_KEYS)


def test_sessions_through_the_launcher_draw_the_sign_in_screen_and_end(
        launcher: Launcher) -> None:
    async def check() -> None:
        services = await asyncio.gather(*(sign_in_screen(launcher.command) for _ in range(3)))
        assert len(children(launcher.process.pid)) == 3
        for service in services:
            await service.stop()  # the browser went away: the quit packet
            assert service._process is not None
            assert await asyncio.wait_for(service._process.wait(), 30) == 0

    asyncio.run(check())
    wait_until(lambda: not children(launcher.process.pid), "the games to be reaped")


def test_the_client_starts_without_importing_the_game() -> None:
    attach = Path(zygote.__file__).with_name("attach.py")
    code = (f"import sys; sys.argv = ['attach.py', '/nonexistent']; "
            f"exec(open({str(attach)!r}).read())")
    result = subprocess.run([sys.executable, "-I", "-S", "-X", "importtime", "-c", code],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "cannot be reached" in result.stderr
    assert "moscow1941" not in result.stderr.replace("moscow1941:", "")
    assert "textual" not in result.stderr and " site\n" not in result.stderr


def test_the_game_ends_when_its_client_is_killed(launcher: Launcher) -> None:
    client = subprocess.Popen(launcher.argv, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env={**os.environ, **zygote.serve_environment(),
                                   "COLUMNS": "80", "ROWS": "24"})
    try:
        assert client.stdout is not None
        assert client.stdout.readline() == b"__GANGLION__\n"  # the game writes to the pipe
        games = children(launcher.process.pid)
        assert len(games) == 1
        client.kill()
        client.wait(timeout=10)
        wait_until(lambda: not os.path.exists(f"/proc/{games[0]}"), "the game to end")
    finally:
        client.kill()
        client.wait()
        for stream in (client.stdin, client.stdout, client.stderr):
            assert stream is not None
            stream.close()


def test_a_stopped_client_ends_its_game_and_many_sessions_leave_no_zombies(
        launcher: Launcher) -> None:
    env = {**os.environ, **zygote.serve_environment(), "COLUMNS": "80", "ROWS": "24"}
    for round_ in range(3):
        clients = [subprocess.Popen(launcher.argv, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
                   for _ in range(4)]
        for client in clients:
            assert client.stdout is not None
            assert client.stdout.readline() == b"__GANGLION__\n"
        for n, client in enumerate(clients):
            client.send_signal((signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL)[n])
        for client in clients:
            client.wait(timeout=10)
            assert client.stdin is not None and client.stdout is not None
            client.stdin.close()
            client.stdout.close()
        wait_until(lambda: not children(launcher.process.pid),
                   f"round {round_}: every game to be reaped")
    assert launcher.process.poll() is None


def request(path: str, payload: bytes, fds: list[int] | None = None) -> dict[str, object]:
    """Send one raw request to the launcher; its first reply."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(20)
        sock.connect(path)
        if fds:
            sock.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                      array.array("i", fds))])
        elif payload:
            sock.sendall(payload)
        reply = sock.makefile("rb").readline(4096)
    return json.loads(reply) if reply else {}


def good_request() -> bytes:
    return json.dumps({"env": GOOD}).encode() + b"\n"


@pytest.mark.parametrize(("payload", "nfds", "error"), [
    (b"not json\n", 3, "not JSON"),
    (b"[1, 2]\n", 3, "expected"),
    (json.dumps({"env": {**GOOD, "LD_PRELOAD": "/x.so"}}).encode() + b"\n", 3, "unknown"),
    (json.dumps({"env": {**GOOD, "COLUMNS": "1e9"}}).encode() + b"\n", 3, "COLUMNS"),
    (json.dumps({"env": {**GOOD, "TEXTUAL_DRIVER": "evil:Driver"}}).encode() + b"\n", 3,
     "TEXTUAL_DRIVER"),
    (json.dumps({"env": GOOD, "argv": ["--author"]}).encode() + b"\n", 3, "expected"),
    (good_request(), 0, "standard input"),
    (good_request(), 2, "standard input"),
    (good_request(), 5, "descriptors"),
    (good_request() + b"{}\n", 3, "one line"),
    (b"x" * (zygote.REQUEST_LIMIT + 10), 3, "too long"),
], ids=["not-json", "not-an-object", "unknown-key", "bad-size", "other-driver", "extra-key",
        "no-fds", "two-fds", "five-fds", "two-lines", "too-long"])
def test_bad_requests_are_refused_and_the_launcher_carries_on(
        launcher: Launcher, tmp_path: Path, payload: bytes, nfds: int, error: str) -> None:
    path = socket_path(launcher)
    with open(tmp_path / "f", "wb") as f:
        reply = request(path, payload, [f.fileno()] * nfds)
    assert error in str(reply.get("error")), reply
    assert launcher.process.poll() is None and not children(launcher.process.pid)
    # A connection that closes without a word, then a good request: the launcher still works.
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(path)
    read, write = os.pipe()
    try:
        with open(os.devnull, "wb") as null:
            reply = request(path, good_request(), [read, null.fileno(), null.fileno()])
        assert isinstance(reply.get("pid"), int), reply
    finally:
        os.close(write)  # the game's input ends
        os.close(read)
    wait_until(lambda: not children(launcher.process.pid), "the game to end")
    assert launcher.process.poll() is None


def test_the_session_environment_keeps_to_known_keys() -> None:
    env = session_environment(json.dumps({"env": GOOD}).encode(), BASE)
    assert env["COLUMNS"] == "80" and env["ROWS"] == "24" and env["HOME"] == "/home/x"
    bad: Any
    for bad in ({"env": {**GOOD, "ROWS": "0"}}, {"env": {**GOOD, "ROWS": 24}},
                {"env": {k: v for k, v in GOOD.items() if k != "COLUMNS"}},
                {"env": {**GOOD, "TEXTUAL_FPS": "1"}},
                {"env": {**GOOD, "TERM_PROGRAM": "x\x1b[2J"}}, {"env": []}, {}):
        with pytest.raises(RequestError):
            session_environment(json.dumps(bad).encode(), BASE)
    with pytest.raises(RequestError):
        session_environment(b"\xff\n", BASE)


def test_without_the_launcher_the_client_runs_the_fallback_command(tmp_path: Path) -> None:
    attach = Path(zygote.__file__).with_name("attach.py")
    result = subprocess.run([sys.executable, "-I", "-S", str(attach), str(tmp_path / "none"),
                             "--", sys.executable, "-c", "print('fallback')"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stdout == "fallback\n"


def test_the_launcher_that_cannot_listen_leaves_nothing_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A socket path too long for a Unix socket: the launcher fails, serve falls back.
    monkeypatch.setenv("TMPDIR", str(tmp_path / ("x" * 120)))
    (tmp_path / ("x" * 120)).mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert Launcher.start(str(tmp_path / "9b"), "9B", str(UI_STORY), 5, ["true"]) is None
    assert list((tmp_path / ("x" * 120)).iterdir()) == []


@pytest.mark.parametrize("prefork", [True, False])
def test_served_sessions_with_and_without_the_launcher(tmp_path: Path, prefork: bool) -> None:
    async def check(url: str) -> None:
        async with aiohttp.ClientSession() as session:
            ws = await first_screen(session, url, "secret word")
            await ws.close()

    args = ["--story", str(UI_STORY)] + ([] if prefork else ["--no-prefork"])
    with served(tmp_path / "saves", *args) as run:
        asyncio.run(check(run.url))
        launchers = [p for p in children(run.process.pid)
                     if b"moscow1941.web.zygote" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert len(launchers) == (1 if prefork else 0)
        folders = [Path(Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0")[3].decode()).parent
                   for p in launchers]
        assert all(folder.is_dir() for folder in folders)
    for folder in folders:  # serve stopped it and removed its folder
        assert not folder.exists()
