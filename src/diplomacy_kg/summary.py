"""A summary of the graph: counts per class, the sources, and entities without a Wikidata link."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from rdflib import Graph, URIRef

from diplomacy_kg.engines.rdflib_engine import RdflibEngine
from diplomacy_kg.namespaces import sparql_prefix_block
from diplomacy_kg.queries import run_query

_PREFIXES = sparql_prefix_block("dip", "owl", "prov", "rdf", "rdfs", "schema")

_CLASS_COUNTS = (
    _PREFIXES
    + """
SELECT ?class (COUNT(DISTINCT ?node) AS ?count) WHERE {
  ?node rdf:type ?class .
  FILTER(STRSTARTS(STR(?class), STR(dip:)))
  FILTER NOT EXISTS { ?node rdfs:isDefinedBy ?vocabulary }  # the ontology's own individuals
} GROUP BY ?class ORDER BY ?class
"""
)

_SOURCES = (
    _PREFIXES
    + """
SELECT ?source (SAMPLE(?label) AS ?title) (COUNT(DISTINCT ?fact) AS ?facts) WHERE {
  ?source rdf:type dip:SourceDocument .
  OPTIONAL { ?source rdfs:label ?label }
  OPTIONAL { ?fact prov:wasDerivedFrom ?source }
} GROUP BY ?source ORDER BY DESC(?facts) ?source
"""
)


@dataclass(frozen=True)
class SourceUse:
    """A source document and how many facts are derived from it."""

    iri: str
    title: str
    facts: int


@dataclass(frozen=True)
class UnlinkedEntity:
    """An entity with no `owl:sameAs` Wikidata link."""

    iri: str
    label: str
    kind: str


@dataclass(frozen=True)
class Summary:
    """What `diplomacy-kg stats` reports."""

    triples: int
    classes: dict[str, int]
    sources: list[SourceUse]
    unlinked: list[UnlinkedEntity]


def _curie(graph: Graph, iri: object) -> str:
    return graph.namespace_manager.normalizeUri(URIRef(str(iri)))


def summarize(graph: Graph) -> Summary:
    """Count the graph's instances per class and list its sources and unlinked entities."""
    classes = {
        _curie(graph, row[0]): int(row[1])  # type: ignore[index, arg-type]
        for row in graph.query(_CLASS_COUNTS)
    }
    sources = [
        SourceUse(str(row[0]), str(row[1] or ""), int(row[2]))  # type: ignore[index, arg-type]
        for row in graph.query(_SOURCES)
    ]
    # The stored query is the one definition of "unlinked"; the summary reuses it.
    answer = run_query("unlinked-entities", RdflibEngine(graph))
    unlinked = [
        UnlinkedEntity(
            str(row["entity"]), str(row["entity_label"] or ""), _curie(graph, row["type"])
        )
        for row in answer
    ]
    return Summary(len(graph), classes, sources, unlinked)


def format_text(summary: Summary) -> str:
    """Render the summary as readable text."""
    lines = [f"{summary.triples} triples", "", "Instances per class:"]
    width = max((len(name) for name in summary.classes), default=0)
    lines += [f"  {name:<{width}}  {count:>5}" for name, count in summary.classes.items()]
    lines += ["", f"Sources ({len(summary.sources)}):"]
    lines += [f"  {use.facts:>5} facts  {use.title}" for use in summary.sources]
    lines += ["", f"Entities without a Wikidata link ({len(summary.unlinked)}):"]
    lines += [f"  {entity.kind:<16} {entity.label}  <{entity.iri}>" for entity in summary.unlinked]
    return "\n".join(lines) + "\n"


def format_json(summary: Summary) -> str:
    """Render the summary as JSON."""
    return json.dumps(asdict(summary), indent=2, ensure_ascii=False) + "\n"
