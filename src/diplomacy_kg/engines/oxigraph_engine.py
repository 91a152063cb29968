"""The default engine: Oxigraph embedded through pyoxigraph, in memory or in an on-disk store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from diplomacy_kg.engines import Engine, EngineError, ResultTable
from diplomacy_kg.engines.binding import inline_values


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term into the matching pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


_XSD_STRING = str(XSD.string)


def from_oxigraph(term: object) -> Node | None:
    """Convert a pyoxigraph term (or None) into the matching rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


_UNSEEN = object()


def _quads(graph: Graph) -> Iterable[ox.Quad]:
    for subject, predicate, obj in graph:
        yield ox.Quad(
            to_oxigraph(subject),  # type: ignore[arg-type]
            to_oxigraph(predicate),  # type: ignore[arg-type]
            to_oxigraph(obj),
            ox.DefaultGraph(),
        )


class OxigraphEngine(Engine):
    """Runs queries with Oxigraph, binding parameters through its substitutions."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def from_graph(cls, graph: Graph, store_path: Path | None = None) -> OxigraphEngine:
        """Load an rdflib graph into a new in-memory (or on-disk, emptied first) store."""
        store = ox.Store(str(store_path)) if store_path is not None else ox.Store()
        if store_path is not None:
            store.clear()
        store.bulk_extend(_quads(graph))
        store.flush()
        return cls(store)

    @classmethod
    def from_turtle_files(
        cls, files: Iterable[Path], store_path: Path | None = None
    ) -> OxigraphEngine:
        """Parse Turtle files straight into a store (faster than going through rdflib)."""
        store = ox.Store(str(store_path)) if store_path is not None else ox.Store()
        if store_path is not None:
            store.clear()
        for path in files:
            store.bulk_load(
                path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()
            )
        store.flush()
        return cls(store)

    @classmethod
    def open_store(cls, store_path: Path) -> OxigraphEngine:
        """Open an existing on-disk store without re-parsing anything."""
        return cls(ox.Store(str(store_path)))

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> ResultTable:
        """Run a SELECT or ASK query with the given variables pre-bound."""
        # Oxigraph's own substitutions bind only projected variables, hence a VALUES block.
        bound = inline_values(sparql, bindings or {})
        try:
            result = self.store.query(bound)
        except (SyntaxError, OSError, ValueError) as error:
            raise EngineError(f"Oxigraph could not run the query: {error}") from error
        if isinstance(result, ox.QueryBoolean):
            return ResultTable([], [], bool(result))
        if not isinstance(result, ox.QuerySolutions):
            raise EngineError("only SELECT and ASK queries are supported")
        variables = [v.value for v in result.variables]
        # A term repeats across rows (a state, a source, a class): convert each one once.
        converted: dict[object, Node | None] = {None: None}

        def convert(term: object) -> Node | None:
            known = converted.get(term, _UNSEEN)
            if known is _UNSEEN:
                known = converted[term] = from_oxigraph(term)
            return known  # type: ignore[return-value]

        rows = [tuple(convert(solution[v]) for v in variables) for solution in result]
        return ResultTable(variables, rows)
