"""`ingest --format turtle`: the candidates as the ontology's classes under a proposed status."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF

from diplomacy_kg.cli import main
from diplomacy_kg.namespaces import DIP, SCHEMA

SEED = Path(__file__).parent / "fixtures" / "ingest-seed-story.txt"


def test_turtle_output_is_proposed_and_sourced(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(SEED), "--date", "2024-02-15", "--format", "turtle"]) == 0
    proposed = Graph().parse(data=capsys.readouterr().out, format="turtle")
    facts = set(proposed.subjects(SCHEMA.creativeWorkStatus, Literal("proposed")))
    assert facts
    for kind in (DIP.EstablishmentOfRelations, DIP.Boycott, DIP.Quote, DIP.Claim):
        assert any((fact, RDF.type, kind) in proposed for fact in facts), kind
    sources = set(proposed.subjects(RDF.type, DIP.SourceDocument))
    assert len(sources) == 1
    for fact in facts:
        assert (fact, PROV.wasDerivedFrom, next(iter(sources))) in proposed
