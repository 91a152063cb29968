"""The reference engine: rdflib's SPARQL implementation over an in-memory graph."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import Graph, Variable
from rdflib.query import Result
from rdflib.term import Identifier

from diplomacy_kg.engines import Engine, EngineError, ResultTable, run_with_timeout

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query


@lru_cache(maxsize=512)
def _prepared(sparql: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    # Parsing is most of rdflib's cost on a small graph (~0.13 s a query); a stored query is
    # parsed once per text and the prefixes the graph declares (which rdflib lets it use).
    from rdflib.plugins.sparql import prepareQuery  # ~60 ms: only when rdflib runs a query

    return prepareQuery(sparql, initNs=dict(namespaces))


class RdflibEngine(Engine):
    """Runs queries with rdflib, binding parameters through `initBindings`."""

    name = "rdflib"

    def __init__(self, graph: Graph, *, timeout: float | None = None) -> None:
        self.graph = graph
        self.timeout = timeout

    def explain(self, sparql: str, bindings: Mapping[str, Identifier]) -> str:
        """Return the query with its bindings listed as rdflib's `initBindings`."""
        bound = "".join(
            f"# initBindings: ?{name} = {term.n3()}\n" for name, term in sorted(bindings.items())
        )
        return bound + sparql

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> ResultTable:
        """Run a SELECT or ASK query with the given variables pre-bound."""
        return run_with_timeout(lambda: self._evaluate(sparql, bindings), self.timeout, "rdflib")

    def _evaluate(self, sparql: str, bindings: Mapping[str, Identifier] | None) -> ResultTable:
        initial = {Variable(name): term for name, term in (bindings or {}).items()}
        # rdflib's annotation says str keys, but it documents and accepts Variable keys.
        namespaces = tuple(sorted((prefix, str(iri)) for prefix, iri in self.graph.namespaces()))
        try:
            prepared = _prepared(sparql, namespaces)
            result: Result = self.graph.query(prepared, initBindings=initial)  # type: ignore[arg-type]
        except Exception as error:  # rdflib raises pyparsing and assorted errors
            raise EngineError(f"rdflib could not run the query: {error}") from error
        if result.type == "ASK":
            return ResultTable([], [], bool(result.askAnswer))
        variables = [str(v) for v in (result.vars or [])]
        try:
            rows = [tuple(row) for row in result]  # type: ignore[arg-type]
        except Exception as error:  # rdflib evaluates lazily: errors surface while iterating
            raise EngineError(f"rdflib could not run the query: {error}") from error
        return ResultTable(variables, rows)  # type: ignore[arg-type]
