"""Simulated students for the web face's benchmarks (serve_web.py, serve_two_servers.py): a
browser without JavaScript, one aiohttp ClientSession each (its own cookie jar), that signs
in, starts a campaign and chooses, as the pages' forms do, and times what it does.

Every request can go to another server of a list (`Student.servers`, taken in turn: with two
servers a student's requests alternate between them); redirects are followed by hand, each hop
sent to the next server, so a POST and the page it redirects to may be answered by different
processes. Cookies are kept per host (not per port), as a browser keeps them, so one jar
serves both ports of 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import html
import os
import random
import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

WORD = "sunflower"
_FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_CHOICE = re.compile(r'<button type="submit" name="choice" value="(\d+)"')


def forms(page: str, action: str) -> list[dict[str, str]]:
    """The hidden fields of every form of `page` posting to `action`."""
    return [{k: html.unescape(v) for k, v in _HIDDEN.findall(body)}
            for act, body in _FORM.findall(page) if act == action]


def choices(page: str) -> list[str]:
    """The values of the choices the page lets one take."""
    return _CHOICE.findall(page)


class StudentError(Exception):
    """The server answered what a student did not expect (the benchmark reports it)."""


@dataclass
class Record:
    """One choice: when it was sent (seconds since the run began), how long until the next
    scene was read, and whether it was taken."""

    sent: float
    latency: float
    taken: bool


@dataclass
class Student:
    n: int
    servers: Sequence[str]
    code: str
    name: str = ""
    session: aiohttp.ClientSession | None = None
    turn: int = 0
    page: str = ""
    path: str = ""
    query: str = ""
    sign_in_all: float = 0.0
    sign_in_word: float = 0.0
    records: list[Record] = field(default_factory=list)
    taken: dict[int, int] = field(default_factory=dict)
    """Choices the server acknowledged (answered with the next scene), per game id."""
    games: int = 0
    sizes: list[int] = field(default_factory=list)
    served_by: dict[str, int] = field(default_factory=dict)
    """Requests answered, per server."""

    def __post_init__(self) -> None:
        self.name = self.name or f"Student {self.n:04d}"

    async def open(self) -> None:
        jar = aiohttp.CookieJar(unsafe=True)
        connector = aiohttp.TCPConnector(limit=2, force_close=False)
        self.session = aiohttp.ClientSession(cookie_jar=jar, connector=connector,
                                             timeout=aiohttp.ClientTimeout(total=120))

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    def _server(self) -> str:
        url = self.servers[self.turn % len(self.servers)]
        self.turn += 1
        return url

    async def request(self, method: str, path: str, data: dict[str, str] | None = None) -> str:
        """Send one request (to the next server), follow its redirects (each to the next
        server), and read the final page; it must be a 200."""
        assert self.session is not None
        for _hop in range(6):
            server = self._server()
            url = server + path
            # a browser sends its page's origin with a form's POST; with two servers the page
            # came from the other port, but behind one address (a proxy) it is this one's
            headers = {"Origin": server} if method == "POST" else None
            async with self.session.request(method, url, data=data, headers=headers,
                                            allow_redirects=False) as r:
                body = await r.read()
                self.served_by[server] = self.served_by.get(server, 0) + 1
                if r.status in (301, 302, 303, 307, 308):
                    location = r.headers["Location"]
                    parts = urlsplit(location)
                    path = parts.path + (f"?{parts.query}" if parts.query else "")
                    method, data = "GET", None
                    continue
                if r.status != 200:
                    raise StudentError(f"{method} {path}: {r.status} {body[:300]!r}")
                self.page = body.decode("utf-8")
                parts = urlsplit(path)
                self.path, self.query = parts.path, parts.query
                self.sizes.append(len(body))
                return self.page
        raise StudentError(f"too many redirects from {path}")

    async def sign_in(self) -> None:
        started = time.perf_counter()
        await self.request("GET", "/")
        fields = forms(self.page, "/signin")
        if not fields:
            raise StudentError("the sign-in page has no form")
        data = {**fields[0], "name": self.name, "secret": WORD, "code": self.code}
        await self.request("POST", "/signin", data)
        if 'id="again"' in self.page:
            word = time.perf_counter()
            await self.request("POST", "/signin", {**data, "again": WORD})
            self.sign_in_word = time.perf_counter() - word
        if self.path not in ("/new", "/play"):
            raise StudentError(f"signing in ended on {self.path}: {_alert(self.page)}")
        self.sign_in_all = time.perf_counter() - started

    async def new_game(self) -> None:
        if self.path != "/new":
            await self.request("GET", "/new")
        offers = forms(self.page, "/new")
        if not offers:
            raise StudentError("the new-game page offers no campaign")
        await self.request("POST", "/new", offers[(self.n + self.games) % len(offers)])
        self.games += 1
        if self.path != "/play" or not choices(self.page):
            raise StudentError(f"a new game did not open on a scene ({self.path})")

    async def choose(self, rng: random.Random, t0: float) -> None:
        """One choice from the scene on the page (a new campaign first if the game ended)."""
        if not choices(self.page):
            await self.new_game()
        fields = forms(self.page, "/choose")[0]
        data = {**fields, "choice": rng.choice(choices(self.page))}
        if 'name="reflection"' in self.page:
            data["reflection"] = f"{self.name} thinks about it."
        game = int(fields["game"])
        sent = time.perf_counter()
        await self.request("POST", "/choose", data)
        latency = time.perf_counter() - sent
        taken = self.path == "/play" and "note=" not in self.query
        self.records.append(Record(sent - t0, latency, taken))
        if taken:
            self.taken[game] = self.taken.get(game, 0) + 1


def _alert(page: str) -> str:
    m = re.search(r'role="alert"[^>]*>(.*?)</p>', page, re.S)
    return html.unescape(m[1]) if m else "(no message)"


async def think(rng: random.Random, seconds: float) -> None:
    """A pause of `seconds` on average (from half to one and a half times it)."""
    await asyncio.sleep(seconds * rng.uniform(0.5, 1.5))


TICKS = os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> tuple[float, float]:
    """PSS and RSS of one process, in MB (/proc/PID/smaps_rollup)."""
    kb = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        if line.endswith("kB"):
            kb[line.split(":")[0]] = int(line.split()[1])
    return kb["Pss"] / 1024, kb["Rss"] / 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def percentile(values: Sequence[float], p: float) -> float:
    """The `p`-th percentile (nearest rank) of `values`."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(values: Sequence[float]) -> str:
    """p50, p95, p99 and max of `values` (seconds), in milliseconds."""
    if not values:
        return "no samples"
    return (f"p50 {percentile(values, 50) * 1000:7.1f} ms  p95 {percentile(values, 95) * 1000:7.1f}"
            f" ms  p99 {percentile(values, 99) * 1000:7.1f} ms  max {max(values) * 1000:7.1f} ms"
            f"  (n={len(values)}, mean {statistics.mean(values) * 1000:.1f} ms)")


