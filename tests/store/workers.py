"""What the store's tests run in other processes (importable by a spawned interpreter)."""

from __future__ import annotations

from typing import Any


def open_store(url: str, go: Any, results: Any) -> None:
    """Wait for `go`, open the store at `url` (migrating it if it is fresh), report how."""
    from moscow1941.store import Store, StoreError

    results.put("ready")
    go.wait(60)
    try:
        with Store(url) as store:
            results.put(("ok", store.schema_version()))
    except StoreError as exc:
        results.put(("error", str(exc)))
