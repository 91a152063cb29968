"""Choosing an engine: Oxigraph (default; in memory or a persistent store), rdflib, or an endpoint.

`make_engine` is the Python API; every failure is an `EngineError` with one clear line naming the
parameter at fault. The command-line options that feed it live in `diplomacy_kg.cli.options`.

A persistent store (`store=PATH`) is built from the graph's files the first time, under a lock
(see `diplomacy_kg.engines.store`), and opened read-only afterwards, without re-parsing;
`build_store` rebuilds it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diplomacy_kg import graph as graph_module
from diplomacy_kg.engines import ENGINE_NAMES, ENGINES, Engine, EngineError
from diplomacy_kg.engines import store as store_module
from diplomacy_kg.engines.endpoint import EndpointEngine
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine
from diplomacy_kg.engines.rdflib_engine import RdflibEngine
from diplomacy_kg.limits import DEFAULT_TIMEOUT_SECONDS, check_timeout

DEFAULT_ENGINE = "oxigraph"


@dataclass(frozen=True)
class Connection:
    """How to talk to a remote server: credentials, extra headers, timeout."""

    user: str | None = None
    password: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT_SECONDS


def _input_files(files: Sequence[Path] | None) -> list[Path]:
    return list(files) if files is not None else graph_module.default_files()


def _parse_into_oxigraph(
    files: Sequence[Path], store: Path | None, timeout: float | None = None
) -> OxigraphEngine:
    try:
        engine = OxigraphEngine.from_turtle_files(files, store)
    except (SyntaxError, MemoryError) as error:  # MemoryError: a token over Oxigraph's 16 MiB
        raise EngineError(_syntax_error_line(files, error)) from error
    except (OSError, RuntimeError) as error:
        raise EngineError(f"cannot build the Oxigraph store: {error}") from error
    engine.timeout = timeout
    return engine


def _syntax_error_line(files: Sequence[Path], error: Exception) -> str:
    # Oxigraph's message does not name the file; rdflib's loader finds it with line and column.
    for path in files:
        try:
            graph_module.parse_turtle_file(path)
        except graph_module.RdfParseError as located:
            return str(located)
    return str(error).splitlines()[0]


def build_store(store: Path, files: Sequence[Path] | None = None) -> int:
    """(Re)build a persistent Oxigraph store from the files; return its number of triples.

    The new store is built beside the old one under an exclusive lock and swapped in only when
    complete, so a failed or killed build leaves the previous store as it was.
    """
    chosen = _input_files(files)
    return store_module.build(store, lambda staging: _parse_into_oxigraph(chosen, staging))


def _embedded(
    kind: str, store: Path | None, files: Sequence[Path] | None, timeout: float | None
) -> Engine:
    engine_class = ENGINES[kind]
    if engine_class is RdflibEngine:
        if store is not None:
            raise EngineError("store is for the Oxigraph engine, not rdflib")
        return RdflibEngine(graph_module.load_graph(files), timeout=timeout)
    if store is None:
        return _parse_into_oxigraph(_input_files(files), None, timeout)
    chosen = _input_files(files)
    engine = store_module.open_shared(store, lambda staging: _parse_into_oxigraph(chosen, staging))
    engine.timeout = timeout
    return engine


def make_engine(
    kind: str | None = None,
    *,
    store: Path | None = None,
    endpoint: str | None = None,
    graph: str | None = None,
    connection: Connection | None = None,
    files: Sequence[Path] | None = None,
    timeout: float | None = None,
) -> Engine:
    """Return an engine: Oxigraph by default, rdflib, or the SPARQL endpoint at `endpoint`.

    `timeout` bounds each query of an embedded engine (an endpoint takes its timeout from
    `connection`); None leaves embedded queries unbounded.
    """
    if timeout is not None:
        check_timeout(timeout)
    if endpoint is not None:
        if kind is not None:
            raise EngineError("give either an engine kind or an endpoint, not both")
        if store is not None:
            raise EngineError("store is for the embedded Oxigraph engine, not an endpoint")
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
        raise EngineError("graph names a graph on a server: use it with an endpoint")
    kind = kind or DEFAULT_ENGINE
    if kind not in ENGINE_NAMES or kind not in ENGINES:
        raise EngineError(f"unknown engine {kind!r}: choose one of {', '.join(ENGINE_NAMES)}")
    return _embedded(kind, store, files, timeout)
