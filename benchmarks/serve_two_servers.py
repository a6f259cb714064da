"""Benchmark (issue #17): two web-face processes on one PostgreSQL database serving one class,
every student's requests alternating between them; at the end, nothing lost.

Starts a throwaway PostgreSQL cluster (tests/pg.py's `start_cluster`: initdb and pg_ctl in a
temporary folder, a unix socket only, as the `postgres` user when run as root), or uses `--db
URL`. Starts `moscow1941 serve --class Bench --db URL` on port P1; once it has printed its
greeting (the class and its code are in the database then), a second on P2 with the same
`--class`. `--students` (40) simulated students (benchmarks/web_client.py) sign in over
`--ramp` (10) seconds and choose every `--think` (2) seconds for `--seconds` (60) once all
are playing. Every request a student sends goes to the other server than its last one, and
so does every redirect it follows: it signs in on one, reads the page on the other, posts a
choice to one and reads the next scene from the other. A cookie signed by one server must be
taken by the other (the key is in the database); a student who was not would be sent back to
the sign-in page, and the benchmark says so.

At the end, from the database (`Store.class_games`), each game's path length is compared with the choices its
student sent and saw acknowledged (answered with the next scene): nothing lost means equal for
every game of every student; and each game's version must be 1 + its path length (a game is
written at version 1, each choice adds one; nobody undoes here) and its summary's step its
path length (the summary is what a dashboard lists). Then the teacher signs in to the
dashboard on each server: its live view must count every acknowledged choice and list every
student. Prints the counts, and the ratio of choices stored to choices
acknowledged (1.00x when nothing is lost). Exits 1 when anything is lost or a student met an
error; 77 (skipped) when no PostgreSQL can be started and no `--db` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import http.cookiejar
import re
import secrets
import sys
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
from quick import quick  # noqa: E402
from serve_web import wait_listening  # noqa: E402
from tests.browser.server import served  # noqa: E402
from tests.pg import server_bindir, start_cluster  # noqa: E402
from web_client import Student, percentile, play_class, summary_ms  # noqa: E402

from moscow1941.engine import GameState  # noqa: E402
from moscow1941.store import Store  # noqa: E402

SKIPPED = 77
PASSWORD = "bench-teacher-password"


@contextmanager
def postgres(url: str | None) -> Iterator[str | None]:
    """`url`, or the URL of a throwaway cluster (tests/pg.py's, as the tests start it), or
    None when there is no PostgreSQL to start."""
    if url:
        yield url
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        yield None
        return
    found = server_bindir()
    if found is None:
        yield None
        return
    cluster = start_cluster(found)
    try:
        yield cluster.url
    finally:
        cluster.stop()


def live_view(base: str) -> tuple[int, int]:
    """Sign in to `base`'s dashboard as the teacher, as a browser does (cookies, the form's
    token, Origin); the live view's count of choices and its number of student rows."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/teacher/signin", timeout=30).read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token, "the dashboard's sign-in page has no form"
    body = urllib.parse.urlencode({"csrf": html.unescape(token[1]), "password": PASSWORD})
    request = urllib.request.Request(base + "/teacher/signin", data=body.encode(),
                                     headers={"Origin": base})
    page = opener.open(request, timeout=30).read().decode()
    found = re.search(r'data-choices="(\d+)"', page)
    assert found, "the teacher did not reach the live view"
    rows = len(re.findall(r'<tr>\s*<th scope="row">', page))
    return int(found[1]), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", metavar="URL", help="a PostgreSQL database to use (default: a "
                        "throwaway cluster); a class of a new name is made in it")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0, help="steady play (60 s)")
    parser.add_argument("--think", type=float, default=2.0, help="seconds between choices (2)")
    parser.add_argument("--ramp", type=float, default=10.0, help="sign-ins spread over (10 s)")
    parser.add_argument("--quick", action="store_true",
                        help="4 students for 4 s (or BENCH_QUICK=1)")
    args = parser.parse_args()
    if quick():
        args.students, args.seconds, args.think, args.ramp = 4, 4.0, 0.5, 1.0
    label = f"Bench {secrets.token_hex(3)}" if args.db else "Bench"
    with postgres(args.db) as url, tempfile.TemporaryDirectory() as tmp:
        if url is None:
            print("PostgreSQL is not available (no psycopg, or no initdb/pg_ctl found) and "
                  "--db was not given: skipped")
            sys.exit(SKIPPED)
        folder = Path(tmp)
        password = folder / "password.txt"
        password.write_text(PASSWORD + "\n", encoding="utf-8")
        with served(folder / "one", "--class", label, "--db", url, "--password-file",
                    str(password), face="web") as first:
            wait_listening(first.url + "/", first.process)
            with served(folder / "two", "--class", label, "--db", url, face="web") as second:
                wait_listening(second.url + "/", second.process)
                codes = [next(line.split(":", 1)[1].strip() for line in s.output
                              if line.startswith("Class code:")) for s in (first, second)]
                if codes[0] != codes[1]:
                    print(f"BUG: the two servers give different class codes {codes}")
                    sys.exit(1)
                students: list[Student] = []
                run = asyncio.run(play_class([first.url, second.url], codes[0], args.students,
                                             args.seconds, args.think, args.ramp,
                                             first.process.pid, sign_in=True, keep=students))
                dashboards = {s.url: live_view(s.url) for s in (first, second)}
        with Store(url) as store:
            klass = store.class_named(label)
            assert klass is not None
            stored: dict[str, dict[int, int]] = {}
            versions_off = 0
            for student_row, game in store.class_games(klass.id):
                path = len(GameState.from_json(game.state_json).path)
                stored.setdefault(student_row.name, {})[game.id] = path
                # a game is written at version 1 and each choice adds one (nobody undoes here)
                versions_off += game.version != 1 + path or game.summary.step != path

    sent = sum(len(s.records) for s in students)
    acknowledged = sum(sum(s.taken.values()) for s in students)
    in_store = sum(sum(g.values()) for g in stored.values())
    lost = extra = short = 0
    for s in students:
        games = stored.get(s.name, {})
        for game_id, count in s.taken.items():
            have = games.get(game_id, 0)
            lost += max(0, count - have)
            extra += max(0, have - count)
            short += have != count
    by_server: dict[str, int] = {}
    for s in students:
        for server, count in s.served_by.items():
            by_server[server] = by_server.get(server, 0) + count
    print(f"two servers on one PostgreSQL, one class, {args.students} students, each request "
          f"to the other server than the last; {run.window:.0f} s of steady play")
    print("requests answered: " + ", ".join(f"{u} {n}" for u, n in sorted(by_server.items())))
    print(f"choice -> scene (POST on one server, page from the other) {summary_ms(run.steady)}")
    print(f"sign-in, three pages       {summary_ms(run.sign_in_all)}")
    print(f"choices sent {sent}, acknowledged {acknowledged}, not taken {run.not_taken} "
          f"(stale or locked), in the database {in_store}; campaigns {run.games}, students "
          f"with games in the database {len(stored)} of {args.students}")
    print(f"lost (acknowledged, not in the database): {lost}; in the database but not "
          f"acknowledged: {extra}; games whose path differs from its choices: {short}; games whose version or summary "
          f"step disagrees with its path: {versions_off}")
    unseen = 0
    for where, (choices_seen, rows) in sorted(dashboards.items()):
        print(f"the teacher's live view on {where}: {choices_seen} choices, {rows} students")
        unseen += choices_seen != acknowledged or rows != args.students
    print(f"choices stored / acknowledged: ratio {in_store / max(1, acknowledged):.3f}x "
          f"(p95 choice -> scene {percentile(run.steady, 95) * 1000:.0f} ms)")
    if run.errors:
        print(f"ERRORS: {len(run.errors)} students")
        for e in run.errors[:10]:
            print("  " + e)
    if unseen:
        print("NOT every choice is on each dashboard")
    if unseen or lost or extra or versions_off or run.errors or run.not_taken or len(stored) != args.students:
        print("NOT everything arrived as sent")
        sys.exit(1)
    print("nothing lost: every acknowledged choice is in the database, once")


if __name__ == "__main__":
    main()
