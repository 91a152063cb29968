"""The site's pages: home, a stored query's form and results, the SPARQL editor, the ontology.

Every page is rendered from an engine (the served endpoint or an embedded Oxigraph), so the
live site and the static one show the same thing. All text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from diplomacy_kg import adhoc, paths, queries
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines import Engine
from diplomacy_kg.namespaces import DIP, curie, sparql_prefix_block
from diplomacy_kg.site.html import (
    e,
    link,
    page,
    query_string,
    table,
)

EXAMPLE_QUERY = """# South Korea's diplomatic partners, with the start of each relation
SELECT ?partner ?name ?start WHERE {
  ?kor dip:iso3166Alpha3 "KOR" .
  ?relation a dip:DiplomaticRelation ;
            dip:party ?kor, ?partner .
  FILTER(?partner != ?kor)
  ?partner rdfs:label ?name .
  OPTIONAL { ?relation dip:startDate ?start }
}
ORDER BY ?start
LIMIT 20
"""
"""The editor's example: it returns rows on the project's graph."""

_SIZE = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
_SOURCES = (
    sparql_prefix_block("dip", "rdfs")
    + """SELECT ?source ?title (COUNT(DISTINCT ?fact) AS ?facts) WHERE {
  ?source a dip:SourceDocument .
  OPTIONAL { ?source rdfs:label ?title }
  OPTIONAL { ?fact <http://www.w3.org/ns/prov#wasDerivedFrom> ?source }
} GROUP BY ?source ?title ORDER BY DESC(?facts) ?title"""
)


def value_html(value: object, labels: Mapping[str, str]) -> str:
    """Render a typed result value: IRIs as links, partial dates at their precision."""
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return link(str(value), labels)
    if isinstance(value, PartialDate):
        return f"<time>{e(value)}</time>"  # at its precision: 1949, 2018-11, 2024-02-14
    if isinstance(value, date):
        return f"<time>{e(value.isoformat())}</time>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return e(value)


def query_form(stored: queries.StoredQuery, values: Mapping[str, str] | None = None) -> str:
    """Return the form of one stored query, with its parameters (examples pre-filled)."""
    chosen = values or {}
    fields = "".join(
        f'<label>{e(p.name)} <input name="{e(p.name)}" '
        f'value="{e(chosen.get(p.name, p.example))}" title="{e(queries.PARAMETER_TYPES[p.type])}">'
        "</label> "
        for p in stored.params
    )
    return (
        f'<form class="query" method="get" action="/queries/{e(stored.name)}">'
        f'{fields}<button type="submit">run</button></form>'
    )


def home(engine: Engine, catalogue: Mapping[str, queries.StoredQuery]) -> str:
    """Render the home page: the graph's size and sources, the stored queries with forms."""
    size = engine.query(_SIZE).rows[0][0]
    rows = engine.query(_SOURCES).rows
    sources = table(
        ["source", "facts"],
        [[link(str(s), {str(s): str(t or curie(str(s)))}), e(n)] for s, t, n in rows],
        css="sources",
    )
    forms = "".join(
        f'<li class="stored-query"><h3><a href="/queries/{e(q.name)}?'
        f'{e(query_string(q.examples))}">{e(q.name)}</a></h3><p>{e(q.summary)}</p>'
        f"{query_form(q)}</li>"
        for q in catalogue.values()
    )
    body = (
        "<p>An open knowledge graph of diplomatic relations: exact in time, traceable to its "
        f"sources, validated, queryable and linked to Wikidata. The graph holds "
        f'<strong id="size">{e(size)}</strong> triples from {len(rows)} sources.</p>'
        '<p><a href="/sparql">Write your own SPARQL</a> · '
        '<a href="/charts?state=KOR">charts of South Korea\'s relations</a> · '
        '<a href="/id/state/kor">South Korea</a> · <a href="/ontology/">the ontology</a></p>'
        f'<section><h2>Stored queries ({len(catalogue)})</h2><ul class="queries">{forms}</ul>'
        f"</section><section><h2>Sources</h2>{sources}</section>"
    )
    return page("diplomacy-kg", body)


def query_results(
    engine: Engine, stored: queries.StoredQuery, params: Mapping[str, str]
) -> tuple[int, str]:
    """Run a stored query with the form's values; return the status and the results page."""
    form = query_form(stored, params)
    try:
        result = queries.run_stored(stored, engine, dict(params))
    except queries.ParameterError as error:
        body = f'{form}<p class="error" role="alert">{e(error)}</p>'
        return 400, page(stored.name, body)
    labels = _row_labels(result)
    rows = [[value_html(row[c], labels) for c in result.columns] for row in result.rows]
    count = len(rows)
    body = (
        f"<p>{e(stored.summary)}</p>{form}"
        + table(list(result.columns), rows, css="results")
        + f'<p class="count">{count} row{"" if count == 1 else "s"}</p>'
    )
    completeness = getattr(result, "completeness", None)
    if completeness is not None:
        klass = "complete" if completeness.complete else "incomplete"
        body += f'<p class="certainty {klass}">{e(completeness.line)}</p>'
    return 200, page(stored.name, body)


def _row_labels(result: queries.QueryResult) -> dict[str, str]:
    labels: dict[str, str] = {}
    for row in result.rows:
        for column, value in row.items():
            label = row.get(f"{column}_label")
            if isinstance(value, URIRef) and label is not None:
                labels[str(value)] = str(label)
    return labels


def editor() -> str:
    """Render the SPARQL editor, pre-filled with the project's prefixes and an example."""
    text = adhoc.prefix_block() + "\n" + EXAMPLE_QUERY
    body = (
        '<form id="editor" method="get" action="/sparql">'
        f'<textarea id="query" name="query" rows="24" spellcheck="false">{e(text)}</textarea>'
        '<p><button type="submit" id="run">run</button> '
        '<span id="status" role="status"></span> <a id="share" href="#">link to this query</a>'
        '</p></form><div id="results"></div>'
        "<p>The query runs on this site's read-only SPARQL endpoint, <code>/query</code>.</p>"
    )
    return page("SPARQL", body, scripts=("editor.js",))


def _first(graph: Graph, subject: URIRef, *predicates: URIRef) -> str:
    for predicate in predicates:
        value = graph.value(subject, predicate)
        if value is not None:
            return str(value)
    return ""


def ontology_page(ontology: Graph | None = None) -> str:
    """Render the ontology's documentation: each class and property with its definition."""
    onto = ontology if ontology is not None else Graph().parse(paths.ONTOLOGY_FILE)
    sections = []
    kinds = (
        ("Classes", (OWL.Class,)),
        ("Properties", (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)),
        ("Individuals", (OWL.NamedIndividual,)),
    )
    seen: set[URIRef] = set()
    for heading, types in kinds:
        terms = sorted(
            {
                t
                for kind in types
                for t in onto.subjects(RDF.type, kind)
                if isinstance(t, URIRef) and str(t).startswith(str(DIP)) and t not in seen
            }
        )
        seen |= set(terms)
        entries = "".join(_term_entry(onto, term) for term in terms)
        sections.append(f"<section><h2>{e(heading)} ({len(terms)})</h2>{entries}</section>")
    intro = (
        f"<p>The diplomacy ontology, <code>{e(DIP)}</code> (prefix <code>dip:</code>). "
        "Each term with its definition, the matching Wikidata property and its alignments.</p>"
    )
    return page("The diplomacy ontology", intro + "".join(sections))


def _term_entry(onto: Graph, term: URIRef) -> str:
    name = str(term)[len(str(DIP)) :]
    label = _first(onto, term, RDFS.label)
    definition = _first(onto, term, SKOS.definition, RDFS.comment)
    facts: list[tuple[str, str]] = []
    for predicate, title in (
        (DIP.wikidataProperty, "Wikidata"),
        (RDFS.subClassOf, "subclass of"),
        (RDFS.subPropertyOf, "subproperty of"),
        (OWL.equivalentClass, "equivalent class"),
        (OWL.equivalentProperty, "equivalent property"),
        (SKOS.exactMatch, "exact match"),
        (SKOS.closeMatch, "close match"),
        (RDFS.domain, "domain"),
        (RDFS.range, "range"),
    ):
        values = sorted(v for v in onto.objects(term, predicate) if isinstance(v, URIRef))
        if values:
            facts.append((title, ", ".join(_term_link(v) for v in values)))
    listed = "".join(f"<dt>{e(t)}</dt><dd>{v}</dd>" for t, v in facts)
    return (
        f'<article class="term" id="{e(name)}"><h3>{e(label or name)} '
        f"<code>dip:{e(name)}</code></h3><p>{e(definition)}</p><dl>{listed}</dl></article>"
    )


def _term_link(iri: URIRef) -> str:
    if str(iri).startswith(str(DIP)):
        name = str(iri)[len(str(DIP)) :]
        return f'<a href="#{e(name)}">dip:{e(name)}</a>'
    return f'<a href="{e(iri)}">{e(curie(str(iri)))}</a>'
