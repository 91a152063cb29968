"""The `diplomacy-kg` command: thin argument parsing over the package's API.

Each module of this package registers the subcommands of one concern; nothing imports the CLI.
Exit codes: 0 ok, 1 violations or failed checks, 2 bad input, usage or an unreachable service.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from diplomacy_kg import __version__
from diplomacy_kg.cli import (
    claims,
    core,
    engines,
    export,
    ingest,
    plot,
    queries,
    review,
    site,
    sparql,
    wikidata,
)
from diplomacy_kg.errors import EXIT_USAGE, DiplomacyKgError

COMMAND_MODULES = [
    core,
    export,
    engines,
    queries,
    sparql,
    site,
    plot,
    claims,
    wikidata,
    ingest,
    review,
]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="diplomacy-kg",
        description="A knowledge graph of diplomatic relations: build, validate, query, export.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    try:
        return int(arguments.handler(arguments))
    except DiplomacyKgError as error:  # every library error, and the CLI's own
        print(f"diplomacy-kg: error: {error}", file=sys.stderr)
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
