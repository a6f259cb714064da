"""The JSON Schema of the story format, for editors, derived from `spec.py`.

Every object, field, type and line of documentation comes from the declarations the loader
checks against, so the schema cannot drift from the format. A few rules the loader checks in
code are added here by hand, each naming its diagnostic: an ending cannot also have choices and
`choices` cannot be empty (E209), `locked` needs `if` (E209), a history note needs a source
(E205), only int variables have bounds (E207).

The schema describes a file as a YAML-aware editor reads it. Like the loader, it accepts a
number or true/false where text is expected (`title: 1941`), YAML 1.1 booleans (`yes`, `on`),
and an empty value for an optional key. What a schema cannot know (a `goto` naming a node that
exists, an expression's types, a real calendar day) is left to `moscow1941 check`.

`story_schema("any")` is one schema for every file, choosing between the manifest and a chapter
file (`oneOf`: only a manifest has `id` and `title`); `"manifest"` and `"chapter"` give one each.
"""

from __future__ import annotations

from typing import Any

from moscow1941.story import spec
from moscow1941.story.expr import LIMIT, MAX_SOURCE

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:moscow1941:story-format-1"
KINDS = ("any", "manifest", "chapter")

_TEXT = {"type": ["string", "number", "boolean"]}
_YAML11_BOOLS = ["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"]
_ID = {"type": "string", "pattern": spec.IDENT, "not": {"enum": ["true", "false"]}}
_SCALARS: dict[str, dict[str, Any]] = {
    "str": _TEXT,
    "text": _TEXT,
    "int": {"type": "integer", "minimum": -LIMIT, "maximum": LIMIT},
    "number": {"type": "number", "minimum": 0, "maximum": 1_000_000},
    "bool": {"anyOf": [{"type": "boolean"}, {"enum": _YAML11_BOOLS}]},
    "date": {"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
             "examples": ["1941-04-13", "1941-04"]},
    "id": _ID,
    "condition": {"anyOf": [{"type": "string", "minLength": 1, "maxLength": MAX_SOURCE},
                            {"type": "boolean"}],
                  "examples": ["trust >= 2 and not no_pact"]},
    "effects": {"anyOf": [{"type": "string", "minLength": 1},
                          {"type": "array", "items": {"type": "string", "minLength": 1}}],
                "examples": ["trust += 1; no_pact = true"]},
    "any": {"type": ["string", "integer", "boolean"]},
}

# Rules the loader checks in code rather than by declaration; keyed by object name.
_EXTRA: dict[str, dict[str, Any]] = {
    "node": {"not": {"required": ["ending", "choices"],
                     "properties": {"ending": {"type": "object"}, "choices": {"type": "array"}}},
             "$comment": "E209: an ending cannot also have choices"},
    "choice": {"dependentRequired": {"locked": ["if"]},
               "$comment": "E209: 'locked' needs an 'if' condition"},
    "variable": {"if": {"properties": {"type": {"not": {"const": "int"}}}, "required": ["type"]},
                 "then": {"properties": {"min": {"type": "null"}, "max": {"type": "null"}}},
                 "$comment": "E207: only int variables have min and max"},
}
_LIST_MIN: dict[tuple[str, str], int] = {("node", "choices"): 1, ("history note", "sources"): 1}


def _slug(name: str) -> str:
    return name.replace(" ", "_")


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def of(self, s: spec.Spec, owner: str = "", key: str = "") -> dict[str, Any]:
        if isinstance(s, spec.Scalar):
            if s.kind == "enum":
                return {"enum": list(s.choices)}
            return dict(_SCALARS[s.kind])
        if isinstance(s, spec.ListOf):
            out: dict[str, Any] = {"type": "array", "items": self.of(s.item)}
            if (owner, key) in _LIST_MIN:
                out["minItems"] = _LIST_MIN[(owner, key)]
            return out
        if isinstance(s, spec.MapOf):
            return {"type": "object", "propertyNames": _ID, "additionalProperties": self.of(s.value)}
        if isinstance(s, spec.Passages):
            passage = self.of(spec.PASSAGE)
            return {"anyOf": [_TEXT, {"type": "array", "items": {"anyOf": [_TEXT, passage]}}]}
        return self.obj(s)

    def obj(self, obj: spec.Obj) -> dict[str, Any]:
        name = _slug(obj.name)
        if name not in self.defs:
            self.defs[name] = {}  # reserve the name first: objects may nest
            required = spec.required(obj)
            properties = {}
            for key, f in obj.fields.items():
                value = self.of(f.type, obj.name, key)
                if key not in required:
                    value = {"anyOf": [value, {"type": "null"}]}
                properties[key] = {**value, "description": f.doc}
            schema: dict[str, Any] = {
                "type": "object", "title": obj.name, "description": obj.doc,
                "properties": properties, "additionalProperties": False,
            }
            if required:
                schema["required"] = list(required)
            schema.update(_EXTRA.get(obj.name, {}))
            self.defs[name] = schema
        return {"$ref": f"#/$defs/{name}"}


def story_schema(kind: str = "any") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a story file: `any`, `manifest` or `chapter`."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    builder = _Builder()
    manifest, chapter = builder.obj(spec.MANIFEST), builder.obj(spec.CHAPTER)
    top: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID if kind == "any" else f"{SCHEMA_ID}:{kind}",
        "title": "Moscow 1941 story file" if kind == "any" else f"Moscow 1941 {kind}",
        "description": "A file of a Moscow 1941 story (format 1): the story.yaml manifest, or a "
                       "chapter file. See docs/story-format.md.",
    }
    if kind == "any":
        top["oneOf"] = [manifest, chapter]
    else:
        top.update(manifest if kind == "manifest" else chapter)
    top["$defs"] = dict(sorted(builder.defs.items()))
    return top
