"""The command line: `moscow1941 [SUBCOMMAND] ...`, with `play` as the default.

Each subcommand is one module in `moscow1941.commands` with `HELP`, `configure(parser)` and
`run(args) -> int`. Modules are found by name, so adding a subcommand is adding a module; a
module imports its heavy dependencies inside `run`, so `check` never pays for Textual.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from moscow1941 import __version__, commands

DEFAULT = "play"


def _command_names() -> list[str]:
    """Module names in `moscow1941.commands` (one a subcommand), sorted."""
    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))


def _command_modules() -> dict[str, ModuleType]:
    return {name.replace("_", "-"): importlib.import_module(f"moscow1941.commands.{name}")
            for name in _command_names()}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moscow1941",
        description="Moscow 1941: interactive fiction about the Soviet-Japanese Neutrality Pact. "
                    f"With no subcommand, '{DEFAULT}' runs.")
    parser.add_argument("--version", action="version", version=f"moscow1941 {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    for name, module in _command_modules().items():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    known = {name.replace("_", "-") for name in _command_names()}
    if not args_list or (args_list[0] not in known and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, DEFAULT)
    args = parser.parse_args(args_list)
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
