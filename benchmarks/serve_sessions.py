"""Benchmark (d): a class opening the served game at once.

Starts `moscow1941 serve` (classroom mode, the shipped story) on a loopback port and opens
`--sessions` sessions (30) at the same moment, speaking textual-serve's websocket protocol as
its page (textual.js) does: connect to /ws?width=80&height=24, send ["resize", {...}], type
with ["stdin", ...], read the terminal output from the binary frames. Real browsers, thirty
of them, would take the two cores for themselves; the server and the game processes see the
same traffic either way.

For each session it measures, from the moment its websocket connection is asked for:
- first frame: until the sign-in screen is drawn (a game process started, imported Textual
  and the game, and painted);
- playable: until the first scene of a new game is drawn, after signing in (a new name, so
  the secret word is hashed with scrypt), the title screen with the story loaded, `n`, `1`,
  Enter. This is the 'playable within 5 s' target.
With every session at its first scene, it reads each game process's memory from
/proc/PID/smaps_rollup: PSS (proportional set size: pages shared between the 30 processes,
such as the interpreter and the libraries' code, are divided among them; the figure that adds
up to what the class costs the computer) and RSS (each process's resident pages, shared ones
counted in full), and the CPU time each process used so far (/proc/PID/stat). With the
session launcher (`moscow1941.web.zygote`, on Unix), a session is two processes, the game
forked from the launcher and the small client textual-serve starts (attach.py): its figures
are the sum of both, and its PSS also carries its share of the launcher's own (the launcher's
start-up, paid once before anyone connects, is not in the CPU figures).

The baseline, in the same run: the same number of sessions of `benchmarks/ui_minimal_app.py`
(header, one line, footer) served by textual-serve's own server in the same way; its first
frame is its line drawn, and 'playable' is `1` pressed and the next line drawn. Then, for the
part of start-up that is the game's own, one session alone (no contention): the time until
the sign-in screen, and in separate interpreters the time to import the interface and to load
the story.

Targets: all sessions playable within 5 s on 2 cores; at most 60 MB per session. Linux only
(/proc). Prints each figure and its ratio to the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
import aiohttp  # noqa: E402
from tests.browser.server import environment, free_port, screen_text, served, stop  # noqa: E402

sys.path.insert(0, str(HERE))
from quick import quick  # noqa: E402

from moscow1941.engine import Game  # noqa: E402
from moscow1941.story import load_story  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
PYTHON = os.path.realpath(sys.executable)


@dataclass
class Session:
    """One websocket session: what it drew, and when (seconds since it asked to connect)."""

    ws: aiohttp.ClientWebSocketResponse | None = None
    frames: list[bytes] = field(default_factory=list)
    first_frame: float = 0.0
    playable: float = 0.0


async def _until(session: Session, needle: str, started: float, timeout: float) -> float:
    """Read frames until `needle` has been drawn; the time since `started`."""
    assert session.ws is not None
    try:
        async with asyncio.timeout(timeout):
            while needle not in screen_text(session.frames):
                message = await session.ws.receive()
                if message.type != aiohttp.WSMsgType.BINARY:
                    if message.type == aiohttp.WSMsgType.TEXT:
                        continue
                    raise RuntimeError(f"session closed before {needle!r} was drawn: {message}")
                session.frames.append(message.data)
    except TimeoutError:
        words = re.findall(r"\S+(?: \S+)*", screen_text(session.frames))
        raise TimeoutError(f"{needle!r} was not drawn; the screen showed {words[-40:]}") from None
    return time.perf_counter() - started


async def _type(session: Session, *keys: str) -> None:
    assert session.ws is not None
    session.frames.clear()
    for key in keys:
        await session.ws.send_json(["stdin", key])


Script = Callable[[Session, int, float], Awaitable[None]]


def game_script(first_scene: str) -> Script:
    async def play(session: Session, n: int, started: float) -> None:
        session.first_frame = await _until(session, "Your secret word", started, 120)
        # Typed as fast as the protocol allows: name, Enter, word, Enter in one burst; then,
        # once the game asks for it, the word again.
        await _type(session, f"Student {n}\rsunflower\r")
        await _until(session, "New students choose", started, 120)
        await _type(session, "sunflower\r")
        await _until(session, "campaigns", started, 120)
        await _type(session, "n")
        await _until(session, "Choose your role", started, 120)
        await _type(session, "1")  # a signed-in student is not asked for a name again
        session.playable = await _until(session, first_scene, started, 120)
    return play


async def minimal_script(session: Session, n: int, started: float) -> None:
    session.first_frame = await _until(session, "Minimal line 0000", started, 120)
    await _type(session, "1")
    session.playable = await _until(session, "Minimal line 0001", started, 120)


@dataclass
class Round:
    """The figures of one group of sessions."""

    first_frames: list[float]
    playable: list[float]
    pss_mb: list[float]
    rss_mb: list[float]
    cpu_s: list[float]


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _memory(pid: int) -> tuple[float, float, float]:
    """PSS and RSS in MB, and CPU seconds used, of one process."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    kb = {line.split(":")[0]: int(line.split()[1]) for line in rollup[1:] if line.endswith("kB")}
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    return kb["Pss"] / 1024, kb["Rss"] / 1024, cpu


