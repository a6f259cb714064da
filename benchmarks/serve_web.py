"""Benchmark (issue #17): a class of simulated students playing the web face, against a trivial
aiohttp server in the same run, and the terminal face's largest class on the same machine.

Starts `moscow1941 serve --class Bench --port P --saves TMP` (the web face: one process, the
games in a SQLite file) and runs `--students` (300) students in this one client process
(asyncio, an aiohttp ClientSession and cookie jar each, no JavaScript: forms and redirects as
tests/web/conftest.py's Visitor). They sign in staggered over the first `--ramp` (30) seconds
(a new name: the word typed twice, then hashed with scrypt on the server), start a campaign,
then each makes a choice every `--think` (3) seconds (from half to one and a half times it);
a game that ends starts a new campaign. When all of them are playing (each has made a
choice), `--seconds` (120) of steady play follow.

Measured:
- choice -> scene: from sending POST /choose to the redirected GET /play page read to its last
  byte, for every choice made in the steady window (and, separately, the whole run);
- sign-in: the three pages (the form, the name, the word again: the hashed one) and the
  confirming request alone;
- the server's memory, PSS and RSS from /proc/PID/smaps_rollup: before anyone signs in, when
  every student is playing, at the end; per student = growth / students;
- CPU: the server's and this client's own (a client that cannot keep up would measure itself:
  its CPU share and its event loop's lateness are printed).

Baseline, same run, same client and request rate: a trivial aiohttp server in a subprocess
(POST /choose reads the form and redirects; GET /play is a fixed page of the same size as the
game's median scene page, with a form of choices). Printed: p95 / baseline p95.

The terminal face (`serve --face terminal --max-sessions SIZE+10`, benchmarks/serve_sessions.py's
measurement) at classes of 10, 20, 30, 40, then 60, 80, ... sessions (`--terminal-sizes`),
until a size fails: not all playable
within 30 s, memory beyond what the machine has free, or the size took over 3 minutes. Each
size, once all are playable, plays `--terminal-seconds` (30): each session presses 1 every
think seconds; time from the key to the last frame of the redraw (the screen quiet for
100 ms; the quiet itself not counted). Students-per-machine ratio: the largest web class
measured meeting p95 <= 200 ms / the terminal's largest class; memory ratio: terminal PSS per
session / web PSS growth per student.

Goals (issue #17): 300 students, p95 <= 200 ms, <= 1 MB of server memory each, >= 10x the
terminal face's students. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
import aiohttp  # noqa: E402
import serve_sessions as terminal  # noqa: E402
from quick import quick  # noqa: E402
from tests.browser.server import environment, free_port, served, stop  # noqa: E402
from web_client import Run, percentile, play_class, summary_ms, think  # noqa: E402

from moscow1941.engine import Game  # noqa: E402
from moscow1941.story import load_story  # noqa: E402

GOAL_P95 = 0.200
GOAL_MB = 1.0
GOAL_RATIO = 10.0
TERMINAL_PLAYABLE = 30.0
TERMINAL_SIZE_SECONDS = 180.0

BASELINE = r"""
import sys
from aiohttp import web

port, size = int(sys.argv[1]), int(sys.argv[2])
form = ('<form method="post" action="/choose" class="choices">'
        '<input type="hidden" name="csrf" value="x"><input type="hidden" name="game" value="1">'
        '<input type="hidden" name="step" value="0"><input type="hidden" name="node" value="n">'
        + "".join(f'<button type="submit" name="choice" value="{i}">Choice {i}</button>'
                  for i in range(3)) + "</form>")
head = "<!doctype html><html><body><h1>Hello</h1>"
page = head + form + "<p>" + "hello " * max(0, (size - len(head) - len(form) - 30) // 6) + "</p></body></html>"


async def play(request):
    return web.Response(text=page, content_type="text/html")


async def choose(request):
    await request.post()
    raise web.HTTPSeeOther("/play")


app = web.Application()
app.router.add_get("/play", play)
app.router.add_post("/choose", choose)
web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)
"""


def wait_listening(url: str, process: subprocess.Popen[str]) -> None:
    """Until `url` answers (a server prints its greeting a moment before it listens)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"the server at {url} did not start") from None
            time.sleep(0.1)


