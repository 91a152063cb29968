"""One entity: its description (its triples and those of the nodes that describe it) and its page.

The description is the entity's own triples plus those of its blank nodes and qualified
derivations, two levels deep: what `Accept: text/turtle` returns for its IRI. The page shows each
fact with dates at their precision, every source with its title, publisher, date and URL, and
the evidence quote and locator each source gives, then the entities that point to it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from diplomacy_kg.adhoc import graph_answer
from diplomacy_kg.dates import PRECISION_PROPERTIES
from diplomacy_kg.engines import Engine
from diplomacy_kg.engines.binding import serialize_term
from diplomacy_kg.namespaces import DIP, SCHEMA, curie, sparql_prefix_block
from diplomacy_kg.site.html import e, link, table, term_html

_DESCRIBE = (
    sparql_prefix_block("prov")
    + """CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ BIND({iri} AS ?s) ?s ?p ?o }}
  UNION {{ {iri} ?p1 ?s . FILTER(isBlank(?s) || ?p1 = prov:qualifiedDerivation) ?s ?p ?o }}
  UNION {{ {iri} ?p1 ?m . FILTER(isBlank(?m) || ?p1 = prov:qualifiedDerivation)
          ?m ?p2 ?s . FILTER(isBlank(?s)) ?s ?p ?o }}
}}"""
)
_LABELS = """SELECT ?iri ?label WHERE {{
  VALUES ?iri {{ {iris} }}
  ?iri <http://www.w3.org/2000/01/rdf-schema#label> ?label
}}"""
_SOURCES = (
    sparql_prefix_block("dip", "rdfs", "schema")
    + """SELECT ?source ?title ?publisher ?url ?date ?asof ?nourl WHERE {{
  VALUES ?source {{ {iris} }}
  OPTIONAL {{ ?source rdfs:label ?title }}
  OPTIONAL {{ ?source schema:publisher/rdfs:label ?publisher }}
  OPTIONAL {{ ?source schema:url ?url }}
  OPTIONAL {{ ?source schema:datePublished ?date }}
  OPTIONAL {{ ?source dip:asOf ?asof }}
  OPTIONAL {{ ?source dip:noUrlReason ?nourl }}
}}"""
)
_INCOMING = """SELECT ?s ?p WHERE {{ ?s ?p {iri} . FILTER(isIRI(?s)) }} ORDER BY ?p ?s LIMIT 300"""
_HIDDEN = {PROV.qualifiedDerivation, *(PRECISION_PROPERTIES.values())}


@dataclass(frozen=True)
class SourceInfo:
    """What the page says about one source."""

    iri: URIRef
    title: str
    publisher: str
    url: str
    day: str
    no_url_reason: str = ""


def describe(engine: Engine, iri: URIRef) -> Graph:
    """Return the entity's description: its triples and those of its describing nodes."""
    return graph_answer(engine, _DESCRIBE.format(iri=serialize_term(iri)))


def labels_of(engine: Engine, iris: set[str]) -> dict[str, str]:
    """Return an English (or any) label for each IRI that has one."""
    found: dict[str, str] = {}
    ordered = sorted(iris)
    for start in range(0, len(ordered), 200):
        chunk = " ".join(serialize_term(URIRef(i)) for i in ordered[start : start + 200])
        if not chunk:
            continue
        for iri, label in engine.query(_LABELS.format(iris=chunk)).rows:
            if label is not None and (
                str(iri) not in found or getattr(label, "language", "") == "en"
            ):
                found[str(iri)] = str(label)
    return found


def sources_of(engine: Engine, sources: set[URIRef]) -> dict[URIRef, SourceInfo]:
    """Return the title, publisher, URL and date of each source."""
    if not sources:
        return {}
    chunk = " ".join(serialize_term(s) for s in sorted(sources))
    found: dict[URIRef, SourceInfo] = {}
    for source, title, publisher, url, day, asof, no_url in engine.query(
        _SOURCES.format(iris=chunk)
    ).rows:
        assert isinstance(source, URIRef)
        when = day if day is not None else asof
        found[source] = SourceInfo(
            source,
            str(title or curie(str(source))),
            str(publisher or ""),
            str(url or ""),
            str(when or ""),
            str(no_url or ""),
        )
    return found


def _precision(graph: Graph, subject: Node, predicate: Node) -> Node | None:
    holder = PRECISION_PROPERTIES.get(predicate)  # type: ignore[call-overload]
    return graph.value(subject, holder) if holder is not None else None


def _derivations(graph: Graph, iri: URIRef) -> dict[URIRef, list[tuple[str, str]]]:
    found: dict[URIRef, list[tuple[str, str]]] = defaultdict(list)
    for node in graph.objects(iri, PROV.qualifiedDerivation):
        source = graph.value(node, PROV.entity)
        if isinstance(source, URIRef):
            quote = graph.value(node, DIP.evidenceQuote)
            locator = graph.value(node, DIP.sourceLocator)
            found[source].append((str(quote or ""), str(locator or "")))
    return found


