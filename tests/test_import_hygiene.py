"""The format and rules layers, plain mode and the classroom tools never import the UI toolkits
(proved in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["moscow1941.story", "moscow1941.engine", "moscow1941.plain",
                                    "moscow1941.cli", "moscow1941.classroom.transcript",
                                    "moscow1941.classroom.report", "moscow1941.words",
                                    "moscow1941.files", "moscow1941.engine.savefile",
                                    "moscow1941.classroom.export"])
def test_layer_does_not_import_textual_or_rich(module: str) -> None:
    code = (f"import sys, {module}; from moscow1941.story import load_story; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_story_layer_does_not_import_the_engine() -> None:
    code = ("import sys, moscow1941.story.load; "
            "print(any(m.startswith('moscow1941.engine') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_words_and_the_file_primitives_import_nothing_of_the_game_at_run_time() -> None:
    code = ("import sys, moscow1941.words, moscow1941.files; "
            "print(sorted(m for m in sys.modules if m.startswith('moscow1941.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # moscow1941.i18n: the gettext catalogs (nothing of the game either)
    assert out.stdout.strip() == "['moscow1941.files', 'moscow1941.i18n', 'moscow1941.words']"


@pytest.mark.parametrize("module", ["moscow1941.store", "moscow1941.store.transfer", "moscow1941.commands.db"])
def test_the_store_never_imports_a_user_interface_or_the_web_server(module: str) -> None:
    code = (f"import sys, {module}; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'aiohttp') "
            "or m.startswith(('moscow1941.ui', 'moscow1941.web'))]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_store_itself_needs_neither_the_engine_nor_psycopg_for_sqlite() -> None:
    code = ("import sys, moscow1941.store; s = moscow1941.store.Store(':memory:'); "
            "print(sorted(m for m in sys.modules if m.startswith(('moscow1941.engine', 'psycopg'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
