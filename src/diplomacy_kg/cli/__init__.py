"""The `diplomacy-kg` command: thin argument parsing over the package's API.

Each module of this package registers the subcommands of one concern; nothing imports the CLI.
Exit codes: 0 ok, 1 violations or failed checks, 2 bad input, usage or an unreachable service.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from types import ModuleType

from diplomacy_kg.errors import EXIT_USAGE, DiplomacyKgError

# The modules of this package that register subcommands, in the order `--help` lists them.
COMMAND_MODULES = (
    "core",
    "export",
    "engines",
    "queries",
    "sparql",
    "site",
    "plot",
    "claims",
    "wikidata",
    "ingest",
    "review",
)
# Subcommand -> its module: running a command imports only that module (and what it imports),
# so a query does not pay for pyshacl or the Wikidata client. A command missing here still
# works, through the full parser; tests/test_cli_startup.py checks that each entry is right.
COMMANDS = {
    "build": "core",
    "validate": "core",
    "stats": "core",
    "tables": "core",
    "export": "export",
    "release": "export",
    "load": "engines",
    "serve": "engines",
    "queries": "queries",
    "query": "queries",
    "sparql": "sparql",
    "site": "site",
    "plot": "plot",
    "claims": "claims",
    "wikidata": "wikidata",
    "ingest": "ingest",
    "review": "review",
}


class _VersionAction(argparse.Action):
    # `--version` reads the installed metadata only when asked (importlib.metadata is slow).
    def __call__(self, parser: argparse.ArgumentParser, *_: object, **__: object) -> None:
        from diplomacy_kg import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()


def _module(name: str) -> ModuleType:
    return import_module(f"diplomacy_kg.cli.{name}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser: every subcommand, or only the module that registers `command`."""
    parser = argparse.ArgumentParser(
        prog="diplomacy-kg",
        description="A knowledge graph of diplomatic relations: build, validate, query, export.",
    )
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, help="show the version and exit"
    )
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    names = [COMMANDS[command]] if command in COMMANDS else list(COMMAND_MODULES)
    for name in names:
        _module(name).register(subcommands)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    # The subcommand is the first argument when no global option comes before it.
    return argv[0] if argv and not argv[0].startswith("-") else None


def _for_the_command_line(error: DiplomacyKgError) -> str:
    """Name the input an error is about by its flag: each library parameter is `--its-name`."""
    if getattr(error, "field", None) is None:
        return str(error)
    return f"--{str(error.field).replace('_', '-')}: {error.detail}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    arguments_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_of(arguments_list))
    try:
        arguments = parser.parse_args(arguments_list)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    try:
        return int(arguments.handler(arguments))
    except DiplomacyKgError as error:  # every library error, and the CLI's own
        print(f"diplomacy-kg: error: {_for_the_command_line(error)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("diplomacy-kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as error:  # the last net: a file or socket the library did not expect
        print(f"diplomacy-kg: error: {describe_os_error(error)}", file=sys.stderr)
        return EXIT_USAGE


def describe_os_error(error: OSError) -> str:
    """Name the file and the reason of an operating-system error in one line."""
    reason = error.strerror or str(error).strip().split("\n", 1)[0] or type(error).__name__
    if error.filename is not None:
        return f"{error.filename}: {reason}"
    return reason


if __name__ == "__main__":
    sys.exit(main())