def sources_html(
    graph: Graph, iri: URIRef, infos: dict[URIRef, SourceInfo], labels: dict[str, str]
) -> str:
    """Render the sources of an entity: one row per source, with its own quotes."""
    derived = {s for s in graph.objects(iri, PROV.wasDerivedFrom) if isinstance(s, URIRef)}
    per_source = _derivations(graph, iri)
    derived |= set(per_source)
    if not derived:
        return "<p>No source is recorded for this entity.</p>"
    rows = []
    for source in sorted(derived):
        info = infos.get(source) or SourceInfo(source, curie(str(source)), "", "", "")
        url = f'<a class="source-url" href="{e(info.url)}">{e(info.url)}</a>' if info.url else ""
        if not info.url and info.no_url_reason:
            url = f'<span class="no-url">no URL: {e(info.no_url_reason)}</span>'

        quotes = "".join(
            f"<blockquote>{e(q)}</blockquote>" + (f"<small>{e(loc)}</small>" if loc else "")
            for q, loc in per_source.get(source, [])
        )
        rows.append(
            [
                link(str(source), {str(source): info.title}),
                e(info.publisher),
                e(info.day),
                url,
                quotes,
            ]
        )
    out = f'<section id="sources"><h2>Sources ({len(rows)})</h2>'
    out += table(["source", "publisher", "date", "URL", "evidence"], rows, css="sources")
    loose = [
        (str(q), str(graph.value(iri, DIP.sourceLocator) or ""))
        for q in graph.objects(iri, DIP.evidenceQuote)
    ]
    if loose:
        out += "<p>Evidence given for the fact as a whole (not tied to one source):</p>"
        out += "".join(f"<blockquote>{e(q)}</blockquote>" for q, _ in loose)
    _ = labels
    return out + "</section>"


def facts_html(graph: Graph, iri: URIRef, labels: dict[str, str]) -> str:
    """Render the entity's own facts: property, value (dates at their precision)."""
    rows = []
    for predicate, obj in sorted(
        graph.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1]))
    ):
        if predicate in _HIDDEN or predicate in (
            DIP.evidenceQuote,
            DIP.sourceLocator,
            SKOS.editorialNote,
        ):
            continue
        if predicate == PROV.wasDerivedFrom:
            continue
        value = term_html(obj, labels, _precision(graph, iri, predicate))
        if isinstance(obj, BNode):
            inner = [
                f"{link(str(p), labels)}: {term_html(o, labels, _precision(graph, obj, p))}"
                for p, o in sorted(graph.predicate_objects(obj), key=str)
            ]
            value = "; ".join(inner)
        rows.append([link(str(predicate), labels), value])
    return table(["property", "value"], rows, css="facts")


def entity_page_body(engine: Engine, iri: URIRef) -> tuple[str, str] | None:
    """Return the title and HTML body of an entity's page, or None if the graph has no such IRI."""
    graph = describe(engine, iri)
    incoming = engine.query(_INCOMING.format(iri=serialize_term(iri))).rows
    if not len(graph) and not incoming:
        return None
    mentioned = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    mentioned |= {str(t) for row in incoming for t in row if isinstance(t, URIRef)}
    labels = labels_of(engine, mentioned)
    sources = {s for s in graph.objects(None, PROV.wasDerivedFrom) if isinstance(s, URIRef)}
    sources |= {s for s in graph.objects(None, PROV.entity) if isinstance(s, URIRef)}
    infos = sources_of(engine, sources)
    title = labels.get(str(iri)) or curie(str(iri))
    kinds = ", ".join(link(str(k), labels) for k in sorted(graph.objects(iri, RDF.type), key=str))
    body = f'<p class="iri"><code>{e(iri)}</code></p>'
    if kinds:
        body += f"<p>A {kinds}.</p>"
    for note in graph.objects(iri, SKOS.editorialNote):
        body += f'<p class="note">{term_html(note, labels)}</p>'
    body += f"<section><h2>Facts</h2>{facts_html(graph, iri, labels)}</section>"
    body += sources_html(graph, iri, infos, labels)
    if isinstance(graph.value(iri, SCHEMA.url), Literal | URIRef):
        body += f"<p>Read it at {term_html(graph.value(iri, SCHEMA.url), labels)}</p>"
    if incoming:
        rows = [[link(str(s), labels), link(str(p), labels)] for s, p in incoming]
        body += f"<section><h2>Pointing here ({len(rows)})</h2>"
        body += table(["entity", "property"], rows, css="incoming") + "</section>"
    alternates = " ".join(
        f'<a href="?format={fmt}">{label}</a>'
        for fmt, label in (("ttl", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"))
    )
    body += f'<p class="formats">This description as {alternates}.</p>'
    _ = RDFS
    return title, body
