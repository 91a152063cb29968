"""Subcommands for engines beyond one process: load (a graph store or a local store), serve."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from diplomacy_kg import graph, graphstore, server
from diplomacy_kg.cli.common import EXIT_OK, EXIT_USAGE, CliError
from diplomacy_kg.engines.factory import (
    add_connection_arguments,
    build_store,
    connection_from_arguments,
)


def register(subcommands: Any) -> None:
    """Add the load and serve subcommands to the parser."""
    load = subcommands.add_parser(
        "load",
        help="replace a graph on a SPARQL server (Graph Store Protocol) or build a local store",
        description=(
            "Push the graph (or the given Turtle/N-Triples files) to a server's graph store in "
            "one PUT that replaces the graph, or (re)build a persistent Oxigraph store that "
            "`query --store PATH` then reuses without re-parsing."
        ),
    )
    load.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="RDF files to load (default: the ontology and the curated data)",
    )
    target = load.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--graph-store",
        metavar="URL",
        help="the server's graph store address (/store on Oxigraph, /<dataset>/data on Fuseki)",
    )
    target.add_argument(
        "--store", type=Path, metavar="PATH", help="a local persistent Oxigraph store to (re)build"
    )
    load.add_argument(
        "--graph",
        metavar="IRI",
        help="with --graph-store: the named graph to replace (default: the default graph)",
    )
    add_connection_arguments(load)
    load.set_defaults(handler=run_load)

    serve = subcommands.add_parser(
        "serve",
        help="start an Oxigraph SPARQL server on 127.0.0.1 with the graph loaded",
    )
    serve.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="RDF files to serve (default: the ontology and the curated data)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=server.DEFAULT_PORT,
        help=f"port on 127.0.0.1 (default: {server.DEFAULT_PORT}; 0: any free port)",
    )
    serve.add_argument(
        "--store",
        type=Path,
        metavar="PATH",
        help="keep the server's data in this directory (default: in memory)",
    )
    serve.set_defaults(handler=run_serve)


def _files(arguments: argparse.Namespace) -> list[Path]:
    given: list[Path] = arguments.files
    for path in given:
        if not path.is_file():
            raise CliError(f"{path}: no such file", EXIT_USAGE)
    return given or graph.default_files()


def run_load(arguments: argparse.Namespace) -> int:
    """Replace a graph on a server, or rebuild a local Oxigraph store."""
    files = _files(arguments)
    if arguments.store is not None:
        if arguments.graph is not None:
            raise CliError("--graph is for --graph-store; a local store holds one graph")
        triples = build_store(arguments.store, files)
        print(f"built the Oxigraph store {arguments.store} ({triples} triples)")
        return EXIT_OK
    connection = connection_from_arguments(arguments)
    report = graphstore.load_files(
        arguments.graph_store,
        files,
        graph=arguments.graph,
        user=connection.user,
        password=connection.password,
        headers=connection.headers,
        timeout=connection.timeout,
    )
    where = f"<{arguments.graph}>" if arguments.graph else "the default graph"
    print(
        f"replaced {where} at {arguments.graph_store} with {report.triples} triples "
        f"(HTTP {report.status})"
    )
    return EXIT_OK


class _TerminatedError(Exception):
    """SIGTERM arrived: stop the server like Ctrl-C does."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _TerminatedError


def run_serve(arguments: argparse.Namespace) -> int:
    """Serve the graph over SPARQL on 127.0.0.1 until Ctrl-C or SIGTERM."""
    files = _files(arguments)
    if not 0 <= arguments.port <= 65535:
        raise CliError(f"--port {arguments.port}: not a TCP port")
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        instance = server.OxigraphServer(
            port=arguments.port or None,
            location=arguments.store,
        )
        instance.start()
    except server.ServerError as error:
        signal.signal(signal.SIGTERM, previous)
        raise CliError(str(error)) from error
    try:
        report = instance.load(files)
        print(f"serving {report.triples} triples with Oxigraph; query page: {instance.base_url}")
        print(f"  SPARQL endpoint: {instance.query_url}")
        print(f"  graph store:     {instance.store_url}")
        print("press Ctrl-C to stop", flush=True)
        code = instance.wait()
        raise CliError(f"the Oxigraph server stopped by itself (exit code {code})")
    except server.ServerError as error:
        raise CliError(str(error)) from error
    except (KeyboardInterrupt, _TerminatedError):
        print("stopping the server", file=sys.stderr)
        return EXIT_OK
    finally:
        instance.stop()
        signal.signal(signal.SIGTERM, previous)
