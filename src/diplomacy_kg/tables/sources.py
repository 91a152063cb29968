"""The sources of the tables: the datasets described in `tables.toml` and the news pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from diplomacy_kg.namespaces import DIP, SCHEMA, instance_iri
from diplomacy_kg.tables.rows import Row, day, read_table
from diplomacy_kg.tables.specs import SourceSpec

NEWS_COLUMNS = (
    "slug",
    "url",
    "publisher",
    "publisher_slug",
    "date_published",
    "as_of",
    "description",
)


def add_datasets(graph: Graph, sources: tuple[SourceSpec, ...]) -> None:
    """Describe each table source as a dataset: title, description, licence, as-of day, URL."""
    for spec in sources:
        source = spec.iri
        graph.add((source, RDF.type, DIP.SourceDocument))
        graph.add((source, RDF.type, SCHEMA.Dataset))
        graph.add((source, RDFS.label, Literal(spec.title, lang="en")))
        graph.add((source, SCHEMA.name, Literal(spec.title, lang="en")))
        graph.add((source, SCHEMA.description, Literal(spec.description, lang="en")))
        graph.add((source, SCHEMA.license, spec.licence))
        if spec.as_of is not None:
            graph.add((source, DIP.asOf, Literal(spec.as_of, datatype=XSD.date)))
        if spec.url is not None:
            graph.add((source, SCHEMA.url, Literal(spec.url, datatype=XSD.anyURI)))


@dataclass
class NewsSource:
    """A news page cited by a relations table, and the row that describes it."""

    iri: URIRef
    row: Row


def add_news(path: Path, graph: Graph) -> dict[str, NewsSource]:
    """Describe each news page of the news table; return them by URL."""
    by_url: dict[str, NewsSource] = {}
    for row in read_table(path, NEWS_COLUMNS):
        source = instance_iri("source", row["slug"])
        publisher = instance_iri("organization", row["publisher_slug"])
        graph.add((source, RDF.type, DIP.SourceDocument))
        graph.add((source, RDF.type, SCHEMA.NewsArticle))
        graph.add((source, RDFS.label, Literal(row["description"], lang="en")))
        graph.add((source, SCHEMA.description, Literal(row["description"], lang="en")))
        graph.add((source, SCHEMA.url, Literal(row["url"], datatype=XSD.anyURI)))
        graph.add((source, SCHEMA.publisher, publisher))
        if row["date_published"]:
            graph.add(
                (
                    source,
                    SCHEMA.datePublished,
                    Literal(day(row, "date_published"), datatype=XSD.date),
                )
            )
        graph.add((source, DIP.asOf, Literal(day(row, "as_of"), datatype=XSD.date)))
        graph.add((publisher, RDF.type, DIP.Organization))
        graph.add((publisher, RDFS.label, Literal(row["publisher"], lang="en")))
        by_url[row["url"]] = NewsSource(source, row)
    return by_url
