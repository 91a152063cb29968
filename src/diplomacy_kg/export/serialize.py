"""Deterministic Turtle, N-Triples, N-Quads, TriG and JSON-LD: the same graph, the same bytes.

Blank nodes get canonical labels first (`canonical.py`). Turtle and TriG open with the project's
full sorted prefix block; rdflib's Turtle writer orders subjects, predicates and objects.
N-Triples and N-Quads are sorted lines; TriG and N-Quads hold one named graph per source
(`named_graphs.py`). JSON-LD is written by `jsonld.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Graph

from diplomacy_kg.export.canonical import canonical_triples
from diplomacy_kg.export.errors import ExportError
from diplomacy_kg.export.jsonld import serialize_jsonld
from diplomacy_kg.export.named_graphs import split_by_source, to_dataset
from diplomacy_kg.namespaces import PREFIXES, turtle_prefix_block

FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld")
EXTENSIONS = {"turtle": "ttl", "nt": "nt", "nquads": "nq", "trig": "trig", "jsonld": "jsonld"}
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
}


def _sorted_lines(text: str) -> bytes:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "".join(line + "\n" for line in lines).encode("utf-8")


def serialize_ntriples(graph: Graph) -> bytes:
    """Serialise as N-Triples, one sorted line per triple."""
    return _sorted_lines(canonical_triples(graph).serialize(format="nt11"))


def serialize_nquads(graph: Graph) -> bytes:
    """Serialise as N-Quads with one named graph per source, sorted lines."""
    return _sorted_lines(to_dataset(graph).serialize(format="nquads"))


def _turtle_body(graph: Graph) -> tuple[list[str], str]:
    # rdflib writes only the prefixes it uses; we write the full block ourselves.
    prepared = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        prepared.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        prepared.add(triple)
    text = prepared.serialize(format="turtle")
    lines = text.splitlines(keepends=True)
    extra: list[str] = []
    start = 0
    while start < len(lines) and (lines[start].startswith("@prefix") or not lines[start].strip()):
        name = lines[start].split()[1][:-1] if lines[start].startswith("@prefix") else ""
        if name and name not in PREFIXES:
            extra.append(lines[start])
        start += 1
    return extra, "".join(lines[start:]).rstrip("\n") + "\n"


def serialize_turtle(graph: Graph) -> bytes:
    """Serialise as Turtle: the project's prefix block, then subjects in rdflib's sorted order."""
    extra, body = _turtle_body(canonical_triples(graph))
    header = turtle_prefix_block() + "".join(sorted(extra))
    return (header + "\n" + body).encode("utf-8")


def serialize_trig(graph: Graph) -> bytes:
    """Serialise as TriG: one `{ }` block per named graph, graphs sorted by IRI."""
    blocks: list[str] = []
    extras: set[str] = set()
    for name, part in split_by_source(canonical_triples(graph)).items():
        extra, body = _turtle_body(part)
        extras.update(extra)
        blocks.append(f"<{name}> {{\n{body}}}\n")
    header = turtle_prefix_block() + "".join(sorted(extras))
    return (header + "\n" + "\n".join(blocks)).encode("utf-8")


_SERIALIZERS: dict[str, Callable[[Graph], bytes]] = {
    "turtle": serialize_turtle,
    "nt": serialize_ntriples,
    "nquads": serialize_nquads,
    "trig": serialize_trig,
    "jsonld": serialize_jsonld,
}


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise a graph in one of `FORMATS`, deterministically."""
    try:
        return _SERIALIZERS[fmt](graph)
    except KeyError:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
