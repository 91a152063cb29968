"""Choosing an engine: Oxigraph (default; in memory or a persistent store), rdflib, or an endpoint.

`make_engine` is the Python API; `add_engine_arguments` and `engine_from_arguments` give every
subcommand the same options (`--engine`, `--store`, `--endpoint`, `--graph`, `--user`,
`--password`, `--header`, `--timeout`). Every failure is an `EngineError` with one clear line.

A persistent store (`--store PATH`) is built from the graph's files the first time and reused
as it is afterwards, without re-parsing; `diplomacy-kg load --store PATH` rebuilds it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diplomacy_kg import graph as graph_module
from diplomacy_kg.engines import ENGINE_NAMES, Engine, EngineError
from diplomacy_kg.engines.endpoint import DEFAULT_TIMEOUT_SECONDS, EndpointEngine
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine
from diplomacy_kg.engines.rdflib_engine import RdflibEngine

DEFAULT_ENGINE = "oxigraph"
PASSWORD_ENVIRONMENT_VARIABLE = "DIPLOMACY_KG_PASSWORD"


@dataclass(frozen=True)
class Connection:
    """How to talk to a remote server: credentials, extra headers, timeout."""

    user: str | None = None
    password: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT_SECONDS


def _input_files(files: Sequence[Path] | None) -> list[Path]:
    return list(files) if files is not None else graph_module.default_files()


def _is_store(path: Path) -> bool:
    return (path / "CURRENT").is_file()  # every RocksDB directory has one


def _open_oxigraph(store: Path | None, files: Sequence[Path] | None) -> Engine:
    if store is None:
        return _parse_into_oxigraph(_input_files(files), None)
    if store.exists() and not store.is_dir():
        raise EngineError(f"{store}: not a directory, so not an Oxigraph store")
    if store.is_dir() and any(store.iterdir()) and not _is_store(store):
        raise EngineError(f"{store}: a non-empty directory that is not an Oxigraph store")
    if not _is_store(store):
        build_store(store, files)
    try:
        return OxigraphEngine.open_store(store)
    except OSError as error:
        raise EngineError(
            f"{store}: cannot open the Oxigraph store (is another process using it?): {error}"
        ) from error


def _parse_into_oxigraph(files: Sequence[Path], store: Path | None) -> OxigraphEngine:
    try:
        return OxigraphEngine.from_turtle_files(files, store)
    except SyntaxError as error:
        raise EngineError(_syntax_error_line(files, error)) from error
    except OSError as error:
        raise EngineError(f"cannot build the Oxigraph store: {error}") from error


def _syntax_error_line(files: Sequence[Path], error: SyntaxError) -> str:
    # Oxigraph's message does not name the file; rdflib's loader finds it with line and column.
    for path in files:
        try:
            graph_module.parse_turtle_file(path)
        except graph_module.RdfParseError as located:
            return str(located)
    return str(error).splitlines()[0]


def build_store(store: Path, files: Sequence[Path] | None = None) -> int:
    """(Re)build a persistent Oxigraph store from the files; return its number of triples.

    The new store is built beside the old one and swapped in only when complete, so a failed
    build leaves the previous store as it was.
    """
    store = store.resolve()
    if store.exists() and not _is_store(store) and any(store.iterdir()):
        raise EngineError(f"{store}: a non-empty directory that is not an Oxigraph store")
    store.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{store.name}.new-", dir=store.parent))
    try:
        engine = _parse_into_oxigraph(_input_files(files), staging)
        triples = len(engine.store)
        del engine  # closes the store, so its directory can move
        retired = store.with_name(f".{store.name}.old-{os.getpid()}")
        if store.exists():
            store.rename(retired)
        staging.rename(store)
        shutil.rmtree(retired, ignore_errors=True)
        return triples
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def make_engine(
    kind: str | None = None,
    *,
    store: Path | None = None,
    endpoint: str | None = None,
    graph: str | None = None,
    connection: Connection | None = None,
    files: Sequence[Path] | None = None,
) -> Engine:
    """Return an engine: Oxigraph by default, rdflib, or the SPARQL endpoint at `endpoint`."""
    if endpoint is not None:
        if kind is not None:
            raise EngineError("give either --engine or --endpoint, not both")
        if store is not None:
            raise EngineError("--store is for the embedded Oxigraph engine, not an endpoint")
        settings = connection or Connection()
        return EndpointEngine(
            endpoint,
            graph=graph,
            user=settings.user,
            password=settings.password,
            headers=settings.headers,
            timeout=settings.timeout,
        )
    if graph is not None:
        raise EngineError("--graph names a graph on a server: use it with --endpoint")
    kind = kind or DEFAULT_ENGINE
    if kind not in ENGINE_NAMES:
        raise EngineError(f"unknown engine {kind!r}: choose one of {', '.join(ENGINE_NAMES)}")
    if kind == "rdflib":
        if store is not None:
            raise EngineError("--store is for the Oxigraph engine, not rdflib")
        try:
            return RdflibEngine(graph_module.load_graph(files))
        except graph_module.RdfParseError as error:
            raise EngineError(str(error)) from error
    return _open_oxigraph(store, files)


def parse_header(text: str) -> tuple[str, str]:
    """Split a `Name: value` header given on the command line."""
    name, separator, value = text.partition(":")
    if not separator or not name.strip() or any(c.isspace() for c in name.strip()):
        raise EngineError(f"{text!r} is not a header: write it as 'Name: value'")
    return name.strip(), value.strip()


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
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help="give up after this many seconds (default: 60)",
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
    if arguments.timeout is not None and arguments.timeout <= 0:
        raise EngineError("--timeout must be a positive number of seconds")
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
    )
