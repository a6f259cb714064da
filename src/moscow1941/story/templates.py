"""Scene text as the loader compiles it: paragraphs, and `{variable}` holes split once into
literal and variable parts (`Template`), so that rendering a scene is one string format."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from moscow1941.story import spec
from moscow1941.story.diagnostics import did_you_mean
from moscow1941.story.expr import VarInfo
from moscow1941.story.model import Template

_IDENT = re.compile(spec.IDENT)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_HOLE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")

Report = Callable[[int, str, str, str], None]
"""Told of a mistake in a text: (offset in the text, code, message, hint)."""


def split_paragraphs(text: str) -> list[str]:
    """Split on blank lines; single line breaks inside a paragraph fold to spaces."""
    return [" ".join(line.strip() for line in para.splitlines())
            for para in _PARAGRAPH_BREAK.split(text.strip()) if para.strip()]


def plain_template(text: str) -> Template:
    """A text with no holes."""
    return Template(source=text, parts=(text,), names=(None,))


def compile_template(text: str, variables: Mapping[str, VarInfo], room: Callable[[], bool],
                     report: Report) -> Template:
    """`text` split into literal parts and the names of its `{variable}` holes (`{{` and `}}`
    are literal braces). A hole that is not a known variable is reported (E406) while `room()`
    says more may be, and left out of the template either way. Where no hole shows a bool (a
    bool reads as yes/no, which `str.format` cannot do), the template also gets a `str.format`
    pattern, so that rendering it is one C call."""
    if "{" not in text and "}" not in text:
        return plain_template(text)
    parts: list[str] = []
    names: list[str | None] = []
    pos = 0
    literal: list[str] = []
    for m in _HOLE.finditer(text):
        literal.append(text[pos:m.start()])
        pos = m.end()
        token = m.group(0)
        if token in ("{{", "}}"):
            literal.append(token[0])
            continue
        name = m.group(1)
        if not room() and (name is None or name.strip() not in variables):
            continue
        if name is None or not _IDENT.match(name.strip()):
            report(m.start(), "E406", f"'{token}' is not a {{variable}}",
                   "write {name} to show a variable, {{ or }} for a brace")
            continue
        name = name.strip()
        if name not in variables:
            report(m.start(), "E406", f"unknown variable '{{{name}}}' in text",
                   did_you_mean(name, variables))
            continue
        parts.append("".join(literal))
        names.append(name)
        literal = []
    literal.append(text[pos:])
    parts.append("".join(literal))
    names.append(None)
    pattern = ""
    if all(n is None or variables[n].type != "bool" for n in names):
        pattern = "".join(p.replace("{", "{{").replace("}", "}}") + (f"{{{n}}}" if n else "")
                          for p, n in zip(parts, names, strict=True))
    return Template(source=text, parts=tuple(parts), names=tuple(names), pattern=pattern)
