"""JSON-LD writing: flat (one node object per subject), compacted with the project's context.

Keys are sorted, nodes sorted by `@id` and values sorted; the context is embedded, and every
literal keeps its lexical form exactly. The document is built from plain terms (an IRI, `_:`
and a blank node's label, or a literal's (text, datatype, language)), so the rdflib path and
the Oxigraph fast path (`fast.py`) build it with the same code.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from diplomacy_kg.export.canonical import canonical_triples
from diplomacy_kg.export.context import compact_iri, dump_json, jsonld_context
from diplomacy_kg.namespaces import PREFIXES

# An IRI, "_:" + a blank node's label, or a literal: (text, datatype or "", language or "").
Term = str | tuple[str, str, str]

_TYPE = str(RDF.type)
_STRING = str(XSD.string)


def plain_term(node: Node) -> Term:
    """Return an rdflib term as the plain term the document is built from."""
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype else ""
        return (str(node), "" if datatype == _STRING else datatype, node.language or "")
    return str(node)


class _Compactor:
    """Turn terms into the compact JSON-LD the project's context reads back exactly."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.terms: dict[str, str] = {}
        self.coercion: dict[str, str] = {}
        self.compact: dict[str, str] = {}
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

    def iri(self, term: str) -> str:
        if term.startswith("_:"):
            return term
        compact = self.compact.get(term)
        if compact is None:
            compact = self.compact[term] = compact_iri(term)
        return compact

    def vocab(self, term: str) -> str:
        name = self.terms.get(term)
        return name if name is not None else self.iri(term)

    def value(self, key: str, term: Term) -> Any:
        coercion = self.coercion.get(key)
        if isinstance(term, tuple):
            text, datatype, language = term
            if language:
                return {"@language": language, "@value": text}
            if not datatype:
                return text if coercion is None else {"@value": text}
            if datatype == coercion:
                return text
            return {"@type": self.iri(datatype), "@value": text}
        if coercion == "@vocab":
            return self.vocab(term)
        return {"@id": self.iri(term)}


def _sort_key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def document_of(
    triples: Iterable[tuple[Term, str, Term]], context: Mapping[str, Any]
) -> dict[str, Any]:
    """Build the compact JSON-LD document of distinct triples of plain terms."""
    compactor = _Compactor(context)
    by_subject: dict[Term, list[tuple[str, Term]]] = defaultdict(list)
    for subject, predicate, obj in triples:
        by_subject[subject].append((predicate, obj))
    nodes: list[dict[str, Any]] = []
    for subject, pairs in by_subject.items():
        assert isinstance(subject, str)
        node: dict[str, Any] = {"@id": compactor.iri(subject)}
        values: dict[str, list[Any]] = defaultdict(list)
        for predicate, obj in pairs:
            if predicate == _TYPE and isinstance(obj, str):
                values["@type"].append(compactor.vocab(obj))
                continue
            key = compactor.vocab(predicate)
            values[key].append(compactor.value(key, obj))
        for key, items in values.items():
            if len(items) == 1:
                node[key] = items[0]
            else:
                node[key] = sorted(items, key=_sort_key)
        nodes.append(node)
    nodes.sort(key=lambda n: n["@id"])
    return {"@context": dict(context), "@graph": nodes}


def jsonld_document(graph: Graph, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Build the compact JSON-LD document of a graph: embedded context, nodes sorted by `@id`."""
    active = dict(context) if context is not None else jsonld_context()
    triples = ((plain_term(s), str(p), plain_term(o)) for s, p, o in canonical_triples(graph))
    return document_of(triples, active)


def serialize_jsonld(graph: Graph) -> bytes:
    """Serialise as compact JSON-LD with the project's context embedded."""
    return dump_json(jsonld_document(graph))
