"""The engine and server-connection options every subcommand shares, and what they build.

`add_engine_arguments` gives a subcommand `--engine`, `--store`, `--endpoint`, `--graph` and the
connection options (`--user`, `--password`, `--header`, `--timeout`); `engine_from_arguments`
turns the parsed options into an engine through `diplomacy_kg.engines.factory.make_engine`.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Sequence
from pathlib import Path

from diplomacy_kg import http
from diplomacy_kg.engines import ENGINE_NAMES, Engine
from diplomacy_kg.engines.factory import Connection, make_engine
from diplomacy_kg.limits import DEFAULT_TIMEOUT_SECONDS

PASSWORD_ENVIRONMENT_VARIABLE = "DIPLOMACY_KG_PASSWORD"


def seconds(text: str) -> float:
    """Parse a `--timeout` value: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a positive number of seconds")
    return value


def parse_header(text: str) -> tuple[str, str]:
    """Split a `Name: value` header given on the command line, refusing what HTTP cannot send."""
    name, separator, value = text.partition(":")
    if not separator:
        raise http.HttpError(f"--header {text!r} is not a header: write it as 'Name: value'")
    try:
        return http.check_header(name.strip(), value.strip())
    except http.HttpError as error:
        raise http.HttpError(f"--header: {error}") from error


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options for talking to a server: credentials, headers, timeout."""
    group = parser.add_argument_group("server connection")
    group.add_argument("--user", help="user name for HTTP basic authentication")
    group.add_argument(
        "--password",
        help=f"password for HTTP basic authentication (default: ${PASSWORD_ENVIRONMENT_VARIABLE})",
    )
    group.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="an extra HTTP header to send (repeatable)",
    )
    group.add_argument(
        "--timeout",
        type=seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"give up after this many seconds (default: {DEFAULT_TIMEOUT_SECONDS:g})",
    )


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the engine-selection options to a subcommand's parser."""
    group = parser.add_argument_group("engine")
    group.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        default=None,
        help="embedded engine (default: oxigraph; rdflib is the reference)",
    )
    group.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="PATH",
        help="persistent Oxigraph store: built on first use, then reused",
    )
    group.add_argument(
        "--endpoint",
        metavar="URL",
        help="query a SPARQL 1.1 endpoint instead of an embedded engine",
    )
    group.add_argument(
        "--graph",
        metavar="IRI",
        help="with --endpoint: the named graph to query (default-graph-uri)",
    )
    add_connection_arguments(parser)


def connection_from_arguments(arguments: argparse.Namespace) -> Connection:
    """Read the connection options (credentials, headers, timeout) from parsed arguments."""
    password = arguments.password
    if arguments.user is not None and password is None:
        password = os.environ.get(PASSWORD_ENVIRONMENT_VARIABLE, "")
    headers = dict(parse_header(text) for text in arguments.header or [])
    return Connection(arguments.user, password, headers, arguments.timeout)


def engine_from_arguments(
    arguments: argparse.Namespace, files: Sequence[Path] | None = None
) -> Engine:
    """Build the engine the parsed command-line options ask for."""
    return make_engine(
        arguments.engine,
        store=arguments.store,
        endpoint=arguments.endpoint,
        graph=arguments.graph,
        connection=connection_from_arguments(arguments),
        files=files,
        timeout=arguments.timeout,
    )
