"""The benchmark's synthetic world: the requested size, valid against the shapes, deterministic."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package

from benchmarks.world import generate_text, ontology_triples

from diplomacy_kg import graph, paths, validation
from diplomacy_kg.namespaces import DIP

# Large enough that every kind of fact appears beside the ontology, which the size includes.
SIZE = 8_000


@pytest.fixture(scope="module")
def world() -> tuple[str, int]:
    return generate_text(SIZE, seed=7)


@pytest.fixture(scope="module")
def world_graph(world: tuple[str, int], tmp_path_factory: pytest.TempPathFactory) -> Graph:
    path = tmp_path_factory.mktemp("world") / "world.ttl"
    path.write_text(world[0], encoding="utf-8")
    return graph.load_graph([paths.ONTOLOGY_FILE, path])


def test_world_has_about_the_requested_size(world: tuple[str, int], world_graph: Graph) -> None:
    _text, counted = world
    assert len(world_graph) == counted + ontology_triples()
    assert abs(len(world_graph) - SIZE) <= SIZE * 0.05, len(world_graph)


def test_world_is_deterministic_for_a_seed(world: tuple[str, int]) -> None:
    assert generate_text(SIZE, seed=7)[0] == world[0]
    assert generate_text(SIZE, seed=8)[0] != world[0]


def test_world_opens_with_the_project_prefix_block(world: tuple[str, int]) -> None:
    from diplomacy_kg.namespaces import turtle_prefix_block

    assert world[0].startswith(turtle_prefix_block())


def test_world_has_every_kind_of_fact(world_graph: Graph) -> None:
    classes = Counter(world_graph.objects(None, RDF.type))
    for kind in (
        "State",
        "Membership",
        "DiplomaticRelation",
        "ExchangeOfNotes",
        "Severance",
        "Visit",
        "Meeting",
        "Quote",
        "AttributedTie",
        "SpecialRelationship",
        "SourceDocument",
    ):
        assert classes[DIP[kind]] > 0, f"no dip:{kind} in the synthetic world"
    assert classes[DIP.State] >= 190


def test_world_has_the_precision_mix_of_the_curated_data(world_graph: Graph) -> None:
    relations = set(world_graph.subjects(RDF.type, DIP.DiplomaticRelation))
    active_only = [r for r in relations if (r, DIP.knownActiveOn, None) in world_graph]
    precisions = Counter(
        world_graph.value(r, DIP.startPrecision)
        for r in relations
        if (r, DIP.startDate, None) in world_graph
    )
    assert 0.05 <= len(active_only) / len(relations) <= 0.25
    assert precisions[DIP.DayPrecision] > precisions[DIP.MonthPrecision] > 0


def test_world_conforms_to_the_shapes(world_graph: Graph) -> None:
    report = validation.validate(world_graph)
    assert report.conforms, validation.format_text(report)[:2000]
