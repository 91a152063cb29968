"""The `sparql` subcommand: run one's own SPARQL on any engine, with the project's prefixes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from diplomacy_kg import adhoc
from diplomacy_kg.cli.common import EXIT_OK, CliError
from diplomacy_kg.cli.options import add_engine_arguments, engine_from_arguments
from diplomacy_kg.cli.queries import FORMATS, format_rows
from diplomacy_kg.export import serialize_jsonld, serialize_turtle


def register(subcommands: Any) -> None:
    """Add the sparql subcommand to the parser."""
    sparql = subcommands.add_parser(
        "sparql",
        help="run your own SPARQL query (the project's prefixes are declared)",
        description=(
            "Run a SELECT, ASK, CONSTRUCT or DESCRIBE query given inline, with --file, or as "
            "`-` on standard input. The project's prefixes (dip:, id:, wd:, schema:, prov:, "
            "rdfs:, xsd: …; see --prefixes) are declared. CONSTRUCT and DESCRIBE print Turtle "
            "(JSON-LD with --format json). Updates are refused unless --allow-update is given "
            "with --store."
        ),
    )
    sparql.add_argument("query", nargs="?", metavar="QUERY", help="the query text, or - for stdin")
    sparql.add_argument("--file", type=Path, metavar="FILE", help="read the query from a file")
    sparql.add_argument(
        "--format", choices=FORMATS, default="table", help="table (default), csv, tsv or json"
    )
    sparql.add_argument(
        "--prefixes", action="store_true", help="print the declared prefixes and exit"
    )
    sparql.add_argument(
        "--allow-update",
        action="store_true",
        help="allow a SPARQL UPDATE; it changes only the local store given with --store",
    )
    add_engine_arguments(sparql)
    sparql.set_defaults(handler=run_sparql)


def _query_text(arguments: argparse.Namespace) -> str:
    if arguments.file is not None and arguments.query is not None:
        raise CliError("give the query inline, as -, or with --file: not two of them")
    if arguments.file is not None:
        try:
            return Path(arguments.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise CliError(f"{arguments.file}: cannot read: {reason}") from error
    if arguments.query == "-":
        return sys.stdin.read()
    if arguments.query is None:
        raise CliError("no query: give it inline, as - (stdin) or with --file")
    return str(arguments.query)


def run_sparql(arguments: argparse.Namespace) -> int:
    """Run an ad-hoc query and print its answer."""
    if arguments.prefixes:
        sys.stdout.write(adhoc.prefix_block())
        return EXIT_OK
    text = _query_text(arguments)
    if arguments.allow_update and arguments.store is None:
        raise CliError("--allow-update needs --store PATH: only a local store may be changed")
    answer = adhoc.run_sparql(
        text,
        lambda: engine_from_arguments(arguments),
        timeout=arguments.timeout,
        allow_update=arguments.allow_update,
        store=arguments.store,
    )
    sys.stdout.write(render(answer, arguments.format))
    return EXIT_OK


def render(answer: adhoc.Answer, form: str) -> str:
    """Render an answer: rows in the chosen format, a boolean, a graph as Turtle or JSON-LD."""
    if answer.form == "update":
        return answer.message + "\n"
    if answer.graph is not None:
        data = serialize_jsonld(answer.graph) if form == "json" else serialize_turtle(answer.graph)
        return data.decode("utf-8")
    if answer.form == "ask":
        value = bool(answer.boolean)
        if form == "json":
            return json.dumps({"boolean": value}) + "\n"
        return ("true" if value else "false") + "\n"
    return format_rows(answer.columns, answer.rows, form)
