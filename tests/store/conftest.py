"""The store's tests run on both backends: `store_url` is a fresh SQLite file or a fresh
PostgreSQL schema (on the server `tests/pg.py` starts), one per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import tests.conftest
from tests.pg import fresh_database

from moscow1941 import store as store_module
from moscow1941.classroom import students
from moscow1941.store import Store

BACKENDS = ("sqlite", "postgresql")

if "tests.pg" not in getattr(tests.conftest, "pytest_plugins", ()):
    # Until tests/conftest.py loads tests.pg for every folder, the store's tests load it here.
    from tests.pg import postgres_url  # noqa: F401


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at a test's cost (hashes keep their own N, so a word still checks after)."""
    monkeypatch.setattr(students, "SCRYPT_N", 2 ** 4)
    monkeypatch.setattr(store_module, "SCRYPT_N", 2 ** 4)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The address of an empty database of this test's own, on each backend in turn."""
    if request.param == "sqlite":
        return str(tmp_path / "school.sqlite3")
    return fresh_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened
