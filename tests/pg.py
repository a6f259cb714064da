"""PostgreSQL for the tests: a fresh, empty database on a server the tests start themselves.

`postgres_url` (session-scoped fixture) gives the libpq URL of an empty database:

- with `MOSCOW1941_TEST_POSTGRES` set (a libpq URL or key=value string of a server where that
  role may CREATE DATABASE), a new database there, named uniquely, dropped after the session;
- else, when PostgreSQL's server binaries are found (`/usr/lib/postgresql/*/bin/initdb`, as
  Debian's `postgresql` package installs them, or `pg_config --bindir`), a throwaway cluster in
  a temporary folder, listening only on a unix socket there, stopped and deleted after the
  session. initdb refuses to run as root: as root, the cluster runs as the `postgres` system
  user (Debian's package creates it), through `runuser`;
- else the test is skipped, saying why, except under CI (the `CI` variable set), where it fails.

`fresh_database(url)` gives a test an empty place of its own on the same server: a new schema
that the URL's search_path names alone (fast), or with `whole=True` a new database. The
`fresh_postgres_url` fixture is `fresh_database(postgres_url)`. All go with the session's
database.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

ENV = "MOSCOW1941_TEST_POSTGRES"
SERVER_USER = "postgres"
"""The system user a cluster runs as when the tests run as root (Debian's package makes it)."""

_counter = itertools.count(1)


def unavailable(reason: str) -> NoReturn:
    """Skip the test for `reason`; under CI, fail it (CI must not skip the PostgreSQL half)."""
    if os.environ.get("CI"):
        pytest.fail(f"the PostgreSQL tests must run in CI: {reason}")
    pytest.skip(reason)


def server_bindir() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), the newest found, or None."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    if found:
        return max(found, key=lambda p: _version_key(p.parent.name))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return None
        bindir = Path(out.stdout.strip())
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", name)) or (0,)


def with_dbname(url: str, dbname: str) -> str:
    """`url` (a postgresql:// URL or a key=value conninfo string) naming database `dbname`."""
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path="/" + quote(dbname, safe="")))
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, dbname=dbname)


def dbname_of(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    name = conninfo_to_dict(url).get("dbname")
    return str(name) if name else ""


def _connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10)


def create_database(url: str, name: str) -> str:
    """Create the empty database `name` (from template0) on `url`'s server; give its URL."""
    from psycopg import sql

    with _connect(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
            sql.Identifier(name)))
    return with_dbname(url, name)


def drop_databases(url: str, prefix: str, *, exact: bool = False) -> None:
    """Drop the database `prefix` and, unless `exact`, every one whose name starts with
    `prefix` + "_" (connected to `url`'s database, which must be another one)."""
    from psycopg import sql

    with _connect(url) as conn:
        names = [row[0] for row in conn.execute(
            "SELECT datname FROM pg_database WHERE datname = %s"
            " OR (NOT %s AND starts_with(datname, %s))", (prefix, exact, prefix + "_"))]
        for name in names:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def with_search_path(url: str, schema: str) -> str:
    """`url` with its sessions' search_path set to `schema` alone (libpq's `options`)."""
    option = f"-c search_path={schema}"
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "options"]
        before = [v for k, v in parse_qsl(parts.query) if k == "options"]
        query.append(("options", " ".join([*before, option])))
        return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    earlier = conninfo_to_dict(url).get("options")
    return make_conninfo(url, options=f"{earlier} {option}" if earlier else option)


def fresh_database(url: str, *, whole: bool = False) -> str:
    """The URL of a new, empty place for one test's tables on `url`'s server.

    By default a new schema in `url`'s database, the URL's search_path set to it alone, so
    every unqualified name the test (or the store) creates or looks up lives there: measured
    well under a millisecond, where a new database costs 50-180 ms (see docs/architecture.md).
    Code under test must then not name the `public` schema. With `whole`, a new database from
    template0 instead (for a test that needs one: extensions, several schemas, its own
    search_path). Both go when the session's database is dropped (a database made here is
    named after that one)."""
    name = f"{dbname_of(url)}_{next(_counter)}"
    if whole:
        return create_database(url, name)
    from psycopg import sql

    schema = f"test_{next(_counter)}"
    with _connect(url) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    return with_search_path(url, schema)


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster in `folder`, on a unix socket there."""

    bindir: Path
    folder: Path
    as_user: str | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql://{SERVER_USER}@/postgres?host={quote(str(self.folder), safe='')}&port=5432"

    def run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.as_user is not None:
            command = ["runuser", "-u", self.as_user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n"
                               f"{done.stdout}{done.stderr}{tail}")

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", SERVER_USER, "--auth=trust",
                 "--encoding=UTF8", "--no-locale", "--no-sync")
        # Only a unix socket in our own folder (no TCP port to collide with), fsync off.
        options = f"-k {self.folder} -c listen_addresses= -F -c max_connections=50"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                 "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(bindir: Path) -> Cluster:
    """initdb and start a cluster in a new temporary folder (as `postgres` when we are root)."""
    # A short path: the socket's full name must fit in 107 bytes.
    folder = Path(tempfile.mkdtemp(prefix="moscow1941-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    as_user = None
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(SERVER_USER)
        except KeyError:
            shutil.rmtree(folder)
            raise RuntimeError(f"running as root, and there is no '{SERVER_USER}' user to run "
                               "initdb as (initdb refuses root)") from None
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_user = SERVER_USER
    cluster = Cluster(bindir, folder, as_user)
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster


def session_name() -> str:
    return f"moscow1941_test_{os.getpid()}_{secrets.token_hex(3)}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The libpq URL of a fresh, empty database for this test session (see the module's doc)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[test]')")
    name = session_name()
    server = os.environ.get(ENV)
    if server:
        url = create_database(server, name)
        try:
            yield url
        finally:
            drop_databases(server, name)
        return
    bindir = server_bindir()
    if bindir is None:
        unavailable(f"no PostgreSQL server programs (apt-get install postgresql), and {ENV} is not set")
    cluster = start_cluster(bindir)
    try:
        yield create_database(cluster.url, name)
    finally:
        cluster.stop()


@pytest.fixture
def fresh_postgres_url(postgres_url: str) -> str:
    """The URL of an empty schema of its own for one test (`fresh_database(postgres_url)`)."""
    return fresh_database(postgres_url)
