"""`moscow1941 new`: the starter story passes check with no warnings and every playtest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from tests.conftest import REPO

from moscow1941.authoring.playtest import exhaustive_playtest, historical_playtest
from moscow1941.authoring.scaffold import ScaffoldError, scaffold, story_id
from moscow1941.story import load_story
from moscow1941.story.lint import lint
from moscow1941.story.schema import story_schema


def test_new_story_loads_with_no_errors_or_warnings(tmp_path: Path) -> None:
    scaffold(tmp_path / "my story", 'Night "Train": 1941')
    result = load_story(tmp_path / "my story")
    assert result.story is not None and result.diagnostics == ()
    assert lint(result.story) == []
    assert result.story.title == 'Night "Train": 1941' and result.story.id == "my_story"


def test_new_story_passes_historical_and_exhaustive_playtests(tmp_path: Path) -> None:
    scaffold(tmp_path / "s")
    story = load_story(tmp_path / "s").story
    assert story is not None
    assert historical_playtest(story).ok
    report = exhaustive_playtest(story)
    assert report.ok and report.complete and report.unreachable_nodes == ()


def test_new_story_files_point_at_the_schema_and_validate(tmp_path: Path) -> None:
    files = scaffold(tmp_path / "s")
    schema = json.loads((tmp_path / "s" / "story.schema.json").read_text())
    assert schema == story_schema()
    for path in files:
        if path.suffix == ".yaml":
            text = path.read_text()
            target = text.splitlines()[0].split("$schema=", 1)[1]
            assert (path.parent / target).resolve() == (tmp_path / "s" / "story.schema.json")
            jsonschema.validate(_editor(text), schema)


def _editor(text: str) -> object:
    class Loader(yaml.SafeLoader):
        """Dates stay text, as in an editor."""
    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda lo, n: lo.construct_scalar(n))  # type: ignore[arg-type]
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    with pytest.raises(ScaffoldError):
        scaffold(tmp_path / "full")
    assert (tmp_path / "full" / "notes.txt").read_text() == "mine"


def test_story_id_is_a_valid_id_from_any_folder_name(tmp_path: Path) -> None:
    assert story_id(tmp_path / "Ma Chronique!") == "ma_chronique"
    assert story_id(tmp_path / "1941") == "story_1941"


def test_new_command_then_check_is_clean(tmp_path: Path) -> None:
    folder = tmp_path / "branch"
    out = subprocess.run([sys.executable, "-m", "moscow1941", "new", str(folder)],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0 and "wrote" in out.stdout
    check = subprocess.run([sys.executable, "-m", "moscow1941", "check", str(folder)],
                           capture_output=True, text=True, cwd=REPO)
    assert check.returncode == 0 and "0 errors, 0 warnings" in check.stdout
    assert f"{folder}: 6 nodes, 1 campaign, 1 event in 2 files; 0 errors, 0 warnings" \
        in check.stdout
    again = subprocess.run([sys.executable, "-m", "moscow1941", "new", str(folder)],
                           capture_output=True, text=True, cwd=REPO)
    assert again.returncode == 1 and "not an empty folder" in again.stderr