class LoopLag:
    """How late the client's event loop wakes a task that sleeps 50 ms: a client that cannot
    keep up shows it here (and its latencies would be its own, not the server's)."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(0.05)
            self.lags.append(time.perf_counter() - asked - 0.05)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


@dataclass
class Run:
    """The figures of one class (the game's or the baseline's)."""

    students: int
    steady: list[float] = field(default_factory=list)
    everything: list[float] = field(default_factory=list)
    sign_in_all: list[float] = field(default_factory=list)
    sign_in_word: list[float] = field(default_factory=list)
    not_taken: int = 0
    errors: list[str] = field(default_factory=list)
    games: int = 0
    window: float = 0.0
    ramp: float = 0.0
    memory: dict[str, tuple[float, float]] = field(default_factory=dict)
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    lag: list[float] = field(default_factory=list)
    page_sizes: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.steady) / self.window if self.window else 0.0

    def growth(self, index: int, at: str) -> float:
        return self.memory[at][index] - self.memory["before"][index]


async def play_class(urls: list[str], code: str, count: int, seconds: float, think_s: float,
                     ramp: float, pid: int, *, sign_in: bool,
                     keep: list[Student] | None = None) -> Run:
    """`count` students on `urls`: sign in (or, for the baseline, open the page) staggered
    over `ramp` seconds, then a choice every `think_s` seconds; `seconds` of steady play once
    all are playing. `keep`, if given, receives the students (what each did)."""
    run = Run(count)
    students = [Student(n, urls, code) for n in range(count)]
    if keep is not None:
        keep.extend(students)
    lag = LoopLag()
    lag.start()
    t0 = time.perf_counter()
    run.memory["before"] = memory_mb(pid)
    playing = 0
    all_playing = asyncio.Event()
    stop_at = [float("inf")]

    def arrived() -> None:
        nonlocal playing
        playing += 1
        if playing == count:
            all_playing.set()

    async def one(student: Student) -> None:
        rng = random.Random(student.n)
        await asyncio.sleep(ramp * student.n / count)
        await student.open()
        counted = False
        try:
            if sign_in:
                await student.sign_in()
                run.sign_in_all.append(student.sign_in_all)
                run.sign_in_word.append(student.sign_in_word)
                await student.new_game()
            else:
                await student.request("GET", "/play")
            await think(rng, think_s)
            await student.choose(rng, t0)
            arrived()
            counted = True
            while True:
                await think(rng, think_s)
                if time.perf_counter() >= stop_at[0]:
                    break
                await student.choose(rng, t0)
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError, LookupError) as exc:
            run.errors.append(f"{student.name}: {type(exc).__name__}: {exc}")
        except Exception as exc:  # a StudentError: the server said something unexpected
            run.errors.append(f"{student.name}: {exc}")
        finally:
            if not counted:
                arrived()
            await student.close()

    tasks = [asyncio.create_task(one(s)) for s in students]
    await all_playing.wait()
    steady = time.perf_counter()
    run.ramp = steady - t0
    run.memory["playing"] = memory_mb(pid)
    cpu_server, cpu_client = cpu_seconds(pid), time.process_time()
    lag.lags.clear()
    stop_at[0] = steady + seconds
    await asyncio.sleep(seconds)
    ended = time.perf_counter()
    run.window = ended - steady
    run.server_cpu = (cpu_seconds(pid) - cpu_server) / run.window
    run.client_cpu = (time.process_time() - cpu_client) / run.window
    run.lag = list(lag.lags)
    lag.stop()
    await asyncio.gather(*tasks)
    run.memory["end"] = memory_mb(pid)
    for s in students:
        run.everything += [r.latency for r in s.records]
        run.steady += [r.latency for r in s.records if steady - t0 <= r.sent < ended - t0]
        run.not_taken += sum(not r.taken for r in s.records)
        run.games += s.games
        run.page_sizes += s.sizes
    return run
