"""Protection of curated facts: enrichment adds to the curated data and never overrides it."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF

from diplomacy_kg.namespaces import new_graph


def protect_curated(enrichment: Graph, curated_graph: Graph) -> tuple[Graph, int]:
    """Keep only triples that add to curated subjects, never a second value for what they state.

    On a curated subject, types and links (owl:sameAs) are never added, and a property gets an
    enrichment value only when the curated data has none for it (for language-tagged text: none
    in that language). Returns the kept graph and how many triples were dropped.
    """
    subjects = set(curated_graph.subjects())
    kept = new_graph()
    dropped = 0
    for subject, predicate, value in enrichment:
        if subject in subjects and _would_change(curated_graph, subject, predicate, value):
            dropped += 1
            continue
        kept.add((subject, predicate, value))
    return kept, dropped


def _would_change(graph: Graph, subject: Any, predicate: Any, value: Any) -> bool:
    if predicate in (RDF.type, OWL.sameAs):
        return (subject, predicate, value) not in graph
    existing = list(graph.objects(subject, predicate))
    if not existing:
        return False
    if isinstance(value, Literal) and value.language:
        return any(isinstance(e, Literal) and e.language == value.language for e in existing)
    return True


def curated_changes(curated_graph: Graph, enrichment: Graph) -> list[str]:
    """List (subject, property, language) whose curated values differ once enrichment is added."""
    union = new_graph()
    for triple in curated_graph:
        union.add(triple)
    for triple in enrichment:
        union.add(triple)
    changes = []
    keys = {(s, p, o.language if isinstance(o, Literal) else None) for s, p, o in curated_graph}
    for subject, predicate, language in sorted(keys, key=str):
        if _values(curated_graph, subject, predicate, language) != _values(
            union, subject, predicate, language
        ):
            changes.append(f"{subject} {predicate} @{language or '-'}")
    return changes


def _values(graph: Graph, subject: Any, predicate: Any, language: str | None) -> set[object]:
    return {
        value
        for value in graph.objects(subject, predicate)
        if (value.language if isinstance(value, Literal) else None) == language
    }
