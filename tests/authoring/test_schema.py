"""The JSON Schema accepts every shipped story file and rejects malformed ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from tests.conftest import CHAPTER, MANIFEST, REPO, SHIPPED_STORY

from moscow1941.story import spec
from moscow1941.story.schema import story_schema


class _EditorLoader(yaml.SafeLoader):
    """Reads YAML as an editor does: dates stay text."""


_EditorLoader.add_constructor("tag:yaml.org,2002:timestamp",
                              lambda loader, node: loader.construct_scalar(node))  # type: ignore[arg-type]


def data(text: str) -> Any:
    return yaml.load(text, Loader=_EditorLoader)  # noqa: S506 - a SafeLoader subclass


def errors(text: str, kind: str = "any") -> list[str]:
    """Every error message, including those inside anyOf/oneOf alternatives."""
    validator = jsonschema.Draft202012Validator(story_schema(kind))
    out: list[str] = []
    pending = list(validator.iter_errors(data(text)))
    while pending:
        error = pending.pop()
        out.append(error.message)
        pending.extend(error.context or ())
    return out


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    for kind in ("any", "manifest", "chapter"):
        jsonschema.Draft202012Validator.check_schema(story_schema(kind))


def test_every_shipped_story_file_is_valid() -> None:
    from moscow1941.story.load import is_translation_dir

    files = sorted(p for p in SHIPPED_STORY.rglob("*.yaml")
                   if not is_translation_dir(p.relative_to(SHIPPED_STORY).parts[0]))
    assert files
    for path in files:
        kind = "manifest" if path.name == "story.yaml" and path.parent == SHIPPED_STORY \
            else "chapter"
        text = path.read_text(encoding="utf-8")
        assert errors(text) == [], path
        assert errors(text, kind) == [], path


def test_the_documented_example_and_the_test_story_are_valid() -> None:
    doc = (REPO / "docs" / "story-format.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n# example/story.yaml\n", 1)[1].split("```", 1)[0]
    assert errors(example) == []
    assert errors(MANIFEST, "manifest") == [] and errors(CHAPTER, "chapter") == []


def test_every_field_of_the_spec_is_documented_in_the_schema() -> None:
    defs = story_schema()["$defs"]
    for obj in (spec.NODE, spec.CHOICE, spec.EVENT, spec.VARIABLE, spec.CAMPAIGN):
        props = defs[obj.name.replace(" ", "_")]["properties"]
        assert set(props) == set(obj.fields)
        assert all(props[k]["description"] == f.doc for k, f in obj.fields.items())


@pytest.mark.parametrize("text, fragment", [
    (CHAPTER.replace("choices:", "choises:", 1), "'choises' was unexpected"),
    (CHAPTER.replace("place: Moscow", "place: [Moscow]", 1), "is not valid"),
    (CHAPTER.replace("date: 1941-04-12", "date: 13 April 1941"), "does not match"),
    (CHAPTER.replace("kind: historical", "kind: heroic"), "is not valid"),
    (CHAPTER.replace("    title: Start\n", ""), "is not valid"),
    (CHAPTER.replace("    text: Done.\n", "    text: Done.\n    choices: [{text: x, goto: a}]\n"),
     "is not valid"),
    (CHAPTER.replace("      sources: [A source]", "      sources: []"), "is not valid"),
    ("nodes:\n  first-scene: {}\n", "is not valid"),
    ("- a list\n", "is not of type 'object'"),
])
def test_malformed_files_are_rejected(text: str, fragment: str) -> None:
    assert errors(text)  # by the schema for any file ...
    found = errors(text, "chapter")  # ... and, with the precise reason, by the chapter schema
    assert any(fragment in e for e in found), found


def test_manifest_without_id_is_rejected_and_chapters_cannot_have_one() -> None:
    assert errors(MANIFEST.replace("id: tiny\n", ""), "manifest")
    assert errors("id: x\nnodes: {}\n", "chapter")
    assert errors("chapter: One\nnodes: {}\n") == []


def test_bounds_on_a_bool_variable_are_rejected() -> None:
    assert errors("variables:\n  f: {type: bool, min: 0}\n")
    assert errors("variables:\n  f: {type: int, min: 0, max: 3}\n") == []


def test_schema_command_prints_the_same_schema(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "moscow1941", "schema", "--kind", "chapter",
                          "-o", str(tmp_path / "s.json")], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0
    assert json.loads((tmp_path / "s.json").read_text()) == story_schema("chapter")
