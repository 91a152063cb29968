"""JSON-LD writing: flat (one node object per subject), compacted with the project's context.

Keys are sorted, nodes sorted by `@id` and values sorted; the context is embedded, and every
literal keeps its lexical form exactly.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from diplomacy_kg.export.canonical import canonical_triples
from diplomacy_kg.export.context import compact_iri, dump_json, jsonld_context
from diplomacy_kg.namespaces import PREFIXES


class _Compactor:
    """Turn RDF terms into the compact JSON-LD the project's context reads back exactly."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.terms: dict[str, str] = {}
        self.coercion: dict[str, str] = {}
        for name, definition in context.items():
            if name in PREFIXES:
                continue
            iri_text = definition if isinstance(definition, str) else definition["@id"]
            iri = self.expand(iri_text)
            self.terms[iri] = name
            if isinstance(definition, dict) and "@type" in definition:
                kind = definition["@type"]
                self.coercion[name] = kind if kind.startswith("@") else self.expand(kind)

    @staticmethod
    def expand(compact: str) -> str:
        prefix, _, local = compact.partition(":")
        return str(PREFIXES[prefix]) + local if prefix in PREFIXES else compact

    def iri(self, node: Node) -> str:
        if isinstance(node, BNode):
            return f"_:{node}"
        return compact_iri(str(node))

    def vocab(self, node: Node) -> str:
        if isinstance(node, URIRef) and str(node) in self.terms:
            return self.terms[str(node)]
        return self.iri(node)

    def value(self, key: str, node: Node) -> Any:
        coercion = self.coercion.get(key)
        if isinstance(node, Literal):
            if node.language:
                return {"@language": node.language, "@value": str(node)}
            datatype = str(node.datatype) if node.datatype else None
            if datatype is None or datatype == str(XSD.string):
                return str(node) if coercion is None else {"@value": str(node)}
            if datatype == coercion:
                return str(node)
            return {"@type": self.iri(URIRef(datatype)), "@value": str(node)}
        if coercion == "@vocab":
            return self.vocab(node)
        return {"@id": self.iri(node)}


def _sort_key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def jsonld_document(graph: Graph, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Build the compact JSON-LD document of a graph: embedded context, nodes sorted by `@id`."""
    active = dict(context) if context is not None else jsonld_context()
    compactor = _Compactor(active)
    nodes: list[dict[str, Any]] = []
    canonical = canonical_triples(graph)
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for subject, predicate, obj in canonical:
        by_subject[subject].append((predicate, obj))
    for subject, pairs in by_subject.items():
        node: dict[str, Any] = {"@id": compactor.iri(subject)}
        values: dict[str, list[Any]] = defaultdict(list)
        for predicate, obj in pairs:
            if predicate == RDF.type and not isinstance(obj, Literal):
                values["@type"].append(compactor.vocab(obj))
                continue
            key = compactor.vocab(predicate)
            values[key].append(compactor.value(key, obj))
        for key, items in values.items():
            ordered = sorted(items, key=_sort_key)
            node[key] = ordered[0] if len(ordered) == 1 else ordered
        nodes.append(node)
    nodes.sort(key=lambda n: n["@id"])
    return {"@context": active, "@graph": nodes}


def serialize_jsonld(graph: Graph) -> bytes:
    """Serialise as compact JSON-LD with the project's context embedded."""
    return dump_json(jsonld_document(graph))
