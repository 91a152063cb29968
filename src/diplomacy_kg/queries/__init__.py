"""Stored SPARQL queries: the catalogue, parameter resolution, and running them to typed rows.

The package's parts: `stored` (the `queries/*.rq` files and their `#+` headers),
`parameters` (a user's values resolved into RDF terms, bound by the engine, never pasted into
the text) and `results` (typed rows with their completeness). This module runs them.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib.term import Identifier

from diplomacy_kg import coverage
from diplomacy_kg.dates import RULE_TEXT
from diplomacy_kg.engines import Engine, ResultTable
from diplomacy_kg.queries.parameters import (
    bind_parameters,
    engine_bindings,
    parse_date,
    resolve_entity,
    resolve_parameters,
    resolve_value,
)
from diplomacy_kg.queries.results import (
    DATE_PRECISION_ROLES,
    QueryResult,
    json_value,
    precision_columns,
    typed_rows,
)
from diplomacy_kg.queries.stored import (
    COLUMN_ROLES,
    PARAMETER_TYPES,
    CatalogueError,
    Parameter,
    ParameterError,
    StoredQuery,
    catalogue,
    get_query,
    load_query,
    parse_header,
)
from diplomacy_kg.values import Value, to_value

__all__ = [
    "AS_OF_RULE",
    "COLUMN_ROLES",
    "DATE_PRECISION_ROLES",
    "PARAMETER_TYPES",
    "CatalogueError",
    "Parameter",
    "ParameterError",
    "QueryResult",
    "StoredQuery",
    "Value",
    "bind_parameters",
    "catalogue",
    "default_engine",
    "engine_bindings",
    "explain",
    "get_query",
    "json_value",
    "load_query",
    "parse_date",
    "parse_header",
    "precision_columns",
    "resolve_entity",
    "resolve_parameters",
    "resolve_value",
    "run_query",
    "run_stored",
    "to_value",
    "typed_rows",
]

AS_OF_RULE = RULE_TEXT
"""How every "as of" query reads dates; each such query's `as-of` header says exactly this."""

_DEFAULT_ENGINE: list[Engine] = []


def default_engine() -> Engine:
    """Return the default engine: Oxigraph in memory over the curated graph (built once)."""
    if not _DEFAULT_ENGINE:
        from diplomacy_kg.engines.factory import make_engine

        _DEFAULT_ENGINE.append(make_engine())
    return _DEFAULT_ENGINE[0]


def explain(query: StoredQuery, bindings: Mapping[str, Identifier], engine: Engine) -> str:
    """Return the query as the engine will run it, with its parameters bound."""
    return engine.explain(query.text, bindings)


def run_stored(
    query: StoredQuery, engine: Engine | None = None, params: Mapping[str, object] | None = None
) -> QueryResult:
    """Run a stored query with the given parameter values and return typed rows."""
    chosen = engine if engine is not None else default_engine()
    bindings, days = resolve_parameters(query, params or {}, chosen)
    table: ResultTable = chosen.query(query.text, engine_bindings(query, bindings, days))
    columns = list(table.variables)
    if columns != list(query.columns):
        raise CatalogueError(
            f"{query.path}: the header declares columns {list(query.columns)} "
            f"but the query returns {columns}"
        )
    rows = typed_rows(columns, table.values(), query.roles)
    completeness, rows = coverage.assess(chosen, query.notes, bindings, days, rows)
    return QueryResult(query, columns, rows, table, bindings, completeness)


def run_query(name: str, engine: Engine | None = None, **params: object) -> QueryResult:
    """Run the stored query `name` (default engine: Oxigraph over the graph) with parameters."""
    return run_stored(get_query(name), engine, params)
