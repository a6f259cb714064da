"""The command line, run as a player or author would: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import CHAPTER, REPO, StoryMaker


def run(*args: str, stdin: str = "", cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "moscow1941", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_help_lists_the_subcommands() -> None:
    out = run("--help")
    assert out.returncode == 0
    for name in ("play", "check"):
        assert name in out.stdout


def test_check_shipped_story_exits_zero() -> None:
    out = run("check", "story")
    assert out.returncode == 0, out.stdout
    assert "0 errors, 0 warnings" in out.stdout


def test_check_reports_every_mistake_with_position_and_exits_one(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("choices:", "choises:", 1)
                       .replace("date: 1941-04-14", "date: 1941-4-14", 1)})
    out = run("check", str(root))
    assert out.returncode == 1
    assert "ch1.yaml:7:5: error E204: unknown key 'choises' in a node" in out.stdout
    assert "hint: did you mean 'choices'?" in out.stdout
    assert "ch1.yaml:19:11: error E206" in out.stdout


def test_check_json_format(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("goto: b", "goto: bb", 1)})
    out = run("check", str(root), "--format", "json")
    data = json.loads(out.stdout)
    assert out.returncode == 1 and data["ok"] is False and data["errors"] == 1
    assert data["diagnostics"][0]["code"] == "E301" and data["diagnostics"][0]["line"] == 9


def test_check_never_shows_a_traceback_on_hostile_input(make_story: StoryMaker) -> None:
    root = make_story({"evil.yaml": b"\xff\xfe" + b"\x00garbage" * 100,
                       "deep.yaml": "x: " + "{a: " * 30000 + "}" * 30000})
    out = run("check", str(root))
    assert out.returncode == 1 and "Traceback" not in out.stderr + out.stdout


def test_check_does_not_import_textual() -> None:
    code = ("import sys; from moscow1941.cli import main; "
            "rc = main(['check', 'story']); print('TEXTUAL' if 'textual' in sys.modules else 'OK')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip().endswith("OK")
