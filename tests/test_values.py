"""Typed values of result terms: Oxigraph's direct reading gives what the rdflib route gives.

`OxigraphTable.values()` reads common datatypes straight from pyoxigraph terms instead of
building rdflib terms first; these tests hold it to `values.to_value(from_oxigraph(term))` on
every term of the curated graph and on lexical forms chosen to trip a direct reading.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from diplomacy_kg import graph, queries
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines.oxigraph_engine import (
    OxigraphEngine,
    OxigraphTable,
    from_oxigraph,
    value_of,
)
from diplomacy_kg.values import to_value

XSD = "http://www.w3.org/2001/XMLSchema#"


def _typed(lexical: str, datatype: str) -> ox.Literal:
    return ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))


EDGE_CASES = [
    ox.NamedNode("https://w3id.org/diplomacy-kg/id/state/KOR"),
    ox.BlankNode("b0"),
    ox.Literal("plain"),
    ox.Literal("Seúl", language="es"),
    ox.Literal("Seoul", language="en-GB"),
    _typed("https://example.org/a", "anyURI"),
    *(_typed(day, "date") for day in ("2024-02-14", "2023-02-30", "0000-01-01", "1949-1-1")),
    *(_typed(day, "date") for day in ("2024-02-14Z", "2024-02-14+09:00", "-0044-03-15")),
    *(_typed(day, "date") for day in ("20240214", "2024-W07-3", " 2024-02-14", "")),
    *(_typed(number, "integer") for number in ("7", "+5", "-0", "007", "1e3", " 5", "١٢", "")),
    *(_typed(flag, "boolean") for flag in ("true", "false", "1", "0", "TRUE", "yes")),
    _typed("1949", "gYear"),
    _typed("1992-03", "gYearMonth"),
    _typed("2.50", "decimal"),
    _typed("1.5E2", "double"),
    _typed("2024-02-14T10:00:00Z", "dateTime"),
    _typed("42", "nonNegativeInteger"),
    _typed("x", "token"),
    ox.Literal("odd", datatype=ox.NamedNode("https://example.org/datatype")),
]


def _same(term: object) -> None:
    expected = to_value(from_oxigraph(term))
    got = value_of(term)
    assert type(got) is type(expected), term
    assert got == expected, term


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # rdflib's, on "yes"
@pytest.mark.parametrize("term", EDGE_CASES, ids=str)
def test_a_direct_reading_equals_the_rdflib_route(term: object) -> None:
    _same(term)


def test_every_term_of_the_curated_graph_reads_the_same() -> None:
    store = OxigraphEngine.from_turtle_files(graph.default_files()).store
    terms = {term for quad in store for term in (quad.subject, quad.predicate, quad.object)}
    literals = [term for term in terms if isinstance(term, ox.Literal)]
    assert len(literals) > 1000 and any(t.datatype.value == XSD + "date" for t in literals)
    for term in terms:
        _same(term)


def test_the_common_datatypes_read_as_python_values() -> None:
    assert value_of(_typed("2024-02-14", "date")) == PartialDate(date(2024, 2, 14))
    assert value_of(_typed("+5", "integer")) == 5
    assert value_of(_typed("true", "boolean")) is True
    assert value_of(_typed("2.50", "decimal")) == Decimal("2.50")
    # rdflib leaves an xsd:gYear as the literal itself; a row holds its text instead.
    assert type(value_of(_typed("1949", "gYear"))) is str
    assert value_of(None) is None


def test_an_iri_is_built_as_rdflib_builds_it() -> None:
    iri = from_oxigraph(ox.NamedNode("https://example.org/a"))
    assert type(iri) is URIRef
    assert iri == URIRef("https://example.org/a")
    assert hash(iri) == hash(URIRef("https://example.org/a"))
    assert iri.n3() == "<https://example.org/a>"


def test_an_oxigraph_table_gives_the_rows_and_values_of_its_terms() -> None:
    engine = OxigraphEngine.from_turtle_files(graph.default_files())
    table = engine.query(queries.get_query("sources-of").text, {"entity": _cuba(engine)})
    assert isinstance(table, OxigraphTable) and table.native
    assert table.rows == [tuple(map(from_oxigraph, row)) for row in table.native]
    assert table.values() == [tuple(map(to_value, row)) for row in table.rows]


def _cuba(engine: OxigraphEngine) -> URIRef:
    bindings = queries.bind_parameters(queries.get_query("sources-of"), {"entity": "CUB"}, engine)
    entity = bindings["entity"]
    assert isinstance(entity, URIRef)
    return entity
