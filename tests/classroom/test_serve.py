"""`moscow1941 serve`: its help, the page it serves (everything from the server itself, no
internet), the address it prints, and the limits on sessions."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from tests.browser.server import environment, screen_text, served
from tests.ui.conftest import UI_STORY

from moscow1941.commands import serve
from moscow1941.engine.saves import SaveInfo, SaveStore
from moscow1941.story import load_story
from moscow1941.web.server import font_size

URL = re.compile(r"""(?:https?|wss?)://[^\s"'<>)]+""")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m moscow1941 ARGS`, as a teacher would run it."""
    return subprocess.run([sys.executable, "-m", "moscow1941", *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def fetch(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, response.read().decode("utf-8", "replace")


def test_serve_help_names_every_option() -> None:
    result = cli("serve", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--host", "--port", "--class", "--saves", "--story", "--public-url",
                   "--max-sessions"):
        assert option in result.stdout
    assert "127.0.0.1" in result.stdout and "0.0.0.0" in result.stdout


def test_the_served_page_comes_entirely_from_the_server(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    with served(saves, "--class", "9B", "--story", str(UI_STORY)) as run:
        assert run.url == f"http://127.0.0.1:{run.port}"
        assert any("Only this computer can connect" in line for line in run.output)
        status, page = fetch(run.url + "/?fontsize=22")
        assert status == 200
        assert "<title>Moscow 1941</title>" in page
        assert 'data-font-size="22"' in page
        urls = URL.findall(page)
        assert urls and all(u.startswith((run.url + "/", f"ws://127.0.0.1:{run.port}/"))
                            for u in urls), urls
        assert "googleapis" not in page and "gstatic" not in page
        for asset in re.findall(r'(?:href|src)="([^"]+)"', page) + \
                re.findall(r'url\("([^"]+)"\)', page):
            assert fetch(asset)[0] == 200, asset
    assert (saves / "9b").is_dir()


def test_pages_use_the_address_the_browser_asked_for_unless_a_public_url_is_given(
        tmp_path: Path) -> None:
    with served(tmp_path / "saves", "--story", str(UI_STORY)) as run:
        page = fetch(run.url + "/", host=f"10.1.2.3:{run.port}")[1]
        assert f'data-session-websocket-url="ws://10.1.2.3:{run.port}/ws"' in page
        # A Host header that is not an address falls back to the printed address.
        page = fetch(run.url + "/", host='evil"><script>')[1]
        assert "<script>" not in page.split("</head>")[1]
        assert f'"ws://127.0.0.1:{run.port}/ws"' in page
    with served(tmp_path / "saves", "--story", str(UI_STORY), "--public-url",
                "https://school.example/moscow/") as run:
        assert run.url == "https://school.example/moscow"
        page = fetch(f"http://127.0.0.1:{run.port}/")[1]
        assert 'data-session-websocket-url="wss://school.example/moscow/ws"' in page
        assert "https://school.example/moscow/static/js/textual.js" in page


async def first_screen(session: aiohttp.ClientSession, url: str,
                       needle: str) -> aiohttp.ClientWebSocketResponse:
    """Open a game session and wait until it has drawn `needle`."""
    ws = await session.ws_connect(url.replace("http", "ws", 1) + "/ws?width=80&height=24")
    await ws.send_json(["resize", {"width": 80, "height": 24}])
    frames: list[bytes] = []
    async with asyncio.timeout(60):
        while needle not in screen_text(frames):
            message = await ws.receive()
            assert message.type == aiohttp.WSMsgType.BINARY, message
            frames.append(message.data)
    return ws


def test_sessions_beyond_the_limit_are_refused(tmp_path: Path) -> None:
    async def check(url: str) -> None:
        async with aiohttp.ClientSession() as session:
            first = await first_screen(session, url, "secret word")
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(url.replace("http", "ws", 1) + "/ws")
            assert refused.value.status == 503
            await first.close()

    with served(tmp_path / "saves", "--story", str(UI_STORY), "--max-sessions", "1") as run:
        asyncio.run(check(run.url))


def test_the_address_students_open(monkeypatch: pytest.MonkeyPatch) -> None:
    assert serve.student_url("127.0.0.1", 8000, None) == ("http://127.0.0.1:8000", None)
    assert serve.student_url("192.168.1.20", 80, None) == ("http://192.168.1.20", None)
    assert serve.student_url("fe80::1", 8000, None) == ("http://[fe80::1]:8000", None)
    assert serve.student_url("0.0.0.0", 8000, "https://x.example/") == ("https://x.example", None)
    monkeypatch.setattr(serve, "lan_address", lambda: "192.168.1.20")
    assert serve.student_url("0.0.0.0", 8000, None) == ("http://192.168.1.20:8000", None)
    monkeypatch.setattr(serve, "lan_address", lambda: None)
    url, warning = serve.student_url("0.0.0.0", 8000, None)
    assert url == "http://127.0.0.1:8000" and warning is not None and "--public-url" in warning


def test_the_session_command_survives_spaces_and_quotes_in_paths(tmp_path: Path) -> None:
    folder = str(tmp_path / "Mrs O'Neil's \"9B\" $HOME")
    command = serve.session_command(folder, "9B; rm -rf /", str(UI_STORY))
    argv = shlex.split(command)
    assert argv.pop(0) == "exec"  # the shell becomes the game: stopping it stops the game
    assert argv[argv.index("--class-dir") + 1] == folder
    assert argv[argv.index("--class-label") + 1] == "9B; rm -rf /"
    assert argv[:4] == [sys.executable, "-m", "moscow1941", "play"]


@pytest.mark.parametrize(("value", "size"), [(None, 16), ("20", 20), ("2", 8), ("999", 64),
                                             ("big", 16), ("", 16)])
def test_the_font_size_parameter_is_bounded(value: str | None, size: int) -> None:
    assert font_size(value) == size


@pytest.mark.parametrize(("args", "expected"), [
    (["--class", ".."], "letter or digit"),
    (["--public-url", "school.example"], "http://"),
    (["--port", "0"], "--port"),
])
def test_serve_refuses_bad_options(tmp_path: Path, args: list[str], expected: str) -> None:
    result = cli("serve", "--saves", str(tmp_path / "saves"), *args)
    assert result.returncode == 2 and expected in result.stderr


@pytest.mark.parametrize("face", ["terminal", "web"])
def test_serve_says_when_the_port_is_taken(tmp_path: Path, face: str) -> None:
    with served(tmp_path / "saves", "--story", str(UI_STORY), face=face) as run:
        result = subprocess.run(
            [sys.executable, "-m", "moscow1941", "serve", "--face", face, "--port", str(run.port),
             "--saves", str(tmp_path / "saves"), "--story", str(UI_STORY)],
            capture_output=True, text=True, timeout=60, env=environment(tmp_path))
        assert result.returncode == 1 and "--port" in result.stderr
        assert "Students open" not in result.stdout


@pytest.mark.parametrize("extra", [["--author"], ["--plain"], ["--saves", "elsewhere"],
                                   ["--campaign", "clerk"]])
def test_classroom_mode_refuses_switches_that_leave_the_students_folder(tmp_path: Path,
                                                                        extra: list[str]) -> None:
    result = cli("play", "--class-dir", str(tmp_path / "9b"), *extra)
    assert result.returncode == 2 and "--class-dir" in result.stderr


# ---- the end of sessions: with their websocket, and when the server stops ----------------------

def descendants(root: int) -> dict[int, str]:
    """Every process below `root`, with its command line."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            try:
                found[child] = Path(f"/proc/{child}/cmdline").read_bytes().replace(
                    b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            todo.append(child)
    return found


def sessions_of(server: int) -> list[int]:
    """The processes of the server's sessions: games (forked by the launcher) and their
    clients; the launcher itself is not one."""
    return sorted(p for p, cmd in descendants(server).items()
                  if "moscow1941.web.zygote" not in cmd or
                  int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1])
                  != server)


def games_of(server: int) -> list[int]:
    """The game processes (forked by the launcher, so with its command line)."""
    launcher = [p for p, cmd in descendants(server).items() if "moscow1941.web.zygote" in cmd]
    return sorted(p for p in launcher if p not in children_of(server))


def children_of(pid: int) -> set[int]:
    return {p for p in descendants(pid)
            if int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid}


async def until(ws: aiohttp.ClientWebSocketResponse, frames: list[bytes], needle: str,
                seconds: float = 60) -> None:
    async with asyncio.timeout(seconds):
        while needle not in screen_text(frames):
            message = await ws.receive()
            assert message.type == aiohttp.WSMsgType.BINARY, (message, screen_text(frames))
            frames.append(message.data)


async def keys(ws: aiohttp.ClientWebSocketResponse, frames: list[bytes], typed: str,
               needle: str) -> None:
    frames.clear()
    await ws.send_json(["stdin", typed])
    await until(ws, frames, needle)


async def open_session(session: aiohttp.ClientSession,
                       url: str) -> tuple[aiohttp.ClientWebSocketResponse, list[bytes]]:
    ws = await session.ws_connect(url.replace("http", "ws", 1) + "/ws?width=80&height=24")
    await ws.send_json(["resize", {"width": 80, "height": 24}])
    frames: list[bytes] = []
    await until(ws, frames, "Your secret word")
    return ws, frames


def wait_until(condition: Callable[[], bool], seconds: float) -> float:
    """Poll until `condition` holds; the seconds it took. AssertionError after `seconds`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"still not so after {seconds} s")
        time.sleep(0.02)
    return time.monotonic() - started


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_saves_every_game_and_stops_the_server_within_two_seconds(
        tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    story = load_story(UI_STORY).story
    assert story is not None

    async def play(url: str) -> None:
        async with aiohttp.ClientSession() as session:
            opened = [await open_session(session, url) for _ in range(3)]
            ws, frames = opened[0]
            await keys(ws, frames, "Alice\rsunflower\r", "New students choose")
            await keys(ws, frames, "sunflower\r", "New game")
            await keys(ws, frames, "n", "Choose your role")
            # A signed-in student plays under the name they signed in with: no name prompt.
            await keys(ws, frames, "1", "The Telephone Rings")
            await keys(ws, frames, "1", "The Platform")
            # At once, with the other two sessions on the sign-in screen: SIGTERM.
            started = time.monotonic()
            run.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(run.process.wait, 10)
            stopped.append(time.monotonic() - started)
            for ws, _ in opened:  # every websocket was closed (after what was drawn)
                message = await ws.receive(timeout=5)
                while message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                    message = await ws.receive(timeout=5)
                assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                        aiohttp.WSMsgType.CLOSING)

    stopped: list[float] = []
    with served(saves, "--class", "9B", "--story", str(UI_STORY)) as run:
        server = run.process.pid
        asyncio.run(play(run.url))
        assert run.process.returncode == 0
        assert not descendants(server), "processes outlived the server"
    print(f"\nserve stopped {stopped[0]:.2f} s after SIGTERM")
    assert stopped[0] < 2.0
    store = SaveStore(saves / "9b" / "alice", story)
    [entry] = store.list()
    assert isinstance(entry, SaveInfo) and entry.name == "Autosave clerk 1"
    restored = store.load(entry.name)
    assert [step.node for step in restored.game.state.path] == ["office"]  # the choice is saved
    assert restored.game.node.title == "The Platform"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("frozen", [False, True], ids=["quits", "frozen"])
def test_no_session_process_outlives_its_websocket_and_its_slot_is_free_at_once(
        tmp_path: Path, frozen: bool) -> None:
    """A closed websocket ends its game (and the game's client) within seconds, even a game
    that cannot answer (stopped with SIGSTOP); the cap then counts that slot as free."""

    async def check(url: str, server: int) -> None:
        async with aiohttp.ClientSession() as session:
            first, _ = await open_session(session, url)
            before = set(sessions_of(server))
            second, _ = await open_session(session, url)
            mine = set(sessions_of(server)) - before
            assert len(mine) == 2, descendants(server)  # a game and its client
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(url.replace("http", "ws", 1) + "/ws")
            assert refused.value.status == 503
            if frozen:
                [game] = [p for p in mine if p in games_of(server)]
                os.kill(game, signal.SIGSTOP)
            await second.close()
            took = await asyncio.to_thread(
                wait_until, lambda: not mine & set(sessions_of(server)), 10.0)
            gone.append(took)
            third, _ = await open_session(session, url)  # the freed slot, at once
            await third.close()
            await first.close()

    gone: list[float] = []
    with served(tmp_path / "saves", "--story", str(UI_STORY), "--max-sessions", "2") as run:
        asyncio.run(check(run.url, run.process.pid))
        wait_until(lambda: not sessions_of(run.process.pid), 10.0)
    print(f"\nthe session's processes were gone {gone[0]:.2f} s after its websocket closed")
    assert gone[0] < (8.0 if frozen else 4.0)
