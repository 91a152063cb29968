"""One object that renders every page and RDF description of the site from one engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef

from diplomacy_kg import paths, queries
from diplomacy_kg.engines import Engine
from diplomacy_kg.export import (
    dump_json,
    jsonld_context,
    jsonld_document,
    serialize_ntriples,
    serialize_turtle,
)
from diplomacy_kg.namespaces import BASE
from diplomacy_kg.site import entity, pages
from diplomacy_kg.site.html import e, page

RDF_TYPES: dict[str, str] = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
}
"""The RDF media types an entity IRI answers, and the file suffix of each."""
MEDIA_TYPES = {suffix: media for media, suffix in RDF_TYPES.items()}


@dataclass
class Rendered:
    """A rendered answer: status, media type and body."""

    status: int
    media_type: str
    body: bytes

    @classmethod
    def html(cls, text: str, status: int = 200) -> Rendered:
        """Wrap an HTML page."""
        return cls(status, "text/html; charset=utf-8", text.encode("utf-8"))


def not_found(what: str) -> Rendered:
    """Return the page for an unknown address."""
    body = f'<p>Nothing here: {e(what)}.</p><p><a href="/">Back to the home page</a></p>'
    return Rendered.html(page("Not found", body), 404)


@dataclass
class Site:
    """Renders the home page, query results, entity pages and RDF, the ontology and editor."""

    engine: Engine
    catalogue: dict[str, queries.StoredQuery] = field(default_factory=queries.catalogue)
    _ontology: Graph | None = None
    _context: dict[str, Any] | None = None
    _charts: dict[tuple[str, str, str], bytes] = field(default_factory=dict)

    def ontology_graph(self) -> Graph:
        """Return the ontology, parsed once."""
        if self._ontology is None:
            self._ontology = Graph().parse(paths.ONTOLOGY_FILE)
        return self._ontology

    def _jsonld(self, graph: Graph) -> bytes:
        if self._context is None:
            self._context = jsonld_context(self.ontology_graph())
        return dump_json(jsonld_document(graph, self._context))

    def home(self) -> Rendered:
        """Render the home page."""
        return Rendered.html(pages.home(self.engine, self.catalogue))

    def editor(self) -> Rendered:
        """Render the SPARQL editor."""
        return Rendered.html(pages.editor())

    def ontology(self) -> Rendered:
        """Render the ontology's documentation."""
        return Rendered.html(pages.ontology_page(self.ontology_graph()))

    def query(self, name: str, params: Mapping[str, str]) -> Rendered:
        """Render a stored query's results for the form's values."""
        stored = self.catalogue.get(name)
        if stored is None:
            return not_found(f"no stored query named {name}")
        status, text = pages.query_results(self.engine, stored, params)
        return Rendered.html(text, status)

    def charts_page(self, state: str, other: str = "") -> Rendered:
        """Render the page of the two charts for a chosen state (and another, for the timeline)."""
        from diplomacy_kg.site import chartpage

        status, text = chartpage.charts_page(self.engine, state, other)
        return Rendered.html(text, status)

    def chart(self, kind: str, state: str, other: str = "") -> Rendered:
        """Return one chart as SVG (partners or timeline), drawn once per state."""
        from diplomacy_kg.site import chartpage

        key = (kind, state.upper(), other.upper())
        if key not in self._charts:
            found = chartpage.chart_svg(self.engine, kind, state, other)
            if found is None:
                return not_found(f"no {kind} chart for {state}")
            self._charts[key] = found
        return Rendered(200, "image/svg+xml", self._charts[key])

    def entity_page(self, path: str) -> Rendered:
        """Render the HTML page of the entity at a site path (`id/state/kor`)."""
        iri = URIRef(BASE + path)
        found = entity.entity_page_body(self.engine, iri)
        if found is None:
            return not_found(f"the graph has no entity {iri}")
        title, body = found
        return Rendered.html(page(title, body))

    def entity_rdf(self, path: str, suffix: str) -> Rendered:
        """Return the RDF description of an entity as Turtle, N-Triples or JSON-LD."""
        graph = entity.describe(self.engine, URIRef(BASE + path))
        if not len(graph):
            return Rendered(404, "text/plain; charset=utf-8", b"no such entity\n")
        writer = {"ttl": serialize_turtle, "nt": serialize_ntriples, "jsonld": self._jsonld}
        return Rendered(200, MEDIA_TYPES[suffix], writer[suffix](graph))


def choose_media_type(accept: str) -> str:
    """Pick HTML or one of the RDF types from an Accept header (q-values honoured)."""
    best, best_q = "text/html", 0.0
    offered = ["text/html", "application/xhtml+xml", *RDF_TYPES]
    for order, item in enumerate(part.strip() for part in accept.split(",") if part.strip()):
        media, *options = (piece.strip() for piece in item.split(";"))
        q = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media in offered and q > best_q:
            best, best_q = media, q - order * 1e-6
    return "text/html" if best == "application/xhtml+xml" else best
