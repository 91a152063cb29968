"""The ontology and the data stay consistent with PROV-O, which they align to.

An OWL 2 RL reasoner (owlrl) runs over the ontology, W3C's PROV-O and the curated data, and must
find no clash (no individual in two disjoint classes, such as an event that is both a
prov:Activity and, through prov:wasDerivedFrom, a prov:Entity). PROV-O is a test fixture with its
provenance in its header: no network at test time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from diplomacy_kg.graph import load_graph
from diplomacy_kg.namespaces import ID, new_graph

PROV_O = Path(__file__).parent / "fixtures" / "prov-o" / "prov-o.ttl"
PROV_O_BLOB = "f4318aaad8dc35d1e9ac95f1f1493cce9a0d2be4"  # w3c/ns prov-o.ttl, 2013-04-30 REC
MARKER = "# --- W3C prov-o.ttl follows, unchanged ---\n"


def _prov_o() -> Graph:
    graph = new_graph()
    graph.parse(PROV_O, format="turtle")
    return graph


def _clashes(graph: Graph) -> list[str]:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return sorted(
        str(message)
        for error in graph.subjects(RDF.type, ERRNS.ErrorMessage)
        for message in graph.objects(error, ERRNS.error)
    )


def test_the_prov_o_fixture_is_the_w3c_file_unchanged() -> None:
    text = PROV_O.read_bytes().decode("utf-8")
    assert MARKER in text, f"{PROV_O} lost the line that separates its header from W3C's text"
    body = text.split(MARKER, 1)[1].encode("utf-8")
    blob = hashlib.sha1(b"blob %d\0" % len(body) + body, usedforsecurity=False).hexdigest()
    assert blob == PROV_O_BLOB, "the W3C text of PROV-O was changed; copy it again from w3c/ns"
    prov_o = _prov_o()
    assert (PROV.Activity, URIRef("http://www.w3.org/2002/07/owl#disjointWith"), PROV.Entity) in (
        prov_o
    )


def test_the_reasoner_finds_a_clash_where_there_is_one() -> None:
    # Guards against a check that passes whatever the data: an activity derived from a source.
    graph = _prov_o()
    event = ID["event/an-activity-with-a-source"]
    graph.add((event, RDF.type, PROV.Activity))
    graph.add((event, PROV.wasDerivedFrom, ID["source/a-source"]))
    clashes = _clashes(graph)
    assert len(clashes) == 1 and str(event) in clashes[0], clashes


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_owl_rl_finds_no_clash_between_prov_o_the_ontology_and_the_data() -> None:
    graph = load_graph()
    sourced_event = ID["event/cub-kor-exchange-of-notes-2024"]
    assert (sourced_event, PROV.wasDerivedFrom, None) in graph, "the data lost its events"
    for triple in _prov_o():
        graph.add(triple)
    clashes = _clashes(graph)
    assert not clashes, f"{len(clashes)} clashes with PROV-O, e.g. {clashes[:3]}"
    assert (sourced_event, RDF.type, PROV.Entity) in graph, "the reasoner did not run"