async def _sessions(url: str, count: int, script: Script, server_pid: int,
                    marker: str) -> Round:
    sessions = [Session() for _ in range(count)]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as client:
        async def one(n: int) -> None:
            started = time.perf_counter()
            session = sessions[n]
            session.ws = await client.ws_connect(f"{url}/ws?width=80&height=24",
                                                 max_msg_size=0, heartbeat=None)
            await session.ws.send_json(["resize", {"width": 80, "height": 24}])
            await script(session, n, started)

        await asyncio.gather(*(one(n) for n in range(count)))
        figures = _session_figures(server_pid, marker)
        for session in sessions:
            assert session.ws is not None
            await session.ws.close()
    if len(figures) != count:
        raise RuntimeError(f"found {len(figures)} session processes, expected {count}")
    return Round([s.first_frame for s in sessions], [s.playable for s in sessions],
                 [f[0] for f in figures], [f[1] for f in figures], [f[2] for f in figures])


ZYGOTE = "moscow1941.web.zygote"
"""The session launcher's command line: with it, each session is a game forked from it (whose
command line is the launcher's) and the small client textual-serve started (attach.py)."""


def _session_figures(server_pid: int, marker: str) -> list[tuple[float, float, float]]:
    """PSS, RSS and CPU of each session: its Python process, started by textual-serve through
    a shell (`marker` in its command line); or, with the session launcher, the game it forked
    plus the client textual-serve started, plus the session's share of the launcher's PSS."""
    descendants = [p for p in _descendants(server_pid) if _executable(p) == PYTHON]
    zygotes = [p for p in descendants if ZYGOTE in _cmdline(p) and _parent(p) not in descendants]
    if not zygotes:
        return [_memory(p) for p in descendants if marker in _cmdline(p)]
    games = sorted(p for p in descendants if _parent(p) == zygotes[0])
    clients = sorted(p for p in descendants if "attach.py" in _cmdline(p))
    if len(games) != len(clients):
        raise RuntimeError(f"{len(games)} games but {len(clients)} clients")
    share = _memory(zygotes[0])[0] / max(1, len(games))
    figures = []
    for game, client in zip(games, clients, strict=True):
        (gp, gr, gc), (cp, cr, cc) = _memory(game), _memory(client)
        figures.append((gp + cp + share, gr + cr, gc + cc))
    return figures


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def _executable(pid: int) -> str:
    try:
        return os.path.realpath(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return ""


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@contextmanager
def _minimal_server(folder: Path) -> Iterator[tuple[str, int]]:
    """textual-serve's own server, serving the minimal app."""
    port = free_port()
    command = f"{sys.executable} {HERE / 'ui_minimal_app.py'}"
    code = ("import sys; from textual_serve.server import Server; "
            f"Server(sys.argv[1], host='127.0.0.1', port={port}).serve()")
    process = subprocess.Popen([sys.executable, "-c", code, command], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, text=True, start_new_session=True,
                               env=environment(folder), cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the baseline server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        stop(process)


def _seconds(code: str) -> float:
    """How long a fresh interpreter takes to run `code` (median of 3; once in quick mode)."""
    times = []
    for _ in range(1 if quick() else 3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _describe(label: str, values: list[float], unit: str, base: list[float] | None) -> str:
    median, worst = statistics.median(values), max(values)
    line = f"{label:<26} median {median:7.2f} {unit}  max {worst:7.2f} {unit}"
    if base:
        line += (f"   (baseline median {statistics.median(base):6.2f}, max {max(base):6.2f};"
                 f" ratio {median / statistics.median(base):4.1f}x / {worst / max(base):4.1f}x)")
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--quick", action="store_true",
                        help="2 sessions, one timing each (or BENCH_QUICK=1): a smoke test")
    args = parser.parse_args()
    if quick():
        args.sessions = 2
    story = load_story(REPO / "story").story
    assert story is not None
    first_scene = Game(story, next(iter(story.campaigns))).view().title[:20]

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with _minimal_server(folder) as (url, pid):
            base = asyncio.run(_sessions(url, args.sessions, minimal_script, pid,
                                         "ui_minimal_app.py"))
        with served(folder / "saves", "--class", "bench") as run:
            game = asyncio.run(_sessions(run.url, args.sessions, game_script(first_scene),
                                         run.process.pid, "play --class-dir"))
        with served(folder / "saves-alone", "--class", "bench") as run:
            alone = asyncio.run(_sessions(run.url, 1, game_script(first_scene),
                                          run.process.pid, "play --class-dir"))
    python = _seconds("pass")
    imports = _seconds("import moscow1941.ui.app, moscow1941.ui.screens.student, "
                       "moscow1941.ui.screens.title")
    loading = _seconds("from moscow1941.story import load_story; load_story('story')")

    n = args.sessions
    print(f"{n} sessions opened at once on loopback, 80x24, {os.cpu_count()} cores")
    print(_describe("first frame (sign-in)", game.first_frames, "s ", base.first_frames))
    print(_describe("playable (first scene)", game.playable, "s ", base.playable))
    print(_describe("memory per session, PSS", game.pss_mb, "MB", base.pss_mb))
    print(_describe("memory per session, RSS", game.rss_mb, "MB", base.rss_mb))
    print(_describe("CPU time per session", game.cpu_s, "s ", base.cpu_s))
    print(f"total CPU of the {n} sessions: {sum(game.cpu_s):.1f} s "
          f"(baseline {sum(base.cpu_s):.1f} s); on {os.cpu_count()} cores at least "
          f"{sum(game.cpu_s) / (os.cpu_count() or 1):.1f} s of wall time")
    print(f"one session alone: first frame {alone.first_frames[0]:.2f} s, playable "
          f"{alone.playable[0]:.2f} s, CPU {alone.cpu_s[0]:.2f} s")
    print(f"  of which, in fresh interpreters: Python itself {python:.2f} s, importing the "
          f"interface {imports - python:.2f} s, loading the story {loading - python:.2f} s")
    playable = max(game.playable) <= 5.0
    print(f"target: all {n} playable within 5 s: {'met' if playable else 'NOT met'} "
          f"(slowest {max(game.playable):.2f} s)")
    small = max(game.pss_mb) <= 60.0
    print(f"target: <= 60 MB per session (PSS): {'met' if small else 'NOT met'} "
          f"(largest {max(game.pss_mb):.1f} MB; RSS largest {max(game.rss_mb):.1f} MB)")
    if args.json:
        print(json.dumps({"game": game.__dict__, "baseline": base.__dict__,
                          "alone": alone.__dict__}, indent=1))


if __name__ == "__main__":
    main()
