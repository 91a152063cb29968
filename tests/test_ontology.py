"""The ontology: its header, and every term documented, typed and mapped to Wikidata."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, TIME

from diplomacy_kg.namespaces import BASE, DIP, ORG, PREFIXES, SCHEMA, VANN, WD

ONTOLOGY = URIRef(BASE + "ontology")
PROV = PREFIXES["prov"]


@pytest.fixture(scope="module")
def ontology(ontology_graph: Graph) -> Graph:
    return ontology_graph


def _terms(ontology: Graph, kind: URIRef) -> list[URIRef]:
    found = sorted(
        s
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and s.startswith(str(DIP))
    )
    assert found, f"no {kind} found in the ontology"
    return found


def _properties(ontology: Graph) -> list[URIRef]:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({p for kind in kinds for p in _terms(ontology, kind)})


def test_the_header_names_version_licence_and_preferred_prefix(ontology: Graph) -> None:
    version = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"][
        "version"
    ]
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, OWL.versionIRI) == URIRef(
        f"{BASE}releases/{version}/ontology"
    ), "owl:versionIRI must follow the version in pyproject.toml"
    assert ontology.value(ONTOLOGY, OWL.versionInfo) == Literal(version)
    assert ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("dip")
    assert ontology.value(ONTOLOGY, VANN.preferredNamespaceUri) == Literal(str(DIP))
    assert ontology.value(ONTOLOGY, PREFIXES["dcterms"].license) is not None


def _has_english(ontology: Graph, term: URIRef, prop: URIRef) -> bool:
    return any(
        isinstance(text, Literal) and text.language == "en" for text in ontology.objects(term, prop)
    )


def test_every_class_and_property_has_an_english_label_and_definition(ontology: Graph) -> None:
    terms = _terms(ontology, OWL.Class) + _properties(ontology)
    undocumented = [
        str(term)
        for term in terms
        if not _has_english(ontology, term, RDFS.label)
        or not _has_english(ontology, term, SKOS.definition)
        or (term, RDFS.isDefinedBy, ONTOLOGY) not in ontology
    ]
    assert not undocumented, (
        f"give these an @en rdfs:label and skos:definition, and rdfs:isDefinedBy: {undocumented}"
    )


def test_every_property_has_a_domain_or_a_range(ontology: Graph) -> None:
    loose = [
        str(p)
        for p in _properties(ontology)
        if ontology.value(p, RDFS.domain) is None and ontology.value(p, RDFS.range) is None
    ]
    assert not loose, f"give these an rdfs:domain or rdfs:range: {loose}"


def test_every_property_names_its_wikidata_property_or_says_there_is_none(
    ontology: Graph,
) -> None:
    unmapped = []
    for prop in _properties(ontology):
        mapped = [
            p for p in ontology.objects(prop, DIP.wikidataProperty) if str(p).startswith(str(WD))
        ]
        noted = list(ontology.objects(prop, SKOS.editorialNote))
        if not mapped and not noted:
            unmapped.append(str(prop))
    assert not unmapped, (
        f"add dip:wikidataProperty wd:P… or an editorial note that none fits: {unmapped}"
    )


@pytest.mark.parametrize("vocabulary", [PROV, SCHEMA, TIME, ORG], ids=str)
def test_the_ontology_is_aligned_to(ontology: Graph, vocabulary: str) -> None:
    alignments = [
        (s, o)
        for p in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.exactMatch, SKOS.closeMatch)
        for s, o in ontology.subject_objects(p)
        if isinstance(s, URIRef) and s.startswith(str(DIP)) and str(o).startswith(str(vocabulary))
    ]
    assert alignments, f"no dip: term is aligned to {vocabulary}"


def test_every_class_is_a_subclass_of_something(ontology: Graph) -> None:
    roots = [
        str(c) for c in _terms(ontology, OWL.Class) if ontology.value(c, RDFS.subClassOf) is None
    ]
    assert not roots, f"align these classes (rdfs:subClassOf) to a reused vocabulary: {roots}"
