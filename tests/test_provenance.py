"""The provenance module: describing sources and attaching them, with evidence, to facts."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.namespaces import DIP, ID, SCHEMA, new_graph
from diplomacy_kg.provenance import (
    Evidence,
    ProvenanceError,
    attach_source,
    describe_source,
    evidence_of,
    publisher_iri,
)

FACT = ID["relation/xdu-xsa"]
NEWS_A = ID["source/news-a"]
NEWS_B = ID["source/news-b"]


def test_a_described_source_has_title_publisher_date_and_url() -> None:
    graph = new_graph()
    publisher = ID["organization/daily"]
    returned = describe_source(
        graph,
        NEWS_A,
        title="Duria and South Arcadia establish relations",
        publisher=publisher,
        date=date(2024, 2, 14),
        url="https://example.org/news/1",
        as_of=date(2024, 2, 14),
    )
    assert returned == NEWS_A
    assert {NEWS_A} == set(graph.subjects(RDF.type, DIP.SourceDocument))
    assert (NEWS_A, RDF.type, SCHEMA.NewsArticle) in graph
    title = Literal("Duria and South Arcadia establish relations", lang="en")
    assert graph.value(NEWS_A, SCHEMA.name) == title
    assert graph.value(NEWS_A, RDFS.label) == title
    assert graph.value(NEWS_A, SCHEMA.publisher) == publisher
    assert graph.value(NEWS_A, SCHEMA.datePublished) == Literal(
        date(2024, 2, 14), datatype=XSD.date
    )
    assert graph.value(NEWS_A, SCHEMA.url) == Literal(
        "https://example.org/news/1", datatype=XSD.anyURI
    )
    assert graph.value(NEWS_A, DIP.asOf) == Literal(date(2024, 2, 14), datatype=XSD.date)
    assert graph.value(NEWS_A, DIP.noUrlReason) is None


def test_a_source_without_a_url_must_say_why() -> None:
    graph = new_graph()
    with pytest.raises(ProvenanceError, match="no_url_reason") as caught:
        describe_source(graph, NEWS_A, title="A story")
    assert caught.value.exit_code == 2
    assert len(graph) == 0, "nothing half-written"
    describe_source(graph, NEWS_A, title="A story", no_url_reason="The copy held names none.")
    assert graph.value(NEWS_A, DIP.noUrlReason) == Literal("The copy held names none.", lang="en")
    assert graph.value(NEWS_A, SCHEMA.url) is None


def test_a_publisher_given_by_name_becomes_a_labelled_organisation() -> None:
    graph = new_graph()
    describe_source(graph, NEWS_A, title="T", publisher="KBS World", url="https://example.org/")
    organization = publisher_iri("KBS World")
    assert organization == ID["organization/kbs-world"]
    assert graph.value(NEWS_A, SCHEMA.publisher) == organization
    assert (organization, RDF.type, DIP.Organization) in graph
    assert graph.value(organization, RDFS.label) == Literal("KBS World", lang="en")


def test_a_month_precise_date_is_kept_with_its_precision() -> None:
    graph = new_graph()
    describe_source(
        graph,
        NEWS_A,
        title="A photograph",
        kind=SCHEMA.Photograph,
        date=PartialDate.parse("2018-11"),
        no_url_reason="Known only through a caption.",
    )
    assert (NEWS_A, RDF.type, SCHEMA.Photograph) in graph
    assert graph.value(NEWS_A, SCHEMA.datePublished) is None
    assert graph.value(NEWS_A, DIP.date) == Literal(date(2018, 11, 1), datatype=XSD.date)
    assert graph.value(NEWS_A, DIP.datePrecision) == DIP.MonthPrecision


def test_each_quote_stays_with_the_source_that_says_it() -> None:
    graph = new_graph()
    a = attach_source(graph, FACT, NEWS_A, quote="on 14 February", locator="paragraph 1")
    b = attach_source(graph, FACT, NEWS_B, quote="on Feb.15")
    assert a != b
    assert set(graph.objects(FACT, PROV.wasDerivedFrom)) == {NEWS_A, NEWS_B}
    assert set(graph.objects(FACT, PROV.qualifiedDerivation)) == {a, b}
    assert (a, RDF.type, PROV.Derivation) in graph
    assert graph.value(a, PROV.entity) == NEWS_A
    assert graph.value(a, DIP.evidenceQuote) == Literal("on 14 February", lang="en")
    assert graph.value(a, DIP.sourceLocator) == Literal("paragraph 1")
    assert graph.value(b, PROV.entity) == NEWS_B
    assert graph.value(b, DIP.sourceLocator) is None
    assert (FACT, DIP.evidenceQuote, None) not in graph, "a quote never sits on the fact"
    assert evidence_of(graph, FACT) == [
        Evidence(NEWS_A, Literal("on 14 February", lang="en"), "paragraph 1"),
        Evidence(NEWS_B, Literal("on Feb.15", lang="en"), None),
    ]


def test_a_source_without_evidence_gets_no_derivation() -> None:
    graph = new_graph()
    assert attach_source(graph, FACT, NEWS_A) == NEWS_A
    assert set(graph) == {(FACT, PROV.wasDerivedFrom, NEWS_A)}
    assert evidence_of(graph, FACT) == [Evidence(NEWS_A)]


def test_attaching_the_same_evidence_twice_adds_nothing() -> None:
    graph = new_graph()
    first = attach_source(graph, FACT, NEWS_A, quote="words", locator="line 3")
    size = len(graph)
    assert attach_source(graph, FACT, NEWS_A, quote="words", locator="line 3") == first
    assert len(graph) == size
    other = attach_source(graph, FACT, NEWS_A, quote="other words", locator="line 9")
    assert other != first, "two passages of one source are two derivations"
    assert len(evidence_of(graph, FACT)) == 2


def test_a_tagged_quote_keeps_its_language_and_an_untagged_literal_is_refused() -> None:
    graph = new_graph()
    derivation = attach_source(graph, FACT, NEWS_A, quote=Literal("el 14 de febrero", lang="es"))
    assert graph.value(derivation, DIP.evidenceQuote) == Literal("el 14 de febrero", lang="es")
    with pytest.raises(ValueError, match="language tag"):
        attach_source(graph, FACT, NEWS_B, quote=Literal("untagged"))
    with pytest.raises(ValueError, match="empty"):
        attach_source(graph, FACT, NEWS_B, locator=" ")


def test_a_publisher_name_without_letters_is_refused() -> None:
    with pytest.raises(ValueError, match="slug"):
        publisher_iri("—")
    assert isinstance(publisher_iri("The AsiaN"), URIRef)


def test_a_source_without_a_known_title_is_labelled_by_its_description() -> None:
    graph = new_graph()
    describe_source(graph, NEWS_A, title=None, description="A news report", url="https://e.org/")
    assert graph.value(NEWS_A, RDFS.label) == Literal("A news report", lang="en")
    assert graph.value(NEWS_A, SCHEMA.name) is None, "no invented title"
    with pytest.raises(ProvenanceError, match="title"):
        describe_source(graph, NEWS_B, title=None, url="https://e.org/")


def test_a_named_derivation_has_a_stable_iri() -> None:
    graph = new_graph()
    first = attach_source(graph, FACT, NEWS_A, locator="Wikidata statement Q1$abc", named=True)
    assert isinstance(first, URIRef) and str(first).startswith(str(ID["derivation/"]))
    again = new_graph()
    assert (
        attach_source(again, FACT, NEWS_A, locator="Wikidata statement Q1$abc", named=True) == first
    )
    other = attach_source(graph, FACT, NEWS_A, locator="Wikidata statement Q1$def", named=True)
    assert other != first
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
