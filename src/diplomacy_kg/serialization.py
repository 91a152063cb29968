"""Canonical Turtle: the one way the project writes Turtle, byte-stable under git."""

from __future__ import annotations

from rdflib import Graph

from diplomacy_kg.namespaces import bind_prefixes, turtle_prefix_block


def to_turtle(graph: Graph) -> str:
    """Serialise a graph as Turtle with the project's full prefix block and sorted statements."""
    bind_prefixes(graph)
    body = graph.serialize(format="turtle")
    statements = [line for line in body.splitlines() if not line.startswith("@prefix")]
    return turtle_prefix_block() + "\n".join(statements).rstrip("\n") + "\n"
