"""Subcommands for engines beyond one process: load (a graph store or a local store), serve."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from diplomacy_kg import graph, graphstore, http, server
from diplomacy_kg.cli.common import EXIT_OK, EXIT_USAGE, CliError
from diplomacy_kg.cli.options import add_connection_arguments, connection_from_arguments
from diplomacy_kg.engines.factory import build_store
from diplomacy_kg.site import web


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
        help="serve the site and a read-only SPARQL endpoint on 127.0.0.1",
        description=(
            "Serve the graph's site (home page, stored queries, entity pages with content "
            "negotiation, the ontology, a SPARQL editor) and its SPARQL endpoint (/query) on "
            "127.0.0.1. Read-only unless --writable, which also opens /update and the Graph "
            "Store (/store) to same-origin writes, e.g. for `load --graph-store`."
        ),
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
        help=(
            "serve this on-disk store: built from the files if it is not there, else served "
            "as it is (`load --store` rebuilds it); default: a temporary store"
        ),
    )
    serve.add_argument(
        "--writable",
        action="store_true",
        help="accept SPARQL updates and Graph Store writes from this server's own origin",
    )
    serve.add_argument(
        "--query-timeout",
        type=float,
        default=web.DEFAULT_QUERY_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a query after this long (default: {web.DEFAULT_QUERY_TIMEOUT:g})",
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
        f"replaced {where} at {http.redact(arguments.graph_store)} with {report.triples} triples "
        f"(HTTP {report.status})"
    )
    return EXIT_OK


class _TerminatedError(Exception):
    """SIGTERM arrived: stop the server like Ctrl-C does."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _TerminatedError


def run_serve(arguments: argparse.Namespace) -> int:
    """Serve the site and the SPARQL endpoint on 127.0.0.1 until Ctrl-C or SIGTERM."""
    files = _files(arguments)
    if not 0 <= arguments.port <= 65535:
        raise CliError(f"--port {arguments.port}: not a TCP port")
    if not arguments.query_timeout > 0:
        raise CliError("--query-timeout must be a positive number of seconds")
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    instance = web.SiteServer(
        files,
        port=arguments.port,
        store=arguments.store,
        writable=arguments.writable,
        query_timeout=arguments.query_timeout,
    )
    try:
        instance.start()
        mode = "read-write" if arguments.writable else "read-only"
        print(f"serving {instance.triples} triples ({mode}); site: {instance.base_url}")
        print(f"  SPARQL endpoint: {instance.base_url}query")
        if arguments.writable:
            print(f"  graph store:     {instance.base_url}store")
        print("press Ctrl-C to stop", flush=True)
        instance.serve_forever()
        raise CliError("the Oxigraph server stopped by itself")
    except (KeyboardInterrupt, _TerminatedError):
        print("stopping the server", file=sys.stderr)
        return EXIT_OK
    finally:
        instance.close()
        signal.signal(signal.SIGTERM, previous)
