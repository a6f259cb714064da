"""Print a pip constraints file that pins every dependency in pyproject.toml to its lower bound.

Run by `.ci/run` (`python .ci/lower_bounds.py > lower.txt`, then `pip install -c lower.txt
-e '.[test]'`), so CI also tests the oldest versions the project says it supports. Each
requirement of `[project] dependencies` and of every `[project.optional-dependencies]` group
with a `>=` (or `==`, `~=`) bound becomes `name==bound`; one without a lower bound is left to
pip. Requirements that do not apply here (an environment marker) are skipped. Exits 1, naming
it, when a requirement cannot be read.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def lower_bounds(pyproject: dict[str, object]) -> dict[str, str]:
    """The lower bound of each requirement that has one, by its normalised name."""
    project = pyproject["project"]
    assert isinstance(project, dict)
    lines = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        lines.extend(group)
    pins: dict[str, str] = {}
    for line in lines:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": "test"}):
            continue
        bounds = [s.version for s in requirement.specifier if s.operator in (">=", "==", "~=")]
        if bounds:
            name = requirement.name.lower().replace("_", "-")
            pins[name] = str(max(Version(v) for v in bounds))
    return pins


def main() -> int:
    try:
        pins = lower_bounds(tomllib.loads(PYPROJECT.read_text(encoding="utf-8")))
    except (InvalidRequirement, KeyError, ValueError) as exc:
        print(f"{PYPROJECT}: {exc}", file=sys.stderr)
        return 1
    for name, version in sorted(pins.items()):
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