@contextmanager
def baseline_server(size: int, home: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", BASELINE, str(port), str(size)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, env=environment(home), cwd=REPO)
    try:
        wait_listening(f"http://127.0.0.1:{port}/play", process)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        stop(process)


def web_round(folder: Path, count: int, args: argparse.Namespace) -> tuple[Run, Run]:
    """The game's class of `count` and the baseline's, one after the other."""
    with served(folder / f"saves-{count}", "--class", "Bench", face="web") as server:
        code = next(line.split(":", 1)[1].strip() for line in server.output
                    if line.startswith("Class code:"))
        wait_listening(server.url + "/", server.process)
        game = asyncio.run(play_class([server.url], code, count, args.seconds, args.think,
                                      args.ramp, server.process.pid, sign_in=True))
    pages = [s for s in game.page_sizes if s > 0]
    size = int(statistics.median(pages)) if pages else 8000
    with baseline_server(size, folder) as (url, pid):
        base = asyncio.run(play_class([url], "", count, args.baseline_seconds, args.think,
                                      args.ramp, pid, sign_in=False))
    return game, base


def print_web(game: Run, base: Run) -> None:
    n = game.students
    p95, b95 = percentile(game.steady, 95), percentile(base.steady, 95)
    print(f"\n== web face: {n} students, think {ARGS.think:g} s, signed in over "
          f"{game.ramp:.1f} s, then {game.window:.1f} s of steady play ==")
    print(f"choice -> scene (steady)   {summary_ms(game.steady)}")
    print(f"  baseline (trivial aiohttp, {statistics.median(base.page_sizes or [0]):.0f}-byte page) "
          f"{summary_ms(base.steady)}")
    print(f"  ratio p50 {percentile(game.steady, 50) / percentile(base.steady, 50):.1f}x, "
          f"ratio p95 {p95 / b95:.1f}x to the baseline")
    print(f"choice -> scene (whole run, sign-in ramp included) {summary_ms(game.everything)}")
    print(f"choices per second (steady) {game.rate:.1f} (baseline {base.rate:.1f}); "
          f"{game.games} campaigns started; {game.not_taken} choices not taken (stale/locked)")
    print(f"sign-in, three pages       {summary_ms(game.sign_in_all)}")
    print(f"sign-in, the word hashed   {summary_ms(game.sign_in_word)}")
    for label, index in (("PSS", 0), ("RSS", 1)):
        before, playing, end = (game.memory[k][index] for k in ("before", "playing", "end"))
        print(f"server memory {label}: before {before:.1f} MB, all playing {playing:.1f} MB, end "
              f"{end:.1f} MB; per student {game.growth(index, 'playing') / n * 1024:.0f} kB "
              f"(to all playing), {game.growth(index, 'end') / n * 1024:.0f} kB (to the end)")
    b_growth = base.growth(0, "end") / n * 1024
    print(f"  baseline server PSS: before {base.memory['before'][0]:.1f} MB, end "
          f"{base.memory['end'][0]:.1f} MB ({b_growth:.0f} kB per client)")
    print(f"CPU (steady): server {game.server_cpu * 100:.0f}% of a core (baseline server "
          f"{base.server_cpu * 100:.0f}%); this client {game.client_cpu * 100:.0f}% of a core "
          f"(baseline run {base.client_cpu * 100:.0f}%)")
    print(f"client event loop lateness (50 ms sleeps): p95 {percentile(game.lag, 95) * 1000:.1f} "
          f"ms, max {max(game.lag or [0]) * 1000:.1f} ms (baseline run p95 "
          f"{percentile(base.lag, 95) * 1000:.1f} ms)")
    if game.errors or base.errors:
        print(f"ERRORS: {len(game.errors)} students of the game, {len(base.errors)} of the baseline")
        for e in (game.errors + base.errors)[:10]:
            print("  " + e)


@dataclass
class Terminal:
    size: int
    round: terminal.Round
    latencies: list[float]
    seconds: float


class _Barrier:
    def __init__(self, count: int) -> None:
        self.count, self.arrived, self.event, self.at = count, 0, asyncio.Event(), 0.0

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived == self.count:
            self.at = time.perf_counter()
            self.event.set()


async def _key(session: terminal.Session, key: str) -> float | None:
    """Press `key`; the time until the last frame of the redraw it caused (None: no frame)."""
    assert session.ws is not None
    sent = time.perf_counter()
    await session.ws.send_json(["stdin", key])
    last = None
    while True:
        now = time.perf_counter()
        wait = 0.1 if last is not None else sent + 10 - now
        if wait <= 0 or (last is not None and now - sent > 10):
            break
        try:
            message = await session.ws.receive(timeout=wait)
        except TimeoutError:
            break
        if message.type == aiohttp.WSMsgType.BINARY:
            last = time.perf_counter()
        elif message.type != aiohttp.WSMsgType.TEXT:
            raise RuntimeError(f"session closed: {message}")
    return None if last is None else last - sent


def terminal_script(first_scene: str, count: int, seconds: float, think_s: float,
                    latencies: list[float]) -> terminal.Script:
    sign_in = terminal.game_script(first_scene)
    barrier = _Barrier(count)

    async def play(session: terminal.Session, n: int, started: float) -> None:
        try:
            await sign_in(session, n, started)
        finally:
            barrier.arrive()
        await barrier.event.wait()
        rng = random.Random(n)
        while True:
            await think(rng, think_s)
            if time.perf_counter() >= barrier.at + seconds:
                break
            latency = await _key(session, "1")
            if latency is not None:
                latencies.append(latency)
    return play


def terminal_class(folder: Path, size: int, first_scene: str, args: argparse.Namespace) -> Terminal:
    latencies: list[float] = []
    script = terminal_script(first_scene, size, args.terminal_seconds, args.think, latencies)
    started = time.monotonic()
    # --max-sessions above the size: the machine is measured, not serve's default cap (60)
    with served(folder / f"terminal-{size}", "--class", "bench", "--max-sessions",
                str(size + 10), face="terminal") as run:
        async def measured() -> terminal.Round:
            async with asyncio.timeout(TERMINAL_SIZE_SECONDS + args.terminal_seconds):
                return await terminal._sessions(run.url, size, script, run.process.pid,
                                                "play --class-dir")
        figures = asyncio.run(measured())
    return Terminal(size, figures, latencies, time.monotonic() - started)


def available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def terminal_largest(folder: Path, args: argparse.Namespace) -> Terminal | None:
    """The largest terminal class that holds, trying growing sizes."""
    story = load_story(REPO / "story").story
    assert story is not None
    first_scene = Game(story, next(iter(story.campaigns))).view().title[:20]
    sizes = [2] if quick() else [s for s in args.terminal_sizes if s <= args.terminal_max]
    largest = None
    print("\n== terminal face (serve --face terminal): growing classes ==")
    for size in sizes:
        free = available_mb()
        try:
            t = terminal_class(folder, size, first_scene, args)
        except (TimeoutError, RuntimeError, AssertionError, aiohttp.ClientError, OSError) as exc:
            print(f"{size:4d} sessions: FAILED ({type(exc).__name__}: {str(exc)[:200]})")
            break
        r = t.round
        total = sum(r.pss_mb)
        fits = total <= 0.8 * free
        playable = max(r.playable) <= TERMINAL_PLAYABLE
        print(f"{size:4d} sessions: playable median {statistics.median(r.playable):5.1f} s, max "
              f"{max(r.playable):5.1f} s; PSS {statistics.mean(r.pss_mb):5.1f} MB each, "
              f"{total:7.0f} MB in all ({free:.0f} MB were free); key -> redraw "
              f"{summary_ms(t.latencies)}; {t.seconds:.0f} s for the size")
        if not (playable and fits):
            print(f"      does not hold: {'' if playable else 'not all playable within 30 s; '}"
                  f"{'' if fits else 'memory beyond 80% of what was free'}")
            break
        largest = t
        if t.seconds > TERMINAL_SIZE_SECONDS:
            print("      the size took over 3 minutes: stopping here")
            break
    return largest


ARGS = argparse.Namespace()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[300],
                        help="class sizes of the web face (300; e.g. 300 600)")
    parser.add_argument("--seconds", type=float, default=120.0, help="steady play (120 s)")
    parser.add_argument("--think", type=float, default=3.0, help="seconds between choices (3)")
    parser.add_argument("--ramp", type=float, default=30.0, help="sign-ins spread over (30 s)")
    parser.add_argument("--baseline-seconds", type=float, default=60.0,
                        help="steady play of the baseline (60 s)")
    parser.add_argument("--terminal-seconds", type=float, default=30.0,
                        help="play of each terminal class once all are playable (30 s)")
    parser.add_argument("--terminal-max", type=int, default=240,
                        help="the largest terminal class tried (240)")
    parser.add_argument("--terminal-sizes", type=int, nargs="+",
                        default=[10, 20, 30, 40, 60, 80, 100, 120, 160, 200, 240],
                        help="terminal class sizes tried, in order, until one fails")
    parser.add_argument("--no-terminal", action="store_true", help="skip the terminal face")
    parser.add_argument("--no-web", action="store_true",
                        help="skip the web face (the terminal face's classes only)")
    parser.add_argument("--quick", action="store_true",
                        help="6 students for 4 s, a terminal class of 2 (or BENCH_QUICK=1)")
    args = parser.parse_args()
    if quick():
        args.students, args.seconds, args.think, args.ramp = [6], 4.0, 1.0, 2.0
        args.baseline_seconds, args.terminal_seconds = 3.0, 2.0
    ARGS.__dict__.update(vars(args))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rounds = []
        for count in [] if args.no_web else args.students:
            game, base = web_round(folder, count, args)
            print_web(game, base)
            rounds.append((game, base))
        largest = None if args.no_terminal else terminal_largest(folder, args)

    print("\n== against the goals ==")
    meeting = [g.students for g, _b in rounds if percentile(g.steady, 95) <= GOAL_P95 and not g.errors]
    for game, _base in rounds:
        p95 = percentile(game.steady, 95)
        kb = game.growth(0, "playing") / game.students * 1024
        print(f"{game.students} students: p95 {p95 * 1000:.0f} ms, goal <= 200 ms: "
              f"{'met' if p95 <= GOAL_P95 else f'NOT met, {(p95 - GOAL_P95) * 1000:.0f} ms over'}"
              f"; server memory {kb:.0f} kB per student (PSS growth to all playing), goal <= "
              f"1 MB: {'met' if kb <= GOAL_MB * 1024 else f'NOT met, {kb / 1024 - GOAL_MB:.2f} MB over'}"
              f"; server total {game.memory['playing'][0]:.0f} MB PSS, "
              f"{game.memory['playing'][1]:.0f} MB RSS")
    web_best = max(meeting, default=0)
    if largest is not None:
        t = largest.round
        per_session = statistics.mean(t.pss_mb)
        print(f"terminal face: largest class held {largest.size} sessions (sizes tried up to "
              f"the first that failed); {per_session:.1f} MB PSS per session, key -> redraw "
              f"p50 {percentile(largest.latencies, 50) * 1000:.0f} ms, p95 "
              f"{percentile(largest.latencies, 95) * 1000:.0f} ms")
    if largest is not None and rounds:
        t = largest.round
        per_session = statistics.mean(t.pss_mb)
        ratio = web_best / largest.size
        print(f"students per machine: web {web_best} (largest class measured meeting p95 <= "
              f"200 ms) / terminal {largest.size}: ratio {ratio:.1f}x, goal >= 10x: "
              f"{'met' if ratio >= GOAL_RATIO else 'NOT met'}"
              + ("" if web_best < max(args.students) or quick() else
                 " (the web face was not tried beyond this size: the ratio is a lower bound)"))
        game = rounds[-1][0] if not meeting else next(g for g, _b in rounds if g.students == web_best)
        web_kb = max(game.growth(0, "playing") / game.students, 1e-9)
        print(f"memory per student: terminal {per_session:.1f} MB / web "
              f"{web_kb * 1024:.0f} kB: ratio {per_session / web_kb:.0f}x")
    elif largest is None and not args.no_terminal:
        print("terminal face: no class size held (see above)")
    if any(g.errors or b.errors for g, b in rounds):
        sys.exit(1)


if __name__ == "__main__":
    main()
