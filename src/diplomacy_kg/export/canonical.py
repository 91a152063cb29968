"""Blank nodes with canonical labels, so the same graph always gives the same bytes.

The triples that mention a blank node are relabelled with `rdflib.compare.to_canonical_graph`
(labels are hashes of each blank node's neighbourhood), so a blank node keeps its label while
its own triples do not change. Only those triples are canonicalised, which keeps a large graph
with few blank nodes fast.
"""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph


def canonical_triples(graph: Graph) -> Graph:
    """Return the graph with blank nodes relabelled canonically (itself when it has none)."""
    with_blank = [t for t in graph if any(isinstance(term, BNode) for term in t)]
    if not with_blank:
        return graph
    blank_part = Graph()
    for triple in with_blank:
        blank_part.add(triple)
    result = Graph(bind_namespaces="none")
    for triple in graph:
        if not any(isinstance(term, BNode) for term in triple):
            result.add(triple)
    for triple in to_canonical_graph(blank_part):
        result.add(triple)
    return result
