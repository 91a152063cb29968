"""The JSON-LD context: the project's prefixes and a readable term per ontology term.

It is generated from `namespaces.PREFIXES` and the ontology, committed as
`ontology/context.jsonld`, served under `CONTEXT_IRI` and embedded in every JSON-LD export, so
any processor reads the project's JSON-LD offline.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from diplomacy_kg import paths
from diplomacy_kg.export.named_graphs import TERM_TYPES
from diplomacy_kg.graph import parse_turtle_file
from diplomacy_kg.namespaces import BASE, DIP, PREFIXES, curie

CONTEXT_IRI = BASE + "context.jsonld"
CONTEXT_FILE = paths.CONTEXT_FILE

_PLAIN_STRING_RANGES = frozenset({XSD.string, RDF.langString})


def compact_iri(iri: str) -> str:
    """Return `prefix:local` for an IRI in one of the project's namespaces, else the IRI."""
    return curie(iri, instances=False)


def _local_name(iri: str) -> str | None:
    for namespace in PREFIXES.values():
        ns = str(namespace)
        local = iri[len(ns) :]
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", local):
            return local
    return None


def jsonld_context(ontology: Graph | None = None) -> dict[str, Any]:
    """Build the JSON-LD context: each prefix of `namespaces.PREFIXES`, a term per ontology term.

    Terms are the local names of the ontology's classes, properties and named individuals (a
    `dip:` term wins a clash with a reused term; other clashes get no short term). Object
    properties are `@type: @vocab`, so values that are ontology terms read as terms
    (`"startPrecision": "DayPrecision"`); datatype properties with a typed range carry it
    (`"startDate": "2024-02-14"` is an `xsd:date`).
    """
    onto = ontology if ontology is not None else parse_turtle_file(paths.ONTOLOGY_FILE)
    context: dict[str, Any] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    candidates: dict[str, list[URIRef]] = defaultdict(list)
    for subject in set(onto.subjects(RDF.type, None)):
        if not isinstance(subject, URIRef):
            continue
        kinds = set(onto.objects(subject, RDF.type))
        declared = bool(kinds & TERM_TYPES) or str(subject).startswith(str(DIP))
        name = _local_name(str(subject))
        if declared and name and OWL.Ontology not in kinds and name not in PREFIXES:
            candidates[name].append(subject)
    for name, iris in sorted(candidates.items()):
        own = [iri for iri in iris if str(iri).startswith(str(DIP))]
        chosen = own if own else iris
        if len(chosen) != 1:
            continue
        context[name] = _term_definition(onto, chosen[0])
    return dict(sorted(context.items()))


def _term_definition(onto: Graph, iri: URIRef) -> str | dict[str, str]:
    compact = compact_iri(str(iri))
    kinds = set(onto.objects(iri, RDF.type))
    if OWL.ObjectProperty in kinds:
        return {"@id": compact, "@type": "@vocab"}
    if OWL.DatatypeProperty in kinds:
        ranges = [r for r in onto.objects(iri, RDFS.range) if isinstance(r, URIRef)]
        if len(ranges) == 1 and ranges[0] not in _PLAIN_STRING_RANGES:
            return {"@id": compact, "@type": compact_iri(str(ranges[0]))}
    return compact


def context_document(ontology: Graph | None = None) -> bytes:
    """Return the text of `context.jsonld`: `{"@context": {...}}`, sorted and indented."""
    return dump_json({"@context": jsonld_context(ontology)})


def dump_json(value: Any) -> bytes:
    """Return JSON with sorted keys, two-space indents and a final newline."""
    # The text of json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True), which with an
    # indent runs the pure-Python encoder (~10 s for the 1M world): the layout is written
    # here, each string by json's C encoder.
    parts: list[str] = []
    _write_json(value, "\n", parts)
    parts.append("\n")
    return "".join(parts).encode("utf-8")


_encode_string = json.encoder.encode_basestring


def _write_json(value: Any, newline: str, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_encode_string(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        parts.append("{")
        first = True
        for key in sorted(value):
            if not isinstance(key, str):
                raise TypeError(f"JSON keys must be strings here, not {key!r}")
            parts.append(inner if first else "," + inner)
            first = False
            parts.append(_encode_string(key) + ": ")
            _write_json(value[key], inner, parts)
        parts.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        parts.append("[")
        for index, item in enumerate(value):
            parts.append(inner if index == 0 else "," + inner)
            _write_json(item, inner, parts)
        parts.append(newline + "]")
    else:
        parts.append(json.dumps(value))
