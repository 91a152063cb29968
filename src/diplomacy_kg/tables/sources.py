"""The sources of the tables: the datasets described in `tables.toml` and the news pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from diplomacy_kg.namespaces import DIP, SCHEMA, instance_iri
from diplomacy_kg.provenance import describe_source
from diplomacy_kg.tables.rows import Row, day, read_table
from diplomacy_kg.tables.specs import SourceSpec

NEWS_COLUMNS = (
    "slug",
    "url",
    "title",
    "publisher",
    "publisher_slug",
    "date_published",
    "as_of",
    "description",
)


def add_datasets(graph: Graph, sources: tuple[SourceSpec, ...]) -> None:
    """Describe each table source as a dataset: title, description, licence, as-of day, URL."""
    for spec in sources:
        describe_source(
            graph,
            spec.iri,
            title=spec.title,
            description=spec.description,
            kind=SCHEMA.Dataset,
            as_of=spec.as_of,
            url=spec.url,
            no_url_reason=spec.no_url_reason,
        )
        graph.add((spec.iri, SCHEMA.license, spec.licence))


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
        describe_source(
            graph,
            source,
            title=row["title"] or None,  # the headline where the page was found with one
            description=row["description"],
            publisher=publisher,
            date=day(row, "date_published") if row["date_published"] else None,
            as_of=day(row, "as_of"),
            url=row["url"],
        )
        graph.add((publisher, RDF.type, DIP.Organization))
        graph.add((publisher, RDFS.label, Literal(row["publisher"], lang="en")))
        by_url[row["url"]] = NewsSource(source, row)
    return by_url


EVIDENCE_COLUMNS = ("source", "partner_iso3", "start_date", "quote")

Evidence = dict[tuple[URIRef, str, str], str]
"""A news page's words for a relations row: (page IRI, partner ISO3, start date) → quote."""


def read_news_evidence(path: Path, news: dict[str, NewsSource]) -> Evidence:
    """Read what each news page says for each relations row that cites it."""
    pages = {item.row["slug"]: item.iri for item in news.values()}
    found: Evidence = {}
    for row in read_table(path, EVIDENCE_COLUMNS):
        if row["source"] not in pages:
            raise row.error(f"source {row['source']!r} is not a slug of the news table")
        if not row["quote"].strip():
            raise row.error("quote is empty")
        key = (pages[row["source"]], row["partner_iso3"], row["start_date"])
        if key in found:
            raise row.error(f"a second quote of {row['source']} for {key[1]} {key[2]}")
        found[key] = row["quote"]
    return found
