"""Where enrichment comes from: the enrichment source, its queries and Wikidata's references.

Every node of the enrichment graph derives from `id/source/wikidata-enrichment`, which names
the endpoint, each query and its retrieval time; a relation or claim also derives from the
references its Wikidata statements cite, and locates each statement.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD
from rdflib.term import Node

from diplomacy_kg.namespaces import CC0, SCHEMA, instance_iri, wikidata_entity
from diplomacy_kg.provenance import attach_source, describe_source
from diplomacy_kg.wikidata.periods import WikidataPeriod
from diplomacy_kg.wikidata.snapshot import Reference, Snapshot

ENRICHMENT_SOURCE = instance_iri("source", "wikidata-enrichment")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lowercase kebab-case slug of any text."""
    return _SLUG_JUNK.sub("-", text.lower()).strip("-") or "x"


def _adder(graph: Graph) -> Callable[[URIRef, URIRef, Node], object]:
    return lambda subject, predicate, value: graph.add((subject, predicate, value))


def add_sources(graph: Graph, snapshot: Snapshot) -> None:
    """Describe the enrichment source, the endpoint it was fetched from and every query."""
    add = _adder(graph)
    source = ENRICHMENT_SOURCE
    endpoint = snapshot.endpoint
    retrieved_day = snapshot.retrieved_at[:10]
    describe_source(
        graph,
        source,
        title="Statements fetched from Wikidata for diplomacy-kg",
        description=(
            "Labels, ISO 3166 codes, capitals, heads of state and government, and full "
            "diplomatic-relation (P530) statements with their qualifiers, ranks and "
            f"references, fetched from the SPARQL endpoint {endpoint} by "
            f"`diplomacy-kg wikidata enrich`; newest answer retrieved "
            f"{snapshot.retrieved_at}. Deprecated statements are left out. Curated "
            "facts stay in data/*.ttl and are never overridden by this graph."
        ),
        kind=SCHEMA.Dataset,
        url=endpoint,
        as_of=date.fromisoformat(retrieved_day) if retrieved_day else None,
    )
    add(source, SCHEMA.license, CC0)
    if retrieved_day:
        add(
            source,
            PROV.generatedAtTime,
            Literal(snapshot.retrieved_at, datatype=XSD.dateTime),
        )
    for answer in snapshot.answers:
        digest = hashlib.sha256(f"{endpoint}\n{answer.query}".encode()).hexdigest()[:16]
        node = instance_iri("source", f"wikidata-query-{digest}")
        add(source, SCHEMA.isBasedOn, node)
        describe_source(
            graph,
            node,
            title=f"Wikidata query: {answer.description}",
            kind=SCHEMA.Dataset,
            url=endpoint,
            as_of=date.fromisoformat(answer.retrieved_at[:10]),
        )
        add(node, SCHEMA.text, Literal(answer.query))
        add(node, SCHEMA.license, CC0)
        add(node, PROV.generatedAtTime, Literal(answer.retrieved_at, datatype=XSD.dateTime))


def add_reference(graph: Graph, snapshot: Snapshot, reference: Reference) -> URIRef | None:
    """Describe a reference that Wikidata statements cite; None when it names nothing."""
    if reference.url is None and reference.stated_in is None:
        return None
    node = instance_iri("source", f"wikidata-reference-{slugify(reference.hash)}")
    shown = reference.url or snapshot.label(reference.stated_in or "") or reference.stated_in
    describe_source(
        graph,
        node,
        title=None,  # a reference has no title of its own; it is labelled by what it cites
        description=f"Reference on Wikidata: {shown} (a reference that Wikidata statements "
        f"cite, {reference.iri}).",
        kind=SCHEMA.CreativeWork,
        url=reference.url,
        no_url_reason=None
        if reference.url is not None
        else f"Wikidata's reference gives no URL, only the work it was stated in "
        f"({reference.stated_in}).",
        as_of=reference.retrieved.value if reference.retrieved is not None else None,
    )
    if reference.stated_in is not None:
        graph.add((node, SCHEMA.isBasedOn, wikidata_entity(reference.stated_in)))
    return node


def add_provenance(graph: Graph, snapshot: Snapshot, node: URIRef, period: WikidataPeriod) -> None:
    """Derive a node from the enrichment and its statements' references; locate each statement."""
    attach_source(graph, node, ENRICHMENT_SOURCE)
    for reference in period.references:
        source = add_reference(graph, snapshot, reference)
        if source is not None:
            attach_source(graph, node, source)
    for statement in period.statements:
        locator = f"Wikidata statement {statement.statement_id}"
        attach_source(graph, node, ENRICHMENT_SOURCE, locator=locator, named=True)
