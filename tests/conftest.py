"""Session fixtures shared by the test modules: each graph is parsed once, each engine built once.

The graphs and engines here are shared by every test of the session: read them, never change
them (copy a graph first: `copy = Graph(); copy += shared`). `curated_graph` checks at the end
of the session that nobody did.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from diplomacy_kg import paths
from diplomacy_kg.engines import Engine
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine
from diplomacy_kg.engines.rdflib_engine import RdflibEngine
from diplomacy_kg.graph import load_graph, parse_turtle_file

FIXTURES = Path(__file__).parent / "fixtures"


def _unchanged(graph: Graph, what: str) -> Iterator[Graph]:
    size = len(graph)
    yield graph
    assert len(graph) == size, f"a test changed the shared {what}: copy it before changing it"


@pytest.fixture(scope="session")
def curated_graph() -> Iterator[Graph]:
    """The ontology and the curated data (`load_graph()`), parsed once for the session."""
    yield from _unchanged(load_graph(), "curated graph")


@pytest.fixture(scope="session")
def curated_engines(curated_graph: Graph) -> dict[str, Engine]:
    """The curated graph on the reference engine (rdflib) and the default one (Oxigraph)."""
    return {
        "rdflib": RdflibEngine(curated_graph),
        "oxigraph": OxigraphEngine.from_graph(curated_graph),
    }


@pytest.fixture(scope="session")
def ontology_graph() -> Iterator[Graph]:
    """The ontology alone, parsed once for the session."""
    yield from _unchanged(parse_turtle_file(paths.ONTOLOGY_FILE), "ontology graph")


@pytest.fixture(scope="session")
def world() -> Iterator[Graph]:
    """The query tests' fixture world (`tests/fixtures/queries/world.ttl`) and the ontology."""
    yield from _unchanged(
        load_graph([paths.ONTOLOGY_FILE, FIXTURES / "queries" / "world.ttl"]), "world"
    )


@pytest.fixture(scope="session")
def world_engines(world: Graph) -> dict[str, Engine]:
    """The fixture world on both embedded engines."""
    return {"rdflib": RdflibEngine(world), "oxigraph": OxigraphEngine.from_graph(world)}
