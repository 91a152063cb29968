"""`ingest --format turtle`: the candidates as the ontology's classes under a proposed status."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from diplomacy_kg.cli import main
from diplomacy_kg.ingest.rdf import CLASSES, STATUS_TERMS
from diplomacy_kg.ingest.review import STATUSES
from diplomacy_kg.namespaces import DIP, SCHEMA

SEED = Path(__file__).parent / "fixtures" / "ingest-seed-story.txt"
# One sentence per kind that had no class of its own before (MUST_FIRE in test_ingest.py).
NEW_KINDS = {
    DIP.Restoration: "Qatar and Bahrain agreed to restore diplomatic relations on Wednesday.",
    DIP.Suspension: "Iran and Saudi Arabia suspended their diplomatic relations in 2016.",
    DIP.Agreement: "Iran and Iraq signed a security agreement in Baghdad on Sunday.",
    DIP.JointCommunique: "Sri Lanka and Timor-Leste signed a joint communiqué on Monday.",
    DIP.Negotiation: "Officials from Tehran and Riyadh held talks in Beijing.",
    DIP.Attendance: "President Xi Jinping attended a summit in Riyadh.",
    DIP.Intent: "Colombia will break diplomatic relations with Israel effective Thursday.",
    DIP.Incident: "Colombia recalled its ambassador to Israel.",
}


def _turtle(capsys: pytest.CaptureFixture[str], story: Path) -> Graph:
    assert main(["ingest", str(story), "--date", "2024-02-15", "--format", "turtle"]) == 0
    return Graph().parse(data=capsys.readouterr().out, format="turtle")


def test_turtle_output_is_proposed_and_sourced(capsys: pytest.CaptureFixture[str]) -> None:
    proposed = _turtle(capsys, SEED)
    facts = set(proposed.subjects(DIP.candidateStatus, DIP.Proposed))
    assert facts
    for kind in (DIP.EstablishmentOfRelations, DIP.Boycott, DIP.Quote, DIP.Claim):
        assert any((fact, RDF.type, kind) in proposed for fact in facts), kind
    sources = set(proposed.subjects(RDF.type, DIP.SourceDocument))
    assert len(sources) == 1
    for fact in facts:
        assert (fact, PROV.wasDerivedFrom, next(iter(sources))) in proposed
    assert not set(proposed.subjects(SCHEMA.creativeWorkStatus, None)), "the old status term"


def test_every_kind_is_written_as_its_own_class(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    story = tmp_path / "story.txt"
    story.write_text("\n".join(NEW_KINDS.values()), encoding="utf-8")
    proposed = _turtle(capsys, story)
    for cls in NEW_KINDS:
        assert set(proposed.subjects(RDF.type, cls)) & set(
            proposed.subjects(DIP.candidateStatus, DIP.Proposed)
        ), f"no proposed {cls}"
    notes = " ".join(str(n) for n in proposed.objects(None, SKOS.editorialNote))
    assert "recorded as" not in notes and "no class of its own" not in notes


def test_every_kind_maps_to_an_ontology_event_class(ontology_graph: Graph) -> None:
    for kind, (classes, _, _) in CLASSES.items():
        for cls in classes:
            assert (cls, RDFS.subClassOf, None) in ontology_graph, (kind, cls)
            assert DIP.DiplomaticEvent in set(
                ontology_graph.transitive_objects(cls, RDFS.subClassOf)
            ), (kind, cls)
    # Each kind that names its own act has a class no other kind shares.
    own = [CLASSES[k][0] for k in CLASSES if k not in {"joint_statement", "state_visit"}]
    assert len(own) == len(set(own))


def test_the_review_statuses_are_the_ontology_concepts(ontology_graph: Graph) -> None:
    assert set(STATUS_TERMS) == set(STATUSES)
    members = set(ontology_graph.subjects(RDF.type, DIP.CandidateStatus))
    assert members == set(STATUS_TERMS.values())
    for word, term in STATUS_TERMS.items():
        assert isinstance(term, URIRef)
        assert str(ontology_graph.value(term, SKOS.notation)) == word
        assert (term, SKOS.inScheme, DIP.CandidateStatusScheme) in ontology_graph
